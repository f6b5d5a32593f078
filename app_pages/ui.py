"""Rendering helpers shared by the pages: verdict chips, check lists, badge images and safe text.

Everything a badge says (name, issuer, descriptions, check messages that quote it) is untrusted:
it goes through :func:`md` before reaching Markdown, and HTML is never enabled. Uploaded SVGs are
shown only as ``<img src="data:…">`` (a browser runs no script and loads nothing from an SVG image).
"""
from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from verifier import IssuerIdentity, Media, check_label, display_text, sniff_media

# verdict → (label, st.badge colour, icon, plain sentence used when no report sentence is at hand)
VERDICT_STYLE: dict[str, tuple[str, str, str]] = {
    "valid": ("Verified", "green", ":material/verified:"),
    "invalid": ("Failed verification", "red", ":material/dangerous:"),
    "expired": ("Expired", "orange", ":material/event_busy:"),
    "revoked": ("Revoked", "red", ":material/block:"),
    "not-yet-valid": ("Not yet valid", "orange", ":material/schedule:"),
    "unverifiable": ("Could not be checked", "gray", ":material/help:"),
}
# Material icons ship with Streamlit, so they render even where no emoji font is installed.
STATUS_ICON = {"pass": ":green[:material/check_circle:]", "fail": ":red[:material/cancel:]",
               "warn": ":orange[:material/warning:]", "skip": ":gray[:material/remove_circle_outline:]"}
FOUND_ICON = {True: ":green[:material/check_circle:]", False: ":gray[:material/radio_button_unchecked:]"}
# issuer-identity level → (chip colour, icon, label). "unknown": a record made before the step existed.
IDENTITY_STYLE: dict[str, tuple[str, str, str]] = {
    "registry": ("green", ":material/verified_user:", "Registered issuer"),
    "domain": ("green", ":material/language:", "Issuer's website proven"),
    "trusted": ("blue", ":material/thumb_up:", "Issuer you trust"),
    "self-asserted": ("orange", ":material/help:", "Issuer not confirmed"),
    "unknown": ("gray", ":material/help:", "Issuer not checked yet"),
}
_NO_IDENTITY = object()
CATEGORY_STYLE = {"micro-credential": ("Micro-credential", "violet"), "badge": ("Plain badge", "blue")}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")
# GitHub-flavoured Markdown turns bare URLs, www. names and emails into links *after* escapes are read,
# so escaping cannot stop it; an invisible WORD JOINER before a URL (or after an email's @) does.
_AUTOLINK = re.compile(r"(?i)(https?://|www\.)")
_JOINER = "\u2060"
_SHORTCODE = re.compile(r":(?=[\w+\-/])")
_MAX_INLINE_IMAGE = 1_500_000
_MAX_IMAGE_PIXELS = 16_000_000  # a PNG claiming more is not handed to st.image (it would be decoded)

# Our own placeholder (constant, not badge content): a grey medal.
PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
    '<polygon points="88,170 60,250 96,232 116,252 128,180" fill="#c5c9d0"/>'
    '<polygon points="168,170 196,250 160,232 140,252 128,180" fill="#c5c9d0"/>'
    '<circle cx="128" cy="114" r="97" fill="#e6e8ec" stroke="#ffffff" stroke-width="6"/>'
    '<text x="128" y="124" font-family="sans-serif" font-size="22" fill="#8a8f98" '
    'text-anchor="middle">no image</text></svg>')
PLACEHOLDER_URI = "data:image/svg+xml;base64," + base64.b64encode(PLACEHOLDER_SVG.encode()).decode()


def md(text: Any) -> str:
    """``text`` escaped for Streamlit Markdown: no links (not even bare URLs), images, emphasis, HTML,
    directives, icons or emoji codes; bidi, invisible and control characters removed (verifier.safetext).

    Streamlit turns ``:material/name:`` and ``:smile:`` into an icon or emoji *after* Markdown escapes
    are read, so a backslash cannot stop it; an invisible WORD JOINER after each colon that starts
    such a code does."""
    value = display_text(text).replace("\n", " ").replace("\t", " ")
    value = _SHORTCODE.sub(":" + _JOINER, value)
    value = _AUTOLINK.sub(_JOINER + r"\1", value).replace("@", "@" + _JOINER)
    return _MD_SPECIAL.sub(r"\\\1", value)


def plain(text: Any) -> str:
    """Badge text for a widget label or option (not Markdown): bidi and control characters removed."""
    return display_text(text).replace("\n", " ")


def verdict_label(verdict: str) -> str:
    return VERDICT_STYLE.get(verdict, (verdict or "unknown", "gray", ""))[0]


def chips(verdict: str, category: str | None = None, identity: Any = _NO_IDENTITY, *,
          category_text: str | None = None, icons: bool = True) -> None:
    """The verdict chip, the issuer-identity chip (when ``identity`` is given, even as None) and the
    category chip, on one line: authenticity and who the issuer is are told apart at a glance.
    ``category_text`` replaces the category's label (e.g. to say the owner, not the issuer, classified
    it). ``icons=False`` (public pages): a Markdown icon is read out by screen readers as its name."""
    label, colour, icon = VERDICT_STYLE.get(verdict, (verdict or "unknown", "gray", ":material/help:"))
    if verdict not in VERDICT_STYLE:
        label = md(label)  # an unknown verdict (say, from a crafted backup) is shown as text
    line = f":{colour}-badge[{icon} {label}]" if icons else f":{colour}-badge[{label}]"
    if identity is not _NO_IDENTITY:
        line += " " + identity_chip(identity, verdict, icons=icons)
    if category:
        clabel, ccolour = CATEGORY_STYLE.get(category, (md(category), "gray"))
        if category_text:
            clabel = md(category_text)
        line += f" :{ccolour}-badge[{clabel}]"
    st.markdown(line)


def _identity(value: Any) -> IssuerIdentity | None:
    return value if isinstance(value, IssuerIdentity) or value is None else IssuerIdentity.from_dict(value)


def identity_level(identity: Any, verdict: str) -> str:
    """The level to show: an unauthenticated badge's issuer is never more than "not confirmed"."""
    ident = _identity(identity)
    if ident is None:
        return "unknown"
    if verdict in ("invalid", "unverifiable"):
        return "self-asserted"
    return str(ident.level)


def identity_chip(identity: Any, verdict: str, *, icons: bool = True) -> str:
    """A chip naming who vouches for the issuer (Markdown; the domain is escaped)."""
    level = identity_level(identity, verdict)
    colour, icon, label = IDENTITY_STYLE.get(level, IDENTITY_STYLE["unknown"])
    ident = _identity(identity)
    if level == "domain" and ident is not None and ident.domain:
        label = f"Issuer's website: {md(ident.domain)}"
    return f":{colour}-badge[{icon} {label}]" if icons else f":{colour}-badge[{label}]"


def issuer_caption(identity: Any, verdict: str, claimed: str | None, origin: str | None = None) -> str:
    """A card's one-line issuer: the confirmed name or domain first, a self-asserted name as a claim."""
    ident = _identity(identity)
    level = identity_level(ident, verdict)
    quoted = f"“{md(claimed)}”" if claimed else "no name"
    if level == "registry" and ident is not None and ident.name:
        return f"{md(ident.name)} · in a registry"
    if level == "domain" and ident is not None and ident.domain:
        return f"{md(ident.domain)} · calls itself {quoted}"
    return f"calls itself {quoted}" + (f" · {md(short_origin(origin))}" if origin else "")


def issuer_line(identity: Any, verdict: str, claimed: str | None, origin: str | None = None) -> str:
    """'**Issuer:** …' in words that never state a self-asserted name as a fact (Markdown, escaped)."""
    ident = _identity(identity)
    level = identity_level(ident, verdict)
    quoted = f"“{md(claimed)}”" if claimed else "no name"
    where = f" · {md(short_origin(origin))}" if origin else ""
    if level == "registry" and ident is not None and ident.name:
        also = f" · the badge says {quoted}" if claimed and claimed != ident.name else ""
        return f"**Issuer:** {md(ident.name)} · listed in {md(ident.source or 'an issuer registry')}{also}"
    if level == "domain" and ident is not None and ident.domain:
        return f"**Issuer:** whoever controls **{md(ident.domain)}** · calls itself {quoted}"
    if level == "trusted":
        return f"**Issuer:** calls itself {quoted} · you marked it as trusted{where}"
    if level == "unknown":
        return f"**Issuer:** calls itself {quoted}{where} · not yet checked who vouches for it"
    return f"**Issuer:** calls itself {quoted} (not confirmed){where}"


def short_origin(origin: str | None, limit: int = 28) -> str:
    """A long DID shortened for a card (``did:key:z6Mkab…xyz``); domains are left whole."""
    if not origin or len(origin) <= limit:
        return origin or ""
    return origin[: limit - 8] + "…" + origin[-6:]


def big_verdict(verdict: str, sentence: str, *, label: str | None = None) -> None:
    """The recruiter's answer: one big coloured box with the verdict in plain words (``verdict`` "none":
    no badge was found in the input)."""
    label = label or verdict_label(verdict)
    body = f"### {label}\n\n{md(sentence)}"
    if verdict == "valid":
        st.success(body, icon=":material/verified:")
    elif verdict in ("invalid", "revoked"):
        st.error(body, icon=":material/dangerous:")
    elif verdict in ("expired", "not-yet-valid"):
        st.warning(body, icon=":material/event_busy:")
    elif verdict == "partial":  # a genuine record holding credentials that failed: not a plain green
        st.warning(body, icon=":material/rule:")
    elif verdict == "none":  # not a badge at all: not a forgery either, so not red
        st.warning(body, icon=":material/search_off:")
    else:
        st.info(body, icon=":material/help:")


STATUS_WORD = {"pass": ":green[Passed]", "fail": ":red[Failed]", "warn": ":orange[Warning]", "skip": ":gray[Not checked]"}


def check_list(checks: Iterable[Mapping[str, Any]], *, icons: bool = True, labels: bool = True) -> None:
    """Every check as one line: icon (or, with ``icons=False``, a word), what was checked (unless not
    ``labels``), the sentence."""
    lines = []
    for c in checks:
        icon = (STATUS_ICON if icons else STATUS_WORD).get(str(c.get("status")), "•")
        cid = str(c.get("id", ""))
        label = check_label(cid)
        lines.append(f"{icon} **{md(label)}** — {md(c.get('message', ''))}" if labels
                     else f"{icon} {md(c.get('message', ''))}")
    if lines:
        st.markdown("\n\n".join(lines))
    else:
        st.caption("No checks were run.")


def endorsements(checks: Iterable[Mapping[str, Any]], *, icons: bool = True) -> None:
    """The ``endorsement`` checks (who endorses the issuer or achievement, each verified on its own)."""
    rows = [c for c in checks if str(c.get("id", "")) == "endorsement"]
    if rows:
        st.markdown(f"**Endorsements ({len(rows)}):**")
        check_list(rows, labels=False, icons=icons)


def signal_list(signals: Iterable[Any], *, empty: str = "Nothing to show.") -> None:
    """Reasons or checklist items (objects or dicts with ``found`` and ``sentence``)."""
    lines = []
    for s in signals:
        found = s.get("found") if isinstance(s, Mapping) else getattr(s, "found", False)
        sentence = s.get("sentence") if isinstance(s, Mapping) else getattr(s, "sentence", "")
        lines.append(f"{FOUND_ICON[bool(found)]} {md(sentence)}")
    if lines:
        st.markdown("\n\n".join(lines))
    else:
        st.caption(empty)


def image_source(content: bytes | None, media_type: str = "", badge_image: Any = None) -> bytes | str:
    """What to hand to ``st.image``: PNG bytes, an SVG/PNG ``data:`` URI, or the placeholder.

    Never a path or a remote URL (``st.image`` would read local files, and a remote image would tell
    an arbitrary host who is looking at the badge).
    """
    if content and len(content) <= _MAX_INLINE_IMAGE:
        kind = sniff_media(content)
        if kind is Media.PNG:
            return content if _png_size_ok(content) else PLACEHOLDER_URI
        if "svg" in media_type or kind is Media.SVG:
            return "data:image/svg+xml;base64," + base64.b64encode(content).decode("ascii")
    if isinstance(badge_image, str) and badge_image.startswith(("data:image/png;base64,",
                                                                "data:image/svg+xml;base64,")):
        if len(badge_image) <= _MAX_INLINE_IMAGE and (not badge_image.startswith("data:image/png")
                                                      or _png_size_ok(_b64_head(badge_image))):
            return badge_image
    return PLACEHOLDER_URI


def _png_size_ok(png: bytes) -> bool:
    """The IHDR's width × height is modest (read from the header; no pixel is decoded)."""
    if len(png) < 24 or png[12:16] != b"IHDR":
        return False
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return 0 < width * height <= _MAX_IMAGE_PIXELS


def _b64_head(data_uri: str) -> bytes:
    try:
        return base64.b64decode(data_uri.split(",", 1)[1][:64])
    except ValueError:
        return b""


def badge_image(content: bytes | None, media_type: str = "", badge_image_value: Any = None,
                width: int = 120, alt: str | None = None) -> None:
    """Show a badge image safely; a broken PNG falls back to the placeholder. ``alt`` is its text
    alternative (screen readers)."""
    src = image_source(content, media_type, badge_image_value)
    try:
        st.image(src, width=width, alt=alt)
    except Exception:  # noqa: BLE001 - a hostile or broken image must not break the page
        st.image(PLACEHOLDER_URI, width=width, alt=alt)


def dates_line(issued_on: Any, expires: Any) -> str:
    """'**Dates:** issued 14 March 2025, expires 1 June 2026' ('expired' once past); '' when neither is known."""
    from verifier import parse_datetime

    dates = []
    if day(issued_on):
        dates.append(f"issued {day(issued_on)}")
    end = expires if hasattr(expires, "strftime") else parse_datetime(expires)
    if end is not None:
        past = end <= datetime.now(UTC)
        dates.append(f"{'expired' if past else 'expires'} {day(end)}")
    return f"**Dates:** {', '.join(dates)}" if dates else ""


def day(value: Any) -> str:
    """A date (datetime or ISO string) as '14 March 2025'; '' when missing."""
    from verifier import format_day, parse_datetime

    dt = parse_datetime(value) if not hasattr(value, "strftime") else value
    if dt is None:
        return ""
    return format_day(dt)
