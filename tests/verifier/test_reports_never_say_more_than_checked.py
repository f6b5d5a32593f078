"""Second adversarial pass on verifier/: reports that would tell a recruiter something untrue.

Each test is an input that made the report say something false (or made verify() raise) in an
earlier version, or pins a precedence the first pass did not; the docstring says what goes wrong if
it regresses.
"""
from __future__ import annotations

import copy
import hashlib
import json
import struct
import zlib
from datetime import UTC, datetime

import pytest
from nacl.signing import SigningKey
from support.data_integrity import NOW, credential, did_key, signed
from support.ob2_badges import ASSERTION, TINY_SVG, Issuer, tiny_png
from support.ob2_badges import sign as sign_jws

from verifier import verify
from verifier.bake import bake_png, bake_svg
from verifier.keys import b58encode
from verifier.model import Recipient
from verifier.proofs.data_integrity import hash_data
from verifier.recipient import recipient_check
from verifier.unbake import unbake
from verifier.validity import parse_datetime

pytestmark = pytest.mark.attack

OB2_NOW = datetime(2024, 6, 1, tzinfo=UTC)


def _no_subject_identity(key: SigningKey) -> dict:
    cred = credential(did_key(key)[0])
    del cred["credentialSubject"]["identifier"]
    from verifier.proofs.data_integrity import sign_credential
    return sign_credential(cred, key, did_key(key)[1], created="2025-01-01T00:00:00Z")


# --- recipient ---------------------------------------------------------------------------------

def test_expected_recipient_is_not_confirmed_by_a_badge_that_names_no_one():
    """``verify(..., recipient=alice)`` on a genuine badge that names no recipient came out ``valid``
    (a mere warning): the recruiter asked "was this issued to Alice?" and was told yes."""
    key = SigningKey.generate()
    cred = _no_subject_identity(key)
    assert verify(cred, now=NOW).verdict == "valid"  # without a recipient to compare it is genuine
    report = verify(cred, now=NOW, recipient="alice@example.org")
    check = report.check("recipient")
    assert check.status == "fail" and "alice@example.org" in check.message, report.checks
    assert report.verdict == "invalid"


def test_hashed_identity_with_non_ascii_digest_is_a_mismatch_not_a_crash(http):
    """``sha256$é…`` made hmac.compare_digest raise TypeError out of verify()."""
    issuer = Issuer()
    issuer.assertion["recipient"] = {"type": "email", "hashed": True, "salt": "x", "identity": "sha256$é" + "0" * 63}
    issuer.serve(http)
    report = verify(ASSERTION, now=OB2_NOW, recipient="alice@example.org")
    assert report.check("recipient").status == "fail"
    assert report.verdict == "invalid"
    check = recipient_check(Recipient(identity="sha256$ßß", hashed=True, salt="s"), "alice@example.org")
    assert check.status == "fail"


# --- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["²", "١٢٣٤٥٦٧٨٩٠", "１７００００００００"])
def test_non_ascii_digit_dates_are_not_dates_and_never_raise(raw, http):
    """``"²".isdigit()`` is True and ``int("²")`` raises: parse_datetime raised out of verify().
    Other scripts' digits were silently read as Unix seconds."""
    assert parse_datetime(raw) is None
    issuer = Issuer()
    issuer.assertion["expires"] = raw
    issuer.serve(http)
    report = verify(ASSERTION, now=OB2_NOW)
    assert report.verdict == "invalid" and "expiry date" in report.check("structure").message


def test_ob3_credential_with_non_ascii_digit_date_never_raises():
    key = SigningKey.generate()
    report = verify(signed(key, validUntil="²"), now=NOW)
    assert report.verdict == "invalid" and report.check("issued").status == "fail"


def test_eight_digit_date_is_a_basic_iso_date_not_unix_seconds():
    """``"20240601"`` (ISO 8601 basic form) was read as 20 240 601 Unix seconds, i.e. 23 August 1970:
    the report showed the wrong issue date and judged an ``expires`` of ``20991231`` as long past."""
    assert parse_datetime("20240601") == datetime(2024, 6, 1, tzinfo=UTC)
    assert parse_datetime("1700000000") == datetime.fromtimestamp(1700000000, tz=UTC)  # OB 1.0 seconds


# --- Data Integrity proof expiry ----------------------------------------------------------------

def _sign_with_proof_expiry(cred: dict, key: SigningKey, expires: str) -> dict:
    vm = did_key(key)[1]
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2025-01-01T00:00:00Z",
             "expires": expires, "verificationMethod": vm, "proofPurpose": "assertionMethod"}
    data, dropped = hash_data(cred, proof, "eddsa-rdfc-2022")
    assert not dropped
    return {**copy.deepcopy(cred), "proof": {**proof, "proofValue": "z" + b58encode(key.sign(data).signature)}}


def test_proof_past_its_expires_date_is_not_valid():
    """vc-data-integrity: a proof whose ``expires`` has passed must not verify (PROOF_EXPIRED). It was
    ignored, so a credential the issuer signed for one year stayed ``valid`` for ever."""
    key = SigningKey.generate()
    cred = credential(did_key(key)[0])
    fresh = verify(_sign_with_proof_expiry(cred, key, "2027-01-01T00:00:00Z"), now=NOW)
    assert fresh.verdict == "valid", fresh.checks
    stale = verify(_sign_with_proof_expiry(cred, key, "2025-06-01T00:00:00Z"), now=NOW)
    assert stale.verdict == "expired", stale.checks
    check = stale.check("proof-expiry")
    assert check.status == "fail" and "1 June 2025" in check.message


def test_proof_with_unreadable_expires_is_invalid():
    key = SigningKey.generate()
    report = verify(_sign_with_proof_expiry(credential(did_key(key)[0]), key, "next year"), now=NOW)
    assert report.verdict == "invalid", report.checks


# --- containers: one file, two badges ----------------------------------------------------------

def _itxt(keyword: str, text: str) -> bytes:
    body = keyword.encode() + b"\x00\x00\x00\x00\x00" + text.encode()
    return struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))


def test_png_with_two_different_openbadges_chunks_is_refused():
    """We read the first ``openbadges`` chunk, Pillow-based verifiers (badgecheck) the last: an appended
    second chunk made one file verify as two different badges depending on the tool."""
    png = bake_png(tiny_png(), "https://issuer.example/assertions/1.json")
    iend = png.rindex(b"IEND") - 4
    doubled = png[:iend] + _itxt("openbadges", "https://issuer.example/assertions/2.json") + png[iend:]
    result = unbake(doubled)
    assert not result.ok and "more than one" in (result.error or "")
    report = verify(doubled, offline=True)
    assert report.format == "none" and report.verdict != "valid"
    same = png[:iend] + _itxt("openbadges", "https://issuer.example/assertions/1.json") + png[iend:]
    assert unbake(same).ok  # a repeated identical chunk says one thing


def test_svg_with_two_different_assertions_is_refused():
    svg = bake_svg(TINY_SVG, "https://issuer.example/assertions/1.json")
    doubled = svg.replace(b"</svg>", b'<openbadges:assertion xmlns:openbadges="http://openbadges.org" '
                          b'verify="https://issuer.example/assertions/2.json"/></svg>')
    result = unbake(doubled)
    assert not result.ok and "more than one" in (result.error or "")


def test_png_with_an_ob2_and_an_ob3_badge_is_refused():
    """One file, one badge: an OB 2.0 reader takes the 'openbadges' chunk, an OB 3.0 reader the
    'openbadgecredential' one, so a file carrying two different texts shows two badges depending on who
    reads it (even a dual-baked file of one award cannot be shown to be one award). Earlier the
    credential was read; it is refused now, as two different chunks under one keyword already were."""
    png = bake_png(tiny_png(), json.dumps({"@context": "https://www.w3.org/ns/credentials/v2"}),
                   keyword="openbadgecredential")
    iend = png.rindex(b"IEND") - 4
    both = png[:iend] + _itxt("openbadges", "https://issuer.example/assertions/1.json") + png[iend:]
    result = unbake(both)
    assert not result.ok and "more than one badge" in (result.error or "")


# --- status ------------------------------------------------------------------------------------

@pytest.mark.parametrize("index", ["0x10", "-1", "1e3", "²", "１０", 1.5, None])
def test_odd_status_list_indices_are_could_not_check(index):
    """An index that is not a plain non-negative decimal is 'could not check', said plainly (``²`` used
    to surface as a ValueError in the sentence; ``１０`` was read as 10)."""
    from verifier.context import VerifyContext
    from verifier.fetch import SafeFetcher
    from verifier.status import check_status

    cred = {"id": "urn:uuid:x", "issuer": "did:example:i",
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                                 "statusListIndex": index, "statusListCredential": "https://status.example/1"}}
    [check] = check_status(cred, VerifyContext(now=NOW, fetcher=SafeFetcher(offline=True)))
    assert check.status == "fail" and check.outcome == "unverifiable"
    assert "statusListIndex" in check.message and "Error" not in check.message


# --- precedence --------------------------------------------------------------------------------

def _signed_ob2(http, *, revoked: bool, **changes) -> str:
    issuer = Issuer(revocations={"revokedAssertions": [ASSERTION] if revoked else []})
    token = sign_jws(issuer.signed_payload(**changes), issuer.private)
    issuer.serve(http, assertion=False)
    return token


def test_revoked_and_expired_is_revoked(http):
    token = _signed_ob2(http, revoked=True, expires="2024-01-01T00:00:00Z")
    report = verify(token, now=OB2_NOW)
    assert report.check("expiry").status == "fail" and report.check("revocation").status == "fail"
    assert report.verdict == "revoked"


def test_revoked_with_a_bad_signature_is_invalid(http):
    token = _signed_ob2(http, revoked=True)
    head, body, sig = token.split(".")
    tampered = f"{head}.{body}.{sig[:-4]}AAAA"
    report = verify(tampered, now=OB2_NOW)
    assert report.check("revocation").status == "fail" and report.check("signature").status == "fail"
    assert report.verdict == "invalid"


@pytest.mark.parametrize("kind", ["url", "did"])
def test_url_and_did_recipients_are_compared_case_sensitively(kind):
    """Only email is case-insensitive. A badge issued to ``https://social.example/ALICE`` (another
    account on a case-sensitive site) was confirmed as issued to ``…/alice``, hashed or plain."""
    victim = {"url": "https://social.example/alice", "did": "did:key:z6MkAbCdEf"}[kind]
    other = {"url": "https://social.example/ALICE", "did": "did:key:z6MkaBcDeF"}[kind]
    plain = Recipient(identity=other, type=kind)
    assert recipient_check(plain, victim).status == "fail"
    assert recipient_check(plain, other).status == "pass"
    digest = "sha256$" + hashlib.sha256((victim.lower() + "s").encode()).hexdigest()
    hashed_lower = Recipient(identity=digest, type=kind, hashed=True, salt="s")
    assert recipient_check(hashed_lower, victim.upper() if kind == "url" else other).status == "fail"
    assert recipient_check(hashed_lower, victim.lower()).status == "pass"


def test_email_recipient_still_matches_in_any_case():
    digest = "sha256$" + hashlib.sha256(b"alice@example.orgs").hexdigest()
    check = recipient_check(Recipient(identity=digest, type="email", hashed=True, salt="s"), "Alice@Example.org")
    assert check.status == "pass" and "lower case" in check.message
    assert recipient_check(Recipient(identity="alice@example.org", type="email"), "ALICE@example.org").status == "pass"
