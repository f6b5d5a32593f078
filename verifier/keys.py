"""Issuer keys: did:key (decoded locally), did:web and https controller documents (via the fetcher).

A verification method resolves to a :class:`ResolvedKey`: the public key, the ``controller`` that
the controller document names, and the verification relationships (``assertionMethod``, …) the
controller document grants it. Callers bind that to the credential: the controller must be the
issuer and the relationship must include the proof's purpose.

Supported method types: ``Multikey`` (``publicKeyMultibase``: Ed25519 ``z6Mk…``, P-256 ``zDn…``,
P-384 ``z82…``), ``Ed25519VerificationKey2020`` (Ed25519 multikey only), ``Ed25519VerificationKey2018``
(``publicKeyBase58``), ``JsonWebKey`` / ``JsonWebKey2020`` (``publicKeyJwk``: OKP Ed25519, EC, RSA).
``did:key`` is decoded locally for the same three multikey types, ``did:jwk`` from its JWK.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from nacl.exceptions import CryptoError
from nacl.signing import VerifyKey

if TYPE_CHECKING:
    from .context import VerifyContext

RELATIONSHIPS = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation",
                 "keyAgreement")
ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub (varint 0xed)
# multicodec p256-pub (0x1200) / p384-pub (0x1201) as varints, each followed by a compressed SEC1 point
EC_PUB: dict[bytes, tuple[str, ec.EllipticCurve, int]] = {
    b"\x80\x24": ("P-256", ec.SECP256R1(), 33),
    b"\x81\x24": ("P-384", ec.SECP384R1(), 49),
}
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_DID_WEB_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$")  # name[:port]


@dataclass(frozen=True)
class ResolvedKey:
    id: str
    controller: str
    type: str
    public_key: Any  # nacl VerifyKey for Ed25519, else a cryptography public key
    jwk: dict[str, Any] | None
    relationships: frozenset[str]


@dataclass(frozen=True)
class KeyResult:
    """A resolved key, or why not. ``unreachable`` = a network/offline failure (→ unverifiable)."""

    key: ResolvedKey | None = None
    error: str | None = None
    unreachable: bool = False


# --- encodings -------------------------------------------------------------------------------

def b58decode(text: str) -> bytes:
    """Base58 (Bitcoin alphabet) decode; raises ValueError on a bad character."""
    num = 0
    for char in text:
        try:
            num = num * 58 + _B58_INDEX[char]
        except KeyError:
            raise ValueError(f"{char!r} is not a base58 character") from None
    body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
    leading = len(text) - len(text.lstrip("1"))
    return b"\x00" * leading + body


def b58encode(data: bytes) -> str:
    num = int.from_bytes(data, "big")
    out = []
    while num:
        num, rem = divmod(num, 58)
        out.append(_B58[rem])
    leading = len(data) - len(data.lstrip(b"\x00"))
    return "1" * leading + "".join(reversed(out))


def multibase_decode(value: str) -> bytes:
    """Decode a base58btc multibase string (``z…``); other bases are refused."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("only base58btc multibase values (starting with 'z') are supported")
    return b58decode(value[1:])


def ed25519_from_multikey(value: str) -> VerifyKey:
    """An Ed25519 public key from ``publicKeyMultibase`` (``z6Mk…``: 0xed01 + 32 bytes)."""
    raw = multibase_decode(value)
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise ValueError("the key is not an Ed25519 multikey (expected z6Mk…)")
    return VerifyKey(raw[2:])


def ed25519_multikey(verify_key: VerifyKey) -> str:
    """``z6Mk…`` multibase form of an Ed25519 public key."""
    return "z" + b58encode(ED25519_PUB + bytes(verify_key))


def ec_from_multikey(value: str) -> ec.EllipticCurvePublicKey:
    """A P-256 (``zDn…``: 0x8024 + 33 bytes) or P-384 (``z82…``: 0x8124 + 49 bytes) public key."""
    raw = multibase_decode(value)
    spec = EC_PUB.get(raw[:2])
    if spec is None or len(raw) != 2 + spec[2]:
        raise ValueError("the key is not a P-256 or P-384 multikey (expected zDn… or z82…)")
    return ec.EllipticCurvePublicKey.from_encoded_point(spec[1], raw[2:])  # ValueError if not on the curve


def ec_multikey(public_key: ec.EllipticCurvePublicKey) -> str:
    """``zDn…`` / ``z82…`` multibase form of a P-256 / P-384 public key (compressed point)."""
    for prefix, (_, curve, _) in EC_PUB.items():
        if public_key.curve.name == curve.name:
            return "z" + b58encode(prefix + public_key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint))
    raise ValueError(f"no multikey encoding for the curve {public_key.curve.name}")


def key_from_multikey(value: str) -> Any:
    """The public key of a ``publicKeyMultibase``: Ed25519 (nacl VerifyKey), P-256 or P-384 (cryptography)."""
    raw = multibase_decode(value)
    if raw[:2] == ED25519_PUB:
        return ed25519_from_multikey(value)
    if raw[:2] in EC_PUB:
        return ec_from_multikey(value)
    raise ValueError("the multikey is not an Ed25519, P-256 or P-384 public key (expected z6Mk…, zDn… or z82…)")


# --- keys from verification methods -----------------------------------------------------------

def _key_from_jwk(jwk: dict[str, Any]) -> Any:
    if not isinstance(jwk, dict):
        raise ValueError("publicKeyJwk is not an object")
    if any(k in jwk for k in ("d", "p", "q")):
        raise ValueError("publicKeyJwk contains private key material; refused")
    kty = jwk.get("kty")
    if kty == "OKP" and jwk.get("crv") == "Ed25519":
        from joserfc.util import urlsafe_b64decode
        return VerifyKey(urlsafe_b64decode(str(jwk.get("x", "")).encode()))
    from joserfc.jwk import ECKey, RSAKey
    if kty == "EC":
        return ECKey.import_key(jwk).public_key
    if kty == "RSA":
        return RSAKey.import_key(jwk).public_key
    raise ValueError(f"unsupported JWK key type {kty!r} / curve {jwk.get('crv')!r}")


def key_from_method(method: dict[str, Any]) -> tuple[Any, dict[str, Any] | None]:
    """(public key, jwk) of a verification method object; raises ValueError when unusable."""
    vm_type = method.get("type")
    types = vm_type if isinstance(vm_type, list) else [vm_type]
    if "publicKeyMultibase" in method and "Multikey" in types:
        return key_from_multikey(method["publicKeyMultibase"]), None
    if "publicKeyMultibase" in method and "Ed25519VerificationKey2020" in types:
        return ed25519_from_multikey(method["publicKeyMultibase"]), None
    if "publicKeyBase58" in method and "Ed25519VerificationKey2018" in types:
        raw = b58decode(str(method["publicKeyBase58"]))
        if len(raw) != 32:
            raise ValueError("publicKeyBase58 is not a 32-byte Ed25519 key")
        return VerifyKey(raw), None
    if "publicKeyJwk" in method and ({"JsonWebKey", "JsonWebKey2020"} & set(types)):
        return _key_from_jwk(method["publicKeyJwk"]), dict(method["publicKeyJwk"])
    raise ValueError(f"unsupported verification method type {vm_type!r} or missing key material")


def _relationships(doc: dict[str, Any], vm_id: str, base: str) -> frozenset[str]:
    granted = set()
    for rel in RELATIONSHIPS:
        entries = doc.get(rel) or []
        for entry in entries if isinstance(entries, list) else [entries]:
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(ref, str) and _absolute(ref, base) == vm_id:
                granted.add(rel)
    return frozenset(granted)


def _absolute(ref: str, base: str) -> str:
    return base + ref if ref.startswith("#") else ref


def _find_method(doc: dict[str, Any], vm_id: str, base: str) -> dict[str, Any] | None:
    candidates: list[Any] = []
    for key in ("verificationMethod", "publicKey", *RELATIONSHIPS):
        entries = doc.get(key) or []
        candidates += entries if isinstance(entries, list) else [entries]
    for entry in candidates:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and _absolute(entry["id"], base) == vm_id:
            return entry
    return None


def method_from_document(doc: dict[str, Any], vm_id: str, base: str, *, own_keys_only: bool = True) -> KeyResult:
    """Resolve ``vm_id`` inside a DID / controller document whose id is ``base``.

    A document grants verification relationships (``assertionMethod``…) only for keys it controls
    itself: when the method names another ``controller``, the grants are ignored (``own_keys_only``).
    Otherwise anyone's DID document could list a key "controlled by" a victim's DID, authorize it for
    ``assertionMethod`` and sign as that victim.
    """
    method = _find_method(doc, vm_id, base)
    if method is None:
        return KeyResult(error=f"the controller document {base} does not list the key {vm_id}")
    try:
        public_key, jwk = key_from_method(method)
    except (ValueError, CryptoError, TypeError) as exc:
        return KeyResult(error=f"the key {vm_id} cannot be used: {exc}")
    except Exception as exc:  # joserfc import errors on malformed JWKs
        return KeyResult(error=f"the key {vm_id} cannot be used ({exc.__class__.__name__})")
    controller = method.get("controller")
    if not isinstance(controller, str):
        return KeyResult(error=f"the key {vm_id} does not name its controller")
    vm_type = method.get("type")
    return KeyResult(key=ResolvedKey(id=vm_id, controller=controller,
                                     type=vm_type if isinstance(vm_type, str) else str(vm_type),
                                     public_key=public_key, jwk=jwk,
                                     relationships=_relationships(doc, vm_id, base)
                                     if controller == base or not own_keys_only else frozenset()))


# --- DID methods ------------------------------------------------------------------------------

def did_key_document(did: str) -> tuple[dict[str, Any] | None, str | None]:
    """The DID document of an Ed25519, P-256 or P-384 ``did:key``, built locally (no network)."""
    fingerprint = did[len("did:key:"):]
    try:
        key_from_multikey(fingerprint)
    except (ValueError, CryptoError) as exc:
        return None, f"{did} is not a usable did:key (Ed25519, P-256 or P-384) ({exc})"
    vm_id = f"{did}#{fingerprint}"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": vm_id, "type": "Multikey", "controller": did,
                                "publicKeyMultibase": fingerprint}],
        **{rel: [vm_id] for rel in ("assertionMethod", "authentication", "capabilityInvocation",
                                    "capabilityDelegation")},
    }, None


def did_jwk_document(did: str) -> tuple[dict[str, Any] | None, str | None]:
    """The DID document of a ``did:jwk`` (the base64url JSON of one public JWK), built locally.

    As the did:jwk method specifies: one method ``#0`` of type JsonWebKey2020; a key with
    ``"use": "enc"`` is only for keyAgreement, any other key for the signing relationships.
    """
    from joserfc.util import urlsafe_b64decode

    from . import safejson

    encoded = did[len("did:jwk:"):]
    try:
        jwk = safejson.loads(urlsafe_b64decode(encoded.encode("ascii")))
    except (ValueError, UnicodeError):
        return None, f"{did[:40]}… is not a did:jwk (its identifier is not base64url-encoded JSON)"
    if not isinstance(jwk, dict):
        return None, "the did:jwk identifier is not a JSON Web Key object"
    try:
        _key_from_jwk(jwk)
    except Exception as exc:  # joserfc raises several error types on a malformed JWK
        return None, f"the did:jwk key cannot be used ({exc})"
    vm_id = f"{did}#0"
    rels = ("keyAgreement",) if jwk.get("use") == "enc" else (
        "assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation")
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
        "id": did,
        "verificationMethod": [{"id": vm_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}],
        **{rel: [vm_id] for rel in rels},
    }, None


def did_web_url(did: str) -> str | None:
    """``did:web:example.com:a:b`` → ``https://example.com/a/b/did.json`` (``/.well-known`` without a path)."""
    parts = did[len("did:web:"):].split(":")
    if not parts or not parts[0]:
        return None
    host = unquote(parts[0])
    if not _DID_WEB_HOST.fullmatch(host):  # no "/", "@", "#", "?", "\\" or spaces: the host must be the host
        return None
    path = [unquote(p) for p in parts[1:]]
    if any(not p or "/" in p or p in (".", "..") for p in path):
        return None
    return f"https://{host}/" + ("/".join(path) + "/did.json" if path else ".well-known/did.json")


def _fetch_json(url: str, ctx: VerifyContext) -> tuple[Any, str | None, bool]:
    """(JSON, error, unreachable): a 404/410 is a definite "no such document", not a network failure.

    A DID or controller document vouches for keys, so it must come from the origin of its own URL: a
    redirect to another origin is refused (definitely, not as a network failure). Otherwise an open
    redirect on the issuer's site (``/out?next=…``) would let anyone serve the issuer's keys.
    """
    fetched = ctx.fetcher.get(url, same_origin=True)
    if fetched.redirect_refused:
        return None, fetched.error, False
    if fetched.ok:
        data, err = fetched.json()
        return data, err, False
    if fetched.status in (404, 410):
        return None, f"{url} does not exist (HTTP {fetched.status})", False
    return None, fetched.error or f"{url} answered HTTP {fetched.status}", True


def resolve_did_document(did: str, ctx: VerifyContext) -> tuple[dict[str, Any] | None, str | None, bool]:
    """(document, error, unreachable) for a ``did:key`` or ``did:web``."""
    if did.startswith("did:key:"):
        doc, err = did_key_document(did)
        return doc, err, False
    if did.startswith("did:jwk:"):
        doc, err = did_jwk_document(did)
        return doc, err, False
    if did.startswith("did:web:"):
        url = did_web_url(did)
        if url is None:
            return None, f"{did} is not a valid did:web identifier", False
        doc, err, unreachable = _fetch_json(url, ctx)
        if err:
            return None, f"could not fetch the DID document of {did} from {url} ({err})", unreachable
        if not isinstance(doc, dict):
            return None, f"the DID document at {url} is not a JSON object", False
        if doc.get("id") != did:
            return None, f"the DID document at {url} is for {doc.get('id')!r}, not {did}", False
        return doc, None, False
    method = did.split(":")[1] if did.count(":") >= 2 else did
    return None, f"the DID method {method!r} is not supported (only did:key, did:jwk and did:web)", False


def resolve_verification_method(vm_id: str, ctx: VerifyContext) -> KeyResult:
    """Resolve a verification method id (a DID URL or an https URL) to its key and relationships.

    An https method is looked up in the controller document served at the URL without its
    fragment; the key is never taken from the fragment itself (anyone could write
    ``https://issuer.example#z6Mk…`` with their own key).
    """
    if not isinstance(vm_id, str) or not vm_id:
        return KeyResult(error="the proof does not name its verification method")
    base, fragment = urldefrag(vm_id)
    if vm_id.startswith("did:key:") and not fragment:  # a bare did:key names its only key
        vm_id = f"{vm_id}#{vm_id[len('did:key:'):]}"
    elif vm_id.startswith("did:jwk:") and not fragment:  # so does a bare did:jwk (#0)
        vm_id = f"{vm_id}#0"
    if vm_id.startswith("did:"):
        doc, err, unreachable = resolve_did_document(base, ctx)
        if doc is None:
            return KeyResult(error=err, unreachable=unreachable)
        return method_from_document(doc, vm_id, base)
    if vm_id.startswith(("https://", "http://")):
        doc, err, unreachable = _fetch_json(base, ctx)
        if err:
            hint = ""
            if fragment.startswith(("z6Mk", "zDn", "z82")):
                hint = (f" The key is only written in the address fragment (#{fragment[:4]}…); without a controller "
                        "document from the issuer confirming it, anyone could sign as that URL.")
            return KeyResult(error=f"could not fetch the controller document {base} ({err}).{hint}",
                             unreachable=unreachable)
        if not isinstance(doc, dict):
            return KeyResult(error=f"the controller document {base} is not a JSON object")
        if doc.get("id") == vm_id:  # the URL dereferenced to the method itself
            controller = doc.get("controller")
            if not isinstance(controller, str):
                return KeyResult(error=f"the key {vm_id} does not name its controller")
            cdoc, cerr, unreachable = _fetch_json(urldefrag(controller)[0], ctx)
            if cerr or not isinstance(cdoc, dict):
                return KeyResult(error=f"could not fetch the controller document {controller} ({cerr})",
                                 unreachable=unreachable)
            result = method_from_document({"verificationMethod": [doc]}, vm_id, base, own_keys_only=False)
            if result.key is None:
                return result
            rels = _relationships(cdoc, vm_id, urldefrag(controller)[0])
            return KeyResult(key=replace(result.key, relationships=rels))
        if doc.get("id") not in (None, base):
            return KeyResult(error=f"the controller document at {base} is for {doc.get('id')!r}")
        return method_from_document(doc, vm_id, base)
    return KeyResult(error=f"the verification method {vm_id!r} is neither a DID URL nor an https URL")
