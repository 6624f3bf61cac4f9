"""only outbound messages indexed by sender; statuses by (wamid, status) alone

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTBOUND = sa.text("direction = 'out'")


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_sender')
        batch_op.create_index(
            'ix_messages_outbound_sender',
            ['sender'],
            unique=False,
            sqlite_where=OUTBOUND,
            postgresql_where=OUTBOUND,
        )
    with op.batch_alter_table('message_statuses', schema=None) as batch_op:
        batch_op.drop_index('ix_message_statuses_wamid')


def downgrade() -> None:
    with op.batch_alter_table('message_statuses', schema=None) as batch_op:
        batch_op.create_index('ix_message_statuses_wamid', ['wamid'], unique=False)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_outbound_sender')
        batch_op.create_index('ix_messages_sender', ['sender'], unique=False)
