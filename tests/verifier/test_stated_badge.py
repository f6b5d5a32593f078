"""A report carries the badge as its file states it, even when the verifier could not confirm it, so no
caller has to parse the payload again (the checks still say what was and was not proven)."""
from __future__ import annotations

import json

import responses
from support.wallet_badges import HEART, NOW, hosted_assertion

from verifier import Verdict, bake_png, verify


def test_a_revoked_hosted_assertion_still_shows_what_it_claimed(http):
    assertion = hosted_assertion(http, "gone", revoked=True)
    assertion["badge"] = {"type": "BadgeClass", "id": assertion["badge"], "name": "Stated name",
                          "issuer": {"type": "Issuer", "id": "https://skills.example.edu/issuer.json",
                                     "name": "Stated issuer"}}
    report = verify(bake_png(HEART, json.dumps(assertion)), now=NOW)
    assert report.verdict == Verdict.REVOKED
    assert report.badge is not None and report.badge.name == "Stated name"
    assert report.badge.issuer is not None and report.badge.issuer.name == "Stated issuer"
    assert report.to_dict()["badge"]["name"] == "Stated name"  # the CLI's "badge" key: the claim, as stated


def test_the_stated_badge_is_only_a_claim(http):
    assertion = hosted_assertion(http, "gone2", revoked=True)
    http.upsert(responses.GET, assertion["badge"], status=404)  # nor can its BadgeClass be read
    report = verify(json.dumps(assertion), now=NOW)
    assert report.verdict == Verdict.REVOKED and report.badge is not None
    assert report.badge.id == assertion["id"] and not report.badge.name  # nothing is made up
    assert any(c.status == "fail" for c in report.checks)


def test_not_a_badge_carries_no_badge():
    report = verify(b'{"hello": "world"}', offline=True)
    assert report.format == "none" and report.badge is None
