"""History of what team members changed or deleted, and of what they tried and were refused.

On a team server (PostgreSQL) the rows are written by triggers (``wijkkit.server.rollen``), never by a member:
who, when, which table, what the row was before and what it became. On SQLite the table stays empty.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "geschiedenis",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tabel", sa.String(80), nullable=False),
        sa.Column("actie", sa.String(40), nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("oud", sa.JSON, nullable=True),
        sa.Column("nieuw", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_geschiedenis_tabel", "geschiedenis", ["tabel"])


def downgrade() -> None:
    op.drop_index("ix_geschiedenis_tabel", "geschiedenis")
    op.drop_table("geschiedenis")
