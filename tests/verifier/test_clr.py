"""CLR 2.0: the record's proof and every nested credential verified by the same verifier, each with its verdict."""
from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from support.clr_records import LEARNER, clr, course, transcript_record
from support.files import fixture_path
from support.wallet_badges import HEART

from verifier import bake_png, verify
from verifier.bake import bake_svg
from verifier.cli import main as cli_main
from verifier.clr import associations, is_clr

NOW = datetime(2025, 1, 1, tzinfo=UTC)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def run(source) -> object:
    return verify(source, now=NOW, offline=True)


def nested_check(report):
    return next(c for c in report.checks if c.id == "nested")


def test_tampered_course_fails_alone_and_the_record_says_which():
    report = run(transcript_record(tampered=True))
    assert report.verdict == "valid"  # the registrar's own signature holds
    assert [(n.role, n.report.verdict, n.report.badge.name) for n in report.nested] == [
        ("achievement", "valid", "Statistics 1"),
        ("achievement", "invalid", "Statistics 2 with honours"),
        ("achievement", "valid", "Data Ethics")]
    check = nested_check(report)
    assert check.status == "warn"
    assert "1 of 3 credential(s) in this record did not verify" in check.message
    assert "“Statistics 2 with honours” (invalid)" in check.message and "Statistics 1" not in check.message
    tampered = report.nested[1].report
    assert any(c.status == "fail" and c.id == "signature" for c in tampered.checks)


def test_untampered_record_passes_every_part():
    report = run(transcript_record())
    assert report.verdict == "valid" and all(n.report.verdict == "valid" for n in report.nested)
    assert nested_check(report).status == "pass"
    assert "Each of the 3 credential(s)" in nested_check(report).message


def test_tampered_record_is_invalid_but_its_courses_keep_their_own_verdicts():
    record = transcript_record()
    record["name"] = "Transcript of someone else"
    report = run(record)
    assert report.verdict == "invalid"
    assert [n.report.verdict for n in report.nested] == ["valid", "valid", "valid"]


def test_cli_json_lists_nested_achievements_with_their_verdicts(tmp_path, capsys):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(transcript_record(tampered=True)))
    code = cli_main(["--json", "--offline", "--now", "2025-01-01T00:00:00Z", str(path)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["verdict"] == "valid"
    assert [(n["role"], n["verdict"]) for n in out["nested"]] == [
        ("achievement", "valid"), ("achievement", "invalid"), ("achievement", "valid")]
    assert out["nested"][1]["badge"]["name"] == "Statistics 2 with honours"
    assert {c["id"] for c in out["nested"][0]["checks"]} >= {"signature", "key-owner"}


@pytest.mark.parametrize("bake", [
    lambda text: bake_png(HEART, text, keyword="openbadgecredential"),
    lambda text: bake_svg(SVG, text, credential=True),
], ids=["png", "svg"])
def test_baked_record_is_read_and_its_courses_verified(bake):
    report = run(bake(json.dumps(transcript_record(tampered=True))))
    assert report.verdict == "valid" and report.checks[0].id == "unbake"
    assert [n.report.verdict for n in report.nested] == ["valid", "invalid", "valid"]


def test_record_as_vc_jwt_with_a_nested_jwt_course():
    from support.vc_jwt import ed25519_did_key, sign

    key, did = ed25519_did_key()
    inner = {"@context": ["https://www.w3.org/ns/credentials/v2",
                          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
             "id": "urn:uuid:jwt-course", "type": ["VerifiableCredential", "AchievementCredential"],
             "issuer": {"id": did, "type": ["Profile"], "name": "JWT College"}, "validFrom": "2024-01-01T00:00:00Z",
             "name": "Logic", "credentialSubject": {"id": LEARNER, "type": ["AchievementSubject"], "achievement": {
                 "id": "urn:uuid:logic", "type": ["Achievement"], "name": "Logic", "criteria": {"narrative": "n"}}}}
    kid = f"{did}#{did.removeprefix('did:key:')}"
    inner_jwt = sign({**inner, "iss": did, "sub": LEARNER, "jti": inner["id"]}, key, "EdDSA", kid=kid)
    record = clr([course(11, "stats-1", "Statistics 1", credits=5), inner_jwt], sign=False)
    record["issuer"] = {"id": did, "type": ["Profile"], "name": "JWT Registrar"}
    token = sign({**record, "iss": did, "sub": LEARNER, "jti": record["id"]}, key, "EdDSA", kid=kid)
    report = run(token)
    assert report.format == "ob3-jwt" and report.verdict == "valid", [c.message for c in report.checks]
    assert [(n.report.format, n.report.verdict) for n in report.nested] == [
        ("ob3-data-integrity", "valid"), ("ob3-jwt", "valid")]


def test_record_inside_a_record_is_not_expanded_twice():
    inner = transcript_record()
    outer = clr([inner, course(11, "stats-1", "Statistics 1", credits=5)], seed=41)
    report = run(outer)
    assert [n.report.verdict for n in report.nested] == ["valid", "valid"]
    inner_report = report.nested[0].report
    assert not inner_report.nested and nested_check(inner_report).status == "skip"


def test_record_without_credentials_says_it_rests_on_the_issuers_word():
    report = run(clr([], sign=True))
    assert report.verdict == "valid" and not report.nested
    assert nested_check(report).status == "warn" and "no credential of its own" in nested_check(report).message


def test_1edtech_sample_record_offline_reports_its_nested_badge():
    record = json.loads(fixture_path("1edtech-digital-credentials-public-validator", "clr20", "simple.json").read_text())
    assert is_clr(record)
    report = run(record)
    assert len(report.nested) == 1 and report.nested[0].role == "achievement"
    assert report.nested[0].report.badge.name == "Teamwork"
    # both keys live at example.edu / example.com, which cannot be reached offline: nothing is claimed
    assert report.verdict == "unverifiable" and report.nested[0].report.verdict == "unverifiable"
    assert associations(record) == [{"type": "isParentOf", "source": "urn:uuid:a7467ef6-56cb-11ec-bf63-0242ac130002",
                                     "target": "urn:uuid:dd887f0a-56cb-11ec-bf63-0242ac130002"}]


def test_1edtech_sample_record_jwt_is_read_as_a_record():
    token = fixture_path("1edtech-digital-credentials-public-validator", "clr20", "simple.jwt").read_text()
    report = run(token)
    assert report.format == "ob3-jwt" and report.verdict != "valid"
    assert any(c.id == "nested" for c in report.checks)
    assert all(n.role == "achievement" for n in report.nested)


def test_many_nested_credentials_are_bounded(monkeypatch):
    import verifier.clr as clr_module

    monkeypatch.setattr(clr_module, "MAX_CREDENTIALS", 2)
    report = run(transcript_record())
    assert len(report.nested) == 2
    assert "1 more credential(s) were not checked" in nested_check(report).message
    assert copy.deepcopy(report.verdict) == "valid"


def test_a_record_is_grouped_as_a_transcript_not_a_micro_credential():
    from wallet.grouping import classify

    report = run(transcript_record())
    g = classify(report.badge)
    assert g.category == "badge" and g.kind == "transcript"
    assert g.reasons[0].sentence.startswith("A Comprehensive Learner Record (CLR 2.0): a transcript of 3 credential(s)")
    nested = [classify(n.report.badge) for n in report.nested]
    # assessed (a grade), 5 credits, a university: each course meets the signal rule on its own
    assert [(n.kind, n.workload.text if n.workload else None) for n in nested] == [
        ("micro-credential", "5 credits"), ("micro-credential", "5 credits"), ("micro-credential", "3 credits")]
    assert nested[2].declared and not nested[0].declared


def test_headline_of_a_genuine_record_with_a_tampered_course_says_so():
    """A recruiter reads the headline alone: it must not call the whole record genuine."""
    from verifier import summarize

    tampered = summarize(run(transcript_record(tampered=True)))
    assert "1 of the 3 credentials inside it did not pass verification" in tampered.headline
    assert "This badge is genuine" not in tampered.headline
    assert tampered.deciding == "nested" and "Statistics 2 with honours" in tampered.reason
    clean = summarize(run(transcript_record()))
    assert "did not pass" not in clean.headline and clean.reason == ""
