"""Initial schema: plans, people, documents, mail, reminders, events, operations

Revision ID: 67f9f8bedb71
Revises: 
Create Date: 2026-11-27 18:42:17.827479

"""
from alembic import op
import sqlalchemy as sa

import scp_tracker.core.db_types


# revision identifiers, used by Alembic.
revision = '67f9f8bedb71'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('abbreviation', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('abbreviation', name=op.f('uq_agency_abbreviation'))
    )
    op.create_table('glossary_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('abbreviation', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_term')),
    sa.UniqueConstraint('abbreviation', name=op.f('uq_glossary_term_abbreviation'))
    )
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=400), nullable=False),
    sa.Column('attempted_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempt_attempted_at'), ['attempted_at'], unique=False)
        batch_op.create_index('ix_login_attempt_key_attempted_at', ['key', 'attempted_at'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('reply_to', sa.String(length=320), nullable=True),
    sa.Column('message_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('queued_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failed_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')", name=op.f('ck_outbox_message_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_message_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_outbox_message_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)

    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('prepared_by', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('source_filename', sa.String(length=300), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('year', name=op.f('uq_plan_year'))
    )
    op.create_table('scheduler_heartbeat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_key', sa.String(length=300), nullable=False),
    sa.Column('hostname', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_beat_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduler_heartbeat')),
    sa.UniqueConstraint('process_key', name=op.f('uq_scheduler_heartbeat_process_key'))
    )
    with op.batch_alter_table('scheduler_heartbeat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduler_heartbeat_last_beat_at'), ['last_beat_at'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('receives_reminders', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('reminders_paused_until', sa.Date(), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_contact_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact')),
    sa.UniqueConstraint('email', name=op.f('uq_contact_email'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_agency_id'), ['agency_id'], unique=False)

    op.create_table('key_priority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('lead_text', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_key_priority_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_priority')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_key_priority_plan_id_number'))
    )
    with op.batch_alter_table('key_priority', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_priority_plan_id'), ['plan_id'], unique=False)

    op.create_table('priority_list_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('list_name', sa.String(length=10), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_priority_list_item_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_list_item')),
    sa.UniqueConstraint('plan_id', 'list_name', 'number', name=op.f('uq_priority_list_item_plan_id_list_name_number'))
    )
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_calendar_feed_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_contact_id'), ['contact_id'], unique=False)

    op.create_table('contact_preference',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('opted_out_kinds', sa.JSON(), nullable=False),
    sa.Column('updated_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_contact_preference_contact_id_contact'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_contact_preference'))
    )
    op.create_table('key_priority_lead',
    sa.Column('key_priority_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_key_priority_lead_agency_id_agency')),
    sa.ForeignKeyConstraint(['key_priority_id'], ['key_priority.id'], name=op.f('fk_key_priority_lead_key_priority_id_key_priority')),
    sa.PrimaryKeyConstraint('key_priority_id', 'agency_id', name=op.f('pk_key_priority_lead'))
    )
    op.create_table('objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_priority_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_html', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('rag', sa.String(length=10), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('end_date_text', sa.String(length=100), nullable=False),
    sa.Column('end_date_status', sa.String(length=10), nullable=False),
    sa.Column('lead_status', sa.String(length=10), nullable=False),
    sa.Column('lead_text', sa.String(length=300), nullable=False),
    sa.Column('police_scope', sa.String(length=10), nullable=False),
    sa.Column('police_numbers', sa.JSON(), nullable=False),
    sa.Column('police_text', sa.String(length=100), nullable=False),
    sa.Column('pcc_scope', sa.String(length=10), nullable=False),
    sa.Column('pcc_numbers', sa.JSON(), nullable=False),
    sa.Column('pcc_text', sa.String(length=100), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('carried_from_id', sa.Integer(), nullable=True),
    sa.Column('last_progress_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['carried_from_id'], ['objective.id'], name=op.f('fk_objective_carried_from_id_objective')),
    sa.ForeignKeyConstraint(['key_priority_id'], ['key_priority.id'], name=op.f('fk_objective_key_priority_id_key_priority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective'))
    )
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_key_priority_id'), ['key_priority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_last_progress_at'), ['last_progress_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_status'), ['status'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_user_account_contact_id_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('contact_id', name=op.f('uq_user_account_contact_id')),
    sa.UniqueConstraint('session_token', name=op.f('uq_user_account_session_token'))
    )
    op.create_table('change_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('changed_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_contact_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_contact_id'], ['contact.id'], name=op.f('fk_change_record_actor_contact_id_contact')),
    sa.ForeignKeyConstraint(['actor_user_id'], ['user_account.id'], name=op.f('fk_change_record_actor_user_id_user_account')),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_change_record_objective_id_objective')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_record'))
    )
    with op.batch_alter_table('change_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_record_objective_id'), ['objective_id'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('organising_agency_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=300), nullable=False),
    sa.Column('attendance', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('evaluation', sa.Text(), nullable=False),
    sa.Column('cost_pence', sa.BigInteger(), nullable=True),
    sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('attendance IS NULL OR attendance >= 0', name=op.f('ck_event_attendance_not_negative')),
    sa.CheckConstraint('cost_pence IS NULL OR cost_pence >= 0', name=op.f('ck_event_cost_not_negative')),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_event_ends_after_start')),
    sa.ForeignKeyConstraint(['organising_agency_id'], ['agency.id'], name=op.f('fk_event_organising_agency_id_agency')),
    sa.ForeignKeyConstraint(['recorded_by_user_id'], ['user_account.id'], name=op.f('fk_event_recorded_by_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organising_agency_id'), ['organising_agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_status'), ['status'], unique=False)

    op.create_table('funding_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('pot', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_funding_line_objective_id_objective')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_line'))
    )
    with op.batch_alter_table('funding_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_line_objective_id'), ['objective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_line_status'), ['status'], unique=False)

    op.create_table('objective_contact',
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_objective_contact_contact_id_contact')),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_objective_contact_objective_id_objective')),
    sa.PrimaryKeyConstraint('objective_id', 'contact_id', name=op.f('pk_objective_contact'))
    )
    with op.batch_alter_table('objective_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_contact_contact_id'), ['contact_id'], unique=False)

    op.create_table('objective_lead',
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_objective_lead_agency_id_agency')),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_objective_lead_objective_id_objective')),
    sa.PrimaryKeyConstraint('objective_id', 'agency_id', name=op.f('pk_objective_lead'))
    )
    with op.batch_alter_table('objective_lead', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_lead_agency_id'), ['agency_id'], unique=False)

    op.create_table('password_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_password_token_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_token_token_hash'))
    )
    with op.batch_alter_table('password_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_token_user_id'), ['user_id'], unique=False)

    op.create_table('progress_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('rag', sa.String(length=10), nullable=True),
    sa.Column('recorded_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('author_contact_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('marked_complete', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('requested_end_date', sa.Date(), nullable=True),
    sa.Column('end_date_request_status', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['author_contact_id'], ['contact.id'], name=op.f('fk_progress_update_author_contact_id_contact')),
    sa.ForeignKeyConstraint(['author_user_id'], ['user_account.id'], name=op.f('fk_progress_update_author_user_id_user_account')),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_progress_update_objective_id_objective')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_update'))
    )
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.create_index('ix_progress_update_objective_recorded', ['objective_id', 'recorded_at'], unique=False)

    op.create_table('reminder_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('stage_or_period', sa.String(length=40), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('outbox_key', sa.String(length=300), nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_reminder_record_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_reminder_record_objective_id_objective'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_record')),
    sa.UniqueConstraint('objective_id', 'kind', 'stage_or_period', 'contact_id', name=op.f('uq_reminder_record_objective_id_kind_stage_or_period_contact_id'))
    )
    with op.batch_alter_table('reminder_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_record_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_reminder_record_objective_sent_on', ['objective_id', 'sent_on'], unique=False)

    op.create_table('reminder_setting',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_user_id'], ['user_account.id'], name=op.f('fk_reminder_setting_updated_by_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_reminder_setting'))
    )
    op.create_table('update_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_update_token_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_update_token_objective_id_objective'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_update_token_token_hash'))
    )
    with op.batch_alter_table('update_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_token_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_update_token_objective_id'), ['objective_id'], unique=False)

    op.create_table('event_objective',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_objective_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_event_objective_objective_id_objective')),
    sa.PrimaryKeyConstraint('event_id', 'objective_id', name=op.f('pk_event_objective'))
    )
    with op.batch_alter_table('event_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_objective_objective_id'), ['objective_id'], unique=False)

    op.create_table('event_partner',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_event_partner_agency_id_agency')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_partner_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'agency_id', name=op.f('pk_event_partner'))
    )
    with op.batch_alter_table('event_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_partner_agency_id'), ['agency_id'], unique=False)



def downgrade():
    with op.batch_alter_table('event_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_partner_agency_id'))

    op.drop_table('event_partner')
    with op.batch_alter_table('event_objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_objective_objective_id'))

    op.drop_table('event_objective')
    with op.batch_alter_table('update_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_update_token_objective_id'))
        batch_op.drop_index(batch_op.f('ix_update_token_contact_id'))

    op.drop_table('update_token')
    op.drop_table('reminder_setting')
    with op.batch_alter_table('reminder_record', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_record_objective_sent_on')
        batch_op.drop_index(batch_op.f('ix_reminder_record_contact_id'))

    op.drop_table('reminder_record')
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_update_objective_recorded')

    op.drop_table('progress_update')
    with op.batch_alter_table('password_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_token_user_id'))

    op.drop_table('password_token')
    with op.batch_alter_table('objective_lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_lead_agency_id'))

    op.drop_table('objective_lead')
    with op.batch_alter_table('objective_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_contact_contact_id'))

    op.drop_table('objective_contact')
    with op.batch_alter_table('funding_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_line_status'))
        batch_op.drop_index(batch_op.f('ix_funding_line_objective_id'))

    op.drop_table('funding_line')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_status'))
        batch_op.drop_index(batch_op.f('ix_event_starts_on'))
        batch_op.drop_index(batch_op.f('ix_event_organising_agency_id'))

    op.drop_table('event')
    with op.batch_alter_table('change_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_record_objective_id'))

    op.drop_table('change_record')
    op.drop_table('user_account')
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_status'))
        batch_op.drop_index(batch_op.f('ix_objective_last_progress_at'))
        batch_op.drop_index(batch_op.f('ix_objective_key_priority_id'))
        batch_op.drop_index(batch_op.f('ix_objective_end_date'))

    op.drop_table('objective')
    op.drop_table('key_priority_lead')
    op.drop_table('contact_preference')
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_contact_id'))

    op.drop_table('calendar_feed')
    op.drop_table('priority_list_item')
    with op.batch_alter_table('key_priority', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_priority_plan_id'))

    op.drop_table('key_priority')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_agency_id'))

    op.drop_table('contact')
    with op.batch_alter_table('scheduler_heartbeat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduler_heartbeat_last_beat_at'))

    op.drop_table('scheduler_heartbeat')
    op.drop_table('plan')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_status_next_attempt_at')
        batch_op.drop_index('ix_outbox_message_created_at')

    op.drop_table('outbox_message')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_key_attempted_at')
        batch_op.drop_index(batch_op.f('ix_login_attempt_attempted_at'))

    op.drop_table('login_attempt')
    op.drop_table('glossary_term')
    op.drop_table('agency')
