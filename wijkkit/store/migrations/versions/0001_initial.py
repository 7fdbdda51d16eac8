"""Initial store: imports, stories, segments, codebook versions, codings, memos, originals.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bron", sa.String(500), nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("tekst", sa.Text, nullable=False),
        sa.Column("datum", sa.Date, nullable=True),
        sa.Column("gebied", sa.String(20), nullable=False, index=True),
        sa.Column("methode", sa.String(40), nullable=False),
        sa.Column("verteller_rol", sa.String(40), nullable=False),
        sa.Column("verzamelaar", sa.String(200), nullable=False),
        sa.Column("taal", sa.String(10), nullable=False),
        sa.Column("toestemming", sa.String(20), nullable=False),
        sa.Column("bron", sa.String(500), nullable=False),
        sa.Column("privacy", sa.JSON, nullable=False),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "segments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.String(200), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("nr", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("tekst", sa.Text, nullable=False),
        sa.UniqueConstraint("story_id", "nr"),
    )
    op.create_table(
        "codebook_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("inhoud", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "codings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.String(200), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("segment_id", sa.Integer, sa.ForeignKey("segments.id", ondelete="CASCADE"), nullable=True),
        sa.Column("thema", sa.String(80), nullable=False),
        sa.Column("valentie", sa.String(20), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("codeur", sa.String(200), nullable=False),
        sa.Column("start", sa.Integer, nullable=True),
        sa.Column("end", sa.Integer, nullable=True),
        sa.Column("bewijs", sa.Text, nullable=False),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("codebook_version_id", sa.Integer, sa.ForeignKey("codebook_versions.id"), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_codings_story_theme", "codings", ["story_id", "thema"])
    op.create_table(
        "memos",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("story_id", sa.String(200), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=True),
        sa.Column("thema", sa.String(80), nullable=True),
        sa.Column("codeur", sa.String(200), nullable=False),
        sa.Column("tekst", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "originals",
        sa.Column("story_id", sa.String(200), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("versleuteld", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    for table in ("originals", "memos", "codings", "codebook_versions", "segments", "stories", "imports"):
        op.drop_table(table)
