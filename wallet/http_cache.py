"""Issuer documents and status lists cached in PostgreSQL, shared by every app and worker process.

:class:`CachingFetcher` is the verifier's :class:`~verifier.fetch.SafeFetcher` with a database
cache in front (table ``http_cache``). Decisions, so no verdict is more certain than its inputs:

* only successful answers are stored, with their caching headers; an error is never cached;
* a stored answer is served only while fresh: ``s-maxage`` / ``max-age`` (less ``Age``) or
  ``Expires`` − ``Date``, capped at :data:`MAX_FRESH_SECONDS` so a revocation is seen within the
  hour whatever the issuer says; ``no-store``, ``no-cache`` and ``private`` answers are not shared;
* an answer without freshness information is stored (so the worker can refresh it) but never
  served from the cache;
* the SSRF guard still decides every network fetch (the cache only holds what it allowed), and
  mirrored demo files and offline mode bypass the cache;
* a database problem never breaks a verification: the fetcher then simply goes to the network.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from verifier import FetchResult, SafeFetcher

from .sql_store import http_cache_table, transaction
from .store import WalletError

MAX_FRESH_SECONDS = 3600
DEFAULT_ACCEPT = "application/ld+json, application/json;q=0.9, */*;q=0.1"
_log = logging.getLogger(__name__)


def _directives(cache_control: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        if name:
            out[name.strip().lower()] = value.strip().strip('"')
    return out


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _seconds(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def fresh_until(headers: Mapping[str, str], now: datetime) -> datetime | None:
    """Until when an answer with these headers may be served from the shared cache.

    Returns None when it must not be stored at all, ``now`` when it may be stored but not served.
    """
    cc = _directives(headers.get("Cache-Control", ""))
    if {"no-store", "no-cache", "private"} & cc.keys():
        return None
    age = _seconds(headers.get("Age")) or 0
    lifetime = _seconds(cc.get("s-maxage")) if "s-maxage" in cc else _seconds(cc.get("max-age"))
    if lifetime is None:
        expires, date = _http_date(headers.get("Expires")), _http_date(headers.get("Date"))
        if expires is not None:
            lifetime = int((expires - (date or now)).total_seconds())
    if lifetime is None or lifetime - age <= 0:
        return now
    return now + timedelta(seconds=min(lifetime - age, MAX_FRESH_SECONDS))


@dataclass
class CachedDocument:
    url: str
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]
    fresh_until: datetime | None
    fetched_at: datetime


def load(database_url: str, url: str) -> CachedDocument | None:
    t = http_cache_table
    with transaction(database_url) as conn:
        row = conn.execute(select(t).where(t.c.url == url)).first()
    if row is None:
        return None
    headers = {k: v for k, v in (("ETag", row.etag), ("Last-Modified", row.last_modified),
                                 ("Cache-Control", row.cache_control)) if v}
    return CachedDocument(row.url, row.status, row.content_type or "", row.body, headers, row.fresh_until,
                          row.fetched_at)


def save(database_url: str, result: FetchResult, now: datetime) -> bool:
    """Store a successful answer (True) unless its headers forbid a shared cache."""
    until = fresh_until(result.headers, now)
    if not result.ok or until is None:
        return False
    values = {"status": result.status, "content_type": result.content_type, "body": result.content,
              "etag": result.headers.get("ETag"), "last_modified": result.headers.get("Last-Modified"),
              "cache_control": result.headers.get("Cache-Control"), "fresh_until": until, "fetched_at": now}
    stmt = insert(http_cache_table).values(url=result.url, **values)
    with transaction(database_url) as conn:
        conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_=values))
    return True


def stale_urls(database_url: str, now: datetime, limit: int = 500) -> list[str]:
    """Cached URLs that are no longer fresh, oldest first (the worker's refresh list)."""
    t = http_cache_table
    with transaction(database_url) as conn:
        rows = conn.execute(select(t.c.url).where((t.c.fresh_until.is_(None)) | (t.c.fresh_until <= now))
                            .order_by(t.c.fetched_at).limit(limit))
        return [r.url for r in rows]


@dataclass
class CachingFetcher(SafeFetcher):
    """A :class:`SafeFetcher` with the shared database cache in front (see the module docstring).

    Reads hook into the fetcher's own cache lookup (``use_cache=False`` skips the database too);
    only answers fetched from the network without any redirect are shared, so a cached copy can
    never hide a redirect that the same-origin rule would have refused.
    """

    database_url: str = ""
    clock: object = None  # a callable returning "now" (tests); default: the real time

    def _now(self) -> datetime:
        return self.clock() if callable(self.clock) else datetime.now(UTC)

    def _shared_cache_applies(self, url: str) -> bool:
        return bool(self.database_url) and not self.offline and not any(url.startswith(p) for p in self.mirrors)

    def _fetch(self, url: str, accept: str, use_cache: bool, same_origin: bool) -> FetchResult:
        if use_cache and url not in self._cache and self._shared_cache_applies(url):
            try:
                cached = load(self.database_url, url)
            except WalletError as exc:
                _log.warning("shared cache unavailable: %s", exc)
                cached = None
            if cached is not None and cached.fresh_until is not None and cached.fresh_until > self._now():
                result = FetchResult(url=url, status=cached.status, content=cached.body,
                                     content_type=cached.content_type, final_url=url, headers=cached.headers)
                self._cache[url] = result
                return result
        return super()._fetch(url, accept, use_cache, same_origin)

    def _get(self, url: str, accept: str, same_origin: bool = False) -> FetchResult:
        result = super()._get(url, accept, same_origin)
        if result.ok and not result.redirects and self._shared_cache_applies(url):
            try:
                save(self.database_url, result, self._now())
            except WalletError as exc:
                _log.warning("shared cache unavailable: %s", exc)
        return result
