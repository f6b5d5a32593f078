"""The embedded wallet store: a SQLite index (standard library :mod:`sqlite3`) and content-addressed blobs.

Why SQLite rather than the TinyDB file earlier versions wrote (:class:`wallet.store.TinyDBStore`, still
used to read such a file once): TinyDB keeps the whole index in one JSON document, so every change
parses, re-serialises and rewrites all of it — at 5,000 badges a 9.9 MB file, 0.3 s to add one badge
and more for every badge added. SQLite changes only the pages of the rows a call touches: adding,
updating or reading one badge costs the same at 10 or 10,000 badges, a list reads one column of one
table and a page of cards reads its rows by id. It is in the standard library (0.04 s to import;
SQLAlchemy, which the hosted store needs, costs 0.38 s, too much for ``python -m wallet list``), and the
handful of fixed statements below need no query builder.

Layout (the ``--db`` path keeps its name — ``wallet.json`` by default — so every configured wallet keeps
working; only what the file holds changes):

* ``<path>``: a SQLite database in WAL mode: ``entries`` (one row a badge: ``id``, ``badge_id`` and
  ``sha256`` indexed, the :func:`~wallet.store.summary_record` a list shows, as JSON, and two blob
  references), ``portfolios``, ``settings``, ``dropped`` (blobs no row names any more), ``kept`` (blobs
  the TinyDB backup names) and ``meta``;
* ``<path>.blobs/``: each badge's original file and its bulky data (full badge, report, checklist), named
  by their SHA-256 (:class:`~wallet.store.BlobStore`, the same folder and format as the TinyDB layout);
* ``<path>.bak``: a whole earlier copy of the database (SQLite's online backup into a temporary file,
  fsynced, renamed), refreshed by a write when older than ``snapshot_every`` (15 minutes);
* a TinyDB wallet found at ``<path>`` is converted once, on first use (:meth:`SQLiteStore.migrate`), and
  kept unchanged as ``<path>.tinydb.bak``.

Safety:

* every call is one transaction. A write starts with ``BEGIN IMMEDIATE``: writers (processes, threads,
  browser tabs) take turns, so the duplicate check and the insert see the same rows; one that waits
  longer than ``lock_timeout`` gets :class:`~wallet.store.WalletBusyError`. Readers never wait: WAL gives
  each one a committed state;
* ``synchronous=FULL``: a committed call survives kill -9 and power loss; an interrupted one is rolled
  back whole by the next open;
* blobs are written (fsynced) before the transaction naming them commits. A blob is deleted only while
  the write lock is held, right after a snapshot, when neither the database, ``<path>.bak`` nor the
  TinyDB backup names it: copying the backup over the wallet always gives a whole wallet, and a crash
  leaves at worst an unnamed blob (wasted space, never a broken entry);
* a file that is neither SQLite nor a TinyDB wallet, or that SQLite finds damaged, raises
  :class:`~wallet.store.WalletCorruptError` naming it and the backup to restore, and is never written;
  a missing or altered blob is a :class:`~wallet.store.WalletCorruptError` naming it;
* the conversion copies every record as it is (damaged ones too: they stay named by their position),
  builds the database in a temporary file, fsyncs it and renames it over the TinyDB file only once a
  hard link keeps that file as ``<path>.tinydb.bak``. It holds the TinyDB lock (``<path>.lock``), so no
  older process writes meanwhile; a crash before the rename leaves the TinyDB wallet, converted again
  on the next open.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .store import (
    CONTENT_REF,
    DETAILS_REF,
    ENTRIES,
    LOCK_TIMEOUT,
    META,
    PORTFOLIOS,
    REFS,
    SETTINGS,
    SUMMARY_FIELDS,
    AddOutcome,
    AtomicJSONStorage,
    BlobRecords,
    BlobStore,
    MissingBlob,
    WalletBusyError,
    WalletCorruptError,
    WalletError,
    _fsync_dir,
    _is_digest,
    _is_indexed,
    dumps,
    loads,
    match_existing,
    summary_record,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
SNAPSHOT_EVERY = 15 * 60.0  # seconds between two refreshes of <path>.bak
LAYOUT = "3"
_CHUNK = 300  # ids per IN (...) list (SQLite allows a few thousand variables a statement)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT, badge_id TEXT, "
    "sha256 TEXT, summary BLOB NOT NULL, plain INTEGER NOT NULL, content_blob TEXT, details_blob TEXT)",
    "CREATE INDEX IF NOT EXISTS entries_id ON entries(id)",
    "CREATE INDEX IF NOT EXISTS entries_badge_id ON entries(badge_id)",
    "CREATE INDEX IF NOT EXISTS entries_sha256 ON entries(sha256)",
    "CREATE TABLE IF NOT EXISTS portfolios (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT, record BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS portfolios_id ON portfolios(id)",
    "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS dropped (digest TEXT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS kept (digest TEXT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    f"INSERT OR IGNORE INTO meta (key, value) VALUES ('layout', '{LAYOUT}')",
)
_ENTRY_COLUMNS = "id, summary, content_blob, details_blob"
_INSERT_ENTRY = ("INSERT INTO entries (id, badge_id, sha256, summary, plain, content_blob, details_blob) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _row_values(index: Mapping[str, Any] | Any) -> tuple[Any, ...]:
    """(id, badge_id, sha256, summary JSON, plain, content ref, details ref) of an index record (a damaged
    record that is not a mapping is kept whole as its summary). ``plain``: the summary is already its own
    :func:`summary_record` (always, but for records of an old or hand-edited file), so lists use it as is."""
    if not isinstance(index, Mapping):
        return None, None, None, dumps(index), 0, None, None
    summary = {k: v for k, v in index.items() if k not in REFS}
    content, details = index.get(CONTENT_REF), index.get(DETAILS_REF)
    return (_text(index.get("id")), _text(index.get("badge_id")), _text(index.get("sha256")), dumps(summary),
            int(summary_record(summary) == summary), content if _is_digest(content) else None,
            details if _is_digest(details) else None)


def _index_of(row: sqlite3.Row | tuple[Any, ...]) -> Any:
    """The index record of an ``_ENTRY_COLUMNS`` row: its summary plus its blob references."""
    _, summary, content, details = row
    index = loads(summary)
    if isinstance(index, dict):
        if content:
            index[CONTENT_REF] = content
        if details:
            index[DETAILS_REF] = details
    return index


def _refs_of(rows: Iterable[tuple[Any, ...]]) -> set[str]:
    return {ref for row in rows for ref in row if isinstance(ref, str)}


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class SQLiteStore:
    """:class:`~wallet.store.WalletStore` of one learner in a SQLite file and its blobs (see the module doc)."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT,
                 snapshot_every: float = SNAPSHOT_EVERY) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.snapshot_every = snapshot_every
        self.blobs = BlobStore(self.path.with_name(self.path.name + ".blobs"))
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.tinydb_backup_path = self.path.with_name(self.path.name + ".tinydb.bak")
        self._records = BlobRecords(self.blobs)

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    # --- the file: which kind it is, connections, transactions

    def _kind(self) -> str:
        """``missing``, ``empty``, ``sqlite`` or ``legacy`` (anything else: a TinyDB file, or garbage
        that reading it as one reports)."""
        try:
            with open(self.path, "rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            raise WalletError(f"The wallet file {self.path} cannot be read ({exc.strerror or exc}).") from exc
        if not head:
            return "empty"
        return "sqlite" if head == SQLITE_MAGIC else "legacy"

    def _connect(self, path: Path | None = None) -> sqlite3.Connection:
        conn = sqlite3.connect(path or self.path, timeout=self.lock_timeout, isolation_level=None,
                               check_same_thread=False)
        try:
            self._use_wal(conn)
            conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.Error as exc:
            conn.close()
            raise self._error(exc) from exc
        return conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch to WAL, waiting up to the lock timeout. A brand-new file is not WAL on disk until its
        first commit, and switching needs an exclusive lock for which SQLite does not wait (it answers
        "busy" at once), so several programs opening a new wallet together must retry here rather than
        tell the user the wallet is busy."""
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    def _error(self, exc: sqlite3.Error) -> Exception:
        """A sentence for what SQLite reported (programmer errors, such as bad SQL, are returned as they are)."""
        name = getattr(exc, "sqlite_errorname", "")
        text = str(exc)
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return WalletBusyError(f"The wallet {self.path} is busy (another program is writing to it); "
                                   "try again in a moment.")
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "malformed" in text or "not a database" in text:
            return self._corrupt(f"SQLite reports “{text}”")
        if name.startswith("SQLITE_FULL"):
            return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM")):
            return WalletError(f"The wallet file {self.path} cannot be read or written ({text}).")
        return exc

    def _corrupt(self, why: str) -> WalletCorruptError:
        hint = (f" The previous good version is in {self.backup_path}: copy it over {self.path.name} to restore it."
                if self.backup_path.exists() else " Move it away to start a new wallet.")
        return WalletCorruptError(f"The wallet file {self.path} is damaged: {why}. It was left untouched "
                                  f"and nothing was written.{hint}")

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A connection in one read transaction (a committed state), or None when there is no wallet yet."""
        kind = self._kind()
        if kind == "legacy":
            self.migrate()
        elif kind != "sqlite":
            yield None
            return
        conn = self._connect()
        try:
            conn.execute("BEGIN")
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'entries'").fetchone() is None:
                yield None  # created, never written (a crash before the first commit)
            else:
                yield conn
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        finally:
            conn.close()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A connection holding the write lock, in one transaction committed when the block ends."""
        if self._kind() == "legacy":
            self.migrate()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private, not world-readable
        conn = self._connect()
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            try:
                for statement in _SCHEMA:
                    conn.execute(statement)
                self._remove_stale_temps()
                if self._snapshot_due():
                    self._snapshot(conn)
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc) from exc
                raise
        finally:
            conn.close()

    def _remove_stale_temps(self) -> None:
        """Temp files left by a process that died mid-write (the write lock is held: none is live)."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
        if self.blobs.root.is_dir():
            self.blobs.remove_stale_temps()

    # --- backup snapshot and blob collection

    def _snapshot_due(self) -> bool:
        try:
            age = time.time() - self.backup_path.stat().st_mtime
            with open(self.backup_path, "rb") as handle:
                is_sqlite = handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return not is_sqlite or age >= self.snapshot_every

    def _snapshot(self, conn: sqlite3.Connection) -> None:
        """Write ``<path>.bak`` (the last committed state: ``conn`` holds the write lock and has changed
        nothing yet), then delete the dropped blobs that neither it nor the TinyDB backup names."""
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            source = self._connect()
            try:
                if source.execute("SELECT 1 FROM sqlite_master WHERE name = 'entries'").fetchone() is None:
                    return  # nothing committed yet: no earlier version to keep
                target = sqlite3.connect(tmp)
                try:
                    source.backup(target)
                    target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                finally:
                    target.close()
                committed = _refs_of(source.execute("SELECT content_blob, details_blob FROM entries"))
            finally:
                source.close()
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, self.backup_path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()  # gone already once renamed
        _fsync_dir(self.path.parent)
        dropped = [d for (d,) in conn.execute("SELECT digest FROM dropped")]
        if not dropped:
            return
        if not self.tinydb_backup_path.exists():
            conn.execute("DELETE FROM kept")
        named = committed | {d for (d,) in conn.execute("SELECT digest FROM kept")}
        for digest in dropped:
            if digest not in named and _is_digest(digest):
                self.blobs.delete(digest)
        conn.execute("DELETE FROM dropped")

    @staticmethod
    def _drop(conn: sqlite3.Connection, digests: Iterable[str]) -> None:
        conn.executemany("INSERT OR IGNORE INTO dropped (digest) VALUES (?)", [(d,) for d in digests if _is_digest(d)])

    # --- the one-time conversion of a TinyDB wallet

    def migrate(self) -> bool:
        """Convert a TinyDB wallet at ``path`` into this layout (see the module doc); True when it did."""
        lock = FileLock(str(self.path) + ".lock")
        try:
            lock.acquire(timeout=self.lock_timeout)
        except Timeout as exc:
            raise WalletBusyError(f"The wallet {self.path} is busy (another program is writing to it); "
                                  "try again in a moment.") from exc
        try:
            if self._kind() != "legacy":
                return False  # converted by another process meanwhile
            self._remove_stale_temps()  # of a conversion or TinyDB write that died (we hold their lock)
            data = AtomicJSONStorage(self.path).read() or {}  # strict: a damaged file is an error, never written
            fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            os.close(fd)
            tmp = Path(tmp_name)
            try:
                self._build(tmp, data)
                with open(tmp, "rb+") as handle:
                    os.fsync(handle.fileno())
                self._keep_tinydb_backup()
                for leftover in ("-wal", "-shm", "-journal"):  # of no database: the file was TinyDB
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(str(self.path) + leftover)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
            _fsync_dir(self.path.parent)
            return True
        finally:
            lock.release()

    def _keep_tinydb_backup(self) -> None:
        link = self.path.with_name(f".{self.path.name}.tinydb.tmp")
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        try:
            os.link(self.path, link)
        except OSError:
            link.write_bytes(self.path.read_bytes())
        try:
            os.replace(link, self.tinydb_backup_path)
        finally:
            with contextlib.suppress(OSError):
                link.unlink()  # left when both names were already the same file (rename does nothing)

    def _build(self, target: Path, data: Mapping[str, Any]) -> None:
        conn = sqlite3.connect(target, isolation_level=None)
        try:
            conn.execute("BEGIN")
            for statement in _SCHEMA:
                conn.execute(statement)
            rows = []
            for rec in data.get(ENTRIES, {}).values():
                if isinstance(rec, dict) and not _is_indexed(rec):
                    rec = self._records.store(rec)  # an inline record (bytes in the file) moves to blobs
                rows.append(_row_values(rec))
            conn.executemany(_INSERT_ENTRY, rows)
            conn.executemany("INSERT OR IGNORE INTO kept (digest) VALUES (?)",
                             [(d,) for d in _refs_of((r[5], r[6]) for r in rows)])
            meta: Any = next(iter(data.get(META, {}).values()), {})
            unreferenced = meta.get("unreferenced", []) if isinstance(meta, dict) else []
            self._drop(conn, [d for d in unreferenced if isinstance(d, str)])
            conn.executemany("INSERT INTO portfolios (id, record) VALUES (?, ?)",
                             [(_text(p.get("id")) if isinstance(p, dict) else None, dumps(p))
                              for p in data.get(PORTFOLIOS, {}).values()])
            conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                             [(s["key"], dumps(s.get("value"))) for s in data.get(SETTINGS, {}).values()
                              if isinstance(s, dict) and isinstance(s.get("key"), str)])
            conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             [("migrated_from", "tinydb"), ("migrated_at", datetime.now(UTC).isoformat())])
            conn.execute("COMMIT")
        finally:
            conn.close()

    # --- entries

    def _expanded(self, read: Callable[[sqlite3.Connection], list[tuple[Any, ...]]]) -> list[dict[str, Any]]:
        """Full records of the rows ``read`` selects; read again when a writer dropped a blob meanwhile."""
        for attempt in range(3):
            with self._reading() as conn:
                rows = read(conn) if conn is not None else []
            try:
                return [self._expand(row) for row in rows]
            except MissingBlob as missing:
                with self._reading() as conn:
                    still = read(conn) if conn is not None else []
                if attempt == 2 or missing.path.name in _refs_of((r[2], r[3]) for r in still):
                    raise missing.error(self.blobs.root) from None
        raise AssertionError("unreachable")

    def _expand(self, row: tuple[Any, ...]) -> Any:
        index = _index_of(row)
        return self._records.expand(index) if isinstance(index, dict) else index

    def entries(self) -> list[dict[str, Any]]:
        return self._expanded(lambda conn: conn.execute(f"SELECT {_ENTRY_COLUMNS} FROM entries ORDER BY seq").fetchall())

    def entry_summaries(self) -> list[dict[str, Any]]:
        with self._reading() as conn:
            if conn is None:
                return []
            rows = conn.execute("SELECT summary, plain FROM entries ORDER BY seq").fetchall()
        out = []
        for summary, plain in rows:
            rec = loads(summary)
            out.append(summary_record(rec) if not plain and isinstance(rec, dict) else rec)
        return out

    def get_entry(self, entry_id: str) -> dict[str, Any] | None:
        found = self.get_entries([entry_id])
        return found[0] if found else None

    @staticmethod
    def _rows_of(conn: sqlite3.Connection, entry_ids: Sequence[str], columns: str = _ENTRY_COLUMNS) -> dict[str, Any]:
        """The last row (by age) of each id of ``entry_ids`` that is stored."""
        found: dict[str, Any] = {}
        for part in _chunks(list(dict.fromkeys(entry_ids))):
            for row in conn.execute(f"SELECT {columns} FROM entries WHERE id IN ({_marks(part)}) ORDER BY seq", part):
                found[row[0]] = row
        return found

    def get_entries(self, entry_ids: Sequence[str]) -> list[dict[str, Any]]:
        def read(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
            found = self._rows_of(conn, entry_ids)
            return [found[i] for i in entry_ids if i in found]
        return self._expanded(read)

    def add_entries(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        if not records:
            return []
        with self._writing() as conn:
            known = []
            for column in ("id", "badge_id", "sha256"):
                values = list(dict.fromkeys(v for r in records if isinstance(v := r.get(column), str) and v))
                for part in _chunks(values):
                    known += conn.execute(f"SELECT seq, id, badge_id, sha256 FROM entries WHERE {column} "
                                          f"IN ({_marks(part)})", part).fetchall()
            known.sort()  # oldest first: a badge id or hash found twice names the older entry
            outcomes, fresh = match_existing(
                records, ({"id": r[1], "badge_id": r[2], "sha256": r[3]} for r in known),
                id_taken=lambda entry_id: conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone()
                is not None)
            conn.executemany(_INSERT_ENTRY, [_row_values(self._records.store(rec)) for rec in fresh])
            return outcomes

    def update_entries(self, changes: Mapping[str, Mapping[str, Any]]) -> list[str]:
        if not changes:
            return []
        with self._writing() as conn:
            found = self._rows_of(conn, list(changes), "id, summary, content_blob, details_blob, seq")
            present = [entry_id for entry_id in changes if entry_id in found]
            for entry_id in present:
                row = found[entry_id]
                current = _index_of(row[:4])
                if not isinstance(current, dict):
                    continue
                fields = {k: v for k, v in changes[entry_id].items() if k not in REFS and k != "id"}
                if set(fields) <= set(SUMMARY_FIELDS):  # small fields only: the blobs stay as they are
                    new = {**current, **fields}
                else:
                    new = self._records.store(fields, previous=current)
                values = _row_values(new)
                conn.execute("UPDATE entries SET id = ?, badge_id = ?, sha256 = ?, summary = ?, plain = ?, "
                             "content_blob = ?, details_blob = ? WHERE seq = ?", (*values, row[4]))
                self._drop(conn, _refs_of([(row[2], row[3])]) - _refs_of([values[5:]]))
            return present

    def delete_entry(self, entry_id: str) -> bool:
        with self._writing() as conn:
            rows = conn.execute("SELECT content_blob, details_blob FROM entries WHERE id = ?", (entry_id,)).fetchall()
            if not rows:
                return False
            conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
            self._drop(conn, _refs_of(rows))
            return True

    # --- portfolios

    def portfolios(self) -> list[dict[str, Any]]:
        with self._reading() as conn:
            if conn is None:
                return []
            return [loads(record) for (record,) in conn.execute("SELECT record FROM portfolios ORDER BY seq")]

    def add_portfolios(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        with self._writing() as conn:
            ids = {i for (i,) in conn.execute("SELECT id FROM portfolios")}
            outcomes = []
            for rec in records:
                if rec["id"] in ids:
                    outcomes.append(AddOutcome(rec["id"], False))
                    continue
                ids.add(rec["id"])
                conn.execute("INSERT INTO portfolios (id, record) VALUES (?, ?)", (_text(rec["id"]), dumps(dict(rec))))
                outcomes.append(AddOutcome(rec["id"], True))
            return outcomes

    def update_portfolio(self, portfolio_id: str, changes: Mapping[str, Any]) -> bool:
        with self._writing() as conn:
            rows = conn.execute("SELECT seq, record FROM portfolios WHERE id = ?", (portfolio_id,)).fetchall()
            for seq, record in rows:
                conn.execute("UPDATE portfolios SET record = ? WHERE seq = ?", (dumps({**loads(record), **changes}), seq))
            return bool(rows)

    # --- settings (the holder's identities, display name and key; never exported)

    def get_setting(self, key: str) -> Any:
        with self._reading() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone() if conn else None
        return loads(row[0]) if row else None

    def set_setting(self, key: str, value: Any) -> None:
        with self._writing() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, dumps(value)))

