"""The public portfolio page (``?p=TOKEN``, or ``?p=TOKEN&b=ENTRY`` for one badge).

This is the only page registered for a portfolio URL (see app.py); it renders the
:class:`wallet.portfolio.PublicPortfolio` view model and nothing else of the wallet.

Progressive: every badge is shown at once from its last stored result (saying when it was checked), then
the stale ones are checked again in parallel, each card filled in as its answer comes; a slow issuer
never holds the others, and the page stops waiting at one deadline.
"""
from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from app_pages import state, ui
from wallet.portfolio import PAGE_DEADLINE, PublicBadge, PublicPortfolio

_CLOSED_TITLE = {"expired": "This link has expired", "revoked": "This link was withdrawn",
                 "unknown": "Portfolio not found"}

token = st.query_params.get("p") or ""
one = st.query_params.get("b") or None
view: PublicPortfolio = state.open_portfolio(token, badge=one, refresh=False)


def page_title(v: PublicPortfolio) -> str:
    """The browser tab / screen reader title: names the portfolio and its owner (plain text)."""
    if v.status != "ok":
        return _CLOSED_TITLE.get(v.status, "Portfolio not available")
    what = v.badges[0].name if v.single and v.badges else (v.title or "Badge portfolio")
    owner = f" — {v.owner_name}" if v.owner_name else ""
    kind = "verified badge" if v.single else "badge portfolio"
    return f"{what}{owner} · {kind}"[:200]


st.set_page_config(page_title=page_title(view))

if view.status != "ok":
    st.title(_CLOSED_TITLE.get(view.status, "Portfolio not available"), anchor=False)
    st.info(ui.md(view.message))
    st.stop()


def render(slot, b: PublicBadge, i: int, *, final: bool) -> None:
    """One badge card. ``final`` False: a first render from the stored result (no widgets: the card is
    drawn again in this run once the badge has been checked)."""
    now = datetime.now(UTC)
    with slot.container(border=True):
        left, right = st.columns([1, 4], gap="medium")
        with left:
            ui.badge_image(b.content, b.media_type, b.image, width=140, alt=f"Badge image: {b.name}")
        with right:
            if not view.single:  # a one-badge page already has the name as its title
                st.subheader(ui.md(b.name), anchor=False)
            ui.chips(b.verdict, b.category, b.issuer_identity, category_text=b.category_chip, icons=False)
            st.markdown(ui.md(b.summary))
            st.caption(ui.md(b.checked_note(now, PAGE_DEADLINE)))
            if b.whose is not None:
                st.markdown(f"**Whose badge:** {ui.md(b.whose.sentence)}")
            claimed = (b.issuer_identity or {}).get("claimed_name") if b.issuer_identity else b.issuer_name
            st.markdown(ui.issuer_line(b.issuer_identity, b.verdict, claimed, b.issuer_origin))
            if dates := ui.dates_line(b.issued_on, b.expires):
                st.markdown(dates)
            if b.recipient_name or b.recipient_email:
                st.markdown("**Issued to:** " + ui.md(" · ".join(x for x in (b.recipient_name, b.recipient_email) if x)))
            elif b.email_hidden:
                st.caption("The recipient's email address is hidden by the badge owner.")
            if b.description:
                st.markdown(ui.md(b.description))
            ui.endorsements(b.checks, icons=False)
            with st.expander("Why this category, and every check"):
                st.markdown(f"**{ui.md(b.category_chip or b.category_label.capitalize())}**")
                for reason in b.reasons:
                    st.markdown("- " + ui.md(reason))
                ui.check_list(b.checks, icons=False)
            if not final:
                return
            if b.content is not None:
                st.download_button("Download the original badge file", data=b.content, file_name=b.filename,
                                   mime=b.media_type or "application/octet-stream", key=f"dl_{i}_{b.freshness}",
                                   )
            elif b.download_note:
                st.caption(ui.md(b.download_note))


heading = view.badges[0].name if view.single and view.badges else (view.title or "Badge portfolio")
st.title(ui.md(heading), anchor=False)
if view.owner_name:
    st.markdown(f"Shared by **{ui.md(view.owner_name)}** (the name the owner gave).")
count = len(view.badges)
if view.single:
    st.caption("One badge from a portfolio, checked with its issuer.")
else:
    st.caption(f"{count} badge{'s' if count != 1 else ''}, each checked with its issuer; a result is reused "
               "for up to two minutes.")
# A caption, not a coloured box: on a phone the badges, not the link's expiry, come first.
st.caption(ui.md(view.link_note))
if view.missing:
    st.caption(f"{view.missing} badge(s) in this link are no longer available.")

slots = [st.empty() for _ in view.badges]
for index, badge in enumerate(view.badges):
    render(slots[index], badge, index, final=badge.freshness != "stale")

if any(b.freshness == "stale" for b in view.badges):
    progress = st.empty()
    progress.caption("Checking the badges again with their issuers…")

    def _done(index: int, badge: PublicBadge) -> None:
        if index < len(slots):
            render(slots[index], badge, index, final=True)

    state.open_portfolio(token, badge=one, on_done=_done)
    progress.empty()
