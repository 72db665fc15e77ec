"""Late indicator figures asked for in a round step

Revision ID: 6bb6cc61cf9d
Revises: 8ab60132edb7
Create Date: 2026-12-05 03:20:48.026301

A new table only: a late indicator figure asked for of a person in a round's call or reminder step, unique on
(indicator, period, step, round key, person), so each figure is asked for once per step.

"""
import sqlalchemy as sa
from alembic import op

import scp_tracker.core.db_types

# revision identifiers, used by Alembic.
revision = '6bb6cc61cf9d'
down_revision = '8ab60132edb7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('figure_reminder_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('stage_or_period', sa.String(length=40), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('outbox_key', sa.String(length=300), nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_figure_reminder_record_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_figure_reminder_record_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figure_reminder_record')),
    sa.UniqueConstraint('indicator_id', 'period', 'kind', 'stage_or_period', 'contact_id', name=op.f('uq_figure_reminder_record_key'))
    )
    with op.batch_alter_table('figure_reminder_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figure_reminder_record_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_figure_reminder_record_sent_on'), ['sent_on'], unique=False)



def downgrade():
    with op.batch_alter_table('figure_reminder_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figure_reminder_record_sent_on'))
        batch_op.drop_index(batch_op.f('ix_figure_reminder_record_contact_id'))

    op.drop_table('figure_reminder_record')
