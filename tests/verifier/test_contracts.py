"""The public contract: one vocabulary of check ids, typed verdicts and formats, a frozen report."""
import dataclasses
import json

import pytest
from support.paths import FIXTURES

import verifier
from verifier import CHECK_INFO, CheckId, Format, Report, Verdict, check_label, summarize, verify
from verifier.checks import parse_id


def test_every_check_id_has_a_label_and_an_explanation():
    assert set(CHECK_INFO) == set(CheckId)
    for info in CHECK_INFO.values():
        assert info.label and info.explains.endswith(".")


def test_legacy_ids_of_old_wallet_records_get_the_new_labels():
    assert parse_id("proof") is CheckId.SIGNATURE and parse_id("key-binding") is CheckId.KEY_OWNER
    assert check_label("proof") == check_label("signature") == "Signature"
    assert check_label("not-an-id") == "not-an-id"


def _corpus_reports():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in (".json", ".png", ".svg", ".jwt") and path.stat().st_size < 200_000:
            yield path, verify(path.read_bytes(), offline=True)


def test_every_emitted_check_id_is_in_the_vocabulary_and_verdicts_are_typed():
    seen = set()
    for path, report in _corpus_reports():
        assert isinstance(report.verdict, Verdict), path
        assert isinstance(report.format, Format), path
        for check in report.checks:
            assert isinstance(check.id, CheckId), (path, check.id)
            seen.add(check.id)
    assert {CheckId.SIGNATURE, CheckId.KEY_OWNER, CheckId.CONTEXT} <= seen


def test_report_is_frozen_and_its_json_has_the_contract_keys():
    report = verify(b"not a badge", offline=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.verdict = Verdict.VALID  # type: ignore[misc]
    out = json.loads(json.dumps(report.to_dict()))
    assert {"verdict", "format", "checks", "badge", "issuer_identity", "nested"} <= set(out)
    assert out["format"] == "none" and out["nested"] == []


def test_summary_is_structured_headline_and_deciding_check():
    report = verify(b"not a badge", offline=True)
    s = summarize(report)
    assert s.headline == "" and s.reason and s.deciding == "unbake"
    assert verifier.summary(report) == s.text


def test_public_api_lists_only_what_it_exports():
    for name in verifier.__all__:
        assert hasattr(verifier, name), name
    assert issubclass(Report, object) and Verdict.VALID == "valid"
