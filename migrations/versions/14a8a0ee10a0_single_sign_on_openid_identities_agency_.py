"""Single sign-on: OpenID identities, agency sign-in domains, agencies that require it

Revision ID: 14a8a0ee10a0
Revises: 48a1a2438b76


"""
from alembic import op
import sqlalchemy as sa

import scp_tracker.core.db_types


# revision identifiers, used by Alembic.
revision = '14a8a0ee10a0'
down_revision = '48a1a2438b76'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agency_sign_in_domain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('role', sa.String(length=20), server_default='viewer', nullable=False),
    sa.Column('created_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_agency_sign_in_domain_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_sign_in_domain')),
    sa.UniqueConstraint('domain', name=op.f('uq_agency_sign_in_domain_domain'))
    )
    with op.batch_alter_table('agency_sign_in_domain', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_sign_in_domain_agency_id'), ['agency_id'], unique=False)

    op.create_table('oidc_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('first_seen_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', scp_tracker.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_oidc_identity_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oidc_identity')),
    sa.UniqueConstraint('provider', 'subject', name=op.f('uq_oidc_identity_provider_subject')),
    sa.UniqueConstraint('user_id', 'provider', name=op.f('uq_oidc_identity_user_id_provider'))
    )
    with op.batch_alter_table('oidc_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oidc_identity_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requires_single_sign_on', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('requires_single_sign_on')

    with op.batch_alter_table('oidc_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oidc_identity_user_id'))

    op.drop_table('oidc_identity')
    with op.batch_alter_table('agency_sign_in_domain', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_sign_in_domain_agency_id'))

    op.drop_table('agency_sign_in_domain')
