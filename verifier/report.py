"""The one rule that turns checks into a verdict, and the plain-words summary of a verdict."""
from __future__ import annotations

from .model import Badge, Check, Report

# A failure of a plain ("") check means the badge is not genuine; it outranks everything.
# Then: a confirmed revocation, then "could not check", then the time checks.
_PRECEDENCE = ("", "revoked", "unverifiable", "expired", "not-yet-valid")
_VERDICT_FOR = {"": "invalid", "revoked": "revoked", "unverifiable": "unverifiable",
                "expired": "expired", "not-yet-valid": "not-yet-valid"}


def derive_verdict(checks: list[Check]) -> str:
    """Derive the verdict from the checks.

    Any plain failure → ``invalid``; otherwise the most serious failure outcome wins
    (revoked > unverifiable > expired > not-yet-valid). With no failure the badge is ``valid`` only
    if some check authenticated it (hosted copy confirmed, signature or proof verified):
    an empty or unauthenticated list is ``unverifiable``, never trivially valid.
    """
    outcomes = {c.outcome for c in checks if c.status == "fail"}
    for outcome in _PRECEDENCE:
        if outcome in outcomes:
            return _VERDICT_FOR[outcome]
    if any(c.status == "pass" and c.authenticates for c in checks):
        return "valid"
    return "unverifiable"


def make_report(format: str, checks: list[Check], badge: Badge | None = None,
                payload: str | None = None) -> Report:
    return Report(verdict=derive_verdict(checks), format=format, checks=list(checks),
                  badge=badge, payload=payload)


_SUMMARY = {
    "valid": "This badge is genuine: it was issued by {issuer} and it checks out.",
    "invalid": "This badge did not pass verification, so it should not be trusted.",
    "expired": "This badge was issued by {issuer}, but it has expired.",
    "revoked": "This badge was revoked by {issuer}: it no longer counts.",
    "not-yet-valid": "This badge from {issuer} is not valid yet.",
    "unverifiable": "This badge could not be checked right now, so it cannot be trusted yet.",
}


def summary(report: Report) -> str:
    """One sentence for a non-expert, naming the issuer as the badge states it."""
    issuer = "its issuer"
    if report.badge and (report.badge.issuer.name or report.badge.issuer.id):
        issuer = report.badge.issuer.name or report.badge.issuer.id or issuer
    if report.format == "none":
        return next((c.message for c in report.checks if c.status == "fail"), "This is not a badge we can read.")
    sentence = _SUMMARY[report.verdict].format(issuer=issuer)
    failing = [c for c in report.checks if c.status == "fail"]
    deciding = [c for c in failing if _VERDICT_FOR[c.outcome] == report.verdict] or failing
    if deciding and report.verdict != "valid":
        sentence += " " + deciding[0].message
    return sentence
