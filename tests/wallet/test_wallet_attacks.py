"""Adversarial review of wallet/: privacy of portfolio links, export/restore edge cases, hostile input."""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import math
import zipfile

import pytest
from support.ob2_badges import Issuer, sign, tiny_png
from support.wallet_badges import NOW, hosted_assertion, hosted_badge

from verifier.bake import bake_png
from wallet import Wallet, WalletError
from wallet.model import Portfolio

pytestmark = pytest.mark.attack

PLAIN = "alice.private@example.org"


@pytest.fixture
def w(tmp_path, monkeypatch) -> Wallet:
    monkeypatch.delenv("BADGE_WALLET_PUBLIC_URL", raising=False)
    return Wallet(tmp_path / "wallet.json", now=NOW)


def _strings(value) -> str:
    """Every string and every byte string reachable from a public view, joined."""
    if dataclasses.is_dataclass(value):
        return _strings(dataclasses.asdict(value))
    if isinstance(value, dict):
        return " ".join(_strings(k) + " " + _strings(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return " ".join(_strings(v) for v in value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def _contains_email(blob: bytes, email: str) -> bool:
    """The email in the file in clear, or inside any base64url segment (a JWS payload)."""
    if email.encode() in blob:
        return True
    for seg in blob.replace(b".", b" ").replace(b"\x00", b" ").split():
        try:
            if email.encode() in base64.urlsafe_b64decode(seg + b"=" * (-len(seg) % 4)):
                return True
        except (ValueError, TypeError):
            continue
    return False


# --- privacy of portfolio links ------------------------------------------------------------------

def test_signed_badge_with_plain_email_withholds_the_file_when_email_is_hidden(http, w):
    """A JWS hides the email in base64: a plain substring search misses it, the download must not."""
    issuer = Issuer()
    issuer.assertion["recipient"] = {"type": "email", "hashed": False, "identity": PLAIN}
    issuer.serve(http, assertion=False)
    token = sign(issuer.signed_payload(), issuer.private)
    png = bake_png(tiny_png(), token)
    assert PLAIN.encode() not in png and _contains_email(png, PLAIN)
    result = w.import_file("signed.png", png)
    assert result.status == "added" and result.verdict == "valid", result.message
    _, link = w.create_portfolio([result.entry_id], "Jobs")
    [badge] = w.open_portfolio(link).badges
    assert badge.email_hidden and badge.recipient_email is None
    assert badge.content is None and "email" in (badge.download_note or "")
    assert not _contains_email(_strings(badge).encode("utf-8", "replace"), PLAIN)
    # opted in: the file is offered
    _, shown = w.create_portfolio([result.entry_id], "Jobs", show_email=True)
    [badge] = w.open_portfolio(shown).badges
    assert badge.content == png and badge.recipient_email == PLAIN


def test_json_escaped_email_is_also_withheld(http, w):
    assertion = hosted_assertion(http, "esc", email=PLAIN, hashed=False)
    text = json.dumps(assertion).replace("@", "\\u0040")
    png = bake_png(tiny_png(), text)
    assert PLAIN.encode() not in png
    result = w.import_file("esc.png", png)
    assert result.status == "added", result.message
    _, link = w.create_portfolio([result.entry_id], "Jobs")
    [badge] = w.open_portfolio(link).badges
    assert badge.email_hidden and badge.content is None


# --- export / restore ----------------------------------------------------------------------------

def _records(n: int) -> list[dict]:
    out = []
    for i in range(n):
        content = json.dumps(_unsigned_ob3(i)).encode()
        out.append({"id": f"e{i:05d}", "filename": f"b{i}.json", "media_type": "application/json",
                    "content_b64": base64.b64encode(content).decode(), "sha256": hashlib.sha256(content).hexdigest(),
                    "badge_id": f"urn:test:{i}", "badge": {"name": f"Badge {i}"}, "report": {},
                    "verdict": "valid", "format": "ob2-hosted", "verified_at": NOW.isoformat(),
                    "category": "badge", "reasons": [], "checklist": [], "added_at": NOW.isoformat(),
                    "override": None, "tags": [], "notes": ""})
    return out


def _unsigned_ob3(i: int) -> dict:
    """A small OB 3.0 credential without a proof: a badge the wallet stores (flagged), cheap to verify."""
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}", "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "https://issuer.example/", "type": ["Profile"], "name": "Example"},
            "validFrom": "2024-01-01T00:00:00Z", "name": f"Badge {i}",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": "https://issuer.example/a", "type": ["Achievement"], "name": f"Badge {i}",
                "description": "d", "criteria": {"narrative": "n"}}}}


def test_export_of_a_large_wallet_can_be_restored(w, tmp_path):
    """More entries than the zip-of-badges cap (500 members): the export must still restore whole."""
    w.store.add_entries(_records(620))
    data = w.export_zip()
    other = Wallet(tmp_path / "other.json", now=NOW)
    results = other.import_archive(data)
    assert [r.status for r in results].count("added") == 620, {r.message for r in results}
    assert len(other.entries()) == 620
    # verified again, not taken from the index (which claimed "valid" and "ob2-hosted")
    assert {e.format for e in other.entries()} == {"ob3-unsigned"}
    assert "valid" not in {e.verdict for e in other.entries()}


def test_restore_into_a_wallet_that_already_holds_a_badge_keeps_the_portfolio_whole(http, w, tmp_path):
    data_a = hosted_badge(http, "shared")
    data_b = hosted_badge(http, "other")
    ia = w.import_file("a.png", data_a).entry_id
    ib = w.import_file("b.png", data_b).entry_id
    _, link = w.create_portfolio([ia, ib], "Both")
    backup = w.export_zip()

    other = Wallet(tmp_path / "other.json", now=NOW)
    existing = other.import_file("a-again.png", data_a).entry_id
    assert existing != ia
    other.import_archive(backup)
    assert other.open_portfolio(link).status == "unknown"  # withdrawn: never reopened from a backup
    [p] = other.portfolios()
    assert set(p.entry_ids) == {existing, ib}
    _, new_link = other.recreate_portfolio(p.id)
    view = other.open_portfolio(new_link)
    assert view.status == "ok" and view.missing == 0 and len(view.badges) == 2


def test_restored_filenames_are_made_safe(w, tmp_path):
    rec = _records(1)[0]
    rec["filename"] = '../../etc/evil"\r\nX-Injected: 1.png'
    w.store.add_entries([rec])
    other = Wallet(tmp_path / "other.json", now=NOW)
    assert other.import_archive(w.export_zip())[0].status == "added"
    [entry] = other.entries()
    assert "/" not in entry.filename and "\n" not in entry.filename and '"' not in entry.filename
    assert entry.filename.endswith(".png")


def test_zip_of_badges_with_a_foreign_index_json_is_still_imported(http, w):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.json", json.dumps({"files": ["a.png"]}))
        z.writestr("a.png", hosted_badge(http, "zipidx"))
    results = w.import_files([("badges.zip", buf.getvalue())])
    assert any(r.status == "added" for r in results), [r.message for r in results]
    assert len(w.entries()) == 1


def test_restored_portfolio_without_dates_does_not_break_sorting_or_status(w, tmp_path):
    rec = _records(1)[0]
    w.store.add_entries([rec])
    w.store.add_portfolios([{"id": "p1", "title": "Old", "entry_ids": [rec["id"]], "token_hash": "0" * 64}])
    [p] = w.portfolios()
    fresh, _ = w.create_portfolio([rec["id"]], "New")
    ordered = sorted(w.portfolios(), key=lambda p: p.created_at)  # the Share page sorts like this
    assert ordered[0].id == "p1" and w.portfolio_status(p) == "active"
    assert isinstance(Portfolio.from_record({"id": "x"}).created_at.tzinfo, type(NOW.tzinfo))


@pytest.mark.parametrize("days", [1e12, math.inf, math.nan])
def test_absurd_link_expiry_is_a_sentence_not_a_crash(http, w, days):
    eid = w.import_file("a.png", hosted_badge(http, "exp")).entry_id
    with pytest.raises(WalletError):
        w.create_portfolio([eid], "T", expires_days=days)


# --- grouping on each side of the line -----------------------------------------------------------

def _ob2_badge(**kwargs):
    from verifier.model import Badge, Issuer
    defaults = dict(spec_version="2.0", name="Webinar", description="For attending.",
                    issuer=Issuer(id="https://www.uni.ac.uk/badges/issuer", name="Registry office"),
                    raw={"assertion": {}, "badgeclass": {}, "issuer": None})
    return Badge(**{**defaults, **kwargs})


@pytest.mark.parametrize("criteria", [
    "Attend the 3 hours webinar. No assessment is required.",
    "Attend the 3 hours webinar; there is no exam.",
    "Attend the 3 hours webinar (not assessed).",
    "Attend the 3 hours webinar without any test.",
])
def test_criteria_that_rule_out_assessment_do_not_count_as_assessed(criteria):
    """A university webinar with hours stated but no assessment: two signals, a plain badge."""
    from wallet.grouping import classify
    g = classify(_ob2_badge(criteria=criteria))
    found = {s.name: s for s in g.reasons}
    assert not found["assessment"].found, found["assessment"].sentence
    assert g.category == "badge"


def test_a_later_real_assessment_word_still_counts():
    from wallet.grouping import classify
    g = classify(_ob2_badge(criteria="No prior knowledge needed. Pass the final exam (3 hours)."))
    found = {s.name: s for s in g.reasons}
    assert found["assessment"].found and g.category == "micro-credential"
