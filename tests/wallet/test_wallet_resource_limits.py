"""Resource limits in the wallet: lone surrogates in notes, tags, titles, command-line arguments, crafted
exports and hand-edited wallet files are stored as U+FFFD, never a crash (the verifier side: test_resource_limits)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support.paths import ROOT
from support.surrogates import wallet_with_badge

pytestmark = pytest.mark.attack


def test_wallet_notes_tags_and_portfolio_titles_with_a_surrogate_are_stored_not_a_crash(tmp_path):
    from wallet.service import Wallet
    wallet, entry_id = wallet_with_badge(tmp_path / "wallet.json")
    wallet.set_notes(entry_id, "note \ud800")
    wallet.set_tags(entry_id, ["tag\udcff"])
    wallet.create_portfolio([entry_id], "My \udced\udca0\udc80 badges")
    again = Wallet(tmp_path / "wallet.json", offline=True)  # read back from the file
    [entry] = again.entries()
    assert entry.notes == "note \ufffd" and entry.tags == ["tag\ufffd"]
    assert again.portfolios()[0].title == "My \ufffd\ufffd\ufffd badges"
    assert again.export_zip()[:2] == b"PK"


def test_wallet_cli_share_title_that_is_not_utf8(tmp_path):
    import os
    db = tmp_path / "wallet.json"
    wallet_with_badge(db)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}  # a terminal that refuses surrogates
    listed = subprocess.run([sys.executable, "-m", "wallet", "--db", str(db), "list", "--json"], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=120)
    entry_id = json.loads(listed.stdout)[0]["id"]
    title = os.fsdecode(b"Caf\xe9 \xed\xa0\x80")  # Latin-1 bytes and an encoded surrogate: not UTF-8
    for args in (["share", entry_id, "--title", title], ["portfolios"], ["list"], ["export", str(tmp_path / "b.zip")]):
        out = subprocess.run([sys.executable, "-m", "wallet", "--db", str(db), *args], cwd=ROOT,
                             capture_output=True, text=True, env=env, timeout=120)
        assert out.returncode == 0 and "Traceback" not in out.stderr, (args, out.stderr[-800:])


def test_wallet_export_with_surrogates_is_restored(tmp_path):
    import io
    import zipfile

    from wallet.service import Wallet
    wallet, _ = wallet_with_badge(tmp_path / "a.json")
    export = zipfile.ZipFile(io.BytesIO(wallet.export_zip()))
    index = json.loads(export.read("index.json"))
    entry = index["entries"][0]
    entry["notes"], entry["tags"], entry["filename"] = "n\ud800", ["t\udfff"], "badge\ud800.json"
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w") as out:
        out.writestr("index.json", json.dumps(index))  # ensure_ascii: the lone surrogates as \\ud800 escapes
        for name in export.namelist():
            if name != "index.json":
                out.writestr(name, export.read(name))
    restored = Wallet(tmp_path / "b.json", offline=True)
    results = restored.import_archive(crafted.getvalue())
    assert [r.status for r in results] == ["added"], [r.message for r in results]
    [entry] = Wallet(tmp_path / "b.json", offline=True).entries()
    assert entry.notes == "n\ufffd" and entry.tags == ["t\ufffd"]
    assert restored.export_zip()[:2] == b"PK"


def test_hand_edited_wallet_file_with_a_surrogate_escape_is_read(tmp_path):
    from wallet.store import dumps, loads
    assert loads(b'{"a": "x\\ud800"}') == {"a": "x\ufffd"}
    assert loads(dumps({"a": "x\ud800"})) == {"a": "x\ufffd"}
