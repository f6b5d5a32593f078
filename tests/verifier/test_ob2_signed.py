"""OB 2.0 / 1.0 signed badges (JWS) with generated keys: only a key the issuer owns authenticates."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from support.files import fixture_path
from support.ob2_badges import (
    ISSUER,
    KEY,
    REVOCATIONS,
    TINY_SVG,
    Issuer,
    b64,
    ec_key,
    public_pem,
    rsa_key,
    sign,
    sign_hmac,
    tiny_png,
    unsigned,
)

from verifier import verify
from verifier.bake import bake_png, bake_svg
from verifier.fetch import SafeFetcher

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def checks(report):
    return {c.id: c.status for c in report.checks}


def test_valid_signed_png_and_svg(http):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    token = sign(issuer.signed_payload(), issuer.private)
    for baked in (bake_png(tiny_png(), token), bake_svg(TINY_SVG, token)):
        report = verify(baked, now=NOW, fetcher=SafeFetcher())
        assert (report.verdict, report.format) == ("valid", "ob2-signed"), report.checks
        assert checks(report)["signature"] == "pass" and report.check("signature").authenticates
        assert checks(report)["key-owner"] == "pass"
        assert report.badge.name == "Robotics Level 1"
        assert report.badge.issuer.name == "Example Robotics School"
        assert report.badge.criteria == "Build a robot." and report.badge.tags == ["robots"]
    assert not any(c.request.url.endswith(".json") and "assertions" in c.request.url for c in http.calls)


def test_tampered_payload_is_invalid(http):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    header, _, signature = sign(issuer.signed_payload(), issuer.private).split(".")
    forged = issuer.signed_payload(issuedOn="2020-01-01T00:00:00Z")
    report = verify(".".join([header, b64(json.dumps(forged).encode()), signature]), now=NOW)
    assert report.verdict == "invalid"
    assert checks(report)["signature"] == "fail"
    assert "altered" in report.check("signature").message


def test_wrong_key_is_invalid(http):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    report = verify(sign(issuer.signed_payload(), rsa_key(1)), now=NOW)
    assert report.verdict == "invalid" and checks(report)["signature"] == "fail"


def test_key_not_owned_by_issuer_is_invalid_even_with_a_good_signature(http):
    attacker = rsa_key(2)
    issuer = Issuer(private=attacker)
    issuer.key["owner"] = "https://attacker.example/issuer.json"
    issuer.serve(http, assertion=False)
    report = verify(sign(issuer.signed_payload(), attacker), now=NOW)
    assert report.verdict == "invalid"
    assert checks(report)["key-owner"] == "fail"
    assert "attacker.example" in report.check("key-owner").message
    assert not any(c.authenticates for c in report.checks)


def test_creator_not_listed_by_issuer_is_invalid(http):
    other = rsa_key(3)
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    http.get("https://issuer.example/keys/2.json",
             json={"id": "https://issuer.example/keys/2.json", "owner": ISSUER, "publicKeyPem": public_pem(other)})
    payload = issuer.signed_payload(verification={"type": "signed", "creator": "https://issuer.example/keys/2.json"})
    report = verify(sign(payload, other), now=NOW)
    assert report.verdict == "invalid"
    assert "does not list" in report.check("key-owner").message


def test_issuer_embedded_in_a_signed_badge_is_not_trusted(http):
    """An attacker embeds the victim issuer with the attacker's key: the real profile is fetched instead."""
    attacker = rsa_key(4)
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    http.get("https://attacker.example/key.json",
             json={"id": "https://attacker.example/key.json", "owner": ISSUER, "publicKeyPem": public_pem(attacker)})
    badgeclass = {**issuer.badgeclass, "issuer": {**issuer.profile, "publicKey": "https://attacker.example/key.json"}}
    payload = issuer.signed_payload(badge=badgeclass,
                                    verification={"type": "signed", "creator": "https://attacker.example/key.json"})
    report = verify(sign(payload, attacker), now=NOW)
    assert report.verdict == "invalid" and checks(report)["key-owner"] == "fail"


def test_issuer_profile_claiming_another_site_is_refused(http):
    issuer = Issuer()
    issuer.profile["id"] = "https://famous-university.example/issuer"
    issuer.key["owner"] = "https://famous-university.example/issuer"
    issuer.serve(http, assertion=False)
    report = verify(sign(issuer.signed_payload(), issuer.private), now=NOW)
    assert report.verdict == "invalid" and "another website" in report.check("issuer").message


@pytest.mark.parametrize("make, words", [
    (lambda i: unsigned(i.signed_payload()), "'none'"),
    (lambda i: sign_hmac(i.signed_payload(), public_pem(i.private).encode()), "HMAC"),
    (lambda i: sign_hmac(i.signed_payload(), b"k" * 64, "HS512"), "HMAC"),
])
def test_alg_none_and_hmac_are_refused(http, make, words):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    report = verify(make(issuer), now=NOW)
    assert report.verdict == "invalid"
    assert checks(report)["algorithm"] == "fail" and words in report.check("algorithm").message
    assert checks(report)["signature"] == "skip"


def test_es256_key(http):
    issuer = Issuer(private=ec_key())
    issuer.serve(http, assertion=False)
    assert verify(sign(issuer.signed_payload(), issuer.private, "ES256"), now=NOW).verdict == "valid"


def test_rs256_token_against_ec_key_is_refused(http):
    issuer = Issuer(private=ec_key())
    issuer.serve(http, assertion=False)
    report = verify(sign(issuer.signed_payload(), rsa_key()), now=NOW)
    assert report.verdict == "invalid" and "does not match" in report.check("signature").message


def test_expired_signed_badge(http):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    report = verify(sign(issuer.signed_payload(expires="2024-01-01T00:00:00Z"), issuer.private), now=NOW)
    assert report.verdict == "expired" and checks(report)["expiry"] == "fail"
    earlier = verify(sign(issuer.signed_payload(expires="2024-01-01T00:00:00Z"), issuer.private),
                     now=datetime(2023, 6, 1, tzinfo=UTC))
    assert earlier.verdict == "valid"


def test_revocation_list(http):
    issuer = Issuer()
    issuer.revocations = {"@context": "https://w3id.org/openbadges/v2", "id": REVOCATIONS, "type": "RevocationList",
                          "revokedAssertions": [{"id": issuer.assertion["id"], "revocationReason": "Issued in error"},
                                                "urn:uuid:00000000-0000-0000-0000-000000000000"]}
    issuer.serve(http, assertion=False)
    report = verify(sign(issuer.signed_payload(), issuer.private), now=NOW)
    assert report.verdict == "revoked" and "Issued in error" in report.check("revocation").message
    other = verify(sign(issuer.signed_payload(id="https://issuer.example/assertions/2.json"), issuer.private), now=NOW)
    assert other.verdict == "valid" and checks(other)["revocation"] == "pass"


def test_unreachable_revocation_list_or_key_is_unverifiable(http):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    issuer.profile["revocationList"] = REVOCATIONS
    http.replace("GET", ISSUER, json=issuer.profile)
    http.get(REVOCATIONS, status=503)
    report = verify(sign(issuer.signed_payload(), issuer.private), now=NOW)
    assert report.verdict == "unverifiable" and "503" in report.check("revocation").message
    http.replace("GET", KEY, status=404)
    report = verify(sign(issuer.signed_payload(), issuer.private), now=NOW)
    assert report.verdict == "unverifiable" and report.check("key").outcome == "unverifiable"


def test_signed_badge_offline_is_unverifiable(http):
    issuer = Issuer()
    report = verify(sign(issuer.signed_payload(), issuer.private), now=NOW, offline=True)
    assert report.verdict == "unverifiable" and "offline" in report.check("badgeclass").message
    assert len(http.calls) == 0


@pytest.mark.parametrize("recipient, status, verdict", [
    ("alice@example.org", "pass", "valid"), ("Alice@Example.org", "pass", "valid"),
    ("bob@example.org", "fail", "invalid")])
def test_recipient_hashed_with_salt(http, recipient, status, verdict):
    issuer = Issuer()
    issuer.serve(http, assertion=False)
    report = verify(sign(issuer.signed_payload(), issuer.private), now=NOW, recipient=recipient)
    assert (checks(report)["recipient"], report.verdict) == (status, verdict)


def test_ob1_signed_with_key_on_the_issuer_site(http):
    """OB 1.0 signed: verify.url is a bare PEM on the issuer's origin (mozilla bakery's test key pair)."""
    from cryptography.hazmat.primitives import serialization
    private = serialization.load_pem_private_key(
        fixture_path("mozilla-openbadges-bakery", "rsa-private.pem").read_bytes(), password=None)
    http.get("https://old.example/public.pem",
             body=fixture_path("mozilla-openbadges-bakery", "rsa-public.pem").read_bytes())
    http.get("https://old.example/badge.json", json={"name": "Old Badge", "description": "d", "image": "/i.png",
                                                     "criteria": "/c", "issuer": "https://old.example/org.json"})
    http.get("https://old.example/org.json", json={"name": "Old Org", "url": "https://old.example"})
    payload = {"uid": "1", "recipient": {"type": "email", "hashed": False, "identity": "a@b.example"},
               "badge": "https://old.example/badge.json", "issuedOn": 1373681532,
               "verify": {"type": "signed", "url": "https://old.example/public.pem"}}
    report = verify(sign(payload, private), now=NOW)
    assert (report.verdict, report.format) == ("valid", "ob1-signed"), report.checks
    assert report.badge.issued_on == datetime.fromtimestamp(1373681532, tz=UTC)
    payload["verify"]["url"] = "https://elsewhere.example/public.pem"
    assert verify(sign(payload, private), now=NOW).verdict == "invalid"


def test_unreadable_jws_is_a_clear_error():
    report = verify("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln")
    assert report.verdict == "invalid" and report.format == "none"
    assert "signed badge" in report.checks[0].message
