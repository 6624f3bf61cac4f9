"""landing bodies unique by eight bytes of their sha256 instead of its 64 hex digits

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:30:00.000000
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps the sha256 constraint unnamed; reflected, it gets this name.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
LANDING = sa.table('landing', sa.column('id'), sa.column('sha256'), sa.column('key'))


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('landing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.BigInteger(), nullable=True))
    _fill_keys(bind)
    _move_clashes(bind)
    sha256_unique = _sha256_unique_name(bind)
    with op.batch_alter_table('landing', naming_convention=NAMING) as batch_op:
        batch_op.alter_column('key', existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_constraint(sha256_unique, type_='unique')
        batch_op.create_index('ux_landing_key', ['key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('landing', schema=None) as batch_op:
        batch_op.drop_index('ux_landing_key')
        batch_op.drop_column('key')
        batch_op.create_unique_constraint('uq_landing_sha256', ['sha256'])


def _key(sha256: str, slot: int) -> int:
    """What vigia.landing.landing_key gives for the body of this sha256."""
    try:
        digest = bytes.fromhex(sha256)
    except ValueError:  # never written by Vigía; kept unique all the same
        digest = hashlib.sha256(sha256.encode()).digest()
    return int.from_bytes(digest[8 * slot : 8 * slot + 8], 'big', signed=True)


def _fill_keys(bind: sa.Connection) -> None:
    last = 0
    update = (
        sa.update(LANDING)
        .where(LANDING.c.id == sa.bindparam('row_id'))
        .values(key=sa.bindparam('row_key'))
    )
    page = (
        sa.select(LANDING.c.id, LANDING.c.sha256)
        .where(LANDING.c.id > sa.bindparam('last'))
        .order_by(LANDING.c.id)
        .limit(10_000)
    )
    while rows := bind.execute(page, {'last': last}).all():
        bind.execute(
            update, [{'row_id': r.id, 'row_key': _key(r.sha256, 0)} for r in rows]
        )
        last = rows[-1].id


def _move_clashes(bind: sa.Connection) -> None:
    """Different bodies sharing their first eight bytes: later ones move on."""
    clashing = (
        sa.select(LANDING.c.key).group_by(LANDING.c.key).having(sa.func.count() > 1)
    )
    while keys := bind.execute(clashing).scalars().all():
        for key in keys:
            rows = bind.execute(
                sa.select(LANDING.c.id, LANDING.c.sha256)
                .where(LANDING.c.key == key)
                .order_by(LANDING.c.id)
            ).all()
            for row in rows[1:]:
                slot = next(s for s in range(4) if _key(row.sha256, s) == key)
                bind.execute(
                    sa.update(LANDING)
                    .where(LANDING.c.id == row.id)
                    .values(key=_key(row.sha256, slot + 1))
                )


def _sha256_unique_name(bind: sa.Connection) -> str:
    for constraint in sa.inspect(bind).get_unique_constraints('landing'):
        if constraint['column_names'] == ['sha256'] and constraint['name']:
            return constraint['name']
    return 'uq_landing_sha256'
