"""Benchmark (not a test): credentials verified per second, OB 3.0 eddsa-rdfc-2022 and OB 2.0 signed.

    python bench/bench_verify.py --n 50            # both kinds
    python bench/bench_verify.py --n 50 --profile  # also print where the eddsa time goes (cProfile)

Generates N OB 3.0 credentials signed with eddsa-rdfc-2022 by a did:key issuer (resolved locally) and
N OB 2.0 signed badges (RS256 JWS) whose issuer profile, BadgeClass and key are served by an in-process
``responses`` mock, verifies each through ``verifier.verify_with`` (the full pipeline, as the app does)
after a warm-up, and prints the rate. One fetcher is shared by a run, as when a wallet re-checks many
badges. Target: under 0.01 s per eddsa-rdfc-2022 credential after warm-up.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import responses  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from joserfc import jws  # noqa: E402
from joserfc.jwk import RSAKey  # noqa: E402
from nacl.signing import SigningKey  # noqa: E402

from verifier import jsonld  # noqa: E402
from verifier.api import verify_with  # noqa: E402
from verifier.context import VerifyContext  # noqa: E402
from verifier.fetch import SafeFetcher  # noqa: E402
from verifier.keys import ed25519_multikey  # noqa: E402
from verifier.proofs.data_integrity import sign_credential  # noqa: E402

NOW = datetime(2025, 6, 1, tzinfo=UTC)
WARMUP = 3
OB3_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
ISSUER_URL = "https://issuer.example/issuer.json"
BADGE_URL = "https://issuer.example/badges/robotics.json"
KEY_URL = "https://issuer.example/keys/1.json"


def public_resolver(host: str) -> list[str]:
    return ["93.184.216.34"]  # every benchmark host is "public"; nothing leaves the process


def ob3_credentials(n: int) -> list[dict[str, Any]]:
    key = SigningKey.generate()
    did = "did:key:" + ed25519_multikey(key.verify_key)
    out = []
    for i in range(n):
        credential = {
            "@context": OB3_CONTEXT, "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "Bench College"},
            "validFrom": "2024-01-01T00:00:00Z", "name": f"Badge {i}",
            "credentialSubject": {
                "id": f"did:example:learner{i}", "type": ["AchievementSubject"],
                "achievement": {"id": f"https://bench.example/achievements/{i}", "type": ["Achievement"],
                                "name": f"Achievement {i}", "description": "Did the thing.",
                                "criteria": {"narrative": "Do the thing."}}},
        }
        # a distinct proof creation time each, as real credentials have (no two proof configs alike)
        created = f"2024-01-{1 + i // 86400 % 28:02d}T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z"
        out.append(sign_credential(credential, key, f"{did}#{did[8:]}", created=created))
    return out


def ob2_tokens(n: int, http: responses.RequestsMock) -> list[str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    http.get(ISSUER_URL, json={"@context": OB2_CONTEXT, "type": "Issuer", "id": ISSUER_URL, "name": "Bench School",
                               "url": "https://issuer.example", "email": "b@issuer.example", "publicKey": KEY_URL})
    http.get(BADGE_URL, json={"@context": OB2_CONTEXT, "type": "BadgeClass", "id": BADGE_URL, "name": "Robotics",
                              "description": "Built a robot.", "image": "https://issuer.example/badge.png",
                              "criteria": {"narrative": "Build a robot."}, "issuer": ISSUER_URL})
    http.get(KEY_URL, json={"@context": OB2_CONTEXT, "type": "CryptographicKey", "id": KEY_URL,
                            "owner": ISSUER_URL, "publicKeyPem": pem})
    key = RSAKey.import_key(private)
    tokens = []
    for i in range(n):
        assertion = {"@context": OB2_CONTEXT, "type": "Assertion", "id": f"urn:uuid:00000000-0000-4000-9000-{i:012d}",
                     "recipient": {"type": "email", "hashed": False, "identity": f"learner{i}@example.org"},
                     "badge": BADGE_URL, "issuedOn": "2024-01-01T00:00:00Z",
                     "verification": {"type": "SignedBadge", "creator": KEY_URL}}
        tokens.append(jws.serialize_compact({"alg": "RS256"}, json.dumps(assertion).encode(), key,
                                            algorithms=["RS256"]))
    return tokens


def run(label: str, items: list[Any], ctx: VerifyContext, profile: bool) -> None:
    verdicts: dict[str, int] = {}
    for item in items[:WARMUP]:
        verify_with(item, ctx)
    timed = items[WARMUP:]
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    for item in timed:
        report = verify_with(item, ctx)
        verdicts[report.verdict] = verdicts.get(report.verdict, 0) + 1
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - start
    per = elapsed / max(len(timed), 1)
    print(f"{label:<24} {len(timed):>5} verified in {elapsed:7.3f} s  {per * 1000:8.2f} ms each  "
          f"{1 / per if per else float('inf'):8.1f} per second   verdicts {verdicts}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50, help="credentials of each kind (default 50)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the timed eddsa run")
    parser.add_argument("--only", choices=("ob3", "ob2"), help="run one kind only")
    args = parser.parse_args(argv)
    n = args.n + WARMUP

    with responses.RequestsMock(assert_all_requests_are_fired=False) as http:
        ctx = VerifyContext(now=NOW, fetcher=SafeFetcher(resolver=public_resolver))
        kinds: list[tuple[str, Callable[[], list[Any]]]] = []
        if args.only in (None, "ob3"):
            kinds.append(("ob3 eddsa-rdfc-2022", lambda: ob3_credentials(n)))
        if args.only in (None, "ob2"):
            kinds.append(("ob2 signed (RS256)", lambda: ob2_tokens(n, http)))
        for label, make in kinds:
            items = make()
            jsonld._CANON_MEMO.clear()  # signing here canonicalized them: verification must not reuse that
            run(label, items, ctx, args.profile and label.startswith("ob3"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
