"""The TinyDB wallet file: atomic and locked writes, crash safety, backups, corrupt files, file mode.

What every store must do (ids and de-duplication, updates, portfolios, settings, concurrent writers) is
the shared suite in test_store_contract.py, run against this store too."""
from __future__ import annotations

import json
import multiprocessing
import os
import threading

import pytest
from filelock import FileLock
from support.store_records import rec

from wallet.store import AtomicJSONStorage, TinyDBStore, WalletBusyError, WalletCorruptError, atomic_write


def test_missing_and_empty_file_is_an_empty_wallet(tmp_path):
    path = tmp_path / "sub" / "w.json"
    store = TinyDBStore(path)
    assert store.entries() == [] and not path.exists()
    store.add_entries([rec(1)])
    assert path.exists() and json.loads(path.read_text())["entries"]
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # a private file, not world-readable


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
