"""The embedded wallet keeps issuer documents between re-checks as their HTTP caching headers allow.

A loopback issuer counts what it is asked: a second re-check within ``max-age`` asks nothing, an
``ETag`` is revalidated by 304, ``no-store`` / ``no-cache`` are fetched (or asked) again, and a status
list revoked at the issuer is seen as soon as its headers say the kept copy is stale.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json

import pytest
from nacl.signing import SigningKey
from support.caching_server import CachingServer
from support.credentials import ob3_credential

from verifier.keys import ed25519_multikey
from verifier.proofs.data_integrity import sign_credential
from wallet.service import Wallet

CTX2 = "https://w3id.org/openbadges/v2"
N_BITS = 131072


def hosted_ob2(caching_server: CachingServer, n: int, headers: dict[str, str], etag: bool = False) -> list[str]:
    base = caching_server.base
    caching_server.put("/issuer", {"@context": CTX2, "type": "Issuer", "id": f"{base}/issuer", "name": "Loopback U",
                           "url": base, "email": "badges@loopback.example"}, headers=headers, etag=etag)
    caching_server.put("/badgeclass", {"@context": CTX2, "type": "BadgeClass", "id": f"{base}/badgeclass", "name": "Cached",
                               "description": "d", "image": f"{base}/image.png", "criteria": {"narrative": "n"},
                               "issuer": f"{base}/issuer"}, headers=headers, etag=etag)
    urls = []
    for i in range(n):
        identity = "sha256$" + hashlib.sha256(f"learner{i}@example.org".encode()).hexdigest()
        urls.append(caching_server.put(f"/assertions/{i}", {
            "@context": CTX2, "type": "Assertion", "id": f"{base}/assertions/{i}",
            "recipient": {"type": "email", "hashed": True, "identity": identity}, "badge": f"{base}/badgeclass",
            "verification": {"type": "hosted"}, "issuedOn": "2024-01-01T00:00:00+00:00"}, headers=headers, etag=etag))
    return urls


def issuer_requests(caching_server: CachingServer) -> int:
    return caching_server.requests("/issuer") + caching_server.requests("/badgeclass")


def wallet_of(tmp_path, caching_server: CachingServer, urls: list[str]) -> Wallet:
    wallet = Wallet(tmp_path / "wallet.json", allow_hosts=[caching_server.host])
    for url in urls:
        assert wallet.import_text(url).verdict == "valid"
    return wallet


def test_second_recheck_within_max_age_fetches_nothing(tmp_path, caching_server):
    urls = hosted_ob2(caching_server, 3, {"Cache-Control": "max-age=300"})
    wallet = wallet_of(tmp_path, caching_server, urls)
    assert {r.verdict for r in wallet.reverify()} == {"valid"}
    before = sum(caching_server.hits.values())
    assert {r.verdict for r in wallet.reverify()} == {"valid"}
    assert sum(caching_server.hits.values()) == before == 5  # 3 assertions, the BadgeClass and the Issuer, once each
    assert (tmp_path / "wallet.json.http-cache").is_dir()


def test_stale_documents_with_etag_are_revalidated(tmp_path, caching_server):
    urls = hosted_ob2(caching_server, 2, {"Cache-Control": "no-cache"}, etag=True)
    wallet = wallet_of(tmp_path, caching_server, urls)
    downloads = sum(caching_server.hits.values())
    assert {r.verdict for r in wallet.reverify()} == {"valid"}
    assert sum(caching_server.hits.values()) == downloads  # nothing downloaded again ...
    assert caching_server.not_modified["/issuer"] >= 1 and caching_server.not_modified["/assertions/0"] >= 1  # ... but asked


@pytest.mark.parametrize("cc", ["no-store", "no-cache"])
def test_no_store_and_no_cache_without_validator_are_fetched_again(tmp_path, caching_server, cc):
    urls = hosted_ob2(caching_server, 2, {"Cache-Control": cc})
    wallet = wallet_of(tmp_path, caching_server, urls)
    before = issuer_requests(caching_server)
    wallet.reverify()
    assert issuer_requests(caching_server) == before + 2  # one batch: the BadgeClass and the Issuer once each


def encode(bits: set[int]) -> str:
    raw = bytearray(N_BITS // 8)
    for i in bits:
        raw[i // 8] |= 0x80 >> (i % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(raw))).rstrip(b"=").decode()


class StatusIssuer:
    """A did:key issuer of an OB 3.0 credential whose revocation bit lives in a list on ``caching_server``."""

    def __init__(self, caching_server: CachingServer) -> None:
        self.caching_server, self.key = caching_server, SigningKey.generate()
        self.did = "did:key:" + ed25519_multikey(self.key.verify_key)
        self.vm = f"{self.did}#{self.did[8:]}"
        self.list_url = caching_server.base + "/status/1"

    def publish(self, revoked: set[int], headers: dict[str, str], etag: bool = False) -> None:
        doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": self.list_url,
               "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": self.did,
               "validFrom": "2024-01-01T00:00:00Z",
               "credentialSubject": {"id": self.list_url + "#list", "type": "BitstringStatusList",
                                     "statusPurpose": "revocation", "encodedList": encode(revoked)}}
        self.caching_server.put("/status/1", sign_credential(doc, self.key, self.vm, created="2024-01-01T00:00:00Z"),
                        headers=headers, etag=etag)

    def credential(self, index: int) -> bytes:
        cred = ob3_credential(self.did, f"urn:uuid:cached-{index}", credentialStatus={
            "id": f"{self.list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(index), "statusListCredential": self.list_url})
        return json.dumps(sign_credential(cred, self.key, self.vm, created="2024-01-01T00:00:00Z")).encode()


def test_revoked_status_list_is_seen_once_the_kept_copy_is_stale(tmp_path, caching_server, cache_clock):
    issuer = StatusIssuer(caching_server)
    issuer.publish(set(), {"Cache-Control": "max-age=60"})
    wallet = Wallet(tmp_path / "wallet.json", allow_hosts=[caching_server.host])
    assert wallet.import_file("c.json", issuer.credential(3)).verdict == "valid"
    issuer.publish({3}, {"Cache-Control": "max-age=60"})  # revoked at the issuer
    [kept] = wallet.reverify()
    assert kept.verdict == "valid" and caching_server.hits["/status/1"] == 1  # the issuer allowed 60 s of reuse
    cache_clock(61)
    [seen] = wallet.reverify()
    assert seen.verdict == "revoked" and caching_server.hits["/status/1"] == 2


def test_no_cache_status_list_is_asked_every_time_and_a_revocation_seen_at_once(tmp_path, caching_server):
    issuer = StatusIssuer(caching_server)
    issuer.publish(set(), {"Cache-Control": "no-cache"}, etag=True)
    wallet = Wallet(tmp_path / "wallet.json", allow_hosts=[caching_server.host])
    assert wallet.import_file("c.json", issuer.credential(5)).verdict == "valid"
    assert [r.verdict for r in wallet.reverify()] == ["valid"] and caching_server.not_modified["/status/1"] == 1
    issuer.publish({5}, {"Cache-Control": "no-cache"}, etag=True)
    assert [r.verdict for r in wallet.reverify()] == ["revoked"] and caching_server.hits["/status/1"] == 2
