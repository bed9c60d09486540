"""planning_settings: flexible lunch break and a version counter

Revision ID: 7c3f0a9e51d2
Revises: 5e2b8c1d9a47
Create Date: 2026-12-01 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3f0a9e51d2'
down_revision = '5e2b8c1d9a47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('planning_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lunch_start_min', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('lunch_end_min', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('lunch_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('planning_settings', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('lunch_minutes')
        batch_op.drop_column('lunch_end_min')
        batch_op.drop_column('lunch_start_min')
