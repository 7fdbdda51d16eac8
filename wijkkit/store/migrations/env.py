"""Alembic environment: wijkkit passes its own connection in ``config.attributes``."""

from alembic import context

from wijkkit.store.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
