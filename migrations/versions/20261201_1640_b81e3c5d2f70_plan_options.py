"""plan.options: per-plan weekdays, must-visit and exclude lists, keep published visits

Revision ID: b81e3c5d2f70
Revises: a4d6e2f81c09
Create Date: 2026-12-01 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b81e3c5d2f70'
down_revision = 'a4d6e2f81c09'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('options', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('options')
