"""Holder-signed Verifiable Presentations: made by the wallet, checked by the verifier, interoperable
with digitalbazaar's @digitalbazaar/vc (a fixture it made; and, where node is set up, it checks ours)."""
from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nacl.signing import SigningKey
from support.data_integrity import fixed_key_credential
from support.paths import FIXTURES, TESTS
from support.wallet_badges import hosted_badge

from verifier import verify
from verifier.keys import ed25519_multikey
from wallet import Wallet
from wallet.cli import main

FIXTURE = FIXTURES / "digitalbazaar-vc" / "vp-eddsa-rdfc-2022.json"
VCJS = TESTS / "interop" / "vcjs.mjs"
NOW = datetime(2026, 12, 31, tzinfo=UTC)  # after the fixture's proofs were made


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "w.json", now=NOW)


def _add(w: Wallet, credential: dict, name: str = "c.json") -> str:
    result = w.import_file(name, json.dumps(credential).encode())
    assert result.status == "added" and result.verdict == "valid", result.message
    return result.entry_id  # type: ignore[return-value]


def check(report, status: str, text: str) -> bool:
    return any(c.id == "holder" and c.status == status and text in c.message for c in report.checks)


def test_round_trip_holder_signed_presentation(w):
    holder = w.holder_key().did
    mine = _add(w, fixed_key_credential(holder, "Mine"), "mine.json")
    other = _add(w, fixed_key_credential(None, "By e-mail"), "other.json")
    vp = w.presentation([mine, other], challenge="c-123", domain="jobs.example")
    assert vp["type"] == ["VerifiablePresentation"] and vp["holder"] == holder
    assert vp["proof"]["proofPurpose"] == "authentication" and vp["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert vp["verifiableCredential"][0] == json.loads(w.get(mine).content)  # as issued, proof untouched
    report = verify(vp, now=NOW, challenge="c-123", domain="jobs.example")
    assert report.verdict == "valid" and report.format == "vp-data-integrity", report.checks
    assert check(report, "pass", f"signed by its holder {holder}")
    assert check(report, "pass", "Credential 1 (“Mine”) was issued to the holder")
    assert check(report, "warn", "Credential 2 (“By e-mail”)")  # not tied to the holder's key
    assert [n.role for n in report.nested] == ["credential", "credential"]
    assert all(n.report.verdict == "valid" for n in report.nested)
    assert "holder signed it" in __import__("verifier").summary(report)


def test_challenge_and_domain_must_be_the_ones_asked(w):
    eid = _add(w, fixed_key_credential(w.holder_key().did))
    vp = w.presentation([eid], challenge="right")
    assert verify(vp, now=NOW, challenge="wrong").verdict == "invalid"
    assert verify(vp, now=NOW, challenge="right", domain="jobs.example").verdict == "invalid"  # no domain signed
    unasked = verify(w.presentation([eid]), now=NOW)
    assert unasked.verdict == "valid" and check(unasked, "warn", "replayed")


def test_tampering_is_caught(w):
    eid = _add(w, fixed_key_credential(w.holder_key().did))
    vp = w.presentation([eid])
    renamed = copy.deepcopy(vp)
    renamed["verifiableCredential"][0]["name"] = "Something grander"
    report = verify(renamed, now=NOW)
    assert report.verdict == "invalid" and report.nested[0].report.verdict == "invalid"
    other_holder = copy.deepcopy(vp)
    other_holder["holder"] = "did:key:" + ed25519_multikey(SigningKey(bytes([5]) * 32).verify_key)
    assert verify(other_holder, now=NOW).verdict == "invalid"
    purpose = copy.deepcopy(vp)
    purpose["proof"]["proofPurpose"] = "assertionMethod"
    assert verify(purpose, now=NOW).verdict == "invalid"
    unsigned = {k: v for k, v in vp.items() if k != "proof"}
    assert verify(unsigned, now=NOW).verdict != "valid"


def test_presentation_made_by_digitalbazaar_vc_verifies():
    vp = json.loads(FIXTURE.read_text())
    report = verify(vp, now=NOW, challenge="interop-challenge-1", domain="verifier.example")
    assert report.verdict == "valid", [(c.id, c.status, c.message) for c in report.checks]
    assert check(report, "pass", "was issued to the holder")
    assert verify(vp, now=NOW, challenge="another").verdict == "invalid"
    tampered = copy.deepcopy(vp)
    tampered["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] = "Forged"
    assert verify(tampered, now=NOW, challenge="interop-challenge-1").verdict == "invalid"


def test_cli_present(w, tmp_path, http, capsys):
    eid = _add(w, fixed_key_credential(w.holder_key().did))
    out = tmp_path / "vp.json"
    assert main(["--db", str(w.path), "present", eid, "--out", str(out), "--challenge", "x", "--domain", "d.example"]) == 0
    vp = json.loads(out.read_text())
    assert vp["proof"]["challenge"] == "x" and vp["proof"]["domain"] == "d.example"
    assert verify(vp, challenge="x", domain="d.example").verdict == "valid"
    ob2 = w.import_file("ob2.png", hosted_badge(http, "ob2")).entry_id
    assert main(["--db", str(w.path), "present", ob2, "--out", str(tmp_path / "no.json")]) == 2
    assert "not a W3C Verifiable Credential" in capsys.readouterr().err
    assert not (tmp_path / "no.json").exists()


def _node_modules() -> Path | None:
    for candidate in (os.environ.get("BADGE_WALLET_VCJS"), "/tmp/vcjs/node_modules"):
        if candidate and (Path(candidate) / "@digitalbazaar" / "vc").is_dir():
            return Path(candidate)
    return None


@pytest.mark.skipif(shutil.which("node") is None or _node_modules() is None,
                    reason="needs node and @digitalbazaar/vc (see tests/interop/README.md)")
def test_digitalbazaar_vc_verifies_our_presentation(w, tmp_path):
    eid = _add(w, fixed_key_credential(w.holder_key().did))
    w.now = None  # the JS verifier judges the proof's created date against the real clock
    path = tmp_path / "ours.json"
    path.write_text(json.dumps(w.presentation([eid], challenge="ch-1", domain="d.example")))
    env = {**os.environ, "NODE_PATH": str(_node_modules())}
    run = subprocess.run(["node", str(VCJS), "verify", str(path), "ch-1", "d.example"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert run.returncode == 0 and json.loads(run.stdout)["verified"] is True, run.stdout + run.stderr
    bad = subprocess.run(["node", str(VCJS), "verify", str(path), "other", "d.example"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert bad.returncode == 1  # the JS side refuses a wrong challenge too: it really checks
