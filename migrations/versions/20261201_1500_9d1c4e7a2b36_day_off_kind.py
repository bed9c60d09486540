"""regency day off: kind (regency day off, national holiday, cuti bersama)

National holidays and cuti bersama of years that lokal-id does not cover yet are entered by the office as days off
of kind "nasional" / "cuti_bersama"; every existing row is a regency day off.

Revision ID: 9d1c4e7a2b36
Revises: 28fe706ca935
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d1c4e7a2b36'
down_revision = '28fe706ca935'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('regency_day_off', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='daerah', nullable=False))
        batch_op.create_check_constraint(op.f('ck_regency_day_off_kind_known'), "kind IN ('daerah', 'nasional', 'cuti_bersama')")


def downgrade():
    with op.batch_alter_table('regency_day_off', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_regency_day_off_kind_known'), type_='check')
        batch_op.drop_column('kind')
