"""Alembic environment: runs on the connection handed over by :func:`wallet.migrate.migrate`.

An advisory lock serialises concurrent ``migrate`` runs (two app hosts starting at once).
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import text

from wallet.sql_store import metadata

connection = context.config.attributes["connection"]
connection.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('badge-wallet-migrate', 0))"))
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
