"""The public entry point: ``verify(source)`` → :class:`Report`."""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from . import clr, endorsements, identity, ob2, ob3, presentation, published_keys, safejson
from .checks import CheckId
from .context import VerifyContext
from .detect import Detected, detect, detect_json, is_vc, not_a_badge
from .fetch import SafeFetcher
from .media import sniff
from .model import Badge, Check, Report, Verdict, failed, passed, warned
from .ob2_normalize import stated_badge
from .registry import Registry
from .report import make_report, with_checks
from .unbake import unbake

Source = bytes | bytearray | str | dict[str, Any]


def verify(source: Source, *, now: datetime | None = None, recipient: str | None = None,
           offline: bool = False, allow_hosts: Iterable[str] = (),
           fetcher: SafeFetcher | None = None, registries: Iterable[Registry] = (),
           trusted_issuers: Iterable[str] = (), challenge: str | None = None,
           domain: str | None = None) -> Report:
    """Verify a badge given as file bytes, a JSON/JWS/JWT/URL string or a parsed dict.

    ``now`` (timezone-aware) is the moment validity is judged at; ``recipient`` an email or URL the
    badge must have been issued to; ``offline`` refuses all network access (hosted badges and remote
    keys then come out ``unverifiable``); ``allow_hosts`` lets the fetcher reach listed private hosts;
    ``challenge``/``domain``: what a presentation must have been signed for.
    """
    ctx = VerifyContext(now=now or datetime.now(UTC),
                        fetcher=fetcher or SafeFetcher(allow_hosts=allow_hosts, offline=offline),
                        recipient=recipient, registries=tuple(registries),
                        trusted_issuers=frozenset(trusted_issuers), challenge=challenge, domain=domain)
    return verify_with(source, ctx)


def verify_with(source: Source, ctx: VerifyContext) -> Report:
    """Like :func:`verify`, with an explicit context."""
    pre: list[Check] = []
    baked = False
    if isinstance(source, dict):
        problem = safejson.value_problem(source)  # what the text loader refuses, for an already parsed dict
        if problem:
            return make_report("none", [failed(CheckId.PARSE, f"This badge cannot be read safely: {problem}.")])
        detected = detect_json(source, json.dumps(source))
    else:
        if isinstance(source, (bytes, bytearray)):
            unbaked = unbake(bytes(source))
            if not unbaked.ok:
                return _not_a_badge(unbaked.error or "No badge was found in this file.")
            if unbaked.container in ("png", "svg"):
                baked = True
                pre.append(passed(CheckId.UNBAKE, f"Badge data was found in the {unbaked.container.upper()} image "
                                  f"({unbaked.keyword})."))
            if unbaked.warning:
                pre.append(warned(CheckId.UNBAKE, unbaked.warning))
            text = unbaked.payload or ""
        else:
            text = source
        detected = detect(text)
    already_mirrored = set(ctx.fetcher.mirrored)
    report = _dispatch(detected, ctx, depth=0)
    if ctx.fetcher.mirrored - already_mirrored:
        pre.append(warned(CheckId.MIRROR, "Some of the issuer's documents were read from a local demo copy, "
                          "not fetched from the internet."))
    if pre:
        report = with_checks(report, pre, before=True)
    if baked and detected.kind == "url" and report.badge is None and report.verdict == Verdict.UNVERIFIABLE:
        report = _url_baked(report, detected.text)
    # Steps that never change the verdict: embedded endorsements, a CLR record's credentials, then who
    # vouches for the issuer.
    report = endorsements.attach(report, ctx)
    report = clr.attach(report, ctx)
    report = published_keys.attach(report, ctx)  # this one can change the verdict: a public key proves nothing
    return identity.attach(report, ctx)


def _url_baked(report: Report, url: str) -> Report:
    """A legacy badge image baked with only its assertion's address (OB 0.5/1.0 ``tEXt``), whose issuer
    could not be reached: the badge is known by that address alone, so it can be kept (and flagged
    ``unverifiable``) like a JSON-baked badge, and checked again later. Nothing else is claimed."""
    return dataclasses.replace(report, badge=Badge(id=url, raw={"assertion_url": url}))


def _not_a_badge(message: str) -> Report:
    return make_report("none", [failed(CheckId.UNBAKE, message)])


def _dispatch(detected: Detected, ctx: VerifyContext, depth: int) -> Report:
    if detected.error:
        return make_report("none", [failed(CheckId.PARSE, detected.error)], payload=detected.text)
    if detected.kind == "ob2-json":
        report = ob2.verify_assertion(detected.data, ctx)
        if report.badge is None and report.format != "none" and isinstance(detected.data, dict):
            report = dataclasses.replace(report, badge=stated_badge(detected.data))
    elif detected.kind == "ob2-jws":
        report = ob2.verify_signed(detected.text, ctx)
    elif detected.kind == "ob3-json":
        report = ob3.verify_credential(detected.data, ctx)
    elif detected.kind == "vp-json":
        report = presentation.verify_presentation(detected.data, ctx, challenge=ctx.challenge, domain=ctx.domain)
    elif detected.kind == "ob3-jwt":
        report = ob3.verify_jwt(detected.text, ctx)
    elif detected.kind == "url":
        return _dispatch_url(detected.text, ctx, depth)
    else:
        return make_report("none", [failed(CheckId.PARSE, "This is not a badge.")], payload=detected.text)
    return dataclasses.replace(report, payload=detected.text)


def _dispatch_url(url: str, ctx: VerifyContext, depth: int) -> Report:
    """A badge given by URL: fetch it; a hosted assertion, a credential or a baked image may come back."""
    fetched = ctx.fetcher.get(url)
    if fetched.status == 410 or not fetched.ok:
        # Let the OB2 hosted path report HTTP errors (410 = revoked) with its own wording.
        return ob2.verify_hosted_url(url, ctx)
    if depth == 0 and sniff(fetched.content).is_image:
        unbaked = unbake(fetched.content)
        if not unbaked.ok:
            return _not_a_badge(f"The image at {url}: {unbaked.error}")
        report = _dispatch(detect(unbaked.payload or ""), ctx, depth + 1)
        found = [passed(CheckId.UNBAKE, f"Badge data was found in the image at {url}.")]
        if unbaked.warning:
            found.append(warned(CheckId.UNBAKE, unbaked.warning))
        return with_checks(report, found, before=True)
    data, err = fetched.json()
    what = not_a_badge(data)
    if what:
        return make_report("none", [failed(CheckId.PARSE, f"{url}: {what}")], payload=url)
    if err or not isinstance(data, dict):
        text = fetched.content.decode("utf-8", "replace").strip()
        if depth == 0 and text and not text.startswith("{"):
            return _dispatch(detect(text), ctx, depth + 1)  # e.g. a JWS/JWT served as text
        return make_report("none", [failed(CheckId.PARSE, f"{url} did not return a badge ({err or 'not a JSON object'}).")],
                           payload=url)
    if is_vc(data):
        report = ob3.verify_credential(data, ctx)
    else:
        report = ob2.verify_hosted_url(url, ctx)
    return dataclasses.replace(report, payload=url)
