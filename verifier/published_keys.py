"""Issuer keys whose private half is public, so a signature by them proves nothing.

Security decision: a ``did:key`` is self-certifying: whoever holds its private key *is* that issuer. When
that private key is published (this project's demo issuer, whose seed ships with the source code so the
demo set can be regenerated, or a specification's test vectors), anyone can sign a badge "from" it and the
proof would check out. Such a badge is refused (a failed ``key-owner`` check, verdict ``invalid``), except
the demo issuer's in demo mode, where the demo mirror is in use and the report already says so.
"""
from __future__ import annotations

from .checks import CheckId
from .context import VerifyContext
from .model import Report, failed, warned
from .report import with_checks

DEMO_ISSUER_DID = "did:key:z6MkuKaYtGxfP3N1e8sPymHnc8iYzPFGjtsgBgbncTYSSxqb"

# did → where its private key is published.
PUBLISHED: dict[str, str] = {
    DEMO_ISSUER_DID: "it is this app's demo issuer, whose key ships with the source code",
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2":
        "it is the example key of the W3C Data Integrity EdDSA specification",
}


def attach(report: Report, ctx: VerifyContext) -> Report:
    """Add a ``key-owner`` failure when the issuer is a DID whose private key is published."""
    issuer = report.badge.issuer.id if report.badge and report.badge.issuer else None
    did = (issuer or "").split("#")[0]
    why = PUBLISHED.get(did)
    if not why:
        return report
    if did == DEMO_ISSUER_DID and ctx.fetcher.mirrors:
        return with_checks(report, [warned(CheckId.KEY_OWNER, "This badge is signed with the demo issuer's key, "
                                           "which is public: it counts only in demo mode.")])
    return with_checks(report, [failed(CheckId.KEY_OWNER, f"The issuer's private key is public ({why}): anyone "
                                       "can sign with it, so this signature proves nothing about who issued "
                                       "the badge.")])
