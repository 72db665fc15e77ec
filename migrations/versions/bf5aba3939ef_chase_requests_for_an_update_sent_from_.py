"""Chase: requests for an update sent from the chasing page

Revision ID: bf5aba3939ef
Revises: 67f9f8bedb71
Create Date: 2026-11-27 18:50:11.880672

"""
from alembic import op
import sqlalchemy as sa

import scp_tracker.core.db_types


# revision identifiers, used by Alembic.
revision = 'bf5aba3939ef'
down_revision = '67f9f8bedb71'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('chase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('chased_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('outbox_key', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['user_account.id'], name=op.f('fk_chase_by_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_chase_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_chase_objective_id_objective'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chase')),
    sa.UniqueConstraint('outbox_key', name=op.f('uq_chase_outbox_key'))
    )
    with op.batch_alter_table('chase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chase_objective_id'), ['objective_id'], unique=False)



def downgrade():
    with op.batch_alter_table('chase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chase_objective_id'))

    op.drop_table('chase')
