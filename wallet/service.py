"""The wallet facade used by the app and the CLI: :class:`Wallet`.

API (every method returns typed values; problems the user can fix raise :class:`WalletError` with a
sentence, never a bare exception)::

    w = Wallet(path=None, *, store=None, allow_hosts=None, offline=False, now=None, public_url=None,
               mirrors=None, owner=None)
        # path may be a postgresql:// URL (also via $BADGE_WALLET_DB): the hosted store of ``owner``
        # path: $BADGE_WALLET_DB or wallet.json in the user's data folder (platformdirs); allow_hosts: $BADGE_WALLET_ALLOW_HOSTS
        # (comma-separated HOST[:PORT]); now: fixed clock for tests (w.now can be changed later);
        # public_url: base of links ($BADGE_WALLET_PUBLIC_URL); mirrors: URL prefix → local folder the
        # fetcher serves instead of the network (default: the demo issuer, in demo mode only)

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
    w.reverify(ids=None, progress=None) -> list[ReverifyResult]   # REVERIFY_WORKERS at a time over
        # REVERIFY_CHUNK entries loaded at a time (verifier.batch.verify_many): memory stays flat     # all when ids is None; revocations show up here
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
    w.pdf_report(ids, link=None, title=None) -> (bytes, link)   # printable pages with a QR to the live page

Storage policy: a file with no readable badge (not a badge, unreadable, a URL that returned nothing)
is *not* stored — its result says why. A badge that verifies as invalid, unverifiable, expired or
revoked *is* stored with that verdict, so a learner sees it flagged rather than losing it; re-verify
later to refresh the verdict. Duplicates (same assertion/credential id, or same bytes) are refused
with "Already in wallet".
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from verifier import verify
from verifier.batch import DEADLINE_CHECK, verify_many
from verifier.demo import demo_mirrors, demo_mode
from verifier.detect import is_vc
from verifier.fetch import SafeFetcher
from verifier.identity import retrusted, without_trust
from verifier.model import Badge, Report
from verifier.ob2_normalize import detect_version, to_badge
from verifier.registry import RegistryCache, RegistryLoad, load_registry
from verifier.report import summary
from verifier.unbake import MAX_FILE_BYTES, PNG_SIGNATURE, looks_like_jws
from verifier.validity import parse_datetime

from . import archive, issuer_settings
from . import holder as holder_mod
from .check_cache import CheckCache, FileCheckCache, MemoryCheckCache, cache_key
from .dburl import is_database_url
from .grouping import classify
from .holder import HolderKey, Identity
from .identity import identity_key, is_authenticated, record_authenticated, record_identity
from .issuer_settings import IssuerSettings
from .linkedin import linkedin_add_url
from .model import CATEGORIES, DamagedRecord, Entry, EntrySummary, Portfolio, PortfolioStatus, Signal
from .portfolio import (
    CACHE_SECONDS,
    PAGE_DEADLINE,
    PublicBadge,
    PublicPortfolio,
    badge_from_link,
    badge_link,
    closed_view,
    find_portfolio,
    link_note,
    new_token,
    portfolio_link,
    public_badge,
    qr_code,
    report_from_dict,
    stored_report,
    token_from,
    token_hash,
)
from .store import TinyDBStore, WalletError, WalletStore, entry_summaries, get_entries, new_id

DB_ENV = "BADGE_WALLET_DB"
ALLOW_HOSTS_ENV = "BADGE_WALLET_ALLOW_HOSTS"
APP_NAME = "badge-wallet"


def user_data_dir() -> Path:
    """The learner's data folder for this app (platformdirs: ``~/.local/share/badge-wallet`` on Linux,
    ``~/Library/Application Support/badge-wallet`` on macOS, ``%LOCALAPPDATA%\\badge-wallet`` on Windows).
    Never the installed package: a wheel's ``site-packages`` is no place for a learner's data."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def _default_db() -> Path:
    """``wallet.json`` in the user's data folder; ``demo-wallet.json`` in demo mode, so the demo
    badges never land in the learner's own wallet."""
    return user_data_dir() / ("demo-wallet.json" if demo_mode() else "wallet.json")


DEFAULT_DB = user_data_dir() / "wallet.json"  # the default outside demo mode (see default_db_path)
BATCH = 20  # bulk imports are written in batches of this many entries
MAX_EXPIRY_DAYS = 36500  # a link's expiry, at most (about a century; "never" is None)
REVERIFY_WORKERS = 4  # verifications at once (threads: a hosted badge mostly waits for its issuer)
REVERIFY_CHUNK = 64  # entries (files + reports) held in memory at once by a re-check
PUBLIC_WORKERS = 8  # a public page's re-checks at once (its badges mostly wait for their issuers)
REVERIFY_WRITE_EVERY = 512  # a re-check of a big wallet saves its progress this often

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


def default_db_path() -> Path:
    """``$BADGE_WALLET_DB``, else the wallet in the user's data folder (demo mode: the demo wallet)."""
    env = os.environ.get(DB_ENV)
    return Path(env).expanduser() if env else _default_db()


def allow_hosts_from_env() -> list[str]:
    return [h.strip() for h in os.environ.get(ALLOW_HOSTS_ENV, "").split(",") if h.strip()]


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one file: ``added``, ``duplicate`` (entry_id = the existing entry) or ``rejected``."""

    filename: str
    status: str
    message: str
    entry_id: str | None = None
    verdict: str | None = None
    category: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "rejected"


@dataclass(frozen=True)
class ReverifyResult:
    entry_id: str
    name: str
    old_verdict: str
    verdict: str
    message: str
    damaged: bool = False  # the record could not be read, so it was not checked (``message`` says why)

    @property
    def changed(self) -> bool:
        return self.old_verdict != self.verdict


def sniff_media_type(data: bytes, filename: str = "") -> str:
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        return "image/svg+xml"
    if head.startswith(b"{"):
        return "application/ld+json" if filename.endswith((".jsonld", ".1ob")) else "application/json"
    text = data[:4096].decode("utf-8", "replace").strip()
    if looks_like_jws(text):
        return "application/jwt"
    if text.startswith(("http://", "https://")):
        return "text/uri-list"
    return "application/octet-stream"


_EXT = {"image/png": ".png", "image/svg+xml": ".svg", "application/json": ".json", "application/ld+json": ".json",
        "application/jwt": ".jwt", "text/uri-list": ".url.txt"}


def _payload_url(report: Report) -> str | None:
    payload = (report.payload or "").strip()
    return payload if payload.startswith(("http://", "https://")) else None


def _badge_of(report: Report) -> Badge | None:
    """The report's badge; for an OB 1/2 assertion the verifier could not confirm (e.g. revoked: its URL
    answers 410), the badge as the file itself states it, so the learner still sees what it was."""
    if report.badge is not None or report.format == "none":
        return report.badge
    try:
        doc = json.loads(report.payload or "")
    except ValueError:
        return None
    if not isinstance(doc, dict) or is_vc(doc):
        return None
    badgeclass = found if isinstance(found := doc.get("badge"), dict) else None
    issuer = badgeclass.get("issuer") if badgeclass and isinstance(badgeclass.get("issuer"), dict) else None
    return to_badge(doc, badgeclass, issuer, detect_version(doc))


def _first_failure(report: Report) -> str:
    failing = next((c for c in report.checks if c.status == "fail"), None)
    return failing.message if failing else summary(report)


class Wallet:
    """One learner's wallet over a :class:`WalletStore` (TinyDB file by default). See the module doc."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, store: WalletStore | None = None,
                 allow_hosts: Iterable[str] | None = None, offline: bool = False, now: datetime | None = None,
                 public_url: str | None = None, mirrors: Mapping[str, Path] | None = None,
                 owner: str | None = None, demo: bool | None = None) -> None:
        # A postgresql:// address (argument or $BADGE_WALLET_DB) is the hosted store of ``owner``.
        db = str(path) if path is not None else os.environ.get(DB_ENV, "")
        self.database_url = db if store is None and is_database_url(db) else None
        self.owner = owner
        self.path = DEFAULT_DB if self.database_url else (Path(path) if path is not None else default_db_path())
        if store is None and self.database_url:
            from .sql_store import SQLStore  # SQLAlchemy is loaded only in hosted mode
            store = SQLStore(self.database_url, owner or "")
        self.store: WalletStore = store if store is not None else TinyDBStore(self.path)
        # Public-page results (check_cache.py): beside the wallet file; per process for a database.
        self.check_cache: CheckCache = (MemoryCheckCache() if self.database_url
                                        else FileCheckCache(self.path.with_name(self.path.name + ".checks.json")))
        self.allow_hosts = list(allow_hosts) if allow_hosts is not None else allow_hosts_from_env()
        self.offline = offline
        self.now = now
        self.public_url = public_url
        # Demo mode ($BADGE_WALLET_DEMO, verifier/demo.py): only then is the demo issuer served locally.
        self.demo = demo_mode() if demo is None else demo
        # URL prefix → local folder the fetcher serves instead of the network (default: the demo
        # issuer in demo mode, nothing otherwise).
        self.mirrors = dict(demo_mirrors(self.demo) if mirrors is None else mirrors)

    # --- plumbing

    def clock(self) -> datetime:
        return self.now or datetime.now(UTC)

    def fetcher(self) -> SafeFetcher:
        """A fresh fetcher (fresh cache: a re-verification must see a revocation made since)."""
        return SafeFetcher(allow_hosts=self.allow_hosts, offline=self.offline, mirrors=self.mirrors)

    def _verify(self, data: bytes, fetcher: SafeFetcher, *, public: bool = False) -> Report:
        return verify(data, now=self.clock(), fetcher=fetcher, **self.identity_options(public=public))

    # --- issuer identity: registries and trusted issuers (wallet/issuer_settings.py)

    @property
    def _settings_path(self) -> Path:
        return issuer_settings.settings_path(self.path, self.owner)

    def issuer_settings(self) -> IssuerSettings:
        return issuer_settings.load(self._settings_path)

    def _save_settings(self, settings: IssuerSettings) -> None:
        self._save(lambda: issuer_settings.save(self._settings_path, settings))

    def registry_loads(self, *, refresh: bool = False) -> list[RegistryLoad]:
        """Every configured registry, loaded (URLs through the fetcher and the on-disk cache)."""
        cache = RegistryCache(directory=issuer_settings.cache_dir(self.path))
        fetcher = self.fetcher()
        try:
            return [load_registry(spec, fetcher, cache=cache, now=self.clock(), refresh=refresh)
                    for spec in self.issuer_settings().registries]
        finally:
            fetcher.close()

    def identity_options(self, *, public: bool = False) -> dict[str, Any]:
        """``registries`` and ``trusted_issuers`` for :func:`verifier.verify`. ``public``: for pages others
        see (portfolio links), without the learner's own trust list, which confirms nothing to them."""
        settings = self.issuer_settings()
        registries = [load.registry for load in self.registry_loads() if load.registry is not None] \
            if settings.registries else []
        return {"registries": registries, "trusted_issuers": () if public else tuple(settings.trusted)}

    def add_registry(self, spec: str) -> RegistryLoad:
        """Use the registry at ``spec`` (file path or http(s) URL) from now on; it must load."""
        spec = (spec or "").strip()
        if not spec:
            raise WalletError("Give the web address or the file of an issuer registry.")
        cache = RegistryCache(directory=issuer_settings.cache_dir(self.path))
        fetcher = self.fetcher()
        try:
            load = load_registry(spec, fetcher, cache=cache, now=self.clock(), refresh=True)
        finally:
            fetcher.close()
        if load.registry is None:
            raise WalletError(load.error or f"{spec} could not be read as an issuer registry.")
        settings = self.issuer_settings()
        if spec not in settings.registries:
            settings.registries.append(spec)
            self._save_settings(settings)
        return load

    def remove_registry(self, spec: str) -> bool:
        settings = self.issuer_settings()
        if spec not in settings.registries:
            return False
        settings.registries.remove(spec)
        self._save_settings(settings)
        return True

    def set_trusted(self, issuer_id: str, trusted: bool = True) -> int:
        """Mark (or unmark) an issuer id as trusted; the stored reports of its badges follow at once
        (no new verification: see :func:`verifier.identity.retrusted`). Returns how many changed."""
        issuer_id = (issuer_id or "").strip()
        if not issuer_id:
            raise WalletError("Give the id of the issuer to trust.")
        settings = self.issuer_settings()
        if trusted and issuer_id not in settings.trusted:
            settings.trusted.append(issuer_id)
        elif not trusted and issuer_id in settings.trusted:
            settings.trusted.remove(issuer_id)
        else:
            return 0
        self._save_settings(settings)
        ids = [e.id for e in self.summaries() if (e.badge.get("issuer") or {}).get("id") == issuer_id]
        changes: dict[str, dict[str, Any]] = {}
        for entry in self.get_many(ids):
            report = retrusted(entry.report, trusted)
            if report is not entry.report:
                changes[entry.id] = {"report": report}
        if changes:
            self._save(lambda: self.store.update_entries(changes))
        return len(changes)

    def _require(self, entry_id: str) -> Entry:
        entry = self.get(entry_id)
        if entry is None:
            raise WalletError(f"There is no badge with id {entry_id} in this wallet.")
        return entry

    def _save(self, write: Callable[[], T]) -> T:
        """Run a store write; an OS error (disk full, read-only folder, quota) becomes a sentence.

        The store writes a temporary file and renames it over the wallet only when complete, so a
        failed write leaves what was committed before intact."""
        try:
            return write()
        except OSError as exc:
            raise WalletError(disk_error_sentence(exc, self.path)) from exc

    # --- import

    def import_file(self, name: str, data: bytes) -> ImportResult:
        """Import one badge file (PNG, SVG, JSON, JWS/JWT or URL text). Zips go to :meth:`import_files`."""
        if archive.is_zip(data):
            return ImportResult(name, "rejected", "This is a zip archive: import it with import_files or "
                                "import_archive to get one result per badge inside.")
        return self.import_files([(name, data)])[0]

    def import_text(self, text: str, name: str | None = None) -> ImportResult:
        """Import a pasted URL, JSON document, JWS or JWT."""
        text = text.strip()
        if not text:
            return ImportResult(name or "pasted text", "rejected", "Nothing was pasted.")
        return self.import_files([(name or "", text.encode("utf-8"))])[0]

    def import_files(self, files: Iterable[tuple[str, bytes]], progress: Progress | None = None) -> list[ImportResult]:
        """Import many files, one result per badge file, in order. Zips are expanded (their skipped members
        get a result too) and a wallet export is restored; a bad file never stops the others."""
        plan: list[tuple[str, Any]] = []  # ("item", index) | ("done", ImportResult) | ("export", bytes)
        items: list[tuple[str, bytes]] = []
        for name, data in files:
            if not archive.is_zip(data):
                plan.append(("item", len(items)))
                items.append((name, data))
                continue
            if archive.looks_like_export(data):
                plan.append(("export", data))
                continue
            zipped = archive.read_zip(data)
            if zipped.error:
                plan.append(("done", ImportResult(name, "rejected", zipped.error)))
            for member, why in zipped.skipped:
                plan.append(("done", ImportResult(f"{name}/{member}", "rejected", why[:1].upper() + why[1:] + ".")))
            for member, content in zipped.files:
                plan.append(("item", len(items)))
                items.append((f"{name}/{member}", content))
            if not (zipped.files or zipped.error or zipped.skipped):
                plan.append(("done", ImportResult(name, "rejected", "This zip file is empty.")))
        imported = self._import_items(items, progress)
        out: list[ImportResult] = []
        for kind, value in plan:
            if kind == "item":
                out.append(imported[value])
            elif kind == "done":
                out.append(value)
            else:
                out.extend(self.import_archive(value))
        return out

    def _import_items(self, items: list[tuple[str, bytes]], progress: Progress | None,
                      presets: Sequence[Mapping[str, Any] | None] | None = None) -> list[ImportResult]:
        """Verify and store ``items``; ``presets[i]`` are extra record fields for a new entry (restore).

        Duplicates are found by identity (:mod:`wallet.identity`), then by bytes; the message names
        the badge already stored. An authenticated copy replaces a stored copy of the same badge that
        is not, keeping the learner's id, notes, tags and category."""
        stored = self._readable_summaries()
        by_sha = {r["sha256"]: r for r in stored if r.get("sha256")}
        by_identity = {k: r for r in stored if (k := record_identity(r))}
        options = self.identity_options()
        fetcher = self.fetcher()
        results: list[ImportResult | None] = [None] * len(items)
        pending: list[tuple[int, dict[str, Any]]] = []
        pending_identities: set[str] = set()

        def flush() -> None:
            if not pending:
                return
            outcomes = self._save(lambda: self.store.add_entries([rec for _, rec in pending]))
            for (index, rec), outcome in zip(pending, outcomes, strict=False):
                label = items[index][0] or rec.get("filename", "")
                if outcome.added:
                    kept = dict(rec, id=outcome.id)
                    by_sha[kept["sha256"]] = kept
                    if kept.get("badge_id"):
                        by_identity[kept["badge_id"]] = kept
                    results[index] = self._added_result(kept, label)
                else:  # stored meanwhile (another process, or the same id/bytes earlier)
                    existing = self.store.get_entry(outcome.id) or rec
                    results[index] = self._duplicate_result(existing, label)
            pending.clear()
            pending_identities.clear()

        digests = [hashlib.sha256(data).hexdigest() for _, data in items]
        reports: dict[int, Report] = {}

        def verify_ahead(start: int) -> None:
            """Verify the next BATCH files in parallel (one shared fetcher); the decisions below stay in order."""
            todo = [i for i in range(start, min(start + BATCH, len(items)))
                    if digests[i] not in by_sha and len(items[i][1]) <= MAX_FILE_BYTES]
            for i, report in zip(todo, verify_many([items[i][1] for i in todo], now=self.clock(), fetcher=fetcher,
                                                   workers=REVERIFY_WORKERS, **options), strict=True):
                reports[i] = report

        for index, (name, data) in enumerate(items):
            if progress:
                progress(index, len(items), name)
            if index % BATCH == 0:
                verify_ahead(index)
            digest = digests[index]
            if digest in by_sha:
                results[index] = self._duplicate_result(by_sha[digest], name)
                continue
            record_or_error = self._new_record(name, data, digest, fetcher, reports.pop(index, None))
            if isinstance(record_or_error, ImportResult):
                results[index] = record_or_error
                continue
            rec = record_or_error
            key = rec.get("badge_id")
            if key and key in pending_identities:
                flush()  # a second copy of a badge in the same batch: decide against the stored first one
            if key and key in by_identity:
                existing = by_identity[key]
                if rec["authenticated"] and not record_authenticated(existing):
                    replaced = self._replace(existing, rec)
                    by_identity[key] = replaced
                    by_sha[replaced["sha256"]] = replaced
                    results[index] = self._replaced_result(existing, replaced, name)
                else:
                    results[index] = self._duplicate_result(existing, name, differs=True,
                                                            unconfirmed=not rec["authenticated"])
                continue
            preset = presets[index] if presets else None
            if preset:
                rec.update(preset)
            pending.append((index, rec))
            if key:
                pending_identities.add(key)
            if len(pending) >= BATCH:
                flush()
        flush()
        fetcher.close()
        if progress:
            progress(len(items), len(items), "")
        return [r for r in results if r is not None]  # every slot is filled by now

    def _new_record(self, name: str, data: bytes, digest: str, fetcher: SafeFetcher,
                    report: Report | None = None) -> dict[str, Any] | ImportResult:
        """The record of a new file (``report``: its verification, when already done)."""
        label = name or "pasted text"
        if len(data) > MAX_FILE_BYTES:
            return ImportResult(label, "rejected", f"Not stored: the file is larger than "
                                f"{MAX_FILE_BYTES // (1024 * 1024)} MB.")
        if report is None:
            report = self._verify(data, fetcher)
        badge = _badge_of(report)
        if badge is None:
            return ImportResult(label, "rejected", f"Not stored: {_first_failure(report)}", verdict=report.verdict)
        media_type = sniff_media_type(data, name)
        filename = archive.safe_filename(name.rsplit("/", 1)[-1], "") if name else ""
        if not filename:
            filename = archive.safe_filename(badge.name or "badge") + _EXT.get(media_type, "")
        grouping = classify(badge)
        now = self.clock()
        badge_dict = badge.to_dict()
        entry = Entry(id="", filename=filename, media_type=media_type, content=data, sha256=digest,
                      badge_id=identity_key(report.format, badge_dict, _payload_url(report)), badge=badge_dict,
                      report=report.to_dict(), verdict=report.verdict, format=report.format, verified_at=now,
                      category=grouping.category, reasons=grouping.reasons, checklist=grouping.checklist,
                      added_at=now, authenticated=is_authenticated(report))
        return entry.to_record()

    def _replace(self, existing: dict[str, Any], rec: dict[str, Any]) -> dict[str, Any]:
        """Put the authenticated copy ``rec`` in place of ``existing`` (same id; the learner's
        additions and the date it was first added are kept)."""
        keep = ("id", "notes", "tags", "override", "added_at")
        fields = {k: v for k, v in rec.items() if k not in keep}
        self._save(lambda: self.store.update_entries({existing["id"]: fields}))
        return dict(existing, **fields)

    @staticmethod
    def _stored_name(rec: Mapping[str, Any]) -> str:
        try:
            return Entry.from_record(dict(rec)).name
        except DamagedRecord:
            return str(rec.get("filename") or "a badge")

    def _duplicate_result(self, existing: Mapping[str, Any], label: str, *, differs: bool = False,
                          unconfirmed: bool = False) -> ImportResult:
        message = f"Already in wallet: “{self._stored_name(existing)}”."
        if differs and unconfirmed:
            message += (" This file claims to be the same badge but differs from the stored copy and could not "
                        "be confirmed with its issuer, so the stored copy was kept.")
        return ImportResult(label or str(existing.get("filename", "")), "duplicate", message, existing.get("id"),
                            existing.get("verdict"), existing.get("override") or existing.get("category"))

    def _replaced_result(self, existing: Mapping[str, Any], rec: Mapping[str, Any], label: str) -> ImportResult:
        old = self._stored_name(existing)
        message = (f"Replaced the copy of “{old}” already in the wallet, which could not be confirmed "
                   f"({existing.get('verdict')}), with this authenticated one (now {rec.get('verdict')}); "
                   "its notes, tags and category were kept.")
        return ImportResult(label, "replaced", message, existing.get("id"), rec.get("verdict"),
                            existing.get("override") or rec.get("category"))

    @staticmethod
    def _added_result(rec: dict[str, Any], label: str = "") -> ImportResult:
        entry = Entry.from_record(rec)
        label = label or entry.filename
        report = rec.get("report") or {}
        if entry.verdict == "valid":
            message = f"Added “{entry.name}”: it is genuine."
        else:
            failing = next((c["message"] for c in report.get("checks", []) if c.get("status") == "fail"), "")
            message = f"Added “{entry.name}”, flagged {entry.verdict}" + (f": {failing}" if failing else ".")
        return ImportResult(label, "added", message, entry.id, entry.verdict, entry.effective_category)

    def import_archive(self, data: bytes) -> list[ImportResult]:
        """Restore a wallet export as an import; a plain zip of badges is imported.

        An export is untrusted input (any zip with an index naming the format): each file is verified
        and grouped again exactly like an import, and the index's verdicts, categories and badge data
        are ignored. Only the learner's additions are taken — notes, tags and category override —
        and merged into a badge already in the wallet. Portfolio links are restored *withdrawn*, with
        no token: a backup must never open a public link (its token may be known to whoever made the
        zip); :meth:`recreate_portfolio` makes a new link for the same badges."""
        if not archive.looks_like_export(data):
            if archive.is_zip(data):
                return self.import_files([("archive.zip", data)])
            return [ImportResult("archive", "rejected", "This file is not a zip archive.")]
        parsed = archive.read_export(data)
        if isinstance(parsed, str):
            return [ImportResult("archive", "rejected", parsed)]
        results = [ImportResult(name, "rejected", f"Not restored: {why}.") for name, why in parsed.problems]
        taken = {r.get("id") for r in entry_summaries(self.store) if isinstance(r, dict)}
        items, presets = [], []
        for item in parsed.entries:
            preset: dict[str, Any] = {"notes": item.notes, "tags": item.tags, "override": item.override}
            if item.old_id and item.old_id not in taken:
                preset["id"] = item.old_id  # kept when free: an old link's badge list still reads right
                taken.add(item.old_id)
            if parse_datetime(item.added_at):
                preset["added_at"] = parse_datetime(item.added_at).isoformat()  # type: ignore[union-attr]
            items.append((item.filename, item.content))
            presets.append(preset)
        imported = self._import_items(items, None, presets)
        renamed: dict[str, str] = {}
        merges: dict[str, dict[str, Any]] = {}
        for item, result in zip(parsed.entries, imported, strict=False):
            if result.entry_id and item.old_id:
                renamed[item.old_id] = result.entry_id
            if result.status == "added" and result.message.startswith("Added "):
                result = ImportResult(result.filename, "added", "Restored " + result.message[len("Added "):],
                                      result.entry_id, result.verdict, result.category)
            if result.status in ("duplicate", "replaced") and result.entry_id:
                fields = self._merged_additions(result.entry_id, item, merges.get(result.entry_id))
                if fields:
                    merges[result.entry_id] = fields
                    result = ImportResult(result.filename, result.status,
                                          result.message + " The notes, tags and category from the backup "
                                          "were merged into it.", result.entry_id, result.verdict, result.category)
            results.append(result)
        if merges:
            self._save(lambda: self.store.update_entries(merges))
        results.extend(self._restore_portfolios(parsed.portfolios, renamed))
        return results

    def _merged_additions(self, entry_id: str, item: archive.ArchivedEntry,
                          earlier: dict[str, Any] | None) -> dict[str, Any]:
        """The notes/tags/override of the stored entry with the backup's merged in (only what changes)."""
        entry = self.get(entry_id)
        if entry is None:
            return {}
        notes = (earlier or {}).get("notes", entry.notes)
        tags = list((earlier or {}).get("tags", entry.tags))
        override = (earlier or {}).get("override", entry.override)
        fields: dict[str, Any] = {}
        if item.notes and item.notes not in notes:
            fields["notes"] = f"{notes}\n\n{item.notes}" if notes else item.notes
        merged_tags = list(dict.fromkeys([*tags, *item.tags]))
        if merged_tags != tags:
            fields["tags"] = merged_tags
        if override is None and item.override:
            fields["override"] = item.override
        return dict(earlier or {}, **fields) if fields else {}

    def _restore_portfolios(self, items: Sequence[archive.ArchivedPortfolio],
                            renamed: Mapping[str, str]) -> list[ImportResult]:
        results, records = [], []
        now = self.clock()
        for item in items:
            ids = [renamed[i] for i in item.entry_ids if i in renamed]
            if not ids:
                results.append(ImportResult(f"link “{item.title}”", "rejected",
                                            "Not restored: none of its badges came back from the backup."))
                continue
            portfolio = Portfolio(id=new_id(), title=item.title, entry_ids=list(dict.fromkeys(ids)), token_hash="",
                                  created_at=now, revoked_at=now)
            records.append(portfolio.to_record())
            results.append(ImportResult(
                f"link “{item.title}”", "added",
                f"The portfolio link “{item.title}” ({len(portfolio.entry_ids)} badge(s)) was restored as withdrawn: "
                "a link is never reopened from a backup. Make it again on the Share page "
                f"(“Make a new link”) or with: wallet recreate {portfolio.id}.", portfolio.id))
        if records:
            self._save(lambda: self.store.add_portfolios(records))
        return results

    # --- read

    def _decoded(self) -> tuple[list[Entry], list[str]]:
        """Every readable entry, and a sentence for each damaged record (skipped, left in the file)."""
        out, damaged = [], []
        for position, rec in enumerate(self.store.entries(), start=1):
            try:
                out.append(Entry.from_record(rec))
            except DamagedRecord as exc:
                damaged.append(exc.at(position).sentence())
        return out, damaged

    def _readable_summaries(self) -> list[dict[str, Any]]:
        """Summary records that decode (the ones import compares new files against: identity, bytes,
        verdict and name are all in a summary, so no original file or report is read)."""
        out = []
        for rec in entry_summaries(self.store):
            try:
                EntrySummary.from_record(rec)
            except DamagedRecord:
                continue
            out.append(rec)
        return out

    def _decoded_summaries(self) -> tuple[list[EntrySummary], list[str]]:
        out, damaged = [], []
        for position, rec in enumerate(entry_summaries(self.store), start=1):
            try:
                out.append(EntrySummary.from_record(rec))
            except DamagedRecord as exc:
                damaged.append(exc.at(position).sentence())
        return out, damaged

    def damaged(self) -> list[str]:
        """One sentence per damaged record of the wallet file (empty when all is well). Reads the
        summaries only: a damaged report or file of one badge shows when that badge is opened."""
        return self._decoded_summaries()[1] + self._portfolio_damage()

    def _portfolio_damage(self) -> list[str]:
        out = []
        for rec in self.store.portfolios():
            try:
                Portfolio.from_record(rec)
            except DamagedRecord as exc:
                out.append(f"The wallet file is damaged: {exc.why} (skipped).")
        return out

    def entries_with_damage(self) -> tuple[list[Entry], list[str]]:
        """Every readable entry, fully read, with a sentence per damaged record or portfolio (also the
        ones whose file or report is damaged, which :meth:`damaged` does not read)."""
        out, damaged = self._decoded()
        portfolio_damage = [s for s in self.damaged() if not s.startswith("The wallet file is damaged: badge record")]
        return out, damaged + portfolio_damage

    def entries(self, category: str | None = None, verdict: str | None = None,
                issuer: str | None = None) -> list[Entry]:
        """Readable entries, oldest first; damaged records are skipped (see :meth:`damaged`)."""
        out = self._decoded()[0]
        if category:
            out = [e for e in out if e.effective_category == category]
        if verdict:
            out = [e for e in out if e.verdict == verdict]
        if issuer:
            out = [e for e in out if e.issuer_name == issuer]
        return out

    def summaries(self, category: str | None = None, verdict: str | None = None,
                  issuer: str | None = None) -> list[EntrySummary]:
        """Like :meth:`entries` without the original files, reports and checklists (cheap for a big wallet)."""
        out = self._decoded_summaries()[0]
        if category:
            out = [e for e in out if e.effective_category == category]
        if verdict:
            out = [e for e in out if e.verdict == verdict]
        if issuer:
            out = [e for e in out if e.issuer_name == issuer]
        return out

    def get(self, entry_id: str) -> Entry | None:
        rec = self.store.get_entry(entry_id)
        if not rec:
            return None
        try:
            return Entry.from_record(rec)
        except DamagedRecord:
            return None

    def get_many(self, entry_ids: Sequence[str]) -> list[Entry]:
        """The readable entries of ``entry_ids``, in that order, read in one go."""
        return self.get_many_with_damage(entry_ids, positions=False)[0]

    def get_many_with_damage(self, entry_ids: Sequence[str], *, positions: bool = True) -> tuple[list[Entry], list[str]]:
        """:meth:`get_many` and a sentence per record among them that cannot be read in full (its file or
        report damaged), numbered by its place in the wallet (as :meth:`entries_with_damage` does)."""
        out, damaged = [], []
        place: dict[Any, int] = {}
        for rec in get_entries(self.store, list(entry_ids)):
            try:
                out.append(Entry.from_record(rec))
            except DamagedRecord as exc:
                if positions and not place:
                    place = {r.get("id"): n for n, r in enumerate(entry_summaries(self.store), start=1)
                             if isinstance(r, dict)}
                damaged.append(exc.at(place[rec.get("id")]).sentence() if rec.get("id") in place else exc.sentence())
        return out, damaged

    def summaries_with_damage(self) -> tuple[list[EntrySummary], list[str]]:
        """:meth:`summaries` and :meth:`damaged` from one read of the list."""
        out, damaged = self._decoded_summaries()
        return out, damaged + self._portfolio_damage()

    def issuers(self) -> list[str]:
        return sorted({e.issuer_name for e in self.summaries()})

    # --- maintain

    def reverify(self, ids: Sequence[str] | None = None, progress: Progress | None = None) -> list[ReverifyResult]:
        """Verify entries again (all when ``ids`` is None) and store the new reports.

        Up to :data:`REVERIFY_WORKERS` at a time sharing one fetcher (connections and issuer documents
        are reused across the batch; the fetcher is new for each call, so a revocation made since the
        last check is seen). Entries are loaded :data:`REVERIFY_CHUNK` at a time and saved every
        :data:`REVERIFY_WRITE_EVERY`: memory does not grow with the wallet, and an interrupted re-check
        of a big wallet keeps what it had finished.
        """
        known = [e.id for e in self.summaries()]
        if ids is None:
            todo = known
        else:
            present = set(known)
            for entry_id in ids:
                if entry_id not in present:
                    raise WalletError(f"There is no badge with id {entry_id} in this wallet.")
            todo = list(dict.fromkeys(ids))
        options = self.identity_options()
        fetcher = self.fetcher()
        now = self.clock()
        changes: dict[str, dict[str, Any]] = {}
        results: list[ReverifyResult] = []

        def save() -> None:
            pending = dict(changes)
            changes.clear()
            self._save(lambda: self.store.update_entries(pending))

        try:
            for start in range(0, len(todo), REVERIFY_CHUNK):
                if progress:
                    progress(start, len(todo), "")
                wanted = todo[start:start + REVERIFY_CHUNK]
                chunk, damage = self.get_many_with_damage(wanted)
                read = {e.id for e in chunk}
                for entry_id, sentence in zip([i for i in wanted if i not in read], damage, strict=False):
                    results.append(ReverifyResult(entry_id, "", "", "", sentence, damaged=True))
                reports = verify_many([e.content for e in chunk], now=now, fetcher=fetcher,
                                      workers=REVERIFY_WORKERS, **options)
                for entry, report in zip(chunk, reports, strict=True):
                    changes[entry.id] = self._reverified_fields(entry, report, now)
                    results.append(self._reverify_result(entry, report))
                if len(changes) >= REVERIFY_WRITE_EVERY:
                    save()
        finally:
            fetcher.close()
            if changes:
                save()
        if progress:
            progress(len(todo), len(todo), "")
        return results

    @staticmethod
    def _reverified_fields(entry: Entry, report: Report, now: datetime) -> dict[str, Any]:
        fields: dict[str, Any] = {"report": report.to_dict(), "verdict": report.verdict,
                                  "format": report.format, "verified_at": now.isoformat(),
                                  "authenticated": is_authenticated(report)}
        badge = report.badge
        if badge is not None and (badge.name or not entry.badge.get("name")):
            # A revoked hosted badge comes back nearly empty (the issuer's copy is gone): keep what we had.
            grouping = classify(badge)
            badge_dict = badge.to_dict()
            fields.update(badge=badge_dict, category=grouping.category,
                          badge_id=identity_key(report.format, badge_dict, entry.badge_id) or entry.badge_id,
                          reasons=[s.to_dict() for s in grouping.reasons],
                          checklist=[s.to_dict() for s in grouping.checklist])
        return fields

    @staticmethod
    def _reverify_result(entry: Entry, report: Report) -> ReverifyResult:
        if report.verdict == entry.verdict:
            message = f"“{entry.name}” is still {report.verdict}."
        else:
            message = f"“{entry.name}” was {entry.verdict} and is now {report.verdict}: {_first_failure(report)}" \
                if report.verdict != "valid" else f"“{entry.name}” was {entry.verdict} and is now valid."
        return ReverifyResult(entry.id, entry.name, entry.verdict, report.verdict, message)

    def set_override(self, entry_id: str, category: str | None) -> Entry:
        """The learner's own category; ``None`` goes back to the rules. It persists and wins."""
        if category is not None and category not in CATEGORIES:
            raise WalletError(f"“{category}” is not a category; use one of: {', '.join(CATEGORIES)}.")
        return self._update(entry_id, {"override": category})

    def set_tags(self, entry_id: str, tags: Iterable[str]) -> Entry:
        clean = list(dict.fromkeys(t.strip() for t in tags if t and t.strip()))
        return self._update(entry_id, {"tags": clean})

    def set_notes(self, entry_id: str, notes: str) -> Entry:
        return self._update(entry_id, {"notes": notes})

    def _update(self, entry_id: str, fields: dict[str, Any]) -> Entry:
        if not self._save(lambda: self.store.update_entries({entry_id: fields})):
            raise WalletError(f"There is no badge with id {entry_id} in this wallet.")
        return self._require(entry_id)

    def delete(self, entry_id: str) -> bool:
        return self._save(lambda: self.store.delete_entry(entry_id))

    def export_zip(self) -> bytes:
        """Every readable entry (its original file + index record) and every portfolio, as one zip."""
        entries = self.entries()
        contents = {e.id: e.content for e in entries}
        index = [{k: v for k, v in e.to_record().items() if k != "content_b64"} for e in entries]
        return archive.write_export(index, contents, [p.to_record() for p in self.portfolios()])

    # --- share

    def create_portfolio(self, ids: Sequence[str], title: str, expires_days: float | None = None,
                         show_email: bool = False) -> tuple[Portfolio, str]:
        """A new portfolio of ``ids``; returns it and its link (shown only now: only a hash is kept)."""
        if not ids:
            raise WalletError("Choose at least one badge to share.")
        for entry_id in ids:
            self._require(entry_id)
        if expires_days is not None and not (0 < expires_days <= MAX_EXPIRY_DAYS):  # also refuses NaN
            raise WalletError(f"The expiry must be a positive number of days, at most {MAX_EXPIRY_DAYS} "
                              "(or no expiry at all).")
        token = new_token()
        now = self.clock()
        portfolio = Portfolio(id=new_id(), title=title.strip() or "My badges", entry_ids=list(dict.fromkeys(ids)),
                              token_hash=token_hash(token), created_at=now,
                              expires_at=now + timedelta(days=expires_days) if expires_days else None,
                              show_email=show_email)
        self._save(lambda: self.store.add_portfolios([portfolio.to_record()]))
        return portfolio, portfolio_link(token, self.public_url)

    def recreate_portfolio(self, portfolio_id: str, expires_days: float | None = None,
                           show_email: bool = False) -> tuple[Portfolio, str]:
        """A new link (new token) for the badges of an existing — say, restored and withdrawn — portfolio."""
        old = next((p for p in self.portfolios() if p.id == portfolio_id.strip()), None)
        if old is None:
            raise WalletError("No portfolio in this wallet has that id.")
        present = {e.id for e in self.summaries()}
        ids = [i for i in old.entry_ids if i in present]
        if not ids:
            raise WalletError(f"None of the badges of “{old.title}” is still in the wallet.")
        return self.create_portfolio(ids, old.title, expires_days, show_email=show_email)

    def portfolios(self) -> list[Portfolio]:
        """Readable portfolios; a damaged record is skipped (see :meth:`damaged`)."""
        out = []
        for rec in self.store.portfolios():
            try:
                out.append(Portfolio.from_record(rec))
            except DamagedRecord:
                continue
        return out

    def portfolio_status(self, portfolio: Portfolio) -> PortfolioStatus:
        return portfolio.status(self.clock())

    def revoke_portfolio(self, token_or_id: str) -> Portfolio:
        """Withdraw a link, given its token, the full link or the portfolio id."""
        portfolios = self.portfolios()
        target = next((p for p in portfolios if p.id == token_or_id.strip()), None) \
            or find_portfolio(portfolios, token_or_id)
        if target is None:
            raise WalletError("No portfolio link in this wallet matches that token, link or id.")
        if target.revoked_at is None:
            target.revoked_at = self.clock()
            revoked_at = target.revoked_at.isoformat()
            self._save(lambda: self.store.update_portfolio(target.id, {"revoked_at": revoked_at}))
        return target

    def open_portfolio(self, token: str, *, badge: str | None = None, refresh: bool = True,
                       deadline: float | None = PAGE_DEADLINE, max_age: float = CACHE_SECONDS,
                       on_done: Callable[[int, PublicBadge], None] | None = None) -> PublicPortfolio:
        """The public view of a link (see the module doc of portfolio.py). Never raises for a bad link.

        ``badge`` (or ``&b=`` in the link) asks for the one-badge page of that entry of the portfolio.
        """
        badge = badge or badge_from_link(token or "")
        portfolio = find_portfolio(self.portfolios(), token) if token_from(token or "") else None
        if portfolio is None or (badge is not None and badge not in portfolio.entry_ids):
            return closed_view("unknown", None)
        now = self.clock()
        status = portfolio.status(now)
        if status != "active":
            return closed_view(status, portfolio)
        wanted = [badge] if badge else portfolio.entry_ids
        entries = self.get_many(wanted)
        identities = self.identities()

        def show(entry: Entry, report: Report, checked: datetime, freshness: str) -> PublicBadge:
            # Others see no "trusted" level: the owner's own trust confirms nothing to them.
            return public_badge(entry, without_trust(report), now, show_email=portfolio.show_email, identities=identities,
                                checked_at=checked, freshness=freshness)  # type: ignore[arg-type]

        cached = self.check_cache.get_many([cache_key(e.id, e.sha256) for e in entries])
        latest = [self._latest_result(e, cached.get(cache_key(e.id, e.sha256))) for e in entries]
        stale = [i for i, (at, _) in enumerate(latest) if (now - at).total_seconds() >= max_age]
        badges = [show(e, report, at, "stale" if i in stale else "cached")
                  for i, (e, (at, report)) in enumerate(zip(entries, latest, strict=True))]
        if refresh and stale:
            badges = self._recheck_public(entries, latest, stale, badges, show, now, deadline, on_done)
        missing = len(wanted) - len(entries)
        message = f"{len(badges)} badge{'s' if len(badges) != 1 else ''}."
        return PublicPortfolio("ok", message, portfolio.title, portfolio.created_at, portfolio.expires_at,
                               link_note(portfolio), badges, missing, owner_name=self.display_name(),
                               single=badge is not None)

    @staticmethod
    def _latest_result(entry: Entry, cached: tuple[datetime, dict[str, Any]] | None) -> tuple[datetime, Report]:
        """The newest of the entry's stored report and a public page's cached one."""
        if cached is not None and cached[0] > entry.verified_at:
            return cached[0], report_from_dict(cached[1], entry)
        return entry.verified_at, stored_report(entry)

    def _recheck_public(self, entries: list[Entry], latest: list[tuple[datetime, Report]], stale: list[int],
                        badges: list[PublicBadge], show: Callable, now: datetime, deadline: float | None,
                        on_done: Callable[[int, PublicBadge], None] | None) -> list[PublicBadge]:
        """Check ``entries[i]`` for i in ``stale`` in parallel within ``deadline``; cache what finished
        (never the owner's wallet: a public page only reads it)."""
        badges = list(badges)

        def done(k: int, report: Report) -> None:
            index = stale[k]
            late = report.check(DEADLINE_CHECK) is not None
            at, stored = latest[index]
            # past the deadline the last real result stays, saying it could not be checked again now
            badges[index] = show(entries[index], stored, at, "late") if late else show(entries[index], report, now, "now")
            if on_done is not None:
                on_done(index, badges[index])

        fetcher = self.fetcher()
        reports = verify_many([entries[i].content for i in stale], now=now, fetcher=fetcher, workers=PUBLIC_WORKERS,
                              deadline=deadline, on_done=done, **self.identity_options(public=True))
        results = {}
        for k, report in enumerate(reports):
            if report.check(DEADLINE_CHECK) is None:
                results[k] = report
            elif badges[stale[k]].freshness != "late":  # timed out: on_done is not called for those
                done(k, report)
        self.check_cache.put({cache_key(entries[stale[k]].id, entries[stale[k]].sha256): (now, r.to_dict())
                              for k, r in results.items()})
        return badges

    @staticmethod
    def qr_code(link: str, kind: str = "png") -> bytes:
        if kind not in ("png", "svg"):
            raise WalletError("A QR code can be made as png or svg.")
        return qr_code(link, kind)  # type: ignore[arg-type]

    def linkedin_url(self, entry_id: str, cert_url: str | None = None) -> str | None:
        """An "add to profile" link for one badge, with ``cert_url`` (its one-badge page) as the certification
        URL. None unless the badge is valid and a page is given: a raw JSON address means nothing to a
        LinkedIn visitor, and a revoked or unverifiable badge must not be added as a certification."""
        entry = self._require(entry_id)
        if entry.verdict != "valid" or not cert_url:
            return None
        badge = entry.badge_record()
        return linkedin_add_url(entry.name, entry.issuer_name, issued=badge.issued_on, cert_url=cert_url,
                                expires=badge.expires)

    # --- the holder

    def _setting(self, key: str) -> Any:
        getter = getattr(self.store, "get_setting", None)
        return getter(key) if getter is not None else None

    def _set_setting(self, key: str, value: Any) -> None:
        setter = getattr(self.store, "set_setting", None)
        if setter is None:
            raise WalletError("This wallet's storage cannot keep settings yet (identities, name, holder key).")
        self._save(lambda: setter(key, value))

    def identities(self) -> list[Identity]:
        """The identities the learner goes by (matched against each badge's recipient)."""
        raw = self._setting(holder_mod.IDENTITIES) or []
        parsed = [Identity.from_dict(d) for d in raw if isinstance(d, dict)]
        return [i for i in parsed if i is not None]

    def add_identity(self, text: str, *, confirmed: bool = False) -> Identity:
        """Add an e-mail address, URL or DID (``confirmed``: a sign-in provider confirmed it)."""
        ident = holder_mod.parse_identity(text, confirmed=confirmed)
        if ident is None:
            raise WalletError(f"“{text.strip()[:80]}” is not an e-mail address, a web address (https://…) or a DID "
                              "(did:…).")
        current = [i for i in self.identities() if i.value != ident.value]
        if len(current) >= holder_mod.MAX_IDENTITIES:
            raise WalletError(f"A wallet keeps at most {holder_mod.MAX_IDENTITIES} identities.")
        old = next((i for i in self.identities() if i.value == ident.value), None)
        if old is not None and old.confirmed and not confirmed:
            ident = old  # typing a confirmed address again does not unconfirm it
        self._set_setting(holder_mod.IDENTITIES, [i.to_dict() for i in current + [ident]])
        return ident

    def remove_identity(self, text: str) -> bool:
        ident = holder_mod.parse_identity(text)
        value = ident.value if ident else text.strip()
        current = self.identities()
        kept = [i for i in current if i.value != value]
        self._set_setting(holder_mod.IDENTITIES, [i.to_dict() for i in kept])
        return len(kept) != len(current)

    def display_name(self) -> str:
        value = self._setting(holder_mod.DISPLAY_NAME)
        return value.strip() if isinstance(value, str) else ""

    def set_display_name(self, name: str) -> None:
        """The name shown on public pages ("" for none). It is the owner's word, and the page says so."""
        self._set_setting(holder_mod.DISPLAY_NAME, " ".join(name.split())[:120])

    def holder_key(self) -> HolderKey:
        """The learner's did:key (Ed25519), made on first use and kept in the wallet settings."""
        key = HolderKey.from_setting(self._setting(holder_mod.HOLDER_KEY))
        if key is None:
            key = HolderKey.generate()
            self._set_setting(holder_mod.HOLDER_KEY, key.to_setting())
        return key

    def presentation(self, entry_ids: Sequence[str], *, challenge: str | None = None,
                     domain: str | None = None) -> dict[str, Any]:
        """A Verifiable Presentation of these OB 3.0 credentials, signed by the holder key (present.py)."""
        from .present import credential_of, make_presentation

        credentials = [credential_of(self._require(i)) for i in dict.fromkeys(entry_ids)]
        return make_presentation(credentials, self.holder_key(), challenge=challenge, domain=domain,
                                 created=self.clock())

    def pdf_report(self, entry_ids: Sequence[str], *, link: str | None = None,
                   title: str | None = None) -> tuple[bytes, str]:
        """(PDF bytes, portfolio link): a printable page per badge with a QR code to its one-badge page.

        Built from the public view of ``link`` (a new link for these badges when None), so the PDF shows
        exactly what a visitor may see — the hidden e-mail stays hidden — checked now (or from the page's
        short cache)."""
        from verifier.report import identity_sentence

        from .pdf import PdfBadge, clean_png, identity_of, render_pdf

        wanted = list(dict.fromkeys(entry_ids))
        entries = {e.id: e for e in (self._require(i) for i in wanted)}
        if link is None:
            name = entries[wanted[0]].name if len(wanted) == 1 else "My badges"
            _, link = self.create_portfolio(wanted, title or name)
        view = self.open_portfolio(link)
        if view.status != "ok":
            raise WalletError(f"That link cannot be used for the PDF: {view.message}")
        pages = []
        for b in view.badges:
            if b.entry_id not in entries:
                continue
            identity = identity_of(entries[b.entry_id].report)
            pages.append(PdfBadge(
                name=b.name, verdict=b.verdict, summary=b.summary,
                issuer=identity_sentence(identity, b.verdict, b.issuer_name), checks=b.checks,
                checked_at=b.checked_at, issued_on=b.issued_on, expires=b.expires, description=b.description,
                png=clean_png(entries[b.entry_id].content), whose=b.whose.sentence if b.whose else None,
                link=badge_link(link, b.entry_id), issuer_origin=b.issuer_origin))
        if not pages:
            raise WalletError("None of these badges is in that link.")
        return render_pdf(pages, title=view.title, owner=view.owner_name, made_at=self.clock()), link

    def whose(self, entry_id: str) -> holder_mod.HolderMatch:
        entry = self._require(entry_id)
        return holder_mod.match_recipient(entry.badge.get("recipient") or {}, self.identities())


__all__ = ["Wallet", "ImportResult", "ReverifyResult", "WalletError", "Signal", "EntrySummary",
           "default_db_path", "allow_hosts_from_env", "sniff_media_type"]
