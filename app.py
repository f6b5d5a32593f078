"""Badge wallet — Streamlit entry point: routing only (the pages live in ``app_pages/``).

A URL carrying ``?p=TOKEN`` is a public portfolio link: only the public page is registered then,
so no wallet page can be reached from it. In local mode the app has no login and listens on
127.0.0.1 only (``.streamlit/config.toml``): to publish portfolio links on the internet, run a second
instance with ``BADGE_WALLET_PUBLIC_ONLY=1``, which only ever serves the public page (a visitor who
strips ``?p=`` gets "Portfolio not found", never the wallet), accepts no uploads and never writes
the wallet. A ``BADGE_WALLET_PUBLIC_ONLY`` value that is not a clear on/off stops the app.
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from streamlit import config

from app_pages import state, ui
from wallet.auth import check_auth_section, display_name
from wallet.mode import ConfigError
from wallet.store import WalletError

try:
    MODE = state.mode()
except ConfigError as exc:  # a setting with an unknown value: serve nothing rather than guess
    print(f"badge wallet: {exc}", file=sys.stderr)
    st.set_page_config(page_title="Badge wallet: not started")
    st.error(str(exc), icon=":material/error:")
    st.stop()
PUBLIC_ONLY = MODE == "public-only"
if PUBLIC_ONLY and config.get_option("server.maxUploadSize") != 0:
    # Nothing is ever uploaded here: close Streamlit's upload endpoint (read per request) to every visitor.
    config.set_option("server.maxUploadSize", 0, "BADGE_WALLET_PUBLIC_ONLY")
PUBLIC = PUBLIC_ONLY or st.query_params.get("p") is not None
# A local file: a ":material/…:" page icon makes every visitor's browser fetch it from fonts.gstatic.com.
FAVICON = Path(__file__).resolve().parent / "app_pages" / "favicon.png"

st.set_page_config(page_title="Portfolio" if PUBLIC else "Badge wallet", page_icon=FAVICON,
                   layout="centered" if PUBLIC else "wide", initial_sidebar_state="collapsed" if PUBLIC else "auto")

HOSTED = MODE == "hosted"
owner: str | None = None
if HOSTED and not PUBLIC:
    try:
        check_auth_section(state.auth_section())
        owner = state.current_owner()
    except WalletError as exc:  # no [auth] configured, or an account without iss/sub
        st.error(str(exc), icon=":material/error:")
        if state.signed_in():
            st.button("Sign out", on_click=st.logout)
        st.stop()
CHECK_PAGE = st.Page("app_pages/verify_badge.py", title="Check a badge", icon=":material/fact_check:")

if PUBLIC:
    page = st.navigation([st.Page("app_pages/public_portfolio.py", title="Portfolio", default=True)],
                         position="hidden")
elif HOSTED and owner is None:  # a stranger reaches only sign-in, portfolio links and the check page
    page = st.navigation([st.Page("app_pages/sign_in.py", title="Sign in", icon=":material/login:", default=True),
                          CHECK_PAGE])
else:
    if HOSTED:
        with st.sidebar:
            st.caption(f"Signed in as {ui.md(display_name(st.user.to_dict()))}")
            st.button("Sign out", on_click=st.logout, icon=":material/logout:")
    page = st.navigation([
        st.Page("app_pages/my_wallet.py", title="My badges", icon=":material/wallet:", default=True),
        st.Page("app_pages/import_badges.py", title="Import", icon=":material/upload:"),
        st.Page("app_pages/share_links.py", title="Share", icon=":material/share:"),
        st.Page("app_pages/transcript.py", title="Transcript", icon=":material/school:"),
        CHECK_PAGE,
    ])
try:
    page.run()
except WalletError as exc:  # a damaged or busy wallet file: a sentence, never a traceback
    if PUBLIC:  # a visitor learns nothing about the owner's files
        st.error("This portfolio is not available right now. Please try again later.",
                 icon=":material/error:")
    else:
        st.error(str(exc), icon=":material/error:")
