"""Notifications: what each person was told, and their choices per kind

Revision ID: cefc50a2dfca
Revises: 24b3cf071361
Create Date: 2026-11-27 19:53:32.045490

"""
from alembic import op
import sqlalchemy as sa

import scp_tracker.core.db_types


# revision identifiers, used by Alembic.
revision = 'cefc50a2dfca'
down_revision = '24b3cf071361'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preference',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('delivery', sa.String(length=10), nullable=False),
    sa.Column('updated_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_notification_preference_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', 'kind', name=op.f('pk_notification_preference'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('link_path', sa.String(length=300), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('delivery', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('digested_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_key', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_notification_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_notification_objective_id_objective'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('key', name=op.f('uq_notification_key'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_contact_created', ['contact_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notification_contact_read', ['contact_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_notification_delivery_digested', ['delivery', 'digested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_objective_id'), ['objective_id'], unique=False)



def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_objective_id'))
        batch_op.drop_index('ix_notification_delivery_digested')
        batch_op.drop_index(batch_op.f('ix_notification_created_at'))
        batch_op.drop_index('ix_notification_contact_read')
        batch_op.drop_index('ix_notification_contact_created')

    op.drop_table('notification')
    op.drop_table('notification_preference')
