"""Coding workbench: decisions point at the suggestion they answer; assignments; finished stories.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("codings") as batch:  # SQLite cannot add a foreign key in place
        batch.add_column(sa.Column("suggestie_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_codings_suggestie", "codings", ["suggestie_id"], ["id"], ondelete="SET NULL")
    op.create_table(
        "toewijzingen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.String(200), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("codeur", sa.String(200), nullable=False, index=True),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("story_id", "codeur"),
    )
    op.create_table(
        "afgerond",
        sa.Column("story_id", sa.String(200), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("codeur", sa.String(200), primary_key=True),
        sa.Column("created_at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("afgerond")
    op.drop_table("toewijzingen")
    with op.batch_alter_table("codings") as batch:
        batch.drop_constraint("fk_codings_suggestie", type_="foreignkey")
        batch.drop_column("suggestie_id")
