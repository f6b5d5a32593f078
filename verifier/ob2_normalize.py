"""Open Badges 0.5 / 1.0 / 1.1 / 2.0 documents → the one :class:`Badge` record, plus the shape rules.

Everything here is pure (no network): version detection, the assertion's own address, the
well-formedness problems of each node, and the upgrade of every version to one record.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any, TypeGuard
from urllib.parse import urljoin, urlsplit

import jsonschema

from .jsonutil import as_list, strings
from .language_maps import text_of
from .model import Alignment, Badge, Issuer, Recipient
from .pinned import pinned_by_url
from .validity import parse_datetime

OB2_CONTEXTS = {"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json",
                "http://w3id.org/openbadges/v2", "http://openbadgespec.org/v2/context.json"}
OB1_CONTEXTS = {"https://w3id.org/openbadges/v1", "https://openbadgespec.org/v1/context.json",
                "http://w3id.org/openbadges/v1", "http://openbadgespec.org/v1/context.json"}
_OBI = "https://w3id.org/openbadges#"
_HASHED = re.compile(r"^(sha1|sha256|sha512|md5)\$[0-9a-fA-F]+$")


def is_http_url(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and urlsplit(value).scheme in ("http", "https") and bool(urlsplit(value).netloc)


def authority(url: str | None) -> str | None:
    """``host[:port]`` of an http(s) URL, lower-cased; None for anything else (urn:, did:, …)."""
    if not is_http_url(url):
        return None
    return urlsplit(url).netloc.lower().rsplit("@", 1)[-1]


def node_id(value: Any) -> str | None:
    """The id of a node given as an IRI string or as an embedded object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(found := value.get("id"), str):
        return found
    return None


def truthy(value: Any) -> bool:
    """OB 1.0 allowed booleans as strings ("true", "TrUE")."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _contexts(doc: dict[str, Any]) -> list[Any]:
    return as_list(doc.get("@context"))


def detect_version(assertion: dict[str, Any]) -> str:
    """"2.0", "1.1", "1.0" or "0.5" (by @context, then by shape)."""
    strings = {c for c in _contexts(assertion) if isinstance(c, str)}
    if strings & OB2_CONTEXTS:
        return "2.0"
    if strings & OB1_CONTEXTS:
        return "1.1"
    if "@context" in assertion or "verification" in assertion:
        return "2.0"  # an unknown context: judged (and refused) as 2.0 by context_problem
    badge = assertion.get("badge")
    if "verify" not in assertion and (isinstance(badge, dict) and ("version" in badge or "issuer" in badge)
                                      or "issued_on" in assertion or isinstance(assertion.get("recipient"), str)):
        return "0.5"
    return "1.0"


def context_problem(doc: dict[str, Any], version: str) -> str | None:
    """Why a 1.1/2.0 document's @context is wrong (inline context objects are accepted)."""
    if version not in ("1.1", "2.0"):
        return None
    contexts = _contexts(doc)
    if not contexts:
        return "it has no @context" if version == "2.0" else None
    strings = [c for c in contexts if isinstance(c, str)]
    if any(isinstance(c, dict) for c in contexts) and not strings:
        return None
    if not set(strings) & (OB2_CONTEXTS | OB1_CONTEXTS):
        shown = strings[0] if strings else "not a URL"
        return f"its @context ({shown}) is not the Open Badges context"
    return None


def has_type(doc: dict[str, Any], *names: str) -> bool:
    types = set(strings(doc.get("type")))
    wanted = set(names) | {f"obi:{n}" for n in names} | {_OBI + n for n in names}
    return bool(types & wanted)


def verification_type(assertion: dict[str, Any]) -> str | None:
    """"hosted", "signed" or None, from ``verification`` (2.0) or ``verify`` (1.x)."""
    block = found if isinstance(found := assertion.get("verification"), dict) else assertion.get("verify")
    if not isinstance(block, dict):
        return None
    kind = str(block.get("type") or "").strip().lower()
    if kind in ("hosted", "hostedbadge", "obi:hostedbadge"):
        return "hosted"
    if kind in ("signed", "signedbadge", "obi:signedbadge"):
        return "signed"
    return kind or None


def verify_url(assertion: dict[str, Any]) -> str | None:
    block = assertion.get("verify") or assertion.get("verification")
    url = block.get("url") if isinstance(block, dict) else None
    return url if isinstance(url, str) else None


def assertion_url(assertion: dict[str, Any], version: str) -> str | None:
    """Where the hosted copy lives: the id (2.0/1.1) or ``verify.url`` (1.0); None if not a web address."""
    candidates = [assertion.get("id"), verify_url(assertion)] if version in ("2.0", "1.1") \
        else [verify_url(assertion), assertion.get("id")]
    return next((c for c in candidates if is_http_url(c)), None)


def signing_key_url(assertion: dict[str, Any], version: str) -> str | None:
    """``verification.creator`` (2.0) or the 1.x ``verify.url`` of a signed badge."""
    block = found if isinstance(found := assertion.get("verification"), dict) else assertion.get("verify")
    if not isinstance(block, dict):
        return None
    url = block.get("creator") if version in ("2.0", "1.1") else None
    url = url or (block.get("url") if version in ("1.0", "1.1") else None)
    return url if isinstance(url, str) else None


# --- Shape rules -----------------------------------------------------------------------------------

UNSTATED_VERIFICATION = "it does not say how it is verified (hosted or signed)"


def assertion_problems(assertion: dict[str, Any], version: str) -> list[str]:
    """What makes an assertion malformed, as short phrases ("its issue date is not a real date")."""
    problems: list[str] = []
    ctx = context_problem(assertion, version)
    if ctx:
        problems.append(ctx)
    if version in ("1.1", "2.0"):
        if "type" in assertion and not has_type(assertion, "Assertion"):
            problems.append(f"its type is {assertion.get('type')!r}, not Assertion")
        elif "type" not in assertion and version == "2.0":
            problems.append("it does not say it is an Assertion (no type)")
        if not node_id(assertion):
            problems.append("it has no id")
        image = assertion.get("image")
        if (image_id := node_id(image)) is not None and image_id.startswith("data:"):
            problems.append("its image is embedded as a data: URI, which Open Badges 2.0 allows only for badge classes")
    recipient = assertion.get("recipient")
    if version == "0.5":
        if not isinstance(recipient, str) or not recipient.strip():
            problems.append("it names no recipient")
    elif not isinstance(recipient, dict):
        problems.append("its recipient is not an identity object" if recipient else "it names no recipient")
    elif not isinstance(recipient.get("identity"), str) or not recipient.get("identity"):
        problems.append("its recipient has no identity")
    elif version == "2.0" and not recipient.get("type"):
        problems.append("its recipient has no identity type")
    if assertion.get("badge") in (None, "", {}):
        problems.append("it does not say which badge it awards")
    issued_raw = assertion.get("issued_on" if version == "0.5" else "issuedOn")
    issued = parse_datetime(issued_raw)
    if issued_raw is None:
        if version != "0.5":
            problems.append("it has no issue date")
    elif issued is None:
        problems.append(f"its issue date ({issued_raw}) is not a real date")
    expires_raw = assertion.get("expires")
    expires = parse_datetime(expires_raw)
    if expires_raw is not None and expires is None:
        problems.append(f"its expiry date ({expires_raw}) is not a real date")
    if issued and expires and expires < issued:
        problems.append("it expires before it was issued")
    if version != "0.5" and verification_type(assertion) is None:
        problems.append(UNSTATED_VERIFICATION)
    if version == "2.0":
        problems += extension_problems(assertion)
    return problems


def _node_problems(node: dict[str, Any], version: str, *types: str) -> list[str]:
    """The @context and type problems of a linked BadgeClass or Issuer document."""
    problems: list[str] = []
    ctx = context_problem(node, version) if "@context" in node else None
    if ctx:
        problems.append(ctx)
    if version in ("1.1", "2.0") and "type" in node and not has_type(node, *types):
        problems.append(f"its type is {node.get('type')!r}, not {' or '.join(types)}")
    return problems


def badgeclass_problems(badgeclass: dict[str, Any], version: str) -> list[str]:
    problems = _node_problems(badgeclass, version, "BadgeClass")
    for key in ("name", "image", "criteria"):
        if not badgeclass.get(key):
            problems.append(f"it has no {key}")
    if version != "0.5" and not badgeclass.get("issuer"):
        problems.append("it does not name its issuer")
    return problems


def issuer_problems(issuer: dict[str, Any], version: str) -> list[str]:
    problems = _node_problems(issuer, version, "Issuer", "Profile")
    if not issuer.get("name"):
        problems.append("it has no name")
    return problems


# --- Extensions (OB 2.0 §Extensions: a node typed Extension, validated by its context's JSON Schema) ---

_PREFIXES = {"obi": _OBI, "extensions": "https://w3id.org/openbadges/extensions#", "schema": "http://schema.org/"}


@cache
def _pinned(url: str) -> Any:
    """A pinned context or schema document by URL (verifier/contexts/index.json), or None."""
    return pinned_by_url("contexts", url)


def _expand(term: str, prefixes: dict[str, str]) -> str:
    prefix, sep, rest = term.partition(":")
    if sep and not rest.startswith("//") and prefix in prefixes:
        return prefixes[prefix] + rest
    return term


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def extension_problems(doc: dict[str, Any]) -> list[str]:
    """Validate every Extension node of ``doc`` against the JSON Schemas its pinned extension contexts name.

    Property IRIs are compacted to the context's terms first (``http://schema.org/text`` →
    ``exampleProperty``). A schema applies to a node whose type is its ``validatesType`` (by IRI, or by
    local name for a mis-prefixed type). Extensions whose context is not pinned are not judged.
    """
    problems: list[str] = []
    root_contexts = strings(doc.get("@context"))
    for key, node in doc.items():
        if not isinstance(node, dict) or not has_type(node, "Extension"):
            continue
        contexts = root_contexts + strings(node.get("@context"))
        for ctx_url in contexts:
            ctx_doc = _pinned(ctx_url)
            if not isinstance(ctx_doc, dict) or "obi:validation" not in ctx_doc:
                continue
            terms = ctx_doc.get("@context", {})
            prefixes = {**_PREFIXES, **{k: v for k, v in terms.items() if isinstance(v, str) and v.endswith(("#", "/"))}}
            by_iri = {_expand(v if isinstance(v, str) else v.get("@id", ""), prefixes): k
                      for k, v in terms.items() if k not in prefixes}
            view = {by_iri.get(_expand(k, prefixes), k): v for k, v in node.items()}
            types = [_expand(t, prefixes) for t in as_list(node.get("type")) if isinstance(t, str)]
            for rule in as_list(ctx_doc["obi:validation"]):
                wanted = _expand(str(rule.get("obi:validatesType", "")), prefixes)
                if not any(t == wanted or _local_name(t) == _local_name(wanted) for t in types):
                    continue
                schema = _pinned(str(rule.get("obi:validationSchema", "")))
                if not isinstance(schema, dict):
                    continue
                error = jsonschema.exceptions.best_match(jsonschema.Draft4Validator(schema).iter_errors(view))
                if error is not None:
                    problems.append(f"its extension {key} is invalid ({error.message})")
    return problems


# --- Upgrade to one record -------------------------------------------------------------------------

_text = text_of  # strings, value objects, language maps, lists of them (verifier/language_maps.py)


def _url(value: Any, base: str | None = None) -> str | None:
    url = node_id(value)
    if url and base and not url.startswith(("data:", "urn:", "did:")) and "://" not in url:
        return urljoin(base, url)  # OB 0.5 allowed paths relative to the issuer origin
    return url


def _recipient(assertion: dict[str, Any], version: str) -> Recipient:
    raw = assertion.get("recipient")
    if isinstance(raw, str):  # OB 0.5: a plain email or "sha256$…" with a top-level salt
        identity = raw.strip()
        hashed = bool(_HASHED.match(identity))
        return Recipient(identity=identity, type="email", hashed=hashed,
                         salt=assertion.get("salt") if hashed else None)
    if not isinstance(raw, dict):
        return Recipient()
    stated = raw.get("identity")
    return Recipient(identity=stated if isinstance(stated, str) else None,
                     type=str(raw.get("type") or "email"),
                     hashed=truthy(raw.get("hashed")) or (isinstance(stated, str) and bool(_HASHED.match(stated))
                                                          and raw.get("hashed") is None),
                     salt=raw.get("salt") if isinstance(raw.get("salt"), str) else None,
                     name=raw.get("name") if isinstance(raw.get("name"), str) else None)


def _evidence(value: Any) -> list[dict[str, Any]]:
    items = []
    for item in as_list(value):
        if isinstance(item, str):
            items.append({"id": item})
        elif isinstance(item, dict):
            items.append(dict(item))
    return items


def _alignment(value: Any) -> list[Alignment]:
    out = []
    for item in as_list(value):
        if not isinstance(item, dict):
            continue
        out.append(Alignment(
            target_name=_text(item.get("targetName") or item.get("name")),
            target_url=_url(item.get("targetUrl") or item.get("url")),
            target_description=_text(item.get("targetDescription") or item.get("description")),
            target_framework=_text(item.get("targetFramework")),
            target_code=_text(item.get("targetCode")),
            target_type=_text(item.get("targetType"))))
    return out


def _issuer(issuer: dict[str, Any] | None, issuer_url: str | None) -> Issuer:
    if not issuer:
        return Issuer(id=issuer_url)
    own_id = issuer.get("id") if isinstance(issuer.get("id"), str) else None
    url = issuer.get("url") or issuer.get("origin")
    return Issuer(id=own_id or issuer_url or (url if isinstance(url, str) else None),
                  name=_text(issuer.get("name")) or _text(issuer.get("org")),
                  url=url if isinstance(url, str) else None,
                  email=(issuer.get("email") or issuer.get("contact")) if isinstance(
                      issuer.get("email") or issuer.get("contact"), str) else None,
                  description=_text(issuer.get("description")),
                  image=_url(issuer.get("image")),
                  type=strings(issuer.get("type")))


def stated_badge(assertion: dict[str, Any]) -> Badge:
    """The badge as an OB 0.5–2.0 assertion file itself states it (its embedded BadgeClass and Issuer,
    when they are objects): what a report carries when the verifier could not confirm it (say, revoked:
    its URL answers 410), so a wallet still shows what it was without parsing the payload again. It is
    only a claim; the report's checks say what was proven."""
    badgeclass = found if isinstance(found := assertion.get("badge"), dict) else None
    issuer = badgeclass.get("issuer") if badgeclass and isinstance(badgeclass.get("issuer"), dict) else None
    return to_badge(assertion, badgeclass, issuer, detect_version(assertion))


def to_badge(assertion: dict[str, Any], badgeclass: dict[str, Any] | None, issuer: dict[str, Any] | None,
             version: str, *, url: str | None = None, badgeclass_url: str | None = None,
             issuer_url: str | None = None) -> Badge:
    """Upgrade any 0.5–2.0 assertion (with its BadgeClass and Issuer when known) to a :class:`Badge`."""
    bc = badgeclass or {}
    base = issuer.get("origin") if version == "0.5" and isinstance(issuer, dict) and isinstance(
        issuer.get("origin"), str) else None
    criteria = bc.get("criteria")
    criteria_text = _text(criteria.get("narrative")) if isinstance(criteria, dict) else None
    criteria_url = _url(criteria, base) if criteria is not None else None
    if criteria_url and not is_http_url(criteria_url):
        criteria_url = None
    tags = strings(bc.get("tags"))
    assertion_id = assertion.get("id") if isinstance(assertion.get("id"), str) else None
    return Badge(
        spec_version=version,
        id=assertion_id or url or verify_url(assertion),
        name=_text(bc.get("name")) or "",
        description=_text(bc.get("description")) or "",
        image=_url(bc.get("image"), base) or _url(assertion.get("image"), base),
        criteria=criteria_text,
        criteria_url=criteria_url,
        issuer=_issuer(issuer, issuer_url),
        recipient=_recipient(assertion, version),
        issued_on=parse_datetime(assertion.get("issued_on" if version == "0.5" else "issuedOn")),
        expires=parse_datetime(assertion.get("expires")),
        badge_class_id=node_id(bc) or badgeclass_url or node_id(assertion.get("badge")),
        evidence=_evidence(assertion.get("evidence")),
        alignment=_alignment(bc.get("alignment")),
        tags=tags,
        raw={"assertion": assertion, "badgeclass": badgeclass, "issuer": issuer},
    )
