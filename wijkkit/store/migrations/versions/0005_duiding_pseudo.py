"""Duidingen remember how thoroughly their texts were pseudonymised.

A dashboard kernel uses the light pseudonymiser (patterns and name lists, 90 MB); the full
one (with deduce, about 1 GB) passes later, once per server. ``licht`` marks the notes
still waiting for that pass; notes written before this column existed are marked too.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("duidingen") as batch:
        batch.add_column(sa.Column("pseudo_niveau", sa.String(10), nullable=False, server_default="licht"))


def downgrade() -> None:
    with op.batch_alter_table("duidingen") as batch:
        batch.drop_column("pseudo_niveau")
