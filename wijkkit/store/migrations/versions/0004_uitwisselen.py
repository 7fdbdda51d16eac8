"""Exchange with other QDA tools: further story metadata, note titles.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("kenmerken", sa.JSON, nullable=False, server_default="{}"))
    with op.batch_alter_table("memos") as batch:
        batch.add_column(sa.Column("titel", sa.String(300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("memos") as batch:
        batch.drop_column("titel")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("kenmerken")
