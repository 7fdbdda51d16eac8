"""Kenniskring: the duiding notes of a circle per gebied and theme.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duidingen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("gebied", sa.String(20), nullable=False, index=True),
        sa.Column("thema", sa.String(80), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("wat_zien_we", sa.Text, nullable=False),
        sa.Column("verklaring", sa.Text, nullable=False),
        sa.Column("wat_willen_we", sa.Text, nullable=False),
        sa.Column("aanwezigen", sa.JSON, nullable=False),
        sa.Column("ingevoerd_door", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("duidingen")
