"""Reporting rounds, what each board saw, the one link of a reminder email, funding requests, a plan's agreement

Revision ID: 48a1a2438b76
Revises: a7c3d9e5f102
Create Date: 2026-12-04 23:08:37.532829

"""
import sqlalchemy as sa
from alembic import op

import scp_tracker.core.db_types


# revision identifiers, used by Alembic.
revision = '48a1a2438b76'
down_revision = 'a7c3d9e5f102'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reporting_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('closed_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_reporting_round_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_round')),
    sa.UniqueConstraint('plan_id', 'deadline', name=op.f('uq_reporting_round_plan_id_deadline'))
    )
    with op.batch_alter_table('reporting_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_round_plan_id'), ['plan_id'], unique=False)

    op.create_table('lead_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_lead_link_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['reporting_round.id'], name=op.f('fk_lead_link_round_id_reporting_round'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_lead_link_token_hash'))
    )
    with op.batch_alter_table('lead_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_link_contact_id'), ['contact_id'], unique=False)

    op.create_table('round_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('rag', sa.String(length=10), nullable=True),
    sa.Column('progress_text', sa.Text(), nullable=False),
    sa.Column('progress_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_in_round', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_round_snapshot_objective_id_objective'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['reporting_round.id'], name=op.f('fk_round_snapshot_round_id_reporting_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_snapshot')),
    sa.UniqueConstraint('round_id', 'objective_id', name=op.f('uq_round_snapshot_round_id_objective_id'))
    )
    with op.batch_alter_table('round_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_snapshot_objective_id'), ['objective_id'], unique=False)

    with op.batch_alter_table('key_priority', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))

    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('agreed_at_meeting', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('archived_on', sa.Date(), nullable=True))

    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_funding', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('funding_request_status', sa.String(length=20), nullable=True))



def downgrade():
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_column('funding_request_status')
        batch_op.drop_column('requested_funding')

    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('archived_on')
        batch_op.drop_column('agreed_at_meeting')
        batch_op.drop_column('agreed_on')

    with op.batch_alter_table('key_priority', schema=None) as batch_op:
        batch_op.drop_column('retired_on')

    with op.batch_alter_table('round_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_snapshot_objective_id'))

    op.drop_table('round_snapshot')
    with op.batch_alter_table('lead_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_link_contact_id'))

    op.drop_table('lead_link')
    with op.batch_alter_table('reporting_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_round_plan_id'))

    op.drop_table('reporting_round')
