"""Which kind of badge a payload is: OB 1/2 hosted or signed, OB 3 credential (JSON-LD) or VC-JWT."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Literal

from . import safejson
from .jsonutil import as_list, strings
from .media import looks_like_jws

Kind = Literal["ob2-json", "ob2-jws", "ob3-json", "ob3-jwt", "vp-json", "url", "unknown"]

# Fields of which an Open Badges 0.5-2.0 assertion has at least one.
_OB_KEYS = {"@context", "recipient", "badge", "verify", "verification", "uid", "identity", "issuedOn",
            "issued_on", "salt", "type"}

VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def decode_jws_unverified(token: str) -> tuple[dict[str, Any] | None, Any, str | None]:
    """(header, payload, error) of a compact JWS, without checking the signature."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        return None, None, "a signed badge must have three dot-separated parts"
    try:
        header = safejson.loads(b64url_decode(parts[0]))
        payload = safejson.loads(b64url_decode(parts[1]))
    except safejson.UnsafeJson as exc:
        return None, None, f"the signed badge's header or payload cannot be read safely: {exc}"
    except (ValueError, UnicodeDecodeError):
        return None, None, "the signed badge's header or payload is not base64url-encoded JSON"
    if not isinstance(header, dict):
        return None, None, "the signed badge's header is not a JSON object"
    return header, payload, None


def is_vc(doc: Any) -> bool:
    """True for a W3C Verifiable Credential (OB 3.0 and other VCs)."""
    if not isinstance(doc, dict):
        return False
    return (any(c in VC_CONTEXTS for c in strings(doc.get("@context")))
            or "VerifiableCredential" in as_list(doc.get("type")))


@dataclass(frozen=True)
class Detected:
    kind: Kind
    text: str
    data: Any = None  # parsed JSON (for *-json), or the unverified JWT payload (for *-jws/jwt)
    error: str | None = None


# Status-list credentials and their subjects (W3C Bitstring Status List, StatusList2021, RevocationList2020).
STATUS_LIST_TYPES = {"BitstringStatusListCredential", "StatusList2021Credential", "RevocationList2020Credential",
                     "BitstringStatusList", "StatusList2021", "RevocationList2020"}
_DID_DOC_KEYS = ("verificationMethod", "assertionMethod", "authentication", "publicKey", "keyAgreement",
                 "capabilityInvocation", "capabilityDelegation", "service")
_AWARD_KEYS = ("recipient", "badge", "uid", "verify", "verification", "credentialSubject", "issuedOn", "issued_on")


def _quoted(value: Any) -> str:
    return f" “{value[:120]}”" if isinstance(value, str) and value.strip() else ""


def not_a_badge(data: Any) -> str | None:
    """A sentence saying what this JSON is, when it is a known kind of document that is not a badge.

    Documents that live beside badges — JSON-LD contexts, DID and controller documents, status lists,
    revocation lists, public keys, a BadgeClass, Achievement or Issuer profile on its own — are not
    awarded to anyone; verifying one as a badge would call it ``valid``/``invalid`` and the wallet would
    store it. None when the JSON may be a badge (an assertion or a credential).
    """
    if not isinstance(data, dict):
        return None
    types = set(strings(data.get("type")))
    subject_types = {t for s in as_list(data.get("credentialSubject")) if isinstance(s, dict)
                     for t in strings(s.get("type"))}
    if (types | subject_types) & STATUS_LIST_TYPES:
        kind = sorted(types & STATUS_LIST_TYPES or subject_types & STATUS_LIST_TYPES)[0]
        issuer = data.get("issuer")
        by = _quoted(issuer.get("name") or issuer.get("id") if isinstance(issuer, dict) else issuer)
        return (f"This is a status list ({kind}){' published by' + by if by else ''}, not a badge: issuers "
                "publish it to record which of their badges were revoked or suspended.")
    if "VerifiableCredential" in types or "VerifiablePresentation" in types or "credentialSubject" in data:
        return None
    if isinstance(data.get("@context"), dict) and set(data) <= {"@context"}:
        return ("This is a JSON-LD context document, not a badge: it defines the vocabulary that badges and "
                "credentials use.")
    awarded = any(k in data for k in _AWARD_KEYS)
    document = found if isinstance(found := data.get("didDocument"), dict) else data
    found_id = document.get("id")
    doc_id = found_id if isinstance(found_id, str) else ""
    has_keys = isinstance(found_id, str) and any(k in document for k in _DID_DOC_KEYS)
    if has_keys and doc_id.startswith("did:") and not any(k in document for k in _AWARD_KEYS):
        profile = f" (the issuer profile{_quoted(document.get('name'))})" if types & {"Issuer", "Profile"} else ""
        return (f"This is the DID document of {doc_id[:120]}{profile}, not a badge: it lists the keys of that "
                "identifier, which are used to check badges.")
    if types & {"Issuer", "Profile"} and not awarded:
        return (f"This is an issuer profile{_quoted(data.get('name'))}, not a badge: it describes who issues "
                "badges.")
    if has_keys and not any(k in document for k in _AWARD_KEYS):
        return (f"This is a controller document ({doc_id[:120]}), not a badge: it lists keys used to check "
                "badges.")
    if awarded:
        return None
    if "revokedAssertions" in data or "revokedCredentials" in data or "RevocationList" in types:
        return ("This is an issuer's revocation list, not a badge: it records which of the issuer's badges "
                "were revoked.")
    if "CryptographicKey" in types or "publicKeyPem" in data:
        return "This is an issuer's public key, not a badge: it is used to check the signatures of badges."
    if types & {"BadgeClass", "Achievement"} or "achievementType" in data \
            or {"criteria", "issuer", "name"} <= set(data):
        kind = "a BadgeClass" if "BadgeClass" in types or "issuer" in data else "an Achievement"
        return (f"This is {kind} (the description of the badge{_quoted(data.get('name'))}), not a badge "
                "awarded to someone: an awarded badge names its recipient. Ask for the badge file the "
                "recipient received.")
    if "name" in data and ("url" in data or "origin" in data) and not types:
        return (f"This is an issuer profile{_quoted(data.get('name'))}, not a badge: it describes who issues "
                "badges.")
    return None


def detect_json(data: Any, text: str) -> Detected:
    """Classify parsed JSON: an OB 3 credential, an OB 0.5-2.0 assertion, or not a badge."""
    what = not_a_badge(data)
    if what:
        return Detected("unknown", text, data, error=what)
    if isinstance(data, dict) and "VerifiablePresentation" in as_list(data.get("type")):
        return Detected("vp-json", text, data)
    if is_vc(data):
        return Detected("ob3-json", text, data)
    if not isinstance(data, dict) or not _OB_KEYS & set(data):
        return Detected("unknown", text, error="This JSON is not a badge: it has none of the fields of an "
                        "Open Badges assertion or a verifiable credential.")
    return Detected("ob2-json", text, data)


def detect(text: str) -> Detected:
    """Classify a payload string (JSON, JWS/JWT or URL)."""
    text = text.strip()
    if text.startswith("{"):
        try:
            data = safejson.loads(text)
        except json.JSONDecodeError as exc:
            return Detected("unknown", text, error=f"The badge JSON is malformed ({exc.msg} at line {exc.lineno}).")
        except safejson.UnsafeJson as exc:
            return Detected("unknown", text, error=f"The badge JSON cannot be read safely: {exc}.")
        except ValueError:  # a number too long to read, or absurdly deep nesting
            return Detected("unknown", text, error="The badge JSON cannot be read safely: it is nested too "
                            "deeply or holds a number too long to read.")
        return detect_json(data, text)
    if looks_like_jws(text):
        header, payload, err = decode_jws_unverified(text)
        if err:
            return Detected("unknown", text, error=f"This looks like a signed badge, but {err}.")
        if isinstance(payload, dict) and ("vc" in payload or is_vc(payload)):
            return Detected("ob3-jwt", text, payload)
        return Detected("ob2-jws", text, payload)
    if text.startswith(("http://", "https://")) and " " not in text:
        return Detected("url", text)
    return Detected("unknown", text, error="This is not a badge: expected JSON, a signed badge or a URL.")
