"""desa_window: when a desa can receive the bupati (weekday or date, with hours)

Revision ID: a4d6e2f81c09
Revises: 7c3f0a9e51d2
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4d6e2f81c09'
down_revision = '7c3f0a9e51d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('desa_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desa_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('start_min', sa.Integer(), nullable=False),
    sa.Column('end_min', sa.Integer(), nullable=False),
    sa.CheckConstraint('(weekday IS NULL) <> (day IS NULL)', name=op.f('ck_desa_window_weekday_or_day')),
    sa.CheckConstraint('end_min > start_min', name=op.f('ck_desa_window_ends_after_start')),
    sa.ForeignKeyConstraint(['desa_id'], ['desa.id'], name=op.f('fk_desa_window_desa_id_desa'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desa_window'))
    )
    with op.batch_alter_table('desa_window', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desa_window_desa_id'), ['desa_id'], unique=False)


def downgrade():
    with op.batch_alter_table('desa_window', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desa_window_desa_id'))
    op.drop_table('desa_window')
