"""What every part of the wallet shares: its store, clock and fetcher, and how a write fails.

:class:`WalletCore` holds the plumbing; the jobs (import, restore, listing, re-checks, sharing, the
holder's profile) are functions in their own modules that take it, and :class:`wallet.service.Wallet`
puts them together. Nothing here imports those modules, so they never import each other in a circle.
"""
from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

from verifier import demo_mirrors

from .check_cache import CheckCache, FileCheckCache
from .dburl import is_database_url
from .model import DamagedRecord, Entry
from .settings import DEFAULT_DB, Settings, default_wallet_file
from .sqlite_store import SQLiteStore
from .store import WalletError, WalletStore

if TYPE_CHECKING:  # the fetcher (and requests) is loaded by the first job that fetches
    from verifier import SafeFetcher

VERIFY_WORKERS = 4  # verifications at once (threads: a hosted badge mostly waits for its issuer)

Progress = Callable[[int, int, str], None]
T = TypeVar("T")


def disk_error_sentence(exc: OSError, path: Path) -> str:
    """A sentence for a failed write of the wallet at ``path``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"The disk holding the wallet ({path.parent}) is full, so this change was not saved. "
                "Nothing already in the wallet was lost; free some space and try again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"The wallet file {path} cannot be written (permission denied or a read-only disk), so this "
                "change was not saved. Nothing already in the wallet was lost.")
    return (f"The wallet could not be saved to {path} ({exc.strerror or exc}), so this change was not saved. "
            "Nothing already in the wallet was lost.")


class WalletCore:
    """One learner's store with its clock, fetcher and settings (see :class:`wallet.service.Wallet`)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, store: WalletStore | None = None,
                 allow_hosts: Iterable[str] = (), offline: bool = False, now: datetime | None = None,
                 public_url: str | None = None, mirrors: Mapping[str, Path] | None = None,
                 owner: str | None = None, demo: bool = False, key_secret: str | None = None) -> None:
        """Nothing here reads the environment: the entry points read it once (:mod:`wallet.settings`)
        and use :meth:`from_settings`. ``path`` may be a postgresql:// URL: the hosted store of ``owner``;
        None is the default file in the user's data folder (the demo wallet in demo mode)."""
        db = str(path) if path is not None else ""
        self.database_url = db if store is None and is_database_url(db) else None
        self.owner = owner
        self.path = DEFAULT_DB if self.database_url else (Path(path) if path is not None
                                                          else default_wallet_file(demo))
        if store is None and self.database_url:
            from .sql_store import SQLStore  # SQLAlchemy is loaded only in hosted mode
            store = SQLStore(self.database_url, owner or "")
        self.store: WalletStore = store if store is not None else SQLiteStore(self.path)
        # Public-page results (check_cache.py): beside the wallet file; a table shared by every process
        # for a database (sql_store.SQLCheckCache).
        self.check_cache: CheckCache = FileCheckCache(self.path.with_name(self.path.name + ".checks.json"))
        if self.database_url:
            from .sql_store import SQLCheckCache

            self.check_cache = SQLCheckCache(self.database_url, owner or "", clock=self.clock)
        self.allow_hosts = list(allow_hosts)
        self.offline = offline
        self.now = now
        self.public_url = public_url
        self.key_secret = key_secret  # hosted: the operator's secret that seals holder keys (key_vault.py)
        # Demo mode (verifier/demo.py): only then is the demo issuer served locally.
        self.demo = demo
        # URL prefix → local folder the fetcher serves instead of the network (default: the demo
        # issuer in demo mode, nothing otherwise).
        self.mirrors = dict(demo_mirrors(self.demo) if mirrors is None else mirrors)

    @classmethod
    def from_settings(cls, settings: Settings, *, owner: str | None = None, **options: Any) -> Self:
        """The wallet ``settings`` name (its file or database, demo mode, public URL, private hosts);
        ``options`` (offline, now, store, …) go to the constructor and win."""
        base: dict[str, Any] = {"allow_hosts": settings.allow_hosts, "public_url": settings.public_url or None,
                                "demo": settings.demo, "key_secret": settings.key_secret or None}
        return cls(settings.database_url or settings.wallet_path, owner=owner, **(base | options))

    def clock(self) -> datetime:
        return self.now or datetime.now(UTC)

    def fetcher(self) -> SafeFetcher:
        """A fresh fetcher for one verification or batch. Issuer documents (profiles, keys, DID documents,
        status lists) outlive it only in the HTTP cache beside the wallet file (``wallet.json.http-cache``,
        verifier/fetch_cache.py) and only as long as their caching headers allow, at most
        ``MAX_FRESH_SECONDS``: a re-verification sees a revocation once the list's headers say the kept
        copy is stale (``no-cache``: at once). Failures are never kept. Hosted wallets keep the same
        cache's entries in the database instead (wallet/hosted.py, wallet/http_cache.py)."""
        from verifier import SafeFetcher, http_file_cache

        cache = None if self.database_url else http_file_cache(self.path.with_name(self.path.name + ".http-cache"))
        return SafeFetcher(allow_hosts=self.allow_hosts, offline=self.offline, mirrors=self.mirrors, http_cache=cache)

    def save(self, write: Callable[[], T]) -> T:
        """Run a store write; an OS error (disk full, read-only folder, quota) becomes a sentence.

        The store writes a temporary file and renames it over the wallet only when complete, so a
        failed write leaves what was committed before intact."""
        try:
            return write()
        except OSError as exc:
            raise WalletError(disk_error_sentence(exc, self.path)) from exc

    def get(self, entry_id: str) -> Entry | None:
        """The entry ``entry_id``; None when there is none or its record cannot be read."""
        rec = self.store.get_entry(entry_id)
        if not rec:
            return None
        try:
            return Entry.from_record(rec)
        except DamagedRecord:
            return None

    def require(self, entry_id: str) -> Entry:
        entry = self.get(entry_id)
        if entry is None:
            raise WalletError(f"There is no badge with id {entry_id} in this wallet.")
        return entry

    def setting(self, key: str) -> Any:
        """A value of the wallet's own settings (identities, display name, holder key); None when unset."""
        getter = getattr(self.store, "get_setting", None)
        return getter(key) if getter is not None else None

    def set_setting(self, key: str, value: Any) -> None:
        setter = getattr(self.store, "set_setting", None)
        if setter is None:
            raise WalletError("This wallet's storage cannot keep settings yet (identities, name, holder key).")
        self.save(lambda: setter(key, value))
