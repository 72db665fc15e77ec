"""Performance indicators, their figures per period and the plan's tolerance

Revision ID: 8ab60132edb7
Revises: dafc91d84e71
Create Date: 2026-12-05 02:22:19.556678

New tables only: an indicator belongs to a plan and a key priority (optionally objectives), and holds one figure
a period (unique on indicator and period, so a re-import updates); indicator_setting is the plan's tolerance.

"""
from alembic import op
import sqlalchemy as sa

import scp_tracker.core.db_types


# revision identifiers, used by Alembic.
revision = '8ab60132edb7'
down_revision = 'dafc91d84e71'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicator_setting',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('tolerance_percent', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_indicator_setting_plan_id_plan')),
    sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_indicator_setting'))
    )
    op.create_table('indicator',
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key_priority_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('counted', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('better', sa.String(length=10), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_period', sa.String(length=10), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_change_percent', sa.Float(), nullable=True),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('provider_contact_id', sa.Integer(), nullable=True),
    sa.Column('provider_agency_id', sa.Integer(), nullable=True),
    sa.Column('tolerance_percent', sa.Float(), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['key_priority_id'], ['key_priority.id'], name=op.f('fk_indicator_key_priority_id_key_priority')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_indicator_plan_id_plan')),
    sa.ForeignKeyConstraint(['provider_agency_id'], ['agency.id'], name=op.f('fk_indicator_provider_agency_id_agency')),
    sa.ForeignKeyConstraint(['provider_contact_id'], ['contact.id'], name=op.f('fk_indicator_provider_contact_id_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('plan_id', 'name', name=op.f('uq_indicator_plan_id_name'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_key_priority_id'), ['key_priority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_provider_contact_id'), ['provider_contact_id'], unique=False)

    op.create_table('indicator_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('entered_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_figure_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_figure')),
    sa.UniqueConstraint('indicator_id', 'period', name=op.f('uq_indicator_figure_indicator_id_period'))
    )
    with op.batch_alter_table('indicator_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_figure_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('indicator_objective',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_objective_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_indicator_objective_objective_id_objective')),
    sa.PrimaryKeyConstraint('indicator_id', 'objective_id', name=op.f('pk_indicator_objective'))
    )
    with op.batch_alter_table('indicator_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_objective_objective_id'), ['objective_id'], unique=False)



def downgrade():
    with op.batch_alter_table('indicator_objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_objective_objective_id'))

    op.drop_table('indicator_objective')
    with op.batch_alter_table('indicator_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_figure_indicator_id'))

    op.drop_table('indicator_figure')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_provider_contact_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_plan_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_key_priority_id'))

    op.drop_table('indicator')
    op.drop_table('indicator_setting')
