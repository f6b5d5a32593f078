"""Credential status: is the credential revoked or suspended, according to its issuer's published list?

Supported ``credentialStatus`` types:

- ``BitstringStatusListEntry`` (W3C Bitstring Status List v1.0) and ``StatusList2021Entry``,
  ``RevocationList2020Status`` (its predecessors): a signed status list credential holds a
  gzip-compressed, base64url-encoded bitstring; the entry names an index in it.
- ``1EdTechRevocationList`` (1EdTech Revocation List Status Method): a JSON document listing
  ``revokedCredentials`` by credential id.

Decisions, each stated in the report sentence it leads to:

- Anything that stops us from reading the issuer's answer (list unreachable, not JSON, wrong type,
  proof not verifying, issuer mismatch, list expired or not yet valid, index out of range, unknown
  status type) is ``unverifiable`` — "could not check" — never "not revoked".
- A set revocation bit fails with outcome ``revoked``. A set suspension bit is a plain failure
  (verdict ``invalid``) whose sentence says the badge is *suspended*: suspension is temporary, but
  until the issuer lifts it the badge does not count, and "revoked" would overstate it.
- Bit order. Bitstring Status List is MSB-first: index 0 is the 0x80 bit of byte 0. The order was
  only written into the spec in early 2023 (w3c/vc-bitstring-status-list#36, #45); lists made
  before that by Digital Bazaar's library are LSB-first (index 0 = 0x01), e.g. the 2022
  credential-status-playground list, whose index 3 the issuer revoked and whose only set bit is 0x08.
  For the pre-standard types (``StatusList2021Entry``, ``RevocationList2020Status``) we read both
  orders: when they agree the answer stands; when they disagree the bit order decides the answer,
  the list does not say which order it uses, so the check is ``unverifiable`` with that explanation.
- The inflated bitstring is capped (:data:`MAX_LIST_BYTES`): a gzip bomb is refused, not inflated.
"""
from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import safejson
from .checks import CheckId
from .context import VerifyContext
from .jsonutil import issuer_id, strings
from .model import Check, failed, passed, skipped, transient, unverifiable
from .validity import day, parse_datetime

CHECK_ID = CheckId.REVOCATION
MAX_LIST_BYTES = 4 * 1024 * 1024  # 32 million entries; the spec minimum is 16 KB

# entry type → (list credential type, list subject type, index field, list URL field, pre-standard bit order?)
_BITSTRING_TYPES: dict[str, tuple[str, str, str, str, bool]] = {
    "BitstringStatusListEntry": ("BitstringStatusListCredential", "BitstringStatusList",
                                 "statusListIndex", "statusListCredential", False),
    "StatusList2021Entry": ("StatusList2021Credential", "StatusList2021",
                            "statusListIndex", "statusListCredential", True),
    "RevocationList2020Status": ("RevocationList2020Credential", "RevocationList2020",
                                 "revocationListIndex", "revocationListCredential", True),
}
REVOCATION_LIST_1EDTECH = "1EdTechRevocationList"


class StatusListError(ValueError):
    """The encoded list cannot be decoded (the message says why, for the report)."""


def check_status(credential: dict[str, Any], ctx: VerifyContext) -> list[Check]:
    """The ``status`` checks for every ``credentialStatus`` entry of ``credential``."""
    entries = credential.get("credentialStatus")
    if entries is None or entries == []:
        return [skipped(CHECK_ID, "The issuer publishes no status information for this badge "
                                  "(no revocation list to check).")]
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        return [unverifiable(CHECK_ID, "The badge's credentialStatus is not an object or a list, "
                                       "so we could not check whether it was revoked.")]
    return [_check_entry(entry, credential, ctx) for entry in entries]


def _check_entry(entry: Any, credential: dict[str, Any], ctx: VerifyContext) -> Check:
    if not isinstance(entry, dict):
        return unverifiable(CHECK_ID, "A credentialStatus entry is not an object, so we could not check "
                                      "whether the badge was revoked.")
    types = _types(entry)
    if REVOCATION_LIST_1EDTECH in types:
        return _check_1edtech_list(entry, credential, ctx)
    for entry_type, spec in _BITSTRING_TYPES.items():
        if entry_type in types:
            return _check_bitstring_entry(entry, entry_type, spec, credential, ctx)
    shown = ", ".join(types) or "no type"
    return unverifiable(CHECK_ID, f"The badge uses a status method we do not support ({shown}), "
                                  "so we could not check whether it was revoked.", retry=False)


# --- Bitstring Status List, StatusList2021, RevocationList2020 -------------------------------------

@dataclass(frozen=True)
class _Entry:
    type: str
    purpose: str
    index: int
    list_url: str
    size: int


def _parse_entry(entry: dict[str, Any], entry_type: str, index_field: str,
                 url_field: str) -> tuple[_Entry | None, str | None]:
    url = entry.get(url_field)
    if not isinstance(url, str) or not url.strip():
        return None, f"its {entry_type} entry has no {url_field}"
    raw_index = entry.get(index_field)
    if isinstance(raw_index, bool) or not isinstance(raw_index, (int, str)) \
            or not _decimal(str(raw_index)):
        return None, f"its {entry_type} entry has no valid {index_field} ({raw_index!r})"
    raw_size = entry.get("statusSize", 1)
    if isinstance(raw_size, bool) or not _decimal(str(raw_size)) or int(str(raw_size)) < 1:
        return None, f"its {entry_type} entry has an invalid statusSize ({raw_size!r})"
    purpose = entry.get("statusPurpose", "revocation")  # RevocationList2020 has no purpose field
    if not isinstance(purpose, str):
        return None, f"its {entry_type} entry has an invalid statusPurpose"
    return _Entry(entry_type, purpose.strip(), int(str(raw_index).strip()), url.strip(),
                  int(str(raw_size).strip())), None


def _decimal(text: str) -> bool:
    """A plain non-negative decimal in ASCII digits (str.isdigit() also takes "²" and "１０")."""
    text = text.strip()
    return text.isascii() and text.isdigit()


def _check_bitstring_entry(entry: dict[str, Any], entry_type: str, spec: tuple[str, str, str, str, bool],
                           credential: dict[str, Any], ctx: VerifyContext) -> Check:
    list_type, subject_type, index_field, url_field, legacy_order = spec
    parsed, error = _parse_entry(entry, entry_type, index_field, url_field)
    if parsed is None:
        return unverifiable(CHECK_ID, f"We could not check whether the badge was revoked: {error}.")
    if parsed.purpose not in ("revocation", "suspension"):
        return skipped(CHECK_ID, f"The badge has a status entry for '{parsed.purpose}', which does not "
                                 "affect whether it counts; it was not checked.")
    if parsed.size != 1:
        return unverifiable(CHECK_ID, f"The badge's {parsed.purpose} entry uses {parsed.size}-bit status "
                                      "values, which we do not read; we could not check it.")

    status_list, reason = _load_status_list(parsed.list_url, list_type, credential, ctx)
    if status_list is None:
        return unverifiable(CHECK_ID, f"We could not check whether the badge was {_past(parsed.purpose)}: "
                                      f"{reason}.", retry=isinstance(reason, _Unreachable) or None)
    subject = status_list.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, dict):
        return unverifiable(CHECK_ID, f"We could not check the badge's status: the status list at "
                                      f"{parsed.list_url} has no credentialSubject.")
    if subject_type not in _types(subject):
        return unverifiable(CHECK_ID, f"We could not check the badge's status: the status list at "
                                      f"{parsed.list_url} is not a {subject_type}.")
    list_purpose = subject.get("statusPurpose", "revocation")
    list_purposes = list_purpose if isinstance(list_purpose, list) else [list_purpose]
    if parsed.purpose not in list_purposes:
        return unverifiable(CHECK_ID, f"We could not check the badge's status: its entry is for "
                                      f"'{parsed.purpose}' but the list at {parsed.list_url} is for "
                                      f"'{', '.join(map(str, list_purposes))}'.")
    try:
        bits = decode_encoded_list(subject.get("encodedList"))
    except StatusListError as exc:
        return unverifiable(CHECK_ID, f"We could not check the badge's status: the list at "
                                      f"{parsed.list_url} {exc}.")
    if parsed.index >= len(bits) * 8:
        return unverifiable(CHECK_ID, f"We could not check the badge's status: its index {parsed.index} "
                                      f"lies beyond the end of the list ({len(bits) * 8} entries).")

    msb = bit_is_set(bits, parsed.index, msb_first=True)
    if legacy_order:
        lsb = bit_is_set(bits, parsed.index, msb_first=False)
        if msb != lsb:
            return unverifiable(
                CHECK_ID,
                f"We could not tell whether the badge was {_past(parsed.purpose)}: its status list "
                f"({parsed.list_url}) is a {entry_type.removesuffix('Entry').removesuffix('Status')} list, "
                "a format whose bit order was only settled in 2023, and the two orders in use give different "
                f"answers for index {parsed.index} (set when read "
                f"{'first-bit-first' if msb else 'last-bit-first'}, clear the other way).")
    where = f"(index {parsed.index} of {parsed.list_url})"
    list_issuer = issuer_id(status_list)
    if list_issuer != issuer_id(credential):
        where += f", a list signed by {list_issuer} to which the issuer's signed badge points"
    if not msb:
        return passed(CHECK_ID, f"The issuer's status list says this badge has not been "
                                f"{_past(parsed.purpose)} {where}.")
    if parsed.purpose == "revocation":
        return failed(CHECK_ID, f"The issuer has revoked this badge {where}.", "revoked")
    return failed(CHECK_ID, f"The issuer has suspended this badge {where}: until the issuer lifts the "
                            "suspension it does not count.")


def _past(purpose: str) -> str:
    return "suspended" if purpose == "suspension" else "revoked"


class _Unreachable(str):
    """The reason a status list could not be had, when the network (not the list) is to blame."""


def _load_status_list(url: str, list_type: str, credential: dict[str, Any],
                      ctx: VerifyContext) -> tuple[dict[str, Any] | None, str | None]:
    """Fetch the status list credential and establish that it is signed by its issuer and current."""
    fetched = ctx.fetcher.get(url, accept="application/vc+ld+json, application/ld+json, "
                                          "application/json;q=0.9, application/vc+jwt;q=0.8, */*;q=0.1")
    if not fetched.ok:
        reason = f"the status list {url} could not be fetched ({fetched.error or f'HTTP {fetched.status}'})"
        return None, _Unreachable(reason) if transient(fetched.status) else reason
    doc, jwt_checks = _parse_status_document(fetched.content, ctx)
    if doc is None:
        return None, f"{url} did not return a status list credential"
    if list_type not in _types(doc):
        return None, f"{url} is not a {list_type} (its type is {', '.join(_types(doc)) or 'missing'})"

    # The issuer's signed badge names this list, so the issuer delegates its status to whoever signs
    # the list (the Digital Credentials Consortium signs lists with a separate key). The list must be
    # signed by its own declared issuer; a different signer is named in the check's sentence.
    list_issuer = issuer_id(doc)
    if not list_issuer:
        return None, "the status list does not name its issuer"

    proof_problem = _proof_problem(doc, jwt_checks, list_issuer, ctx)
    if proof_problem:
        return None, proof_problem

    window = _time_problem(doc, ctx.now)
    if window:
        return None, window
    return doc, None


def _parse_status_document(content: bytes, ctx: VerifyContext) -> tuple[dict[str, Any] | None, list[Check] | None]:
    """(document, checks of its VC-JWT layer or None when it is JSON-LD with embedded proofs)."""
    text = content.decode("utf-8-sig", "replace").strip()
    if text.startswith("{"):
        try:
            doc = safejson.loads(text)
        except ValueError:
            return None, None
        return (doc, None) if isinstance(doc, dict) else (None, None)
    if text.count(".") == 2 and " " not in text:
        from .proofs.vcjwt import verify_vcjwt

        result = verify_vcjwt(text, ctx)
        return result.credential, result.checks
    return None, None


def _proof_problem(doc: dict[str, Any], jwt_checks: list[Check] | None, issuer: str,
                   ctx: VerifyContext) -> str | None:
    """Why the status list's own proof cannot be trusted, or None when it verified."""
    if jwt_checks is not None:
        checks = jwt_checks
    else:
        if not doc.get("proof"):
            return "the status list is not signed, so anyone could have written it"
        try:
            from .proofs.data_integrity import verify_document_proofs
        except ImportError:
            return "the status list's signature cannot be checked here (Data Integrity support missing)"
        try:
            checks = verify_document_proofs(doc, ctx, expected_controller=issuer)
        except Exception as exc:  # a bug in a proof suite must not read as "not revoked"
            return f"the status list's signature could not be checked ({exc.__class__.__name__})"
    bad = next((c for c in checks if c.status == "fail"), None)
    if bad is not None:
        return f"the status list's own signature could not be confirmed ({bad.message.rstrip('.')})"
    if not any(c.status == "pass" and c.authenticates for c in checks):
        return "the status list's signature could not be confirmed"
    return None


def _time_problem(doc: dict[str, Any], now: datetime) -> str | None:
    """Status lists that expired (or are not valid yet) give no trustworthy answer: unverifiable."""
    until = parse_datetime(doc.get("validUntil") or doc.get("expirationDate"))
    if until is not None and until <= now:
        return f"the issuer's status list expired on {day(until)}, so its answer can no longer be trusted"
    start = parse_datetime(doc.get("validFrom"))
    if start is not None and start > now:
        return f"the issuer's status list only becomes valid on {day(start)}"
    return None


def decode_encoded_list(encoded: Any, max_bytes: int = MAX_LIST_BYTES) -> bytes:
    """The raw bitstring of an ``encodedList``: optional multibase ``u``, base64url (padding optional),
    gzip. Inflating stops at ``max_bytes``; a larger list is refused."""
    if not isinstance(encoded, str) or not encoded.strip():
        raise StatusListError("has no encodedList")
    text = encoded.strip()
    if text.startswith("u"):  # multibase base64url; a bare gzip+base64 string starts with "H4s"
        text = text[1:]
    text = text.replace("+", "-").replace("/", "_").rstrip("=")
    try:
        compressed = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise StatusListError("has an encodedList that is not base64url") from None
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip only
    try:
        bits = inflater.decompress(compressed, max_bytes)
        if inflater.unconsumed_tail:
            raise StatusListError(f"inflates to more than {max_bytes} bytes; refused")
        bits += inflater.flush()
    except zlib.error:
        raise StatusListError("has an encodedList that is not gzip data") from None
    if len(bits) > max_bytes:
        raise StatusListError(f"inflates to more than {max_bytes} bytes; refused")
    if not inflater.eof:
        raise StatusListError("has a truncated encodedList")
    if not bits:
        raise StatusListError("has an empty encodedList")
    return bits


def bit_is_set(bits: bytes, index: int, *, msb_first: bool = True) -> bool:
    """Whether entry ``index`` is set; MSB-first puts index 0 at 0x80 of byte 0 (Bitstring Status List)."""
    byte = bits[index // 8]
    shift = 7 - index % 8 if msb_first else index % 8
    return bool(byte >> shift & 1)


# --- 1EdTech Revocation List ---------------------------------------------------------------------

def _check_1edtech_list(entry: dict[str, Any], credential: dict[str, Any], ctx: VerifyContext) -> Check:
    url = entry.get("id")
    if not isinstance(url, str) or not url.strip():
        return unverifiable(CHECK_ID, "We could not check whether the badge was revoked: its "
                                      "1EdTechRevocationList entry has no id (the list's URL).")
    credential_id = credential.get("id")
    if not isinstance(credential_id, str) or not credential_id:
        return unverifiable(CHECK_ID, "We could not check whether the badge was revoked: the badge has no "
                                      "id to look up in its issuer's revocation list.")
    fetched = ctx.fetcher.get(url.strip())
    if not fetched.ok:
        return unverifiable(CHECK_ID, f"We could not check whether the badge was revoked: the revocation "
                                      f"list {url} could not be fetched "
                                      f"({fetched.error or f'HTTP {fetched.status}'}).",
                            retry=transient(fetched.status))
    doc, error = fetched.json()
    revoked = doc.get("revokedCredentials") if isinstance(doc, dict) else None
    if error or not isinstance(revoked, list):
        return unverifiable(CHECK_ID, f"We could not check whether the badge was revoked: {url} is not a "
                                      "revocation list (no revokedCredentials).")
    list_issuer = issuer_id(doc)
    if list_issuer and list_issuer != issuer_id(credential):
        return unverifiable(CHECK_ID, f"We could not check whether the badge was revoked: the list at {url} "
                                      f"belongs to {list_issuer}, not to the badge's issuer.")
    for item in revoked:
        item_id = item.get("id") if isinstance(item, dict) else item
        if item_id != credential_id:
            continue
        if isinstance(item, dict) and item.get("revoked") is False:
            continue
        reason = item.get("revocationReason") if isinstance(item, dict) else None
        because = f" Reason given: {reason}." if isinstance(reason, str) and reason.strip() else ""
        return failed(CHECK_ID, f"The issuer has revoked this badge (listed in {url}).{because}", "revoked")
    return passed(CHECK_ID, f"The issuer's revocation list ({url}) does not list this badge as revoked.")


# --- helpers -------------------------------------------------------------------------------------

def _types(obj: dict[str, Any]) -> list[str]:
    return strings(obj.get("type", obj.get("@type")))
