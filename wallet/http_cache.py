"""Hosted mode's HTTP cache of issuer documents: the same rules as the embedded wallet's, kept in PostgreSQL.

:class:`DatabaseCache` is a CacheControl store (``get`` / ``set`` / ``delete`` of the entries
:mod:`verifier.fetch_cache` writes) over the table ``http_cache_entries``, shared by every app and worker
process; a :class:`~verifier.fetch.SafeFetcher` takes it as ``http_cache`` exactly as it takes the embedded
wallet's folder. So freshness, revalidation, ``no-store`` / ``private``, the cap of
:data:`~verifier.fetch_cache.MAX_FRESH_SECONDS`, the full-URL key, live redirects and "only 200/203" are
decided once, in verifier/fetch_cache.py; this module only keeps the bytes. Besides them each row records
when it was stored and until when it is fresh (read from the entry itself), for the worker's refresh list.

* a database problem never breaks a verification: a failed read is a miss, a failed write keeps nothing;
* an entry it cannot read is a miss (CacheControl's serializer then fetches the document again);
* writing prunes with the folder's bounds (``KEEP_SECONDS``, ``MAX_ENTRIES`` of verifier/fetch_cache.py):
  older rows and the oldest beyond the count are deleted in the same transaction.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from cachecontrol.cache import BaseCache
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert

from verifier import HTTP_CACHE_KEEP_SECONDS as KEEP_SECONDS
from verifier import HTTP_CACHE_MAX_ENTRIES as MAX_ENTRIES
from verifier import http_cache_entry_parts as entry_parts

from .sql_store import http_cache_entries_table, transaction
from .store import WalletError

_log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


class DatabaseCache(BaseCache):
    """CacheControl entries in the ``http_cache_entries`` table of the database at ``database_url``."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def get(self, key: str) -> bytes | None:
        t = http_cache_entries_table
        try:
            with transaction(self.database_url) as conn:
                value = conn.execute(select(t.c.value).where(t.c.key == key)).scalar()
        except WalletError as exc:
            _log.warning("shared cache unavailable: %s", exc)
            return None
        return bytes(value) if value is not None else None

    def set(self, key: str, value: bytes, expires: Any = None) -> None:
        t = http_cache_entries_table
        now = _now()
        parts = entry_parts(value)
        fresh_until = now + timedelta(seconds=parts[0]) if parts is not None else now
        values = {"value": value, "fresh_until": fresh_until, "stored_at": now}
        try:
            with transaction(self.database_url) as conn:
                conn.execute(insert(t).values(key=key, **values)
                             .on_conflict_do_update(index_elements=["key"], set_=values))
                conn.execute(delete(t).where(t.c.stored_at < now - timedelta(seconds=KEEP_SECONDS)))
                if conn.execute(select(func.count()).select_from(t)).scalar_one() > MAX_ENTRIES:
                    keep = select(t.c.key).order_by(t.c.stored_at.desc()).limit(MAX_ENTRIES)
                    conn.execute(delete(t).where(t.c.key.not_in(keep)))
        except WalletError as exc:
            _log.warning("shared cache unavailable: %s", exc)

    def delete(self, key: str) -> None:
        t = http_cache_entries_table
        try:
            with transaction(self.database_url) as conn:
                conn.execute(delete(t).where(t.c.key == key))
        except WalletError as exc:
            _log.warning("shared cache unavailable: %s", exc)


def stale_urls(database_url: str, now: datetime | None = None, limit: int = 500) -> list[str]:
    """Cached URLs that are no longer fresh, oldest first (the worker's refresh list)."""
    t = http_cache_entries_table
    with transaction(database_url) as conn:
        rows = conn.execute(select(t.c.key).where(t.c.fresh_until <= (now or _now()))
                            .order_by(t.c.stored_at).limit(limit))
        return [r.key for r in rows]


def cached_body(database_url: str, url: str) -> bytes | None:
    """The body kept for ``url`` (its cache key), or None when nothing readable is kept."""
    parts = entry_parts(DatabaseCache(database_url).get(url) or b"")
    return parts[1] if parts is not None else None


__all__ = ["DatabaseCache", "cached_body", "stale_urls"]
