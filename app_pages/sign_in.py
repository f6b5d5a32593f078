"""Hosted mode, signed out: the sign-in screen (the only wallet page a stranger can reach)."""
from __future__ import annotations

import streamlit as st

from app_pages import state

st.title("Your badge wallet", anchor=False)
st.markdown("Sign in to see, import and share your badges. Each learner's wallet is private: only you see it.")
names = state.auth_providers()
if not names:
    if st.button("Sign in", type="primary", icon=":material/login:"):
        st.login()
for name in names:
    if st.button(f"Sign in with {name}", type="primary", icon=":material/login:", key=f"login_{name}"):
        st.login(name)
st.caption("Got a portfolio link? Open it directly: it needs no account. To check a badge someone sent you, "
           "use “Check a badge”; nothing you check there is stored.")
