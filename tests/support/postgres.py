"""The PostgreSQL the hosted-mode tests use: ``$BADGE_WALLET_TEST_DB`` (``.ci/run`` starts one).

Locally the tests that need it skip when it is not set; in CI (``CI=true``) a missing database is an
error, so the hosted store is never silently untested there. Each test works under fresh owner ids,
so tests never see each other's rows and no table needs emptying.
"""
from __future__ import annotations

import os
import uuid

import pytest

TEST_DB_ENV = "BADGE_WALLET_TEST_DB"


def database_url() -> str | None:
    url = os.environ.get(TEST_DB_ENV, "").strip()
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the PostgreSQL tests: ${TEST_DB_ENV} is not set (see .ci/run).")
    pytest.skip(f"no PostgreSQL for the hosted-mode tests (set ${TEST_DB_ENV}, see .ci/postgres)")
    return None  # not reached


_migrated: set[str] = set()


def migrated_database_url() -> str:
    """A migrated PostgreSQL database URL (the ``pg_url`` fixture in conftest); skips without one."""
    url = database_url()
    assert url is not None
    if url not in _migrated:
        from wallet.migrate import migrate

        migrate(url)
        _migrated.add(url)
    return url


def fresh_owner(label: str = "learner") -> str:
    return f"https://idp.test {label}-{uuid.uuid4().hex[:10]}"
