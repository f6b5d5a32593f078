"""Recipient match: does the badge belong to the email/URL the caller expects (hashed or plain)?"""
from __future__ import annotations

import hashlib
import hmac

from .checks import CheckId
from .model import Check, Recipient, failed, passed, skipped, warned

_ALGOS = {"sha256": hashlib.sha256, "sha512": hashlib.sha512, "sha1": hashlib.sha1, "md5": hashlib.md5}
HASH_ALGORITHMS = frozenset(_ALGOS)  # the ``algo$hex`` prefixes of hashed recipients that can be compared


def hashed_identity_matches(identity: str, salt: str | None, candidate: str) -> bool | None:
    """Whether a hashed recipient (``algo$hex``, OB 2.0/3.0) is ``candidate`` with ``salt``; None when the
    algorithm is unknown (so the caller can say "cannot be told" instead of "someone else").

    The one hashed-recipient rule, used by the verifier's ``recipient`` check and the wallet's holder match.
    The digests are compared in constant time.
    """
    algo, _, digest = identity.partition("$")
    fn = _ALGOS.get(algo.lower())
    if fn is None:
        return None
    computed = fn((candidate + (salt or "")).encode("utf-8", "replace")).hexdigest()
    # Bytes, not str: compare_digest raises on non-ASCII text, and a digest is only ever hex.
    return hmac.compare_digest(computed.encode(), digest.strip().lower().encode("utf-8", "replace"))


def recipient_check(recipient: Recipient, expected: str | None) -> Check:
    """The ``recipient`` check. Without an expected value it only describes who the badge names."""
    if not recipient.identity:
        if expected is not None:
            return failed(CheckId.RECIPIENT, f"The badge does not name its recipient, so it cannot be shown to "
                          f"have been issued to {expected}.")
        return warned(CheckId.RECIPIENT, "The badge does not name its recipient.")
    if expected is None:
        what = "a hashed " + (recipient.type or "identity") if recipient.hashed else recipient.identity
        return skipped(CheckId.RECIPIENT, f"The badge was issued to {what}; no recipient was given to compare.")
    # Only email addresses are compared without regard to case: URL paths and DIDs (did:key is
    # base58) are case-sensitive, so /ALICE and /alice may be two different people.
    fold = (recipient.type or "email").lower() in ("email", "emailaddress")
    candidates = [expected.strip()]
    if fold and expected.strip().lower() != candidates[0]:
        candidates.append(expected.strip().lower())
    if recipient.hashed or "$" in recipient.identity and recipient.identity.split("$")[0].lower() in _ALGOS:
        for i, candidate in enumerate(candidates):
            match = hashed_identity_matches(recipient.identity, recipient.salt, candidate)
            if match is None:
                algo = recipient.identity.split("$")[0]
                return failed(CheckId.RECIPIENT, f"The recipient is hashed with an unsupported algorithm ({algo}).")
            if match:
                how = "as typed" if i == 0 else "in lower case"
                return passed(CheckId.RECIPIENT, f"The badge was issued to {expected} (hashed identity matched {how}).")
        return failed(CheckId.RECIPIENT, f"The badge was not issued to {expected}.")
    same = (recipient.identity.strip().lower() == expected.strip().lower() if fold
            else recipient.identity.strip() == expected.strip())
    if same:
        return passed(CheckId.RECIPIENT, f"The badge was issued to {expected}.")
    return failed(CheckId.RECIPIENT, f"The badge was issued to someone else, not {expected}.")
