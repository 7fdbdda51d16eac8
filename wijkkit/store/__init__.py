"""The project store: SQLAlchemy 2 over SQLite (default) or PostgreSQL, migrated with Alembic."""

from wijkkit.store.db import Store, open_store

__all__ = ["Store", "open_store"]
