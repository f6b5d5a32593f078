"""The wallet facade used by the app and the CLI: :class:`Wallet`.

Each method hands over to the module that does the job (wallet/core.py holds the store, clock and
fetcher every job shares)::

    uploads.py   files, pasted text, zips and backups planned into imports
    importer.py  verify, dedupe (identity, then bytes), batch writes, new records
    backup.py    export the wallet as a zip; restore one (over archive.py, the file format)
    entries.py   lists, summaries, several entries at once, damage sentences, the learner's edits
    reverify.py  check stored badges again, in chunks
    trust.py     issuer registries and trusted issuers (the options every verification gets)
    sharing.py   portfolio links, the public page, QR, LinkedIn, presentations, PDFs
    profile.py   the holder's identities, display name and did:key
    settings.py  where the wallet lives, read from the environment

API (every method returns typed values; problems the user can fix raise :class:`WalletError` with a
sentence, never a bare exception)::

    w = Wallet(path=None, *, store=None, allow_hosts=(), offline=False, now=None, public_url=None,
               mirrors=None, owner=None, demo=False)
    w = Wallet.from_settings(settings_from_env(), owner=None, **options)   # what the entry points do
        # Nothing reads the environment but wallet.settings.settings_from_env (the CLI and the app call it).
        # path may be a postgresql:// URL: the hosted store of ``owner``; None: wallet.json in the user's
        # data folder (platformdirs); allow_hosts: private HOST[:PORT] the fetcher may reach; now: fixed
        # clock for tests (w.now can be changed later); public_url: base of links; mirrors: URL prefix →
        # local folder the fetcher serves instead of the network (default: the demo issuer, if demo)

    # import — each returns ImportResult(filename, status "added"|"duplicate"|"rejected",
    #          entry_id, message, verdict, category)
    w.import_file(name, data: bytes)          # one PNG, SVG, JSON, JWS/JWT or URL file (not a zip)
    w.import_text(text, name=None)            # pasted URL, JSON, JWS or JWT
    w.import_files([(name, data), ...], progress=None) -> list[ImportResult]   # progress(done, total, name)
    w.import_archive(data) -> list[ImportResult]   # a wallet export (restores everything) or a zip of badges

    # read
    w.entries(category=None, verdict=None, issuer=None) -> list[Entry]   # oldest first
    w.summaries(category=None, verdict=None, issuer=None) -> list[EntrySummary]  # the same, without the
        # original files, reports and checklists: cheap for every entry of a big wallet (lists, grids)
    w.get(entry_id) -> Entry | None;  w.get_many(ids) -> list[Entry]   # the ids that exist, in order
    w.issuers() -> list[str]

    # maintain
    w.reverify(ids=None, progress=None) -> list[ReverifyResult]   # all when ids is None; revocations
        # show up here. A few at a time over chunks of entries (reverify.py): memory stays flat
    w.set_override(entry_id, "micro-credential" | "badge" | None) -> Entry
    w.set_tags(entry_id, tags) -> Entry;  w.set_notes(entry_id, notes) -> Entry
    w.delete(entry_id) -> bool
    w.export_zip() -> bytes                          # original files + index.json, lossless

    # share
    w.create_portfolio(ids, title, expires_days=None, show_email=False) -> (Portfolio, link)
    w.portfolios() -> list[Portfolio];  w.portfolio_status(p) -> "active"|"expired"|"revoked"
    w.revoke_portfolio(token_or_link_or_id) -> Portfolio      # WalletError when unknown
    w.open_portfolio(token_or_link, refresh=True, deadline=8.0, max_age=120.0, on_done=None) -> PublicPortfolio
        # never raises; .status ok|expired|revoked|unknown. A link with &b=ENTRY is a one-badge page.
        # refresh=False: every badge from its last stored result, at once; otherwise results older than
        # max_age seconds are checked again in parallel within deadline and stored (on_done(i, badge))
    w.qr_code(link, kind="png"|"svg") -> bytes
    w.linkedin_url(entry_id, cert_url) -> str | None   # None unless the badge is valid and cert_url given

    # the holder (the learner): identities matched against each badge's recipient, a display name, a did:key
    w.identities() -> list[Identity];  w.add_identity(text, confirmed=False);  w.remove_identity(text)
    w.display_name() -> str;  w.set_display_name(name);  w.holder_key() -> HolderKey   # made on first use
    w.presentation(ids, challenge=None, domain=None) -> dict   # a holder-signed VP of OB 3.0 credentials
        # (VC-JWTs enveloped); OB 1.x/2.0 badges are refused by name
    w.pdf_report(ids, link=None, title=None) -> (bytes, link)   # printable pages with a QR to the live page

Storage policy: a file with no readable badge (not a badge, unreadable, a URL that returned nothing)
is *not* stored — its result says why. A badge that verifies as invalid, unverifiable, expired or
revoked *is* stored with that verdict, so a learner sees it flagged rather than losing it; re-verify
later to refresh the verdict. Duplicates (same assertion/credential id, or same bytes) are refused
with "Already in wallet".
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import entries
from .core import Progress, WalletCore, disk_error_sentence
from .model import Entry, EntrySummary, Portfolio, PortfolioStatus, Signal
from .results import ImportResult, ReverifyResult
from .settings import DEFAULT_DB, Settings, settings_from_env, user_data_dir
from .store import WalletError, atomic_writer

if TYPE_CHECKING:
    from verifier import RegistryLoad

    from .holder import HolderKey, HolderMatch, Identity
    from .importer import sniff_media_type
    from .issuer_settings import IssuerSettings
    from .portfolio import PublicPortfolio
    from .sharing import OnDone

# The jobs that verify, fetch or draw (import, re-checks, sharing, trust, the holder's key) are loaded
# on first use, so a page that only lists the wallet does not load the verifier, the fetcher or requests.
CACHE_SECONDS = 120.0  # wallet.portfolio.CACHE_SECONDS (a test keeps the two equal)
PAGE_DEADLINE = 8.0  # wallet.portfolio.PAGE_DEADLINE


def __getattr__(name: str) -> Any:
    """PEP 562: the re-exported ``sniff_media_type`` loads the importer only when asked for."""
    if name == "sniff_media_type":
        return importlib.import_module(".importer", __package__).sniff_media_type
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Wallet(WalletCore):
    """One learner's wallet over a :class:`WalletStore` (a SQLite file by default). See the module doc."""

    # --- import (uploads.py, importer.py, backup.py)

    def import_file(self, name: str, data: bytes) -> ImportResult:
        from . import uploads
        return uploads.import_file(self, name, data)

    def import_text(self, text: str, name: str | None = None) -> ImportResult:
        from . import uploads
        return uploads.import_text(self, text, name)

    def import_files(self, files: Iterable[tuple[str, bytes]], progress: Progress | None = None) -> list[ImportResult]:
        from . import uploads
        return uploads.import_files(self, files, progress)

    def import_archive(self, data: bytes) -> list[ImportResult]:
        from . import uploads
        return uploads.import_archive(self, data)

    def export_zip(self) -> bytes:
        from . import backup
        return backup.export_zip(self, self.portfolios())

    def export_to(self, path: str | os.PathLike[str]) -> int:
        """Write the export zip to ``path`` as it is made (atomically, memory flat); the number of badges."""
        with atomic_writer(Path(path)) as handle:
            from . import backup
            return backup.export_to(self, self.portfolios(), handle)

    # --- read (entries.py)

    def entries(self, category: str | None = None, verdict: str | None = None,
                issuer: str | None = None) -> list[Entry]:
        return entries.entries(self, category, verdict, issuer)

    def summaries(self, category: str | None = None, verdict: str | None = None,
                  issuer: str | None = None) -> list[EntrySummary]:
        return entries.summaries(self, category, verdict, issuer)

    def get_many(self, entry_ids: Sequence[str]) -> list[Entry]:
        """The readable entries of ``entry_ids``, in that order, read in one go."""
        return entries.read_many(self, entry_ids).entries

    def get_many_with_damage(self, entry_ids: Sequence[str]) -> tuple[list[Entry], list[str]]:
        """:meth:`get_many` and a sentence per record among them that cannot be read in full."""
        loaded = entries.read_many(self, entry_ids)
        return loaded.entries, loaded.damage

    def damaged(self) -> list[str]:
        return entries.damaged(self)

    def entries_with_damage(self) -> tuple[list[Entry], list[str]]:
        """Every readable entry, fully read, with a sentence per damaged record or portfolio."""
        loaded = entries.all_entries(self)
        return loaded.entries, loaded.damage + entries.portfolio_damage(self)

    def summaries_with_damage(self) -> tuple[list[EntrySummary], list[str]]:
        """:meth:`summaries` and :meth:`damaged` from one read of the list."""
        out, damage = entries.all_summaries(self)
        return out, damage + entries.portfolio_damage(self)

    def issuers(self) -> list[str]:
        return entries.issuers(self)

    # --- maintain (reverify.py, entries.py)

    def reverify(self, ids: Sequence[str] | None = None, progress: Progress | None = None) -> list[ReverifyResult]:
        from . import reverify
        return reverify.reverify(self, ids, progress)

    def set_override(self, entry_id: str, category: str | None) -> Entry:
        return entries.set_override(self, entry_id, category)

    def set_tags(self, entry_id: str, tags: Iterable[str]) -> Entry:
        return entries.set_tags(self, entry_id, tags)

    def set_notes(self, entry_id: str, notes: str) -> Entry:
        return entries.update(self, entry_id, {"notes": notes})

    def delete(self, entry_id: str) -> bool:
        return entries.delete(self, entry_id)

    # --- issuer identity (trust.py)

    def issuer_settings(self) -> IssuerSettings:
        from . import trust
        return trust.load_settings(self)

    def registry_loads(self, *, refresh: bool = False) -> list[RegistryLoad]:
        from . import trust
        return trust.registry_loads(self, refresh=refresh)

    def identity_options(self, *, public: bool = False) -> dict[str, Any]:
        from . import trust
        return trust.identity_options(self, public=public)

    def add_registry(self, spec: str) -> RegistryLoad:
        from . import trust
        return trust.add_registry(self, spec)

    def remove_registry(self, spec: str) -> bool:
        from . import trust
        return trust.remove_registry(self, spec)

    def set_trusted(self, issuer_id: str, trusted: bool = True) -> int:
        from . import trust
        return trust.set_trusted(self, issuer_id, trusted)

    # --- share (sharing.py)

    def create_portfolio(self, ids: Sequence[str], title: str, expires_days: float | None = None,
                         show_email: bool = False) -> tuple[Portfolio, str]:
        from . import sharing
        return sharing.create_portfolio(self, ids, title, expires_days, show_email)

    def recreate_portfolio(self, portfolio_id: str, expires_days: float | None = None,
                           show_email: bool = False) -> tuple[Portfolio, str]:
        from . import sharing
        return sharing.recreate_portfolio(self, portfolio_id, expires_days, show_email)

    def portfolios(self) -> list[Portfolio]:
        from . import sharing
        return sharing.portfolios(self)

    def portfolio_status(self, portfolio: Portfolio) -> PortfolioStatus:
        return portfolio.status(self.clock())

    def revoke_portfolio(self, token_or_id: str) -> Portfolio:
        from . import sharing
        return sharing.revoke_portfolio(self, token_or_id)

    def open_portfolio(self, token: str, *, badge: str | None = None, refresh: bool = True,
                       deadline: float | None = PAGE_DEADLINE, max_age: float = CACHE_SECONDS,
                       on_done: OnDone | None = None) -> PublicPortfolio:
        from . import sharing
        return sharing.open_portfolio(self, token, badge=badge, refresh=refresh, deadline=deadline,
                                      max_age=max_age, on_done=on_done)

    @staticmethod
    def qr_code(link: str, kind: str = "png") -> bytes:
        from . import sharing
        return sharing.qr(link, kind)

    def linkedin_url(self, entry_id: str, cert_url: str | None = None) -> str | None:
        from . import sharing
        return sharing.linkedin_url(self, entry_id, cert_url)

    def presentation(self, entry_ids: Sequence[str], *, challenge: str | None = None,
                     domain: str | None = None) -> dict[str, Any]:
        from . import sharing
        return sharing.presentation(self, entry_ids, challenge=challenge, domain=domain)

    def pdf_report(self, entry_ids: Sequence[str], *, link: str | None = None,
                   title: str | None = None) -> tuple[bytes, str]:
        from . import sharing
        return sharing.pdf_report(self, entry_ids, link=link, title=title)

    # --- the holder (profile.py)

    def identities(self) -> list[Identity]:
        from . import profile
        return profile.identities(self)

    def add_identity(self, text: str, *, confirmed: bool = False) -> Identity:
        from . import profile
        return profile.add_identity(self, text, confirmed=confirmed)

    def remove_identity(self, text: str) -> bool:
        from . import profile
        return profile.remove_identity(self, text)

    def display_name(self) -> str:
        from . import profile
        return profile.display_name(self)

    def set_display_name(self, name: str) -> None:
        from . import profile
        profile.set_display_name(self, name)

    def holder_key(self) -> HolderKey:
        from . import profile
        return profile.holder_key(self)

    def whose(self, entry_id: str) -> HolderMatch:
        from . import profile
        return profile.whose(self, entry_id)


__all__ = ["Wallet", "ImportResult", "ReverifyResult", "WalletError", "Signal", "EntrySummary",
           "Settings", "settings_from_env", "sniff_media_type", "disk_error_sentence", "user_data_dir", "DEFAULT_DB"]
