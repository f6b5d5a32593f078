"""The one vocabulary of check ids, shared by every format, with a label and a plain-words explanation.

A check id names a *step* of verification, not the format it came from: an OB 2.0 JWS signature and an
OB 3.0 Data Integrity proof are both ``signature``; "the key belongs to the issuer" is ``key-owner``
whether it was read from an OB 2.0 issuer profile or a DID document. The ids are part of the public CLI
contract (``checks[].id``); renames are listed in the README (old → new).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CheckId(StrEnum):
    """Every check id the verifier emits. A ``StrEnum``: members compare equal to their string values."""

    UNBAKE = "unbake"
    PARSE = "parse"
    MIRROR = "mirror"
    STRUCTURE = "structure"
    CONTEXT = "context"
    UNSIGNED_FIELDS = "unsigned-fields"
    SCHEMA = "schema"
    HOSTED_COPY = "hosted-copy"
    HOSTED_COPY_ID = "hosted-copy-id"
    ORIGIN = "origin"
    BADGECLASS = "badgeclass"
    ISSUER = "issuer"
    ISSUER_ID = "issuer-id"
    VERIFICATION_TYPE = "verification-type"
    ALGORITHM = "algorithm"
    SIGNATURE = "signature"
    SIGNATURE_SUITE = "proof-suite"
    SIGNATURE_EXPIRY = "proof-expiry"
    KEY = "key"
    KEY_OWNER = "key-owner"
    JWT_CLAIMS = "jwt-claims"
    REVOCATION = "revocation"
    RECIPIENT = "recipient"
    ISSUED = "issued"
    EXPIRY = "expiry"
    ISSUER_IDENTITY = "issuer-identity"
    ENDORSEMENT = "endorsement"
    NESTED = "nested"
    HOLDER = "holder"
    DEADLINE = "deadline"  # verifier.batch: not checked within a batch's deadline
    INTERNAL = "internal"  # verifier.batch: the verifier itself failed on this badge


@dataclass(frozen=True)
class CheckInfo:
    label: str  # a short heading for a UI row
    explains: str  # what the step proves, in plain words


CHECK_INFO: dict[CheckId, CheckInfo] = {
    CheckId.UNBAKE: CheckInfo("Badge data", "The badge data was found inside the image file."),
    CheckId.PARSE: CheckInfo("Reading", "The file could be read as badge data."),
    CheckId.MIRROR: CheckInfo("Demo copy", "Some issuer documents came from a local demo copy."),
    CheckId.DEADLINE: CheckInfo("Time limit", "The badge was checked within the time the page allows."),
    CheckId.INTERNAL: CheckInfo("Verifier", "The verifier itself worked through this badge without an error."),
    CheckId.STRUCTURE: CheckInfo("Format", "The badge has the shape its specification requires."),
    CheckId.CONTEXT: CheckInfo("Vocabulary", "Every term of the credential is defined by a known vocabulary."),
    CheckId.UNSIGNED_FIELDS: CheckInfo("Signature coverage", "No field escapes the signature."),
    CheckId.SCHEMA: CheckInfo("Schema", "The credential matches the schema it names."),
    CheckId.HOSTED_COPY: CheckInfo("Issuer's copy", "The issuer's own server still publishes this badge."),
    CheckId.HOSTED_COPY_ID: CheckInfo("Issuer's copy address", "The hosted copy names its own address."),
    CheckId.ORIGIN: CheckInfo("Hosting", "The badge is hosted on the issuer's own web site."),
    CheckId.BADGECLASS: CheckInfo("Badge description", "The badge's description (BadgeClass) could be read."),
    CheckId.ISSUER: CheckInfo("Issuer profile", "The issuer's profile could be read."),
    CheckId.ISSUER_ID: CheckInfo("Issuer address", "The issuer's id is the address it is published at."),
    CheckId.VERIFICATION_TYPE: CheckInfo("Verification method", "The badge says how it is to be verified."),
    CheckId.ALGORITHM: CheckInfo("Signature method", "The signature uses an algorithm we accept."),
    CheckId.SIGNATURE: CheckInfo("Signature", "The signature matches the badge exactly as received."),
    CheckId.SIGNATURE_SUITE: CheckInfo("Signature suite", "The kind of signature is one we can check."),
    CheckId.SIGNATURE_EXPIRY: CheckInfo("Signature expiry", "The signature itself has not expired."),
    CheckId.KEY: CheckInfo("Signing key", "The signing key could be found and read."),
    CheckId.KEY_OWNER: CheckInfo("Key ownership", "The signing key belongs to the issuer the badge names."),
    CheckId.JWT_CLAIMS: CheckInfo("Token claims", "The token's claims agree with the credential inside it."),
    CheckId.REVOCATION: CheckInfo("Revocation", "The issuer has not revoked or suspended the badge."),
    CheckId.RECIPIENT: CheckInfo("Recipient", "The badge was issued to the person named."),
    CheckId.ISSUED: CheckInfo("Issue date", "The badge was issued in the past."),
    CheckId.EXPIRY: CheckInfo("Expiry", "The badge has not expired."),
    CheckId.ISSUER_IDENTITY: CheckInfo("Issuer identity", "Who vouches for the issuer's identity."),
    CheckId.ENDORSEMENT: CheckInfo("Endorsements", "Endorsements of the issuer or achievement."),
    CheckId.NESTED: CheckInfo("Included credentials", "The credentials included in this one."),
    CheckId.HOLDER: CheckInfo("Holder", "The person presenting the credentials signed the presentation."),
}


# Ids used before the vocabulary was shared by all formats (README: old → new); wallet records written
# before the rename still carry them.
LEGACY_IDS: dict[str, CheckId] = {"proof": CheckId.SIGNATURE, "key-binding": CheckId.KEY_OWNER,
                                  "status": CheckId.REVOCATION, "type": CheckId.STRUCTURE}


def parse_id(check_id: str) -> CheckId | None:
    """The :class:`CheckId` of a stored id (legacy names included), or None for an unknown one."""
    if check_id in LEGACY_IDS:
        return LEGACY_IDS[check_id]
    try:
        return CheckId(check_id)
    except ValueError:
        return None


def label(check_id: str) -> str:
    """The UI label of an id; an unknown id (say, from a crafted backup) is shown as it is."""
    known = parse_id(check_id)
    return CHECK_INFO[known].label if known else check_id
