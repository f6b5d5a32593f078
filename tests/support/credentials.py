"""One builder of the unsigned OB 3.0 credential the JOSE, VC-JWT and honest-answer tests sign."""
from __future__ import annotations

from typing import Any

V2 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def ob3_credential(issuer: str, credential_id: str, **extra: Any) -> dict[str, Any]:
    """A minimal OpenBadgeCredential (VCDM 2.0) issued by ``issuer``; ``extra`` replaces top-level fields."""
    cred: dict[str, Any] = {
        "@context": list(V2), "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example College"},
        "validFrom": "2024-01-01T00:00:00Z", "name": "Teamwork",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                              "achievement": {"id": "https://example.edu/a/1", "type": ["Achievement"],
                                              "name": "Teamwork", "description": "d",
                                              "criteria": {"narrative": "n"}}}}
    cred.update(extra)
    return cred


def signed_ob3(subject_id: str | None, name: str = "Presented Badge", seed: int = 0x33) -> dict[str, Any]:
    """An OB 3.0 credential issued to ``subject_id`` (none: no subject id), signed eddsa-rdfc-2022 by a
    did:key made from ``seed``; it verifies offline."""
    import hashlib

    from nacl.signing import SigningKey

    from verifier.keys import ed25519_multikey
    from verifier.proofs.data_integrity import sign_credential

    key = SigningKey(bytes([seed]) * 32)
    did = "did:key:" + ed25519_multikey(key.verify_key)
    digest = hashlib.sha256(name.encode()).hexdigest()
    cred = ob3_credential(did, f"urn:uuid:{digest[:8]}-{digest[8:12]}-4000-8000-{digest[12:24]}", name=name)
    cred["issuer"]["name"] = "Presentation Academy"
    cred["validFrom"] = "2025-01-01T00:00:00Z"
    if subject_id:
        cred["credentialSubject"]["id"] = subject_id
    else:
        del cred["credentialSubject"]["id"]
    cred["credentialSubject"]["achievement"]["name"] = name
    return sign_credential(cred, key, f"{did}#{did.removeprefix('did:key:')}", created="2025-01-01T00:00:00Z")


def signed_vcjwt(subject_id: str, name: str = "Enveloped Badge", *, vc_claim: bool = False, typ: str = "vc+jwt",
                 seed: int = 0x44) -> str:
    """An OB 3.0 credential issued to ``subject_id`` as a VC-JWT signed (EdDSA) by a did:key made from ``seed``:
    the VCDM 2.0 payload itself (``typ`` vc+jwt), or with ``vc_claim`` the VCDM 1.1 style (``vc`` claim, ``sub``)."""
    import base64
    import hashlib
    import json
    import warnings
    from datetime import UTC, datetime

    from joserfc import jws
    from joserfc.jwk import OKPKey
    from joserfc.jws import JWSRegistry
    from nacl.signing import SigningKey

    from verifier.keys import ed25519_multikey

    signing = SigningKey(bytes([seed]) * 32)
    did = "did:key:" + ed25519_multikey(signing.verify_key)
    b64 = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()  # noqa: E731
    key = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": b64(bytes(signing.verify_key)), "d": b64(bytes(signing))})
    digest = hashlib.sha256(name.encode()).hexdigest()
    cred = ob3_credential(did, f"urn:uuid:{digest[:8]}-{digest[8:12]}-4000-8000-{digest[12:24]}", name=name)
    cred["credentialSubject"]["id"] = subject_id
    cred["credentialSubject"]["achievement"]["name"] = name
    nbf = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
    if vc_claim:
        cred["@context"] = ["https://www.w3.org/2018/credentials/v1", cred["@context"][1]]
        cred["issuanceDate"] = cred.pop("validFrom")
        payload = {"vc": cred, "iss": did, "jti": cred["id"], "sub": subject_id, "nbf": nbf}
    else:
        payload = {**cred, "iss": did, "jti": cred["id"], "sub": subject_id, "nbf": nbf}
    registry = JWSRegistry(algorithms=["EdDSA"], strict_check_header=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jws.serialize_compact({"alg": "EdDSA", "kid": f"{did}#{did[8:]}", "typ": typ},
                                     json.dumps(payload).encode(), key, registry=registry)
