"""The short-lived cache of public-page check results, shared between views and processes.

Kept apart from the wallet itself: a public page never writes the owner's wallet (a public-only
instance opens it read-only), but it may remember for a couple of minutes what the issuer answered,
so that ten recruiters opening one link do not cost ten rounds of checks.

* :class:`FileCheckCache` — one small JSON file beside the wallet file (``wallet.json.checks.json``),
  written atomically under a file lock, so every app process on that wallet shares it;
* :class:`wallet.sql_store.SQLCheckCache` — a table of the hosted database, shared by every app process;
* :class:`MemoryCheckCache` — per process (tests, stores with neither).

A key is the entry's id *and* the SHA-256 of its file, so a replaced file never reuses an old result.
The cache is disposable: an unreadable, damaged or unwritable file is treated as empty and never
raises — the page then just checks again.
"""
from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock, Timeout

from verifier import parse_datetime

from .store import atomic_write

MAX_ITEMS = 2000  # oldest results are dropped beyond this
LOCK_SECONDS = 2.0


class CheckCache(Protocol):
    def get(self, key: str) -> tuple[datetime, dict[str, Any]] | None:
        """(when checked, report dict) or None."""
        ...

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[datetime, dict[str, Any]]]:
        """The cached results of ``keys`` that exist (one read for a whole page)."""
        ...

    def put(self, items: Mapping[str, tuple[datetime, dict[str, Any]]]) -> None: ...


def cache_key(entry_id: str, sha256: str) -> str:
    return f"{entry_id}:{sha256}"


def _trim(data: dict[str, Any]) -> dict[str, Any]:
    if len(data) <= MAX_ITEMS:
        return data
    newest = sorted(data.items(), key=lambda kv: str(kv[1].get("at", "")), reverse=True)[:MAX_ITEMS]
    return dict(newest)


class MemoryCheckCache:
    def __init__(self) -> None:
        self._data: dict[str, tuple[datetime, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[datetime, dict[str, Any]] | None:
        with self._lock:
            return self._data.get(key)

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[datetime, dict[str, Any]]]:
        with self._lock:
            return {k: self._data[k] for k in keys if k in self._data}

    def put(self, items: Mapping[str, tuple[datetime, dict[str, Any]]]) -> None:
        with self._lock:
            self._data.update(items)
            if len(self._data) > MAX_ITEMS:
                for key in sorted(self._data, key=lambda k: self._data[k][0])[: len(self._data) - MAX_ITEMS]:
                    del self._data[key]


class FileCheckCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = FileLock(str(self.path) + ".lock")

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_bytes().decode("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> tuple[datetime, dict[str, Any]] | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[datetime, dict[str, Any]]]:
        data = self._read()
        out = {}
        for key in keys:
            item = data.get(key)
            if isinstance(item, dict) and isinstance(item.get("report"), dict):
                at = parse_datetime(item.get("at"))
                if at is not None:
                    out[key] = (at, item["report"])
        return out

    def put(self, items: Mapping[str, tuple[datetime, dict[str, Any]]]) -> None:
        if not items:
            return
        with contextlib.suppress(OSError, Timeout):
            with self._lock.acquire(timeout=LOCK_SECONDS):
                data = self._read()
                data.update({k: {"at": at.isoformat(), "report": report} for k, (at, report) in items.items()})
                atomic_write(self.path, json.dumps(_trim(data), separators=(",", ":")).encode("utf-8"), backup=False)
