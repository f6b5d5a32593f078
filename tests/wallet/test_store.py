"""Wallet storage: de-duplication, atomic and locked writes, crash safety, corrupt files."""
from __future__ import annotations

import json
import multiprocessing
import os
import threading

import pytest
from filelock import FileLock

from wallet.store import AtomicJSONStorage, TinyDBStore, WalletBusyError, WalletCorruptError, atomic_write


def rec(n: int, **extra) -> dict:
    return {"id": "", "badge_id": f"urn:badge:{n}", "sha256": f"{n:064x}", "filename": f"b{n}.png", **extra}


def test_add_assigns_ids_and_refuses_duplicates(tmp_path):
    store = TinyDBStore(tmp_path / "w.json")
    first = store.add_entries([rec(1), rec(2)])
    assert [o.added for o in first] == [True, True]
    assert len({o.id for o in first}) == 2 and all(len(o.id) == 12 for o in first)
    again = store.add_entries([
        rec(1),                                  # same badge id and bytes
        dict(rec(9), badge_id="urn:badge:2"),    # same badge id, other bytes
        dict(rec(8), sha256=f"{2:064x}"),        # same bytes, other id
        dict(rec(7), badge_id=None),             # new
        dict(rec(7), badge_id=None),             # duplicate of the previous one in the same batch
    ])
    assert [o.added for o in again] == [False, False, False, True, False]
    assert again[0].id == first[0].id and again[1].id == first[1].id and again[2].id == first[1].id
    assert again[4].id == again[3].id
    assert len(store.entries()) == 3


def test_update_delete_and_portfolios(tmp_path):
    store = TinyDBStore(tmp_path / "w.json")
    ids = [o.id for o in store.add_entries([rec(1), rec(2)])]
    assert store.update_entries({ids[0]: {"notes": "hi"}, "nope": {"notes": "x"}}) == [ids[0]]
    assert store.get_entry(ids[0])["notes"] == "hi"
    assert "notes" not in store.get_entry(ids[1])
    assert store.delete_entry(ids[1]) and not store.delete_entry(ids[1])
    assert store.get_entry(ids[1]) is None
    out = store.add_portfolios([{"id": "p1", "title": "A"}, {"id": "p1", "title": "B"}])
    assert [o.added for o in out] == [True, False]
    assert store.update_portfolio("p1", {"revoked_at": "2024-01-01T00:00:00+00:00"})
    assert not store.update_portfolio("p2", {"title": "x"})
    assert store.portfolios() == [{"id": "p1", "title": "A", "revoked_at": "2024-01-01T00:00:00+00:00"}]


def test_missing_and_empty_file_is_an_empty_wallet(tmp_path):
    path = tmp_path / "sub" / "w.json"
    store = TinyDBStore(path)
    assert store.entries() == [] and not path.exists()
    store.add_entries([rec(1)])
    assert path.exists() and json.loads(path.read_text())["entries"]
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # a private file, not world-readable


def _add_many(path: str, worker: int, count: int) -> None:
    store = TinyDBStore(path)
    for i in range(count):
        store.add_entries([rec(worker * 1000 + i)])


def test_two_processes_importing_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "w.json")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_many, args=(path, w, 25)) for w in (1, 2, 3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    entries = TinyDBStore(path).entries()
    assert len(entries) == 75
    assert {e["badge_id"] for e in entries} == {f"urn:badge:{w * 1000 + i}" for w in (1, 2, 3) for i in range(25)}


def test_threads_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "w.json"
    threads = [threading.Thread(target=_add_many, args=(str(path), w, 15)) for w in (1, 2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(TinyDBStore(path).entries()) == 60


def test_failed_rename_leaves_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    store.add_entries([rec(1)])
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.add_entries([rec(2)])
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))  # the temp file was cleaned up
    assert len(store.entries()) == 1
    store.add_entries([rec(2)])
    assert len(store.entries()) == 2


def _crash_during_write(path: str) -> None:
    """Die (no cleanup, like a power cut or kill -9) right before the new file replaces the old one."""
    real_replace = os.replace

    def dying_replace(src, dst):
        if str(dst) == path:
            os._exit(9)
        return real_replace(src, dst)

    os.replace = dying_replace
    TinyDBStore(path).add_entries([rec(2)])


def test_process_killed_mid_write_leaves_previous_file_intact(tmp_path):
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    store.add_entries([rec(1)])
    before = path.read_bytes()
    proc = multiprocessing.get_context("spawn").Process(target=_crash_during_write, args=(str(path),))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 9
    assert path.read_bytes() == before
    assert list(tmp_path.glob(".w.json.*.tmp"))  # the dead writer's half-finished file
    assert [e["badge_id"] for e in store.entries()] == ["urn:badge:1"]
    store.add_entries([rec(3)])  # the lock was released by the OS; stale temp files are swept
    assert len(store.entries()) == 2
    assert not list(tmp_path.glob(".w.json.*.tmp"))


def test_previous_version_is_kept_as_backup(tmp_path):
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    store.add_entries([rec(1)])
    first = path.read_bytes()
    store.add_entries([rec(2)])
    assert (tmp_path / "w.json.bak").read_bytes() == first
    assert path.read_bytes() != first


@pytest.mark.parametrize("garbage", [b'{"entries": {"1": {"id": "a"', b"[1, 2, 3]", b'{"entries": 5}', b"\xff\xfe"])
def test_corrupt_file_is_a_clear_error_and_never_overwritten(tmp_path, garbage):
    path = tmp_path / "w.json"
    path.write_bytes(garbage)
    store = TinyDBStore(path)
    with pytest.raises(WalletCorruptError) as err:
        store.entries()
    assert str(path) in str(err.value) and "damaged" in str(err.value) and "left untouched" in str(err.value)
    with pytest.raises(WalletCorruptError):
        store.add_entries([rec(1)])
    with pytest.raises(WalletCorruptError):
        store.update_entries({"x": {"notes": "y"}})
    assert path.read_bytes() == garbage


def test_corrupt_file_error_points_at_the_backup(tmp_path):
    path = tmp_path / "w.json"
    store = TinyDBStore(path)
    store.add_entries([rec(1)])
    store.add_entries([rec(2)])
    path.write_text("{ half a wallet")
    with pytest.raises(WalletCorruptError) as err:
        store.entries()
    assert "w.json.bak" in str(err.value)
    assert AtomicJSONStorage(tmp_path / "w.json.bak").read()["entries"]  # the backup is a readable wallet


def test_busy_lock_gives_a_sentence(tmp_path):
    path = tmp_path / "w.json"
    store = TinyDBStore(path, lock_timeout=0.2)
    holder = FileLock(str(path) + ".lock")
    ready, done = threading.Event(), threading.Event()

    def hold():
        with holder:
            ready.set()
            done.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    ready.wait(10)
    try:
        with pytest.raises(WalletBusyError, match="busy"):
            store.add_entries([rec(1)])
        assert store.entries() == []  # reading needs no lock
    finally:
        done.set()
        t.join()
    store.add_entries([rec(1)])
    assert len(store.entries()) == 1


def test_atomic_write_without_backup(tmp_path):
    target = tmp_path / "out.zip"
    atomic_write(target, b"one", backup=False)
    atomic_write(target, b"two", backup=False)
    assert target.read_bytes() == b"two" and not (tmp_path / "out.zip.bak").exists()
