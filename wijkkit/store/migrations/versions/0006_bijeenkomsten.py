"""A kenniskring evening in a room: bijeenkomsten, the priorities set there, what was looked at.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bijeenkomsten",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("titel", sa.String(200), nullable=False, server_default=""),
        sa.Column("gestart", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gestopt", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "prioriteiten",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bijeenkomst_id", sa.Integer, sa.ForeignKey("bijeenkomsten.id", ondelete="CASCADE"), nullable=True,
                  index=True),
        sa.Column("deelnemer", sa.String(64), nullable=False),
        sa.Column("gebied", sa.String(20), nullable=False),
        sa.Column("thema", sa.String(80), nullable=False),
        sa.Column("zin", sa.Text, nullable=False, server_default=""),
        sa.Column("pseudo_niveau", sa.String(10), nullable=False, server_default="licht"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("bijeenkomst_id", "deelnemer", "gebied", "thema"),
    )
    op.create_table(
        "bekeken",
        sa.Column("bijeenkomst_id", sa.Integer, sa.ForeignKey("bijeenkomsten.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("gebied", sa.String(20), primary_key=True),
        sa.Column("thema", sa.String(80), primary_key=True),
        sa.Column("aantal", sa.Integer, nullable=False, server_default="0"),
    )
    with op.batch_alter_table("duidingen") as batch:
        batch.add_column(sa.Column("bijeenkomst_id", sa.Integer, nullable=True))
        batch.create_index("ix_duidingen_bijeenkomst_id", ["bijeenkomst_id"])
        batch.create_foreign_key("fk_duidingen_bijeenkomst", "bijeenkomsten", ["bijeenkomst_id"], ["id"],
                                 ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("duidingen") as batch:
        batch.drop_constraint("fk_duidingen_bijeenkomst", type_="foreignkey")
        batch.drop_index("ix_duidingen_bijeenkomst_id")
        batch.drop_column("bijeenkomst_id")
    op.drop_table("bekeken")
    op.drop_table("prioriteiten")
    op.drop_table("bijeenkomsten")
