"""Share: who you are on public pages, build a portfolio link (with QR code and one-badge pages for
LinkedIn), list links with their status, revoke them."""
from __future__ import annotations

import streamlit as st

from app_pages import state, ui
from wallet.holder import confirmed_email
from wallet.mode import unreachable_reason
from wallet.portfolio import badge_link
from wallet.present import PRESENTABLE
from wallet.store import WalletError

wallet = state.get_wallet()
NEW_LINK = "new_portfolio_link"
EXPIRY = {"Never": None, "7 days": 7, "30 days": 30, "90 days": 90, "1 year": 365}
_STATUS_CHIP = {"active": ("Active", "green"), "expired": ("Expired", "orange"), "revoked": ("Revoked", "red")}

st.title("Share your badges", anchor=False)
entries = wallet.entries()
names = {e.id: e.name for e in entries}

if base_problem := unreachable_reason(state.public_base()):
    st.warning("Links made here will not open for anyone else. " + base_problem, icon=":material/wifi_off:")

if not entries:
    st.info("Your wallet is empty: import some badges first.")
else:
    with st.form("new_portfolio", clear_on_submit=False):
        st.subheader("Make a portfolio link", anchor=False)
        chosen = st.multiselect("Badges to show", list(names), key="share_badges",
                                placeholder="Pick one or more badges",
                                format_func=lambda i: f"{ui.plain(names[i])} ({ui.verdict_label(next(e.verdict for e in entries if e.id == i))})")
        title = st.text_input("Title", value="My badges", max_chars=120, key="share_title")
        expiry = st.selectbox("The link expires after", list(EXPIRY), key="share_expiry")
        show_email = st.checkbox("Show my email address on the page", value=False, key="share_email",
                                 help="Badge files carry your email inside them, so the original files are "
                                      "offered for download only when you show your email.")
        if not show_email:
            st.caption("Without your email on the page, visitors see and check each badge but cannot "
                       "download the original files, because your email is written inside them.")
        st.caption("Only the badges you choose are shown; each is checked again whenever the page is opened. "
                   "It is the link that expires, not the badges.")
        if st.form_submit_button("Create link", type="primary", icon=":material/link:"):
            try:
                portfolio, link = wallet.create_portfolio(chosen, title, expires_days=EXPIRY[expiry],
                                                          show_email=show_email)
            except WalletError as exc:
                st.error(str(exc))
            else:
                st.session_state[NEW_LINK] = (portfolio.id, link)

new = st.session_state.get(NEW_LINK)
if new:
    pid, link = new
    with st.container(border=True):
        st.success("Your link is ready. Copy it now: for your safety only a fingerprint of it is kept, "
                   "so it cannot be shown again.", icon=":material/check_circle:")
        left, right = st.columns([3, 1])
        with left:
            st.code(link, language=None, wrap_lines=True)  # the whole link is visible, not cut off
            if unreachable := unreachable_reason(link):
                st.warning(unreachable, icon=":material/wifi_off:")
            st.link_button("Open the public page", link, icon=":material/open_in_new:")
        with right:
            st.image(wallet.qr_code(link, "png"), caption="Scan to open", width=160, alt="QR code of the link")
        shared = next((p for p in wallet.portfolios() if p.id == pid), None)
        if shared is not None:
            pdf_key = f"pdf_{pid}"
            if st.button("Make a PDF of these badges", key=f"make_{pdf_key}",
                         help="A printable page per badge, with a QR code to its live page."):
                with st.spinner("Checking the badges and writing the PDF…"):
                    try:
                        st.session_state[pdf_key] = wallet.pdf_report(shared.entry_ids, link=link)[0]
                    except WalletError as exc:
                        st.error(str(exc))
            if st.session_state.get(pdf_key):
                st.download_button("Download the PDF", data=st.session_state[pdf_key], file_name="badges.pdf",
                                   mime="application/pdf", key=f"dl_{pdf_key}")
            st.markdown("**One page per badge** — for LinkedIn, or to send a single badge:")
            for entry_id in shared.entry_ids:
                entry = wallet.get(entry_id)
                if entry is None:
                    continue
                page_url = badge_link(link, entry_id)
                row = st.columns([3, 1])
                with row[0]:
                    st.markdown(f"{ui.md(entry.name)} · {ui.verdict_label(entry.verdict)}")
                    st.code(page_url, language=None, wrap_lines=True)
                with row[1]:
                    linkedin = wallet.linkedin_url(entry_id, cert_url=page_url)
                    if linkedin:
                        st.link_button("Add to LinkedIn", linkedin, key=f"li_{entry_id}")
                    else:
                        st.caption("LinkedIn is offered only for badges that verify.")

def _signed_in_email() -> str | None:
    """The e-mail the sign-in provider verified (hosted mode), else None (see holder.confirmed_email)."""
    try:
        return confirmed_email(st.user.to_dict())
    except Exception:  # noqa: BLE001 - no sign-in configured
        return None


confirmed = _signed_in_email()
if confirmed and not any(i.value == confirmed and i.confirmed for i in wallet.identities()):
    try:
        wallet.add_identity(confirmed, confirmed=True)
    except WalletError as exc:  # a store without settings: the page still works, it says why
        st.caption(ui.md(str(exc)))

with st.expander("Who you are on your public pages", expanded=not wallet.identities()):
    st.caption("Visitors see, for each badge, whether it was issued to you. Add the e-mail addresses, web "
               "addresses and DIDs your badges were issued to. They are compared with each badge's "
               "recipient (hashed ones too) and never shown on the page.")
    for ident in wallet.identities():
        row = st.columns([5, 1])
        row[0].markdown(f"{ui.md(ident.value)} · {ident.kind}" + (" · confirmed at sign-in" if ident.confirmed else ""))
        if row[1].button("Remove", key=f"rm_ident_{ident.value}"):
            wallet.remove_identity(ident.value)
            st.rerun()
    with st.form("add_identity", clear_on_submit=True):
        value = st.text_input("Add an e-mail address, web address or DID", key="identity_value",
                              placeholder="you@example.org, https://…, did:…")
        if st.form_submit_button("Add"):
            try:
                wallet.add_identity(value)
            except WalletError as exc:
                st.error(str(exc))
            else:
                st.rerun()
    with st.form("display_name"):
        name = st.text_input("Your name on public pages (optional)", value=wallet.display_name(), max_chars=120,
                             key="display_name_value", help="Shown as the name you gave; nobody checks it.")
        if st.form_submit_button("Save name"):
            wallet.set_display_name(name)
            st.rerun()

presentable = [e for e in entries if e.format in PRESENTABLE]
older = [e for e in entries if (e.format or "").startswith(("ob1-", "ob2-"))]
with st.expander("A signed presentation, for a verifier's software"):
    st.caption("A Verifiable Presentation holds your Open Badges 3.0 credentials exactly as issued (signed ones, and "
               "VC-JWTs in an envelope), signed by your wallet's own key, so a verifier can check that you are the one "
               "presenting them. If the verifier gave you a challenge and a domain, enter them: they are signed into "
               "the file.")
    if older:
        older_names = ", ".join(f"“{names.get(e.id, e.name)}”" for e in older[:5]) + (" and others" if len(older) > 5
                                                                                       else "")
        st.caption(ui.md(f"Open Badges 1.x and 2.0 badges are not W3C Verifiable Credentials and cannot go into a "
                         f"presentation ({older_names}): share those with a link or a PDF."))
    if not presentable:
        st.caption("None of your badges is a signed Open Badges 3.0 credential.")
    else:
        chosen_vp = st.multiselect("Credentials to present", [e.id for e in presentable], key="vp_badges",
                                   format_func=lambda i: names.get(i, i), placeholder="Pick one or more")
        cols = st.columns(2)
        challenge = cols[0].text_input("Challenge (optional)", key="vp_challenge").strip() or None
        domain = cols[1].text_input("Domain (optional)", key="vp_domain").strip() or None
        if chosen_vp:
            try:
                vp = wallet.presentation(chosen_vp, challenge=challenge, domain=domain)
            except WalletError as exc:
                st.error(str(exc))
            else:
                import json as _json

                st.download_button("Download the signed presentation", data=_json.dumps(vp, indent=2),
                                   file_name="presentation.json", mime="application/json", key="vp_download")
                st.caption(f"Signed as {ui.md(vp['holder'])}.")

portfolios = sorted(wallet.portfolios(), key=lambda p: p.created_at, reverse=True)
st.subheader("Your links", anchor=False)
if not portfolios:
    st.caption("No links yet.")
for p in portfolios:
    status = wallet.portfolio_status(p)
    label, colour = _STATUS_CHIP[status]
    with st.container(border=True):
        row = st.columns([4, 1])
        with row[0]:
            st.markdown(f"**{ui.md(p.title)}**")
            st.badge(label, color=colour)  # type: ignore[arg-type]
            shown = [names.get(i, "a removed badge") for i in p.entry_ids]
            st.caption(ui.md(", ".join(shown)))
            when = f"Created {ui.day(p.created_at)}"
            if p.revoked_at:
                when += f" · withdrawn {ui.day(p.revoked_at)}"
            elif p.expires_at:
                when += f" · {'expired' if status == 'expired' else 'expires'} {ui.day(p.expires_at)}"
            else:
                when += " · does not expire"
            if p.show_email:
                when += " · shows your email"
            st.caption(when)
        with row[1]:
            if status == "active" and st.button("Revoke", key=f"revoke_{p.id}", icon=":material/link_off:"):
                wallet.revoke_portfolio(p.id)
                if new and new[0] == p.id:
                    st.session_state.pop(NEW_LINK, None)
                st.toast("The link was withdrawn.")
                st.rerun()
            # A withdrawn link (for one restored from a backup, always) is never reopened: a new link
            # with a new token is made for the same badges, the email hidden.
            if status != "active" and st.button("Make a new link", key=f"recreate_{p.id}", icon=":material/link:",
                                                help="A new link for the same badges; the old one stays closed."):
                try:
                    fresh, link = wallet.recreate_portfolio(p.id)
                except WalletError as exc:
                    st.error(str(exc))
                else:
                    st.session_state[NEW_LINK] = (fresh.id, link)
                    st.rerun()
