"""Endorsements embedded in an OB 3.0 credential, each verified as a credential of its own.

OB 3.0 lets an ``EndorsementCredential`` ride along in ``endorsement`` (objects) or ``endorsementJwt``
(compact JWTs) on the credential, on its issuer profile and on its achievement. Each one is verified
with the same verifier (:func:`verifier.nested.verify_nested`, role ``endorsement``), so it gets its own
verdict and its own issuer identity. The outer credential's signature covering an endorsement proves
nothing about the endorser, so an endorsement counts only if its own proof holds.

An endorsement never changes the badge's verdict: each one yields an ``endorsement`` check that is
``pass`` (genuine, and about this badge, its issuer or its achievement) or ``warn`` (it did not verify,
or it is about something else), never ``fail``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .checks import CheckId
from .context import VerifyContext
from .jsonutil import as_list
from .model import Check, IdentityLevel, IssuerIdentity, NestedReport, Report, Verdict, passed, skipped, warned
from .nested import MAX_DEPTH, MAX_NESTED, verify_nested

ROLE = "endorsement"


@dataclass(frozen=True)
class Embedded:
    """One endorsement as found: the credential (object or JWT text) and where it sat."""

    value: dict[str, Any] | str
    where: str  # "credential", "issuer" or "achievement"


def find_endorsements(credential: dict[str, Any]) -> list[Embedded]:
    """Every embedded endorsement of ``credential`` (its own, its issuer's, its achievement's)."""
    holders: list[tuple[str, Any]] = [("credential", credential), ("issuer", credential.get("issuer"))]
    for subject in as_list(credential.get("credentialSubject")):
        if isinstance(subject, dict):
            holders.append(("achievement", subject.get("achievement")))
    found: list[Embedded] = []
    for where, holder in holders:
        if not isinstance(holder, dict):
            continue
        found += [Embedded(v, where) for v in as_list(holder.get("endorsement")) if isinstance(v, dict)]
        found += [Embedded(v.strip(), where) for v in as_list(holder.get("endorsementJwt"))
                  if isinstance(v, str) and v.strip()]
    return found


def _subject_id(report: Report) -> str | None:
    credential = (report.badge.raw.get("credential") if report.badge else None) or {}
    for subject in as_list(credential.get("credentialSubject")):
        if isinstance(subject, dict) and isinstance(found := subject.get("id"), str):
            return found
    return None


def endorser_words(identity: IssuerIdentity | None) -> str:
    """Who an endorser is, in words that never state a self-asserted name as a fact."""
    claimed = identity.claimed_name if identity else None
    if identity is None:
        return f"someone calling itself “{claimed}”" if claimed else "an unnamed endorser"
    if identity.level == IdentityLevel.REGISTRY and identity.name:
        return f"{identity.name} (listed in an issuer registry)"
    if identity.level == IdentityLevel.DOMAIN and identity.domain:
        return f"whoever controls {identity.domain}" + (f" (it calls itself “{claimed}”)" if claimed else "")
    if identity.level == IdentityLevel.TRUSTED:
        return f"“{claimed or 'an issuer'}”, an issuer you marked as trusted"
    return f"someone calling itself “{claimed}”" if claimed else "an endorser that gives no name"


def _target(subject: str | None, outer: Report) -> str | None:
    badge = outer.badge
    if badge is None or subject is None:
        return None
    if subject == badge.issuer.id:
        return "the issuer"
    if subject == badge.badge_class_id:
        return "the achievement"
    if subject == badge.id:
        return "this badge"
    return None


def endorsement_check(nested: NestedReport, outer: Report) -> Check:
    """``pass`` for a genuine endorsement of this badge, its issuer or achievement; ``warn`` otherwise."""
    report = nested.report
    who = endorser_words(report.issuer_identity)
    subject = _subject_id(report)
    target = _target(subject, outer)
    if report.verdict != Verdict.VALID:
        reason = next((c.message for c in report.checks if c.status == "fail"), "")
        return warned(CheckId.ENDORSEMENT, f"An endorsement from {who} did not pass verification "
                      f"({report.verdict}), so it is ignored." + (f" {reason}" if reason else ""))
    if target is None:
        return warned(CheckId.ENDORSEMENT, f"An endorsement from {who} is genuine but is about something else "
                      f"({subject or 'no subject'}), not this badge, its issuer or its achievement; it is ignored.")
    comment = (report.badge.description if report.badge else "") or ""
    return passed(CheckId.ENDORSEMENT, f"{who[0].upper()}{who[1:]} endorses {target}; the endorsement is "
                  "genuine." + (f" Its comment: “{comment[:300]}”." if comment else ""))


def attach(report: Report, ctx: VerifyContext) -> Report:
    """``report`` with its embedded endorsements verified (``nested``) and one ``endorsement`` check each."""
    credential = report.badge.raw.get("credential") if report.badge else None
    if not isinstance(credential, dict):
        return report
    found = find_endorsements(credential)
    if not found:
        return report
    if ctx.depth >= MAX_DEPTH:
        check = skipped(CheckId.ENDORSEMENT, f"{len(found)} endorsement(s) inside this credential were not checked: "
                        "it is itself nested too deep.")
        return dataclasses.replace(report, checks=[*report.checks, check])
    nested = [verify_nested(e.value, ROLE, ctx) for e in found[:MAX_NESTED]]
    checks = [endorsement_check(n, report) for n in nested]
    if len(found) > MAX_NESTED:
        checks.append(skipped(CheckId.ENDORSEMENT, f"Only the first {MAX_NESTED} of {len(found)} endorsements "
                              "were checked."))
    # Endorsement checks are pass/warn/skip only: the verdict stays what the badge's own checks made it.
    return dataclasses.replace(report, checks=[*report.checks, *checks], nested=(*report.nested, *nested))
