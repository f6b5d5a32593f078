"""Unbaking real corpus images, baking round trips, and hostile files."""
import io
import json
import struct
import zlib

import pytest
from PIL import Image
from support.files import fixture_path

from verifier import bake_png, bake_svg, unbake, verify
from verifier.cli import main as cli_main
from verifier.unbake import MAX_FILE_BYTES, MAX_TEXT_BYTES


def tiny_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def chunk(ctype: bytes, body: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(ctype + body) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", crc)


def with_chunk(png: bytes, extra: bytes) -> bytes:
    """Insert ``extra`` right before IEND."""
    return png[:-12] + extra + png[-12:]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>'


@pytest.mark.parametrize("path, container, keyword, start", [
    ("1edtech-digital-credentials-public-validator/ob20/simple-badge.png", "png", "openbadges", "{"),
    ("1edtech-digital-credentials-public-validator/ob30/simple-json.png", "png", "openbadgecredential", "{"),
    ("1edtech-digital-credentials-public-validator/ob30/simple-json.svg", "svg", "openbadges:credential", "{"),
    ("1edtech-digital-credentials-public-validator/ob30/simple-jwt.svg", "svg", "openbadges:credential", "eyJ"),
    ("thomasmore-imd-openbadges-bakery/mytestbadge.png", "png", "openbadges", "{"),
    ("concentricsky-openbadges-bakery/baked_example.svg", "svg", "openbadges:assertion", "{"),
    ("mozilla-openbadges-bakery/no-json.svg", "svg", "openbadges:assertion", "http://example.org"),
    ("mozilla-openbadges-backpack/valid-baked.png", "png", "openbadges", "https://example.org/assertion"),
])
def test_unbakes_corpus_images(path, container, keyword, start):
    result = unbake(fixture_path(path).read_bytes())
    assert result.ok, result.error
    assert (result.container, result.keyword) == (container, keyword)
    assert result.payload.startswith(start)
    if start == "{":
        assert isinstance(json.loads(result.payload), dict)


@pytest.mark.parametrize("path, words", [
    ("thomasmore-imd-openbadges-bakery/openbadges-logo-xmp.png", "carries no badge"),
    ("concentricsky-badgr-server/issuer/hacked-svg-with-embedded-script-tags.svg", "carries no badge"),
])
def test_images_without_badges(path, words):
    result = unbake(fixture_path(path).read_bytes())
    assert not result.ok and words in result.error


def test_png_round_trip_and_rebake_replaces():
    png = tiny_png()
    baked = bake_png(png, '{"id": "one"}')
    assert unbake(baked).payload == '{"id": "one"}'
    rebaked = bake_png(baked, '{"id": "two"}')
    assert unbake(rebaked).payload == '{"id": "two"}'
    assert rebaked.count(b"openbadges\x00") == 1
    Image.open(io.BytesIO(rebaked)).load()  # still a valid image
    ob3 = bake_png(png, '{"type": ["VerifiableCredential"]}', keyword="openbadgecredential")
    assert unbake(ob3).keyword == "openbadgecredential"


def test_svg_round_trip_json_and_jws():
    baked = bake_svg(SVG, '{"id": "https://example.org/a"}')
    result = unbake(baked)
    assert result.keyword == "openbadges:assertion" and json.loads(result.payload)["id"].endswith("/a")
    jws = "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln"
    assert unbake(bake_svg(SVG, jws)).payload == jws
    cred = unbake(bake_svg(baked, '{"x": 1}', credential=True))
    assert cred.keyword == "openbadges:credential" and cred.payload == '{"x": 1}'


@pytest.mark.attack
def test_compressed_itxt_is_read_and_bomb_refused():
    png = tiny_png()
    text = b'{"id": "zipped"}'
    good = chunk(b"iTXt", b"openbadges\x00\x01\x00\x00\x00" + zlib.compress(text))
    assert unbake(with_chunk(png, good)).payload == text.decode()
    bomb = chunk(b"iTXt", b"openbadges\x00\x01\x00\x00\x00" + zlib.compress(b"0" * (MAX_TEXT_BYTES + 10)))
    result = unbake(with_chunk(png, bomb))
    assert not result.ok and "too large" in result.error
    ztxt = chunk(b"zTXt", b"openbadges\x00\x00" + zlib.compress(b"https://example.org/a"))
    assert unbake(with_chunk(png, ztxt)).payload == "https://example.org/a"


def test_corrupt_png_chunk_and_truncation():
    png = tiny_png()
    bad_crc = chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00{}", crc=1234)
    result = unbake(with_chunk(png, bad_crc))
    assert not result.ok and "checksum" in result.error
    truncated = unbake(png[:20])
    assert not truncated.ok and "PNG" in truncated.error


def test_unrelated_text_chunks_are_ignored():
    png = with_chunk(tiny_png(), chunk(b"tEXt", b"date:create\x002020-01-01"))
    assert "carries no badge" in unbake(png).error


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG"),
    (b"GIF89a" + b"\x00" * 10, "GIF"),
    (bytes(range(256)) * 4, "not a badge"),
    (b"hello world", "not a badge"),
])
def test_not_a_badge(data, words):
    result = unbake(data)
    assert not result.ok and words in result.error
    report = verify(data)
    assert report.format == "none" and report.verdict != "valid"
    assert report.check("unbake").status == "fail"


@pytest.mark.attack
def test_oversize_file_refused():
    big = tiny_png() + b"\x00" * (MAX_FILE_BYTES + 1)
    result = unbake(big)
    assert not result.ok and "too large" in result.error


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
<openbadges:assertion verify="https://example.org/a">&d;</openbadges:assertion></svg>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
<openbadges:assertion>&xxe;</openbadges:assertion></svg>"""


@pytest.mark.parametrize("svg", [BILLION_LAUGHS, XXE])
@pytest.mark.attack
def test_malicious_svg_refused(svg):
    result = unbake(svg)
    assert not result.ok and "refused" in result.error
    assert "root:" not in (result.payload or "")


def test_broken_svg():
    assert "well-formed" in unbake(b"<svg><openbadges:assertion></svg>").error


def test_cli_exit_codes_for_unreadable_input(tmp_path, capsys):
    assert cli_main([str(tmp_path / "missing.png")]) == 2
    garbage = tmp_path / "x.png"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    assert cli_main(["--json", str(garbage)]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "none" and out["verdict"] == "invalid"
    assert set(out) == {"verdict", "format", "checks", "badge", "issuer_identity", "nested", "retry_may_help"}


def test_svg_with_unknown_encoding():
    svg = b'<?xml version="1.0" encoding="utf-9"?><svg xmlns="http://www.w3.org/2000/svg"/>'
    result = unbake(svg)
    assert not result.ok and "well-formed" in result.error
