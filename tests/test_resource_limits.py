"""Resource limits: JSON that is not JSON (NaN/Infinity), lone surrogates, huge and deep documents."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests

from conftest import fixture_path
from ob2_fixtures import tiny_png
from verifier import safejson, verify
from verifier.bake import bake_png

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)
DCC = fixture_path("digitalcredentials-vc-test-fixtures", "vc", "v2", "dataIntegrityProof", "didKey",
                   "legacyRegistry-noStatus-noExpiry-credName.json")
ROOT = Path(__file__).resolve().parent.parent


def _messages(report) -> str:
    return " ".join(c.message for c in report.checks)


# --- NaN / Infinity ------------------------------------------------------------------------------

@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_with_nan_or_infinity_is_refused(constant):
    text = DCC.read_text().replace('"type": "Image",', f'"type": "Image", "width": {constant},', 1)
    report = verify(text.encode(), now=NOW, offline=True)
    assert report.verdict == "invalid"
    assert f"contains {constant}, which is not a JSON number" in _messages(report)
    with pytest.raises(safejson.UnsafeJson):
        safejson.loads(text)


def test_fetched_document_with_nan_is_refused(http):
    from verifier.fetch import SafeFetcher

    http.get("https://issuer.example/doc.json", body='{"a": NaN}', content_type="application/json")
    data, err = SafeFetcher().get("https://issuer.example/doc.json").json()
    assert data is None and "NaN" in err


# --- lone surrogates -----------------------------------------------------------------------------

@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "x\\uDBFFy"])
def test_lone_surrogate_in_a_text_field_is_refused_not_a_crash(escape):
    text = DCC.read_text().replace('"name": "Parker Pearl"', f'"name": "Parker {escape}Pearl"')
    for data in (text.encode(), bake_png(tiny_png(), text, keyword="openbadgecredential")):
        report = verify(data, now=NOW, offline=True)
        assert report.verdict == "invalid"
        assert "lone UTF-16 surrogate" in _messages(report)
        json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # the report itself is clean


def test_lone_surrogate_in_a_member_name_is_refused():
    with pytest.raises(safejson.UnsafeJson, match="surrogate"):
        safejson.loads('{"\\ud800": 1}')


def test_a_surrogate_pair_is_a_character_and_stays_accepted():
    assert safejson.loads('{"a": "\\ud83c\\udf93 graduate"}') == {"a": "\U0001F393 graduate"}
    assert safejson.loads('{"a": "\\\\ud800"}') == {"a": "\\ud800"}  # an escaped backslash, not an escape


def test_cli_json_output_never_crashes_on_a_surrogate(tmp_path):
    path = tmp_path / "badge.json"
    path.write_text(DCC.read_text().replace('"Parker Pearl"', '"Parker \\ud800"'))
    out = subprocess.run([sys.executable, "-m", "verifier", "--json", "--offline", str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode in (1, 2), out.stderr
    assert "Traceback" not in out.stderr
    assert "surrogate" in json.loads(out.stdout)["checks"][0]["message"]


# --- nesting and size --------------------------------------------------------------------------

def test_depth_limit_is_exact():
    assert safejson.loads("[" * 100 + "]" * 100) is not None
    with pytest.raises(safejson.UnsafeJson, match="nested more than 100 levels"):
        safejson.loads("[" * 101 + "]" * 101)
    with pytest.raises(safejson.UnsafeJson, match="nested more than"):
        safejson.loads('{"a":' * 101 + "1" + "}" * 101)
    assert safejson.too_deep(json.loads("[" * 101 + "]" * 101))
    assert not safejson.too_deep(json.loads("[" * 100 + "]" * 100))


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"a": "[" * 5000 + "{" * 5000, "b": ['\\"[[[', "]]]"]})
    assert safejson.loads(text)["a"].startswith("[[[")


def test_too_many_containers_are_refused_before_parsing():
    with pytest.raises(safejson.UnsafeJson, match="objects and arrays"):
        safejson.loads(json.dumps({"x": [[] for _ in range(safejson.MAX_NODES + 1)]}))


def _padded_credential(shape: str) -> bytes:
    """The DCC credential padded to about 19 MB (the 20 MB file limit is just above)."""
    doc = json.loads(DCC.read_text())
    target = 19 * 1024 * 1024
    text = json.dumps(doc)
    room = target - len(text) - 32
    if shape == "arrays":  # 4.75 million empty arrays: 40 s and 1 GB with a nesting check that walks nodes
        return (text[:-1] + ', "padding": [' + "[]," * (room // 3) + "[]]}").encode()
    if shape == "deep":
        return (text[:-1] + ', "padding": ' + "[" * (room // 2) + "]" * (room // 2) + "}").encode()
    elif shape == "image":
        doc["credentialSubject"]["achievement"]["image"]["id"] = "data:image/png;base64," + "A" * (target - 4096)
    return json.dumps(doc).encode()


@pytest.mark.parametrize("shape", ["arrays", "deep", "image"])
def test_a_19_mb_badge_is_answered_in_under_3_seconds(shape):
    data = _padded_credential(shape)
    assert 18 * 1024 * 1024 < len(data) < 20 * 1024 * 1024
    start = time.perf_counter()
    report = verify(data, now=NOW, offline=True)
    elapsed = time.perf_counter() - start
    assert report.verdict in ("invalid", "unverifiable")
    assert elapsed < 3.0, f"{shape}: {elapsed:.2f} s"
    if shape != "image":
        assert "cannot be read safely" in _messages(report)
    else:
        assert "too complex to check" in _messages(report)


def test_a_19_mb_badge_stays_under_300_mb_of_memory(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(_padded_credential("arrays"))
    script = ("import sys, pathlib; from datetime import datetime, timezone; from verifier import verify\n"
              "r = verify(pathlib.Path(sys.argv[1]).read_bytes(), now=datetime(2026, 3, 1, tzinfo=timezone.utc),"
              " offline=True)\n"
              "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
              "print(r.verdict, int(hwm) // 1024)")
    out = subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    verdict, peak_mb = out.stdout.split()
    assert verdict == "invalid" and int(peak_mb) < 300, out.stdout


# --- a failed fetch is not retried within one verification ---------------------------------------

def test_a_failed_fetch_is_remembered_by_the_fetcher(http):
    from verifier.fetch import SafeFetcher

    http.get("https://down.example/did.json", body=requests.exceptions.ConnectionError("connection refused"))
    http.get("https://gone.example/did.json", status=404)
    fetcher = SafeFetcher()
    for url in ("https://down.example/did.json", "https://gone.example/did.json"):
        first, second = fetcher.get(url), fetcher.get(url)
        assert not first.ok and second is first
    assert len(http.calls) == 2
    fresh = fetcher.sibling()  # the next verification of a batch tries again
    assert not fresh.get("https://down.example/did.json").ok and len(http.calls) == 3


def test_one_verification_asks_an_unreachable_issuer_once(http):
    """A hosted badge whose issuer is down: the verifier needs the assertion URL at two steps (what kind of
    badge it is, then its hosted copy); the second must not wait for the network again."""
    from verifier.fetch import SafeFetcher

    url = "https://badges.down.example/assertions/1.json"
    http.get(url, body=requests.exceptions.ConnectionError("connection timed out"))
    report = verify(url, now=NOW, fetcher=SafeFetcher())
    assert report.verdict == "unverifiable"
    assert [c.request.url for c in http.calls] == [url]
