"""Issuer documents kept between verifications as their HTTP caching headers allow (CacheControl).

:func:`file_cache` gives the on-disk store a :class:`~verifier.fetch.SafeFetcher` takes as
``http_cache`` (the embedded wallet keeps one beside its file). The HTTP logic is CacheControl's
(freshness from ``max-age`` / ``Expires``, revalidation with ``If-None-Match`` / ``If-Modified-Since``
and 304, ``no-store``); :class:`BoundedFreshness` rewrites each answer's caching headers before it is
stored, so that no verdict rests on a copy older than its issuer allowed:

* ``no-store`` and ``private`` answers are never stored (the cache serves the wallet's owner and the
  visitors of its public pages alike, so it behaves as a shared cache), and a stored copy is dropped;
* ``no-cache`` answers are stored but stale at once: every use revalidates them with the issuer (a
  status list that says ``no-cache`` is asked again for every verification; a 304 costs no body);
* freshness is ``s-maxage`` / ``max-age`` less ``Age``, or ``Expires`` − ``Date``, and never more than
  :data:`MAX_FRESH_SECONDS`, counted from when *this* machine received the answer (the issuer's
  ``Date`` is replaced by the local time), so a wrong issuer clock cannot stretch it: a revocation is
  seen within minutes whatever the headers say;
* only 200 and 203 answers are stored: an error, a timeout, a redirect or a body cut short (too big,
  too slow) is never stored, so a failure lasts no longer than the verification that met it (the
  fetcher's own per-verification memo). Redirects are never cached, so every fetch walks them again
  live and the same-origin rules judge every hop afresh; a stored entry is the answer of the exact
  URL (query included) that served it;
* the SSRF guard vets every host before the cache is even consulted, offline mode fetches nothing,
  mirrored demo files never reach it;
* an unreadable or corrupt entry is treated as absent (the document is fetched again), never an error;
* the store stays bounded: writing deletes entries last stored more than :data:`KEEP_SECONDS` ago (long
  stale by then; until then a stale entry with a validator still saves a body by a 304) and the oldest
  beyond :data:`MAX_ENTRIES` (the folder is swept at most every :data:`PRUNE_EVERY_SECONDS`).

Where the bytes are kept is the only difference between the embedded wallet (:func:`file_cache`, a
folder) and hosted mode (``wallet.http_cache.DatabaseCache``, a PostgreSQL table): both hold the
entries CacheControl writes under these rules, and both prune with the same bounds.
"""
from __future__ import annotations

import calendar
import os
import time
from email.utils import formatdate, parsedate_tz
from pathlib import Path
from typing import IO, Any

import msgpack
from cachecontrol.cache import BaseCache
from cachecontrol.caches.file_cache import FileCache
from cachecontrol.heuristics import BaseHeuristic
from cachecontrol.serialize import Serializer
from requests import PreparedRequest
from urllib3 import HTTPResponse

MAX_FRESH_SECONDS = 600
CACHEABLE_STATUSES = (200, 203)
KEEP_SECONDS = 86400
MAX_ENTRIES = 5000
PRUNE_EVERY_SECONDS = 60
_ENTRY_PREFIX = b"cc=4,"  # CacheControl 0.14's entry format: this prefix, then msgpack


def _directives(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in value.split(","):
        name, _, arg = part.strip().partition("=")
        if name:
            out[name.strip().lower()] = arg.strip().strip('"')
    return out


def _seconds(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _http_time(value: str | None) -> int | None:
    parsed = parsedate_tz(value) if value else None
    return calendar.timegm(parsed[:6]) - (parsed[9] or 0) if parsed else None


def fresh_seconds(headers: Any) -> int | None:
    """How long an answer with these headers may be served without asking again: None when it must
    not be stored, 0 when it must be revalidated on every use, else at most :data:`MAX_FRESH_SECONDS`."""
    cc = _directives(headers.get("Cache-Control", ""))
    if {"no-store", "private"} & cc.keys():
        return None
    if "no-cache" in cc:
        return 0
    lifetime = _seconds(cc.get("s-maxage")) if "s-maxage" in cc else _seconds(cc.get("max-age"))
    if lifetime is None and (expires := headers.get("Expires")) is not None:
        until, date = _http_time(expires), _http_time(headers.get("Date"))
        lifetime = max(0, until - (date if date is not None else int(time.time()))) if until is not None else 0
    if lifetime is None:
        return 0
    return max(0, min(lifetime - (_seconds(headers.get("Age")) or 0), MAX_FRESH_SECONDS))


class BoundedFreshness(BaseHeuristic):
    """Rewrites an answer's caching headers into the one form CacheControl then obeys exactly:
    ``Cache-Control: no-store`` or ``max-age=N`` (see :func:`fresh_seconds`) with ``Date`` the local
    receipt time and no ``Expires``. A 304 carries only what it says (its headers refresh the stored
    copy's)."""

    def apply(self, response: HTTPResponse) -> HTTPResponse:
        headers = response.headers
        revalidated = response.status == 304
        if not revalidated or "Cache-Control" in headers or "Expires" in headers:
            seconds = fresh_seconds(headers)
            headers["Cache-Control"] = "no-store" if seconds is None else f"max-age={seconds}"
            headers.pop("Expires", None)
        headers.pop("Age", None)
        headers["Date"] = formatdate(usegmt=True)
        return response


def entry_parts(value: bytes) -> tuple[int, bytes] | None:
    """A stored entry's freshness (seconds from when it was stored, as :class:`BoundedFreshness` wrote
    it) and body; None when it cannot be read (then it is a miss anyway)."""
    if not value.startswith(_ENTRY_PREFIX):
        return None
    try:
        response = msgpack.loads(value[len(_ENTRY_PREFIX):], raw=False)["response"]
        headers = {str(k).lower(): str(v) for k, v in response["headers"].items()}
        body = bytes(response["body"])
    except Exception:  # noqa: BLE001 - damaged bytes: treated as absent
        return None
    return fresh_seconds({"Cache-Control": headers.get("cache-control", "")}) or 0, body


class TolerantSerializer(Serializer):
    """CacheControl's serializer, except that an entry it cannot read is absent, not an exception."""

    def loads(self, request: PreparedRequest, data: bytes,
              body_file: IO[bytes] | None = None) -> HTTPResponse | None:
        try:
            return super().loads(request, data, body_file)
        except Exception:  # noqa: BLE001 - a damaged cache file: fetch the document again
            return None


class SafeFileCache(FileCache):
    """CacheControl's file cache (atomic writes under a file lock, one file per URL) that treats a file
    it cannot read as a miss."""

    def get(self, key: str) -> bytes | None:
        try:
            return super().get(key)
        except (OSError, ValueError):
            return None

    def set(self, key: str, value: bytes, expires: Any = None) -> None:
        try:
            super().set(key, value, expires)
            self.prune()
        except OSError:
            pass  # a full or read-only disk: the document is simply not kept

    def prune(self, force: bool = False) -> int:
        """Delete entries stored more than :data:`KEEP_SECONDS` ago and the oldest beyond
        :data:`MAX_ENTRIES` (with their lock files); at most once per :data:`PRUNE_EVERY_SECONDS`
        unless ``force``. Returns how many entries were deleted."""
        root = Path(self.directory)
        marker, now = root / ".pruned", time.time()
        try:
            if not force and now - marker.stat().st_mtime < PRUNE_EVERY_SECONDS:
                return 0
        except FileNotFoundError:
            pass
        marker.touch()
        entries: list[tuple[float, Path]] = []
        for folder, _, names in os.walk(root):
            for name in names:
                path = Path(folder, name)
                if path == marker or name.endswith(".lock"):
                    continue
                try:
                    entries.append((path.stat().st_mtime, path))
                except OSError:
                    continue
        entries.sort(reverse=True)  # newest first
        doomed = [p for i, (mtime, p) in enumerate(entries) if i >= MAX_ENTRIES or now - mtime > KEEP_SECONDS]
        for path in doomed:
            for victim in (path, path.with_name(path.name + ".lock")):
                try:
                    victim.unlink()
                except OSError:
                    pass
            for parent in path.parents:  # the hash folders left empty
                if parent == root:
                    break
                try:
                    parent.rmdir()
                except OSError:
                    break
        return len(doomed)

    def delete(self, key: str) -> None:
        try:
            super().delete(key)
        except OSError:
            pass


def file_cache(directory: str | Path) -> BaseCache:
    """The on-disk store of cached answers in ``directory`` (created when first written)."""
    return SafeFileCache(str(directory))
