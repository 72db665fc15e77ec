"""Several roles per login (user_role), the key priority lead role among them; each login keeps the role it had

Revision ID: dafc91d84e71
Revises: 9f7af7626e32
Create Date: 2026-12-05 02:18:33.085447

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'dafc91d84e71'
down_revision = '9f7af7626e32'
branch_labels = None
depends_on = None

# On the way down a login keeps one role: the one that allows most (a key priority lead becomes a lead).
DOWNGRADE_ORDER = ("coordinator", "lead", "key_priority_lead", "partner", "viewer")


def upgrade():
    op.create_table('user_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('key_priority_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['key_priority_id'], ['key_priority.id'], name=op.f('fk_user_role_key_priority_id_key_priority'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_role_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_role')),
    sa.UniqueConstraint('user_id', 'role', 'key_priority_id', name=op.f('uq_user_role_user_id_role_key_priority_id'))
    )
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_role_key_priority_id'), ['key_priority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_role_user_id'), ['user_id'], unique=False)

    # Every login keeps the one role it had, now as its first row of user_role.
    op.execute("INSERT INTO user_role (user_id, role) SELECT id, role FROM user_account ORDER BY id")

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('role')


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), server_default='viewer', nullable=False))

    rank = " ".join(f"WHEN '{role}' THEN {n}" for n, role in enumerate(DOWNGRADE_ORDER))
    op.execute(f"""
        UPDATE user_account SET role = COALESCE((
            SELECT CASE ur.role WHEN 'key_priority_lead' THEN 'lead' ELSE ur.role END FROM user_role ur
            WHERE ur.user_id = user_account.id ORDER BY CASE ur.role {rank} ELSE 99 END LIMIT 1), 'viewer')
    """)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('role', server_default=None)

    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_role_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_role_key_priority_id'))

    op.drop_table('user_role')
