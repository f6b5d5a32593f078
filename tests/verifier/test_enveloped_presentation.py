"""Presentations with VC-JWT credentials: the wallet envelopes them (VCDM 2.0 EnvelopedVerifiableCredential,
``data:application/vc+jwt,…``, W3C VC-JOSE-COSE), the verifier opens and checks them and says whether the
holder is their subject; OB 2.0 badges are refused by name, SD-JWT and unknown media types are not trusted."""
from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from support.credentials import signed_ob3, signed_vcjwt
from support.wallet_badges import hosted_badge

from verifier import verify
from verifier.enveloped import envelope, media_type_for, open_envelope
from wallet import Wallet
from wallet.store import WalletError

NOW = datetime(2026, 12, 31, tzinfo=UTC)


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "w.json", now=NOW)


def add(w: Wallet, data: str | bytes, name: str) -> str:
    result = w.import_file(name, data.encode() if isinstance(data, str) else data)
    assert result.status == "added" and result.verdict == "valid", result.message
    return result.entry_id  # type: ignore[return-value]


def holder_checks(report, status: str) -> list[str]:
    return [c.message for c in report.checks if c.id == "holder" and c.status == status]


@pytest.mark.parametrize("vc_claim", [False, True], ids=["vcdm2-payload", "vc-claim"])
def test_a_vc_jwt_goes_in_enveloped_and_verifies(w, vc_claim):
    holder = w.holder_key().did
    token = signed_vcjwt(holder, "JWT Skill", vc_claim=vc_claim)
    jwt_id = add(w, token, "skill.jwt")
    assert w.get(jwt_id).format == "ob3-jwt"
    embedded_id = add(w, json.dumps(signed_ob3(holder, "Embedded Skill")), "e.json")
    vp = w.presentation([jwt_id, embedded_id], challenge="c-1")
    enveloped, embedded = vp["verifiableCredential"]
    assert enveloped == {"@context": "https://www.w3.org/ns/credentials/v2",
                         "id": f"data:application/vc+jwt,{token}", "type": "EnvelopedVerifiableCredential"}
    assert embedded["proof"]  # the embedded one as issued
    report = verify(vp, now=NOW, challenge="c-1")
    assert report.verdict == "valid", [(c.id, c.status, c.message) for c in report.checks]
    assert [n.report.format for n in report.nested] == ["ob3-jwt", "ob3-data-integrity"]
    assert [n.report.badge.name for n in report.nested] == ["JWT Skill", "Embedded Skill"]
    assert sum("was issued to the holder" in m for m in holder_checks(report, "pass")) == 2


def test_an_enveloped_credential_of_someone_else_is_said_so(w):
    jwt_id = add(w, signed_vcjwt("did:example:someone-else", "Not Mine"), "other.jwt")
    report = verify(w.presentation([jwt_id], challenge="c"), now=NOW, challenge="c")
    assert report.verdict == "valid"  # the holder's signature and the credential both hold ...
    assert any("identified otherwise than the holder's DID" in m for m in holder_checks(report, "warn"))  # ... not theirs


def test_a_tampered_enveloped_token_is_caught(w):
    jwt_id = add(w, signed_vcjwt(w.holder_key().did), "mine.jwt")
    vp = w.presentation([jwt_id], challenge="c")
    header, payload, sig = vp["verifiableCredential"][0]["id"].split(",", 1)[1].split(".")
    forged_sig = ("A" if sig[0] != "A" else "B") + sig[1:]
    swapped = copy.deepcopy(vp)
    swapped["verifiableCredential"][0]["id"] = f"data:application/vc+jwt,{header}.{payload}.{forged_sig}"
    assert verify(swapped, now=NOW, challenge="c").verdict != "valid"  # the holder proof no longer matches either
    # re-signed by the holder over a forged token: the holder proof holds, the credential does not
    from wallet.present import make_presentation

    resigned = make_presentation([swapped["verifiableCredential"][0]], w.holder_key(), challenge="c", created=NOW)
    report = verify(resigned, now=NOW, challenge="c")
    assert report.verdict != "valid" and report.nested[0].report.verdict != "valid"
    assert any(c.id == "holder" and c.status == "pass" and "signed by its holder" in c.message for c in report.checks)


def test_sd_jwt_and_unknown_media_types_are_not_trusted(w):
    from wallet.present import make_presentation

    token = signed_vcjwt(w.holder_key().did, typ="vc+sd-jwt")
    assert media_type_for(token) == "application/vc+sd-jwt"
    assert media_type_for(signed_vcjwt("did:example:x", typ="vc+ld+json+jwt")) == "application/vc+ld+json+jwt"
    for item, why in ((envelope(token), "SD-JWT"),
                      ({"type": "EnvelopedVerifiableCredential", "id": "data:text/plain,hello"}, "media type"),
                      ({"type": "EnvelopedVerifiableCredential", "id": "https://example.org/vc"}, "not a data: URL")):
        vp = make_presentation([item], w.holder_key(), challenge="c", created=NOW)
        report = verify(vp, now=NOW, challenge="c")
        assert report.verdict != "valid"
        assert any(c.id == "nested" and c.status == "fail" and why in c.message for c in report.checks), why
    assert open_envelope({"id": f"data:application/vc+ld+json+jwt,{token}"}).token == token


def test_ob2_badges_are_refused_by_name(w, http):
    ob2 = w.import_file("ob2.png", hosted_badge(http, "ob2", name="Old Style Badge")).entry_id
    ok = add(w, signed_vcjwt(w.holder_key().did), "mine.jwt")
    with pytest.raises(WalletError, match="“Old Style Badge” is an Open Badges 2.0 badge, not a W3C Verifiable"):
        w.presentation([ok, ob2])


def test_the_share_page_says_which_badges_cannot_be_presented(tmp_path, monkeypatch, http):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "wallet.json"
    w = Wallet(db, now=NOW)
    w.import_file("ob2.png", hosted_badge(http, "ob2", name="Old Style Badge"))
    add(w, signed_vcjwt(w.holder_key().did, "Token Badge"), "mine.jwt")
    monkeypatch.setenv("BADGE_WALLET_DB", str(db))
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_URL", "http://wallet.test")
    from pathlib import Path

    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app_pages" / "share_links.py"),
                           default_timeout=60)
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "cannot go into a presentation" in captions and "Old Style Badge" in captions
    [picker] = [m for m in at.multiselect if m.key == "vp_badges"]
    assert len(picker.options) == 1  # the VC-JWT can be presented, the OB 2.0 badge is not offered
