"""A suggestion's calibrated confidence (wijkkit.vertellen.zekerheid), beside the rules' own score.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("codings") as batch:
        batch.add_column(sa.Column("zekerheid", sa.Float, nullable=True))
        batch.add_column(sa.Column("valentie_zekerheid", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("codings") as batch:
        batch.drop_column("valentie_zekerheid")
        batch.drop_column("zekerheid")
