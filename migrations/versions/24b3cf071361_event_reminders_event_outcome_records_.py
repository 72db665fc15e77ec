"""Event reminders: event_outcome records keyed by event, period and contact

Revision ID: 24b3cf071361
Revises: bf5aba3939ef
Create Date: 2026-11-27 18:56:39.855168

"""
from alembic import op
import sqlalchemy as sa

import scp_tracker.core.db_types


# revision identifiers, used by Alembic.
revision = '24b3cf071361'
down_revision = 'bf5aba3939ef'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_reminder_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('outbox_key', sa.String(length=300), nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_event_reminder_record_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_reminder_record_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_reminder_record')),
    sa.UniqueConstraint('event_id', 'period', 'contact_id', name=op.f('uq_event_reminder_record_event_id_period_contact_id'))
    )
    with op.batch_alter_table('event_reminder_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_reminder_record_contact_id'), ['contact_id'], unique=False)



def downgrade():
    with op.batch_alter_table('event_reminder_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_reminder_record_contact_id'))

    op.drop_table('event_reminder_record')
