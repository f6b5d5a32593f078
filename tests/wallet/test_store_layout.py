"""Wallet file layout: a light index plus content-addressed blobs (bytes, reports) beside it."""
from __future__ import annotations

import base64
import hashlib
import json
import shutil

import pytest

from wallet.store import CONTENT_REF, DETAILS_REF, TinyDBStore, WalletCorruptError, summary_record


def full(n: int, size: int = 3000) -> dict:
    content = (b"\x89PNG\r\n\x1a\n" + bytes([n % 256]) * size)
    return {"id": "", "filename": f"b{n}.png", "media_type": "image/png",
            "content_b64": base64.b64encode(content).decode(), "sha256": hashlib.sha256(content).hexdigest(),
            "badge_id": f"urn:badge:{n}", "verdict": "valid", "format": "ob3-data-integrity",
            "badge": {"name": f"Badge {n}", "id": f"urn:badge:{n}", "description": "x" * 2000,
                      "issuer": {"id": "did:web:issuer.example", "name": "Issuer", "image": "data:" + "y" * 500}},
            "report": {"verdict": "valid", "checks": [{"id": "proof", "status": "pass", "message": "ok " * 300}]},
            "checklist": [{"name": "c", "found": True, "sentence": "s" * 200}],
            "reasons": [{"name": "r", "found": False, "sentence": "Not assessed."}],
            "category": "badge", "tags": ["t"], "notes": "", "override": None,
            "verified_at": "2025-01-01T00:00:00+00:00", "added_at": "2025-01-01T00:00:00+00:00"}


def blob_files(path) -> set[str]:
    root = path.with_name(path.name + ".blobs")
    return {p.name for p in root.glob("*/*")} if root.exists() else set()


def test_round_trip_keeps_every_field_and_keeps_bulk_out_of_the_index(tmp_path):
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    originals = [full(i) for i in range(3)]
    ids = [o.id for o in store.add_entries(originals)]
    for entry_id, original in zip(ids, originals, strict=True):
        assert store.get_entry(entry_id) == dict(original, id=entry_id)
    assert [r["id"] for r in store.entries()] == ids
    assert store.get_entries([ids[2], "nope", ids[0]]) == [dict(originals[2], id=ids[2]),
                                                           dict(originals[0], id=ids[0])]
    index = path.read_text()
    assert "content_b64" not in index and "x" * 100 not in index and "ok ok" not in index
    assert len(index) < 1500 * 3 and "Badge 1" in index
    # every blob is named by the SHA-256 of its bytes; the original file is stored byte for byte
    for name in blob_files(path):
        blob = next(path.with_name("w.json.blobs").glob(f"*/{name}")).read_bytes()
        assert hashlib.sha256(blob).hexdigest() == name
    assert originals[0]["sha256"] in blob_files(path)


def test_summaries_are_light_and_match_the_full_records(tmp_path):
    store = TinyDBStore(tmp_path / "w.json")
    ids = [o.id for o in store.add_entries([full(1), full(2)])]
    summaries = store.entry_summaries()
    assert [s["id"] for s in summaries] == ids
    assert summaries[0]["badge"] == {"name": "Badge 1", "id": "urn:badge:1",
                                     "issuer": {"id": "did:web:issuer.example", "name": "Issuer"}}
    assert "report" not in summaries[0] and "content_b64" not in summaries[0]
    assert summaries[0] == summary_record(store.get_entry(ids[0]))


def test_updates_of_small_fields_leave_blobs_alone_and_bulky_updates_replace_them(tmp_path):
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    (entry_id,) = [o.id for o in store.add_entries([full(1)])]
    before = blob_files(path)
    store.update_entries({entry_id: {"notes": "mine", "override": "micro-credential"}})
    assert blob_files(path) == before
    new_report = {"verdict": "revoked", "checks": []}
    store.update_entries({entry_id: {"report": new_report, "verdict": "revoked"}})
    got = store.get_entry(entry_id)
    assert got["report"] == new_report and got["verdict"] == "revoked" and got["notes"] == "mine"
    assert got["badge"]["description"] == "x" * 2000  # the other bulky fields survive a partial update
    assert got["content_b64"] == full(1)["content_b64"]


def test_dropped_blobs_go_only_once_the_backup_no_longer_needs_them(tmp_path):
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    (entry_id,) = [o.id for o in store.add_entries([full(1)])]
    first = json.loads(path.read_text())["entries"]["1"][DETAILS_REF]
    store.update_entries({entry_id: {"report": {"verdict": "invalid", "checks": []}}})
    # the backup is the previous version and still names the first details blob: it stays
    assert first in blob_files(path)
    backup = TinyDBStore(tmp_path / "restored.json")
    shutil.copy(path.with_name("w.json.bak"), tmp_path / "restored.json")
    shutil.copytree(path.with_name("w.json.blobs"), tmp_path / "restored.json.blobs")
    assert backup.get_entry(entry_id)["report"] == full(1)["report"]
    store.update_entries({entry_id: {"notes": "later"}})
    assert first not in blob_files(path)  # neither the file nor its backup names it now
    assert store.get_entry(entry_id)["report"]["verdict"] == "invalid"
    bak = json.loads(path.with_name("w.json.bak").read_text())["entries"]["1"]
    assert {bak[CONTENT_REF], bak[DETAILS_REF]} <= blob_files(path)  # the backup is still whole
    assert store.delete_entry(entry_id)
    store.add_entries([dict(full(5), badge_id="urn:other")])
    store.add_entries([dict(full(6), badge_id="urn:other2")])
    content_1 = full(1)["sha256"]
    assert content_1 not in blob_files(path)  # the deleted badge's file went too, two writes later


def test_a_wallet_of_the_old_inline_layout_is_read_and_moved_to_blobs(tmp_path):
    path = tmp_path / "w.json"
    old = dict(full(1), id="abc123abc123")
    path.write_text(json.dumps({"entries": {"1": old}, "portfolios": {"1": {"id": "p1", "title": "T"}}}))
    store = TinyDBStore(path)
    assert store.get_entry("abc123abc123") == old
    assert store.entry_summaries()[0]["badge"]["name"] == "Badge 1"
    store.add_entries([full(2)])
    index = path.read_text()
    assert "content_b64" not in index and "ok ok" not in index
    assert store.get_entry("abc123abc123") == old
    assert store.portfolios() == [{"id": "p1", "title": "T"}]
    assert "content_b64" in path.with_name("w.json.bak").read_text()  # the backup is the old file


def test_a_missing_or_altered_blob_is_a_sentence_not_an_empty_badge(tmp_path):
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    (entry_id,) = [o.id for o in store.add_entries([full(1)])]
    content = path.with_name("w.json.blobs") / full(1)["sha256"][:2] / full(1)["sha256"]
    content.write_bytes(b"swapped")
    with pytest.raises(WalletCorruptError, match="damaged"):
        store.get_entry(entry_id)
    content.unlink()
    with pytest.raises(WalletCorruptError, match="missing"):
        store.entries()
    assert store.entry_summaries()[0]["id"] == entry_id  # the list still opens
    # writing the same badge again brings its file back
    store.update_entries({entry_id: {"content_b64": full(1)["content_b64"]}})
    assert store.get_entry(entry_id)["content_b64"] == full(1)["content_b64"]


def test_refs_in_an_update_are_ignored(tmp_path):
    store = TinyDBStore(tmp_path / "w.json")
    (entry_id,) = [o.id for o in store.add_entries([full(1)])]
    store.update_entries({entry_id: {CONTENT_REF: "0" * 64, DETAILS_REF: "../../etc", "notes": "n"}})
    got = store.get_entry(entry_id)
    assert got["content_b64"] == full(1)["content_b64"] and got["notes"] == "n"


def _die_at_rename(path: str, which: str) -> None:
    """Die like kill -9 at the rename of a blob (``blob``) or of the index (``index``)."""
    import os
    real_replace = os.replace

    def dying_replace(src, dst):
        if (which == "index" and str(dst) == path) or (which == "blob" and ".blobs" in str(dst)):
            os._exit(9)
        return real_replace(src, dst)

    os.replace = dying_replace
    TinyDBStore(path).add_entries([full(2)])


@pytest.mark.parametrize("which", ["blob", "index"])
def test_killed_while_writing_blobs_or_index_leaves_a_whole_wallet(tmp_path, which):
    import multiprocessing
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    (first,) = [o.id for o in store.add_entries([full(1)])]
    before = path.read_bytes()
    proc = multiprocessing.get_context("spawn").Process(target=_die_at_rename, args=(str(path), which))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 9
    assert path.read_bytes() == before
    assert [e["id"] for e in store.entries()] == [first]
    assert store.get_entry(first)["content_b64"] == full(1)["content_b64"]
    store.add_entries([full(3)])  # the lock is free again; the dead writer's temp files are swept
    assert len(store.entries()) == 2
    assert not list(path.with_name("w.json.blobs").glob(".blob.*.tmp"))
    assert not list(tmp_path.glob(".w.json.*.tmp"))
