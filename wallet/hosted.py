"""One learner's wallet in the shared database: :func:`open_wallet` picks the store and the fetcher.

A :class:`HostedWallet` is a :class:`~wallet.service.Wallet` whose store is the owner's rows in
PostgreSQL and whose fetcher shares issuer documents and status lists through the database
(:mod:`wallet.http_cache`). A file path (or nothing) gives the embedded TinyDB wallet, unchanged.
"""
from __future__ import annotations

from typing import Any

from verifier.fetch import SafeFetcher

from .dburl import is_database_url
from .service import Wallet


class HostedWallet(Wallet):
    """A wallet over ``SQLStore(url, owner)`` that verifies through the shared HTTP cache."""

    def fetcher(self) -> SafeFetcher:
        from .http_cache import CachingFetcher

        return CachingFetcher(allow_hosts=self.allow_hosts, offline=self.offline, mirrors=self.mirrors,
                              database_url=self.database_url or "")


def open_wallet(db: str | None = None, owner: str | None = None, **options: Any) -> Wallet:
    """The wallet ``db`` names (a file, a postgresql:// URL, or $BADGE_WALLET_DB / the default file)."""
    import os

    from .service import DB_ENV

    target = db if db is not None else os.environ.get(DB_ENV)
    if is_database_url(target):
        return HostedWallet(target, owner=owner, **options)
    return Wallet(db, owner=owner, **options)
