"""The Wallet facade: import (single, bulk, zip, pasted), de-duplication, re-verification, overrides,
export/import round trip, settings from the environment."""
from __future__ import annotations

import io
import json
import threading
import zipfile

import pytest
from support.wallet_badges import FIXTURES, HEART, NOW, assertion_url, hosted_assertion, hosted_badge, revoke

import wallet.importer
import wallet.service
from verifier import bake_png
from wallet import Wallet, WalletError
from wallet.archive import read_zip
from wallet.settings import settings_from_env

ELM_OB = FIXTURES / "1edtech-dc-bootcamp" / "ELM" / "MC-unsigned-OB.1ob.json"


@pytest.fixture
def w(tmp_path) -> Wallet:
    return Wallet(tmp_path / "wallet.json", now=NOW)


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_import_keeps_original_bytes_report_and_category(http, w):
    data = hosted_badge(http, "robotics", name="Robotics 101")
    result = w.import_file("robotics.png", data)
    assert result.status == "added" and result.verdict == "valid" and result.category == "badge"
    assert result.message == "Added “Robotics 101”: it is genuine."
    entry = Wallet(w.path, now=NOW).get(result.entry_id)  # read back from the file
    assert entry.content == data and entry.filename == "robotics.png" and entry.media_type == "image/png"
    assert entry.name == "Robotics 101" and entry.issuer_name == "Example Skills College"
    assert entry.issuer_origin == "skills.example.edu"
    assert entry.badge_id == assertion_url("robotics")
    assert entry.verdict == "valid" and entry.report["verdict"] == "valid"
    assert any(c["id"] == "hosted-copy" and c["status"] == "pass" for c in entry.report["checks"])
    assert entry.verified_at == NOW and entry.added_at == NOW
    assert entry.reasons and entry.reasons[0].name == "declared" and len(entry.checklist) == 11


def test_duplicates_by_bytes_and_by_assertion_id(http, w):
    assertion = hosted_assertion(http, "dup")
    first = w.import_file("a.png", bake_png(HEART, json.dumps(assertion)))
    again = w.import_file("b.png", bake_png(HEART, json.dumps(assertion)))
    as_json = w.import_file("a.json", json.dumps(assertion, indent=2).encode())
    assert first.status == "added"
    for r in (again, as_json):
        assert r.status == "duplicate" and r.entry_id == first.entry_id
        assert r.message == "Already in wallet: “Badge dup”."
    assert len(w.entries()) == 1


@pytest.mark.parametrize("name, data, words", [
    ("notes.txt", b"just some notes", "not a badge"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "JPEG"),
    ("empty.png", b"", "empty"),
    ("plain.png", HEART, "carries no badge"),
])
def test_not_a_badge_is_not_stored(w, name, data, words):
    result = w.import_file(name, data)
    assert result.status == "rejected" and result.entry_id is None
    assert result.message.startswith("Not stored: ") and words in result.message
    assert w.entries() == []


def test_flagged_badges_are_stored_with_their_verdict(http, w):
    revoked = w.import_file("gone.png", hosted_badge(http, "gone", revoked=True))
    expired = w.import_file("old.png", hosted_badge(http, "old", expires="2025-01-01T00:00:00Z"))
    assert revoked.status == "added" and revoked.verdict == "revoked" and "flagged revoked" in revoked.message
    assert expired.status == "added" and expired.verdict == "expired" and "1 January 2025" in expired.message
    assert {e.verdict for e in w.entries()} == {"revoked", "expired"}
    assert w.entries(verdict="revoked")[0].badge_id == assertion_url("gone")


def test_unsigned_eu_micro_credential_is_kept_and_grouped(w):
    result = w.import_file("MC-unsigned-OB.1ob", ELM_OB.read_bytes())
    assert result.status == "added" and result.verdict != "valid"
    assert result.category == "micro-credential"
    entry = w.get(result.entry_id)
    assert entry.name == "Digital micro-credential creation" and entry.media_type == "application/ld+json"
    assert w.entries(category="micro-credential") == [entry] and w.entries(category="badge") == []


def test_bulk_import_reports_every_file_and_one_bad_file_stops_nothing(http, w):
    files = [("a.png", hosted_badge(http, "a")), ("bad.txt", b"nope"), ("b.png", hosted_badge(http, "b")),
             ("a-again.png", hosted_badge(http, "a")), ("c.png", hosted_badge(http, "c", revoked=True))]
    calls = []
    results = w.import_files(files, progress=lambda done, total, name: calls.append((done, total, name)))
    assert [r.filename for r in results] == ["a.png", "bad.txt", "b.png", "a-again.png", "c.png"]
    assert [r.status for r in results] == ["added", "rejected", "added", "duplicate", "added"]
    assert results[3].entry_id == results[0].entry_id
    assert len(w.entries()) == 3
    assert calls[0] == (0, 5, "a.png") and calls[-1] == (5, 5, "")


def test_bulk_import_writes_in_batches(http, w, monkeypatch):
    monkeypatch.setattr(wallet.importer, "BATCH", 2)
    results = w.import_files([(f"{i}.png", hosted_badge(http, f"n{i}")) for i in range(5)])
    assert [r.status for r in results] == ["added"] * 5
    assert len({r.entry_id for r in results}) == 5 and len(w.entries()) == 5


def test_zip_import_skips_directories_traversal_and_nested_zips(http, w):
    data = zip_of({
        "badges/one.png": hosted_badge(http, "z1"),
        "badges/": b"",
        "../../etc/evil.png": hosted_badge(http, "z2"),
        "/abs.png": hosted_badge(http, "z3"),
        "__MACOSX/._one.png": b"junk",
        "inner.zip": zip_of({"x.png": hosted_badge(http, "z4")}),
        "readme.txt": b"hello",
        "two.json": json.dumps(hosted_assertion(http, "z5")).encode(),
    })
    results = w.import_files([("mine.zip", data)])
    by_name = {r.filename: r for r in results}
    assert by_name["mine.zip/badges/one.png"].status == "added"
    assert by_name["mine.zip/two.json"].status == "added"
    assert by_name["mine.zip/readme.txt"].status == "rejected"
    assert "climbs out" in by_name["mine.zip/../../etc/evil.png"].message
    assert "absolute" in by_name["mine.zip//abs.png"].message
    assert "hidden or system" in by_name["mine.zip/__MACOSX/._one.png"].message
    assert "zips inside zips" in by_name["mine.zip/inner.zip"].message
    assert "mine.zip/badges/" not in by_name
    assert sorted(e.filename for e in w.entries()) == ["one.png", "two.json"]


def test_zip_caps_on_members_member_size_and_total_size():
    many = zip_of({f"{i}.json": b"{}" for i in range(10)})
    capped = read_zip(many, max_members=4)
    assert len(capped.files) == 4 and "more than 4 files" in capped.skipped[-1][1]
    bomb = zip_of({"big.json": b"0" * 5_000_000, "small.json": b"{}"})
    assert len(bomb) < 100_000
    out = read_zip(bomb, max_member_bytes=1_000_000)
    assert [n for n, _ in out.files] == ["small.json"] and "larger than" in out.skipped[0][1]
    total = read_zip(zip_of({"a": b"1" * 600, "b": b"2" * 600, "c": b"3"}), max_member_bytes=1000,
                     max_total_bytes=1000)
    assert [n for n, _ in total.files] == ["a"] and "unpacks to more than" in total.skipped[0][1]
    assert read_zip(b"PK\x03\x04 broken").error.startswith("This zip file cannot be read")


def test_a_lying_zip_header_cannot_inflate_past_the_cap():
    data = bytearray(zip_of({"big.json": b"0" * 200_000}))
    # forge the central directory's uncompressed size to look tiny
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (10).to_bytes(4, "little")
    out = read_zip(bytes(data), max_member_bytes=50_000)
    assert out.files == [] and out.skipped


def test_import_file_refuses_a_zip_and_import_text_takes_a_url(http, w):
    assert w.import_file("x.zip", zip_of({"a.json": b"{}"})).status == "rejected"
    hosted_assertion(http, "pasted", name="Pasted badge")
    result = w.import_text(f"  {assertion_url('pasted')}\n")
    assert result.status == "added" and result.verdict == "valid"
    entry = w.get(result.entry_id)
    assert entry.filename == "Pasted badge.url.txt" and entry.media_type == "text/uri-list"
    assert entry.content == assertion_url("pasted").encode()
    assert w.import_text("   ").status == "rejected"


def test_reverify_sees_a_later_revocation_and_keeps_what_the_badge_was(http, w):
    ok = w.import_file("a.png", hosted_badge(http, "later"))
    other = w.import_file("b.png", hosted_badge(http, "stays"))
    revoke(http, "later")
    results = w.reverify([ok.entry_id])
    assert len(results) == 1 and results[0].changed
    assert results[0].verdict == "revoked" and "was valid and is now revoked" in results[0].message
    entry = w.get(ok.entry_id)
    assert entry.verdict == "revoked" and entry.name == "Badge later"  # name kept from when it was readable
    assert w.get(other.entry_id).verdict == "valid"
    everything = w.reverify()
    assert {r.entry_id: r.verdict for r in everything} == {ok.entry_id: "revoked", other.entry_id: "valid"}
    with pytest.raises(WalletError, match="no badge with id nope"):
        w.reverify(["nope"])


def test_override_tags_notes_persist_and_survive_reverify(http, w):
    eid = w.import_file("a.png", hosted_badge(http, "ov")).entry_id
    w.set_override(eid, "micro-credential")
    w.set_tags(eid, ["robots", " robots ", "", "stem"])
    w.set_notes(eid, "From the summer school.")
    w.reverify()
    entry = Wallet(w.path, now=NOW).get(eid)
    assert entry.category == "badge" and entry.override == "micro-credential"
    assert entry.effective_category == "micro-credential"
    assert "set by you" in entry.effective_reasons[0].sentence.lower()
    assert entry.tags == ["robots", "stem"] and entry.notes == "From the summer school."
    assert [e.id for e in w.entries(category="micro-credential")] == [eid]
    assert w.set_override(eid, None).effective_category == "badge"
    with pytest.raises(WalletError, match="not a category"):
        w.set_override(eid, "diploma")
    with pytest.raises(WalletError):
        w.set_notes("missing", "x")


def test_delete(http, w):
    eid = w.import_file("a.png", hosted_badge(http, "del")).entry_id
    assert w.delete(eid) and w.get(eid) is None and not w.delete(eid)


def test_export_and_import_back_is_lossless(http, w, tmp_path):
    ids = [r.entry_id for r in w.import_files([
        ("a.png", hosted_badge(http, "ex1")), ("b.png", hosted_badge(http, "ex2", revoked=True)),
        ("MC.1ob", ELM_OB.read_bytes())])]
    w.set_override(ids[0], "micro-credential")
    w.set_tags(ids[1], ["withdrawn"])
    w.set_notes(ids[2], "EU pilot — ünïcödé")
    portfolio, link = w.create_portfolio(ids[:2], "For employers", expires_days=30)
    data = w.export_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        index = json.loads(z.read("index.json"))
        assert index["format"] == "badge-wallet-export" and len(index["entries"]) == 3
        assert all("content_b64" not in e for e in index["entries"])
        assert z.read(index["entries"][0]["file"]) == w.get(ids[0]).content

    other = Wallet(tmp_path / "other.json", now=NOW)
    results = other.import_archive(data)
    assert [r.status for r in results] == ["added"] * 4  # three badges + the portfolio, withdrawn
    assert [e.to_record() for e in other.entries()] == [e.to_record() for e in w.entries()]  # verified again
    [restored] = other.portfolios()
    assert restored.entry_ids == portfolio.entry_ids and restored.title == portfolio.title
    assert other.portfolio_status(restored) == "revoked" and restored.token_hash == ""
    assert other.open_portfolio(link).status == "unknown"  # an old link never opens from a backup
    assert "Make it again on the Share page" in results[-1].message
    _, new_link = other.recreate_portfolio(restored.id)
    assert new_link != link and len(other.open_portfolio(new_link).badges) == 2
    assert [r.status for r in other.import_archive(data)][:3] == ["duplicate"] * 3
    # an export dropped into the bulk importer is restored too
    third = Wallet(tmp_path / "third.json", now=NOW)
    assert [r.status for r in third.import_files([("backup.zip", data)])][:3] == ["added"] * 3
    assert third.get(ids[0]).override == "micro-credential"


@pytest.mark.attack
def test_import_archive_rejects_tampered_and_foreign_archives(http, w, tmp_path):
    w.import_file("a.png", hosted_badge(http, "t1"))
    data = w.export_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    index = json.loads(members["index.json"])
    members[index["entries"][0]["file"]] = b"changed"
    other = Wallet(tmp_path / "o.json", now=NOW)
    results = other.import_archive(zip_of(members))
    assert results[0].status == "rejected" and "does not match" in results[0].message
    assert other.entries() == []
    bad_version = zip_of({"index.json": json.dumps({"format": "badge-wallet-export", "version": 99}).encode()})
    assert "version 99" in other.import_archive(bad_version)[0].message
    assert other.import_archive(b"not a zip")[0].message == "This file is not a zip archive."


def test_threads_importing_into_one_wallet_lose_nothing(http, tmp_path):
    path = tmp_path / "shared.json"
    batches = [[(f"{t}-{i}.png", hosted_badge(http, f"t{t}-{i}")) for i in range(4)] for t in range(3)]
    errors = []
    shared = Wallet(path, now=NOW)  # like st.cache_resource: one Wallet object used by several threads

    def run(files):
        try:
            for name, data in files:
                target = shared if files is not batches[2] else Wallet(path, now=NOW)
                assert target.import_file(name, data).status == "added"
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(Wallet(path).entries()) == 12


def test_default_path_is_in_the_user_data_folder_whatever_the_cwd(monkeypatch, tmp_path):
    monkeypatch.delenv("BADGE_WALLET_DB", raising=False)
    monkeypatch.delenv("BADGE_WALLET_DEMO", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    assert Wallet().path == tmp_path / "xdg" / "badge-wallet" / "wallet.json"
    monkeypatch.setenv("BADGE_WALLET_DB", str(tmp_path / "env.json"))
    assert Wallet().path == tmp_path / "xdg" / "badge-wallet" / "wallet.json"  # the library reads no variable
    assert Wallet.from_settings(settings_from_env()).path == tmp_path / "env.json"
    assert Wallet(tmp_path / "arg.json").path == tmp_path / "arg.json"


def test_allow_hosts_from_the_environment_reach_an_intranet_issuer(http, tmp_path, monkeypatch):
    data = hosted_badge(http, "intra", host="http://localhost:8000")
    monkeypatch.delenv("BADGE_WALLET_ALLOW_HOSTS", raising=False)
    blocked = Wallet.from_settings(settings_from_env().with_db(str(tmp_path / "a.json")), now=NOW)
    assert blocked.import_file("i.png", data).verdict == "unverifiable"
    monkeypatch.setenv("BADGE_WALLET_ALLOW_HOSTS", " example.net , localhost:8000 ")
    assert Wallet(tmp_path / "c.json").allow_hosts == []  # the library reads no variable: no private host
    allowed = Wallet.from_settings(settings_from_env().with_db(str(tmp_path / "b.json")), now=NOW)
    assert allowed.allow_hosts == ["example.net", "localhost:8000"]
    assert allowed.import_file("i.png", data).verdict == "valid"


def test_offline_wallet_never_fetches(http, tmp_path):
    data = hosted_badge(http, "off")
    result = Wallet(tmp_path / "w.json", now=NOW, offline=True).import_file("o.png", data)
    assert result.status == "added" and result.verdict == "unverifiable"
    assert len(http.calls) == 0


def test_mirrors_serve_an_issuer_from_a_local_folder(http, tmp_path):
    base = "https://issuer.demo.example/"
    folder = tmp_path / "hosted"
    (folder / "assertions").mkdir(parents=True)
    assertion = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": f"{base}assertions/m.json",
                 "recipient": {"type": "email", "hashed": False, "identity": "a@b.example"},
                 "badge": f"{base}badge.json", "issuedOn": "2024-01-01T00:00:00Z", "verification": {"type": "hosted"}}
    (folder / "assertions" / "m.json").write_text(json.dumps(assertion))
    (folder / "badge.json").write_text(json.dumps({
        "@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": f"{base}badge.json",
        "name": "Mirrored", "description": "d", "image": f"{base}b.png", "criteria": {"narrative": "n"},
        "issuer": f"{base}issuer.json"}))
    (folder / "issuer.json").write_text(json.dumps({
        "@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": f"{base}issuer.json",
        "name": "Demo issuer", "url": base.rstrip("/"), "email": "demo@issuer.demo.example"}))
    w = Wallet(tmp_path / "w.json", now=NOW, mirrors={base: folder})
    result = w.import_file("m.png", bake_png(HEART, json.dumps(assertion)))
    assert result.status == "added" and result.verdict == "valid" and len(http.calls) == 0
    assert Wallet(tmp_path / "none.json", mirrors={}).fetcher().mirrors == {}
    from wallet.demo import DEMO_MIRRORS
    assert Wallet(tmp_path / "default.json").mirrors == {}  # no demo issuer unless demo mode is asked for
    assert Wallet(tmp_path / "demo.json", demo=True).mirrors == DEMO_MIRRORS
