"""One media sniffer (verifier.sniff_media) decides what a file is, for the verifier, the wallet and the app."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from support.wallet_badges import HEART

from verifier import Media, bake_png, sniff_media, unbake, verify
from wallet.archive import is_zip
from wallet.importer import sniff_media_type

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
JWS = "eyJhbGciOiJFZERTQSJ9." + "eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0" * 200 + ".c2ln"  # longer than 4 KB


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data, filename, kind", [
    (HEART, "", Media.PNG),
    (SVG, "", Media.SVG),
    (b"\xef\xbb\xbf  <?xml version='1.0'?>\n" + SVG, "", Media.SVG),
    (b"<!-- made by hand -->" + SVG, "", Media.SVG),
    (b'  {"type": "Assertion"}', "a.json", Media.JSON),
    (b'{"type": "OpenBadgeCredential"}', "credential.jsonld", Media.JSON_LD),
    (JWS.encode(), "", Media.JWT),
    (b"https://issuer.example/assertions/1.json\n", "", Media.URL),
    (_zip({"a.png": HEART}), "", Media.ZIP),
    (_zip({}), "", Media.ZIP),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "", Media.PDF),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "", Media.JPEG),
    (b"GIF89a\x01\x00", "", Media.GIF),
    (b"\x00\x01\x02 plain bytes", "", Media.UNKNOWN),
    (b"", "", Media.UNKNOWN),
])
def test_each_kind_is_told_from_its_bytes(data, filename, kind):
    assert sniff_media(data, filename) is kind
    assert sniff_media_type(data, filename) == kind.value  # the wallet stores what the sniffer says
    assert is_zip(data) is (kind is Media.ZIP)


def test_a_long_signed_badge_is_still_a_jwt():
    """The whole text is looked at: a JWS longer than the first few KB cut short would look like nothing."""
    assert len(JWS) > 4096 and sniff_media(JWS.encode()) is Media.JWT


def test_the_verifier_reads_what_the_sniffer_says():
    assert unbake(bake_png(HEART, json.dumps({"type": "Assertion"}))).container == "png"
    assert unbake(SVG).container == "svg"
    pdf = unbake(b"%PDF-1.4 a document")
    assert not pdf.ok and pdf.container == "pdf" and "PDF" in (pdf.error or "")
    zipped = unbake(_zip({"a.png": HEART}))
    assert not zipped.ok and "zip" in (zipped.error or "")
    report = verify(b"%PDF-1.4 a document", offline=True)
    assert report.format == "none" and "PDF" in report.checks[0].message


def test_extensions_follow_the_kind():
    assert (Media.PNG.extension, Media.JWT.extension, Media.URL.extension, Media.UNKNOWN.extension) == \
        (".png", ".jwt", ".url.txt", "")
    assert Media.SVG.is_image and Media.PNG.is_image and not Media.JSON.is_image
