"""Restore = import: a wallet export is untrusted input (any zip with an index naming the format)."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from support.paths import ROOT
from support.wallet_badges import NOW, hosted_badge

from wallet import Wallet
from wallet.archive import ExportCaps, read_export
from wallet.cli import main as wallet_cli
from wallet.portfolio import token_hash

pytestmark = pytest.mark.attack


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "wallet.json", now=NOW)


def export_zip(index: dict, files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("index.json", json.dumps(index))
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


def index_of(entries: list, portfolios: list | None = None) -> dict:
    return {"format": "badge-wallet-export", "version": 1, "entries": entries, "portfolios": portfolios or []}


HARVARD = {"id": "e1", "file": "files/0001-mc.png", "filename": "mc.png", "verdict": "valid",
           "category": "micro-credential", "format": "ob3-data-integrity",
           "badge": {"name": "Micro-credential in Law", "issuer": {"name": "Harvard University"}},
           "report": {"checks": [{"id": "proof", "status": "pass", "message": "Signature verified."}]}}


def test_junk_bytes_claimed_valid_by_the_index_are_verified_and_refused(w):
    data = export_zip(index_of([HARVARD]), {"files/0001-mc.png": b"\x89PNG\r\n\x1a\njunk"})
    results = w.import_archive(data)
    assert [r.status for r in results] == ["rejected"]
    assert results[0].message.startswith("Not stored:") and "Harvard" not in results[0].message
    assert w.entries() == []


def test_a_real_badge_gets_its_own_verdict_and_category_not_the_index_ones(http, w):
    png = hosted_badge(http, "genuine", name="Workshop attendance")
    rec = dict(HARVARD, file="files/0001-a.png", notes="my note", tags=["job"])
    results = w.import_archive(export_zip(index_of([rec]), {"files/0001-a.png": png}))
    assert [r.status for r in results] == ["added"], results
    [entry] = w.entries()
    assert entry.name == "Workshop attendance" and entry.issuer_name != "Harvard University"
    assert entry.category == "badge" and entry.format == "ob2-hosted"  # from the rules, not the index
    assert entry.report["checks"] != HARVARD["report"]["checks"]
    assert (entry.notes, entry.tags) == ("my note", ["job"])  # the learner's additions are kept


@pytest.mark.parametrize("change, expected", [
    ({"tags": "job"}, "the field “tags” should be a list or empty but is text"),
    ({"notes": {"x": 1}}, "the field “notes” should be text or empty but is an object"),
    ({"override": "diploma"}, "the field “override” must be one of: none, micro-credential, badge"),
    ({"file": 7}, "the field “file” should be text but is a number"),
    ({"sha256": "abc"}, "the field “sha256” is not a SHA-256 digest"),
    ({"tags": ["x" * 500]}, "item 1 of the field “tags” is longer than 200 characters"),
])
def test_a_malformed_entry_is_skipped_with_a_sentence_naming_it(http, w, change, expected):
    good = hosted_badge(http, "ok")
    entries = [{"id": "a", "file": "files/a.png"}, dict({"id": "b", "file": "files/b.png"}, **change)]
    results = w.import_archive(export_zip(index_of(entries), {"files/a.png": good, "files/b.png": b"x"}))
    rejected = [(r.filename, r.message) for r in results if r.status == "rejected"]
    assert rejected == [("index.json entry 2", f"Not restored: {expected}.")]
    assert len(w.entries()) == 1
    assert wallet_cli(["--db", str(w.path), "list"]) == 0  # the wallet still works


@pytest.mark.parametrize("index, expected", [
    (dict(index_of([]), entries="everything"), "the field “entries” should be a list but is text"),
    (dict(index_of([]), portfolios={"p": 1}), "the field “portfolios” should be a list but is an object"),
    ({"format": "badge-wallet-export", "version": 1}, "it has no “entries”"),
])
def test_a_malformed_index_rejects_the_export_with_a_sentence(w, index, expected):
    [result] = w.import_archive(export_zip(index, {}))
    assert result.status == "rejected"
    assert result.message == f"This wallet export cannot be restored: {expected}."


def test_portfolio_links_are_never_restored_active_with_their_old_token(http, tmp_path, w):
    """The attack: a crafted export adds an active, never-expiring link showing e-mails, with a token
    the attacker knows, to a badge the victim already has."""
    png = hosted_badge(http, "victim")
    victim = w.import_file("mine.png", png).entry_id
    token = "attacker-knows-this-token"
    portfolio = {"id": "evil", "title": "Hi", "entry_ids": ["x1"], "token_hash": token_hash(token),
                 "created_at": NOW.isoformat(), "expires_at": None, "revoked_at": None, "show_email": True}
    data = export_zip(index_of([{"id": "x1", "file": "files/x.png"}], [portfolio]), {"files/x.png": png})
    results = w.import_archive(data)
    assert w.open_portfolio(token).status == "unknown"
    assert w.open_portfolio(f"http://localhost:8501/?p={token}").status == "unknown"
    [restored] = w.portfolios()
    assert restored.entry_ids == [victim]  # mapped to the badge already in the wallet
    assert w.portfolio_status(restored) == "revoked" and not restored.show_email and restored.token_hash == ""
    assert any("restored as withdrawn" in r.message for r in results)
    # the learner can make it again: a new token, the e-mail hidden unless chosen
    new, link = w.recreate_portfolio(restored.id)
    assert token not in link and not new.show_email and w.open_portfolio(link).status == "ok"


def test_restore_merges_notes_tags_and_override_into_badges_already_there(http, tmp_path, w):
    png = hosted_badge(http, "both")
    eid = w.import_file("a.png", png).entry_id
    w.set_notes(eid, "kept")
    w.set_tags(eid, ["mine"])
    backup_source = Wallet(tmp_path / "src.json", now=NOW)
    sid = backup_source.import_file("a.png", png).entry_id
    backup_source.set_notes(sid, "from the backup")
    backup_source.set_tags(sid, ["mine", "backup"])
    backup_source.set_override(sid, "micro-credential")
    results = w.import_archive(backup_source.export_zip())
    assert [r.status for r in results] == ["duplicate"]
    assert "merged" in results[0].message and "Badge both" in results[0].message
    entry = w.get(eid)
    assert entry.notes == "kept\n\nfrom the backup"
    assert entry.tags == ["mine", "backup"] and entry.override == "micro-credential"
    w.import_archive(backup_source.export_zip())  # restoring twice adds nothing twice
    assert w.get(eid).notes == "kept\n\nfrom the backup" and w.get(eid).tags == ["mine", "backup"]


def test_an_existing_entry_id_in_the_index_is_not_taken_over(http, w):
    mine = w.import_file("a.png", hosted_badge(http, "first")).entry_id
    other = hosted_badge(http, "second")
    data = export_zip(index_of([{"id": mine, "file": "files/b.png", "notes": "x"}]), {"files/b.png": other})
    [result] = w.import_archive(data)
    assert result.status == "added" and result.entry_id != mine
    assert w.get(mine).notes == "" and len(w.entries()) == 2


def test_one_member_cannot_back_many_entries(http, w):
    """A small zip must not become a huge wallet by naming one file in thousands of entries."""
    png = hosted_badge(http, "many")
    entries = [{"id": f"e{i}", "file": "files/a.png", "notes": "n" * 10_000} for i in range(200)]
    data = export_zip(index_of(entries), {"files/a.png": png})
    results = w.import_archive(data)
    assert sum(r.status == "added" for r in results) == 1
    assert sum("already belongs to another entry" in r.message for r in results) == 199
    assert w.path.stat().st_size < 200_000


def test_caps_on_members_entry_size_total_size_and_index(http):
    png = hosted_badge(http, "cap")
    files = {f"files/{i}.png": png + bytes([i]) * 1000 for i in range(5)}
    entries = [{"id": f"e{i}", "file": f"files/{i}.png"} for i in range(5)]
    data = export_zip(index_of(entries), files)
    members = read_export(data, ExportCaps(max_members=3))
    assert len(members.entries) == 2 and any("more than 3 files" in why for _, why in members.problems)
    per_entry = read_export(data, ExportCaps(max_entry_bytes=len(png) + 10))
    assert per_entry.entries == [] and any("larger than" in why for _, why in per_entry.problems)
    total = read_export(data, ExportCaps(max_total_bytes=3 * (len(png) + 1000) + 500))
    assert len(total.entries) <= 3 and any("unpacks to more than" in why for _, why in total.problems)
    assert read_export(data, ExportCaps(max_index_bytes=10)).startswith(
        "This wallet export cannot be restored: its index.json is larger than")


def test_zip_bomb_index_is_refused_before_it_is_parsed(w):
    huge = json.dumps(index_of([{"id": "a", "file": "f", "notes": "A" * (17 * 1024 * 1024)}]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("index.json", huge)
    assert len(buf.getvalue()) < 100_000
    [result] = w.import_archive(buf.getvalue())
    assert result.status == "rejected" and "larger than" in result.message
    assert not w.path.exists() or w.entries() == []


def test_share_page_offers_a_new_link_for_a_restored_portfolio(http, tmp_path, monkeypatch):

    from streamlit.testing.v1 import AppTest

    source = Wallet(tmp_path / "src.json", now=NOW)
    eid = source.import_file("a.png", hosted_badge(http, "page"))
    _, old_link = source.create_portfolio([eid.entry_id], "For employers")
    target = tmp_path / "restored.json"
    restored = Wallet(target)
    restored.import_archive(source.export_zip())
    [withdrawn] = restored.portfolios()
    monkeypatch.setenv("BADGE_WALLET_DB", str(target))
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_URL", "http://wallet.test")
    at = AppTest.from_file(str(ROOT / "app_pages" / "share_links.py"),
                           default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [b for b in at.button if b.key == f"revoke_{withdrawn.id}"]  # not active
    at.button(key=f"recreate_{withdrawn.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    link = next(c.value for c in at.code if "?p=" in c.value)
    assert link != old_link and restored.open_portfolio(link).status == "ok"
    assert restored.open_portfolio(old_link).status == "unknown"
