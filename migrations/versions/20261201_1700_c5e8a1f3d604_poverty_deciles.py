"""poverty deciles: imports of households by welfare decile, plan poverty provenance

Revision ID: c5e8a1f3d604
Revises: b81e3c5d2f70
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e8a1f3d604'
down_revision = 'b81e3c5d2f70'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('poverty_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regency_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('row_count >= 0', name=op.f('ck_poverty_import_row_count_non_negative')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user.id'], name=op.f('fk_poverty_import_imported_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['regency_id'], ['regency.id'], name=op.f('fk_poverty_import_regency_id_regency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poverty_import'))
    )
    with op.batch_alter_table('poverty_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poverty_import_regency_id'), ['regency_id'], unique=False)

    op.create_table('poverty_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('desa_id', sa.Integer(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('desil_1', sa.Integer(), nullable=False),
    sa.Column('desil_2', sa.Integer(), nullable=False),
    sa.Column('desil_3', sa.Integer(), nullable=False),
    sa.Column('desil_4', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.CheckConstraint('desil_1 + desil_2 + desil_3 + desil_4 <= households', name=op.f('ck_poverty_figure_deciles_within_households')),
    sa.CheckConstraint('households >= 0 AND desil_1 >= 0 AND desil_2 >= 0 AND desil_3 >= 0 AND desil_4 >= 0', name=op.f('ck_poverty_figure_counts_non_negative')),
    sa.ForeignKeyConstraint(['desa_id'], ['desa.id'], name=op.f('fk_poverty_figure_desa_id_desa'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['poverty_import.id'], name=op.f('fk_poverty_figure_import_id_poverty_import'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poverty_figure')),
    sa.UniqueConstraint('import_id', 'desa_id', name=op.f('uq_poverty_figure_import_id_desa_id'))
    )
    with op.batch_alter_table('poverty_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poverty_figure_current'), ['current'], unique=False)
        batch_op.create_index(batch_op.f('ix_poverty_figure_desa_id'), ['desa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poverty_figure_import_id'), ['import_id'], unique=False)
        batch_op.create_index('uq_poverty_figure_current_desa', ['desa_id'], unique=True,
                              sqlite_where=sa.text('current'), postgresql_where=sa.text('current'))

    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('poverty_data', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('poverty_data')

    with op.batch_alter_table('poverty_figure', schema=None) as batch_op:
        batch_op.drop_index('uq_poverty_figure_current_desa')
        batch_op.drop_index(batch_op.f('ix_poverty_figure_import_id'))
        batch_op.drop_index(batch_op.f('ix_poverty_figure_desa_id'))
        batch_op.drop_index(batch_op.f('ix_poverty_figure_current'))

    op.drop_table('poverty_figure')
    with op.batch_alter_table('poverty_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poverty_import_regency_id'))

    op.drop_table('poverty_import')
