"""Adversarial review of the Streamlit app: hostile badge text, broken wallet files, crafted backups."""
from __future__ import annotations

import base64
import hashlib
import re
import struct
import zlib

import pytest
from support.apptest import DEMO, app, empty_wallet, no_crash, own_badge, texts

from app_pages import ui
from wallet.service import Wallet

pytestmark = pytest.mark.attack

# The two rules GitHub-flavoured Markdown (remark-gfm's autolink literal) uses to turn bare text into links,
# applied to the text a Markdown body shows. A link is made only when the character before the match is
# the start, whitespace or punctuation.
_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.I)
_EMAIL = re.compile(r"(?:^|(?<=\s)|(?<=[^\w\s]))([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


def _rendered_text(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _autolinks(markdown: str) -> list[str]:
    text = _rendered_text(markdown)
    found = []
    for m in _URL.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if m.start() == 0 or before.isspace() or (not before.isalnum() and before.isprintable() and before != "\u2060"):
            found.append(m.group(0))
    found += [m.group(0) for m in _EMAIL.finditer(text)]
    return found


def test_badge_text_never_becomes_a_clickable_link():
    hostile = "Verify at https://evil.example/verify or www.evil.example (https://x.example) mail me@evil.example"
    assert _autolinks(hostile), "the check itself finds links in plain text"
    escaped = ui.md(hostile)
    assert not _autolinks(escaped), escaped
    # the words are still all there for a reader
    assert _rendered_text(escaped).replace("\u2060", "") == hostile


def test_recruiter_page_shows_issuer_urls_as_text_not_links(db):
    empty_wallet(db)
    at = app()
    at.switch_page("app_pages/verify_badge.py").run()
    at.file_uploader(key="recruiter_file").set_value(
        ("evil.png", own_badge("Cert — verify at https://evil.example/ok or www.evil.example"), "image/png")).run()
    no_crash(at)
    shown = [m.value for m in [*at.markdown, *at.subheader, *at.success, *at.error, *at.warning, *at.info]]
    assert any("evil" in v for v in shown)
    for value in shown:
        assert not [u for u in _autolinks(value) if "evil" in u], value


def test_corrupt_wallet_file_is_a_sentence_not_a_crash(db):
    db.write_text("{ this is not json")
    at = app()
    no_crash(at)
    assert at.error and "damaged" in at.error[0].value
    assert db.read_text() == "{ this is not json"


def test_corrupt_wallet_file_on_the_public_page_reveals_nothing(db):
    db.write_text("{ this is not json")
    at = app(p="A" * 43)
    no_crash(at)
    page = texts(at)
    assert at.error and str(db) not in page and "wallet.json" not in page
    assert "not available" in page


def _restore_with(db, **changes) -> Wallet:
    """A wallet holding one entry restored from a crafted backup whose index says ``changes``."""
    import io
    import json
    import zipfile

    src = Wallet(db.with_name("src.json"), offline=True)
    src.import_files([("hackathon.png", DEMO["hackathon.png"].path.read_bytes())])
    data = src.export_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    index = json.loads(members["index.json"])
    index["entries"][0].update(changes)
    members["index.json"] = json.dumps(index).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    w = Wallet(db, offline=True)
    assert [r.status for r in w.import_archive(buf.getvalue())] == ["added"]
    return w


def test_crafted_verdict_from_a_backup_is_not_markup(db):
    _restore_with(db, verdict="green-badge[FAKE] [click](https://evil.example) :material/verified:")
    at = app()
    no_crash(at)
    chips = [m.value for m in at.markdown if "-badge[" in m.value]
    assert chips
    for value in chips:
        assert "[click]" not in value and ":material/verified: " not in value.split("]", 1)[-1]
        assert not re.search(r"(?<!\\)\[click", value)


def _png(width: int, height: int) -> bytes:
    """A tiny PNG file that claims a huge picture (a decompression bomb for whoever decodes it)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_png_claiming_a_huge_picture_is_not_decoded():
    bomb = _png(20_000, 20_000)
    assert ui.image_source(bomb, "image/png") == ui.PLACEHOLDER_URI
    small = _png(64, 64)
    assert ui.image_source(small, "image/png") == small
    data_uri = "data:image/png;base64," + base64.b64encode(bomb).decode()
    assert ui.image_source(None, "", data_uri) == ui.PLACEHOLDER_URI


def test_portfolio_of_a_deleted_badge_still_opens_and_lists(db):
    app()
    w = Wallet(db)
    entries = w.entries()
    _, link = w.create_portfolio([entries[0].id, entries[1].id], "Two")
    w.delete(entries[0].id)
    at = app(p=link.split("?p=", 1)[1])
    no_crash(at)
    page = texts(at)
    assert entries[1].name in page and entries[0].name not in page and "no longer available" in page
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    no_crash(at)
    assert "a removed badge" in texts(at)


def test_share_page_survives_a_restored_link_without_dates(db):
    w = _restore_with(db)
    w.store.add_portfolios([{"id": "p-old", "title": "Old link", "entry_ids": [w.entries()[0].id],
                             "token_hash": hashlib.sha256(b"x").hexdigest()}])
    w.create_portfolio([w.entries()[0].id], "New link")
    at = app()
    at.switch_page("app_pages/share_links.py").run()
    no_crash(at)
    assert "Old link" in texts(at) and "New link" in texts(at)
