"""Honest answers: legacy URL-baked badges kept when their issuer is unreachable, Badgr exports without
``verification`` unverifiable (not invalid) with their embedded names shown as stated, permanent vs temporary
"could not be checked", and the header-jwk sentence."""
from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
import requests
from nacl.signing import SigningKey
from support.credentials import ob3_credential
from support.files import fixture_path
from support.ob2_badges import tiny_png

from verifier import summarize, verify
from verifier.bake import bake_png
from verifier.cli import main as cli_main
from verifier.fetch import SafeFetcher
from verifier.keys import ed25519_multikey
from verifier.model import Check, Report, transient
from verifier.proofs.data_integrity import sign_credential
from wallet import Wallet

NOW = datetime(2025, 6, 1, tzinfo=UTC)
LEGACY_PNG = fixture_path("mozilla-openbadges-backpack", "404.png")  # tEXt "openbadges" = an assertion URL
BADGR_ID = "https://api.badgr.io/public/assertions/AbC123"
BADGR_EXPORT = {  # the shape of a Badgr "download JSON": no verification, BadgeClass and Issuer embedded
    "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": BADGR_ID,
    "badge": {"id": "https://api.badgr.io/public/badges/XyZ", "type": "BadgeClass", "name": "Python Basics",
              "description": "Writes small Python programs.", "image": "https://media.badgr.com/x.png",
              "criteria": {"narrative": "Pass the course."},
              "issuer": {"id": "https://api.badgr.io/public/issuers/Iss", "type": "Issuer", "name": "Code Academy",
                         "url": "https://code.example", "email": "badges@code.example"}},
    "recipient": {"hashed": True, "type": "email", "identity": "sha256$" + "0" * 64, "salt": "s"},
    "issuedOn": "2021-05-01T00:00:00+00:00", "revoked": False}


def credential(issuer: str, **extra) -> dict:
    return ob3_credential(issuer, "urn:uuid:0d1b7f5e-2222-4000-8000-00000000abcd", **extra)


def did_key() -> tuple[SigningKey, str]:
    key = SigningKey(b"\x05" * 32)
    return key, "did:key:" + ed25519_multikey(key.verify_key)


# --- legacy URL-baked badges -----------------------------------------------------------------

def test_legacy_url_baked_png_with_unreachable_issuer_is_unverifiable_and_kept(tmp_path):
    report = verify(LEGACY_PNG.read_bytes(), now=NOW)
    assert report.verdict == "unverifiable" and report.format != "none"
    assert report.badge is not None and report.badge.id and report.badge.id.startswith("http")
    assert report.retry_may_help is True
    w = Wallet(tmp_path / "wallet.json", now=NOW)
    result = w.import_file("legacy.png", LEGACY_PNG.read_bytes())
    assert result.status == "added" and result.verdict == "unverifiable", result.message
    [entry] = w.entries()
    assert entry.content == LEGACY_PNG.read_bytes() and entry.verdict == "unverifiable"


def test_legacy_url_baked_badge_verifies_once_its_issuer_answers(http, tmp_path):
    """Kept, then checked again: nothing about it was invented while the issuer was away."""
    url = verify(LEGACY_PNG.read_bytes(), now=NOW).badge.id
    w = Wallet(tmp_path / "wallet.json", now=NOW)
    assert w.import_file("legacy.png", LEGACY_PNG.read_bytes()).status == "added"
    http.get(url, status=503)
    again = verify(LEGACY_PNG.read_bytes(), now=NOW)
    assert again.verdict == "unverifiable" and again.retry_may_help is True


def test_a_pasted_unreachable_url_is_still_not_stored(tmp_path):
    """Only a *baked* legacy badge is kept on its URL alone: a bare URL that answers nothing holds no badge."""
    w = Wallet(tmp_path / "wallet.json", now=NOW)
    result = w.import_text("https://unreachable.invalid/assertions/1")
    assert result.status == "rejected" and w.entries() == []


# --- Badgr export without verification ---------------------------------------------------------

def test_badgr_export_without_verification_is_unverifiable_not_invalid():
    report = verify(json.dumps(BADGR_EXPORT), now=NOW)
    assert report.verdict == "unverifiable", [c.to_dict() for c in report.checks]
    assert report.check("structure").status == "pass"
    assert report.check("hosted-copy").retry is True


def test_badgr_export_shows_embedded_names_marked_as_stated_in_the_file():
    report = verify(json.dumps(BADGR_EXPORT), now=NOW)
    assert report.badge.name == "Python Basics" and report.badge.issuer.name == "Code Academy"
    stated = report.check("badgeclass")
    assert stated.status == "warn" and "As stated in the file" in stated.message
    assert "“Python Basics”" in stated.message and "“Code Academy”" in stated.message
    assert "not confirmed" in summarize(report).identity


def test_badgr_export_checked_against_its_hosted_copy_when_reachable(http):
    hosted = copy.deepcopy(BADGR_EXPORT)
    hosted["verification"] = {"type": "HostedBadge"}
    badge = hosted.pop("badge")
    hosted["badge"] = badge["id"]
    badge["issuer"] = badge["issuer"]["id"]
    issuer = dict(BADGR_EXPORT["badge"]["issuer"], **{"@context": "https://w3id.org/openbadges/v2"})
    http.get(BADGR_ID, json=hosted)
    http.get("https://api.badgr.io/public/badges/XyZ", json=dict(badge, **{"@context": "https://w3id.org/openbadges/v2"}))
    http.get("https://api.badgr.io/public/issuers/Iss", json=issuer)
    report = verify(json.dumps(BADGR_EXPORT), now=NOW)
    assert report.check("hosted-copy").status == "pass"
    assert report.check("badgeclass").status == "pass"  # fetched now, not merely stated
    assert report.verdict == "valid", [c.to_dict() for c in report.checks]
    other = copy.deepcopy(BADGR_EXPORT)
    other["badge"]["id"] = "https://api.badgr.io/public/badges/SomethingElse"
    swapped = verify(json.dumps(other), now=NOW)
    assert swapped.verdict == "invalid" and "badge differs" in swapped.check("hosted-copy").message


def test_badgr_export_whose_hosted_copy_lacks_verification_is_still_malformed(http):
    http.get(BADGR_ID, json=BADGR_EXPORT)
    report = verify(json.dumps(BADGR_EXPORT), now=NOW)
    assert report.verdict == "invalid" and report.check("structure").status == "fail"


def test_ob05_assertion_without_url_shows_embedded_names():
    old = {"recipient": "sha256$" + "1" * 64, "salt": "x", "issued_on": "2012-03-01",
           "badge": {"version": "0.5.0", "name": "Open Source Contributor", "image": "/i.png",
                     "description": "d", "criteria": "/c",
                     "issuer": {"origin": "https://p2pu.example", "name": "P2PU"}}}
    report = verify(json.dumps(old), now=NOW)
    assert report.verdict == "unverifiable" and report.retry_may_help is False
    assert report.badge.name == "Open Source Contributor" and report.badge.issuer.name == "P2PU"
    assert "As stated in the file" in report.check("badgeclass").message


# --- permanent vs temporary --------------------------------------------------------------------

@pytest.mark.parametrize("status, retry", [(None, True), (500, True), (503, True), (429, True), (408, True),
                                           (404, False), (403, False), (410, False), (400, False)])
def test_transient_answers(status, retry):
    assert transient(status) is retry


@pytest.mark.parametrize("answer, retry", [({"body": requests.exceptions.ConnectionError("refused")}, True), ({"status": 503}, True),
                                           ({"status": 404}, False)])
def test_hosted_copy_retry_follows_the_answer(http, answer, retry, capsys, tmp_path):
    http.get(BADGR_ID, **answer)
    report = verify(json.dumps(BADGR_EXPORT), now=NOW)
    assert report.verdict == "unverifiable" and report.retry_may_help is retry
    s = summarize(report)
    assert s.retry_may_help is retry
    assert ("try again later" in s.authenticity) is retry
    assert ("will not change" in s.authenticity) is (not retry)
    path = tmp_path / "badgr.json"
    path.write_text(json.dumps(BADGR_EXPORT))
    assert cli_main(["--json", str(path)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["retry_may_help"] is retry and out["checks"][0]["retry"] is retry


def test_unsigned_credential_can_never_be_checked_this_way():
    report = verify(json.dumps(credential("did:example:issuer")), now=NOW)
    assert report.verdict == "unverifiable" and report.retry_may_help is False
    s = summarize(report)
    assert "right now" not in s.authenticity and "will not change" in s.authenticity
    assert "not signed" in s.reason


def test_unsupported_suite_can_never_be_checked_this_way():
    key, did = did_key()
    cred = sign_credential(credential(did), key, f"{did}#{did[8:]}", created="2025-01-01T00:00:00Z")
    cred["proof"]["cryptosuite"] = "bbs-2023"
    report = verify(json.dumps(cred), now=NOW)
    assert report.verdict == "unverifiable" and report.retry_may_help is False
    assert report.check("signature").retry is False


def test_unpinned_context_can_never_be_checked_this_way():
    key, did = did_key()
    cred = credential(did)
    cred["@context"].append("https://example.org/private-vocabulary.jsonld")
    cred = dict(cred, proof={
        "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "verificationMethod": f"{did}#{did[8:]}",
        "proofPurpose": "assertionMethod", "proofValue": "z1111"})
    report = verify(json.dumps(cred), now=NOW)
    assert report.verdict == "unverifiable" and report.retry_may_help is False
    assert "pinned" in summarize(report).reason


def test_unreachable_did_web_key_is_temporary_and_a_missing_one_permanent(http):
    key = SigningKey(b"\x06" * 32)
    did = "did:web:college.example"
    cred = sign_credential(credential(did), key, f"{did}#key-1", created="2025-01-01T00:00:00Z")
    http.get("https://college.example/.well-known/did.json", status=502)
    report = verify(json.dumps(cred), now=NOW)
    assert report.verdict == "unverifiable" and report.retry_may_help is True
    http.replace("GET", "https://college.example/.well-known/did.json", status=404)
    gone = verify(json.dumps(cred), now=NOW)
    assert gone.verdict != "valid" and gone.retry_may_help is not True


def test_one_permanent_step_outweighs_a_network_failure():
    """If any undone step can never be done, retrying cannot make the badge checkable."""
    checks = [Check("revocation", "fail", "list unreachable", "unverifiable", retry=True),
              Check("signature", "fail", "not signed", "unverifiable", retry=False)]
    report = Report("unverifiable", "ob3-unsigned", checks)
    assert report.retry_may_help is False and summarize(report).reason == "not signed"
    assert Report("unverifiable", "ob3-unsigned", checks[:1]).retry_may_help is True
    assert Report("valid", "ob3-unsigned", []).retry_may_help is None


def test_retry_survives_the_wallet_record(tmp_path):
    """The wallet page summarizes the stored report: its undone steps keep their retry flag."""
    from app_pages.state import entry_summary

    w = Wallet(tmp_path / "wallet.json", now=NOW)
    assert w.import_text(json.dumps(credential("did:example:issuer"))).status == "added"
    [entry] = w.entries()
    assert any(c.get("retry") is False for c in entry.report["checks"])
    assert "will not change" in entry_summary(entry)
    assert w.import_file("legacy.png", LEGACY_PNG.read_bytes()).status == "added"
    legacy = next(e for e in w.entries() if e.filename == "legacy.png")
    assert "try again later" in entry_summary(legacy)


# --- header jwk ----------------------------------------------------------------------------------

def test_header_jwk_sentence_says_the_token_carries_its_own_key(http):
    import warnings

    from joserfc import jws
    from joserfc.jwk import OKPKey
    from joserfc.jws import JWSRegistry

    http.get("https://college.example/.well-known/jwks.json", json={"keys": []})
    key = OKPKey.generate_key("Ed25519")
    registry = JWSRegistry(algorithms=["EdDSA"], strict_check_header=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jws.serialize_compact({"alg": "EdDSA", "jwk": key.as_dict(private=False)},
                                      json.dumps(credential("https://college.example/issuer")).encode(), key,
                                      registry=registry)
    report = verify(token, now=NOW, fetcher=SafeFetcher())
    owner = report.check("key-owner")
    assert report.verdict == "invalid" and owner.status == "fail"
    assert "carries its own key" in owner.message and "proves nothing about who issued it" in owner.message


def test_recruiter_page_tells_temporary_from_permanent(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from support.apptest import APP, TIMEOUT, empty_wallet

    path = tmp_path / "wallet.json"
    monkeypatch.setenv("BADGE_WALLET_DB", str(path))
    empty_wallet(path)

    def check(name: str, content: bytes) -> str:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        at.switch_page("app_pages/verify_badge.py").run()
        at.file_uploader(key="recruiter_file").set_value((name, content, "application/octet-stream")).run()
        assert not at.exception
        return " ".join(str(i.value) for i in at.info)

    temporary = check("legacy.png", LEGACY_PNG.read_bytes())
    assert "Try again later" in temporary and "will not help" not in temporary
    permanent = check("unsigned.png", bake_png(tiny_png(), json.dumps(credential("did:example:issuer")),
                                               keyword="openbadgecredential"))
    assert "will not help" in permanent and "Try again later" not in permanent


def test_public_page_tells_temporary_from_permanent(tmp_path):
    w = Wallet(tmp_path / "wallet.json", now=NOW)
    unsigned = w.import_text(json.dumps(credential("did:example:issuer")))
    legacy = w.import_file("legacy.png", LEGACY_PNG.read_bytes())
    _, link = w.create_portfolio([unsigned.entry_id, legacy.entry_id], "For employers", expires_days=30)
    page = w.open_portfolio(link)
    summaries = [b.summary for b in page.badges]
    assert len(summaries) == 2
    assert any("will not change" in s for s in summaries)
    assert any("try again later" in s for s in summaries)
    assert not any("will not change" in s and "try again later" in s for s in summaries)
