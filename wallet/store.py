"""Wallet storage: the small :class:`WalletStore` interface and its TinyDB implementation.

Records are plain JSON dicts (see :class:`wallet.model.Entry.to_record`). A server database can replace
TinyDB by implementing :class:`WalletStore`; nothing above this module touches TinyDB.

Layout of :class:`TinyDBStore` (the file stays a TinyDB database, ``{"table": {"doc id": record}}``):

* ``wallet.json`` holds, per entry, only what listing needs (ids, verdict, category, reasons, tags,
  notes and a few badge fields: name, issuer, dates) plus two references;
* the original file bytes and the bulky data (full badge, report, checklist) are *blobs* beside it
  in ``wallet.json.blobs/<2 hex>/<sha256>``, named by the SHA-256 of their content (checked on every
  read) and written atomically before the file that names them. So a change rewrites a file of about
  1.5 KB per badge instead of ~16 KB, and reading one entry parses the index plus its two blobs.
* A wallet written by an older version (bytes inline) is read as it is and moved to this layout by
  its next write.

Safety of :class:`TinyDBStore`:

* every change is a read-modify-write done while holding an exclusive file lock (``<file>.lock``,
  :mod:`filelock`), so two processes or browser tabs writing at once never lose each other's changes;
* the new file is written to a temporary file in the same folder, fsynced, then renamed over the old
  one (:func:`atomic_write`), so a crash mid-write leaves the previous file intact and readers always
  see a whole file; the previous version is kept as ``<file>.bak``;
* blobs are immutable and written (fsynced) before the index that refers to them. A blob dropped by a
  write is deleted only by the write after it, once neither the new file nor ``<file>.bak`` (the
  previous version) names it: copying the backup over the wallet always gives a whole wallet. A crash
  can at worst leave an unreferenced blob behind (wasted space, never a broken entry);
* a file that is not a wallet (bad JSON, wrong shape) raises :class:`WalletCorruptError` and is never
  written over: the error names the file and the backup to restore. A missing or altered blob is a
  :class:`WalletCorruptError` naming it, never a silently empty badge.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeGuard

import orjson
from filelock import FileLock, Timeout
from tinydb.storages import Storage

from verifier import scrub, scrub_text

ENTRIES = "entries"
PORTFOLIOS = "portfolios"
META = "_meta"  # one document: blobs the last write dropped (deleted by the next one)
SETTINGS = "settings"  # key → JSON value: the holder's identities, name and key (never exported)
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

    def get_setting(self, key: str) -> Any:
        """A wallet-wide setting (JSON value) or None. Settings are never part of an export."""
        ...

    def set_setting(self, key: str, value: Any) -> None: ...

    # Optional (:func:`entry_summaries` and :func:`get_entries` fall back to the calls above):

    def entry_summaries(self) -> list[dict[str, Any]]:
        """Every entry as its :func:`summary_record` (no bytes, report or checklist), oldest first."""
        ...

    def get_entries(self, entry_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Full records of the ids that exist, in the order asked."""
        ...


# Entry fields kept in the index (what a list shows); every other field is bulky data.
SUMMARY_FIELDS = ("id", "filename", "media_type", "sha256", "badge_id", "verdict", "format", "verified_at",
                  "category", "reasons", "added_at", "override", "tags", "notes", "authenticated",
                  "issuer_identity")
SUMMARY_BADGE_FIELDS = ("spec_version", "id", "name", "issued_on", "expires")
SUMMARY_ISSUER_FIELDS = ("id", "name", "url")


def summary_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The light form of a full entry record: :data:`SUMMARY_FIELDS` and a ``badge`` cut down to its
    name, id, dates and issuer id/name/url (enough for :class:`wallet.model.EntrySummary`)."""
    out = {k: record[k] for k in SUMMARY_FIELDS if k in record}
    badge = record.get("badge")
    if isinstance(badge, Mapping):
        small = {k: badge[k] for k in SUMMARY_BADGE_FIELDS if k in badge}
        issuer = badge.get("issuer")
        if isinstance(issuer, Mapping):
            small["issuer"] = {k: issuer[k] for k in SUMMARY_ISSUER_FIELDS if k in issuer}
        out["badge"] = small
    # The issuer-identity level a card shows: from the report of a full record, or kept from an index one.
    report = record.get("report")
    identity = report.get("issuer_identity") if isinstance(report, Mapping) else record.get("issuer_identity")
    if isinstance(identity, Mapping):
        out["issuer_identity"] = dict(identity)
    return out


def entry_summaries(store: WalletStore) -> list[dict[str, Any]]:
    """``store.entry_summaries()``, or the summaries of ``store.entries()`` for a store without it."""
    method = getattr(store, "entry_summaries", None)
    if method is not None:
        return method()
    return [summary_record(r) for r in store.entries()]


def get_entries(store: WalletStore, entry_ids: Sequence[str]) -> list[dict[str, Any]]:
    """``store.get_entries(ids)``, or one ``get_entry`` per id for a store without it."""
    method = getattr(store, "get_entries", None)
    if method is not None:
        return method(entry_ids)
    return [rec for rec in (store.get_entry(i) for i in entry_ids) if rec is not None]


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def match_existing(records: Sequence[Mapping[str, Any]], known: Iterable[Any], *,
                   id_taken: Callable[[str], bool] | None = None) -> tuple[list[AddOutcome], list[dict[str, Any]]]:
    """The duplicate rule of :meth:`WalletStore.add_entries`, in one place for every store.

    ``known`` are stored records, oldest first (every one, or at least those whose ``id``, ``badge_id``
    or ``sha256`` equals one of ``records``'); ``id_taken`` says whether an id is stored, for a store
    that passed only the matching ones. A record whose id, badge id (when set) or SHA-256 equals a known
    one or one earlier in the batch is a duplicate of it; the others get an id (theirs, or a fresh one
    when empty or taken). Returns one outcome per record and the records to store (copies, with ids).
    """
    by_id: dict[str, str] = {}
    by_badge: dict[str, str] = {}
    by_sha: dict[str, str] = {}

    def index(rec: Mapping[str, Any]) -> None:
        entry_id = rec.get("id")
        if not isinstance(entry_id, str) or not entry_id:
            return
        by_id[entry_id] = entry_id
        if isinstance(badge_id := rec.get("badge_id"), str) and badge_id:
            by_badge.setdefault(badge_id, entry_id)
        if isinstance(sha := rec.get("sha256"), str) and sha:
            by_sha.setdefault(sha, entry_id)

    for doc in known:
        if isinstance(doc, Mapping):
            index(doc)
    outcomes: list[AddOutcome] = []
    fresh: list[dict[str, Any]] = []
    for rec in records:
        existing = (by_id.get(rec.get("id") or "") or by_badge.get(rec.get("badge_id") or "")
                    or by_sha.get(rec.get("sha256") or ""))
        if existing:
            outcomes.append(AddOutcome(existing, False))
            continue
        out = dict(rec, id=rec.get("id") or new_id())
        while out["id"] in by_id or (id_taken is not None and id_taken(out["id"])):
            out["id"] = new_id()
        index(out)
        fresh.append(out)
        outcomes.append(AddOutcome(out["id"], True))
    return outcomes, fresh


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
    """Replace ``path`` with ``data`` (:func:`atomic_writer`; with ``backup`` the previous file is kept as
    ``path.bak``, a hard link when possible). On any error ``path`` is unchanged."""
    with atomic_writer(path, backup=backup) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_writer(path: Path, *, backup: bool = False, temp_dir: Path | None = None,
                  temp_prefix: str | None = None) -> Iterator[Any]:
    """A binary file handle whose content replaces ``path`` when the block ends without an error: temp
    file (in ``temp_dir``, default the same folder; either way on the same file system), fsync, rename,
    fsync the folder. A big file is written as it is made, never held in memory; on any error the
    temporary file is removed and ``path`` is unchanged. With ``backup`` the previous file is kept as
    ``path.bak`` just before the rename. ``temp_prefix`` names the temporary file so that the sweep of
    temporaries left by a killed writer finds it.
    """
    folder = temp_dir or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix or f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if backup and path.exists():
            _keep_backup(path)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
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
            data = loads(raw)
        except (UnicodeDecodeError, ValueError) as exc:
            raise self._corrupt(f"it is not valid JSON ({exc.__class__.__name__})") from exc
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise self._corrupt("it does not have the shape of a wallet")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.write_bytes(dumps(data))

    def write_bytes(self, raw: bytes) -> None:
        atomic_write(self.path, raw)

    def _corrupt(self, why: str) -> WalletCorruptError:
        bak = self.path.with_name(self.path.name + ".bak")
        hint = (f" The previous good version is in {bak}: copy it over {self.path.name} to restore it."
                if bak.exists() else " Move it away to start a new wallet.")
        return WalletCorruptError(f"The wallet file {self.path} is damaged: {why}. It was left untouched "
                                  f"and nothing was written.{hint}")


# --- fast JSON (orjson), with the standard library for what orjson refuses ---------------------------

def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON. orjson is ~10× faster on a big wallet; integers beyond 64 bits (a badge may
    carry any number) go through :mod:`json`."""
    try:
        return orjson.dumps(data)
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        # A lone surrogate (a command-line argument that was not UTF-8) cannot be written as UTF-8: it is
        # stored as U+FFFD rather than failing the write (and every write after it).
        return scrub_text(text).encode("utf-8")


def loads(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        # what orjson refuses but json reads (NaN, huge integers, a lone surrogate escape written by
        # hand) is still a readable wallet; lone surrogates become U+FFFD so pages can show it
        return scrub(json.loads(raw.decode("utf-8")))


# --- blobs -------------------------------------------------------------------------------------------

CONTENT_REF = "content_blob"  # SHA-256 of the blob holding the original file's bytes
DETAILS_REF = "details_blob"  # SHA-256 of the JSON blob holding the bulky fields (badge, report, …)
REFS = (CONTENT_REF, DETAILS_REF)
_HEX = frozenset("0123456789abcdef")


def _is_digest(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX


class BlobStore:
    """Immutable files named by the SHA-256 of their content: ``root/<2 hex>/<64 hex>``.

    The name is checked against the content on every read, so a damaged or swapped blob is reported,
    never served. Callers write blobs while holding the wallet lock (see :class:`TinyDBStore`).
    """

    TEMP_GLOB = ".blob.*.tmp"

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store ``data`` (temp file, fsync, rename, fsync the folder); return its digest."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        with contextlib.suppress(OSError):
            if hashlib.sha256(target.read_bytes()).digest().hex() == digest:
                return digest  # already there, whole
        if not target.parent.is_dir():
            fresh_root = not self.root.is_dir()
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if fresh_root:
                _fsync_dir(self.root.parent)
            _fsync_dir(self.root)
        with atomic_writer(target, temp_dir=self.root, temp_prefix=".blob.") as handle:
            handle.write(data)
        return digest

    def get(self, digest: str) -> bytes | None:
        """The blob's bytes; None when it is missing. Raises :class:`WalletCorruptError` when altered."""
        target = self.path(digest)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise WalletError(f"The wallet file {target} cannot be read ({exc.strerror or exc}).") from exc
        if hashlib.sha256(data).hexdigest() != digest:
            raise WalletCorruptError(f"The wallet file {target} is damaged: its content does not match its "
                                     "name. It was left untouched; restore it from a backup or export.")
        return data

    def delete(self, digest: str) -> None:
        with contextlib.suppress(OSError):
            self.path(digest).unlink()

    def remove_stale_temps(self) -> None:
        for stale in self.root.glob(self.TEMP_GLOB):
            with contextlib.suppress(OSError):
                stale.unlink()


class BlobRecords:
    """Full entry records ⇄ their index form (:func:`summary_record` + :data:`REFS`) and the blobs
    holding the rest; shared by the embedded stores. Blobs are written before the index naming them."""

    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs

    def store(self, record: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The index form of a full (or partial, with ``previous``) record; writes its blobs."""
        full: dict[str, Any] = {}
        if previous is not None:
            try:
                full = self.expand(previous, content="content_b64" not in record)
            except MissingBlob as missing:
                raise missing.error(self.blobs.root) from None
        full.update(record)
        for ref in REFS:
            full.pop(ref, None)
        index = summary_record(full)
        content_b64 = full.pop("content_b64", None)
        details = {k: v for k, v in full.items() if k not in SUMMARY_FIELDS}
        if isinstance(content_b64, str):
            try:
                index[CONTENT_REF] = self.blobs.put(base64.b64decode(content_b64, validate=True))
            except (binascii.Error, ValueError):
                details["content_b64"] = content_b64  # not base64: kept as given, never lost
        elif content_b64 is not None:
            details["content_b64"] = content_b64
        if details:
            index[DETAILS_REF] = self.blobs.put(dumps(details))
        return index

    def expand(self, stored: Mapping[str, Any], *, content: bool = True) -> dict[str, Any]:
        """The full record of an index record (an old inline record is already full); without
        ``content`` the original bytes are not read (they are about to be replaced). A blob that is
        not there raises :class:`MissingBlob`."""
        out = {k: v for k, v in stored.items() if k not in REFS}
        details_ref = stored.get(DETAILS_REF)
        if _is_digest(details_ref):
            details = loads(self._blob(details_ref, stored))
            if not isinstance(details, dict):
                raise WalletCorruptError(f"The wallet file {self.blobs.path(details_ref)} is damaged: it is "
                                         "not a badge's details.")
            out.update(details)
        content_ref = stored.get(CONTENT_REF)
        if content and _is_digest(content_ref):
            out["content_b64"] = base64.b64encode(self._blob(content_ref, stored)).decode("ascii")
        return out

    def _blob(self, digest: str, stored: Mapping[str, Any]) -> bytes:
        data = self.blobs.get(digest)
        if data is None:
            raise MissingBlob(self.blobs.path(digest), str(stored.get("id", "?")))
        return data


def _refs(records: Iterable[Mapping[str, Any]]) -> set[str]:
    return {rec[k] for rec in records for k in REFS if _is_digest(rec.get(k))}


# --- the TinyDB store --------------------------------------------------------------------------------

_StatKey = tuple[int, int, int, int]


class TinyDBStore:
    """:class:`WalletStore` over one TinyDB JSON index and its blobs (see the module docstring).

    Reads take no lock: they parse the index (one file, renamed into place whole) and then the blobs it
    names; a blob removed by a writer between the two (it needs two writes in between) makes the read
    start again from the new index.
    """

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._lock = FileLock(str(self.path) + ".lock")
        self._storage = AtomicJSONStorage(self.path)
        self.blobs = BlobStore(self.path.with_name(self.path.name + ".blobs"))
        self._records = BlobRecords(self.blobs)
        # The last index this object wrote or read under the lock, keyed by the file's identity
        # (inode, size, mtime, ctime): a writer holding the lock re-parses only a file changed by
        # someone else. Never handed out to callers (they get fresh objects).
        self._written: tuple[_StatKey, dict[str, Any]] | None = None
        self._written_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TinyDBStore({str(self.path)!r})"

    # --- reading and writing the index

    def _stat(self) -> _StatKey | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _read(self) -> dict[str, Any]:
        return self._storage.read() or {}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire(timeout=self.lock_timeout)
        except Timeout as exc:
            raise WalletBusyError(f"The wallet {self.path} is busy (another program is writing to it); "
                                  "try again in a moment.") from exc
        try:
            self._remove_stale_temps()
            yield
        finally:
            self._lock.release()

    def _read_locked(self) -> dict[str, Any]:
        """The index for a read-modify-write (the lock is held). Treat as read-only: build new dicts."""
        key = self._stat()
        with self._written_lock:
            cached = self._written
        if key is not None and cached is not None and cached[0] == key:
            return cached[1]
        data = self._read()
        if key is not None:
            with self._written_lock:
                self._written = (key, data)
        return data

    def _write_locked(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Write ``new`` (lock held): blobs already written; then drop the blobs the previous write freed."""
        new_entries = new.get(ENTRIES, {})
        old_entries = old.get(ENTRIES, {})
        kept = _refs(new_entries.values())
        meta_old: dict[str, Any] = next(iter(old.get(META, {}).values()), {})
        freed_before = [d for d in meta_old.get("unreferenced", []) if _is_digest(d)]
        # blobs this write stops naming; deleted by the next write, when the backup no longer names them
        dropped = sorted(_refs(old_entries.values()) - kept)
        meta = {"layout": 2, "unreferenced": dropped}
        ordered = {META: {"1": meta}, **{k: v for k, v in new.items() if k != META}}
        self._storage.write_bytes(dumps(ordered))
        key = self._stat()
        if key is not None:
            with self._written_lock:
                self._written = (key, ordered)
        for digest in freed_before:
            if digest not in kept:
                self.blobs.delete(digest)

    def _remove_stale_temps(self) -> None:
        """Temp files left by a process that died mid-write (we hold the lock, so none is live)."""
        for pattern in (f".{self.path.name}.*.tmp", f".{self.path.name}.*.baktmp"):
            for stale in self.path.parent.glob(pattern):
                with contextlib.suppress(OSError):
                    stale.unlink()
        if self.blobs.root.is_dir():
            self.blobs.remove_stale_temps()

    # --- records ⇄ index + blobs (:class:`BlobRecords`)

    def _store_record(self, record: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self._records.store(record, previous)

    def _expand(self, stored: Mapping[str, Any], *, content: bool = True) -> dict[str, Any]:
        return self._records.expand(stored, content=content)

    def _expand_all(self, pick: Any) -> list[dict[str, Any]]:
        """Full records of ``pick(index entries)``, starting again when a writer swept a blob mid-read."""
        for attempt in range(5):
            key = self._stat()
            records = pick(self._read().get(ENTRIES, {}))
            try:
                return [self._expand(r) for r in records]
            except MissingBlob as missing:
                if attempt == 4 or self._stat() == key:
                    raise missing.error(self.blobs.root) from None
        raise AssertionError("unreachable")

    # --- entries

    def entries(self) -> list[dict[str, Any]]:
        return self._expand_all(lambda table: list(table.values()))

    def entry_summaries(self) -> list[dict[str, Any]]:
        return [summary_record(r) for r in self._read().get(ENTRIES, {}).values()]

    def get_entry(self, entry_id: str) -> dict[str, Any] | None:
        found = self.get_entries([entry_id])
        return found[0] if found else None

    def get_entries(self, entry_ids: Sequence[str]) -> list[dict[str, Any]]:
        def pick(table: Mapping[str, Any]) -> list[dict[str, Any]]:
            by_id = {r.get("id"): r for r in table.values()}
            return [by_id[i] for i in entry_ids if i in by_id]
        return self._expand_all(pick)

    def add_entries(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        with self._locked():
            old = self._read_locked()
            table = old.get(ENTRIES, {})
            outcomes, fresh = match_existing(records, table.values())
            if fresh:
                new_table = self._migrated(table)
                next_id = max((int(k) for k in new_table if k.isdigit()), default=0) + 1
                for offset, rec in enumerate(fresh):
                    new_table[str(next_id + offset)] = self._store_record(rec)
                self._write_locked(old, {**old, ENTRIES: new_table})
            return outcomes

    def update_entries(self, changes: Mapping[str, Mapping[str, Any]]) -> list[str]:
        if not changes:
            return []
        with self._locked():
            old = self._read_locked()
            table = old.get(ENTRIES, {})
            doc_of = {rec.get("id"): doc_id for doc_id, rec in table.items()}
            present = [entry_id for entry_id in changes if entry_id in doc_of]
            if present:
                new_table = self._migrated(table)
                for entry_id in present:
                    fields = {k: v for k, v in changes[entry_id].items() if k not in REFS and k != "id"}
                    doc_id = doc_of[entry_id]
                    current = new_table[doc_id]
                    if set(fields) <= set(SUMMARY_FIELDS):  # small fields only: the blobs stay as they are
                        new_table[doc_id] = {**current, **fields}
                    else:
                        new_table[doc_id] = self._store_record(fields, previous=current)
                self._write_locked(old, {**old, ENTRIES: new_table})
            return present

    def delete_entry(self, entry_id: str) -> bool:
        with self._locked():
            old = self._read_locked()
            table = old.get(ENTRIES, {})
            doc_ids = [doc_id for doc_id, rec in table.items() if rec.get("id") == entry_id]
            if not doc_ids:
                return False
            new_table = {k: v for k, v in self._migrated(table).items() if k not in doc_ids}
            self._write_locked(old, {**old, ENTRIES: new_table})
            return True

    def _migrated(self, table: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of the entries table where every record is in the index + blobs layout (records of an
        older wallet, bytes inline, move to blobs on its first write)."""
        return {doc_id: (rec if _is_indexed(rec) else self._store_record(rec)) for doc_id, rec in table.items()}

    # --- portfolios

    def portfolios(self) -> list[dict[str, Any]]:
        return [dict(d) for d in self._read().get(PORTFOLIOS, {}).values()]

    def add_portfolios(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        with self._locked():
            old = self._read_locked()
            table = dict(old.get(PORTFOLIOS, {}))
            ids = {d.get("id") for d in table.values()}
            outcomes, fresh = [], []
            for rec in records:
                if rec["id"] in ids:
                    outcomes.append(AddOutcome(rec["id"], False))
                    continue
                ids.add(rec["id"])
                fresh.append(dict(rec))
                outcomes.append(AddOutcome(rec["id"], True))
            if fresh:
                next_id = max((int(k) for k in table if k.isdigit()), default=0) + 1
                for offset, rec in enumerate(fresh):
                    table[str(next_id + offset)] = rec
                self._write_locked(old, {**old, ENTRIES: self._migrated(old.get(ENTRIES, {})), PORTFOLIOS: table})
            return outcomes

    def update_portfolio(self, portfolio_id: str, changes: Mapping[str, Any]) -> bool:
        with self._locked():
            old = self._read_locked()
            table = dict(old.get(PORTFOLIOS, {}))
            doc_ids = [k for k, rec in table.items() if rec.get("id") == portfolio_id]
            if not doc_ids:
                return False
            for doc_id in doc_ids:
                table[doc_id] = {**table[doc_id], **changes}
            self._write_locked(old, {**old, ENTRIES: self._migrated(old.get(ENTRIES, {})), PORTFOLIOS: table})
            return True


    # settings (the holder's identities, display name and key; never exported)

    def get_setting(self, key: str) -> Any:
        for rec in self._read().get(SETTINGS, {}).values():
            if isinstance(rec, dict) and rec.get("key") == key:
                return rec.get("value")
        return None

    def set_setting(self, key: str, value: Any) -> None:
        with self._locked():
            old = self._read_locked()
            table = {k: v for k, v in old.get(SETTINGS, {}).items() if not (isinstance(v, dict) and v.get("key") == key)}
            table[key] = {"key": key, "value": value}
            self._write_locked(old, {**old, ENTRIES: self._migrated(old.get(ENTRIES, {})), SETTINGS: table})

def _is_indexed(rec: Mapping[str, Any]) -> bool:
    """True when ``rec`` is already an index record (no bulky field inline)."""
    return all(k in SUMMARY_FIELDS or k in REFS or k == "badge" for k in rec) and (
        "badge" not in rec or DETAILS_REF in rec)


class MissingBlob(Exception):
    def __init__(self, path: Path, entry_id: str) -> None:
        super().__init__(str(path))
        self.path = path
        self.entry_id = entry_id

    def error(self, root: Path) -> WalletCorruptError:
        return WalletCorruptError(f"The wallet file {self.path} (the data of badge {self.entry_id}) is missing. "
                                  f"Nothing was changed; restore the folder {root.name} from a backup or "
                                  "import an export of this wallet.")
