"""The embedded SQLite store: atomic and locked writes, kill -9, backups, damaged files, blobs, and the
one-time conversion of a TinyDB wallet (kept as a backup, nothing lost)."""
from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support.store_records import rec

from wallet.sqlite_store import SQLITE_MAGIC, SQLiteStore
from wallet.store import CONTENT_REF, DETAILS_REF, TinyDBStore, WalletBusyError, WalletCorruptError

ROOT = Path(__file__).resolve().parents[2]


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


def blob_files(path: Path) -> set[str]:
    root = path.with_name(path.name + ".blobs")
    return {p.name for p in root.glob("*/*")} if root.exists() else set()


def summaries_in_file(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return [json.loads(s) for (s,) in conn.execute("SELECT summary FROM entries ORDER BY seq")]
    finally:
        conn.close()


def test_a_new_wallet_is_a_private_sqlite_file_and_round_trips_every_field(tmp_path):
    path = tmp_path / "sub" / "w.json"
    store = SQLiteStore(path)
    assert store.entries() == [] and store.entry_summaries() == [] and store.portfolios() == []
    assert not path.exists()  # reading creates nothing
    originals = [full(i) for i in range(3)]
    ids = [o.id for o in store.add_entries(originals)]
    assert path.read_bytes()[:16] == SQLITE_MAGIC and oct(path.stat().st_mode & 0o777) == "0o600"
    for entry_id, original in zip(ids, originals, strict=True):
        assert store.get_entry(entry_id) == dict(original, id=entry_id)
    assert store.get_entries([ids[2], "nope", ids[0]]) == [dict(originals[2], id=ids[2]), dict(originals[0], id=ids[0])]
    # the index holds what lists show; bytes, report and checklist are blobs named by their SHA-256
    stored = summaries_in_file(path)
    assert [s["badge"]["name"] for s in stored] == ["Badge 0", "Badge 1", "Badge 2"]
    assert all("content_b64" not in s and "report" not in s and "checklist" not in s for s in stored)
    assert originals[0]["sha256"] in blob_files(path)
    assert store.entry_summaries()[0]["badge"] == {"name": "Badge 0", "id": "urn:badge:0",
                                                   "issuer": {"id": "did:web:issuer.example", "name": "Issuer"}}


def test_add_refuses_duplicates_update_and_delete(tmp_path):
    store = SQLiteStore(tmp_path / "w.json")
    first = store.add_entries([rec(1), rec(2)])
    again = store.add_entries([rec(1), dict(rec(9), badge_id="urn:badge:2"), dict(rec(8), sha256=f"{2:064x}"),
                               dict(rec(7), badge_id=None), dict(rec(7), badge_id=None)])
    assert [o.added for o in again] == [False, False, False, True, False]
    assert again[0].id == first[0].id and again[1].id == first[1].id and again[2].id == first[1].id
    assert store.update_entries({first[0].id: {"notes": "hi"}, "nope": {"notes": "x"}}) == [first[0].id]
    assert store.get_entry(first[0].id)["notes"] == "hi"
    assert store.delete_entry(first[1].id) and not store.delete_entry(first[1].id)
    assert [e["id"] for e in store.entries()] == [first[0].id, again[3].id]


def test_small_updates_leave_blobs_alone_and_dropped_blobs_go_only_after_a_snapshot(tmp_path):
    path = tmp_path / "w.json"
    store = SQLiteStore(path, snapshot_every=0)  # a snapshot before every write
    (entry_id,) = [o.id for o in store.add_entries([full(1)])]
    before = blob_files(path)
    store.update_entries({entry_id: {"notes": "mine", "override": "micro-credential"}})
    assert blob_files(path) == before
    old_details = sqlite3.connect(path).execute("SELECT details_blob FROM entries").fetchone()[0]
    store.update_entries({entry_id: {"report": {"verdict": "revoked", "checks": []}, "verdict": "revoked"}})
    got = store.get_entry(entry_id)
    assert got["report"]["verdict"] == "revoked" and got["notes"] == "mine"
    assert got["badge"]["description"] == "x" * 2000 and got["content_b64"] == full(1)["content_b64"]
    # the backup is the state before the last write and still names the old details: both stay whole
    assert old_details in blob_files(path)
    restored = tmp_path / "restored.json"
    shutil.copy(path.with_name("w.json.bak"), restored)
    shutil.copytree(path.with_name("w.json.blobs"), tmp_path / "restored.json.blobs")
    assert SQLiteStore(restored).get_entry(entry_id)["report"] == full(1)["report"]
    store.update_entries({entry_id: {"notes": "later"}})  # snapshot: no copy names the old details now
    assert old_details not in blob_files(path)
    assert store.get_entry(entry_id)["report"]["verdict"] == "revoked"
    assert store.delete_entry(entry_id)
    store.add_entries([dict(full(5), badge_id="urn:other")])
    store.add_entries([dict(full(6), badge_id="urn:other2")])
    assert full(1)["sha256"] not in blob_files(path)  # the deleted badge's file went too, two writes later


def test_the_backup_is_refreshed_only_now_and_then(tmp_path):
    path = tmp_path / "w.json"
    store = SQLiteStore(path)  # default: at most every 15 minutes
    store.add_entries([rec(1)])
    assert not path.with_name("w.json.bak").exists()  # nothing committed before the first write
    store.add_entries([rec(2)])
    bak = path.with_name("w.json.bak")
    assert bak.read_bytes()[:16] == SQLITE_MAGIC
    assert [e["badge_id"] for e in SQLiteStore(bak).entries()] == ["urn:badge:1"]
    stamp = bak.stat().st_mtime_ns
    store.add_entries([rec(3)])
    assert bak.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("garbage", [b'{"entries": {"1": {"id": "a"', b"[1, 2, 3]", b'{"entries": 5}', b"\xff\xfe",
                                     SQLITE_MAGIC + b"\x00" * 200])
def test_a_damaged_file_is_a_clear_error_and_never_written(tmp_path, garbage):
    path = tmp_path / "w.json"
    path.write_bytes(garbage)
    store = SQLiteStore(path)
    with pytest.raises(WalletCorruptError) as err:
        store.entries()
    assert str(path) in str(err.value) and "damaged" in str(err.value) and "left untouched" in str(err.value)
    with pytest.raises(WalletCorruptError):
        store.add_entries([rec(1)])
    with pytest.raises(WalletCorruptError):
        store.update_entries({"x": {"notes": "y"}})
    assert path.read_bytes() == garbage
    assert not path.with_name("w.json.tinydb.bak").exists()


def test_a_truncated_database_points_at_the_backup(tmp_path):
    path = tmp_path / "w.json"
    store = SQLiteStore(path, snapshot_every=0)
    store.add_entries([full(i) for i in range(40)])
    store.add_entries([rec(1)])
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 3])
    for leftover in ("-wal", "-shm"):
        Path(str(path) + leftover).unlink(missing_ok=True)
    with pytest.raises(WalletCorruptError) as err:
        store.entries()
    assert "w.json.bak" in str(err.value)
    shutil.copy(path.with_name("w.json.bak"), path)  # what the sentence says to do
    assert len(store.entries()) == 40 and store.add_entries([rec(99)])[0].added


def _add_many(path: str, worker: int, count: int) -> None:
    store = SQLiteStore(path)
    for i in range(count):
        store.add_entries([rec(worker * 1000 + i), rec(i)])  # rec(i) is shared: only one writer adds it


def test_processes_and_threads_writing_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "w.json")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_many, args=(path, w, 20)) for w in (1, 2, 3)]
    threads = [threading.Thread(target=_add_many, args=(path, w, 15)) for w in (4, 5)]
    for worker in (*procs, *threads):
        worker.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    for t in threads:
        t.join(120)
    got = sorted(e["badge_id"] for e in SQLiteStore(path).entries())
    expected = sorted({f"urn:badge:{w * 1000 + i}" for w in (1, 2, 3) for i in range(20)}
                      | {f"urn:badge:{w * 1000 + i}" for w in (4, 5) for i in range(15)}
                      | {f"urn:badge:{i}" for i in range(20)})
    assert got == expected  # each once: no loss, no duplicate


def test_a_busy_wallet_gives_a_sentence_and_reads_do_not_wait(tmp_path):
    path = tmp_path / "w.json"
    store = SQLiteStore(path, lock_timeout=0.2)
    store.add_entries([rec(1)])
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WalletBusyError, match="busy"):
            store.add_entries([rec(2)])
        assert len(store.entries()) == 1  # reading needs no lock
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.add_entries([rec(2)])
    assert len(store.entries()) == 2


IMPORTER = """
import sys
from wallet.sqlite_store import SQLiteStore
store = SQLiteStore(sys.argv[1])
for i in range(100000):
    store.add_entries([{"id": "", "badge_id": f"urn:k:{i}", "sha256": f"k{i:063x}", "filename": "x",
                        "content_b64": "aGVsbG8gd29ybGQ=" if i % 2 else "", "report": {"n": i}}])
    print(i, flush=True)
"""


def test_kill_9_of_a_writer_loses_no_committed_entry(tmp_path):
    path = tmp_path / "w.json"
    proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    committed = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(committed) < 30 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed.append(int(line.split()[0]))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    # what it reported before dying but was not read yet (a busy machine lets it run ahead) was committed too
    committed += [int(line.split()[0]) for line in proc.stdout.read().splitlines() if line.strip()]
    assert proc.returncode == -signal.SIGKILL and len(committed) >= 30
    store = SQLiteStore(path)
    stored = [e["badge_id"] for e in store.entries()]  # every one readable, blobs included
    assert {f"urn:k:{i}" for i in committed} <= set(stored)
    assert len(stored) <= len(committed) + 1  # at most the one in flight when it died
    assert store.add_entries([rec(1)])[0].added


def _die_at_rename(path: str, which: str) -> None:
    """Die like kill -9 at the rename of a blob, or of the backup snapshot."""
    real_replace = os.replace

    def dying_replace(src, dst):
        if (which == "blob" and ".blobs" in str(dst)) or (which == "snapshot" and str(dst).endswith(".bak")):
            os._exit(9)
        return real_replace(src, dst)

    os.replace = dying_replace
    SQLiteStore(path, snapshot_every=0).add_entries([full(2)])


@pytest.mark.parametrize("which", ["blob", "snapshot"])
def test_killed_while_writing_blobs_or_the_backup_leaves_a_whole_wallet(tmp_path, which):
    path = tmp_path / "w.json"
    store = SQLiteStore(path)
    (first,) = [o.id for o in store.add_entries([full(1)])]
    proc = multiprocessing.get_context("spawn").Process(target=_die_at_rename, args=(str(path), which))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 9
    assert [e["id"] for e in store.entries()] == [first]
    assert store.get_entry(first)["content_b64"] == full(1)["content_b64"]
    assert list(tmp_path.glob(".w.json.*.tmp")) or list(path.with_name("w.json.blobs").glob(".blob.*.tmp"))
    store.add_entries([full(3)])  # the dead writer's temp files are swept
    assert len(store.entries()) == 2
    assert not list(path.with_name("w.json.blobs").glob(".blob.*.tmp"))
    assert not list(tmp_path.glob(".w.json.*.tmp"))


def test_a_missing_or_altered_blob_is_a_sentence_not_an_empty_badge(tmp_path):
    path = tmp_path / "w.json"
    store = SQLiteStore(path)
    (entry_id,) = [o.id for o in store.add_entries([full(1)])]
    content = path.with_name("w.json.blobs") / full(1)["sha256"][:2] / full(1)["sha256"]
    content.write_bytes(b"swapped")
    with pytest.raises(WalletCorruptError, match="damaged"):
        store.get_entry(entry_id)
    content.unlink()
    with pytest.raises(WalletCorruptError, match="missing"):
        store.entries()
    assert store.entry_summaries()[0]["id"] == entry_id  # the list still opens
    store.update_entries({entry_id: {"content_b64": full(1)["content_b64"]}})
    assert store.get_entry(entry_id)["content_b64"] == full(1)["content_b64"]
    store.update_entries({entry_id: {CONTENT_REF: "0" * 64, DETAILS_REF: "../../etc", "notes": "n"}})
    assert store.get_entry(entry_id)["content_b64"] == full(1)["content_b64"]  # references are never taken


# --- conversion of a TinyDB wallet


def _tinydb_wallet(path: Path) -> tuple[TinyDBStore, list[str]]:
    legacy = TinyDBStore(path)
    ids = [o.id for o in legacy.add_entries([full(1), full(2)])]
    legacy.update_entries({ids[0]: {"report": {"verdict": "revoked", "checks": []}}})  # leaves a dropped blob
    legacy.add_portfolios([{"id": "p1", "title": "T", "token_hash": "h"}])
    legacy.set_setting("display_name", "Ada")
    return legacy, ids


def test_a_tinydb_wallet_is_converted_once_and_kept_as_a_backup(tmp_path):
    path = tmp_path / "w.json"
    legacy, ids = _tinydb_wallet(path)
    before_entries, before_portfolios = legacy.entries(), legacy.portfolios()
    original = path.read_bytes()
    store = SQLiteStore(path)
    assert store.entries() == before_entries  # every field of every badge, in order
    assert store.portfolios() == before_portfolios and store.get_setting("display_name") == "Ada"
    assert path.read_bytes()[:16] == SQLITE_MAGIC
    assert path.with_name("w.json.tinydb.bak").read_bytes() == original  # kept unchanged
    assert not store.migrate()  # once only
    # the TinyDB backup stays whole: the blobs it names survive later writes and snapshots
    store2 = SQLiteStore(path, snapshot_every=0)
    store2.update_entries({ids[1]: {"report": {"verdict": "invalid", "checks": []}}})
    store2.update_entries({ids[1]: {"notes": "x"}})
    store2.delete_entry(ids[0])
    store2.add_entries([rec(9)])
    kept = TinyDBStore(tmp_path / "again.json")
    shutil.copy(path.with_name("w.json.tinydb.bak"), tmp_path / "again.json")
    os.symlink(path.with_name("w.json.blobs"), tmp_path / "again.json.blobs")
    assert kept.entries() == before_entries


def test_an_old_inline_wallet_with_damaged_records_converts_without_loss(tmp_path):
    path = tmp_path / "w.json"
    good = dict(full(1), id="abc123abc123")
    damaged = [{"filename": "no-id.png", "content_b64": "aGk="}, dict(full(2), id="bad000000001", tags="cv"),
               dict(full(3), id="bad000000002", content_b64="not base64!!"), "a string"]
    entries = {str(n): r for n, r in enumerate([good, *damaged], start=1)}
    path.write_text(json.dumps({"entries": entries, "portfolios": {"1": {"id": "p1", "title": "T"}}}))
    store = SQLiteStore(path)
    got = store.entries()
    assert got[0] == good and got[1] == damaged[0] and got[2] == damaged[1] and got[3] == damaged[2]
    assert got[4] == "a string"
    assert [s.get("id") if isinstance(s, dict) else s for s in store.entry_summaries()] == \
        ["abc123abc123", None, "bad000000001", "bad000000002", "a string"]
    assert "content_b64" not in json.dumps(summaries_in_file(path))  # bytes moved to blobs


def test_a_damaged_tinydb_wallet_is_not_converted(tmp_path):
    path = tmp_path / "w.json"
    path.write_text('{"entries": {"1": {"id": "a"')
    with pytest.raises(WalletCorruptError, match="left untouched"):
        SQLiteStore(path).entries()
    assert path.read_text() == '{"entries": {"1": {"id": "a"'
    assert not path.with_name("w.json.tinydb.bak").exists()


def _die_before_conversion_rename(path: str) -> None:
    real_replace = os.replace

    def dying_replace(src, dst):
        if str(dst) == path:
            os._exit(9)
        return real_replace(src, dst)

    os.replace = dying_replace
    SQLiteStore(path).entries()


def test_killed_mid_conversion_leaves_the_tinydb_wallet_converted_next_time(tmp_path):
    path = tmp_path / "w.json"
    legacy, _ = _tinydb_wallet(path)
    before, original = legacy.entries(), path.read_bytes()
    proc = multiprocessing.get_context("spawn").Process(target=_die_before_conversion_rename, args=(str(path),))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 9
    assert path.read_bytes() == original
    assert SQLiteStore(path).entries() == before
    assert not list(tmp_path.glob(".w.json.*.tmp"))


def test_two_processes_opening_a_tinydb_wallet_at_once_convert_it_once(tmp_path):
    path = tmp_path / "w.json"
    _tinydb_wallet(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_many, args=(str(path), w, 5)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    names = [e["filename"] for e in SQLiteStore(path).entries()]
    assert names[:2] == ["b1.png", "b2.png"]
    assert sorted(names[2:]) == sorted([f"b{w * 1000 + i}.png" for w in (1, 2) for i in range(5)] + ["b0.png", "b3.png", "b4.png"])


def test_opening_a_new_wallet_while_its_first_write_is_under_way_waits_instead_of_saying_busy(tmp_path):
    """A brand-new file is not WAL on disk until its first commit; switching to WAL then needs a lock
    SQLite does not wait for. Two programs opening one new wallet at once must not get "busy"."""
    path = tmp_path / "w.json"
    path.touch()
    first = sqlite3.connect(path, isolation_level=None)
    first.execute("BEGIN IMMEDIATE")
    first.execute("CREATE TABLE early (x)")  # the first write holds its lock; nothing committed yet
    store = SQLiteStore(path, lock_timeout=10)
    added: list[BaseException | None] = []

    def add() -> None:
        try:
            store.add_entries([rec(1)])
            added.append(None)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            added.append(exc)

    thread = threading.Thread(target=add)
    thread.start()
    time.sleep(0.3)
    first.execute("COMMIT")
    first.close()
    thread.join(30)
    assert added == [None]
    assert [e["badge_id"] for e in store.entries()] == [rec(1)["badge_id"]]
