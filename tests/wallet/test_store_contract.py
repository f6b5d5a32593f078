"""One store test suite, run against every store: SQLite (the embedded default), TinyDB (the earlier
embedded store, still read to convert old wallets) and a real PostgreSQL (hosted). What only one store
has (its file: atomic writes, backups, locks, corrupt files, kill -9) is in test_sqlite_store.py and
test_store.py; the SQL store's own cases (owners, an unreachable server, kill -9) are at the end here."""
from __future__ import annotations

import base64
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from support.paths import ROOT
from support.postgres import fresh_owner
from support.store_records import rec

from wallet.sqlite_store import SQLiteStore
from wallet.store import TinyDBStore, WalletError, WalletStore


@pytest.fixture(params=["sqlite", "tinydb", "postgresql"])
def make_store(request, tmp_path):
    """A factory: make_store(name) is the store of one learner ``name`` in this test's backend."""
    if request.param == "tinydb":
        return lambda name="me": TinyDBStore(tmp_path / f"{name}.json")
    if request.param == "sqlite":
        return lambda name="me": SQLiteStore(tmp_path / f"{name}.json")
    url = request.getfixturevalue("pg_url")
    from wallet.sql_store import SQLStore

    owners: dict[str, str] = {}
    return lambda name="me": SQLStore(url, owners.setdefault(name, fresh_owner(name)))


def test_add_assigns_ids_and_refuses_duplicates(make_store):
    store: WalletStore = make_store()
    assert store.entries() == [] and store.portfolios() == []  # a new wallet is empty
    first = store.add_entries([rec(1), rec(2)])
    assert [o.added for o in first] == [True, True]
    assert len({o.id for o in first}) == 2 and all(len(o.id) == 12 for o in first)
    again = store.add_entries([
        rec(1),                                  # same badge id and bytes
        dict(rec(9), badge_id="urn:badge:2"),    # same badge id, other bytes
        dict(rec(8), sha256=f"{2:064x}"),        # same bytes, other id
        dict(rec(7), badge_id=None),             # new
        dict(rec(7), badge_id=None),             # duplicate of the previous one in the same batch
        dict(rec(6), id=first[0].id),            # same entry id
    ])
    assert [o.added for o in again] == [False, False, False, True, False, False]
    assert again[0].id == first[0].id and again[1].id == first[1].id and again[2].id == first[1].id
    assert again[4].id == again[3].id and again[5].id == first[0].id
    assert [e["id"] for e in store.entries()] == [first[0].id, first[1].id, again[3].id]  # oldest first


def test_records_round_trip_with_their_bytes(make_store):
    store = make_store()
    content = bytes(range(256)) * 3
    record = dict(rec(1), content_b64=base64.b64encode(content).decode(), badge={"name": "Ünïcode ✓"},
                  tags=["a", "b"], notes="", override=None)
    (out,) = store.add_entries([record])
    got = store.get_entry(out.id)
    assert got == dict(record, id=out.id)
    assert base64.b64decode(got["content_b64"]) == content
    assert store.entries() == [got]
    assert store.get_entry("missing") is None


def test_update_delete_and_portfolios(make_store):
    store = make_store()
    h1, h2 = uuid.uuid4().hex, uuid.uuid4().hex  # link hashes are unique across the whole database
    ids = [o.id for o in store.add_entries([rec(1), rec(2)])]
    assert store.update_entries({ids[0]: {"notes": "hi", "tags": ["x"]}, "nope": {"notes": "x"}}) == [ids[0]]
    assert store.get_entry(ids[0])["notes"] == "hi" and store.get_entry(ids[0])["tags"] == ["x"]
    assert "notes" not in store.get_entry(ids[1])
    assert store.update_entries({}) == []
    assert store.delete_entry(ids[1]) and not store.delete_entry(ids[1])
    assert store.get_entry(ids[1]) is None
    # a deleted badge can be imported again
    assert store.add_entries([rec(2)])[0].added
    out = store.add_portfolios([{"id": "p1", "title": "A", "token_hash": h1},
                                {"id": "p1", "title": "B", "token_hash": h2}])
    assert [o.added for o in out] == [True, False]
    assert store.update_portfolio("p1", {"revoked_at": "2024-01-01T00:00:00+00:00"})
    assert not store.update_portfolio("p2", {"title": "x"})
    assert store.portfolios() == [{"id": "p1", "title": "A", "token_hash": h1,
                                   "revoked_at": "2024-01-01T00:00:00+00:00"}]


def test_two_learners_never_see_each_others_data(make_store):
    alice, bob = make_store("alice"), make_store("bob")
    (a,) = alice.add_entries([rec(1, notes="alice's")])
    # the very same badge file in Bob's wallet is his own entry, not a duplicate of Alice's
    (b,) = bob.add_entries([rec(1, notes="bob's")])
    assert a.added and b.added
    ha = uuid.uuid4().hex
    alice.add_portfolios([{"id": "pa", "title": "Alice", "token_hash": ha}])
    assert [e["notes"] for e in alice.entries()] == ["alice's"]
    assert [e["notes"] for e in bob.entries()] == ["bob's"]
    if a.id != b.id:
        assert bob.get_entry(a.id) is None
        assert bob.update_entries({a.id: {"notes": "hacked"}}) == []
        assert not bob.delete_entry(a.id)
    assert bob.portfolios() == [] and not bob.update_portfolio("pa", {"title": "x"})
    assert alice.get_entry(a.id)["notes"] == "alice's" and alice.portfolios()[0]["title"] == "Alice"
    if not isinstance(bob, TinyDBStore | SQLiteStore):
        # in one database, Bob restoring Alice's export cannot take over her link: its hash is refused
        assert not bob.add_portfolios([{"id": "pb", "title": "Bob", "token_hash": ha}])[0].added
        from wallet.sql_store import portfolio_owner

        assert portfolio_owner(bob.url, ha) == alice.owner


def _add_many(factory_args: tuple, worker: int, count: int) -> None:
    kind, where, owner = factory_args
    if kind == "tinydb":
        store = TinyDBStore(where)
    elif kind == "sqlite":
        store = SQLiteStore(where)
    else:
        from wallet.sql_store import SQLStore

        store = SQLStore(where, owner)
    for i in range(count):
        store.add_entries([rec(worker * 1000 + i), rec(i)])  # rec(i) is shared: only one process adds it


def _args(store) -> tuple:
    if isinstance(store, TinyDBStore | SQLiteStore):
        return ("tinydb" if isinstance(store, TinyDBStore) else "sqlite", str(store.path), "")
    return ("pg", store.url, store.owner)


def test_processes_importing_at_once_lose_nothing(make_store):
    store = make_store()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_many, args=(_args(store), w, 20)) for w in (1, 2, 3, 4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    entries = store.entries()
    expected = {f"urn:badge:{w * 1000 + i}" for w in (1, 2, 3, 4) for i in range(20)} | \
               {f"urn:badge:{i}" for i in range(20)}
    assert sorted(e["badge_id"] for e in entries) == sorted(expected)  # each once: no loss, no duplicate


def test_threads_writing_at_once_lose_nothing(make_store):
    store = make_store()
    threads = [threading.Thread(target=_add_many, args=(_args(store), w, 15)) for w in (1, 2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
        assert not t.is_alive()
    expected = {f"urn:badge:{w * 1000 + i}" for w in (1, 2, 3, 4) for i in range(15)} | \
               {f"urn:badge:{i}" for i in range(15)}
    assert sorted(e["badge_id"] for e in store.entries()) == sorted(expected)  # each once


def test_sql_store_refuses_a_missing_owner(pg_url):
    from wallet.sql_store import SQLStore

    with pytest.raises(WalletError, match="owner"):
        SQLStore(pg_url, " ")


def test_unreachable_database_is_a_sentence():
    from wallet.sql_store import SQLStore

    store = SQLStore("postgresql://nobody@127.0.0.1:9/none?connect_timeout=2", "x")
    with pytest.raises(WalletError, match="cannot be reached"):
        store.entries()


IMPORTER = """
import sys
from wallet.sql_store import SQLStore
store = SQLStore(sys.argv[1], sys.argv[2])
for i in range(100000):
    store.add_entries([{"id": "", "badge_id": f"urn:k:{i}", "sha256": f"k{i:063x}", "filename": "x"}])
    print(i, flush=True)
"""


def test_kill_9_of_an_importer_loses_no_committed_entry(pg_url, tmp_path):
    """Every entry the importer reported as committed is there after SIGKILL, and the store still works."""
    owner = fresh_owner("killed")
    proc = subprocess.Popen([sys.executable, "-c", IMPORTER, pg_url, owner], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    committed = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(committed) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed.append(int(line.split()[0]))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    # what it reported before dying but was not read yet (a busy machine lets it run ahead) was committed too
    committed += [int(line.split()[0]) for line in proc.stdout.read().splitlines() if line.strip()]
    assert proc.returncode == -signal.SIGKILL
    assert len(committed) >= 40
    from wallet.sql_store import SQLStore

    store = SQLStore(pg_url, owner)
    stored = {e["badge_id"] for e in store.entries()}
    assert {f"urn:k:{i}" for i in committed} <= stored
    assert len(stored) <= len(committed) + 1  # at most the one in flight when it died
    assert store.add_entries([rec(1)])[0].added


def test_settings_are_per_wallet_and_round_trip(make_store):
    alice, bob = make_store("alice"), make_store("bob")
    assert alice.get_setting("display_name") is None
    alice.set_setting("display_name", "Alice A.")
    alice.set_setting("identities", [{"type": "email", "value": "a@example.org"}])
    alice.set_setting("display_name", "Alice B.")  # replaced, not duplicated
    assert alice.get_setting("display_name") == "Alice B."
    assert alice.get_setting("identities") == [{"type": "email", "value": "a@example.org"}]
    assert bob.get_setting("display_name") is None


def test_summaries_and_batch_reads_match_the_full_records(make_store):
    from wallet.store import entry_summaries, get_entries, summary_record

    store = make_store()
    ids = [o.id for o in store.add_entries([rec(1, badge={"name": "One", "issuer": {"id": "did:x", "name": "X",
                                                                                  "image": "big"}},
                                                 content_b64=base64.b64encode(b"png").decode()), rec(2)])]
    assert entry_summaries(store) == [summary_record(r) for r in store.entries()]
    assert "content_b64" not in entry_summaries(store)[0]
    assert [r["id"] for r in get_entries(store, [ids[1], "missing", ids[0]])] == [ids[1], ids[0]]
    assert get_entries(store, [ids[0]])[0]["content_b64"] == base64.b64encode(b"png").decode()


def test_summaries_of_odd_records_match_the_full_records(make_store):
    """The light read (the SQL store cuts records down in the database) gives exactly summary_record of
    each full record, whatever shape its badge, issuer and report have."""
    from wallet.store import entry_summaries, summary_record

    store = make_store()
    store.add_entries([
        rec(1, badge={"name": "A", "description": "x" * 500, "expires": None,
                      "issuer": {"id": "did:x", "name": "X", "url": None, "image": "data:" + "y" * 500}},
            report={"issuer_identity": {"level": "domain", "domain": "x.example"}, "checks": []}),
        rec(2, badge="a string", report="not a report", issuer_identity={"level": "self-asserted"}),
        rec(3, badge={"issuer": "Harvard", "spec_version": "2.0"}, report={"issuer_identity": None}),
        rec(4, badge={}, report={}, checklist=[{"name": "c"}], reasons=[{"name": "r", "found": True}], tags=["t"]),
        rec(5, issuer_identity={"level": "trusted"}, notes="kept"),
    ])
    assert entry_summaries(store) == [summary_record(r) for r in store.entries()]
