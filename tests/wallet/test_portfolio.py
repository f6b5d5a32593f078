"""Portfolio links: tokens and hashes, the public view model, expiry and revocation, QR, LinkedIn."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from support.wallet_badges import EMAIL, NOW, hosted_badge, revoke

from wallet import Wallet, WalletError
from wallet.linkedin import linkedin_add_url
from wallet.portfolio import badge_link, token_from, token_hash
from wallet.settings import settings_from_env


@pytest.fixture
def w(tmp_path, monkeypatch) -> Wallet:
    monkeypatch.delenv("BADGE_WALLET_PUBLIC_URL", raising=False)
    return Wallet(tmp_path / "wallet.json", now=NOW)


def add(w: Wallet, http, slug: str, **kwargs) -> str:
    result = w.import_file(f"{slug}.png", hosted_badge(http, slug, name=f"Badge {slug}", **kwargs))
    assert result.status == "added"
    return result.entry_id


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["p"][0]


def test_link_has_a_strong_token_and_only_its_hash_is_stored(http, w):
    eid = add(w, http, "a")
    portfolio, link = w.create_portfolio([eid], "  ", expires_days=None)
    assert link.startswith("http://localhost:8501/?p=")
    token = token_of(link)
    assert len(token) >= 43  # 32 random bytes, base64url
    assert portfolio.token_hash == token_hash(token) and portfolio.title == "My badges"
    stored = b"".join(f.read_bytes() for f in w.path.parent.glob(w.path.name + "*") if f.is_file())  # file, WAL
    assert token.encode() not in stored
    assert portfolio.token_hash.encode() in stored
    _, second = w.create_portfolio([eid], "Again")
    assert token_of(second) != token


def test_public_url_comes_from_the_environment(http, w, monkeypatch, tmp_path):
    monkeypatch.setenv("BADGE_WALLET_PUBLIC_URL", "https://wallet.example.net/app/")
    _, plain = w.create_portfolio([add(w, http, "plain")], "T")
    assert plain.startswith("http://localhost:8501/?p=")  # the library reads no variable
    configured = Wallet.from_settings(settings_from_env().with_db(str(tmp_path / "env.json")), now=NOW)
    _, link = configured.create_portfolio([add(configured, http, "env")], "T")
    assert link.startswith("https://wallet.example.net/app/?p=")


def test_public_view_shows_only_the_chosen_badges_verified_now(http, w):
    a, b, c = add(w, http, "a"), add(w, http, "b"), add(w, http, "secret")
    w.set_notes(c, "private note")
    w.set_tags(a, ["private-tag"])
    portfolio, link = w.create_portfolio([a, b], "Robotics", expires_days=10)
    w.now = NOW + timedelta(minutes=5)  # older than the page's cache: checked again
    calls = len(http.calls)
    view = w.open_portfolio(link)  # the full link works as well as the token
    assert len(http.calls) > calls and all(x.freshness == "now" for x in view.badges)
    assert view.status == "ok" and view.title == "Robotics" and view.missing == 0
    assert [x.name for x in view.badges] == ["Badge a", "Badge b"]
    text = repr(view)
    assert "secret" not in text and "private note" not in text and "private-tag" not in text
    first = view.badges[0]
    assert first.verdict == "valid" and first.issuer_name == "Example Skills College"
    assert first.issuer_origin == "skills.example.edu" and first.category == "badge"
    assert first.issued_on == datetime(2024, 3, 15, 10, tzinfo=UTC) and not first.expired
    assert first.content == w.get(a).content and first.filename == "a.png" and first.media_type == "image/png"
    assert any(ch["id"] == "hosted-copy" for ch in first.checks)
    assert "link that expires, not the badges" in view.link_note
    calls = len(http.calls)
    again = w.open_portfolio(token_of(link))
    assert again.status == "ok" and len(http.calls) == calls  # a second view within the cache time
    assert all(x.freshness == "cached" and x.checked_at == w.now for x in again.badges)
    w.now += timedelta(minutes=3)
    assert w.open_portfolio(link).status == "ok" and len(http.calls) > calls  # verified again once stale


def test_public_view_reflects_a_revocation_made_after_sharing(http, w):
    eid = add(w, http, "rv")
    _, link = w.create_portfolio([eid], "T")
    revoke(http, "rv")
    w.now = NOW + timedelta(minutes=3)  # the revocation shows once the cached result is older than 2 minutes
    badge = w.open_portfolio(link).badges[0]
    assert badge.verdict == "revoked" and badge.name == "Badge rv"
    assert badge.issuer_origin == "skills.example.edu"  # what the badge was is kept from the wallet


def test_expired_badge_can_be_shared_and_is_marked(http, w):
    eid = add(w, http, "old", expires="2025-01-01T00:00:00Z")
    _, link = w.create_portfolio([eid], "T")
    badge = w.open_portfolio(link).badges[0]
    assert badge.expired and badge.verdict == "expired"
    assert badge.expires == datetime(2025, 1, 1, tzinfo=UTC)


def test_recipient_email_is_hidden_unless_the_learner_opts_in(http, w):
    eid = add(w, http, "mail", hashed=False)
    _, hidden_link = w.create_portfolio([eid], "Hidden")
    hidden = w.open_portfolio(hidden_link).badges[0]
    assert hidden.email_hidden and hidden.recipient_email is None
    assert EMAIL not in repr(w.open_portfolio(hidden_link)).lower()
    assert hidden.content is None and "email" in hidden.download_note
    _, shown_link = w.create_portfolio([eid], "Shown", show_email=True)
    shown = w.open_portfolio(shown_link).badges[0]
    assert shown.recipient_email == EMAIL and not shown.email_hidden
    assert shown.content == w.get(eid).content and shown.download_note is None


def test_hashed_email_badge_keeps_its_download(http, w):
    eid = add(w, http, "hashed")
    _, link = w.create_portfolio([eid], "T")
    badge = w.open_portfolio(link).badges[0]
    assert not badge.email_hidden and badge.content is not None


def test_expired_link_gives_a_clear_status(http, w):
    eid = add(w, http, "x")
    _, link = w.create_portfolio([eid], "T", expires_days=1)
    w.now = NOW + timedelta(days=2)
    view = w.open_portfolio(link)
    assert view.status == "expired" and view.badges == []
    assert "expired on 2 June 2025" in view.message and "not the badges" in view.message
    assert w.portfolio_status(w.portfolios()[0]) == "expired"


@pytest.mark.parametrize("how", ["token", "link", "id"])
def test_revoked_link_gives_a_clear_status(http, w, how):
    eid = add(w, http, "r")
    portfolio, link = w.create_portfolio([eid], "T")
    key = {"token": token_of(link), "link": link, "id": portfolio.id}[how]
    revoked = w.revoke_portfolio(key)
    assert revoked.id == portfolio.id and revoked.revoked_at == NOW
    view = w.open_portfolio(link)
    assert view.status == "revoked" and "withdrawn" in view.message and view.badges == []
    assert w.portfolio_status(w.portfolios()[0]) == "revoked"


@pytest.mark.parametrize("token", ["", "   ", "nonsense", "http://localhost:8501/?p=", "http://localhost:8501/?q=1"])
def test_unknown_link_is_a_status_not_an_error(http, w, token):
    add(w, http, "u")
    w.create_portfolio([w.entries()[0].id], "T")
    view = w.open_portfolio(token)
    assert view.status == "unknown" and "not valid" in view.message and view.badges == []


def test_revoke_and_create_errors_are_sentences(http, w):
    eid = add(w, http, "e")
    with pytest.raises(WalletError, match="No portfolio link"):
        w.revoke_portfolio("nothing")
    with pytest.raises(WalletError, match="at least one badge"):
        w.create_portfolio([], "T")
    with pytest.raises(WalletError, match="no badge with id zzz"):
        w.create_portfolio([eid, "zzz"], "T")
    with pytest.raises(WalletError, match="positive"):
        w.create_portfolio([eid], "T", expires_days=0)


def test_deleted_badge_disappears_from_the_portfolio(http, w):
    a, b = add(w, http, "d1"), add(w, http, "d2")
    _, link = w.create_portfolio([a, b], "T")
    w.delete(b)
    view = w.open_portfolio(link)
    assert [x.name for x in view.badges] == ["Badge d1"] and view.missing == 1


def test_token_from_link_or_text():
    assert token_from("https://x.example/?p=abc-_1") == "abc-_1"
    assert token_from("  abc  ") == "abc"


def test_qr_code_png_and_svg(w):
    link = "http://localhost:8501/?p=" + "A" * 43
    png = w.qr_code(link)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    assert image.width == image.height and image.width >= 100
    assert b"<svg" in w.qr_code(link, "svg")
    with pytest.raises(WalletError):
        w.qr_code(link, "gif")


def test_linkedin_url_encodes_every_value():
    url = linkedin_add_url("Data & Society: 101", "Uni of A/B", issued=datetime(2024, 3, 15, tzinfo=UTC),
                           cert_url="https://x.example/?p=a&b=c", cert_id="urn:uuid:1")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert "Data%20%26%20Society%3A%20101" in parts.query and "Uni%20of%20A%2FB" in parts.query
    assert "https%3A%2F%2Fx.example%2F%3Fp%3Da%26b%3Dc" in parts.query
    assert parse_qs(parts.query) == {"startTask": ["CERTIFICATION_NAME"], "name": ["Data & Society: 101"],
                                     "organizationName": ["Uni of A/B"], "issueYear": ["2024"],
                                     "issueMonth": ["3"], "certUrl": ["https://x.example/?p=a&b=c"],
                                     "certId": ["urn:uuid:1"]}
    bare = parse_qs(urlsplit(linkedin_add_url("N", "O")).query)
    assert bare == {"startTask": ["CERTIFICATION_NAME"], "name": ["N"], "organizationName": ["O"]}


def test_wallet_linkedin_url_uses_the_one_badge_page_and_only_for_valid_badges(http, w):
    eid = add(w, http, "li")
    assert w.linkedin_url(eid) is None  # no page to point at: a raw JSON address means nothing on LinkedIn
    _, link = w.create_portfolio([eid], "One badge")
    page = badge_link(link, eid)
    q = parse_qs(urlsplit(w.linkedin_url(eid, cert_url=page)).query)
    assert q["name"] == ["Badge li"] and q["organizationName"] == ["Example Skills College"]
    assert q["issueYear"] == ["2024"] and q["issueMonth"] == ["3"] and q["certUrl"] == [page]
    view = w.open_portfolio(page)
    assert view.status == "ok" and view.single and [b.entry_id for b in view.badges] == [eid]
    revoke(http, "li")
    w.reverify([eid])
    assert w.get(eid).verdict == "revoked" and w.linkedin_url(eid, cert_url=page) is None


def test_one_badge_page_only_opens_badges_of_that_portfolio(http, w):
    a, b = add(w, http, "one"), add(w, http, "two")
    _, link = w.create_portfolio([a], "Only a")
    assert w.open_portfolio(badge_link(link, a)).status == "ok"
    assert w.open_portfolio(badge_link(link, b)).status == "unknown"  # b is in the wallet, not in this link
    assert w.open_portfolio(link, badge=b).status == "unknown"


def test_tokens_never_start_with_a_dash(monkeypatch):
    """A token like "-abc" would read as an option in ``python -m wallet revoke TOKEN``."""
    import secrets as _secrets

    from wallet import portfolio

    draws = iter(["-dashfirst", "_ok-token"])
    monkeypatch.setattr(_secrets, "token_urlsafe", lambda n: next(draws))
    assert portfolio.new_token() == "_ok-token"
