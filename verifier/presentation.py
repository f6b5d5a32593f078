"""Verifiable Presentations (VCDM 2.0, Data Integrity): the holder's proof, then each credential inside.

A presentation answers a question a credential cannot: *is the person showing these credentials the
one they were issued to?* Steps:

1. structure: ``type`` has ``VerifiablePresentation``, ``holder`` is a DID or URL, credentials are embedded
   JSON-LD credentials or ``EnvelopedVerifiableCredential`` s holding a VC-JWT (``data:application/vc+jwt,…``,
   enveloped.py); an SD-JWT or an unknown media type is reported as not checked, never trusted;
2. the holder's proof (:func:`verifier.proofs.data_integrity.verify_document_proofs` with
   ``proofPurpose`` ``authentication`` and the holder as the key's controller) → ``holder``; the
   ``challenge``/``domain`` the verifier asked for must be the ones signed (without one, a presentation can
   be replayed by anyone who saw it — said as a warning);
3. each credential verified as on its own (a :class:`NestedReport` with role ``credential``), and whether
   its subject is the holder (``credentialSubject.id``, or a JWT's ``sub``, is the holder's DID): a credential issued to an
   e-mail address cannot be tied to the holder's key, and the report says so.

The presentation's verdict is the holder proof's; a bad credential does not make the holder's
signature false, but the ``nested`` check fails when any credential is not valid, so the verdict is
``invalid`` unless every credential is — a recruiter must never read "valid" over a forged badge.
"""
from __future__ import annotations

from typing import Any

from .checks import CheckId
from .context import VerifyContext
from .enveloped import is_enveloped, open_envelope, subject_ids
from .jsonutil import as_list
from .model import Check, Format, NestedReport, Report, failed, passed, warned
from .proofs.data_integrity import verify_document_proofs
from .report import make_report

MAX_CREDENTIALS = 50


def is_presentation(doc: Any) -> bool:
    return isinstance(doc, dict) and "VerifiablePresentation" in as_list(doc.get("type"))


def _holder(doc: dict[str, Any]) -> str | None:
    holder = doc.get("holder")
    if isinstance(holder, dict):
        holder = holder.get("id")
    return holder if isinstance(holder, str) and holder.strip() else None


def _for_holder(check: Check) -> Check:
    """The proof module speaks of "the issuer"; for a presentation the signer is the holder."""
    message = (check.message.replace("the issuer's document", "the holder's document")
               .replace("The issuer's document", "The holder's document")
               .replace("the issuer", "the holder").replace("names no issuer", "names no holder"))
    return Check(check.id, check.status, message, check.outcome, check.authenticates)


def _challenge_checks(proofs: list[Any], challenge: str | None, domain: str | None) -> list[Check]:
    out: list[Check] = []
    signed = [p for p in proofs if isinstance(p, dict)]
    for field, wanted in (("challenge", challenge), ("domain", domain)):
        got = {p.get(field) for p in signed}
        if wanted is None:
            if field == "challenge":
                out.append(warned(CheckId.HOLDER, "No challenge was asked for, so this presentation could be a copy "
                                  "replayed by anyone who saw it; ask for a fresh one to be sure it is live."))
            continue
        if got != {wanted}:
            out.append(failed(CheckId.HOLDER, f"The presentation was not made for this request: its {field} is "
                              f"{sorted(map(str, got))[0] if got else 'missing'!r}, not {wanted!r}."))
        else:
            out.append(passed(CheckId.HOLDER, f"The presentation was signed for this request ({field} {wanted!r})."))
    return out


def _subject_ids(credential: dict[str, Any]) -> list[str]:
    return [s["id"] for s in as_list(credential.get("credentialSubject"))
            if isinstance(s, dict) and isinstance(s.get("id"), str)]


def verify_presentation(doc: dict[str, Any], ctx: VerifyContext, *, challenge: str | None = None,
                        domain: str | None = None) -> Report:
    """Verify a presentation (see the module doc). Never raises for bad input."""
    from .api import verify_with  # the credentials inside go through the ordinary entry point

    fmt = Format.VP_DATA_INTEGRITY
    holder = _holder(doc)
    credentials = as_list(doc.get("verifiableCredential"))
    checks: list[Check] = []
    if "VerifiablePresentation" not in as_list(doc.get("type")):
        checks.append(failed(CheckId.STRUCTURE, "This is not a presentation: its type lacks VerifiablePresentation."))
    if holder is None:
        checks.append(failed(CheckId.HOLDER, "The presentation does not name its holder, so nobody can be shown "
                             "to have presented it."))
    if not credentials:
        checks.append(failed(CheckId.STRUCTURE, "The presentation holds no credential."))
    if len(credentials) > MAX_CREDENTIALS:
        return make_report(fmt, checks + [failed(CheckId.STRUCTURE, f"The presentation holds {len(credentials)} "
                                                 f"credentials; at most {MAX_CREDENTIALS} are checked.")])
    proofs = as_list(doc.get("proof"))
    if holder is not None:
        proof_checks = [_for_holder(c) for c in verify_document_proofs(doc, ctx, expected_controller=holder,
                                                                       expected_purpose="authentication")]
        checks += proof_checks
        signed = any(c.id == CheckId.SIGNATURE and c.status == "pass" for c in proof_checks)
        owned = any(c.id == CheckId.KEY_OWNER and c.status == "pass" for c in proof_checks)
        if signed and owned:
            checks.append(passed(CheckId.HOLDER, f"The presentation was signed by its holder {holder}."))
        else:
            checks.append(failed(CheckId.HOLDER, f"The holder's signature does not hold, so nothing shows that "
                                 f"{holder} presented these credentials."))
        checks += _challenge_checks(proofs, challenge, domain)

    nested: list[NestedReport] = []
    for i, credential in enumerate(credentials, 1):
        label = f"Credential {i}"
        if is_enveloped(credential):
            opened = open_envelope(credential)
            if opened.token is None:
                checks.append(failed(CheckId.NESTED, f"{label} is an enveloped credential that was not checked: "
                                     f"{opened.error}."))
                continue
            report = verify_with(opened.token, ctx)
            subjects = subject_ids(opened.token)
        elif isinstance(credential, dict):
            report = verify_with(credential, ctx)
            subjects = _subject_ids(credential)
        else:
            checks.append(failed(CheckId.NESTED, f"{label} is not a credential this verifier can check (not a JSON "
                                 "object)."))
            continue
        nested.append(NestedReport("credential", report))
        name = f"{label} (“{report.badge.name}”)" if report.badge and report.badge.name else label
        if holder is not None and holder in subjects:
            checks.append(passed(CheckId.HOLDER, f"{name} was issued to the holder: its subject is {holder}."))
        elif subjects:
            checks.append(warned(CheckId.HOLDER, f"{name} was issued to someone identified otherwise than the "
                                 "holder's DID: the holder's signature does not show it is theirs."))
        else:
            checks.append(warned(CheckId.HOLDER, f"{name} names its subject by a (possibly hashed) identity, not a "
                                 "DID: the holder's signature does not show it is theirs."))
    if nested:
        bad = [i for i, n in enumerate(nested, 1) if n.report.verdict != "valid"]
        if bad:
            checks.append(failed(CheckId.NESTED, f"Not every credential in the presentation is valid (credential "
                                 f"{', '.join(map(str, bad))}: {', '.join(str(nested[i - 1].report.verdict) for i in bad)})."))
        else:
            checks.append(passed(CheckId.NESTED, f"All {len(nested)} credential(s) in the presentation are valid."))
    return make_report(fmt, checks, None, issuer_identity=None, nested=tuple(nested))
