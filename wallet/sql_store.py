"""Hosted storage: a PostgreSQL :class:`~wallet.store.WalletStore` (SQLAlchemy 2 + psycopg 3).

One database holds the wallets of many learners. Security and safety decisions:

* every row carries an ``owner`` column and every statement of :class:`SQLStore` filters on the
  store's owner, so one learner's store object can never read or change another learner's rows;
  the owner is fixed when the store is made (the signed-in ``iss`` + ``sub``, or ``--owner``);
* each call is one transaction: it commits whole or not at all, so a process killed mid-import
  loses at most the batch it had not committed yet, never a committed entry;
* duplicate checks and inserts of one owner are serialised by a transaction-scoped advisory lock
  (taken per owner, so learners never wait for each other) and backed by unique indexes on
  ``(owner, sha256)`` and ``(owner, badge_id)``;
* portfolio links are found across owners only by the SHA-256 of their token
  (:func:`portfolio_owner`), which is unique in the whole database, so a restored export cannot
  make one link open another learner's page;
* the schema is created and upgraded only by ``python -m wallet --db URL migrate`` (Alembic), never
  implicitly by an app process: a missing table is reported as a sentence naming that command.

Badge bytes live in a ``bytea`` column, the rest of the record in ``jsonb`` (so list views read no
bytes); per-owner settings (identities, display name, holder key) in ``wallet_settings``; public-page
check results every app process shares in ``public_check_cache`` (:class:`SQLCheckCache`).
"""
from __future__ import annotations

import base64
import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Identity,
    Index,
    LargeBinary,
    MetaData,
    Table,
    Text,
    create_engine,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError, SQLAlchemyError

from .dburl import is_database_url
from .store import (
    SUMMARY_BADGE_FIELDS,
    SUMMARY_ISSUER_FIELDS,
    AddOutcome,
    WalletBusyError,
    WalletError,
    match_existing,
    summary_record,
)

metadata = MetaData()

entries_table = Table(
    "wallet_entries", metadata,
    Column("owner", Text, primary_key=True),
    Column("id", Text, primary_key=True),
    Column("seq", BigInteger, Identity(), nullable=False),
    Column("badge_id", Text),
    Column("sha256", Text),
    Column("content", LargeBinary),
    Column("record", JSONB, nullable=False),
    Index("wallet_entries_owner_seq", "owner", "seq"),
    Index("wallet_entries_owner_sha256", "owner", "sha256", unique=True,
          postgresql_where=text("sha256 IS NOT NULL")),
    Index("wallet_entries_owner_badge_id", "owner", "badge_id", unique=True,
          postgresql_where=text("badge_id IS NOT NULL")),
)

portfolios_table = Table(
    "wallet_portfolios", metadata,
    Column("owner", Text, primary_key=True),
    Column("id", Text, primary_key=True),
    Column("seq", BigInteger, Identity(), nullable=False),
    Column("token_hash", Text),
    Column("record", JSONB, nullable=False),
    Index("wallet_portfolios_owner_seq", "owner", "seq"),
    Index("wallet_portfolios_token_hash", "token_hash", unique=True, postgresql_where=text("token_hash IS NOT NULL")),
)

settings_table = Table(
    "wallet_settings", metadata,
    Column("owner", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("value", JSONB),
)

http_cache_entries_table = Table(  # hosted mode's HTTP cache (wallet/http_cache.py), CacheControl entries
    "http_cache_entries", metadata,
    Column("key", Text, primary_key=True),
    Column("value", LargeBinary, nullable=False),
    Column("fresh_until", DateTime(timezone=True), nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("http_cache_entries_stored_at", "stored_at"),
)

check_cache_table = Table(
    "public_check_cache", metadata,
    Column("owner", Text, primary_key=True),
    Column("key", Text, primary_key=True),  # check_cache.cache_key: entry id and the SHA-256 of its file
    Column("checked_at", DateTime(timezone=True), nullable=False),
    Column("report", JSONB, nullable=False),
    Index("public_check_cache_checked_at", "checked_at"),
)

holder_dids_table = Table(
    "holder_dids", metadata,
    Column("slug", Text, primary_key=True),  # random, never derived from the owner id (hosted_did.py)
    Column("owner", Text, nullable=False, unique=True),
    Column("public_key", Text, nullable=False),  # Ed25519 Multikey; the private key stays sealed in settings
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

MIGRATE_HINT = "run `python -m wallet --db URL migrate` once to create or upgrade them"


def sqlalchemy_url(url: str) -> str:
    """The URL with the psycopg 3 driver named (plain ``postgresql://`` would mean psycopg2)."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.lower().startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """One pooled engine per database URL and process (app processes share nothing else)."""
    key = sqlalchemy_url(url)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            try:
                engine = create_engine(key, pool_pre_ping=True, pool_size=5, max_overflow=5)
            except (ArgumentError, ValueError) as exc:
                raise WalletError(f"The database address is not a PostgreSQL URL ({exc}).") from exc
            _engines[key] = engine
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, and worker processes after a fork)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(sqlalchemy_url(url)).render_as_string(hide_password=True).replace("+psycopg", "")
    except ArgumentError:
        return "the configured database"


@contextlib.contextmanager
def transaction(url: str) -> Iterator[Connection]:
    """A connection in one transaction; database failures become :class:`WalletError` sentences."""
    try:
        with engine_for(url).begin() as conn:
            yield conn
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42P01":  # undefined_table
            raise WalletError(f"The database {redacted(url)} has no wallet tables yet: {MIGRATE_HINT}.") from exc
        raise
    except OperationalError as exc:
        raise WalletBusyError(f"The wallet database {redacted(url)} cannot be reached right now; "
                              "try again in a moment.") from exc


def _subset(path: str, keys: Sequence[str]) -> str:
    """SQL: the object at ``path`` of a row's record with only ``keys`` (NULL when it has none of them)."""
    names = ", ".join(f"'{k}'" for k in keys)
    return (f"(SELECT jsonb_object_agg(key, value) FROM jsonb_each(CASE WHEN jsonb_typeof({path}) = 'object' "
            f"THEN {path} ELSE '{{}}'::jsonb END) WHERE key IN ({names}))")


# What summary_record needs of each row, cut down by the database (see SQLStore.entry_summaries).
_SUMMARY_QUERY = text(
    "SELECT record - ARRAY['report', 'checklist', 'badge', 'content_b64'] AS light, "
    "jsonb_typeof(record -> 'badge') AS badge_kind, "
    + _subset("record -> 'badge'", SUMMARY_BADGE_FIELDS) + " AS badge, "
    "jsonb_typeof(record -> 'badge' -> 'issuer') AS issuer_kind, "
    + _subset("record -> 'badge' -> 'issuer'", SUMMARY_ISSUER_FIELDS) + " AS issuer, "
    "jsonb_typeof(record -> 'report') AS report_kind, "
    "record -> 'report' -> 'issuer_identity' AS identity "
    "FROM wallet_entries WHERE owner = :owner ORDER BY seq")


def _split(rec: Mapping[str, Any]) -> tuple[dict[str, Any], bytes | None]:
    """The JSON part of an entry record and its badge bytes (``content_b64`` goes to ``bytea``)."""
    body = dict(rec)
    b64 = body.pop("content_b64", None)
    return body, (base64.b64decode(b64) if isinstance(b64, str) else None)


def _join(record: Mapping[str, Any], content: bytes | None) -> dict[str, Any]:
    out = dict(record)
    if content is not None:
        out["content_b64"] = base64.b64encode(content).decode("ascii")
    return out


LOCK_ENTRIES, LOCK_PORTFOLIOS = 7301, 7302  # advisory lock classes (first key); the owner's hash is the second


def _lock_owner(conn: Connection, owner: str, scope: int) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:scope, hashtext(:owner))"), {"scope": scope, "owner": owner})


class SQLStore:
    """:class:`~wallet.store.WalletStore` of one owner in a PostgreSQL database."""

    def __init__(self, url: str, owner: str) -> None:
        if not is_database_url(url):
            raise WalletError("The database address must start with postgresql://.")
        if not owner or not owner.strip():
            raise WalletError("A wallet in a shared database needs an owner (--owner ID, or a signed-in user).")
        self.url = url
        self.owner = owner

    def __repr__(self) -> str:
        return f"SQLStore({redacted(self.url)!r}, owner={self.owner!r})"

    # entries

    def entries(self) -> list[dict[str, Any]]:
        t = entries_table
        with transaction(self.url) as conn:
            rows = conn.execute(select(t.c.record, t.c.content).where(t.c.owner == self.owner).order_by(t.c.seq))
            return [_join(r.record, r.content) for r in rows]

    def get_entry(self, entry_id: str) -> dict[str, Any] | None:
        t = entries_table
        with transaction(self.url) as conn:
            row = conn.execute(select(t.c.record, t.c.content)
                               .where(t.c.owner == self.owner, t.c.id == entry_id)).first()
            return _join(row.record, row.content) if row else None

    def add_entries(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        if not records:
            return []
        t = entries_table
        ids = [r.get("id") for r in records if r.get("id")]
        badges = [r.get("badge_id") for r in records if r.get("badge_id")]
        shas = [r.get("sha256") for r in records if r.get("sha256")]
        with transaction(self.url) as conn:
            _lock_owner(conn, self.owner, LOCK_ENTRIES)
            rows = conn.execute(select(t.c.id, t.c.badge_id, t.c.sha256).where(
                t.c.owner == self.owner,
                t.c.id.in_(ids) | t.c.badge_id.in_(badges) | t.c.sha256.in_(shas)).order_by(t.c.seq)).all()
            known = [{"id": r.id, "badge_id": r.badge_id, "sha256": r.sha256} for r in rows]
            outcomes, new = match_existing(records, known, id_taken=lambda entry_id: self._id_taken(conn, entry_id))
            fresh: list[dict[str, Any]] = []
            for rec in new:
                body, content = _split(rec)
                fresh.append({"owner": self.owner, "id": rec["id"], "badge_id": rec.get("badge_id") or None,
                              "sha256": rec.get("sha256") or None, "content": content, "record": body})
            if fresh:
                conn.execute(insert(t), fresh)
            return outcomes

    def entry_summaries(self) -> list[dict[str, Any]]:
        """Every entry's :func:`~wallet.store.summary_record`, without reading the badge bytes: the
        database cuts each record down (no report, checklist or full badge leaves it), so a list of
        thousands moves a few kilobytes a badge instead of its whole record."""
        with transaction(self.url) as conn:
            rows = conn.execute(_SUMMARY_QUERY, {"owner": self.owner})
            out = []
            for light, badge_kind, badge, issuer_kind, issuer, report_kind, identity in rows:
                rec = dict(light)
                if badge_kind == "object":
                    rec["badge"] = dict(badge or {})
                    if issuer_kind == "object":
                        rec["badge"]["issuer"] = dict(issuer or {})
                if report_kind == "object":
                    rec["report"] = {} if identity is None else {"issuer_identity": identity}
                out.append(summary_record(rec))
            return out

    def get_entries(self, entry_ids: Sequence[str]) -> list[dict[str, Any]]:
        t = entries_table
        wanted = list(dict.fromkeys(entry_ids))
        if not wanted:
            return []
        with transaction(self.url) as conn:
            rows = conn.execute(select(t.c.id, t.c.record, t.c.content)
                                .where(t.c.owner == self.owner, t.c.id.in_(wanted)))
            found = {r.id: _join(r.record, r.content) for r in rows}
        return [found[i] for i in wanted if i in found]

    def get_setting(self, key: str) -> Any:
        t = settings_table
        with transaction(self.url) as conn:
            row = conn.execute(select(t.c.value).where(t.c.owner == self.owner, t.c.key == key)).first()
            return row.value if row else None

    def set_setting(self, key: str, value: Any) -> None:
        t = settings_table
        stmt = insert(t).values(owner=self.owner, key=key, value=value)
        with transaction(self.url) as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["owner", "key"], set_={"value": value}))

    def _id_taken(self, conn: Connection, entry_id: str) -> bool:
        t = entries_table
        return conn.execute(select(t.c.id).where(t.c.owner == self.owner, t.c.id == entry_id)).first() is not None

    def update_entries(self, changes: Mapping[str, Mapping[str, Any]]) -> list[str]:
        if not changes:
            return []
        t = entries_table
        done: list[str] = []
        with transaction(self.url) as conn:
            rows = conn.execute(select(t.c.id, t.c.record, t.c.content)
                                .where(t.c.owner == self.owner, t.c.id.in_(list(changes)))
                                .with_for_update()).all()
            found = {r.id: r for r in rows}
            for entry_id, fields in changes.items():
                row = found.get(entry_id)
                if row is None:
                    continue
                body, content = _split(dict(_join(row.record, row.content), **dict(fields), id=entry_id))
                conn.execute(t.update().where(t.c.owner == self.owner, t.c.id == entry_id).values(
                    record=body, content=content, badge_id=body.get("badge_id") or None,
                    sha256=body.get("sha256") or None))
                done.append(entry_id)
        return done

    def delete_entry(self, entry_id: str) -> bool:
        t = entries_table
        with transaction(self.url) as conn:
            return conn.execute(t.delete().where(t.c.owner == self.owner, t.c.id == entry_id)).rowcount > 0

    # portfolios

    def portfolios(self) -> list[dict[str, Any]]:
        t = portfolios_table
        with transaction(self.url) as conn:
            rows = conn.execute(select(t.c.record).where(t.c.owner == self.owner).order_by(t.c.seq))
            return [dict(r.record) for r in rows]

    def add_portfolios(self, records: Sequence[dict[str, Any]]) -> list[AddOutcome]:
        """Add portfolios; one whose id this owner has, or whose link (token hash) any owner has, is skipped."""
        t = portfolios_table
        outcomes: list[AddOutcome] = []
        with transaction(self.url) as conn:
            _lock_owner(conn, "", LOCK_PORTFOLIOS)  # token hashes are unique across owners
            for rec in records:
                taken = conn.execute(select(t.c.id).where(t.c.owner == self.owner, t.c.id == rec["id"])).first()
                if not taken and rec.get("token_hash"):
                    taken = conn.execute(select(t.c.id).where(t.c.token_hash == rec["token_hash"])).first()
                if taken:
                    outcomes.append(AddOutcome(rec["id"], False))
                    continue
                conn.execute(insert(t).values(owner=self.owner, id=rec["id"], token_hash=rec.get("token_hash") or None,
                                              record=dict(rec)))
                outcomes.append(AddOutcome(rec["id"], True))
        return outcomes

    def update_portfolio(self, portfolio_id: str, changes: Mapping[str, Any]) -> bool:
        t = portfolios_table
        with transaction(self.url) as conn:
            row = conn.execute(select(t.c.record).where(t.c.owner == self.owner, t.c.id == portfolio_id)
                               .with_for_update()).first()
            if row is None:
                return False
            record = dict(row.record, **dict(changes), id=portfolio_id)
            conn.execute(t.update().where(t.c.owner == self.owner, t.c.id == portfolio_id)
                         .values(record=record, token_hash=record.get("token_hash") or None))
            return True


class SQLCheckCache:
    """The public-page check cache of one owner in the database (:class:`wallet.check_cache.CheckCache`),
    so every app process serves what any of them checked. Keyed like the file cache (owner, entry id +
    file SHA-256); the page decides freshness from ``checked_at`` exactly as with the file (CACHE_SECONDS).
    Rows older than ``keep`` are neither served nor kept: each write deletes the owner's expired rows.
    Disposable like the file: a database error (or a table not migrated yet) reads as empty and a write
    that fails is dropped — the page just checks again.
    """

    def __init__(self, url: str, owner: str, *, keep: float = 86_400.0,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.url, self.owner, self.keep = url, owner, keep
        self.clock = clock or (lambda: datetime.now(UTC))

    def _oldest(self) -> datetime:
        return self.clock() - timedelta(seconds=self.keep)

    def get(self, key: str) -> tuple[datetime, dict[str, Any]] | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[datetime, dict[str, Any]]]:
        t = check_cache_table
        if not keys:
            return {}
        try:
            with transaction(self.url) as conn:
                rows = conn.execute(select(t.c.key, t.c.checked_at, t.c.report).where(
                    t.c.owner == self.owner, t.c.key.in_(list(keys)), t.c.checked_at >= self._oldest())).all()
        except (WalletError, SQLAlchemyError):
            return {}
        return {r.key: (r.checked_at, dict(r.report)) for r in rows if isinstance(r.report, dict)}

    def put(self, items: Mapping[str, tuple[datetime, dict[str, Any]]]) -> None:
        t = check_cache_table
        if not items:
            return
        rows = [{"owner": self.owner, "key": k, "checked_at": at, "report": report} for k, (at, report) in items.items()]
        stmt = insert(t).values(rows)
        stmt = stmt.on_conflict_do_update(index_elements=["owner", "key"],
                                          set_={"checked_at": stmt.excluded.checked_at, "report": stmt.excluded.report},
                                          where=t.c.checked_at < stmt.excluded.checked_at)  # never an older result over a newer
        try:
            with transaction(self.url) as conn:
                conn.execute(stmt)
                conn.execute(t.delete().where(t.c.owner == self.owner, t.c.checked_at < self._oldest()))
        except (WalletError, SQLAlchemyError):
            return


def holder_slug(url: str, owner: str, public_key: str, new_slug: Callable[[], str]) -> str:
    """The owner's did:web slug (made with ``new_slug`` the first time), its row holding ``public_key``."""
    t = holder_dids_table
    with transaction(url) as conn:
        conn.execute(insert(t).values(slug=new_slug(), owner=owner, public_key=public_key)
                     .on_conflict_do_nothing(index_elements=["owner"]))
        row = conn.execute(select(t.c.slug, t.c.public_key).where(t.c.owner == owner)).one()
        if row.public_key != public_key:
            conn.execute(t.update().where(t.c.owner == owner).values(public_key=public_key))
        return str(row.slug)


def holder_public_key(url: str, slug: str) -> str | None:
    """The public key published under ``slug`` (None when no learner has it). Reads nothing else."""
    t = holder_dids_table
    with transaction(url) as conn:
        row = conn.execute(select(t.c.public_key).where(t.c.slug == slug)).first()
        return str(row.public_key) if row else None


def portfolio_owner(url: str, token_hash: str) -> str | None:
    """The owner of the portfolio whose link hashes to ``token_hash`` (None when no link matches)."""
    t = portfolios_table
    with transaction(url) as conn:
        row = conn.execute(select(t.c.owner).where(t.c.token_hash == token_hash)).first()
        return row.owner if row else None


def owners(url: str) -> list[str]:
    """Every owner with at least one entry (the worker's re-verification walks them)."""
    t = entries_table
    with transaction(url) as conn:
        return [r.owner for r in conn.execute(select(t.c.owner).distinct().order_by(t.c.owner))]


def ping(url: str) -> None:
    """Raise :class:`WalletError` unless the database answers."""
    with transaction(url) as conn:
        conn.execute(text("SELECT 1"))


__all__ = ["SQLStore", "SQLCheckCache", "is_database_url", "engine_for", "portfolio_owner", "owners", "metadata",
           "entries_table", "portfolios_table", "http_cache_entries_table", "transaction"]
