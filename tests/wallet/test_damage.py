"""Damage and faults are sentences: malformed records are skipped by name, a full disk says so."""
from __future__ import annotations

import errno
import json
import os

import pytest
from streamlit.testing.v1 import AppTest
from support.paths import ROOT
from support.wallet_badges import NOW, hosted_badge

from wallet import Wallet, WalletError
from wallet.cli import main as wallet_cli

GOOD_ID = "good00000001"


def _wallet_with(tmp_path, http, bad_records: list) -> Wallet:
    """A wallet file (the inline layout older versions wrote) with one good badge and ``bad_records``."""
    source = Wallet(tmp_path / "src.json", now=NOW)
    eid = source.import_file("good.png", hosted_badge(http, "good")).entry_id
    good = dict(source.get(eid).to_record(), id=GOOD_ID)
    entries = {"1": good}
    for n, rec in enumerate(bad_records, start=2):
        entries[str(n)] = rec
    path = tmp_path / "wallet.json"
    path.write_text(json.dumps({"entries": entries}), encoding="utf-8")
    return Wallet(path, now=NOW)


def _base(**changes) -> dict:
    rec = {"id": "bad000000001", "filename": "x.png", "content_b64": "aGVsbG8=", "badge": {"name": "X"},
           "report": {}, "verdict": "valid", "category": "badge"}
    rec.update(changes)
    return {k: v for k, v in rec.items() if v is not ...}


# (record, the reason in the sentence, found by the listing's light read too)
@pytest.mark.parametrize("bad, why, listed", [
    (_base(id=...), "it has no id", True),
    (_base(content_b64="not base64!!"), "its badge file is not valid base64", False),
    (_base(badge="a string"), "its “badge” is str", False),
    (_base(tags="cv"), "its “tags” is str", True),
    (_base(badge={"name": "X", "issuer": "Harvard"}), "its badge data is damaged (issuer)", False),
    (_base(category="diploma"), "its category is not one this wallet knows", True),
    (_base(report={"checks": "all passed"}), "its verification report is damaged", False),
])
def test_a_malformed_record_is_skipped_with_a_sentence_and_the_rest_works(tmp_path, http, capsys, bad, why,
                                                                          listed):
    w = _wallet_with(tmp_path, http, [bad])
    assert [e.id for e in w.entries()] == [GOOD_ID]
    entries, [sentence] = w.entries_with_damage()
    assert [e.id for e in entries] == [GOOD_ID]
    assert sentence.startswith("The wallet file is damaged: badge record number 2") and why in sentence
    if bad.get("id"):
        assert bad["id"] in sentence and w.get(bad["id"]) is None
    if listed:
        assert [e.id for e in w.summaries()] == [GOOD_ID] and w.damaged() == [sentence]
    # the CLI lists the good badge (and says what was skipped, on stderr)
    assert wallet_cli(["--db", str(w.path), "list"]) == 0
    out, err = capsys.readouterr()
    assert "Badge good" in out and "Traceback" not in err
    assert (why in err) == listed
    # the rest of the wallet still works: re-check, notes, export
    results = w.reverify()
    assert [r.entry_id for r in results if not r.damaged] == [GOOD_ID]
    skipped = [r for r in results if r.damaged]
    if not listed:  # a record whose summary reads but whose file or report is damaged is named, not skipped silently
        assert len(skipped) == 1 and why in skipped[0].message and skipped[0].entry_id == bad["id"]
        assert wallet_cli(["--db", str(w.path), "verify"]) == 1
        out, err = capsys.readouterr()
        assert "skipped" in err and why in err and "Traceback" not in err
    else:
        assert skipped == []
    w.set_notes(GOOD_ID, "still here")
    assert w.get(GOOD_ID).notes == "still here"
    assert w.export_zip()


def test_the_wallet_page_names_the_damaged_record_and_shows_the_rest(tmp_path, http, monkeypatch):
    w = _wallet_with(tmp_path, http, [_base(content_b64="%%%")])
    monkeypatch.setenv("BADGE_WALLET_DB", str(w.path))
    at = AppTest.from_file(str(ROOT / "app.py"),
                           default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(str(x.value) for x in at.warning)
    assert "badge record number 2" in warnings and "bad000000001" in warnings
    assert any("Badge good" in str(m.value) for m in at.markdown)


def test_a_full_disk_is_a_sentence_and_loses_nothing(tmp_path, http, monkeypatch):
    w = Wallet(tmp_path / "wallet.json", now=NOW)
    first = w.import_file("a.png", hosted_badge(http, "kept")).entry_id
    before = w.path.read_bytes()

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WalletError, match="is full, so this change was not saved"):
        w.import_file("b.png", hosted_badge(http, "lost"))
    with pytest.raises(WalletError, match="is full"):
        w.set_notes(first, "x")
    with pytest.raises(WalletError, match="is full"):
        w.create_portfolio([first], "T")
    monkeypatch.undo()
    assert w.path.read_bytes() == before
    assert [e.id for e in w.entries()] == [first] and w.get(first).content
    assert not list(tmp_path.glob(".wallet.json.*.tmp"))


def test_a_full_disk_in_the_cli_is_a_sentence_with_exit_status_2(tmp_path, http, monkeypatch, capsys):
    badge = tmp_path / "a.png"
    badge.write_bytes(hosted_badge(http, "cli-full"))

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert wallet_cli(["--db", str(tmp_path / "w.json"), "import", str(badge)]) == 2
    _, err = capsys.readouterr()
    assert "is full" in err and "Traceback" not in err
