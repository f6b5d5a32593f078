"""The learner as holder: the identities they go by, whose each badge is, and their signing key.

*Identities* are the e-mail addresses, URLs and DIDs the learner says are theirs (``confirmed`` when a
sign-in provider confirmed them, in hosted mode). :func:`match_recipient` compares a badge's recipient
with them — plain, hashed and salted (``sha256$…``/``md5$…``, the e-mail also in lower case), or a DID —
and says in plain words whose badge it is. The sentence never contains the identity itself: a hidden
address must not leak through "issued to alice@…".

Honesty rules: a match against an identity the learner only typed in is said to be "an address the owner
gave" (anyone can type anyone's address into their own wallet), not "the owner"; a badge whose
recipient the owner has no identity of the same kind for is "cannot be told", not "someone else".

The *holder key* is an Ed25519 key that signs presentations (present.py): its did:key, or in hosted mode
a did:web under the site's public address (``did:web:HOST:u:SLUG``, hosted_did.py). Its seed is kept
sealed in the wallet's settings (key_vault.py), which wallet exports never include.
"""
from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from nacl.signing import SigningKey

from verifier import HASH_ALGORITHMS, ed25519_multikey, hashed_identity_matches

IDENTITIES = "holder_identities"
DISPLAY_NAME = "holder_display_name"
HOLDER_KEY = "holder_key"
MAX_IDENTITIES = 50

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class IdentityKind(StrEnum):
    EMAIL = "email"
    URL = "url"
    DID = "did"


@dataclass(frozen=True)
class Identity:
    """One identity of the learner. ``confirmed``: a sign-in provider confirmed it (hosted mode)."""

    value: str
    kind: IdentityKind
    confirmed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "kind": str(self.kind), "confirmed": self.confirmed}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Identity | None:
        parsed = parse_identity(str(data.get("value", "")))
        return None if parsed is None else cls(parsed.value, parsed.kind, bool(data.get("confirmed")))


def parse_identity(text: str, *, confirmed: bool = False) -> Identity | None:
    """An identity from what the learner typed (``mailto:`` is dropped), or None if it is none of the three."""
    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:"):]
    if value.startswith("did:") and len(value.split(":")) >= 3:
        return Identity(value, IdentityKind.DID, confirmed)
    if value.startswith(("http://", "https://")) and len(value) > 8:
        return Identity(value, IdentityKind.URL, confirmed)
    if _EMAIL.fullmatch(value):
        return Identity(value, IdentityKind.EMAIL, confirmed)
    return None


def confirmed_email(user: Mapping[str, Any]) -> str | None:
    """The e-mail of a signed-in user (``st.user`` claims) that the provider says it verified, else None.
    Only ``email_verified`` true counts: a bare ``email`` claim (some providers let users type any) proves
    nothing, and the public page would otherwise call an unchecked address "confirmed"."""
    email = user.get("email")
    if user.get("is_logged_in") and user.get("email_verified") is True and isinstance(email, str):
        parsed = parse_identity(email)
        return parsed.value if parsed is not None and parsed.kind is IdentityKind.EMAIL else None
    return None


class Whose(StrEnum):
    """Whose badge it is, as far as the owner's identities tell."""

    OWNER = "owner"  # the recipient is one of the owner's identities
    OTHER = "other"  # the recipient is of a kind the owner has identities of, and none matches
    UNKNOWN = "unknown"  # no recipient, an unsupported hash, or no identity of that kind to compare


@dataclass(frozen=True)
class HolderMatch:
    whose: Whose
    sentence: str  # plain words for a visitor; never contains the recipient or the identity
    confirmed: bool = False  # the matching identity was confirmed by a sign-in provider
    kind: str | None = None  # the recipient's kind: email, url, did, …


_KIND_WORDS = {"email": "an e-mail address", "url": "a web address", "did": "a DID (decentralized identifier)"}


def _kind_of(recipient: Mapping[str, Any]) -> str | None:
    kind = str(recipient.get("type") or "").lower()
    identity = str(recipient.get("identity") or "")
    if kind in ("email", "emailaddress"):
        return "email"
    if kind in ("url", "did"):
        return kind
    if identity.startswith("did:"):
        return "did"
    if identity.lower().startswith(("http://", "https://")):
        return "url"
    if kind in ("", "id") and _EMAIL.fullmatch(identity.removeprefix("mailto:")):
        return "email"
    return kind or None


def _hashed(identity: str, recipient: Mapping[str, Any]) -> bool:
    algo = identity.split("$", 1)[0].lower() if "$" in identity else ""
    return bool(recipient.get("hashed")) or algo in HASH_ALGORITHMS


def _candidates(ident: Identity) -> list[str]:
    if ident.kind is IdentityKind.EMAIL:
        return list(dict.fromkeys([ident.value, ident.value.lower()]))  # issuers hash the address as given
    return [ident.value]


def match_recipient(recipient: Mapping[str, Any] | None, identities: Iterable[Identity]) -> HolderMatch:
    """Whose badge a recipient (``Badge.recipient`` as a dict) is, given the owner's identities."""
    recipient = recipient or {}
    identity = recipient.get("identity")
    if not isinstance(identity, str) or not identity.strip():
        return HolderMatch(Whose.UNKNOWN, "Cannot be told: the badge does not name its "
                           "recipient.")
    identity = identity.strip()
    kind = _kind_of(recipient)
    words = _KIND_WORDS.get(kind or "", "an identity")
    same_kind = [i for i in identities if str(i.kind) == kind]
    if not same_kind:
        return HolderMatch(Whose.UNKNOWN, f"Cannot be told: it was issued to {words}, "
                           f"and the owner of this portfolio has not given one to compare.", kind=kind)
    matched: Identity | None = None
    if _hashed(identity, recipient):
        salt = str(recipient.get("salt") or "")
        for ident in same_kind:
            for candidate in _candidates(ident):
                outcome = hashed_identity_matches(identity, salt, candidate)
                if outcome is None:
                    return HolderMatch(Whose.UNKNOWN, "Cannot be told: the recipient is "
                                       "hashed with a method this wallet does not support.", kind=kind)
                if outcome:
                    matched = matched or ident
    else:
        plain = identity.removeprefix("mailto:") if kind == "email" else identity
        for ident in same_kind:
            # E-mail addresses are compared without regard to case; URLs and DIDs are case-sensitive.
            if (plain.lower() == ident.value.lower()) if kind == "email" else (plain == ident.value):
                matched = matched or ident
    if matched is None:
        return HolderMatch(Whose.OTHER, f"Not issued to the owner of this portfolio: the badge names {words} "
                           f"that is not one of the owner's.", kind=kind)
    if matched.confirmed:
        return HolderMatch(Whose.OWNER, f"Issued to the owner of this portfolio: the recipient is "
                           f"{words} of the owner's, confirmed when they signed in.", True, kind)
    return HolderMatch(Whose.OWNER, f"Issued to the owner of this portfolio, as far as the owner says: the "
                       f"recipient is {words} the owner gave as theirs (this site has not confirmed it).",
                       False, kind)


# --- the holder's signing key ------------------------------------------------------------------------------

@dataclass(frozen=True)
class HolderKey:
    """The learner's Ed25519 key and its DID (did:key, or ``web_did`` in hosted mode). ``signing_key``
    never leaves the wallet."""

    signing_key: SigningKey
    web_did: str | None = None

    @property
    def public_multikey(self) -> str:
        return ed25519_multikey(self.signing_key.verify_key)

    @property
    def did(self) -> str:
        return self.web_did or "did:key:" + self.public_multikey

    @property
    def verification_method(self) -> str:
        if self.web_did:
            return f"{self.web_did}#key-1"
        return f"{self.did}#{self.public_multikey}"

    def to_setting(self) -> str:
        return base64.b64encode(bytes(self.signing_key)).decode("ascii")

    @classmethod
    def from_setting(cls, value: Any) -> HolderKey | None:
        try:
            seed = base64.b64decode(str(value), validate=True)
        except ValueError:
            return None
        return cls(SigningKey(seed)) if len(seed) == 32 else None

    @classmethod
    def generate(cls) -> HolderKey:
        return cls(SigningKey.generate())
