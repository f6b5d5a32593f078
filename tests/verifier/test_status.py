"""credentialStatus: Bitstring Status List, StatusList2021, 1EdTech Revocation List; bit order; failures."""
from __future__ import annotations

import base64
import gzip
import json
import warnings
from datetime import UTC, datetime

import pytest
from joserfc import jws
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry
from nacl.signing import SigningKey
from support.files import load_json

from verifier.context import VerifyContext
from verifier.fetch import SafeFetcher
from verifier.keys import ed25519_multikey
from verifier.proofs.data_integrity import sign_credential
from verifier.report import derive_verdict
from verifier.status import MAX_LIST_BYTES, StatusListError, bit_is_set, check_status, decode_encoded_list

NOW = datetime(2025, 6, 1, tzinfo=UTC)
V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
SL2021 = "https://w3id.org/vc/status-list/2021/v1"
LIST_URL = "https://status.example/lists/1"
N_BITS = 131072


def ctx() -> VerifyContext:
    return VerifyContext(now=NOW, fetcher=SafeFetcher())


def encode(set_bits: set[int], *, msb_first: bool = True, prefix: bool = True, n_bits: int = N_BITS) -> str:
    raw = bytearray(n_bits // 8)
    for i in set_bits:
        raw[i // 8] |= (0x80 >> (i % 8)) if msb_first else (1 << (i % 8))
    text = base64.urlsafe_b64encode(gzip.compress(bytes(raw))).rstrip(b"=").decode()
    return ("u" + text) if prefix else text


class Issuer:
    """A did:key issuer that signs status lists (eddsa-rdfc-2022) and credentials."""

    def __init__(self) -> None:
        self.key = SigningKey.generate()
        self.did = "did:key:" + ed25519_multikey(self.key.verify_key)
        self.vm = f"{self.did}#{self.did[8:]}"

    def status_list(self, encoded: str, *, purpose: str = "revocation", legacy: bool = False,
                    sign: bool = True, **extra) -> dict:
        if legacy:
            doc = {"@context": [V1, SL2021, "https://w3id.org/security/data-integrity/v2"], "id": LIST_URL, "type": ["VerifiableCredential", "StatusList2021Credential"],
                   "issuer": self.did, "issuanceDate": "2022-01-01T00:00:00Z",
                   "credentialSubject": {"id": LIST_URL + "#list", "type": "StatusList2021",
                                         "statusPurpose": purpose, "encodedList": encoded}}
        else:
            doc = {"@context": [V2], "id": LIST_URL, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                   "issuer": self.did, "validFrom": "2024-01-01T00:00:00Z",
                   "credentialSubject": {"id": LIST_URL + "#list", "type": "BitstringStatusList",
                                         "statusPurpose": purpose, "encodedList": encoded}}
        doc.update(extra)
        return sign_credential(doc, self.key, self.vm, created="2024-01-01T00:00:00Z") if sign else doc

    def credential(self, index: int, *, purpose: str = "revocation", legacy: bool = False) -> dict:
        return {"id": "urn:uuid:cred-1", "issuer": {"id": self.did},
                "credentialStatus": {"id": f"{LIST_URL}#{index}",
                                     "type": "StatusList2021Entry" if legacy else "BitstringStatusListEntry",
                                     "statusPurpose": purpose, "statusListIndex": str(index),
                                     "statusListCredential": LIST_URL}}


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture(scope="module")
def revocation_list(issuer) -> dict:
    return issuer.status_list(encode({0, 5, 23, N_BITS - 1}))


def only(checks):
    assert len(checks) == 1 and checks[0].id == "revocation"
    return checks[0]


# --- decoding ----------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", [True, False])
@pytest.mark.parametrize("msb_first", [True, False])
def test_decode_and_bit_order_at_several_indices(prefix, msb_first):
    set_bits = {0, 1, 7, 8, 23, 1000, N_BITS - 1}
    bits = decode_encoded_list(encode(set_bits, msb_first=msb_first, prefix=prefix))
    assert len(bits) == N_BITS // 8
    for i in (0, 1, 2, 6, 7, 8, 9, 22, 23, 24, 1000, 1001, N_BITS - 2, N_BITS - 1):
        assert bit_is_set(bits, i, msb_first=msb_first) == (i in set_bits), i


def test_msb_first_means_index_zero_is_0x80():
    bits = decode_encoded_list(encode({0}))
    assert bits[0] == 0x80
    assert bit_is_set(bits, 0) and not bit_is_set(bits, 7)
    assert bit_is_set(bits, 7, msb_first=False) and not bit_is_set(bits, 0, msb_first=False)


def test_padded_and_standard_base64_are_accepted():
    raw = gzip.compress(bytes([0x40]) + bytes(2047))
    standard = base64.b64encode(raw).decode()  # with '=' padding, maybe '+' or '/'
    assert bit_is_set(decode_encoded_list(standard), 1)


@pytest.mark.parametrize("bad, why", [(None, "no encodedList"), ("u!!!", "base64url"),
                                      ("u" + base64.urlsafe_b64encode(b"not gzip").decode(), "gzip"),
                                      ("u" + base64.urlsafe_b64encode(gzip.compress(b"x" * 100)[:20]).decode(),
                                       "truncated")])
def test_undecodable_lists_raise_status_list_error(bad, why):
    with pytest.raises(StatusListError, match=why):
        decode_encoded_list(bad)


@pytest.mark.attack
def test_inflation_bomb_is_refused_without_inflating_it():
    bomb = gzip.compress(bytes(2 * MAX_LIST_BYTES))  # 8 MiB of zeros → about 8 KB compressed
    assert len(bomb) < 64 * 1024
    with pytest.raises(StatusListError, match="refused"):
        decode_encoded_list("u" + base64.urlsafe_b64encode(bomb).decode())


@pytest.mark.attack
def test_bomb_status_list_is_unverifiable(http, issuer):
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(2 * MAX_LIST_BYTES))).decode()
    http.get(LIST_URL, json=issuer.status_list(bomb))
    check = only(check_status(issuer.credential(3), ctx()))
    assert check.outcome == "unverifiable" and "refused" in check.message


# --- a signed Bitstring Status List --------------------------------------------------------------

@pytest.mark.parametrize("index, revoked", [(0, True), (1, False), (4, False), (5, True), (22, False),
                                            (23, True), (24, False), (N_BITS - 1, True)])
def test_bitstring_revocation_at_indices(http, issuer, revocation_list, index, revoked):
    http.get(LIST_URL, json=revocation_list)
    check = only(check_status(issuer.credential(index), ctx()))
    if revoked:
        assert check.status == "fail" and check.outcome == "revoked" and "revoked" in check.message
        assert derive_verdict([check]) == "revoked"
    else:
        assert check.status == "pass" and "not been revoked" in check.message


def test_list_without_multibase_prefix(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode({9}, prefix=False)))
    assert only(check_status(issuer.credential(9), ctx())).outcome == "revoked"
    assert only(check_status(issuer.credential(8), ctx())).status == "pass"


def test_suspension_is_a_plain_failure_that_says_suspended(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode({2}), purpose="suspension"))
    suspended = only(check_status(issuer.credential(2, purpose="suspension"), ctx()))
    assert suspended.status == "fail" and suspended.outcome == "" and "suspended" in suspended.message
    assert derive_verdict([suspended]) == "invalid"
    fine = only(check_status(issuer.credential(3, purpose="suspension"), ctx()))
    assert fine.status == "pass" and "not been suspended" in fine.message


def test_two_entries_give_two_checks(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode({4})))
    cred = issuer.credential(4)
    cred["credentialStatus"] = [cred["credentialStatus"], {**cred["credentialStatus"], "statusListIndex": "6"}]
    checks = check_status(cred, ctx())
    assert [c.status for c in checks] == ["fail", "pass"]


def test_purpose_mismatch_is_unverifiable(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode(set()), purpose="suspension"))
    check = only(check_status(issuer.credential(1, purpose="revocation"), ctx()))
    assert check.outcome == "unverifiable"


def test_index_beyond_list_is_unverifiable(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode(set(), n_bits=1024)))
    check = only(check_status(issuer.credential(5000), ctx()))
    assert check.outcome == "unverifiable" and "beyond" in check.message


def test_status_list_served_as_vc_jwt(http, issuer):
    key = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519",
                             "x": base64.urlsafe_b64encode(bytes(issuer.key.verify_key)).rstrip(b"=").decode(),
                             "d": base64.urlsafe_b64encode(bytes(issuer.key)).rstrip(b"=").decode()})
    doc = issuer.status_list(encode({12}), sign=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jws.serialize_compact({"alg": "EdDSA", "kid": issuer.vm}, json.dumps(doc).encode(), key,
                                      registry=JWSRegistry(algorithms=["EdDSA"]))
    http.get(LIST_URL, body=token, content_type="application/vc+jwt")
    assert only(check_status(issuer.credential(12), ctx())).outcome == "revoked"
    assert only(check_status(issuer.credential(13), ctx())).status == "pass"


# --- a list that cannot be trusted or read: never "not revoked" ------------------------------------

def test_unreachable_list_is_unverifiable_never_not_revoked(issuer):
    check = only(check_status(issuer.credential(1), ctx()))  # nothing registered: connection error
    assert check.status == "fail" and check.outcome == "unverifiable"
    assert "could not" in check.message and "not been revoked" not in check.message
    assert derive_verdict([check]) == "unverifiable"


def test_http_error_and_offline_are_unverifiable(http, issuer):
    http.get(LIST_URL, status=503)
    assert only(check_status(issuer.credential(1), ctx())).outcome == "unverifiable"
    offline = VerifyContext(now=NOW, fetcher=SafeFetcher(offline=True))
    assert only(check_status(issuer.credential(1), offline)).outcome == "unverifiable"


def test_list_with_bad_proof_is_unverifiable(http, issuer):
    forged = issuer.status_list(encode({7}))
    forged["credentialSubject"]["encodedList"] = encode(set())  # "nobody is revoked"
    http.get(LIST_URL, json=forged)
    check = only(check_status(issuer.credential(7), ctx()))
    assert check.outcome == "unverifiable" and "signature" in check.message


def test_unsigned_list_is_unverifiable(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode(set()), sign=False))
    check = only(check_status(issuer.credential(7), ctx()))
    assert check.outcome == "unverifiable" and "not signed" in check.message


def test_list_signed_by_a_delegate_is_used_and_named(http, issuer):
    """The issuer's signed badge points at the list, so a list signed by another key-holder is its delegate."""
    stranger = Issuer()
    http.get(LIST_URL, json=stranger.status_list(encode({7})))
    check = only(check_status(issuer.credential(7), ctx()))
    assert check.outcome == "revoked" and stranger.did in check.message


def test_list_whose_proof_is_not_by_its_own_issuer_is_unverifiable(http, issuer):
    stranger = Issuer()
    forged = stranger.status_list(encode(set()))
    forged["issuer"] = issuer.did  # claims to be the issuer's list, but the stranger signed it
    http.get(LIST_URL, json=forged)
    check = only(check_status(issuer.credential(7), ctx()))
    assert check.outcome == "unverifiable" and "signature" in check.message


def test_expired_status_list_is_unverifiable(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode(set()), validUntil="2025-01-01T00:00:00Z"))
    check = only(check_status(issuer.credential(7), ctx()))
    assert check.outcome == "unverifiable" and "expired" in check.message


def test_not_a_status_list_is_unverifiable(http, issuer):
    http.get(LIST_URL, body="<html>moved</html>", content_type="text/html")
    assert only(check_status(issuer.credential(7), ctx())).outcome == "unverifiable"


def test_no_status_is_a_skip_and_unknown_type_unverifiable():
    skip = only(check_status({"issuer": "did:example:x"}, ctx()))
    assert skip.status == "skip" and "no status information" in skip.message
    unknown = only(check_status({"credentialStatus": {"type": "VelocityRevocationListJan2021", "id": "ethereum:0x1"}},
                                ctx()))
    assert unknown.outcome == "unverifiable" and "VelocityRevocationListJan2021" in unknown.message


@pytest.mark.parametrize("entry", [{"type": "BitstringStatusListEntry", "statusListCredential": LIST_URL},
                                   {"type": "BitstringStatusListEntry", "statusListIndex": "-1",
                                    "statusListCredential": LIST_URL},
                                   {"type": "BitstringStatusListEntry", "statusListIndex": "1"},
                                   "not an object"])
def test_malformed_entries_are_unverifiable(entry):
    assert only(check_status({"issuer": "did:example:x", "credentialStatus": entry}, ctx())).outcome == "unverifiable"


# --- StatusList2021: the bit order was unsettled before 2023 --------------------------------------

def test_statuslist2021_both_orders_agree(http, issuer):
    # byte 0 = 0x81: index 0 is set whichever order the issuer used; index 1 is clear either way
    http.get(LIST_URL, json=issuer.status_list(encode({0, 7}), legacy=True))
    assert only(check_status(issuer.credential(0, legacy=True), ctx())).outcome == "revoked"
    assert only(check_status(issuer.credential(1, legacy=True), ctx())).status == "pass"


def test_statuslist2021_orders_disagree_is_unverifiable(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode({3}, msb_first=False), legacy=True))  # byte 0 = 0x08
    for index in (3, 4):  # 3 when read LSB-first, 4 when read MSB-first
        check = only(check_status(issuer.credential(index, legacy=True), ctx()))
        assert check.outcome == "unverifiable" and "bit order" in check.message


def test_bitstring_status_list_is_msb_only(http, issuer):
    http.get(LIST_URL, json=issuer.status_list(encode({3}, msb_first=False)))  # byte 0 = 0x08 → index 4
    assert only(check_status(issuer.credential(4), ctx())).outcome == "revoked"
    assert only(check_status(issuer.credential(3), ctx())).status == "pass"


# --- 1EdTech Revocation List ---------------------------------------------------------------------

REVOCATIONS = "https://college.example/revocations"


def onedtech_credential(cred_id: str = "urn:uuid:badge-1") -> dict:
    return {"id": cred_id, "issuer": {"id": "https://college.example/issuer"},
            "credentialStatus": {"id": REVOCATIONS, "type": "1EdTechRevocationList"}}


def test_1edtech_revocation_list(http):
    http.get(REVOCATIONS, json={"id": REVOCATIONS, "issuer": "https://college.example/issuer",
                                "revokedCredentials": [{"id": "urn:uuid:badge-1", "revocationReason": "Cheating"},
                                                       {"id": "urn:uuid:badge-2", "revoked": False}]})
    revoked = only(check_status(onedtech_credential(), ctx()))
    assert revoked.outcome == "revoked" and "Cheating" in revoked.message
    assert only(check_status(onedtech_credential("urn:uuid:badge-2"), ctx())).status == "pass"
    assert only(check_status(onedtech_credential("urn:uuid:badge-3"), ctx())).status == "pass"


def test_1edtech_revocation_list_problems_are_unverifiable(http):
    assert only(check_status(onedtech_credential(), ctx())).outcome == "unverifiable"  # unreachable
    http.get(REVOCATIONS, json={"something": "else"})
    assert only(check_status(onedtech_credential(), ctx())).outcome == "unverifiable"
    cred = onedtech_credential()
    cred.pop("id")
    assert only(check_status(cred, ctx())).outcome == "unverifiable"


# --- corpus status lists -------------------------------------------------------------------------

VC_CORE_URL = ("https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/"
               "src/test-fixtures/status/e5WK8CbZ1GjycuPombrj")
VCTF = "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/"


@pytest.mark.parametrize("name, revoked", [("v1Revoked", True), ("v2Revoked", True),
                                           ("v1WithValidStatus", False), ("v2WithValidStatus", False)])
def test_dcc_verifier_core_status(http, name, revoked):
    http.get(VC_CORE_URL, json=load_json("digitalcredentials-verifier-core", "status", "e5WK8CbZ1GjycuPombrj.json"))
    credential = load_json("digitalcredentials-verifier-core", "fixtures", f"{name}.json")
    check = only(check_status(credential, ctx()))
    assert (check.outcome == "revoked") if revoked else (check.status == "pass"), check


@pytest.mark.parametrize("name, word", [("legacy-expiredStatus-noExpiry", "expired"),
                                        ("legacy-missingTypeStatus-noExpiry", "BitstringStatusListCredential"),
                                        ("legacy-notYetValidStatus-noExpiry", "valid on"),
                                        ("legacy-tamperedStatus-noExpiry", "signature")])
def test_dcc_untrustworthy_status_lists_are_unverifiable(http, name, word):
    for list_name in ("expired", "missingBitStringType", "notYetValid", "tampered"):
        http.get(VCTF + list_name, json=load_json("digitalcredentials-vc-test-fixtures", "statusLists",
                                                  "didkey-ed25519Signature2020", f"{list_name}.json"))
    credential = load_json("digitalcredentials-vc-test-fixtures", "vc", "v2", "ed25519", "didKey", f"{name}.json")
    # The lists were signed in December 2025: checked before that, their proofs would come from the future.
    later = VerifyContext(now=datetime(2026, 3, 1, tzinfo=UTC), fetcher=SafeFetcher())
    check = only(check_status(credential, later))
    assert check.outcome == "unverifiable" and word in check.message, check


def test_dcc_revoked_credential_with_delegated_list_is_revoked(http):
    """vc-test-fixtures noRegistry-revokedStatus-noExpiry: issuer z6MkqBcw…, the list is signed by z6MknNQD…."""
    http.get(VC_CORE_URL, json=load_json("digitalcredentials-verifier-core", "status", "e5WK8CbZ1GjycuPombrj.json"))
    credential = load_json("digitalcredentials-vc-test-fixtures", "vc", "v2", "dataIntegrityProof", "didKey",
                           "noRegistry-revokedStatus-noExpiry.json")
    check = only(check_status(credential, ctx()))
    assert check.outcome == "revoked" and "signed by did:key:z6MknNQD" in check.message


def test_playground_2022_statuslist2021_is_lsb_first_and_so_unverifiable(http):
    """The 2022 credential-status-playground list revoked index 3 (per its log) with byte 0 = 0x08.

    That is index 3 only when read LSB-first (Digital Bazaar's pre-2023 order); a spec (MSB-first)
    reader sees index 4 and would call the LCW demo credential "not revoked". The list gives no hint of
    its order, so we report that we cannot tell rather than guess either way.
    """
    status_list = load_json("digitalcredentials-credential-status-playground", "JWZM3H8WKU.json")
    bits = decode_encoded_list(status_list["credentialSubject"]["encodedList"])
    assert bits[0] == 0x08 and not any(bits[1:])
    assert bit_is_set(bits, 3, msb_first=False) and not bit_is_set(bits, 3, msb_first=True)

    http.get("https://digitalcredentials.github.io/credential-status-playground/JWZM3H8WKU", json=status_list)
    credential = load_json("digitalcredentials-learner-credential-wallet", "revokedCredential.json")
    check = only(check_status(credential, ctx()))
    assert check.outcome == "unverifiable" and "bit order" in check.message, check
    credential["credentialStatus"]["statusListIndex"] = 2  # clear in both orders
    assert only(check_status(credential, ctx())).status == "pass"


def test_1edtech_revoked_credential_with_fragment_key_list_is_unverifiable(http):
    """1EdTech testlist: bit 23 is set (MSB-first), but the list is signed by ``https://1edtech.edu/issuers/
    565049#z6Mk…`` with no controller document, so nothing binds its key to the issuer: could not check."""
    status_list = load_json("1edtech-digital-credentials-public-validator", "ob30", "bit-string-list", "testlist.json")
    assert bit_is_set(decode_encoded_list(status_list["credentialSubject"]["encodedList"]), 23)
    http.get("https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/"
             "inspector-vc/src/test/resources/ob30/bit-string-list/testlist", json=status_list)
    http.get("https://1edtech.edu/issuers/565049", status=404)
    credential = load_json("1edtech-digital-credentials-public-validator", "ob30", "bit-string-list",
                           "credential-status-revoked.json")
    check = only(check_status(credential, ctx()))
    assert check.outcome == "unverifiable" and "signature" in check.message, check
