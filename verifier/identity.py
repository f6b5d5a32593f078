"""The issuer-identity step: who vouches for the issuer, kept apart from whether the badge is authentic.

A valid signature proves only that whoever holds the issuer's key signed the badge; the name in the
badge is the issuer's own claim. This step says what, other than the badge itself, confirms who the
issuer is, strongest first (:class:`~verifier.model.IdentityLevel`):

``registry``
    the issuer id is listed in an issuer registry the user configured; the registry's name is shown.
``domain``
    control of a web origin is proven: the issuer's keys or profile were read over https from the
    issuer's own origin, and they are what authenticated the badge. For OB 3.0 that is the case when
    every ``key-owner`` check passed for a ``did:web`` or https issuer id (``keys.py`` grants a key only
    from the document served for that very id: the did:web document on its host, the controller
    document at the https id, the JWKS at its origin). For OB 1/2 the format module reports the
    origin it proved (``Report.proven_origin``: the issuer profile fetched from its own address that
    listed the signing key, or that vouched for the host serving the hosted copy).
``trusted``
    the user marked this issuer id as trusted in their wallet.
``self-asserted``
    nothing confirms the name (did:key, did:jwk, urn: ids, a profile only embedded in the badge, a
    document read from the local demo copy or over plain http).

Only an authenticated badge gets more than ``self-asserted``: if no check proved the badge comes from
its issuer id (or one failed), the id itself is unproven and so is any registry listing of it.
The step never changes the verdict: its check is ``pass``, ``warn`` or ``skip``.
"""
from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import unquote, urlsplit

from .checks import CheckId
from .context import VerifyContext
from .model import Check, Format, IdentityLevel, IssuerIdentity, Report, Verdict, passed, skipped, warned

_OB3 = {Format.OB3_DATA_INTEGRITY, Format.OB3_JWT}


def authenticated(report: Report) -> bool:
    """Some check proved the badge comes from its issuer and no check found it forged."""
    return report.verdict != Verdict.INVALID and any(c.status == "pass" and c.authenticates for c in report.checks)


def issuer_bound(report: Report) -> bool:
    """The issuer id itself is proven: the key or hosted copy that authenticated the badge is the id's."""
    if not authenticated(report):
        return False
    if report.format in _OB3:
        owners = [c for c in report.checks if c.id == CheckId.KEY_OWNER]
        return bool(owners) and all(c.status == "pass" for c in owners)
    return report.proven_origin is not None


def _did_web_host(did: str) -> str | None:
    host = did[len("did:web:"):].split(":")[0]
    return unquote(host).lower() or None


def proven_domain(report: Report) -> tuple[str, str] | None:
    """(domain, how it was proven) when control of an https origin vouches for the issuer, else None."""
    if not issuer_bound(report) or report.check(CheckId.MIRROR) is not None:
        return None  # documents read from the local demo copy prove nothing about a domain
    issuer_id = report.badge.issuer.id if report.badge else None
    if report.format in _OB3 and isinstance(issuer_id, str):
        if issuer_id.startswith("did:web:"):
            host = _did_web_host(issuer_id)
            return (host, f"its did:web document, served by {host}, holds the key that signed the badge") \
                if host else None
        parts = urlsplit(issuer_id)
        if parts.scheme == "https" and parts.hostname:
            host = parts.netloc.lower()
            return host, f"its key document, served by {host} at the issuer's own address, holds the signing key"
        return None
    origin = report.proven_origin
    if origin and origin.startswith("https://"):
        host = urlsplit(origin).netloc.lower()
        return host, f"its profile was read from {host}, the issuer's own web site, which vouches for this badge"
    return None


def _id_kind(issuer_id: str | None) -> str:
    if not issuer_id:
        return "no identifier at all"
    if issuer_id.startswith(("did:key:", "did:jwk:")):
        return f"a {issuer_id.split(':')[0]}:{issuer_id.split(':')[1]} identifier (a bare key, which anyone can create)"
    if issuer_id.startswith("did:"):
        return f"the identifier {issuer_id}"
    if issuer_id.startswith("http://"):
        return f"a plain-http address ({issuer_id}), which proves no domain"
    return f"the identifier {issuer_id}"


def assess(report: Report, ctx: VerifyContext) -> tuple[IssuerIdentity, Check]:
    """The issuer's identity and the ``issuer-identity`` check saying how it was established."""
    badge = report.badge
    issuer_id = badge.issuer.id if badge else None
    claimed = (badge.issuer.name or None) if badge else None
    named = f"calls itself “{claimed}”" if claimed else "gives no name"
    if not issuer_bound(report):
        identity = IssuerIdentity(IdentityLevel.SELF_ASSERTED, claimed, source=None)
        why = ("the badge itself could not be shown to be authentic" if not authenticated(report)
               else "what authenticated the badge does not tie it to the issuer's id")
        return identity, skipped(CheckId.ISSUER_IDENTITY, f"Who the issuer is was not established, because {why}. "
                                 f"The issuer {named}; that is only the badge's claim.")
    domain = proven_domain(report)
    for registry in ctx.registries:
        entry = registry.lookup(issuer_id)
        if entry is not None:
            source = registry.describe(ctx.now)
            identity = IssuerIdentity(IdentityLevel.REGISTRY, claimed, entry.name, domain[0] if domain else None,
                                      source)
            note = f" {registry.note}" if registry.note else ""
            return identity, passed(CheckId.ISSUER_IDENTITY, f"The issuer is listed as “{entry.name}” in {source}."
                                    + (f" The badge itself says “{claimed}”." if claimed and claimed != entry.name
                                       else "") + note)
    if domain is not None:
        host, how = domain
        identity = IssuerIdentity(IdentityLevel.DOMAIN, claimed, None, host, f"control of {host}")
        return identity, passed(CheckId.ISSUER_IDENTITY, f"The issuer is whoever controls {host}: {how}. "
                                f"It {named}; the name is its own claim.")
    if issuer_id and issuer_id in ctx.trusted_issuers:
        return (IssuerIdentity(IdentityLevel.TRUSTED, claimed, source="your list of trusted issuers"),
                _trusted_check(issuer_id, claimed))
    identity = IssuerIdentity(IdentityLevel.SELF_ASSERTED, claimed)
    return identity, warned(CheckId.ISSUER_IDENTITY, f"Nothing confirms who the issuer is: it is known only by "
                            f"{_id_kind(issuer_id)} and {named}. Anyone can make such an issuer and give it any name.")


def _trusted_check(issuer_id: str | None, claimed: str | None) -> Check:
    named = f"calls itself “{claimed}”" if claimed else "gives no name"
    return passed(CheckId.ISSUER_IDENTITY, f"You marked this issuer ({issuer_id}) as trusted. It {named}.")


def retrusted(report: dict[str, Any], trusted: bool) -> dict[str, Any]:
    """A stored report (``Report.to_dict()``) after the user marked its issuer (un)trusted, without
    verifying again. Only a ``self-asserted`` identity whose check is a ``warn`` (the badge was
    authenticated and bound to its issuer id) becomes ``trusted``; only ``trusted`` goes back. Registry
    and domain identities are stronger and stay; an unauthenticated badge stays self-asserted.
    """
    ident = IssuerIdentity.from_dict(report.get("issuer_identity"))
    checks = [c for c in report.get("checks") or [] if isinstance(c, dict)]
    mine = next((c for c in checks if c.get("id") == CheckId.ISSUER_IDENTITY), None)
    if ident is None or mine is None:
        return report
    issuer = ((report.get("badge") or {}).get("issuer") or {}) if isinstance(report.get("badge"), dict) else {}
    issuer_id = issuer.get("id") if isinstance(issuer.get("id"), str) else None
    claimed = ident.claimed_name
    if trusted and ident.level == IdentityLevel.SELF_ASSERTED and mine.get("status") == "warn":
        new_ident = IssuerIdentity(IdentityLevel.TRUSTED, claimed, source="your list of trusted issuers")
        new_check = _trusted_check(issuer_id, claimed).to_dict()
    elif not trusted and ident.level == IdentityLevel.TRUSTED:
        named = f"calls itself “{claimed}”" if claimed else "gives no name"
        new_ident = IssuerIdentity(IdentityLevel.SELF_ASSERTED, claimed)
        new_check = warned(CheckId.ISSUER_IDENTITY, f"Nothing confirms who the issuer is: it {named} and is no "
                           "longer among the issuers you trust.").to_dict()
    else:
        return report
    return {**report, "issuer_identity": new_ident.to_dict(),
            "checks": [new_check if c is mine else c for c in checks]}


def without_trust(report: Report) -> Report:
    """``report`` as others may see it: a ``trusted`` identity (the user's own judgement) shown as
    ``self-asserted``. Registry and domain identities are kept."""
    ident = report.issuer_identity
    if ident is None or ident.level != IdentityLevel.TRUSTED:
        return report
    claimed = ident.claimed_name
    named = f"calls itself “{claimed}”" if claimed else "gives no name"
    check = warned(CheckId.ISSUER_IDENTITY, f"Nothing confirms who the issuer is: it {named}; no registry or "
                   "website confirms the name.")
    checks = [check if c.id == CheckId.ISSUER_IDENTITY else c for c in report.checks]
    return dataclasses.replace(report, issuer_identity=IssuerIdentity(IdentityLevel.SELF_ASSERTED, claimed),
                               checks=checks)


def attach(report: Report, ctx: VerifyContext) -> Report:
    """``report`` with ``issuer_identity`` set and the ``issuer-identity`` check added (verdict unchanged)."""
    if report.format == Format.NONE or report.badge is None:
        return report
    identity, check = assess(report, ctx)
    return dataclasses.replace(report, issuer_identity=identity, checks=[*report.checks, check])
