"""Sharing badges: portfolio links (made, withdrawn, opened as a public page), QR codes, LinkedIn links,
holder-signed presentations and printable PDFs.

A link's token is shown once, when it is made: only its hash is kept. A public page only reads the
owner's wallet; its fresh results go to the check cache (:mod:`wallet.check_cache`), and it verifies
without the owner's trusted-issuer list, which confirms nothing to a visitor.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from verifier import DEADLINE_CHECK, Report, verify_many, without_trust

from . import entries as entries_mod
from . import profile, trust
from .check_cache import cache_key
from .core import WalletCore
from .linkedin import linkedin_add_url
from .model import DamagedRecord, Entry, Portfolio
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
from .store import WalletError, new_id

MAX_EXPIRY_DAYS = 36500  # a link's expiry, at most (about a century; "never" is None)
PUBLIC_WORKERS = 8  # a public page's re-checks at once (its badges mostly wait for their issuers)

OnDone = Callable[[int, PublicBadge], None]


def portfolios(core: WalletCore) -> list[Portfolio]:
    """Readable portfolios; a damaged record is skipped (see :func:`wallet.entries.damaged`)."""
    out = []
    for rec in core.store.portfolios():
        try:
            out.append(Portfolio.from_record(rec))
        except DamagedRecord:
            continue
    return out


def create_portfolio(core: WalletCore, ids: Sequence[str], title: str, expires_days: float | None = None,
                     show_email: bool = False) -> tuple[Portfolio, str]:
    """A new portfolio of ``ids``; returns it and its link (shown only now: only a hash is kept)."""
    if not ids:
        raise WalletError("Choose at least one badge to share.")
    for entry_id in ids:
        core.require(entry_id)
    if expires_days is not None and not (0 < expires_days <= MAX_EXPIRY_DAYS):  # also refuses NaN
        raise WalletError(f"The expiry must be a positive number of days, at most {MAX_EXPIRY_DAYS} "
                          "(or no expiry at all).")
    token = new_token()
    now = core.clock()
    portfolio = Portfolio(id=new_id(), title=title.strip() or "My badges", entry_ids=list(dict.fromkeys(ids)),
                          token_hash=token_hash(token), created_at=now,
                          expires_at=now + timedelta(days=expires_days) if expires_days else None,
                          show_email=show_email)
    core.save(lambda: core.store.add_portfolios([portfolio.to_record()]))
    return portfolio, portfolio_link(token, core.public_url)


def recreate_portfolio(core: WalletCore, portfolio_id: str, expires_days: float | None = None,
                       show_email: bool = False) -> tuple[Portfolio, str]:
    """A new link (new token) for the badges of an existing — say, restored and withdrawn — portfolio."""
    old = next((p for p in portfolios(core) if p.id == portfolio_id.strip()), None)
    if old is None:
        raise WalletError("No portfolio in this wallet has that id.")
    present = {e.id for e in entries_mod.summaries(core)}
    ids = [i for i in old.entry_ids if i in present]
    if not ids:
        raise WalletError(f"None of the badges of “{old.title}” is still in the wallet.")
    return create_portfolio(core, ids, old.title, expires_days, show_email=show_email)


def revoke_portfolio(core: WalletCore, token_or_id: str) -> Portfolio:
    """Withdraw a link, given its token, the full link or the portfolio id."""
    known = portfolios(core)
    target = next((p for p in known if p.id == token_or_id.strip()), None) or find_portfolio(known, token_or_id)
    if target is None:
        raise WalletError("No portfolio link in this wallet matches that token, link or id.")
    if target.revoked_at is None:
        target.revoked_at = core.clock()
        revoked_at = target.revoked_at.isoformat()
        core.save(lambda: core.store.update_portfolio(target.id, {"revoked_at": revoked_at}))
    return target


def open_portfolio(core: WalletCore, token: str, *, badge: str | None = None, refresh: bool = True,
                   deadline: float | None = PAGE_DEADLINE, max_age: float = CACHE_SECONDS,
                   on_done: OnDone | None = None) -> PublicPortfolio:
    """The public view of a link (see the module doc of portfolio.py). Never raises for a bad link.

    ``badge`` (or ``&b=`` in the link) asks for the one-badge page of that entry of the portfolio.
    """
    badge = badge or badge_from_link(token or "")
    portfolio = find_portfolio(portfolios(core), token) if token_from(token or "") else None
    if portfolio is None or (badge is not None and badge not in portfolio.entry_ids):
        return closed_view("unknown", None)
    now = core.clock()
    status = portfolio.status(now)
    if status != "active":
        return closed_view(status, portfolio)
    wanted = [badge] if badge else portfolio.entry_ids
    entries = entries_mod.read_many(core, wanted).entries
    identities = profile.identities(core)

    def show(entry: Entry, report: Report, checked: datetime, freshness: str) -> PublicBadge:
        # Others see no "trusted" level: the owner's own trust confirms nothing to them.
        return public_badge(entry, without_trust(report), now, show_email=portfolio.show_email, identities=identities,
                            checked_at=checked, freshness=freshness)  # type: ignore[arg-type]

    cached = core.check_cache.get_many([cache_key(e.id, e.sha256) for e in entries])
    latest = [_latest_result(e, cached.get(cache_key(e.id, e.sha256))) for e in entries]
    stale = [i for i, (at, _) in enumerate(latest) if (now - at).total_seconds() >= max_age]
    badges = [show(e, report, at, "stale" if i in stale else "cached")
              for i, (e, (at, report)) in enumerate(zip(entries, latest, strict=True))]
    if refresh and stale:
        badges = _recheck_public(core, entries, latest, stale, badges, show, now, deadline, on_done)
    missing = len(wanted) - len(entries)
    message = f"{len(badges)} badge{'s' if len(badges) != 1 else ''}."
    return PublicPortfolio("ok", message, portfolio.title, portfolio.created_at, portfolio.expires_at,
                           link_note(portfolio), badges, missing, owner_name=profile.display_name(core),
                           single=badge is not None)


def _latest_result(entry: Entry, cached: tuple[datetime, dict[str, Any]] | None) -> tuple[datetime, Report]:
    """The newest of the entry's stored report and a public page's cached one."""
    if cached is not None and cached[0] > entry.verified_at:
        return cached[0], report_from_dict(cached[1], entry)
    return entry.verified_at, stored_report(entry)


def _recheck_public(core: WalletCore, entries: list[Entry], latest: list[tuple[datetime, Report]],
                    stale: list[int], badges: list[PublicBadge], show: Callable[..., PublicBadge], now: datetime,
                    deadline: float | None, on_done: OnDone | None) -> list[PublicBadge]:
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

    fetcher = core.fetcher()
    reports = verify_many([entries[i].content for i in stale], now=now, fetcher=fetcher, workers=PUBLIC_WORKERS,
                          deadline=deadline, on_done=done, **trust.identity_options(core, public=True))
    results = {}
    for k, report in enumerate(reports):
        if report.check(DEADLINE_CHECK) is None:
            results[k] = report
        elif badges[stale[k]].freshness != "late":  # timed out: on_done is not called for those
            done(k, report)
    core.check_cache.put({cache_key(entries[stale[k]].id, entries[stale[k]].sha256): (now, r.to_dict())
                          for k, r in results.items()})
    return badges


def qr(link: str, kind: str = "png") -> bytes:
    if kind not in ("png", "svg"):
        raise WalletError("A QR code can be made as png or svg.")
    return qr_code(link, kind)  # type: ignore[arg-type]


def linkedin_url(core: WalletCore, entry_id: str, cert_url: str | None = None) -> str | None:
    """An "add to profile" link for one badge, with ``cert_url`` (its one-badge page) as the certification
    URL. None unless the badge is valid and a page is given: a raw JSON address means nothing to a
    LinkedIn visitor, and a revoked or unverifiable badge must not be added as a certification."""
    entry = core.require(entry_id)
    if entry.verdict != "valid" or not cert_url:
        return None
    badge = entry.badge_record()
    return linkedin_add_url(entry.name, entry.issuer_name, issued=badge.issued_on, cert_url=cert_url,
                            expires=badge.expires)


def presentation(core: WalletCore, entry_ids: Sequence[str], *, challenge: str | None = None,
                 domain: str | None = None) -> dict[str, Any]:
    """A Verifiable Presentation of these OB 3.0 credentials (VC-JWTs enveloped), signed by the holder key
    (present.py); OB 1.x/2.0 badges are refused by name."""
    from .present import credentials_of, make_presentation

    credentials = credentials_of([core.require(i) for i in dict.fromkeys(entry_ids)])
    return make_presentation(credentials, profile.holder_key(core), challenge=challenge, domain=domain,
                             created=core.clock())


def pdf_report(core: WalletCore, entry_ids: Sequence[str], *, link: str | None = None,
               title: str | None = None) -> tuple[bytes, str]:
    """(PDF bytes, portfolio link): a printable page per badge with a QR code to its one-badge page.

    Built from the public view of ``link`` (a new link for these badges when None), so the PDF shows
    exactly what a visitor may see — the hidden e-mail stays hidden — checked now (or from the page's
    short cache)."""
    from verifier import identity_sentence

    from .pdf import PdfBadge, clean_png, identity_of, render_pdf

    wanted = list(dict.fromkeys(entry_ids))
    entries = {e.id: e for e in (core.require(i) for i in wanted)}
    if link is None:
        name = entries[wanted[0]].name if len(wanted) == 1 else "My badges"
        _, link = create_portfolio(core, wanted, title or name)
    view = open_portfolio(core, link)
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
    return render_pdf(pages, title=view.title, owner=view.owner_name, made_at=core.clock()), link
