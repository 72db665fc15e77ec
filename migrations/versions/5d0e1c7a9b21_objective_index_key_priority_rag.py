"""Objective: an index on key priority, RAG and position for the plan list's filters

Revision ID: 5d0e1c7a9b21
Revises: cefc50a2dfca
Create Date: 2026-11-27 23:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d0e1c7a9b21'
down_revision = 'cefc50a2dfca'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.create_index('ix_objective_key_priority_rag', ['key_priority_id', 'rag', 'position'], unique=False)


def downgrade():
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_index('ix_objective_key_priority_rag')
