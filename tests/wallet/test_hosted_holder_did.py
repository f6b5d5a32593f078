"""Hosted mode: each learner presents as did:web:HOST:u:SLUG (an opaque slug, never the owner id), the
site serves its DID document from a small endpoint, and the verifier checks a presentation with the
document fetched from that endpoint over TLS on 127.0.0.1."""
from __future__ import annotations

import copy
import datetime as dt
import ipaddress
import json
import ssl
import urllib.request
from urllib.error import HTTPError

import pytest
import requests.adapters
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from support.credentials import signed_ob3
from support.postgres import fresh_owner

from verifier import verify
from verifier.fetch import SafeFetcher
from wallet import Wallet
from wallet.cli import main
from wallet.hosted_did import did_app, did_document, make_did_server, serve_in_thread
from wallet.sql_store import holder_public_key
from wallet.store import WalletError

NOW = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)
SECRET = "k" * 40  # the operator's key secret (settings)


def self_signed(tmp_path) -> tuple[str, str]:
    """A certificate for 127.0.0.1 (its own CA) and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
            .not_valid_after(dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, False, False, False), True)
            .add_extension(ski, False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture
def site(pg_url, tmp_path, monkeypatch, no_network):
    """The DID endpoint on https://127.0.0.1:PORT (a port of its own, so the public URL names it)."""
    cert, key = self_signed(tmp_path)
    server = make_did_server(pg_url, "https://127.0.0.1", "127.0.0.1", 0)
    public = f"https://127.0.0.1:{server.server_address[1]}"  # the port is known once bound: the app again
    server.set_app(did_app(public, lambda slug: holder_public_key(pg_url, slug)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    serve_in_thread(server)
    # the verifier trusts this test's own certificate: requests' default CA bundle (the fetcher ignores
    # the environment, REQUESTS_CA_BUNDLE included)
    monkeypatch.setattr(requests.adapters, "DEFAULT_CA_BUNDLE_PATH", cert)
    no_network.add_passthru(public)
    yield public, cert
    server.shutdown()
    server.server_close()


def fetch(url: str, cert: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, context=ssl.create_default_context(cafile=cert), timeout=10) as resp:
            return resp.status, resp.read()
    except HTTPError as exc:
        return exc.code, b""


def test_the_holder_did_is_a_did_web_of_the_site_with_an_opaque_slug(pg_url, site):
    public, cert = site
    owner = fresh_owner("alice")
    key = Wallet(pg_url, key_secret=SECRET, owner=owner, public_url=public).holder_key()
    port = public.rsplit(":", 1)[1]
    assert key.did.startswith(f"did:web:127.0.0.1%3A{port}:u:")
    slug = key.did.rsplit(":", 1)[1]
    assert len(slug) == 20 and int(slug, 16) >= 0
    assert owner.split()[-1] not in key.did and "idp" not in key.did  # nothing of the owner id
    assert key.verification_method == key.did + "#key-1"
    assert Wallet(pg_url, key_secret=SECRET, owner=owner, public_url=public).holder_key().did == key.did  # stable
    other = Wallet(pg_url, key_secret=SECRET, owner=fresh_owner("bob"), public_url=public).holder_key()
    assert other.did != key.did
    status, body = fetch(f"{public}/u/{slug}/did.json", cert)
    assert status == 200 and json.loads(body) == did_document(key.did, key.public_multikey)
    assert owner.encode() not in body
    assert fetch(f"{public}/u/{'0' * 20}/did.json", cert)[0] == 404  # no such learner
    assert fetch(f"{public}/u/", cert)[0] == 404 and fetch(f"{public}/u/{slug}", cert)[0] == 404


def test_the_verifier_checks_a_hosted_presentation_with_the_served_document(pg_url, site):
    public, _ = site
    port = public.rsplit(":", 1)[1]
    w = Wallet(pg_url, key_secret=SECRET, owner=fresh_owner(), public_url=public, now=NOW)
    holder = w.holder_key().did
    result = w.import_file("mine.json", json.dumps(signed_ob3(holder, "Hosted Skill")).encode())
    assert result.verdict == "valid", result.message
    vp = w.presentation([result.entry_id], challenge="job-42", domain="jobs.example")
    assert vp["holder"] == holder and vp["proof"]["verificationMethod"] == holder + "#key-1"

    def check(doc):
        fetcher = SafeFetcher(allow_hosts=[f"127.0.0.1:{port}"])
        try:
            return verify(doc, now=NOW, fetcher=fetcher, challenge="job-42", domain="jobs.example")
        finally:
            fetcher.close()

    report = check(vp)
    assert report.verdict == "valid", [(c.id, c.status, c.message) for c in report.checks]
    messages = [c.message for c in report.checks if c.id == "holder" and c.status == "pass"]
    assert f"signed by its holder {holder}" in " ".join(messages)
    assert any("was issued to the holder" in m for m in messages)
    # another learner's did:web over this learner's signature: the served document has another key
    other = Wallet(pg_url, key_secret=SECRET, owner=fresh_owner("mallory"), public_url=public).holder_key().did
    forged = copy.deepcopy(vp)
    forged["holder"] = other
    forged["proof"]["verificationMethod"] = other + "#key-1"
    assert check(forged).verdict != "valid"
    tampered = copy.deepcopy(vp)
    tampered["verifiableCredential"][0]["name"] = "Something else"
    assert check(tampered).verdict != "valid"


def test_a_site_without_an_https_address_gets_a_sentence(pg_url):
    with pytest.raises(WalletError, match="BADGE_WALLET_PUBLIC_URL"):
        Wallet(pg_url, key_secret=SECRET, owner=fresh_owner(), public_url="http://badges.example.org").holder_key()
    assert main(["did-server", "--public-url", "https://x.example"]) == 2  # no database given
