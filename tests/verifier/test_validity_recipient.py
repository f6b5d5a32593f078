import hashlib
from datetime import UTC, datetime

from verifier.model import Recipient
from verifier.recipient import recipient_check
from verifier.report import derive_verdict
from verifier.validity import parse_datetime, time_checks

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def test_parse_datetime_forms():
    assert parse_datetime("2016-12-31T23:59:59Z") == datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert parse_datetime("2015-04-01") == datetime(2015, 4, 1, tzinfo=UTC)
    assert parse_datetime(1359217910) == datetime(2013, 1, 26, 16, 31, 50, tzinfo=UTC)
    assert parse_datetime("1359217910").year == 2013
    assert parse_datetime("2020-01-01T00:00:00+02:00").utcoffset().total_seconds() == 7200
    assert parse_datetime("not a date") is None and parse_datetime(None) is None


def test_time_checks_drive_verdicts():
    past, future = datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)
    expired = time_checks(NOW, issued_on=past, expires=past)
    assert derive_verdict(expired) == "expired"
    early = time_checks(NOW, issued_on=future, expires=None)
    assert derive_verdict(early) == "not-yet-valid"
    fine = time_checks(NOW, issued_on=past, expires=future)
    assert [c.status for c in fine] == ["pass", "pass"]
    # No authenticating check: never trivially valid.
    assert derive_verdict(fine) == "unverifiable"


def test_hashed_recipient_match_and_case():
    salt = "deadsea"
    digest = hashlib.sha256(("alice@example.org" + salt).encode()).hexdigest().upper()
    r = Recipient(identity=f"sha256${digest}", type="email", hashed=True, salt=salt)
    assert recipient_check(r, "alice@example.org").status == "pass"
    lowered = recipient_check(r, "Alice@Example.org")
    assert lowered.status == "pass" and "lower case" in lowered.message
    assert recipient_check(r, "bob@example.org").status == "fail"
    assert recipient_check(r, None).status == "skip"


def test_md5_and_plain_recipient():
    r = Recipient(identity="md5$" + hashlib.md5(b"bob@example.org").hexdigest(), type="email", hashed=True)
    assert recipient_check(r, "bob@example.org").status == "pass"
    plain = Recipient(identity="carol@example.org", type="email")
    assert recipient_check(plain, "CAROL@example.org").status == "pass"
    assert recipient_check(plain, "dave@example.org").status == "fail"
