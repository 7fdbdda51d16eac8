"""The straatschouw: one row per submission (wijkkit.kijken).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schouwpunten",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("gebied", sa.String(20), nullable=False, index=True),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("rol", sa.String(40), nullable=False, server_default=""),
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("opmerking", sa.Text, nullable=False, server_default=""),
        sa.Column("thema", sa.String(80), nullable=False, server_default=""),
        sa.Column("foto", sa.String(300), nullable=False, server_default=""),
        sa.Column("toestemming", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("bron", sa.String(500), nullable=False, server_default=""),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("schouwpunten")
