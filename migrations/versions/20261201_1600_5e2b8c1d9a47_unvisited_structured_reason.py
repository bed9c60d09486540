"""plan_unvisited: structured parameters of the reason (best day, position, added minutes)

The optimizer returns structured reasons; the page turns them into Indonesian sentences instead of showing the
optimizer's English detail.

Revision ID: 5e2b8c1d9a47
Revises: 9d1c4e7a2b36
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2b8c1d9a47'
down_revision = '9d1c4e7a2b36'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_unvisited', schema=None) as batch_op:
        batch_op.add_column(sa.Column('best_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('best_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_min', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('plan_unvisited', schema=None) as batch_op:
        batch_op.drop_column('added_min')
        batch_op.drop_column('best_position')
        batch_op.drop_column('best_day')
