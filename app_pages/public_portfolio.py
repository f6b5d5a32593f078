"""The public portfolio page (``?p=TOKEN``): only the chosen badges, each verified again now.

This is the only page registered for a portfolio URL (see app.py); it renders the
:class:`wallet.portfolio.PublicPortfolio` view model and nothing else of the wallet.
"""
from __future__ import annotations

import streamlit as st

from app_pages import state, ui

_CLOSED_TITLE = {"expired": "This link has expired", "revoked": "This link was withdrawn",
                 "unknown": "Portfolio not found"}

token = st.query_params.get("p") or ""
with st.spinner("Checking each badge with its issuer…"):
    view = state.open_portfolio(token)

if view.status != "ok":
    st.title(_CLOSED_TITLE.get(view.status, "Portfolio not available"), anchor=False)
    st.info(ui.md(view.message), icon=":material/link_off:")
    st.stop()

st.title(ui.md(view.title or "Badge portfolio"), anchor=False)
st.caption(f"{len(view.badges)} badge{'s' if len(view.badges) != 1 else ''}, each checked with its issuer "
           "when this page was opened.")
# A caption, not a coloured box: on a phone the badges, not the link's expiry, come first.
st.caption(":material/schedule: " + ui.md(view.link_note))
if view.missing:
    st.caption(f"{view.missing} badge(s) in this link are no longer available.")

for i, b in enumerate(view.badges):
    with st.container(border=True):
        left, right = st.columns([1, 4], gap="medium")
        with left:
            ui.badge_image(b.content, b.media_type, b.image, width=140)
        with right:
            st.subheader(ui.md(b.name), anchor=False)
            ui.chips(b.verdict, b.category)
            st.markdown(ui.md(b.summary))
            issuer = f"**Issuer:** {ui.md(b.issuer_name)}"
            if b.issuer_origin:
                issuer += f" · {ui.md(b.issuer_origin)}"
            st.markdown(issuer)
            if dates := ui.dates_line(b.issued_on, b.expires):
                st.markdown(dates)
            if b.recipient_name or b.recipient_email:
                st.markdown("**Issued to:** " + ui.md(" · ".join(x for x in (b.recipient_name, b.recipient_email) if x)))
            elif b.email_hidden:
                st.caption("The recipient's email address is hidden by the badge owner.")
            if b.description:
                st.markdown(ui.md(b.description))
            with st.expander("Why this category, and every check"):
                st.markdown(f"**{ui.md(b.category_label.capitalize())}**")
                for reason in b.reasons:
                    st.markdown("- " + ui.md(reason))
                ui.check_list(b.checks)
            if b.content is not None:
                st.download_button("Download the original badge file", data=b.content, file_name=b.filename,
                                   mime=b.media_type or "application/octet-stream", key=f"dl_{i}",
                                   icon=":material/download:")
            elif b.download_note:
                st.caption(ui.md(b.download_note))
