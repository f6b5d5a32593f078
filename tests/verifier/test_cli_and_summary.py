"""The verifier CLI's inputs and the plain-words summary."""
import io
import json

from verifier import verify
from verifier.cli import main
from verifier.model import failed, passed
from verifier.report import make_report, summary

NONE_JWS = "eyJhbGciOiJub25lIn0.eyJ1aWQiOiIxIn0."


def test_jws_on_the_command_line_is_verified_not_opened(capsys):
    assert main(["--json", NONE_JWS]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "invalid"
    assert any(c["id"] == "algorithm" and c["status"] == "fail" and "none" in c["message"] for c in out["checks"])


def test_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"some": "bad", "stuff": "to-leak"}')))
    assert main(["-"]) == 2
    assert "not a badge" in capsys.readouterr().out


def test_json_without_badge_fields_is_not_a_badge():
    report = verify({"some": "bad", "stuff": "to-leak"})
    assert report.format == "none" and "not a badge" in summary(report)


def test_summary_names_the_check_that_decided_the_verdict():
    report = make_report("ob2-hosted", [
        failed("hosted-copy", "The issuer's copy could not be fetched.", "unverifiable"),
        failed("structure", "The badge names no recipient."),
        passed("expiry", "No expiry."),
    ])
    assert report.verdict == "invalid"
    assert summary(report).endswith("The badge names no recipient.")


def test_cli_verifies_demo_badges_through_the_demo_mirror(capsys):
    from verifier.demo import DEMO_DIR

    assert main(["--json", "--offline", str(DEMO_DIR / "badges" / "data-analysis.png")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "valid" and out["format"] == "ob2-signed"
    assert any(c["id"] == "mirror" and c["status"] == "warn" for c in out["checks"])
