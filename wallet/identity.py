"""Which stored badge a file is a copy of: the credential's identity, and whether a copy is authenticated.

A credential is identified by what its issuer says, not by what any file claims on its own:

* OB 3.0: issuer id + credential id (OB 3.0 §10: ``id`` is unique *for its issuer*, so the same
  ``id`` under another issuer is another credential — and a forgery must not hide the genuine one);
* OB 1.x / 2.0: the assertion id (its hosted URL or ``urn:uuid``), unique on its own;
* otherwise no identity: only identical bytes (SHA-256) make a duplicate.

The identity is stored as the record's ``badge_id``, which every :class:`wallet.store.WalletStore`
refuses twice. Two copies with one identity are the same badge. The store keeps one; an *authenticated* copy
(a passing signature, proof or hosted-copy check) replaces one that is not, so a tampered copy
imported first can never keep the genuine badge out.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verifier import Report


def identity_key(format: str, badge: Mapping[str, Any], badge_id: str | None = None) -> str | None:
    """The identity of a badge from its format and its ``Badge.to_dict()`` form (None: bytes only).

    ``badge_id`` is the assertion's URL when the badge itself has no id (an OB 1 hosted badge)."""
    if not isinstance(badge, Mapping):
        return None
    cred_id = badge.get("id")
    if (format or "").startswith("ob3") or badge.get("spec_version") == "3.0":
        issuer = badge.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else None
        if isinstance(cred_id, str) and cred_id and isinstance(issuer_id, str) and issuer_id:
            return f"{issuer_id} {cred_id}"  # a space: in neither a URL nor a DID
        return None
    assertion = cred_id if isinstance(cred_id, str) and cred_id else badge_id
    return assertion if isinstance(assertion, str) and assertion else None


def record_identity(rec: Mapping[str, Any]) -> str | None:
    """The identity of a stored record, computed from its badge (records stored before OB 3.0
    identities included the issuer hold the bare credential id as ``badge_id``)."""
    return identity_key(str(rec.get("format") or ""), rec.get("badge") or {}, rec.get("badge_id"))


def is_authenticated(report: Report) -> bool:
    """Some check proved the badge comes from its issuer (signature, proof or hosted copy)."""
    return any(c.status == "pass" and c.authenticates for c in report.checks)


def record_authenticated(rec: Mapping[str, Any]) -> bool:
    """Whether a stored copy was authenticated (records from before the flag: a valid verdict)."""
    value = rec.get("authenticated")
    return bool(value) if isinstance(value, bool) else rec.get("verdict") == "valid"
