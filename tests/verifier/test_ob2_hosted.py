"""OB 0.5 / 1.0 / 2.0 hosted badges with generated documents, the SSRF guard, the API and the CLI."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import responses
from support.files import fixture_path
from support.ob2_badges import ASSERTION, BADGECLASS, TINY_SVG, Issuer, hashed, tiny_png

from verifier import verify
from verifier.bake import bake_png, bake_svg
from verifier.cli import main
from verifier.fetch import SafeFetcher

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def status(report, check_id):
    check = report.check(check_id)
    return check.status if check else None


@pytest.mark.parametrize("bake", [lambda a: bake_png(tiny_png(), a), lambda a: bake_svg(TINY_SVG, a)])
def test_valid_hosted_baked(http, bake):
    issuer = Issuer()
    issuer.serve(http)
    report = verify(bake(json.dumps(issuer.assertion)), now=NOW, recipient="alice@example.org",
                    fetcher=SafeFetcher())
    assert (report.verdict, report.format) == ("valid", "ob2-hosted"), report.checks
    assert report.check("hosted-copy").authenticates
    assert [status(report, c) for c in ("origin", "badgeclass", "issuer", "structure", "recipient")] == ["pass"] * 5
    badge = report.badge
    assert (badge.name, badge.issuer.name, badge.issuer.email) == ("Robotics Level 1", "Example Robotics School",
                                                                    "badges@issuer.example")
    assert badge.recipient.hashed and badge.recipient.salt == "pepper"
    assert badge.raw["badgeclass"]["id"] == BADGECLASS and badge.badge_class_id == BADGECLASS


def test_hosted_url_only(http):
    issuer = Issuer()
    issuer.serve(http)
    report = verify(ASSERTION, now=NOW)
    assert report.verdict == "valid" and "fetched from its issuer" in report.check("hosted-copy").message


def test_hosted_copy_differs_from_baked_copy(http):
    issuer = Issuer()
    issuer.serve(http)
    baked = {**issuer.assertion, "recipient": {"type": "email", "hashed": True, "salt": "pepper",
                                               "identity": hashed("mallory@example.org")},
             "expires": "2099-01-01T00:00:00Z"}
    report = verify(bake_png(tiny_png(), json.dumps(baked)), now=NOW)
    assert report.verdict == "invalid"
    message = report.check("hosted-copy").message
    assert "recipient" in message and "expires" in message and "altered" in message
    # The report describes the issuer's (canonical) copy, not the altered file.
    assert report.badge.recipient.identity == hashed()


def test_same_dates_in_other_notation_are_not_a_difference(http):
    issuer = Issuer()
    issuer.serve(http)
    baked = {**issuer.assertion, "issuedOn": "2023-03-01T12:00:00+00:00"}
    assert verify(baked, now=NOW).verdict == "valid"


def test_http_410_means_revoked(http):
    issuer = Issuer()
    http.get(ASSERTION, status=410)
    report = verify(bake_png(tiny_png(), json.dumps(issuer.assertion)), now=NOW)
    assert report.verdict == "revoked" and "410" in report.check("revocation").message


def test_http_410_still_names_the_revoked_badge(http):
    issuer = Issuer()
    issuer.serve(http)
    http.replace(responses.GET, ASSERTION, status=410)
    report = verify(bake_png(tiny_png(), json.dumps(issuer.assertion)), now=NOW)
    assert report.verdict == "revoked"
    assert (report.badge.name, report.badge.issuer.name) == ("Robotics Level 1", "Example Robotics School")


def test_revoked_true_means_revoked(http):
    issuer = Issuer()
    issuer.assertion.update(revoked=True, revocationReason="Cheating")
    issuer.serve(http)
    report = verify(ASSERTION, now=NOW)
    assert report.verdict == "revoked" and "Cheating" in report.check("revocation").message


def test_offline_hosted_is_unverifiable(http):
    issuer = Issuer()
    report = verify(json.dumps(issuer.assertion), now=NOW, offline=True)
    assert report.verdict == "unverifiable"
    assert "offline" in report.check("hosted-copy").message
    assert report.badge is not None and len(http.calls) == 0


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1/assertion.json", "loopback"),
    ("http://10.1.2.3/assertion.json", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://intranet.example/a.json", "private"),
])
@pytest.mark.attack
def test_ssrf_assertion_ids_are_refused(http, url, words):
    issuer = Issuer()
    report = verify(json.dumps({**issuer.assertion, "id": url}), now=NOW)
    assert report.verdict == "unverifiable"
    message = report.check("hosted-copy").message
    assert "refused" in message and words in message
    assert len(http.calls) == 0


@pytest.mark.attack
def test_ssrf_redirect_to_metadata_is_refused(http):
    http.get(ASSERTION, status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    report = verify(json.dumps(Issuer().assertion), now=NOW)
    assert report.verdict == "unverifiable" and "refused" in report.check("hosted-copy").message
    assert [c.request.url for c in http.calls] == [ASSERTION]


@pytest.mark.attack
def test_ssrf_in_badgeclass_url_is_refused(http):
    issuer = Issuer()
    issuer.assertion["badge"] = "http://127.0.0.1:8080/badge.json"
    issuer.serve(http)
    report = verify(ASSERTION, now=NOW)
    assert report.verdict == "unverifiable" and "refused" in report.check("badgeclass").message


def test_hosted_on_a_site_the_issuer_does_not_vouch_for(http):
    issuer = Issuer()
    issuer.assertion["id"] = "https://evil.example/assertions/1.json"
    http.get("https://evil.example/assertions/1.json", json=issuer.assertion)
    issuer.serve(http, assertion=False)
    report = verify(issuer.assertion, now=NOW)
    assert report.verdict == "invalid" and status(report, "origin") == "fail"
    assert "evil.example" in report.check("origin").message


def test_allowed_origins_let_a_badge_live_elsewhere(http):
    issuer = Issuer()
    issuer.assertion["id"] = "https://cdn.example/assertions/1.json"
    issuer.profile["verification"] = {"allowedOrigins": ["cdn.example"]}
    http.get("https://cdn.example/assertions/1.json", json=issuer.assertion)
    issuer.serve(http, assertion=False)
    assert verify(issuer.assertion, now=NOW).verdict == "valid"


def test_user_facing_url_leads_to_the_canonical_copy(http):
    issuer = Issuer()
    issuer.serve(http)
    http.get("https://www.badges.example/public/1", json=issuer.assertion)
    report = verify("https://www.badges.example/public/1", now=NOW)
    assert report.verdict == "valid"
    assert ASSERTION in report.check("hosted-copy").message


def test_badgeclass_server_error_is_unverifiable(http):
    issuer = Issuer()
    http.get(ASSERTION, json=issuer.assertion)
    http.get(BADGECLASS, status=500)
    report = verify(ASSERTION, now=NOW)
    assert report.verdict == "unverifiable" and "500" in report.check("badgeclass").message
    assert status(report, "issuer") == "skip"


@pytest.mark.parametrize("changes, verdict, check_id", [
    ({"expires": "2024-01-01T00:00:00Z"}, "expired", "expiry"),
    ({"issuedOn": "2030-01-01T00:00:00Z"}, "not-yet-valid", "issued"),
    ({"issuedOn": "2023-02-30"}, "invalid", "structure"),
])
def test_time_rules(http, changes, verdict, check_id):
    issuer = Issuer()
    issuer.assertion.update(changes)
    issuer.serve(http)
    report = verify(ASSERTION, now=NOW)
    assert report.verdict == verdict and status(report, check_id) == "fail"


def test_ob05_upgrade(http):
    doc = {"recipient": hashed("alice@example.org", "salty"), "salt": "salty", "issued_on": "2012-05-01",
           "expires": "2030-01-01", "evidence": "/work/alice",
           "badge": {"version": "0.5.0", "name": "Old Badge", "image": "/img/b.png", "description": "Vintage.",
                     "criteria": "/criteria", "issuer": {"origin": "https://old.example", "name": "Old Org",
                                                         "contact": "hi@old.example"}}}
    http.get("https://old.example/a/1.json", json=doc)
    report = verify("https://old.example/a/1.json", now=NOW, recipient="alice@example.org")
    assert (report.verdict, report.format) == ("valid", "ob1-hosted"), report.checks
    badge = report.badge
    assert badge.spec_version == "0.5" and badge.recipient.hashed and badge.recipient.salt == "salty"
    assert badge.image == "https://old.example/img/b.png" and badge.criteria_url == "https://old.example/criteria"
    assert (badge.issuer.name, badge.issuer.email) == ("Old Org", "hi@old.example")
    assert badge.expires == datetime(2030, 1, 1, tzinfo=UTC)
    http.get("https://elsewhere.example/a/1.json", json=doc)
    assert verify("https://elsewhere.example/a/1.json", now=NOW).verdict == "invalid"


def test_ob10_upgrade(http):
    assertion = {"uid": "x1", "recipient": {"type": "email", "hashed": False, "identity": "bob@example.org"},
                 "badge": "https://one.example/badge.json", "issuedOn": 1373681532, "evidence": "https://one.example/e",
                 "verify": {"type": "hosted", "url": "https://one.example/a/1.json"}}
    http.get("https://one.example/a/1.json", json=assertion)
    http.get("https://one.example/badge.json", json={
        "name": "One", "description": "d", "image": "https://one.example/i.png", "criteria": "https://one.example/c",
        "issuer": "https://one.example/org.json", "tags": ["t"],
        "alignment": [{"name": "Skill", "url": "https://skills.example/1", "description": "A skill"}]})
    http.get("https://one.example/org.json", json={"name": "One Org", "url": "https://one.example"})
    report = verify(bake_png(tiny_png(), json.dumps(assertion)), now=NOW, recipient="bob@example.org")
    assert (report.verdict, report.format) == ("valid", "ob1-hosted"), report.checks
    badge = report.badge
    assert badge.spec_version == "1.0" and badge.id == "https://one.example/a/1.json"
    assert badge.issued_on == datetime.fromtimestamp(1373681532, tz=UTC)
    assert badge.alignment[0].target_name == "Skill" and badge.alignment[0].target_url == "https://skills.example/1"
    assert badge.evidence == [{"id": "https://one.example/e"}] and badge.issuer.id == "https://one.example/org.json"


def test_signed_type_json_without_address_is_unverifiable():
    report = verify({**Issuer().signed_payload(), "id": "urn:uuid:1"})
    assert report.verdict == "unverifiable" and "signature" in report.check("hosted-copy").message


# --- The CLI ------------------------------------------------------------------------------------------

def test_cli_exit_codes_and_json(http, tmp_path, capsys):
    issuer = Issuer()
    issuer.serve(http)
    good = tmp_path / "good.png"
    good.write_bytes(bake_png(tiny_png(), json.dumps(issuer.assertion)))
    assert main(["--json", "--now", "2024-06-01T00:00:00Z", "--recipient", "alice@example.org", str(good)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"verdict", "format", "checks", "badge", "issuer_identity", "nested", "retry_may_help"}
    assert (out["verdict"], out["format"], out["badge"]["name"]) == ("valid", "ob2-hosted", "Robotics Level 1")
    assert {"id", "status", "message"} <= set(out["checks"][0])

    assert main(["--now", "2024-06-01T00:00:00Z", "--recipient", "eve@example.org", str(good)]) == 1
    assert "INVALID" in capsys.readouterr().out

    assert main(["--offline", str(good)]) == 1
    assert "offline" in capsys.readouterr().out

    plain = tmp_path / "plain.png"
    plain.write_bytes(tiny_png())
    assert main([str(plain)]) == 2


def test_cli_on_corpus_images(http, capsys):
    """``python -m verifier --json`` on real OB2 images: sensible reports, offline ones unverifiable."""
    path = fixture_path("1edtech-openbadges-validator-core", "derived", "baked-2_0_basic_assertion.png")
    for url, name in {"https://example.org/beths-robotics-badge.json": "2_0_basic_assertion.json",
                      "https://example.org/robotics-badge.json": "2_0_basic_badgeclass.json",
                      "https://example.org/organization.json": "2_0_basic_issuer.json"}.items():
        http.get(url, body=fixture_path("1edtech-openbadges-validator-core", "components", name).read_bytes())
    assert main(["--json", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["badge"]["issuer"]["name"] == "An Example Badge Issuer"
    assert main(["--json", str(fixture_path("thomasmore-imd-openbadges-bakery", "mytestbadge.png"))]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "unverifiable" and out["badge"]["name"] == ""
