"""Corpus credentials that carry a credentialStatus, verified end to end against their served status lists.

The table (tests/fixtures/status-corpus.json) lists corpus files with a known MANIFEST verdict and the
URLs the source's own tests serve (status lists, did:web documents), all copied into tests/fixtures.
"""
import json
from datetime import UTC, datetime

import pytest
from support.files import fixture_path, load_json

from verifier import verify

CASES = json.loads(fixture_path("status-corpus.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["path"].rsplit("/", 1)[-1] for c in CASES])
def test_corpus_credential_with_status(http, case):
    for url, path in case["urls"].items():
        http.get(url, body=fixture_path(path).read_bytes())
    report = verify(load_json(case["path"]), now=datetime(2026, 3, 1, tzinfo=UTC))
    assert report.verdict == case["expected"], [c.to_dict() for c in report.checks if c.status != "pass"]
    status = [c for c in report.checks if c.id == "revocation"]
    assert status, "a credential with credentialStatus must get a status check"
    if case["expected"] == "revoked":
        assert any(c.outcome == "revoked" and "revoked" in c.message for c in status)


def test_table_covers_revocations():
    assert sum(c["expected"] == "revoked" for c in CASES) >= 20
