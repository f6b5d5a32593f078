"""Wallet storage: the small :class:`WalletStore` interface and its TinyDB implementation.

Records are plain JSON dicts (see :class:`wallet.model.Entry.to_record`). A server database can replace
TinyDB by implementing :class:`WalletStore`; nothing above this module touches TinyDB.

Safety of :class:`TinyDBStore` (one JSON file):

* every change is a read-modify-write done while holding an exclusive file lock (``<file>.lock``,
  :mod:`filelock`), so two processes or browser tabs writing at once never lose each other's changes;
* the new file is written to a temporary file in the same folder, fsynced, then renamed over the old
  one (:func:`atomic_write`), so a crash mid-write leaves the previous file intact and readers always
  see a whole file; the previous version is kept as ``<file>.bak``;
* a file that is not a wallet (bad JSON, wrong shape) raises :class:`WalletCorruptError` and is never
  written over: the error names the file and the backup to restore.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Protocol, Sequence

from filelock import FileLock, Timeout
from tinydb import Query, TinyDB
from tinydb.storages import Storage

ENTRIES = "entries"
PORTFOLIOS = "portfolios"
LOCK_TIMEOUT = 30.0


class WalletError(Exception):
    """A wallet problem explained in one sentence (``str(error)``)."""


class WalletCorruptError(WalletError):
    """The wallet file cannot be read as a wallet; it was left untouched."""


class WalletBusyError(WalletError):
    """Another process held the wallet lock for too long."""


@dataclass(frozen=True)
class AddOutcome:
    """What happened to one record passed to :meth:`WalletStore.add_entries`.

    ``added`` False means it duplicates the existing entry ``id`` (same id, badge id or bytes).
    """

    id: str
    added: bool


class WalletStore(Protocol):
    """Where entries and portfolios live. Implementations must make each call atomic.

    Entry records carry at least ``id`` (may be empty on add: the store assigns one), ``badge_id``
    and ``sha256``; portfolio records at least ``id``.
    """

    def entries(self) -> list[dict[str, Any]]: ...

    def get_entry(self, entry_id: str) -> dict[str, Any] | None: ...

    def add_entries(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        """Add records in one atomic step, skipping any whose ``id``, ``badge_id`` (when set) or
        ``sha256`` equals one already stored or earlier in the batch."""
        ...

    def update_entries(self, changes: Mapping[str, Mapping[str, Any]]) -> list[str]:
        """Apply ``{entry_id: {field: value}}`` atomically; return the ids that existed."""
        ...

    def delete_entry(self, entry_id: str) -> bool: ...

    def portfolios(self) -> list[dict[str, Any]]: ...

    def add_portfolios(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        """Add portfolio records, skipping ids already stored."""
        ...

    def update_portfolio(self, portfolio_id: str, changes: Mapping[str, Any]) -> bool: ...


def new_id() -> str:
    return uuid.uuid4().hex[:12]


# --- atomic file writes ------------------------------------------------------------------------------

def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename.

    With ``backup`` the previous file is kept as ``path.bak`` (a hard link when possible).
    On any error the temporary file is removed and ``path`` is unchanged.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and path.exists():
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def _keep_backup(path: Path) -> None:
    bak = path.with_name(path.name + ".bak")
    link = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.baktmp")
    try:
        os.link(path, link)
    except OSError:
        shutil.copy2(path, link)
    try:
        os.replace(link, bak)
    finally:
        with contextlib.suppress(OSError):
            link.unlink()


class AtomicJSONStorage(Storage):
    """A TinyDB storage that reads strictly and writes with :func:`atomic_write`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise WalletError(f"The wallet file {self.path} cannot be read ({exc.strerror or exc}).") from exc
        if not raw.strip():
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise self._corrupt(f"it is not valid JSON ({exc.__class__.__name__})") from exc
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise self._corrupt("it does not have the shape of a wallet")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def _corrupt(self, why: str) -> WalletCorruptError:
        bak = self.path.with_name(self.path.name + ".bak")
        hint = (f" The previous good version is in {bak}: copy it over {self.path.name} to restore it."
                if bak.exists() else " Move it away to start a new wallet.")
        return WalletCorruptError(f"The wallet file {self.path} is damaged: {why}. It was left untouched "
                                  f"and nothing was written.{hint}")


# --- the TinyDB store --------------------------------------------------------------------------------

def _plain(doc: Mapping[str, Any]) -> dict[str, Any]:
    return dict(doc)


class TinyDBStore:
    """:class:`WalletStore` over one TinyDB JSON file (see the module docstring for the guarantees)."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._lock = FileLock(str(self.path) + ".lock")

    def __repr__(self) -> str:
        return f"TinyDBStore({str(self.path)!r})"

    @contextlib.contextmanager
    def _db(self, *, write: bool) -> Iterator[TinyDB]:
        if not write:
            db = TinyDB(self.path, storage=AtomicJSONStorage)
            try:
                yield db
            finally:
                db.close()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire(timeout=self.lock_timeout)
        except Timeout as exc:
            raise WalletBusyError(f"The wallet {self.path} is busy (another program is writing to it); "
                                  "try again in a moment.") from exc
        try:
            self._remove_stale_temps()
            db = TinyDB(self.path, storage=AtomicJSONStorage)
            try:
                yield db
            finally:
                db.close()
        finally:
            self._lock.release()

    def _remove_stale_temps(self) -> None:
        """Temp files left by a process that died mid-write (we hold the lock, so none is live)."""
        for pattern in (f".{self.path.name}.*.tmp", f".{self.path.name}.*.baktmp"):
            for stale in self.path.parent.glob(pattern):
                with contextlib.suppress(OSError):
                    stale.unlink()

    # entries

    def entries(self) -> list[dict[str, Any]]:
        with self._db(write=False) as db:
            return [_plain(d) for d in db.table(ENTRIES, cache_size=0).all()]

    def get_entry(self, entry_id: str) -> dict[str, Any] | None:
        with self._db(write=False) as db:
            doc = db.table(ENTRIES, cache_size=0).get(Query().id == entry_id)
            return _plain(doc) if doc else None  # type: ignore[arg-type]

    def add_entries(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        with self._db(write=True) as db:
            table = db.table(ENTRIES, cache_size=0)
            by_id: dict[str, str] = {}
            by_badge: dict[str, str] = {}
            by_sha: dict[str, str] = {}

            def index(rec: Mapping[str, Any]) -> None:
                by_id[rec["id"]] = rec["id"]
                if rec.get("badge_id"):
                    by_badge.setdefault(rec["badge_id"], rec["id"])
                if rec.get("sha256"):
                    by_sha.setdefault(rec["sha256"], rec["id"])

            for doc in table.all():
                index(doc)
            outcomes: list[AddOutcome] = []
            fresh: list[dict[str, Any]] = []
            for rec in records:
                existing = (by_id.get(rec.get("id") or "") or by_badge.get(rec.get("badge_id") or "")
                            or by_sha.get(rec.get("sha256") or ""))
                if existing:
                    outcomes.append(AddOutcome(existing, False))
                    continue
                rec = dict(rec, id=rec.get("id") or new_id())
                while rec["id"] in by_id:
                    rec["id"] = new_id()
                index(rec)
                fresh.append(rec)
                outcomes.append(AddOutcome(rec["id"], True))
            if fresh:
                table.insert_multiple(fresh)
            return outcomes

    def update_entries(self, changes: Mapping[str, Mapping[str, Any]]) -> list[str]:
        if not changes:
            return []
        with self._db(write=True) as db:
            table = db.table(ENTRIES, cache_size=0)
            present = {d["id"] for d in table.all()}
            todo = [(dict(fields), Query().id == entry_id) for entry_id, fields in changes.items()
                    if entry_id in present]
            if todo:
                table.update_multiple(todo)
            return [entry_id for entry_id in changes if entry_id in present]

    def delete_entry(self, entry_id: str) -> bool:
        with self._db(write=True) as db:
            return bool(db.table(ENTRIES, cache_size=0).remove(Query().id == entry_id))

    # portfolios

    def portfolios(self) -> list[dict[str, Any]]:
        with self._db(write=False) as db:
            return [_plain(d) for d in db.table(PORTFOLIOS, cache_size=0).all()]

    def add_portfolios(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        with self._db(write=True) as db:
            table = db.table(PORTFOLIOS, cache_size=0)
            ids = {d["id"] for d in table.all()}
            outcomes, fresh = [], []
            for rec in records:
                if rec["id"] in ids:
                    outcomes.append(AddOutcome(rec["id"], False))
                    continue
                ids.add(rec["id"])
                fresh.append(dict(rec))
                outcomes.append(AddOutcome(rec["id"], True))
            if fresh:
                table.insert_multiple(fresh)
            return outcomes

    def update_portfolio(self, portfolio_id: str, changes: Mapping[str, Any]) -> bool:
        with self._db(write=True) as db:
            return bool(db.table(PORTFOLIOS, cache_size=0).update(dict(changes), Query().id == portfolio_id))
