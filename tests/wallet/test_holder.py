"""Holder binding: the owner's identities, each badge's recipient matched against them, the public words."""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from support.wallet_badges import EMAIL, NOW, SALT, hosted_badge

from wallet import Wallet, WalletError
from wallet.cli import main
from wallet.holder import Identity, IdentityKind, Whose, match_recipient, parse_identity

DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
URL = "https://people.example.org/~learner"


def ids(*values: str, confirmed: bool = False) -> list[Identity]:
    return [parse_identity(v, confirmed=confirmed) for v in values]  # type: ignore[misc]


def salted(algo: str, value: str, salt: str = SALT) -> str:
    return f"{algo}$" + hashlib.new(algo, (value + salt).encode()).hexdigest()


def test_parse_identity_kinds():
    assert parse_identity("mailto:A@Example.org") == Identity("A@Example.org", IdentityKind.EMAIL)
    assert parse_identity(URL).kind is IdentityKind.URL and parse_identity(DID).kind is IdentityKind.DID
    assert parse_identity("not an identity") is None and parse_identity("did:") is None


def test_plain_email_matches_without_regard_to_case():
    m = match_recipient({"type": "email", "identity": EMAIL.upper(), "hashed": False}, ids(EMAIL))
    assert m.whose is Whose.OWNER and not m.confirmed
    assert "the owner gave as theirs" in m.sentence and "not confirmed" in m.sentence


@pytest.mark.parametrize("algo", ["sha256", "md5"])
def test_hashed_and_salted_email_matches(algo):
    recipient = {"type": "email", "identity": salted(algo, EMAIL), "hashed": True, "salt": SALT}
    assert match_recipient(recipient, ids("other@example.org", EMAIL)).whose is Whose.OWNER
    # an issuer that hashed the lower-cased address still matches a mixed-case identity
    assert match_recipient(recipient, ids(EMAIL.capitalize())).whose is Whose.OWNER
    # the salt matters: without it the digest is another one
    unsalted = dict(recipient, salt=None)
    assert match_recipient(unsalted, ids(EMAIL)).whose is Whose.OTHER


def test_unsupported_hash_cannot_be_told():
    m = match_recipient({"type": "email", "identity": "whirlpool$abcd", "hashed": True}, ids(EMAIL))
    assert m.whose is Whose.UNKNOWN and "not support" in m.sentence


def test_did_and_url_recipients_are_case_sensitive():
    assert match_recipient({"type": "did", "identity": DID}, ids(DID)).whose is Whose.OWNER
    assert match_recipient({"type": "did", "identity": DID.lower()}, ids(DID)).whose is Whose.OTHER
    assert match_recipient({"type": "url", "identity": URL}, ids(URL)).whose is Whose.OWNER
    assert match_recipient({"identity": URL.upper()}, ids(URL)).whose is Whose.OTHER


def test_no_match_no_recipient_and_no_identity_of_that_kind():
    other = match_recipient({"type": "email", "identity": "someone@else.org"}, ids(EMAIL, DID))
    assert other.whose is Whose.OTHER and "not one of the owner's" in other.sentence
    assert match_recipient({}, ids(EMAIL)).whose is Whose.UNKNOWN
    nothing = match_recipient({"type": "email", "identity": EMAIL}, ids(DID))
    assert nothing.whose is Whose.UNKNOWN and "has not given one" in nothing.sentence


def test_confirmed_identity_is_said_to_be_confirmed():
    m = match_recipient({"type": "email", "identity": EMAIL}, ids(EMAIL, confirmed=True))
    assert m.whose is Whose.OWNER and m.confirmed and "confirmed when they signed in" in m.sentence


def test_sentences_never_contain_the_recipient_or_the_identity():
    for recipient in ({"type": "email", "identity": EMAIL}, {"type": "email", "identity": "x@y.org"},
                      {"type": "email", "identity": salted("sha256", EMAIL), "hashed": True, "salt": SALT}):
        for identities in (ids(EMAIL), ids(EMAIL, confirmed=True), ids("x@z.org"), ids(DID)):
            sentence = match_recipient(recipient, identities).sentence.lower()
            assert EMAIL not in sentence and "x@y.org" not in sentence and "x@z.org" not in sentence


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "wallet.json", now=NOW)


def test_wallet_keeps_identities_and_name(w, tmp_path):
    assert w.identities() == [] and w.display_name() == ""
    w.add_identity(EMAIL)
    w.add_identity(DID, confirmed=True)
    w.add_identity(DID)  # typing it again does not unconfirm it
    w.set_display_name("  Ada   Lovelace ")
    again = Wallet(tmp_path / "wallet.json")
    assert [(i.value, i.confirmed) for i in again.identities()] == [(EMAIL, False), (DID, True)]
    assert again.display_name() == "Ada Lovelace"
    with pytest.raises(WalletError, match="not an e-mail address"):
        w.add_identity("hello")
    assert w.remove_identity(EMAIL) and not w.remove_identity(EMAIL)


def test_public_page_says_whose_badge_without_revealing_the_hidden_address(http, w):
    mine = w.import_file("mine.png", hosted_badge(http, "mine", hashed=False)).entry_id
    theirs = w.import_file("theirs.png", hosted_badge(http, "theirs", email="rival@example.com")).entry_id
    _, link = w.create_portfolio([mine, theirs], "Jobs")
    before = w.open_portfolio(link, refresh=False)
    assert {b.whose.whose for b in before.badges} == {Whose.UNKNOWN}  # no identities given yet
    w.add_identity(EMAIL)
    w.set_display_name("Ada Lovelace")
    w.now = NOW + timedelta(minutes=5)
    view = w.open_portfolio(link)
    assert view.owner_name == "Ada Lovelace"
    by_name = {b.name: b for b in view.badges}
    assert by_name["Badge mine"].whose.whose is Whose.OWNER and by_name["Badge mine"].email_hidden
    assert by_name["Badge theirs"].whose.whose is Whose.OTHER
    text = repr(view).lower()
    assert EMAIL not in text and "rival@example.com" not in text


def test_cli_identity_and_name(tmp_path, capsys):
    db = str(tmp_path / "w.json")
    assert main(["--db", db, "identity", "add", EMAIL]) == 0
    assert main(["--db", db, "identity", "add", "nonsense"]) == 2
    assert "not an e-mail address" in capsys.readouterr().err
    assert main(["--db", db, "name", "Ada"]) == 0
    assert main(["--db", db, "identity", "list"]) == 0
    out = capsys.readouterr().out
    assert f"email  {EMAIL}" in out and "Ada" in out
    assert main(["--db", db, "identity", "remove", EMAIL]) == 0
    assert Wallet(db).identities() == []


def test_holder_settings_never_go_into_an_export(w):
    key = w.holder_key()
    assert w.holder_key().did == key.did and key.did.startswith("did:key:z6Mk")
    w.add_identity(EMAIL)
    data = w.export_zip()
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    assert key.to_setting().encode() not in blob and json.dumps(key.to_setting()).encode() not in blob


def test_only_a_verified_sign_in_email_is_confirmed():
    from wallet.holder import confirmed_email

    assert confirmed_email({"is_logged_in": True, "email": EMAIL, "email_verified": True}) == EMAIL
    assert confirmed_email({"is_logged_in": True, "email": EMAIL}) is None  # no claim that it was verified
    assert confirmed_email({"is_logged_in": True, "email": EMAIL, "email_verified": "true"}) is None
    assert confirmed_email({"is_logged_in": False, "email": EMAIL, "email_verified": True}) is None
    assert confirmed_email({"is_logged_in": True, "email": "not-an-address", "email_verified": True}) is None
