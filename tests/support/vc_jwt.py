"""VC-JWTs signed here: compact JWS of any algorithm and header, base64url parts, an Ed25519 did:key."""
from __future__ import annotations

import base64
import json
import warnings

from joserfc import jws
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry

from verifier.keys import ed25519_multikey


def sign(payload: dict, key, alg: str, **header) -> str:
    registry = JWSRegistry(algorithms=[alg], strict_check_header=False)
    registry.max_header_length = 16 * 1024
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc: "EdDSA is deprecated via RFC 9864"
        return jws.serialize_compact({"alg": alg, **header}, json.dumps(payload).encode(), key, registry=registry)


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def ed25519_did_key() -> tuple[OKPKey, str]:
    from nacl.signing import VerifyKey

    key = OKPKey.generate_key("Ed25519")
    x = key.as_dict(private=False)["x"]
    raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
    return key, "did:key:" + ed25519_multikey(VerifyKey(raw))
