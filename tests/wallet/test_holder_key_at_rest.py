"""The holder's private key at rest: sealed (SecretBox) with a key file (embedded) or the operator's secret
(hosted), an older plain key sealed on first use, a wrong or missing key a sentence — never a new identity —
and never in an export."""
from __future__ import annotations

import base64
import io
import json
import stat
import zipfile
from datetime import UTC, datetime

import pytest
from nacl.signing import SigningKey
from support.credentials import signed_ob3

from wallet import Wallet
from wallet.cli import main
from wallet.holder import HOLDER_KEY, HolderKey
from wallet.key_vault import SECRET_ENV, key_file_path
from wallet.store import WalletError

NOW = datetime(2026, 12, 31, tzinfo=UTC)
SITE = "https://badges.example.org"
SECRET = "s3cret-" + "x" * 40


def seed_forms(key: HolderKey) -> list[bytes]:
    seed = bytes(key.signing_key)
    return [seed, seed.hex().encode(), base64.b64encode(seed), base64.urlsafe_b64encode(seed).rstrip(b"=")]


def test_a_new_key_is_sealed_with_a_private_key_file(tmp_path):
    path = tmp_path / "w.json"
    key = Wallet(path).holder_key()
    stored = Wallet(path).setting(HOLDER_KEY)
    assert stored["sealed"] == "xsalsa20poly1305" and stored["public"] == key.public_multikey
    wallet_bytes = path.read_bytes()
    assert not any(form in wallet_bytes for form in seed_forms(key))  # no plain seed in the wallet file
    keyfile = key_file_path(path)
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    assert Wallet(path).holder_key().did == key.did  # the same identity every time


def test_an_older_plain_key_is_sealed_on_first_use(tmp_path):
    path = tmp_path / "w.json"
    w = Wallet(path)
    old = HolderKey(SigningKey(bytes([7]) * 32))
    w.set_setting(HOLDER_KEY, old.to_setting())  # how earlier versions kept it
    assert old.to_setting().encode() in path.read_bytes()
    assert w.holder_key().did == old.did  # upgraded, not replaced
    assert not any(form in path.read_bytes() for form in seed_forms(old))
    assert Wallet(path).setting(HOLDER_KEY)["sealed"] and Wallet(path).holder_key().did == old.did


def test_a_missing_key_file_is_a_sentence_and_never_a_new_identity(tmp_path, capsys):
    path = tmp_path / "w.json"
    did = Wallet(path).holder_key().did
    keyfile = key_file_path(path)
    saved = keyfile.read_bytes()
    keyfile.unlink()
    before = Wallet(path).setting(HOLDER_KEY)
    with pytest.raises(WalletError, match="key file .* is missing"):
        Wallet(path).holder_key()
    assert Wallet(path).setting(HOLDER_KEY) == before and not keyfile.exists()  # nothing was replaced
    keyfile.write_bytes(saved)
    assert Wallet(path).holder_key().did == did


def test_a_wrong_key_file_is_refused(tmp_path):
    path = tmp_path / "w.json"
    did = Wallet(path).holder_key().did
    other = tmp_path / "other.json"
    Wallet(other).holder_key()
    key_file_path(path).write_bytes(key_file_path(other).read_bytes())
    with pytest.raises(WalletError, match="does not open with the key file"):
        Wallet(path).holder_key()
    key_file_path(path).write_text("not a key\n")
    with pytest.raises(WalletError, match="is not a key"):
        Wallet(path).holder_key()
    assert Wallet(path).setting(HOLDER_KEY)["public"] == did.removeprefix("did:key:")


def test_the_cli_says_so_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "w.json"
    w = Wallet(path, now=NOW)
    eid = w.import_file("c.json", json.dumps(signed_ob3(w.holder_key().did)).encode()).entry_id
    assert eid and main(["--db", str(path), "present", eid, "--out", str(tmp_path / "vp.json")]) == 0
    key_file_path(path).unlink()
    code = main(["--db", str(path), "present", eid, "--out", str(tmp_path / "vp2.json")])
    err = capsys.readouterr().err
    assert code == 2 and "key file" in err and "is missing" in err and "Traceback" not in err
    assert not (tmp_path / "vp2.json").exists()


def test_the_key_never_goes_into_a_backup(tmp_path):
    path = tmp_path / "w.json"
    w = Wallet(path)
    key = w.holder_key()
    sealed = json.dumps(w.setting(HOLDER_KEY)["box"]).strip('"').encode()
    with zipfile.ZipFile(io.BytesIO(w.export_zip())) as z:
        names = z.namelist()
        blob = b"".join(z.read(n) for n in names)
    assert not any(form in blob for form in seed_forms(key))
    assert sealed not in blob and key_file_path(path).read_bytes().strip() not in blob
    assert not any(n.endswith(".key") for n in names)


# --- hosted mode: the operator's secret ---------------------------------------------------------------

def test_the_secret_is_a_setting_read_once_and_never_printed(tmp_path):
    from wallet.settings import settings_from_env

    settings = settings_from_env({SECRET_ENV: f"  {SECRET} ", "BADGE_WALLET_DB": str(tmp_path / "w.json")})
    assert settings.key_secret == SECRET and SECRET not in repr(settings)
    assert Wallet.from_settings(settings).key_secret == SECRET
    assert settings_from_env({}).key_secret == "" and Wallet(tmp_path / "w.json").key_secret is None


def hosted(pg_url: str, owner: str, secret: str | None) -> Wallet:
    return Wallet(pg_url, owner=owner, public_url=SITE, key_secret=secret)


def test_hosted_keys_need_the_operators_secret(pg_url):
    from support.postgres import fresh_owner

    owner = fresh_owner()
    with pytest.raises(WalletError, match=SECRET_ENV):
        hosted(pg_url, owner, None).holder_key()
    assert hosted(pg_url, owner, None).setting(HOLDER_KEY) is None  # nothing half-made
    with pytest.raises(WalletError, match="shorter than 32"):
        hosted(pg_url, owner, "short").holder_key()
    key = hosted(pg_url, owner, SECRET).holder_key()
    stored = hosted(pg_url, owner, SECRET).setting(HOLDER_KEY)
    assert stored["sealed"] and not any(form.decode("latin-1") in json.dumps(stored) for form in seed_forms(key))
    assert hosted(pg_url, owner, SECRET).holder_key().signing_key == key.signing_key
    with pytest.raises(WalletError, match="does not open with the secret"):
        hosted(pg_url, owner, SECRET + "-rotated").holder_key()
    assert hosted(pg_url, owner, SECRET).setting(HOLDER_KEY) == stored  # a wrong secret replaced nothing
    # a sealed key copied into another learner's row does not open there: each owner has a key of their own
    thief = fresh_owner("thief")
    hosted(pg_url, thief, SECRET).set_setting(HOLDER_KEY, stored)
    with pytest.raises(WalletError, match="does not open"):
        hosted(pg_url, thief, SECRET).holder_key()


def test_hosted_plain_key_is_sealed_on_first_use(pg_url):
    from support.postgres import fresh_owner

    owner = fresh_owner()
    old = HolderKey(SigningKey(bytes([9]) * 32))
    hosted(pg_url, owner, SECRET).set_setting(HOLDER_KEY, old.to_setting())
    assert hosted(pg_url, owner, SECRET).holder_key().signing_key == old.signing_key
    assert hosted(pg_url, owner, SECRET).setting(HOLDER_KEY)["sealed"]
