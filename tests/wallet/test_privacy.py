"""Hiding the recipient on public pages by the values the verifier read, not by an e-mail pattern."""
from __future__ import annotations

import dataclasses
import json

import pytest
from support.ob2_badges import tiny_png
from support.wallet_badges import NOW, hosted_assertion, hosted_badge

from verifier.bake import bake_png
from wallet import Wallet
from wallet.privacy import HIDDEN, Redactor, recipient_values, spellings

pytestmark = pytest.mark.attack


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "wallet.json", now=NOW)


# Each of these slipped past the old e-mail pattern.
ODD_ADDRESSES = ["jörg.müller@beispiel.de", '"john doe"@example.org', "alice@example.org ", "admin@localhost",
                 "Ünïcödé@例え.jp", "+1 555 0100"]


def _everything(view) -> str:
    return json.dumps(dataclasses.asdict(view), default=str, ensure_ascii=False)


@pytest.mark.parametrize("identity", ODD_ADDRESSES)
def test_hidden_identity_never_reaches_any_public_output(http, w, identity):
    png = hosted_badge(http, f"odd{ODD_ADDRESSES.index(identity)}", email=identity, hashed=False)
    eid = w.import_file("odd.png", png).entry_id
    stored = " ".join(c["message"] for c in w.get(eid).report["checks"])
    assert identity.strip() in stored  # the verifier's own sentences quote it: there is something to hide
    _, link = w.create_portfolio([eid], "Jobs")
    view = w.open_portfolio(link)
    [badge] = view.badges
    assert badge.email_hidden and badge.recipient_email is None and badge.content is None
    text = _everything(view)
    for form in spellings([identity]):
        assert form.lower() not in text.lower(), form
    assert HIDDEN in " ".join(c["message"] for c in badge.checks)
    # opted in: shown as it is
    _, shown = w.create_portfolio([eid], "Jobs", show_email=True)
    [open_badge] = w.open_portfolio(shown).badges
    assert open_badge.recipient_email == identity and open_badge.content == png


def test_values_come_from_the_structure_of_ob2_and_ob3_documents():
    badge = {"recipient": {"identity": "mailto:a@b.c", "hashed": False},
             "raw": {"credential": {"credentialSubject": {
                 "id": "did:example:learner1", "email": "second@x",
                 "identifier": [{"identityHash": "third@example.org", "hashed": False},
                                {"identityHash": "sha256$abc", "hashed": True}]}}}}
    assert recipient_values(badge) == {"mailto:a@b.c", "did:example:learner1", "second@x", "third@example.org"}
    assert recipient_values({"recipient": {"identity": "sha256$00", "hashed": True}}) == set()


def test_spellings_cover_escaped_and_encoded_forms():
    redactor = Redactor(["mailto:zoë@example.org"])
    for text in ("to zoë@example.org.", 'json "zo\\u00eb@example.org"', "url zo%C3%AB%40example.org",
                 "ZOË@EXAMPLE.ORG", "zoe\u0308@example.org"):
        assert "example" not in redactor.text(text), text
    nested = redactor.value({"a": ["x zoë@example.org"], "b": ("zoë@example.org",), "c": b"zo\xc3\xab@example.org"})
    assert nested == {"a": [f"x {HIDDEN}"], "b": (HIDDEN,), "c": b"zo\xc3\xab@example.org"}


def test_jws_badge_with_a_plain_identity_is_hidden_too(http, w):
    assertion = hosted_assertion(http, "jsonid", email="weird@@host", hashed=False)
    png = bake_png(tiny_png(), json.dumps(assertion))
    eid = w.import_file("a.png", png).entry_id
    _, link = w.create_portfolio([eid], "T")
    assert "weird@@host" not in _everything(w.open_portfolio(link))
