"""Recruiter page: check one badge file, link or text. No wallet, nothing stored."""
from __future__ import annotations

import hashlib

import streamlit as st

from app_pages import state, ui
from verifier import Report, summary
from wallet.model import issuer_origin

st.title("Check a badge")
st.caption("For recruiters and anyone else: drop a badge someone sent you. Nothing is stored.")

upload_tab, paste_tab = st.tabs(["Upload a file", "Paste a link or text"])
with upload_tab:
    upload = st.file_uploader("Badge file (PNG, SVG, JSON or a signed badge)", key="recruiter_file",
                              type=["png", "svg", "json", "jws", "jwt", "txt"],
                              on_change=lambda: st.session_state.update(recruiter_source="upload"))
with paste_tab:
    with st.form("recruiter_paste"):
        pasted = st.text_area("Badge URL, JSON, JWS or JWT", height=120, key="recruiter_text")
        submitted = st.form_submit_button("Check", type="primary")

source: bytes | str | None = None
if submitted and pasted.strip():
    st.session_state["recruiter_source"] = "paste"
elif submitted:
    st.warning("Paste a badge URL, JSON or a signed badge first.")
if st.session_state.get("recruiter_source") == "paste" and pasted.strip():
    source = pasted.strip()
elif upload is not None:
    source = upload.getvalue()

if source is not None:
    key = hashlib.sha256(source if isinstance(source, bytes) else source.encode("utf-8")).hexdigest()
    cached = st.session_state.get("recruiter_report")
    if not cached or cached[0] != key:
        with st.spinner("Checking the badge with its issuer…"):
            try:
                report = state.check_badge(source)
            except Exception as exc:  # noqa: BLE001 - a verifier bug must not show a traceback
                report = None
                st.error(f"The badge could not be checked because of an internal error ({exc.__class__.__name__}).")
        st.session_state["recruiter_report"] = (key, report)
    report = st.session_state["recruiter_report"][1]
    if isinstance(report, Report):
        ui.big_verdict(report.verdict, summary(report),
                       label="Not a badge we can read" if report.format == "none" else None)
        badge = report.badge
        if badge is not None:
            data = badge.to_dict()
            cols = st.columns([1, 3])
            with cols[0]:
                ui.badge_image(source if isinstance(source, bytes) else None, badge_image_value=badge.image)
            with cols[1]:
                st.subheader(ui.md(badge.name or "Unnamed badge"), anchor=False)
                origin = issuer_origin(data.get("issuer") or {})
                st.markdown(f"**Issuer:** {ui.md(badge.issuer.name or 'not named')}"
                            + (f" · {ui.md(origin)}" if origin else ""))
                who = badge.recipient.name or (
                    f"a hashed {badge.recipient.type or 'identity'}" if badge.recipient.hashed
                    else badge.recipient.identity)
                if who:
                    st.markdown(f"**Issued to:** {ui.md(who)}")
                dates = []
                if badge.issued_on:
                    dates.append(f"issued {ui.day(badge.issued_on)}")
                if badge.expires:
                    dates.append(f"expires {ui.day(badge.expires)}")
                if dates:
                    st.markdown(f"**Dates:** {', '.join(dates)}")
                if badge.description:
                    st.markdown(ui.md(badge.description))
        st.subheader("What was checked", anchor=False)
        ui.check_list(c.to_dict() for c in report.checks)
        st.caption(f"Format: {ui.md(report.format)}")
