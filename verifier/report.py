"""The one rule that turns checks into a verdict, and the plain-words summary of a verdict."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .model import Badge, Check, Format, IssuerIdentity, NestedReport, Report, Verdict

# A failure of a plain ("") check means the badge is not genuine; it outranks everything.
# Then: a confirmed revocation, then "could not check", then the time checks.
_PRECEDENCE = ("", "revoked", "unverifiable", "expired", "not-yet-valid")
_VERDICT_FOR = {"": "invalid", "revoked": "revoked", "unverifiable": "unverifiable",
                "expired": "expired", "not-yet-valid": "not-yet-valid"}


def derive_verdict(checks: list[Check]) -> Verdict:
    """Derive the verdict from the checks.

    Any plain failure → ``invalid``; otherwise the most serious failure outcome wins
    (revoked > unverifiable > expired > not-yet-valid). With no failure the badge is ``valid`` only
    if some check authenticated it (hosted copy confirmed, signature or proof verified):
    an empty or unauthenticated list is ``unverifiable``, never trivially valid.
    """
    outcomes = {c.outcome for c in checks if c.status == "fail"}
    for outcome in _PRECEDENCE:
        if outcome in outcomes:
            return Verdict(_VERDICT_FOR[outcome])
    if any(c.status == "pass" and c.authenticates for c in checks):
        return Verdict.VALID
    return Verdict.UNVERIFIABLE


def make_report(format: Format | str, checks: list[Check], badge: Badge | None = None,
                payload: str | None = None, *, issuer_identity: IssuerIdentity | None = None,
                nested: tuple[NestedReport, ...] = ()) -> Report:
    return Report(verdict=derive_verdict(checks), format=Format(format), checks=list(checks),
                  badge=badge, payload=payload, issuer_identity=issuer_identity, nested=tuple(nested))


def with_checks(report: Report, checks: list[Check], *, before: bool = False) -> Report:
    """``report`` with more checks (after its own, or ``before`` them) and the verdict derived again."""
    combined = list(checks) + report.checks if before else report.checks + list(checks)
    return dataclasses.replace(report, checks=combined, verdict=derive_verdict(combined))


_SUMMARY = {
    "valid": "This badge is genuine: it was issued by {issuer} and it checks out.",
    "invalid": "This badge did not pass verification, so it should not be trusted.",
    "expired": "This badge was issued by {issuer}, but it has expired.",
    "revoked": "This badge was revoked by {issuer}: it no longer counts.",
    "not-yet-valid": "This badge from {issuer} is not valid yet.",
    "unverifiable": "This badge could not be checked right now, so it cannot be trusted yet.",
}


@dataclass(frozen=True)
class Summary:
    """A verdict in plain words: the ``headline`` (what the verdict means), the ``reason`` (the sentence of
    the check that decided it, empty for ``valid``) and ``deciding``, that check's id (or None)."""

    headline: str
    reason: str = ""
    deciding: str | None = None

    @property
    def text(self) -> str:
        return f"{self.headline} {self.reason}".strip()


def summarize(report: Report) -> Summary:
    """The structured summary every UI and the CLI use (one wording, one place)."""
    failing = [c for c in report.checks if c.status == "fail"]
    if report.format == Format.NONE:
        first = failing[0] if failing else None
        return Summary("", first.message if first else "This is not a badge we can read.",
                       str(first.id) if first else None)
    issuer = "its issuer"
    if report.badge and (report.badge.issuer.name or report.badge.issuer.id):
        issuer = report.badge.issuer.name or report.badge.issuer.id or issuer
    headline = _SUMMARY[str(report.verdict)].format(issuer=issuer)
    if report.verdict == Verdict.VALID:
        return Summary(headline)
    deciding = [c for c in failing if _VERDICT_FOR[c.outcome] == report.verdict] or failing
    if not deciding:
        return Summary(headline)
    return Summary(headline, deciding[0].message, str(deciding[0].id))


def summary(report: Report) -> str:
    """One sentence for a non-expert (:func:`summarize` as text)."""
    return summarize(report).text
