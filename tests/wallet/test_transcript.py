"""The learner's transcript: CLR records opened up, verified rows counted, totals, stacks, CSV, the page."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.clr_records import transcript_record
from support.paths import FIXTURES, ROOT
from support.wallet_badges import HEART, baked_ob3_badge

from wallet.service import Wallet
from wallet.transcript import build_transcript, to_csv

APP = str(ROOT / "app.py")
MC = FIXTURES / "microcredentials"


def micro_badge(seed: int, name: str, credits: float) -> bytes:
    """A verified OB 3.0 micro-credential (declared, with credits and an EQF alignment)."""
    return baked_ob3_badge(HEART, seed, credential_id=f"urn:uuid:micro-{seed}", name=name,
                           issuer_name="Open Skills Academy", valid_from="2024-02-01T00:00:00Z",
                           achievement={"id": f"https://academy.example/achievements/{seed}",
                                        "achievementType": "MicroCredential", "creditsAvailable": credits,
                                        "criteria": {"narrative": "Pass the assessment."},
                                        "alignment": [{"type": ["Alignment"], "targetType": "ext:EQF",
                                                       "targetName": "EQF level 5", "targetCode": "5",
                                                       "targetUrl": "http://data.europa.eu/snb/eqf/5"}],
                                        "related": [{"id": "https://academy.example/programmes/data",
                                                     "type": ["Related"], "name": "Data Analyst Programme"}]})


@pytest.fixture
def wallet(tmp_path) -> Wallet:
    w = Wallet(tmp_path / "wallet.json", offline=True)
    results = w.import_files([
        ("record.json", json.dumps(transcript_record(tampered=True)).encode()),
        ("sql.png", micro_badge(21, "SQL for Analysts", 2)),
        # unsigned: a micro-credential by declaration, but nothing proves who issued it
        ("unsigned.json", (MC / "edubadges-microcredential.json").read_bytes()),
    ])
    assert [r.status for r in results] == ["added", "added", "added"], [r.message for r in results]
    return w


def test_transcript_counts_only_verified_rows_and_opens_the_record(wallet):
    t = build_transcript(wallet.entries())
    names = [r.name for r in t.rows]
    assert names == ["Statistics 1", "SQL for Analysts", "Data Ethics", "BSc Psychology"]  # oldest first
    unverified = {r.name: (r.verdict, r.described_only) for r in t.unverified}
    assert unverified["Statistics 2 with honours"] == ("invalid", False)
    assert unverified["Data Ethics in Practice"][0] == "unverifiable"
    # the degree the record only describes rests on the record's own (valid) verdict: listed, not counted
    described = [r for r in t.rows + t.unverified if r.described_only]
    assert [(r.name, r.kind) for r in described] == [("BSc Psychology", "qualification")]
    assert t.counts == {"micro-credential": 3, "qualification": 1}
    assert t.totals == {"credits": 5 + 2 + 3}  # Statistics 1, SQL, Data Ethics; not the tampered course
    record_rows = [r for r in t.rows if r.record]
    assert all(r.record == "Transcript of Ana Learner" for r in record_rows)
    sql = next(r for r in t.rows if r.name == "SQL for Analysts")
    assert sql.level == "EQF 5" and sql.credits == "2 credits" and sql.record is None
    stats = next(r for r in t.rows if r.name == "Statistics 1")
    assert stats.result == "7.5" and stats.issued.year == 2023


def test_stacks_from_record_associations_and_related(wallet):
    t = build_transcript(wallet.entries())
    stacks = {s.target: s for s in t.stacks}
    bsc = stacks["BSc Psychology"]
    assert bsc.members == [("Statistics 1", "isPartOf", True), ("Statistics 2 with honours", "isPartOf", False),
                           ("Data Ethics", "isChildOf", True)]
    assert bsc.earned == {"credits": 8} and bsc.needed.text == "180 credits"
    assert stacks["Data Analyst Programme"].members == [("SQL for Analysts", "related", True)]
    assert t.links == ["Statistics 1 precedes Statistics 2 with honours."]


def test_csv_export_lists_verified_then_unverified_rows(wallet):
    text = to_csv(build_transcript(wallet.entries()))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == "Statistics 1" and rows[0]["status"] == "verified"
    assert rows[0]["credits"] == "5" and rows[0]["unit"] == "credits" and rows[0]["result"] == "7.5"
    assert rows[0]["record"] == "Transcript of Ana Learner"
    tampered = next(r for r in rows if r["name"] == "Statistics 2 with honours")
    assert tampered["status"] == "not verified (invalid)"
    assert next(r for r in rows if r["name"] == "BSc Psychology")["status"] == "verified, described by the record"
    only = list(csv.DictReader(io.StringIO(to_csv(build_transcript(wallet.entries()), include_unverified=False))))
    assert all(r["status"].startswith("verified") for r in only)


def test_csv_cells_cannot_start_a_formula(tmp_path):
    w = Wallet(tmp_path / "w.json", offline=True)
    w.import_files([("x.png", micro_badge(22, "=HYPERLINK(\"http://evil.example\")", 1))])
    text = to_csv(build_transcript(w.entries()))
    assert "'=HYPERLINK" in text


def test_learner_override_to_plain_badge_leaves_the_transcript(wallet):
    sql = next(e for e in wallet.entries() if e.name == "SQL for Analysts")
    wallet.set_override(sql.id, "badge")
    t = build_transcript(wallet.entries())
    row = next(r for r in t.rows if r.name == "SQL for Analysts")  # it still has credits: listed as a badge
    assert row.kind == "badge" and t.counts["micro-credential"] == 2


def test_a_plain_badge_without_credits_is_not_in_the_transcript(tmp_path):
    w = Wallet(tmp_path / "w.json", offline=True)
    w.import_files([("p.png", baked_ob3_badge(HEART, 23, credential_id="urn:uuid:plain", name="Hackathon",
                                              issuer_name="Club", valid_from="2024-01-01T00:00:00Z",
                                              achievement={"criteria": {"narrative": "Show up."}}))])
    t = build_transcript(w.entries())
    assert not t.rows and not t.unverified and t.totals == {}


# --- the pages ---------------------------------------------------------------------------------

@pytest.fixture
def app_db(tmp_path, monkeypatch, wallet) -> Path:
    monkeypatch.setenv("BADGE_WALLET_DB", str(wallet.path))
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_URL", "http://wallet.test")
    monkeypatch.delenv("BADGE_WALLET_ALLOW_HOSTS", raising=False)
    return wallet.path


def page_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning"):
        parts += [str(el.value) for el in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts).replace("\\", "").replace("**", "")


def test_transcript_page_shows_verified_rows_totals_stacks_and_the_rest_apart(app_db):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/transcript.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert "Verified micro-credentials 3" in text and "Verified courses 0" in text
    assert "Also 10 credits whose scheme the issuers do not name" in text
    assert "Counts and totals include only verified achievements" in text
    verified, unverified = at.dataframe[0].value, at.dataframe[1].value
    assert list(verified["Achievement"]) == ["Statistics 1", "SQL for Analysts", "Data Ethics", "BSc Psychology"]
    assert list(verified["Credits"])[:3] == ["5 credits", "2 credits", "3 credits"]
    assert "Statistics 2 with honours" in list(unverified["Achievement"])
    assert "Not verified (2, not counted)" in text
    assert "BSc Psychology: 8 credits of 180 credits verified" in text
    assert "Statistics 2 with honours (isPartOf) — not verified, not counted" in text
    [download] = [b for b in at.get("download_button")]
    assert download.proto.label == "Download the transcript (CSV)"


def test_my_badges_counts_only_verified_micro_credentials(app_db):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # the record itself is a transcript; SQL is a verified micro-credential; the unsigned edubadge is not counted
    assert metrics["Micro-credentials"] == "1"
    assert "and 1 more not verified (not counted)" in page_text(at)


def test_transcript_page_of_an_empty_wallet_says_what_to_do(tmp_path, monkeypatch):
    w = Wallet(tmp_path / "w.json", offline=True)
    w.import_files([("p.png", baked_ob3_badge(HEART, 24, credential_id="urn:uuid:p", name="Plain",
                                              issuer_name="Club", valid_from="2024-01-01T00:00:00Z",
                                              achievement={"criteria": {"narrative": "Show up."}}))])
    monkeypatch.setenv("BADGE_WALLET_DB", str(w.path))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/transcript.py").run()
    assert not at.exception
    assert "No micro-credentials, courses or learner records in your wallet yet" in page_text(at)


def test_a_record_in_my_badges_opens_on_its_transcript(app_db, wallet):
    record = next(e for e in wallet.entries() if e.name == "Transcript of Ana Learner")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.button(key=f"open_{record.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.tabs[0].label == "Transcript"
    text = page_text(at)
    assert "This learner record lists 4 achievement(s)" in text and "1 did not verify" in text
    verified, unverified = at.dataframe[0].value, at.dataframe[1].value
    assert list(verified["Achievement"]) == ["Statistics 1", "Data Ethics", "BSc Psychology"]
    assert list(verified["Type"]) == ["Micro-credential", "Micro-credential", "Qualification"]
    assert list(verified["Result"])[:2] == ["7.5", "9"]
    assert list(unverified["Achievement"]) == ["Statistics 2 with honours"]
    assert list(unverified["Status"]) != ["Verified"]
    assert "BSc Psychology: 8 credits of 180 credits verified" in text


def test_other_badges_have_no_transcript_tab(app_db, wallet):
    sql = next(e for e in wallet.entries() if e.name == "SQL for Analysts")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.button(key=f"open_{sql.id}").click().run()
    assert not at.exception
    assert at.tabs[0].label == "Checks"


def test_check_page_lists_each_credential_of_a_record_with_its_own_verdict(app_db):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/verify_badge.py").run()
    record = json.dumps(transcript_record(tampered=True)).encode()
    at.file_uploader(key="recruiter_file").set_value(("record.json", record, "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert "Inside this learner record: 3 credential(s), each checked on its own" in text
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(lines) == 3
    assert lines[0].startswith("- Statistics 1 — Verified: This badge is genuine")
    assert lines[1].startswith("- Statistics 2 with honours — Failed verification: This badge did not pass")
    assert "altered after signing" in lines[1]
    assert lines[2].startswith("- Data Ethics — Verified: This badge is genuine")
    # The recruiter's headline box is not a plain green for a record with a failed part.
    assert [w.value for w in at.success] == []
    box = " ".join(w.value for w in at.warning)
    assert "Genuine record, some parts failed" in box and "1 of the 3 credentials" in box
