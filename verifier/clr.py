"""CLR 2.0 (1EdTech Comprehensive Learner Record): a ``ClrCredential`` and every credential inside it.

A ClrCredential is a Verifiable Credential (JSON-LD with a Data Integrity proof, or a VC-JWT) whose
subject (``ClrSubject``) holds ``verifiableCredential`` (the learner's AchievementCredentials, as
embedded JSON or compact JWS strings), ``achievement`` (descriptions of achievements) and
``association`` (how achievements relate: ``isChildOf``, ``isPartOf``, ``precedes``…).

Security decisions:

- The record's own proof is checked by the OB 3.0 path like any credential. It proves that the record's
  issuer assembled this record; it does **not** prove that a course inside it was issued as shown. So every
  nested credential is verified on its own, with the same verifier (its own issuer, key, dates, status),
  and reported in ``Report.nested`` with role ``achievement`` (:func:`verifier.nested.verify_nested`).
- A nested credential that fails never changes the record's verdict, nor a sibling's: the record gets one
  ``nested`` check — a pass when every part verified, a warning naming the parts that did not — so one
  tampered course cannot make the others, or the record, look tampered, and the record's report says
  which parts failed.
- Bounded: at most :data:`MAX_CREDENTIALS` nested credentials are verified (the rest are reported as not
  checked), and a record inside a record is verified without expanding its own contents (depth 1).
"""
from __future__ import annotations

import dataclasses
from typing import Any

from .checks import CheckId
from .context import VerifyContext
from .jsonutil import as_list, dicts
from .model import Check, NestedReport, Report, Verdict, passed, skipped, warned
from .nested import verify_nested
from .report import with_checks

ROLE = "achievement"
MAX_CREDENTIALS = 100
ASSOCIATION_TYPES = ("exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf", "isRelatedTo",
                     "precedes", "replacedBy")


def is_clr(credential: Any) -> bool:
    """True for a CLR 2.0 ``ClrCredential``."""
    return isinstance(credential, dict) and "ClrCredential" in as_list(credential.get("type"))


def subject(credential: dict[str, Any]) -> dict[str, Any]:
    subjects = dicts(credential.get("credentialSubject"))
    return subjects[0] if subjects else {}


def nested_credentials(credential: dict[str, Any]) -> list[Any]:
    """The embedded credentials: JSON objects or compact JWS strings, in the record's order."""
    return [c for c in as_list(subject(credential).get("verifiableCredential"))
            if isinstance(c, dict) or (isinstance(c, str) and c.count(".") == 2)]


def associations(credential: dict[str, Any]) -> list[dict[str, str]]:
    """The record's associations as ``{"type", "source", "target"}`` (achievement ids)."""
    out = []
    for a in dicts(subject(credential).get("association")):
        kind, source, target = a.get("associationType"), a.get("sourceId"), a.get("targetId")
        if isinstance(kind, str) and isinstance(source, str) and isinstance(target, str):
            out.append({"type": kind, "source": source, "target": target})
    return out


def _name(report: Report, index: int) -> str:
    if report.badge and report.badge.name:
        return f"“{report.badge.name}”"
    return f"credential {index + 1}"


def attach(report: Report, ctx: VerifyContext) -> Report:
    """For a CLR 2.0 record, :func:`with_achievements`; any other report is returned as it is."""
    credential = report.badge.raw.get("credential") if report.badge else None
    return with_achievements(report, credential, ctx) if isinstance(credential, dict) and is_clr(credential) \
        else report


def with_achievements(report: Report, credential: dict[str, Any], ctx: VerifyContext) -> Report:
    """``report`` (the record's own) with every nested credential verified and a ``nested`` check."""
    items = nested_credentials(credential)
    if ctx.depth > 0:
        return with_checks(report, [skipped(CheckId.NESTED, f"This record sits inside another credential and "
                                            f"lists {len(items)} credential(s); they are not expanded again.")])
    if not items:
        return with_checks(report, [warned(CheckId.NESTED, "This record includes no credential of its own: its "
                                           "achievements rest only on the word of the record's issuer.")])
    # The same verifier for each (verify_nested): its own issuer, key, dates and status.
    nested = tuple(verify_nested(item, ROLE, ctx) for item in items[:MAX_CREDENTIALS])
    checks: list[Check] = [_nested_check(nested, len(items))]
    return with_checks(_replace_nested(report, nested), checks)


def _replace_nested(report: Report, nested: tuple[NestedReport, ...]) -> Report:
    return dataclasses.replace(report, nested=report.nested + nested)


def _nested_check(nested: tuple[NestedReport, ...], total: int) -> Check:
    bad = [(i, n.report) for i, n in enumerate(nested) if n.report.verdict != Verdict.VALID]
    unchecked = total - len(nested)
    tail = (f" {unchecked} more credential(s) were not checked (more than {MAX_CREDENTIALS} in one record)."
            if unchecked else "")
    if not bad and not unchecked:
        return passed(CheckId.NESTED, f"Each of the {len(nested)} credential(s) in this record verified on its "
                      "own, with its own issuer's signature.")
    if not bad:
        return warned(CheckId.NESTED, f"The {len(nested)} credential(s) checked in this record verified on "
                      f"their own.{tail}")
    parts = "; ".join(f"{_name(r, i)} ({r.verdict})" for i, r in bad[:10])
    more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
    good = len(nested) - len(bad)
    return warned(CheckId.NESTED, f"{len(bad)} of {len(nested)} credential(s) in this record did not verify on "
                  f"their own: {parts}{more}. Those achievements are not confirmed by their issuers; the "
                  f"other {good} are, and the record's own signature is judged separately.{tail}")
