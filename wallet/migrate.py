"""``python -m wallet --db URL migrate``: create or upgrade the PostgreSQL schema with Alembic.

The migrations ship inside the package (``wallet/migrations``), so an installed wheel can migrate.
App processes never change the schema themselves; they report a missing table as a sentence.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .sql_store import engine_for, transaction

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def current(url: str) -> str | None:
    """The schema revision the database is at (None: never migrated)."""
    with transaction(url) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(url: str) -> tuple[str | None, str]:
    """Upgrade the database to the newest revision; returns (revision before, revision now)."""
    before = current(url)
    cfg = _config()
    with transaction(url) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    engine_for(url).dispose()  # pooled connections may have cached the old catalog
    return before, current(url) or ""
