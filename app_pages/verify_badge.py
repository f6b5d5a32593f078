"""Recruiter page: check one badge file, link or text. No wallet, nothing stored.

The answer comes first and in plain words (a big coloured box with the verdict, who issued the badge
to whom and when); the technical reason and every check sit below it, secondary.
"""
from __future__ import annotations

import hashlib
from datetime import UTC

import streamlit as st

from app_pages import state, ui
from verifier import Report, summarize
from wallet.model import issuer_origin

# A failing check with one of these ids explains the verdict in words anyone reads (a date, a
# revocation reason, a recipient): it goes in the big box. Any other reason is technical and goes
# below it as a caption.
_PLAIN_REASON = {"expiry", "issued", "revocation", "status", "recipient"}
_NEXT_STEP = {
    "invalid": "It may have been altered after it was issued, or it was not issued by who it claims.",
    "unverifiable": "This usually means the issuer's website could not be reached. Try again later, "
                    "or ask the person for a link to the badge on the issuer's site.",
}
# An unverifiable badge that no retry will help (unsigned, an unsupported signature, an unknown vocabulary).
_NEVER = ("Checking again will not help: ask the person for the badge as their issuer signed it, or for a link to "
          "it on the issuer's site.")

st.title("Check a badge", anchor=False)
st.caption("Got a badge from a candidate? Drop the file here to see whether it is genuine. "
           "Nothing is stored.")

upload_tab, paste_tab = st.tabs(["Upload a file", "Paste a link or text"])
with upload_tab:
    # No type filter: a JPEG or a PDF gets a sentence saying why it is not a badge, not a silent red x.
    upload = st.file_uploader("Badge file — usually a PNG or SVG image, or a .json file", key="recruiter_file",
                              on_change=lambda: st.session_state.update(recruiter_source="upload"))
with paste_tab:
    with st.form("recruiter_paste"):
        pasted = st.text_area("A link to the badge, or the badge's text (JSON or a signed badge)", height=120,
                              key="recruiter_text")
        submitted = st.form_submit_button("Check", type="primary")
email = st.text_input("Optional: the person's email address, to confirm the badge was issued to them",
                      key="recruiter_email", placeholder="name@example.org").strip()

source: bytes | str | None = None
if submitted and pasted.strip():
    st.session_state["recruiter_source"] = "paste"
elif submitted:
    st.warning("Paste a link to the badge, or the badge's text, first.")
if st.session_state.get("recruiter_source") == "paste" and pasted.strip():
    source = pasted.strip()
elif upload is not None:
    source = upload.getvalue()
elif not submitted:
    st.caption("The answer appears here: whether the badge is genuine, who issued it, to whom and when.")


def _recipient_line(report: Report) -> str:
    badge = report.badge
    assert badge is not None
    r = badge.recipient
    if r.name:
        who = ui.md(r.name)
    elif r.hashed:
        who = f"a private {ui.md(r.type or 'identity')} (kept hashed in the badge)"
    elif r.identity:
        who = ui.md(r.identity)
    else:
        who = "not named in the badge"
    check = next((c for c in report.checks if c.id == "recipient"), None)
    if email and check is not None and check.status == "pass":
        who += f" · :green[:material/check_circle: matches {ui.md(email)}]"
    elif email and check is not None and check.status == "fail":
        who += f" · :red[:material/cancel: does not match {ui.md(email)}]"
    elif r.hashed and not email:
        who += " — enter the person's email above to confirm it is theirs"
    return f"**Issued to:** {who}"


def _show(report: Report, source: bytes | str) -> None:
    s = summarize(report)
    cid = s.deciding or ("unbake" if report.format == "none" else "")
    if report.format == "none":
        body = ("We could not find a badge in this file." if isinstance(source, bytes)
                else "We could not read a badge in what you pasted.")
        ui.big_verdict("none", body + " Ask the person for the original badge file (the PNG or SVG image "
                       "they received from the issuer) or a link to it: a screenshot or a photo of a "
                       "badge cannot be checked.", label="No badge found")
        st.caption("Reason: " + ui.md(s.text))
    elif report.verdict == "valid" and cid == "nested":
        ui.big_verdict("partial", s.authenticity, label="Genuine record, some parts failed")
        st.caption("Technical reason: " + ui.md(s.reason))
    elif cid in _PLAIN_REASON:
        ui.big_verdict(report.verdict, f"{s.authenticity} {s.reason}".strip())
    else:
        step = _NEVER if report.retry_may_help is False else _NEXT_STEP.get(report.verdict, "")
        ui.big_verdict(report.verdict, " ".join(x for x in (s.authenticity, step) if x))
        if s.reason:
            st.caption("Technical reason: " + ui.md(s.reason))
    badge = report.badge
    if badge is not None:
        # Who the issuer is: a second answer, right under the first, never folded into it.
        st.markdown(ui.identity_chip(report.issuer_identity, report.verdict) + " " + ui.md(s.identity))
        data = badge.to_dict()
        cols = st.columns([1, 3])
        with cols[0]:
            ui.badge_image(source if isinstance(source, bytes) else None, badge_image_value=badge.image)
        with cols[1]:
            st.subheader(ui.md(badge.name or "Unnamed badge"), anchor=False)
            st.markdown(ui.issuer_line(report.issuer_identity, report.verdict, badge.issuer.name,
                                       issuer_origin(data.get("issuer") or {})))
            st.markdown(_recipient_line(report))
            if dates := ui.dates_line(badge.issued_on, badge.expires):
                st.markdown(dates)
            if badge.description:
                st.markdown(ui.md(badge.description))
            ui.endorsements(c.to_dict() for c in report.checks)
    _record_parts(report)
    with st.expander(f"Technical details: every check ({len(report.checks)})"):
        ui.check_list(c.to_dict() for c in report.checks)
        st.caption(f"Format: {ui.md(report.format)}")
    if badge is not None:
        from datetime import datetime

        from wallet.pdf import from_report, render_pdf

        page = from_report(report, content=source if isinstance(source, bytes) else None,
                           checked_at=datetime.now(UTC))
        st.download_button("Download this check as a PDF", data=render_pdf([page], title=page.name),
                           file_name="badge-check.pdf", mime="application/pdf", key="recruiter_pdf")


def _record_parts(report: Report) -> None:
    """A CLR 2.0 learner record: each credential inside it with its own verdict (never the record's)."""
    parts = [n.report for n in report.nested if n.role == "achievement"]
    if not parts:
        return
    st.subheader(f"Inside this learner record: {len(parts)} credential(s), each checked on its own", anchor=False)
    for part in parts:
        name = part.badge.name if part.badge and part.badge.name else "Unnamed credential"
        st.markdown(f"- **{ui.md(name)}** — {ui.md(ui.verdict_label(str(part.verdict)))}: "
                    f"{ui.md(summarize(part).text)}")


if source is not None:
    raw = source if isinstance(source, bytes) else source.encode("utf-8")
    key = hashlib.sha256(raw + b"\0" + email.encode("utf-8")).hexdigest()
    cached = st.session_state.get("recruiter_report")
    if not cached or cached[0] != key:
        with st.spinner("Checking the badge with its issuer…"):
            checked: Report | None
            try:
                checked = state.check_badge(source, recipient=email or None)
            except Exception as exc:  # noqa: BLE001 - a verifier bug must not show a traceback
                checked = None
                st.error(f"The badge could not be checked because of an internal error ({exc.__class__.__name__}).")
        st.session_state["recruiter_report"] = (key, checked)
    report = st.session_state["recruiter_report"][1]
    if isinstance(report, Report):
        _show(report, source)
