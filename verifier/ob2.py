"""Open Badges 0.5 / 1.0 / 1.1 / 2.0 verification: hosted and signed (JWS).

Hosted: the copy served at the assertion's own address is canonical. It is fetched, compared with the
baked copy, and its BadgeClass and Issuer are fetched (embedded ones are read in place). The address
must lie within the issuer's origin, or within its ``verification.allowedOrigins`` / ``startsWith``.
HTTP 410 or ``revoked: true`` means revoked.

Signed: the JWS payload is the assertion. Trust in the key comes only from the issuer profile, fetched
from the issuer's own address: the key must be listed in its ``publicKey`` and the key document's
``owner`` must be that issuer. A valid signature by any other key is not the issuer's signature.
The issuer's ``revocationList`` is consulted.

Any network failure on a required step is an ``unverifiable`` check, never a pass.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .checks import CheckId
from .context import VerifyContext
from .jsonutil import as_list
from .model import Badge, Check, Report, failed, passed, skipped, transient, unverifiable, warned
from .ob2_normalize import (
    UNSTATED_VERIFICATION,
    assertion_problems,
    assertion_url,
    authority,
    badgeclass_problems,
    detect_version,
    is_http_url,
    issuer_problems,
    node_id,
    signing_key_url,
    to_badge,
    truthy,
    verification_type,
)
from .proofs import jws
from .recipient import recipient_check
from .report import make_report
from .validity import parse_datetime, time_checks

Doc = dict[str, Any]

# Fields of an assertion whose change alters what the badge says about whom (hosted vs baked copy).
IDENTITY_FIELDS = ("id", "uid", "recipient", "salt", "badge", "issuedOn", "issued_on", "expires",
                   "verification", "verify", "revoked")
_DATE_FIELDS = ("issuedOn", "issued_on", "expires")


def _format(version: str, kind: str) -> str:
    return f"{'ob2' if version == '2.0' else 'ob1'}-{kind}"


@dataclass
class _Graph:
    """The documents of one badge and where each came from (None = embedded in its parent)."""

    version: str
    assertion: Doc
    url: str | None = None
    badgeclass: Doc | None = None
    badgeclass_url: str | None = None
    issuer: Doc | None = None
    issuer_url: str | None = None
    checks: list[Check] = field(default_factory=list)
    final_url: str | None = None  # where the fetch of ``url`` ended after redirects

    @property
    def issuer_ids(self) -> set[str]:
        """Every name the (fetched) issuer goes by: its declared id and the address it was fetched from."""
        ids = {self.issuer_url} if self.issuer_url else set()
        if self.issuer and isinstance(self.issuer.get("id"), str):
            ids.add(self.issuer["id"])
        return ids

    def badge(self) -> Badge:
        return to_badge(self.assertion, self.badgeclass, self.issuer, self.version, url=self.url,
                        badgeclass_url=self.badgeclass_url, issuer_url=self.issuer_url)


# --- Public entry points ---------------------------------------------------------------------------

def verify_assertion(assertion: dict[str, Any], ctx: VerifyContext) -> Report:
    """An assertion given as JSON (baked or pasted): hosted (fetch the canonical copy) or signed."""
    version = detect_version(assertion)
    url = assertion_url(assertion, version)
    kind = verification_type(assertion)
    if url is None:
        graph = _Graph(version, assertion)
        if kind == "signed":
            why = ("This badge is meant to be checked with its digital signature, but the file holds only "
                   "the unsigned badge data and no address to check it against.")
        elif version == "0.5":
            why = ("This is an Open Badges 0.5 badge given without the address it is hosted at, "
                   "so its issuer's copy cannot be checked.")
        else:
            why = "The badge does not give the web address of the issuer's copy, so it cannot be checked."
        checks = [unverifiable(CheckId.HOSTED_COPY, why, retry=False)]
        _append_shape(graph, checks)
        stated = _stated_in_file(graph)
        if stated:
            checks.append(stated)
        checks += _holder_checks(graph.badge(), ctx)
        return make_report(_format(version, "signed" if kind == "signed" else "hosted"), checks, graph.badge())
    return _verify_hosted(url, assertion, ctx)


def verify_hosted_url(url: str, ctx: VerifyContext) -> Report:
    """An assertion known only by its URL: fetch it and verify it as hosted."""
    return _verify_hosted(url, None, ctx)


def verify_signed(jws_text: str, ctx: VerifyContext) -> Report:
    """A signed assertion (compact JWS)."""
    decoded = jws.decode(jws_text)
    if decoded.error or decoded.header is None:
        return make_report("ob2-signed", [failed(CheckId.STRUCTURE, decoded.error or "The signed badge cannot be read.")])
    payload = decoded.payload
    if not isinstance(payload, dict):
        return make_report("ob2-signed", [failed(CheckId.STRUCTURE, "The signed badge's content is not a badge "
                                                 "(its payload is not a JSON object).")])
    version = detect_version(payload)
    graph = _Graph(version, payload, url=assertion_url(payload, version))
    checks: list[Check] = []
    problem = jws.algorithm_problem(decoded.header)
    alg = decoded.header.get("alg")
    checks.append(failed(CheckId.ALGORITHM, problem) if problem else
                  passed(CheckId.ALGORITHM, f"The badge is signed with {alg}, an accepted public-key algorithm."))
    if verification_type(payload) not in (None, "signed"):
        checks.append(warned(CheckId.VERIFICATION_TYPE, "The signed badge describes itself as "
                             f"'{verification_type(payload)}' rather than signed; it was checked by its signature."))
    _append_shape(graph, checks)
    _resolve_badgeclass(graph, ctx)
    _resolve_issuer(graph, ctx, must_fetch=True)
    checks += graph.checks
    if problem is None:
        checks += _key_and_signature(jws_text.strip(), graph, ctx)
    else:
        checks.append(skipped(CheckId.SIGNATURE, "The signature was not checked because its algorithm is refused."))
    checks.append(_revocation_list_check(graph, ctx))
    badge = graph.badge()
    checks += _holder_checks(badge, ctx)
    return make_report(_format(version, "signed"), checks, badge, proven_origin=_proven_origin(graph, checks))


# --- Hosted ----------------------------------------------------------------------------------------

def _verify_hosted(url: str, baked: Doc | None, ctx: VerifyContext, *, followed: bool = False) -> Report:
    fetched = ctx.fetcher.get(url)
    fallback_version = detect_version(baked) if baked else "2.0"
    fmt = _format(fallback_version, "hosted")
    if fetched.status == 410:
        graph = _Graph(fallback_version, baked or {}, url=url)
        checks = [failed(CheckId.REVOCATION, f"The issuer has withdrawn this badge: its address ({url}) now answers "
                         "'410 Gone'.", "revoked")]
        if baked:  # name what was revoked: read the badge class and issuer for display only
            _resolve_badgeclass(graph, ctx)
            _resolve_issuer(graph, ctx, must_fetch=False)
        return make_report(fmt, checks, graph.badge() if baked else None)
    if not fetched.ok:
        checks = [unverifiable(CheckId.HOSTED_COPY, f"The issuer's copy of this badge could not be fetched: {fetched.error}.",
                               retry=transient(fetched.status))]
        if not baked:
            return make_report(fmt, checks)
        graph = _Graph(fallback_version, baked, url=url)
        if "recipient" in baked or "badge" in baked:  # a full copy, not a mere pointer to the hosted one
            _append_shape(graph, checks, exported=True)
        stated = _stated_in_file(graph)
        if stated:
            checks.append(stated)
        checks += _holder_checks(graph.badge(), ctx)
        return make_report(fmt, checks, graph.badge())
    hosted, err = fetched.json()
    if err or not isinstance(hosted, dict):
        return make_report(fmt, [failed(CheckId.HOSTED_COPY, f"The issuer's address for this badge ({url}) does not serve "
                                        "a badge (its answer is not a JSON object).")],
                           _Graph(fallback_version, baked, url=url).badge() if baked else None)

    # The hosted copy may name its canonical address elsewhere (a user-facing URL, a moved host): the
    # address it names is fetched once and becomes the canonical copy.
    version = detect_version(hosted)
    canonical = assertion_url(hosted, version)
    if canonical and canonical != url and not followed:
        return _verify_hosted(canonical, baked or hosted, ctx, followed=True)
    graph = _Graph(version, hosted, url=url, final_url=fetched.final_url)
    checks = [_compare_copies(baked, hosted, url, followed)]
    if canonical and canonical != url:
        checks.append(warned(CheckId.HOSTED_COPY_ID, f"The issuer's copy was fetched from {url} but names its own "
                             f"address as {canonical}."))
    if truthy(hosted.get("revoked")):
        reason = hosted.get("revocationReason")
        checks.append(failed(CheckId.REVOCATION, _revoked_sentence(reason, "The issuer's copy marks this badge as revoked"),
                             "revoked"))
    else:
        checks.append(passed(CheckId.REVOCATION, "The issuer's copy does not mark this badge as revoked."))
    _append_shape(graph, checks)
    _resolve_badgeclass(graph, ctx)
    _resolve_issuer(graph, ctx, must_fetch=False)
    checks += graph.checks
    checks.append(_origin_check(graph))
    badge = graph.badge()
    checks += _holder_checks(badge, ctx)
    return make_report(_format(version, "hosted"), checks, badge, proven_origin=_proven_origin(graph, checks))


def _norm(key: str, value: Any) -> Any:
    if key in _DATE_FIELDS:
        parsed = parse_datetime(value)
        return parsed.isoformat() if parsed else value
    if key == "recipient" and isinstance(value, dict):
        value = {**value, "identity": str(value.get("identity", "")).lower(), "hashed": truthy(value.get("hashed"))}
    if key == "revoked":
        return truthy(value)
    if key == "badge" and isinstance(value, dict) and isinstance(value.get("id"), str):
        # An export (Badgr's) embeds the BadgeClass the hosted copy links to: the same badge if the ids
        # agree. Only the hosted copy's BadgeClass is read afterwards, so the embedded one decides nothing.
        value = value["id"]
    return json.dumps(value, sort_keys=True)


def _compare_copies(baked: Doc | None, hosted: Doc, url: str, followed: bool) -> Check:
    """``hosted-copy``: the issuer's copy was fetched and the baked copy says the same about whom and what.

    ``followed``: the issuer's first answer pointed here, so the address fields may differ.
    """
    if baked is None:
        return passed(CheckId.HOSTED_COPY, f"The badge was fetched from its issuer's address {url}.", authenticates=True)
    fields = [k for k in IDENTITY_FIELDS if not (followed and k in ("id", "verify", "verification"))]
    differing = [k for k in fields if k in baked and _norm(k, baked.get(k)) != _norm(k, hosted.get(k))]
    if differing:
        return failed(CheckId.HOSTED_COPY, "The badge file does not match the issuer's copy at "
                      f"{url}: {', '.join(differing)} differ{'s' if len(differing) == 1 else ''}. "
                      "The file may have been altered.")
    return passed(CheckId.HOSTED_COPY, f"The badge matches the issuer's copy at {url}.", authenticates=True)


def _origin_check(graph: _Graph) -> Check:
    """``origin``: the hosted address lies where the issuer says its badges live."""
    url = graph.url or ""
    host = authority(url)
    if graph.issuer is None:
        return skipped(CheckId.ORIGIN, "Where the badge is hosted could not be compared with its issuer, whose profile "
                       "is not available.")
    issuer = graph.issuer
    if graph.version == "0.5":
        origin = issuer.get("origin")
        allowed = {a for a in [authority(origin)] if a is not None} if isinstance(origin, str) else set()
        if not allowed:
            return warned(CheckId.ORIGIN, "The issuer gives no web origin, so we could not confirm it hosts this badge.")
        if host in allowed:
            return passed(CheckId.ORIGIN, f"The badge is hosted on {host}, the issuer's own site.")
        return failed(CheckId.ORIGIN, f"The badge is hosted on {host}, not on its issuer's site ({', '.join(sorted(allowed))}).")
    # Only a profile fetched from the issuer's own address may widen where its badges live: an issuer
    # embedded in a badge class could otherwise claim a real issuer's id and vouch for any host.
    found = issuer.get("verification")
    policy = found if isinstance(found, dict) and graph.issuer_url else {}
    starts = [s for s in as_list(policy.get("startsWith")) if isinstance(s, str)]
    if starts and not any(url.startswith(s) for s in starts):
        return failed(CheckId.ORIGIN, f"The badge's address {url} is not one its issuer vouches for "
                      f"(its badges must start with {' or '.join(starts)}).")
    origins = {o.strip().lower() for o in as_list(policy.get("allowedOrigins")) if isinstance(o, str)}
    if not origins:
        origins = {a for i in graph.issuer_ids if (a := authority(i)) is not None}
        if graph.version != "2.0" or not origins:  # an issuer without an id is known by its url
            origins |= {a for a in [authority(issuer.get("url"))] if a is not None}
    final = graph.final_url or url
    if authority(final) != host and not (origins and authority(final) in origins
                                         or starts and any(final.startswith(s) for s in starts)):
        return failed(CheckId.ORIGIN, f"The badge's address {url} redirected to {final}, on {authority(final)}, "
                      "which its issuer does not vouch for; that copy cannot be trusted.")
    if not origins:
        if starts:
            return passed(CheckId.ORIGIN, "The badge's address is one its issuer vouches for.")
        return warned(CheckId.ORIGIN, "The issuer has no web address of its own, so we could not confirm the badge is "
                      "hosted by its issuer.")
    if host in origins:
        return passed(CheckId.ORIGIN, f"The badge is hosted on {host}, which its issuer vouches for.")
    return failed(CheckId.ORIGIN, f"The badge is hosted on {host}, but its issuer only vouches for badges hosted on "
                  f"{', '.join(sorted(origins))}.")


def _proven_origin(graph: _Graph, checks: list[Check]) -> str | None:
    """The origin that vouches for the issuer, for the issuer-identity step (``Report.proven_origin``).

    Signed: the issuer profile fetched from its own address lists the key that verified (``key-owner``
    passed). Hosted: the hosted copy's host is one the issuer vouches for (``origin`` passed); the
    origin is the issuer profile's when it was fetched from its own address, else the hosted copy's.
    """
    def held(check_id: str) -> bool:
        return any(c.id == check_id and c.status == "pass" for c in checks)

    signed = any(c.id == CheckId.KEY_OWNER for c in checks)
    if signed:
        source = graph.issuer_url if held(CheckId.KEY_OWNER) else None
    else:
        source = (graph.issuer_url or graph.url) if held(CheckId.ORIGIN) else None
    if not is_http_url(source):
        return None
    parts = urlsplit(source or "")
    return f"{parts.scheme}://{parts.netloc.lower()}"


# --- The graph: BadgeClass and Issuer --------------------------------------------------------------

def _fetch_doc(url: str, ctx: VerifyContext, check_id: str, what: str) -> tuple[Doc | None, Check | None]:
    """Fetch a JSON object; a network failure is unverifiable, a broken document a plain failure."""
    fetched = ctx.fetcher.get(url)
    if not fetched.ok:
        return None, unverifiable(check_id, f"The {what} could not be fetched: {fetched.error}.",
                                  retry=transient(fetched.status))
    data, err = fetched.json()
    if err or not isinstance(data, dict):
        return None, failed(check_id, f"The {what} at {url} is not a valid JSON document.")
    return data, None


def _resolve_badgeclass(graph: _Graph, ctx: VerifyContext) -> None:
    ref = graph.assertion.get("badge")
    what = "badge description (BadgeClass)"
    if isinstance(ref, dict):
        graph.badgeclass = ref
        where = "is included in the badge itself"
    elif is_http_url(ref):
        doc, problem = _fetch_doc(ref, ctx, "badgeclass", what)
        if problem:
            graph.checks.append(problem)
            return
        assert doc is not None  # _fetch_doc gives a document or a problem
        graph.badgeclass, graph.badgeclass_url = doc, ref
        where = f"was fetched from {ref}"
    else:
        graph.checks.append(failed(CheckId.BADGECLASS, "The badge does not link to its badge description (BadgeClass)."))
        return
    badgeclass = graph.badgeclass
    problems = badgeclass_problems(badgeclass, graph.version)
    if problems:
        graph.checks.append(failed(CheckId.BADGECLASS, f"The badge description is malformed: {'; '.join(problems)}."))
    elif graph.badgeclass_url and isinstance(badgeclass.get("id"), str) \
            and badgeclass["id"] != graph.badgeclass_url:
        graph.checks.append(warned(CheckId.BADGECLASS, f"The badge description {where} but names its own address as "
                                   f"{badgeclass['id']}."))
    else:
        graph.checks.append(passed(CheckId.BADGECLASS, f"The badge description {where}."))


def _resolve_issuer(graph: _Graph, ctx: VerifyContext, *, must_fetch: bool) -> None:
    """Find the issuer profile. ``must_fetch``: an embedded profile is not trusted (signed badges)."""
    if graph.badgeclass is None:
        graph.checks.append(skipped(CheckId.ISSUER, "The issuer could not be looked up without the badge description."))
        return
    ref = graph.badgeclass.get("issuer")
    url = ref if is_http_url(ref) else None
    if isinstance(ref, dict):
        embedded_id = ref.get("id")
        if must_fetch and is_http_url(embedded_id):
            url = embedded_id
        elif must_fetch:
            graph.issuer = ref
            graph.checks.append(failed(CheckId.ISSUER, "The issuer is only described inside the badge and has no web "
                                       "profile, so its keys cannot be looked up."))
            return
        else:
            graph.issuer = ref
            _judge_issuer(graph, "is included in the badge itself")
            return
    if url is None:
        graph.checks.append(failed(CheckId.ISSUER, "The badge description does not link to its issuer."))
        return
    doc, problem = _fetch_doc(url, ctx, "issuer", "issuer's profile")
    if problem:
        graph.checks.append(problem)
        return
    assert doc is not None  # _fetch_doc gives a document or a problem
    final = ctx.fetcher.get(url).final_url or url  # cached: the answer _fetch_doc read
    if authority(final) != authority(url):
        graph.issuer = doc
        graph.checks.append(failed(CheckId.ISSUER, f"The issuer profile at {url} redirected to {final}, on another "
                                   "website; it cannot be trusted."))
        return
    declared = doc.get("id")
    if is_http_url(declared) and authority(declared) != authority(url):
        graph.issuer = doc
        graph.checks.append(failed(CheckId.ISSUER, f"The issuer profile fetched from {url} claims to be {declared}, "
                                   "on another website; it cannot be trusted."))
        return
    graph.issuer, graph.issuer_url = doc, url
    _judge_issuer(graph, f"was fetched from {url}")
    if declared is not None and not is_http_url(declared) and graph.version == "2.0":
        graph.checks.append(warned(CheckId.ISSUER_ID, f"The issuer's id ({declared}) is not a web address; the address "
                                   f"its profile was fetched from ({url}) is used instead."))


def _judge_issuer(graph: _Graph, where: str) -> None:
    problems = issuer_problems(graph.issuer or {}, graph.version)
    name = (graph.issuer or {}).get("name")
    if problems:
        graph.checks.append(failed(CheckId.ISSUER, f"The issuer's profile is malformed: {'; '.join(problems)}."))
    else:
        graph.checks.append(passed(CheckId.ISSUER, f"The issuer's profile ({name}) {where}."))


def _stated_in_file(graph: _Graph) -> Check | None:
    """The BadgeClass and Issuer the file embeds, read for display only when the issuer's copy could not be
    fetched: shown, and said to be only what the file states (nothing confirms them)."""
    badgeclass = graph.assertion.get("badge")
    if not isinstance(badgeclass, dict):
        return None
    graph.badgeclass = badgeclass
    issuer = badgeclass.get("issuer")
    if isinstance(issuer, dict):
        graph.issuer = issuer
    name = badgeclass.get("name") if isinstance(badgeclass.get("name"), str) else None
    issuer_name = issuer.get("name") if isinstance(issuer, dict) and isinstance(issuer.get("name"), str) else None
    if not (name or issuer_name):
        return None
    what = " ".join(x for x in (f"the badge “{name}”" if name else "",
                                 f"issued by “{issuer_name}”" if issuer_name else "") if x)
    return warned(CheckId.BADGECLASS, f"As stated in the file: {what}. The issuer's copy could not be fetched, "
                  "so nothing confirms this.")


def _append_shape(graph: _Graph, checks: list[Check], *, exported: bool = False) -> None:
    """``structure`` of the assertion. ``exported``: a copy whose hosted original could not be fetched (a
    Badgr export leaves out ``verification``); the hosted copy is the one that must say how it is verified."""
    problems = assertion_problems(graph.assertion, graph.version)
    if exported:
        problems = [p for p in problems if p != UNSTATED_VERIFICATION]
    if problems:
        checks.append(failed(CheckId.STRUCTURE, f"The badge data is malformed: {'; '.join(problems)}."))
    else:
        checks.append(passed(CheckId.STRUCTURE, f"The badge data is well-formed (Open Badges {graph.version})."))


def _holder_checks(badge: Badge, ctx: VerifyContext) -> list[Check]:
    return [recipient_check(badge.recipient, ctx.recipient),
            *time_checks(ctx.now, issued_on=badge.issued_on, expires=badge.expires)]


# --- Signed: key, signature, revocation list -------------------------------------------------------

@dataclass
class _KeyDoc:
    url: str
    pem: str | None
    owner: str | None
    embedded: bool = False


def _listed_keys(issuer: Doc) -> dict[str, Doc | None]:
    """The issuer's ``publicKey`` entries: id → embedded key object (None when given only by id)."""
    keys: dict[str, Doc | None] = {}
    for entry in as_list(issuer.get("publicKey")):
        if isinstance(entry, str):
            keys[entry] = None
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            keys[entry["id"]] = entry
    return keys


def _load_key_doc(url: str, embedded: Doc | None, ctx: VerifyContext) -> tuple[_KeyDoc | None, Check | None]:
    if embedded and isinstance(embedded.get("publicKeyPem"), str):
        return _KeyDoc(url, embedded["publicKeyPem"], embedded.get("owner"), embedded=True), None
    fetched = ctx.fetcher.get(url, same_origin=True)  # a key document: never from another origin
    if fetched.redirect_refused:
        return None, failed(CheckId.KEY, f"The issuer's public key was not accepted: {fetched.error}.")
    if not fetched.ok:
        return None, unverifiable(CheckId.KEY, f"The issuer's public key could not be fetched: {fetched.error}.",
                                  retry=transient(fetched.status))
    text = fetched.content.decode("utf-8", "replace").strip()
    if text.startswith("-----BEGIN"):  # OB 1.0: the key file is a bare PEM
        return _KeyDoc(url, text, None), None
    data, err = fetched.json()
    if err or not isinstance(data, dict) or not isinstance(data.get("publicKeyPem"), str):
        return None, failed(CheckId.KEY, f"The document at {url} is not a public key.")
    owner = data.get("owner")
    return _KeyDoc(url, data["publicKeyPem"], owner if isinstance(owner, str) else None), None


def _key_and_signature(token: str, graph: _Graph, ctx: VerifyContext) -> list[Check]:
    """``key``, ``key-owner`` and ``signature``: only a key the issuer owns may authenticate the badge."""
    if graph.issuer is None or not graph.issuer_ids:
        return [skipped(CheckId.SIGNATURE, "The signature was not checked because the issuer's profile is not available.")]
    creator = signing_key_url(graph.assertion, graph.version)
    issuer_name = graph.issuer.get("name") or next(iter(graph.issuer_ids))
    if graph.version == "1.0":
        return _ob1_key_and_signature(token, creator, graph, ctx, issuer_name)
    listed = _listed_keys(graph.issuer)
    if not listed:
        return [failed(CheckId.KEY_OWNER, f"The issuer ({issuer_name}) publishes no public key, so no signature can "
                       "be its own.")]
    if creator is not None and creator not in listed:
        return [failed(CheckId.KEY_OWNER, f"The badge was signed with the key at {creator}, which its issuer "
                       f"({issuer_name}) does not list among its keys."),
                skipped(CheckId.SIGNATURE, "The signature was not checked because the key does not belong to the issuer.")]
    candidates = [creator] if creator else list(listed)
    checks: list[Check] = []
    reasons: list[str] = []
    for key_url in candidates:
        key_doc, problem = _load_key_doc(key_url, listed.get(key_url), ctx)
        if problem:
            checks.append(problem)
            continue
        assert key_doc is not None
        if not key_doc.embedded and key_doc.owner not in graph.issuer_ids:
            owner = key_doc.owner or "no one"
            return checks + [failed(CheckId.KEY_OWNER, f"The key at {key_url} says it belongs to {owner}, not to the "
                                    f"issuer ({issuer_name})."),
                             skipped(CheckId.SIGNATURE, "The signature was not checked because the key does not belong "
                                     "to the issuer.")]
        public, err = jws.load_public_key(key_doc.pem or "")
        if err or public is None:
            checks.append(failed(CheckId.KEY, f"The issuer's key at {key_url} cannot be used: {err}."))
            continue
        ok, why = jws.verify_compact(token, public)
        if ok:
            return [passed(CheckId.KEY_OWNER, f"The signing key {key_url} belongs to the issuer ({issuer_name})."),
                    passed(CheckId.SIGNATURE, "The digital signature is valid: the badge was signed by its issuer "
                           "and has not been altered.", authenticates=True)]
        reasons.append(why)
    if reasons:
        checks.append(failed(CheckId.SIGNATURE, f"The digital signature does not match: {reasons[0]}. The badge may "
                             "have been altered or signed by someone else."))
    elif not checks:
        checks.append(failed(CheckId.SIGNATURE, "No usable key was found to check the signature."))
    return checks


def _ob1_key_and_signature(token: str, key_url: str | None, graph: _Graph, ctx: VerifyContext,
                           issuer_name: str) -> list[Check]:
    """OB 1.0: ``verify.url`` is the key; it must be on the issuer's own site (its ``url`` origin)."""
    if not is_http_url(key_url):
        return [failed(CheckId.KEY_OWNER, "The signed badge does not say where its public key is.")]
    assert key_url is not None
    allowed = {authority((graph.issuer or {}).get("url"))} | {authority(i) for i in graph.issuer_ids}
    if authority(key_url) not in allowed - {None}:
        return [failed(CheckId.KEY_OWNER, f"The badge's public key is at {key_url}, not on its issuer's site."),
                skipped(CheckId.SIGNATURE, "The signature was not checked because the key does not belong to the issuer.")]
    key_doc, problem = _load_key_doc(key_url, None, ctx)
    if problem or key_doc is None:
        return [problem or failed(CheckId.KEY, "The public key could not be read.")]
    public, err = jws.load_public_key(key_doc.pem or "")
    if err or public is None:
        return [failed(CheckId.KEY, f"The issuer's key at {key_url} cannot be used: {err}.")]
    ok, why = jws.verify_compact(token, public)
    owner = passed(CheckId.KEY_OWNER, f"The signing key {key_url} is on the issuer's own site.")
    if ok:
        return [owner, passed(CheckId.SIGNATURE, "The digital signature is valid: the badge was signed by its issuer "
                              "and has not been altered.", authenticates=True)]
    return [owner, failed(CheckId.SIGNATURE, f"The digital signature does not match: {why}. The badge may have been "
                          "altered or signed by someone else.")]


def _revocation_list_check(graph: _Graph, ctx: VerifyContext) -> Check:
    """``revocation`` for signed badges: the issuer's revocation list must not name this assertion."""
    if graph.issuer is None:
        return skipped(CheckId.REVOCATION, "The revocation list could not be looked up without the issuer's profile.")
    ref = graph.issuer.get("revocationList")
    if not ref:
        return passed(CheckId.REVOCATION, "The issuer publishes no revocation list, so the badge has not been revoked.")
    if isinstance(ref, dict) and "revokedAssertions" in ref:
        doc: Any = ref
    elif is_http_url(node_id(ref)):
        fetched = ctx.fetcher.get(node_id(ref) or "")
        if not fetched.ok:
            return unverifiable(CheckId.REVOCATION, f"The issuer's revocation list could not be fetched: {fetched.error}.",
                                retry=transient(fetched.status))
        doc, err = fetched.json()
        if err or not isinstance(doc, dict):
            return failed(CheckId.REVOCATION, f"The issuer's revocation list at {node_id(ref)} is not readable.")
    else:
        return warned(CheckId.REVOCATION, "The issuer's revocation list is not a web address; it was not checked.")
    keys = {v for v in (graph.assertion.get("id"), graph.assertion.get("uid")) if isinstance(v, str)}
    if "revokedAssertions" in doc:
        for entry in as_list(doc.get("revokedAssertions")):
            ids = {entry} if isinstance(entry, str) else \
                {entry.get("id"), entry.get("uid")} if isinstance(entry, dict) else set()
            if ids & keys:
                reason = entry.get("revocationReason") if isinstance(entry, dict) else None
                return failed(CheckId.REVOCATION, _revoked_sentence(reason), "revoked")
    else:  # OB 1.0: {"<uid>": "<reason>"}
        for key in keys:
            if key in doc:
                reason = doc[key]
                return failed(CheckId.REVOCATION, _revoked_sentence(reason), "revoked")
    return passed(CheckId.REVOCATION, "The issuer's revocation list does not include this badge.")


def _revoked_sentence(reason: Any, lead: str = "The issuer has revoked this badge") -> str:
    if isinstance(reason, str) and reason.strip():
        return f"{lead} (reason given: \"{reason.strip()}\")."
    return f"{lead}."


__all__ = ["verify_assertion", "verify_hosted_url", "verify_signed"]
