"""VC-JWT: a Verifiable Credential secured as a compact JWS (JOSE).

Steps, each its own check:

1. ``algorithm`` — the shared JOSE policy (:mod:`verifier.proofs.jose_policy`): only public-key
   algorithms (EdDSA/Ed25519, ES256/ES384, RS256/RS384/RS512), ``none`` and HMAC refused. Header
   parameters not understood are ignored (RFC 7515 §4: ``cty``, ``x5t``…); a ``crit`` extension
   refuses the token (none is understood for VC-JWT), as does an unencoded payload (``b64``).
   ``jku``/``x5u``/``x5c`` are never fetched or trusted.
2. ``key`` — the issuer's key: ``kid`` as a DID URL (resolved by :mod:`verifier.keys`: did:key
   Ed25519/P-256/P-384, did:jwk, did:web), the issuer's DID document (``assertionMethod``) for a DID
   issuer, or ``/.well-known/jwks.json`` at an https issuer's origin.
3. ``key-binding`` — the key must belong to the issuer. A key carried in the header ``jwk`` is trusted
   only when it is one of the issuer's keys (same RFC 7638 thumbprint). Otherwise the signature may be
   mathematically fine, yet anyone can make a key, sign any claims with it and paste the key into the
   header, so the credential is not authenticated: ``key-binding`` fails and the verdict is ``invalid``
   (``unverifiable`` when the issuer's keys could not be fetched at all).
4. ``proof`` — the signature (joserfc). It ``authenticates`` only when the signature verified *and*
   the key is bound to the issuer.
5. ``jwt-claims`` — the registered claims must agree with the credential (VCDM 1.1 §6.3.1):
   ``iss`` = issuer id, ``sub`` = credentialSubject id, ``jti`` = credential id, ``nbf`` = issuance
   date / ``validFrom``, ``exp`` = ``expirationDate`` / ``validUntil``. ``iat`` is *not* compared:
   VCDM ties no credential property to it and real issuers sign years after ``validFrom``.
   Fields the credential leaves out are filled from the claims (the VCDM 1.1 JWT decoding rule), so the
   time checks downstream also see an expiry given only as ``exp``.

The credential is the ``vc`` claim (VCDM 1.1 JWT encoding) or the whole payload (VCDM 2.0 / OB 3.0
style) minus the registered JWT claims.
"""
from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey, import_key
from nacl.signing import VerifyKey

from .. import keys
from ..checks import CheckId
from ..context import VerifyContext
from ..detect import decode_jws_unverified, is_vc
from ..jsonutil import as_list, dicts, issuer_id
from ..model import Check, failed, passed, unreachable
from ..validity import parse_datetime
from . import jose_policy
from .jose_policy import ALGORITHMS, JoseKey  # noqa: F401  (ALGORITHMS: the one allow-list, re-exported)

PRIVATE_JWK_FIELDS = ("d", "p", "q", "dp", "dq", "qi")  # RSA / EC / OKP private key members
SUBJECT = "The credential token"
MAX_TOKEN_PAYLOAD = 2 * 1024 * 1024  # credentials may embed images as data: URIs
JWT_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")
MAX_DID_KEYS = 32  # assertionMethod keys of one DID document tried without a kid
CLOCK_TOLERANCE = 1.0  # seconds: JWT times are whole seconds, credential dates may carry fractions


@dataclass
class VcJwtResult:
    """The checks of the JWT layer, and the credential it carries (None when unreadable)."""

    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Candidate:
    """A key that may have signed the token, and whether it is bound to the issuer."""

    id: str
    key: JoseKey
    bound: bool
    why_not_bound: str = ""


@dataclass
class _IssuerKeys:
    """What the issuer publishes: candidate keys, from where, or why none could be had."""

    candidates: list[_Candidate] = field(default_factory=list)
    source: str = ""
    error: str | None = None
    unreachable: bool = False


def verify_vcjwt(token: str, ctx: VerifyContext) -> VcJwtResult:
    """Verify a VC-JWT; never raises for bad input (every problem is a check)."""
    token = token.strip()
    header, payload, err = decode_jws_unverified(token)
    if err or header is None:
        return VcJwtResult([failed(CheckId.SIGNATURE, f"The credential token cannot be read: {err}.")])
    if not isinstance(payload, dict):
        return VcJwtResult([failed(CheckId.SIGNATURE, "The credential token's payload is not a JSON object.")])

    refused = jose_policy.header_problem(header, SUBJECT)
    if refused:
        return VcJwtResult([failed(CheckId.SIGNATURE, refused)])

    credential, cred_error = _extract_credential(payload)
    checks: list[Check] = []
    alg_check, alg = _algorithm_check(header.get("alg"))
    checks.append(alg_check)
    if credential is None:
        checks.append(failed(CheckId.SIGNATURE, cred_error or "The token does not carry a credential."))
        return VcJwtResult(checks)

    claims_check = _claims_check(payload, credential)
    if alg is None:
        checks.append(failed(CheckId.SIGNATURE, "The signature was not checked because its algorithm is refused."))
        checks.append(claims_check)
        return VcJwtResult(checks, credential)

    checks.extend(_key_and_signature_checks(token, header, alg, issuer_id(credential), ctx))
    checks.append(claims_check)
    return VcJwtResult(checks, credential)


# --- 1. algorithm --------------------------------------------------------------------------------

def _algorithm_check(alg: Any) -> tuple[Check, str | None]:
    problem = jose_policy.algorithm_problem(alg, SUBJECT)
    if problem:
        return failed(CheckId.ALGORITHM, problem), None
    return passed(CheckId.ALGORITHM, f"The credential token is signed with {alg}, a public-key algorithm."), alg


# --- credential and claims -----------------------------------------------------------------------

def _extract_credential(payload: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    vc = payload.get("vc")
    if isinstance(vc, dict):
        return copy.deepcopy(vc), None
    if "vc" in payload:
        return None, "The token's vc claim is not a credential object."
    if is_vc(payload):
        return {k: copy.deepcopy(v) for k, v in payload.items() if k not in JWT_CLAIMS}, None
    return None, "The token does not carry a Verifiable Credential (no vc claim, and the payload is not one)."


def _claims_check(payload: dict[str, Any], credential: dict[str, Any]) -> Check:
    """Compare registered claims with the credential; fill what the credential leaves out."""
    problems: list[str] = []
    compared: list[str] = []
    v2 = "https://www.w3.org/ns/credentials/v2" in as_list(credential.get("@context"))

    iss = payload.get("iss")
    if iss is not None:
        issuer = issuer_id(credential)
        if issuer is None:
            credential["issuer"] = iss
            compared.append("iss")
        elif iss != issuer:
            problems.append(f"iss ({iss}) is not the credential's issuer ({issuer})")
        else:
            compared.append("iss")

    sub = payload.get("sub")
    if sub is not None:
        subjects = dicts(credential.get("credentialSubject"))
        ids = [s.get("id") for s in subjects if s.get("id") is not None]
        if not ids and len(subjects) == 1:
            subjects[0]["id"] = sub
            compared.append("sub")
        elif sub not in ids:
            problems.append(f"sub ({sub}) is not the credential subject ({', '.join(map(str, ids)) or 'none'})")
        else:
            compared.append("sub")

    jti = payload.get("jti")
    if jti is not None:
        if credential.get("id") is None:
            credential["id"] = jti
            compared.append("jti")
        elif jti != credential.get("id"):
            problems.append(f"jti ({jti}) is not the credential id ({credential.get('id')})")
        else:
            compared.append("jti")

    start_fields = ("validFrom", "issuanceDate")
    problems += _compare_time(payload, "nbf", credential, start_fields,
                              "validFrom" if v2 else "issuanceDate", compared)
    problems += _compare_time(payload, "exp", credential, ("validUntil", "expirationDate"),
                              "validUntil" if v2 else "expirationDate", compared)

    if problems:
        return failed(CheckId.JWT_CLAIMS, "The token's claims disagree with the credential it carries: "
                                    + "; ".join(problems) + ".")
    if not compared:
        return passed(CheckId.JWT_CLAIMS, "The token carries no registered claims to compare with the credential.")
    return passed(CheckId.JWT_CLAIMS, f"The token's claims ({', '.join(compared)}) agree with the credential.")


def _compare_time(payload: dict[str, Any], claim: str, credential: dict[str, Any],
                  fields: tuple[str, ...], fill_field: str, compared: list[str]) -> list[str]:
    value = payload.get(claim)
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return [f"{claim} is not a number of seconds"]
    try:
        claim_time = datetime.fromtimestamp(float(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return [f"{claim} is out of range"]
    present = {f: credential[f] for f in fields if credential.get(f) is not None}
    if not present:
        credential[fill_field] = claim_time.isoformat().replace("+00:00", "Z")
        compared.append(claim)
        return []
    for raw in present.values():
        when = parse_datetime(raw)
        if when is not None and abs((when - claim_time).total_seconds()) <= CLOCK_TOLERANCE:
            compared.append(claim)
            return []
    shown = ", ".join(f"{k} {v}" for k, v in present.items())
    return [f"{claim} ({claim_time:%Y-%m-%dT%H:%M:%SZ}) does not match the credential's {shown}"]


# --- 2-4. key, key binding, signature ------------------------------------------------------------

def _key_and_signature_checks(token: str, header: dict[str, Any], alg: str, issuer: str | None,
                              ctx: VerifyContext) -> list[Check]:
    header_key, header_key_error = _header_jwk(header.get("jwk"))
    if header_key_error:
        return [failed(CheckId.KEY, header_key_error),
                failed(CheckId.SIGNATURE, "The signature was not checked because the key in the token header is unusable.")]
    kid = header.get("kid") if isinstance(header.get("kid"), str) else None
    found = _issuer_keys(issuer, kid, ctx)

    if header_key is not None:
        return _checks_for_header_key(token, alg, header_key, found, issuer)

    usable = [c for c in found.candidates if _fits(alg, c.key) is None]
    if not usable:
        if found.unreachable:
            return [unreachable(CheckId.KEY, f"We could not fetch the issuer's keys: {found.error}."),
                    unreachable(CheckId.SIGNATURE, "The signature could not be checked without the issuer's key.")]
        reason = found.error or (f"{found.source} holds no key for {alg}" + (f" with kid {kid}" if kid else ""))
        return [failed(CheckId.KEY, f"No key of the issuer could be found to check the signature: {reason}."),
                failed(CheckId.SIGNATURE, "The signature could not be checked: the signing key is unknown.")]

    for candidate in usable:
        ok, _why = _verify_signature(token, alg, candidate.key)
        if ok:
            return _signed_by(candidate, found)
    what = usable[0].id if len(usable) == 1 else f"any of the {len(usable)} keys from {found.source}"
    return [passed(CheckId.KEY, f"The issuer's key was found ({found.source})."),
            _binding_check(usable[0], found) if len(usable) == 1 else
            passed(CheckId.KEY_OWNER, f"The keys come from {found.source}, which belongs to the issuer."),
            failed(CheckId.SIGNATURE, f"The signature does not match {what}: the credential was altered or signed "
                            "by someone else.")]


def _signed_by(candidate: _Candidate, found: _IssuerKeys) -> list[Check]:
    binding = _binding_check(candidate, found)
    proof_msg = f"The signature was verified with the key {candidate.id}."
    return [passed(CheckId.KEY, f"The signing key {candidate.id} was found ({found.source})."),
            binding,
            passed(CheckId.SIGNATURE, proof_msg, authenticates=candidate.bound) if candidate.bound
            else passed(CheckId.SIGNATURE, proof_msg + " It does not prove who issued the credential (see the key ownership check).")]


def _binding_check(candidate: _Candidate, found: _IssuerKeys) -> Check:
    if candidate.bound:
        return passed(CheckId.KEY_OWNER, f"The key belongs to the issuer ({found.source}).")
    return failed(CheckId.KEY_OWNER, candidate.why_not_bound or "The key is not bound to the credential's issuer.")


def _checks_for_header_key(token: str, alg: str, header_key: JoseKey, found: _IssuerKeys,
                           issuer: str | None) -> list[Check]:
    misfit = _fits(alg, header_key)
    if misfit:
        return [failed(CheckId.KEY, f"The key in the token header cannot be used: {misfit}."),
                failed(CheckId.SIGNATURE, "The signature was not checked because the header key does not fit the algorithm.")]
    thumb = header_key.thumbprint()
    match = next((c for c in found.candidates if c.key.key_type == header_key.key_type
                  and c.key.thumbprint() == thumb), None)
    if match is not None:
        ok, why = _verify_signature(token, alg, match.key)
        if ok:
            return _signed_by(match, found)
        return [passed(CheckId.KEY, f"The key in the token header is the issuer's key {match.id}."),
                _binding_check(match, found),
                failed(CheckId.SIGNATURE, f"The signature does not match the issuer's key ({why}): the credential was "
                                "altered or signed by someone else.")]

    ok, why = _verify_signature(token, alg, header_key)
    own = ("The token carries its own key (in its jwk header), which proves nothing about who issued it: "
           "anyone can create a key, sign any claims with it and put the key in the header. ")
    math = ("The signature matches that key" if ok
            else f"The signature does not even match that key ({why})")
    if found.unreachable:
        binding = unreachable(CheckId.KEY_OWNER, f"{own}{math}, and the issuer's published keys could not be "
                                                  f"fetched to compare it with ({found.error}).")
    else:
        where = found.error or f"it is not among the keys at {found.source}"
        binding = failed(CheckId.KEY_OWNER, f"{own}{math}, but it is not a key the issuer "
                                            f"{issuer or '(unknown)'} publishes ({where}).")
    proof = (passed(CheckId.SIGNATURE, "The signature is mathematically valid for the key in the token header, which "
                             "does not prove who issued the credential (see the key ownership check).")
             if ok else failed(CheckId.SIGNATURE, f"The signature does not match the key in the token header ({why})."))
    return [passed(CheckId.KEY, "The token carries its own key in the header (jwk)."), binding, proof]


def _header_jwk(value: Any) -> tuple[JoseKey | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        return None, "The token header's jwk is not a JSON Web Key object."
    if any(k in value for k in (*PRIVATE_JWK_FIELDS, "k")):
        return None, "The token header's jwk carries private or secret key material; it is refused."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            key = import_key(value)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        return None, f"The token header's jwk is not a readable key ({exc.__class__.__name__})."
    if not isinstance(key, (OKPKey, ECKey, RSAKey)):
        return None, "The token header's jwk is not a public key (OKP, EC or RSA)."
    return key, None


def _fits(alg: str, key: JoseKey) -> str | None:
    """Why ``alg`` cannot be used with ``key`` (key type, curve, RSA size), or None."""
    return jose_policy.fits(alg, key)


def _verify_signature(token: str, alg: str, key: JoseKey) -> tuple[bool, str]:
    return jose_policy.verify_compact(token, alg, key, max_payload=MAX_TOKEN_PAYLOAD)


# --- where the issuer's keys come from -----------------------------------------------------------

def _issuer_keys(issuer: str | None, kid: str | None, ctx: VerifyContext) -> _IssuerKeys:
    if not issuer:
        return _IssuerKeys(error="the credential names no issuer")
    if issuer.startswith("did:"):
        return _did_issuer_keys(issuer, kid, ctx)
    if kid and kid.startswith("did:"):
        return _did_kid_keys(issuer, kid, ctx)
    parts = urlsplit(issuer)
    if parts.scheme == "https" and parts.hostname:
        return _jwks_keys(issuer, kid, ctx)
    return _IssuerKeys(error=f"the issuer {issuer} is neither a DID nor an https URL, so it publishes no keys "
                             "we can look up")


def _did_kid_keys(issuer: str, kid: str, ctx: VerifyContext) -> _IssuerKeys:
    """A DID URL ``kid`` for a non-DID issuer: the key can be resolved but is never the issuer's."""
    found = _did_issuer_keys(kid.split("#")[0], kid, ctx)
    for i, c in enumerate(found.candidates):
        found.candidates[i] = _Candidate(c.id, c.key, False,
                                         f"The signing key {c.id} belongs to {kid.split('#')[0]}, "
                                         f"not to the issuer {issuer}.")
    return found


def _did_issuer_keys(issuer: str, kid: str | None, ctx: VerifyContext) -> _IssuerKeys:
    if kid:
        if kid.startswith("did:"):
            vm_id = kid
        else:  # a relative kid ("#key-1" or "key-1") names a method of the issuer's own DID document
            vm_id = issuer + (kid if kid.startswith("#") else "#" + kid)
        result = keys.resolve_verification_method(vm_id, ctx)
        if result.key is None:
            return _IssuerKeys(error=result.error or f"{vm_id} could not be resolved",
                               unreachable=bool(result.unreachable), source=vm_id)
        candidate = _candidate_from_resolved(result.key, issuer)
        if candidate is None:
            return _IssuerKeys(error=f"{vm_id} is not a key we can use for JOSE", source=vm_id)
        return _IssuerKeys([candidate], source=f"the DID document of {issuer}")

    doc, error, unreachable = keys.resolve_did_document(issuer, ctx)
    if doc is None:
        return _IssuerKeys(error=error or f"{issuer} could not be resolved", unreachable=bool(unreachable),
                           source=issuer)
    candidates: list[_Candidate] = []
    # Keys are looked up in the document already fetched, each id once and at most MAX_DID_KEYS of
    # them: re-resolving per entry re-read the whole document each time (quadratic in its size).
    listed = {_absolute_vm(m.get("id"), issuer) for field in ("verificationMethod", "publicKey", "assertionMethod")
              for m in dicts(doc.get(field))} - {None}
    wanted = [vm_id for vm_id in dict.fromkeys(
        _absolute_vm(ref.get("id") if isinstance(ref, dict) else ref, issuer)
        for ref in as_list(doc.get("assertionMethod"))) if vm_id is not None and vm_id in listed][:MAX_DID_KEYS]
    for vm_id in wanted:
        result = keys.method_from_document(doc, vm_id, issuer)
        if result.key is not None:
            candidate = _candidate_from_resolved(result.key, issuer)
            if candidate is not None:
                candidates.append(candidate)
    return _IssuerKeys(candidates, source=f"the DID document of {issuer}",
                       error=None if candidates else f"the DID document of {issuer} lists no usable "
                                                     "assertionMethod key")


def _absolute_vm(ref: Any, did: str) -> str | None:
    if not isinstance(ref, str):
        return None
    return did + ref if ref.startswith("#") else ref


def _candidate_from_resolved(resolved: Any, issuer: str) -> _Candidate | None:
    key = _jose_key(resolved)
    if key is None:
        return None
    controller = getattr(resolved, "controller", None)
    relationships: frozenset[str] = getattr(resolved, "relationships", frozenset()) or frozenset()
    if controller != issuer:
        return _Candidate(resolved.id, key, False,
                          f"The signing key {resolved.id} is controlled by {controller}, not by the issuer {issuer}.")
    if "assertionMethod" not in relationships:
        return _Candidate(resolved.id, key, False,
                          f"The issuer has not authorized the key {resolved.id} for issuing credentials "
                          "(it is not an assertionMethod in the issuer's DID document).")
    return _Candidate(resolved.id, key, True)


def _jose_key(resolved: Any) -> JoseKey | None:
    """A joserfc key from a ``keys.ResolvedKey`` (its ``jwk`` dict, or its ``public_key``)."""
    jwk = getattr(resolved, "jwk", None)
    public_key = getattr(resolved, "public_key", None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if isinstance(jwk, dict):
                key = import_key({k: v for k, v in jwk.items() if k not in PRIVATE_JWK_FIELDS})
            elif isinstance(public_key, VerifyKey):
                key = OKPKey.import_key(_raw_ed25519(bytes(public_key)))
            elif isinstance(public_key, (bytes, bytearray)) and len(public_key) == 32:
                key = OKPKey.import_key(_raw_ed25519(bytes(public_key)))
            elif isinstance(public_key, ec.EllipticCurvePublicKey):  # did:key zDn… / z82…, P-256 / P-384
                key = ECKey.import_key(public_key)
            elif isinstance(public_key, rsa.RSAPublicKey):
                key = RSAKey.import_key(public_key)
            else:
                return None
    except (JoseError, ValueError, TypeError, KeyError):
        return None
    return key if isinstance(key, (OKPKey, ECKey, RSAKey)) else None


def _raw_ed25519(raw: bytes) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(raw)


def jwks_url(issuer: str) -> str:
    """``/.well-known/jwks.json`` at the origin of an https issuer id."""
    parts = urlsplit(issuer)
    return f"https://{parts.netloc}/.well-known/jwks.json"


def _jwks_keys(issuer: str, kid: str | None, ctx: VerifyContext) -> _IssuerKeys:
    url = jwks_url(issuer)
    # The key set vouches for the issuer's keys: a redirect off the issuer's origin is refused.
    fetched = ctx.fetcher.get(url, accept="application/jwk-set+json, application/json;q=0.9", same_origin=True)
    if not fetched.ok:
        # No answer at all (network, offline) cannot be told apart from "no keys": unverifiable.
        # An HTTP answer (404…) means the issuer publishes no key set there.
        unreachable = fetched.status is None and not fetched.redirect_refused
        state = "could not be fetched" if unreachable else "was refused" if fetched.redirect_refused else "is not published"
        return _IssuerKeys(error=f"{url} {state} "
                                 f"({fetched.error or f'HTTP {fetched.status}'})",
                           unreachable=unreachable, source=url)
    data, error = fetched.json()
    entries = data.get("keys") if isinstance(data, dict) else None
    if error or not isinstance(entries, list):
        return _IssuerKeys(error=f"{url} is not a JSON Web Key Set", source=url)
    candidates: list[_Candidate] = []
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or (kid and entry.get("kid") != kid):
            continue
        if entry.get("use") not in (None, "sig"):
            continue
        key, problem = _header_jwk({k: v for k, v in entry.items() if k not in PRIVATE_JWK_FIELDS})
        if key is not None and problem is None:
            candidates.append(_Candidate(entry.get("kid") or f"{url} key {n + 1}", key, True))
    return _IssuerKeys(candidates, source=url,
                       error=None if candidates else f"{url} holds no usable key" + (f" with kid {kid}" if kid else ""))
