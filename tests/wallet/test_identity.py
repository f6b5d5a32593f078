"""Duplicates by identity: issuer id + credential id (OB 3.0), assertion id (OB 2.0), bytes last."""
from __future__ import annotations

import json

import pytest
from support.ob2_badges import tiny_png
from support.wallet_badges import HEART, NOW, baked_ob3_badge, hosted_assertion

from verifier.bake import bake_png
from verifier.unbake import unbake
from wallet import Wallet
from wallet.identity import identity_key

CRED = "urn:uuid:7a4c1f0e-2b7b-4d1a-9a55-3c1c0f6d2e11"


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "wallet.json", now=NOW)


def genuine(seed: int = 7, credential_id: str = CRED, name: str = "Data Stewardship") -> bytes:
    return baked_ob3_badge(tiny_png(), seed, credential_id=credential_id, name=name, issuer_name="Real Issuer",
                           valid_from="2025-01-01T00:00:00Z",
                           achievement={"description": "d", "criteria": {"narrative": "n"}})


def tampered(png: bytes, **changes) -> bytes:
    """The same credential (same issuer id and id) with its name changed: the proof no longer holds."""
    credential = json.loads(unbake(png).payload)
    credential.update(changes)
    if "name" in changes:
        credential["credentialSubject"]["achievement"]["name"] = changes["name"]
    return bake_png(tiny_png(), json.dumps(credential), keyword="openbadgecredential")


def test_identity_keys():
    assert identity_key("ob3-data-integrity", {"id": "urn:x", "issuer": {"id": "did:key:z1"}}) == "did:key:z1 urn:x"
    assert identity_key("ob3-jwt", {"id": "urn:x", "issuer": {}}) is None  # no issuer id: bytes only
    assert identity_key("ob2-hosted", {"id": "https://i.example/a/1"}) == "https://i.example/a/1"
    assert identity_key("ob1-hosted", {}, "https://i.example/a/2") == "https://i.example/a/2"
    assert identity_key("ob2-signed", {}) is None


def test_a_tampered_copy_imported_first_is_replaced_by_the_genuine_one(w):
    real = genuine()
    fake = tampered(real, name="Doctorate in Everything")
    first = w.import_file("fake.png", fake)
    assert first.status == "added" and first.verdict == "invalid"
    w.set_notes(first.entry_id, "my note")
    w.set_tags(first.entry_id, ["cv"])
    w.set_override(first.entry_id, "badge")
    second = w.import_file("real.png", real)
    assert second.status == "replaced" and second.entry_id == first.entry_id
    assert "“Doctorate in Everything”" in second.message  # names the badge that was stored
    [entry] = w.entries()
    assert entry.verdict == "valid" and entry.name == "Data Stewardship" and entry.content == real
    assert (entry.notes, entry.tags, entry.override) == ("my note", ["cv"], "badge")
    again = w.import_file("fake-again.png", tampered(real, name="Other fake"))
    assert again.status == "duplicate" and "“Data Stewardship”" in again.message
    assert "could not be confirmed" in again.message
    assert w.entries()[0].content == real


def test_duplicate_message_names_the_stored_badge_not_the_new_file(w):
    real = genuine()
    assert w.import_file("real.png", real).status == "added"
    result = w.import_file("fake.png", tampered(real, name="Shiny Fake"))
    assert result.status == "duplicate" and result.message.startswith("Already in wallet: “Data Stewardship”.")
    assert "Shiny Fake" not in result.message


def test_same_credential_id_under_another_issuer_is_another_badge(w):
    """OB 3.0 ids are unique per issuer: a forger reusing the id must not hide the genuine badge."""
    forger = genuine(seed=9)  # another did:key issuer, same credential id
    assert w.import_file("forger.png", forger).status == "added"
    real = w.import_file("real.png", genuine())
    assert real.status == "added" and real.verdict == "valid"
    assert len(w.entries()) == 2


def test_in_one_batch_the_authenticated_copy_wins(w):
    real = genuine()
    results = w.import_files([("fake.png", tampered(real, name="Fake")), ("real.png", real)])
    assert [r.status for r in results] == ["added", "replaced"]
    [entry] = w.entries()
    assert entry.verdict == "valid" and entry.content == real


def test_ob2_duplicates_by_assertion_id_and_bytes_as_last_resort(http, w):
    assertion = hosted_assertion(http, "same-id")
    a = w.import_file("a.png", bake_png(HEART, json.dumps(assertion)))
    b = w.import_file("b.json", json.dumps(assertion, indent=1).encode())  # other bytes, same assertion id
    assert (a.status, b.status) == ("added", "duplicate") and b.entry_id == a.entry_id
    # no id at all (OB 3.0 without issuer id): only identical bytes are a duplicate
    no_id = {"@context": ["https://www.w3.org/ns/credentials/v2",
                          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
             "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:example:x",
             "validFrom": "2024-01-01T00:00:00Z", "name": "No id",
             "credentialSubject": {"achievement": {"type": ["Achievement"], "name": "No id"}}}
    first = w.import_file("n1.json", json.dumps(no_id).encode())
    same_bytes = w.import_file("n2.json", json.dumps(no_id).encode())
    other_bytes = w.import_file("n3.json", json.dumps(no_id, indent=2).encode())
    assert first.status == "added" and same_bytes.status == "duplicate"
    assert other_bytes.status == "added"
