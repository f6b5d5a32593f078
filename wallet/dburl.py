"""Which store a ``--db`` / ``$BADGE_WALLET_DB`` value names: a PostgreSQL URL or a wallet file."""
from __future__ import annotations


def is_database_url(value: str | None) -> bool:
    """True for a PostgreSQL address (``postgresql://…``, ``postgres://…``, ``postgresql+psycopg://…``)."""
    return bool(value) and str(value).strip().lower().startswith(("postgresql://", "postgres://", "postgresql+"))
