"""The demo set (data/make_demo.py → verifier/demo_data/) verifies and groups exactly as it is meant to, offline."""
from __future__ import annotations

import importlib.util
import json
import shutil
import sys

import pytest
from support.paths import ROOT

from verifier import SafeFetcher, verify
from wallet.demo import DEMO_DIR, DEMO_MIRRORS, demo_files
from wallet.grouping import classify

FILES = demo_files()


def offline_fetcher() -> SafeFetcher:
    """Only the local mirror answers: any real network fetch is refused."""
    return SafeFetcher(offline=True, mirrors=DEMO_MIRRORS)


def test_demo_set_is_complete():
    formats = {f.format for f in FILES}
    verdicts = [f.verdict for f in FILES]
    assert {"ob2-hosted", "ob2-signed", "ob3-di"} <= formats
    assert {"valid", "expired", "revoked"} <= set(verdicts)
    assert sum(f.category == "micro-credential" for f in FILES) >= 2
    assert sum(f.category == "badge" and f.verdict == "valid" for f in FILES) >= 1
    assert {f.path.suffix for f in FILES} == {".png", ".svg"}
    manifest = json.loads((DEMO_DIR / "manifest.json").read_text())
    assert len(FILES) == len(manifest["badges"]), "every manifest entry has its file"


@pytest.mark.parametrize("demo", FILES, ids=[f.filename for f in FILES])
def test_demo_badge_verifies_as_intended(demo):
    report = verify(demo.path.read_bytes(), fetcher=offline_fetcher())
    failing = [(c.id, c.message) for c in report.checks if c.status == "fail"]
    assert report.verdict == demo.verdict, failing
    expected_format = {"ob2-hosted": "ob2-hosted", "ob2-signed": "ob2-signed",
                       "ob3-di": "ob3-data-integrity"}[demo.format]
    assert report.format == expected_format
    if demo.format.startswith("ob2"):
        # Hosted documents came from the local demo copy, and the report says so.
        assert report.check("mirror") is not None and report.check("mirror").status == "warn"
    if report.badge is not None and demo.verdict != "revoked":
        assert report.badge.name == demo.name
        assert report.badge.issuer.name == "Demo University of Badges"
    if report.badge is not None and report.badge.name:
        assert classify(report.badge).category == demo.category


def test_ob3_demo_badges_are_refused_outside_demo_mode():
    """The did:key credentials' signatures check out offline, but their key is public (it ships with the
    source), so outside demo mode (no demo mirror) they are not authentic."""
    ob3 = [f for f in FILES if f.format == "ob3-di"]
    assert ob3
    for demo in ob3:
        report = verify(demo.path.read_bytes(), fetcher=SafeFetcher(offline=True))
        assert report.badge.issuer.id.startswith("did:key:z6Mk")
        assert report.check("signature").status == "pass"
        assert report.verdict == "invalid", [(c.id, c.message) for c in report.checks]


def test_tampered_demo_badge_fails():
    """The demo verdicts are earned: a changed name breaks the signature of the signed demo badge."""
    from verifier.bake import bake_png
    from verifier.unbake import unbake

    signed = next(f for f in FILES if f.format == "ob3-di" and f.path.suffix == ".png")
    data = signed.path.read_bytes()
    credential = json.loads(unbake(data).payload)
    credential["name"] = "Doctor of Everything"
    tampered = bake_png(data, json.dumps(credential), keyword="openbadgecredential")
    assert verify(tampered, fetcher=offline_fetcher()).verdict == "invalid"


def test_make_demo_is_deterministic(tmp_path):
    """Re-running the generator with the committed keys reproduces the committed files byte for byte."""
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "data" / "make_demo.py")
    make_demo = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = make_demo  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(make_demo)
    finally:
        sys.modules.pop("make_demo", None)
    shutil.copytree(ROOT / "data" / "demo" / "keys", tmp_path / "keys")
    manifest = make_demo.build(tmp_path, tmp_path / "keys")
    assert [e["file"] for e in manifest] == [f"badges/{f.filename}" for f in FILES]
    for demo in FILES:
        assert (tmp_path / "badges" / demo.filename).read_bytes() == demo.path.read_bytes(), demo.filename
    for hosted in (DEMO_DIR / "hosted").rglob("*"):
        if hosted.is_file():
            copy = tmp_path / "hosted" / hosted.relative_to(DEMO_DIR / "hosted")
            assert copy.read_bytes() == hosted.read_bytes(), hosted.name
