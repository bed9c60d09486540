"""travel: the plan's travel model, an OSRM matrix cache, measured pair travel times, learnt kecamatan speeds

Revision ID: c3e7a91f4b52
Revises: c5e8a1f3d604
Create Date: 2026-12-01 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e7a91f4b52'
down_revision = 'c5e8a1f3d604'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('travel_model', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('travel_overrides', sa.Integer(), nullable=True))
    op.create_table(
        'travel_matrix_cache',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('server', sa.String(length=300), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('minutes', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_matrix_cache')),
        sa.UniqueConstraint('key', name=op.f('uq_travel_matrix_cache_key')),
    )
    op.create_table(
        'travel_override',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('regency_id', sa.Integer(), nullable=False),
        sa.Column('from_desa_id', sa.Integer(), nullable=False),
        sa.Column('to_desa_id', sa.Integer(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('source_file', sa.String(length=200), nullable=True),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('minutes >= 0', name=op.f('ck_travel_override_minutes_non_negative')),
        sa.ForeignKeyConstraint(['regency_id'], ['regency.id'], name=op.f('fk_travel_override_regency_id_regency')),
        sa.ForeignKeyConstraint(['from_desa_id'], ['desa.id'], name=op.f('fk_travel_override_from_desa_id_desa'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['to_desa_id'], ['desa.id'], name=op.f('fk_travel_override_to_desa_id_desa'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['imported_by_id'], ['user.id'], name=op.f('fk_travel_override_imported_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_override')),
        sa.UniqueConstraint('regency_id', 'from_desa_id', 'to_desa_id',
                            name=op.f('uq_travel_override_regency_id_from_desa_id_to_desa_id')),
    )
    with op.batch_alter_table('travel_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_travel_override_regency_id'), ['regency_id'], unique=False)
    op.create_table(
        'kecamatan_travel',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kecamatan_id', sa.Integer(), nullable=False),
        sa.Column('speed_kmh', sa.Float(), nullable=False),
        sa.Column('legs', sa.Integer(), nullable=False),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('applied_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_kecamatan_travel_kecamatan_id_kecamatan'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['applied_by_id'], ['user.id'], name=op.f('fk_kecamatan_travel_applied_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kecamatan_travel')),
        sa.UniqueConstraint('kecamatan_id', name=op.f('uq_kecamatan_travel_kecamatan_id')),
    )


def downgrade():
    op.drop_table('kecamatan_travel')
    with op.batch_alter_table('travel_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_travel_override_regency_id'))
    op.drop_table('travel_override')
    op.drop_table('travel_matrix_cache')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('travel_overrides')
        batch_op.drop_column('travel_model')
