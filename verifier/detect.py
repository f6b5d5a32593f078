"""Which kind of badge a payload is: OB 1/2 hosted or signed, OB 3 credential (JSON-LD) or VC-JWT."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Literal

from . import safejson
from .jsonutil import as_list, strings
from .unbake import looks_like_jws

Kind = Literal["ob2-json", "ob2-jws", "ob3-json", "ob3-jwt", "url", "unknown"]

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


def detect_json(data: Any, text: str) -> Detected:
    """Classify parsed JSON: an OB 3 credential, an OB 0.5-2.0 assertion, or not a badge."""
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
