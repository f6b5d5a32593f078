"""The one rule that turns checks into a verdict, and the plain-words summary of a verdict."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .checks import CheckId
from .model import Badge, Check, Format, IdentityLevel, IssuerIdentity, NestedReport, Report, Verdict

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
                nested: tuple[NestedReport, ...] = (), proven_origin: str | None = None) -> Report:
    return Report(verdict=derive_verdict(checks), format=Format(format), checks=list(checks),
                  badge=badge, payload=payload, issuer_identity=issuer_identity, nested=tuple(nested),
                  proven_origin=proven_origin)


def with_checks(report: Report, checks: list[Check], *, before: bool = False) -> Report:
    """``report`` with more checks (after its own, or ``before`` them) and the verdict derived again."""
    combined = list(checks) + report.checks if before else report.checks + list(checks)
    return dataclasses.replace(report, checks=combined, verdict=derive_verdict(combined))


# What the verdict says about the badge itself. No issuer name here: who the issuer is, is a separate
# sentence (identity_sentence), because a valid signature does not prove the name the badge gives.
_AUTHENTIC = {
    "valid": "This badge is genuine: it checks out and has not been altered since it was issued.",
    "invalid": "This badge did not pass verification, so it should not be trusted.",
    "expired": "This badge is genuine, but it has expired.",
    "revoked": "This badge was revoked by its issuer: it no longer counts.",
    "not-yet-valid": "This badge is genuine, but it is not valid yet.",
    "unverifiable": "This badge could not be checked, so it cannot be trusted yet.",
}
# An unverifiable badge: "right now / try again later" only when a retry could succeed (Report.retry_may_help).
_UNVERIFIABLE = {
    True: "This badge could not be checked right now, so it cannot be trusted yet; try again later.",
    False: "This badge cannot be checked this way, so it cannot be trusted as it is; trying again will not "
           "change that.",
    None: _AUTHENTIC["unverifiable"],
}


@dataclass(frozen=True)
class Summary:
    """A verdict in plain words, in two separate parts: ``authenticity`` (is the badge genuine and in
    force?) and ``identity`` (who the issuer is, and who says so); ``headline`` is both together.
    ``reason`` is the sentence of the check that decided the verdict (empty for ``valid``) and
    ``deciding`` that check's id (or None)."""

    headline: str
    reason: str = ""
    deciding: str | None = None
    authenticity: str = ""
    identity: str = ""
    retry_may_help: bool | None = None  # Report.retry_may_help: for "unverifiable", could a later check succeed?

    @property
    def text(self) -> str:
        return f"{self.headline} {self.reason}".strip()


def identity_sentence(identity: IssuerIdentity | None, verdict: str, claimed: str | None = None) -> str:
    """Who the issuer is, in one plain sentence that never states a self-asserted name as a fact."""
    claimed = (identity.claimed_name if identity else None) or claimed
    quoted = f"“{claimed}”" if claimed else None
    if verdict in (Verdict.INVALID, Verdict.UNVERIFIABLE) or identity is None:
        return f"It claims to come from {quoted}; that is not confirmed." if quoted else \
            "It does not say who issued it in a way that could be confirmed."
    if identity.level == IdentityLevel.REGISTRY:
        return f"Issuer: {identity.name}, according to {identity.source or 'an issuer registry'}."
    if identity.level == IdentityLevel.DOMAIN:
        return (f"Issuer: whoever controls the website {identity.domain}"
                + (f", which calls itself {quoted}." if quoted else "."))
    if identity.level == IdentityLevel.TRUSTED:
        return (f"Issuer: {quoted}, which you marked as trusted" if quoted else
                "Issuer: an issuer you marked as trusted") + " (no registry or website confirms it)."
    return (f"Nothing confirms who issued it: the issuer only calls itself {quoted}, a name anyone could use."
            if quoted else "Nothing confirms who issued it: the issuer gives no name.")


def summarize(report: Report) -> Summary:
    """The structured summary every UI and the CLI use (one wording, one place)."""
    failing = [c for c in report.checks if c.status == "fail"]
    if report.format == Format.NONE:
        first = failing[0] if failing else None
        return Summary("", first.message if first else "This is not a badge we can read.",
                       str(first.id) if first else None)
    if report.format == Format.VP_DATA_INTEGRITY:
        return _presentation_summary(report, failing)
    verdict = str(report.verdict)
    retry = report.retry_may_help
    authenticity = _UNVERIFIABLE[retry] if verdict == Verdict.UNVERIFIABLE else \
        _AUTHENTIC.get(verdict, _AUTHENTIC["unverifiable"])
    claimed = report.badge.issuer.name if report.badge else None
    identity = identity_sentence(report.issuer_identity, verdict, claimed)
    parts = [n.report for n in report.nested if n.role != "endorsement"]
    bad_parts = [r for r in parts if r.verdict != Verdict.VALID]
    if report.verdict == Verdict.VALID and bad_parts:
        # A genuine record holding a failed course must not read as wholly genuine in the headline.
        authenticity = (f"The record itself is genuine, but {len(bad_parts)} of the {len(parts)} credentials "
                        "inside it did not pass verification: only the others are confirmed by their issuers.")
    headline = f"{authenticity} {identity}"
    if report.verdict == Verdict.VALID:
        if bad_parts:
            nested_check = report.check(CheckId.NESTED)
            return Summary(headline, nested_check.message if nested_check else "", str(CheckId.NESTED),
                           authenticity, identity)
        return Summary(headline, authenticity=authenticity, identity=identity)
    deciding = [c for c in failing if _VERDICT_FOR.get(c.outcome) == report.verdict] or failing
    if retry is False:  # the reason given is the step that can never be carried out this way
        deciding = [c for c in deciding if c.retry is False] or deciding
    if not deciding:
        return Summary(headline, authenticity=authenticity, identity=identity, retry_may_help=retry)
    return Summary(headline, deciding[0].message, str(deciding[0].id), authenticity, identity, retry)


def summary(report: Report) -> str:
    """One sentence for a non-expert (:func:`summarize` as text)."""
    return summarize(report).text


_VP_SUMMARY = {
    "valid": "This presentation checks out: its holder signed it and every credential in it is genuine.",
    "invalid": "This presentation did not pass verification, so it should not be trusted as a whole.",
    "unverifiable": "This presentation could not be checked right now, so it cannot be trusted yet.",
}


def _presentation_summary(report: Report, failing: list[Check]) -> Summary:
    headline = _VP_SUMMARY.get(str(report.verdict), _VP_SUMMARY["invalid"])
    if report.verdict == Verdict.VALID or not failing:
        return Summary(headline)
    return Summary(headline, failing[0].message, str(failing[0].id))
