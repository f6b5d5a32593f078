"""Open Badges 3.0 / Verifiable Credentials verification (Data Integrity JSON-LD, VC-JWT, unsigned).

Steps, in order: proof(s) (``proofs/data_integrity.py`` or ``proofs/vcjwt.py``, which also yield the
``context``, ``unsigned-fields``, ``key`` and ``key-binding`` checks), then the checks shared with
the other formats: ``expiry``/``issued`` (validity.py), ``recipient`` (recipient.py), ``status``
(status.py) and ``schema`` (schema.py). The credential is normalized into a :class:`Badge` whatever
its VC Data Model version (1.1 ``issuanceDate``/``expirationDate`` or 2.0 ``validFrom``/``validUntil``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import schema, status
from .checks import CheckId
from .context import VerifyContext
from .jsonutil import as_list, dicts, issuer_id, strings
from .language_maps import text_of
from .model import Alignment, Badge, Check, Issuer, Recipient, Report, failed, skipped, unverifiable
from .proofs import vcjwt
from .proofs.data_integrity import verify_document_proofs
from .recipient import recipient_check
from .report import make_report
from .validity import parse_datetime, time_checks


def verify_credential(credential: dict[str, Any], ctx: VerifyContext) -> Report:
    """A credential as JSON-LD, secured by Data Integrity proof(s) (or unsigned)."""
    if not isinstance(credential, dict):
        return make_report("ob3-unsigned", [failed(CheckId.PARSE, "The credential is not a JSON object.")])
    badge = normalize(credential)
    signed = credential.get("proof") not in (None, [], {})
    fmt = "ob3-data-integrity" if signed else "ob3-unsigned"
    checks = _shape_checks(credential)
    if signed:
        checks += _guard(CheckId.SIGNATURE, lambda: verify_document_proofs(credential, ctx,
                                                                expected_controller=issuer_id(credential)),
                         unverifiable_on_error=True)
    else:
        checks.append(unverifiable(CheckId.SIGNATURE, "This credential is not signed: it carries no proof, so nothing "
                                   "shows who issued it or that it was not changed since.", retry=False))
    checks += post_proof_checks(credential, badge, ctx)
    return make_report(fmt, checks, badge)


def verify_jwt(token: str, ctx: VerifyContext) -> Report:
    """A credential secured as a VC-JWT (compact JWS)."""
    try:
        result = vcjwt.verify_vcjwt(token, ctx)
    except NotImplementedError:
        return make_report("ob3-jwt", [unverifiable(CheckId.SIGNATURE, "Credentials signed as a JWT cannot be checked "
                                                    "yet by this verifier.", retry=False)])
    except Exception as exc:  # errors as values, never an exception from verify()
        return make_report("ob3-jwt", [unverifiable(CheckId.SIGNATURE, f"The JWT could not be checked "
                                                    f"({exc.__class__.__name__}).")])
    checks = list(result.checks)
    badge = None
    if isinstance(result.credential, dict):
        badge = normalize(result.credential)
        checks += context_check(result.credential)
        checks += post_proof_checks(result.credential, badge, ctx)
    return make_report("ob3-jwt", checks, badge)


# --- checks after the proof --------------------------------------------------------------------

VC_CONTEXTS = ("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1")


def context_check(credential: dict[str, Any]) -> list[Check]:
    """``structure``: the first ``@context`` must be the Verifiable Credentials context (v2 or v1).

    Order is significant in JSON-LD: a context placed before the VC context can define the terms the
    VC context protects (``issuer``, ``validFrom``, ``proof``…) differently, so the signed meaning would
    not be the one a reader of the VC Data Model sees.
    """
    contexts = as_list(credential.get("@context"))
    first = contexts[0] if contexts else None
    if first in VC_CONTEXTS:
        return []
    if not contexts:
        return [failed(CheckId.STRUCTURE, "The credential has no @context; its first context must be the "
                       f"Verifiable Credentials context ({VC_CONTEXTS[0]} or {VC_CONTEXTS[1]}).")]
    shown = first if isinstance(first, str) else "an inline context"
    where = " (it comes later: the order of contexts is significant)" if any(c in VC_CONTEXTS for c in contexts) else ""
    return [failed(CheckId.STRUCTURE, f"The credential's first @context is {shown}, not the Verifiable "
                   f"Credentials context ({VC_CONTEXTS[0]} or {VC_CONTEXTS[1]}){where}.")]


def _shape_checks(credential: dict[str, Any]) -> list[Check]:
    checks: list[Check] = context_check(credential)
    if "VerifiableCredential" not in as_list(credential.get("type")):
        checks.append(failed(CheckId.STRUCTURE, "The credential does not have the type VerifiableCredential."))
    if issuer_id(credential) is None:
        checks.append(failed(CheckId.ISSUER, "The credential does not name its issuer (issuer or issuer.id)."))
    return checks


def _guard(check_id: str, step: Callable[[], list[Check]], *, unverifiable_on_error: bool) -> list[Check]:
    """Run a step; an unfinished step (NotImplementedError) is a skip, a crash a failed check."""
    try:
        return list(step())
    except NotImplementedError:
        return [skipped(check_id, f"The {check_id} check is not available yet in this verifier.")]
    except Exception as exc:
        message = f"The {check_id} check could not be carried out ({exc.__class__.__name__}: {exc})."
        return [unverifiable(check_id, message) if unverifiable_on_error else skipped(check_id, message)]


def post_proof_checks(credential: dict[str, Any], badge: Badge, ctx: VerifyContext) -> list[Check]:
    """``expiry``, ``issued``, ``recipient``, ``status`` and ``schema`` for an OB 3.0 credential."""
    checks: list[Check] = []
    v2 = "validFrom" in credential or "validUntil" in credential or "issuanceDate" not in credential
    start_field = "validFrom" if "validFrom" in credential else "issuanceDate"
    end_field = "validUntil" if "validUntil" in credential else ("expirationDate" if "expirationDate" in credential
                                                               else ("validUntil" if v2 else "expirationDate"))
    bad_dates = [f for f in (start_field, end_field, "issuanceDate", "validFrom")
                 if f in credential and parse_datetime(credential.get(f)) is None]
    if bad_dates:
        checks.append(failed(CheckId.ISSUED, f"The credential's {', '.join(dict.fromkeys(bad_dates))} "
                             "is not a valid date."))
    else:
        valid_from = parse_datetime(credential.get("validFrom"))
        checks += time_checks(ctx.now, issued_on=badge.issued_on, expires=badge.expires,
                              valid_from=valid_from)
    checks.append(recipient_check(badge.recipient, ctx.recipient))
    checks += _guard(CheckId.REVOCATION, lambda: status.check_status(credential, ctx), unverifiable_on_error=True)
    checks += _guard(CheckId.SCHEMA, lambda: schema.check_schema(credential), unverifiable_on_error=False)
    return checks


# --- normalization -----------------------------------------------------------------------------

_str = text_of  # strings, value objects, language maps, lists of them (verifier/language_maps.py)


def _image(value: Any) -> str | None:
    if isinstance(value, dict):
        return _str(value.get("id"))
    return _str(value)


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _issuer(value: Any) -> Issuer:
    if isinstance(value, str):
        return Issuer(id=value)
    if not isinstance(value, dict):
        return Issuer()
    return Issuer(id=_str(value.get("id")), name=_str(value.get("name")), url=_str(value.get("url")),
                  email=_str(value.get("email")), description=_str(value.get("description")),
                  image=_image(value.get("image")), type=strings(value.get("type")),
                  other_identifiers=dicts(value.get("otherIdentifier")))


_IDENTITY_TYPES = {"emailAddress": "email", "url": "url", "phone": "telephone", "did": "did"}


def _recipient(subject: dict[str, Any]) -> Recipient:
    name = _str(subject.get("name"))
    for ident in dicts(subject.get("identifier")):
        identity = _str(ident.get("identityHash"))
        if not identity:
            continue
        kind = _str(ident.get("identityType")) or "identity"
        hashed = ident.get("hashed") is True or str(ident.get("hashed")).lower() == "true"
        return Recipient(identity=identity, type=_IDENTITY_TYPES.get(kind, kind), hashed=hashed,
                         salt=_str(ident.get("salt")) if hashed else None, name=name)
    subject_id = _str(subject.get("id"))
    if subject_id:
        kind = "did" if subject_id.startswith("did:") else ("email" if subject_id.startswith("mailto:")
                                                           else "url" if subject_id.startswith("http") else "id")
        identity = subject_id[len("mailto:"):] if kind == "email" else subject_id
        return Recipient(identity=identity, type=kind, name=name)
    return Recipient(name=name)


def _alignment(value: dict[str, Any]) -> Alignment:
    return Alignment(target_name=_str(value.get("targetName")), target_url=_str(value.get("targetUrl")),
                     target_description=_str(value.get("targetDescription")),
                     target_framework=_str(value.get("targetFramework")),
                     target_code=_str(value.get("targetCode")), target_type=_str(value.get("targetType")))


def normalize(credential: dict[str, Any]) -> Badge:
    """An OB 3.0 credential (OpenBadge/Achievement/Endorsement, VCDM 1.1 or 2.0) as a :class:`Badge`."""
    subjects = dicts(credential.get("credentialSubject"))
    subject = subjects[0] if subjects else {}
    achievement = found if isinstance(found := subject.get("achievement"), dict) else {}
    criteria = found if isinstance(found := achievement.get("criteria"), dict) else {}
    issued = parse_datetime(credential.get("validFrom")) or parse_datetime(credential.get("issuanceDate"))
    expires = parse_datetime(credential.get("validUntil")) or parse_datetime(credential.get("expirationDate"))
    achievement_type = achievement.get("achievementType")
    return Badge(
        spec_version="3.0",
        id=_str(credential.get("id")),
        name=_str(achievement.get("name")) or _str(credential.get("name")) or "",
        description=(_str(achievement.get("description")) or _str(credential.get("description"))
                     or _str(subject.get("endorsementComment")) or ""),
        image=_image(achievement.get("image")) or _image(credential.get("image")),
        criteria=_str(criteria.get("narrative")),
        criteria_url=_str(criteria.get("id")),
        issuer=_issuer(credential.get("issuer")),
        recipient=_recipient(subject),
        issued_on=issued,
        expires=expires,
        badge_class_id=_str(achievement.get("id")),
        credential_types=strings(credential.get("type")),
        achievement_type=_str(achievement_type),
        evidence=dicts(credential.get("evidence")),
        alignment=[_alignment(a) for a in dicts(achievement.get("alignment"))],
        tags=strings(achievement.get("tag")),
        credits_available=_float(achievement.get("creditsAvailable")),
        field_of_study=_str(achievement.get("fieldOfStudy")),
        specialization=_str(achievement.get("specialization")),
        human_code=_str(achievement.get("humanCode")),
        result_description=dicts(achievement.get("resultDescription")),
        result=dicts(subject.get("result")),
        raw={"credential": credential},
    )
