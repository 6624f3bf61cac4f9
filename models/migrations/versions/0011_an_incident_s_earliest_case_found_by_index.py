"""an incident's earliest case found by index

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 12:40:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case_groups', schema=None) as batch_op:
        batch_op.create_index(
            'ix_case_groups_incident_duplicate',
            ['incident_id', 'duplicate_of'],
            unique=False,
        )
        batch_op.drop_index('ix_case_groups_incident_id')


def downgrade() -> None:
    with op.batch_alter_table('case_groups', schema=None) as batch_op:
        batch_op.create_index(
            'ix_case_groups_incident_id', ['incident_id'], unique=False
        )
        batch_op.drop_index('ix_case_groups_incident_duplicate')
