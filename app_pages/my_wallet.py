"""The learner's wallet: a grid of badge cards with filters, and one badge's detail view.

The grid reads only the entries' summaries (no files or reports) for the counts and filters, then the
full entries of the one page it shows (:data:`PAGE_SIZE` cards), so a wallet of thousands of badges
opens as fast as a small one."""
from __future__ import annotations

import streamlit as st

from app_pages import state, transcript_view, ui
from wallet.grouping import RULE_TEXT
from wallet.model import CATEGORY_LABEL, Entry, EntrySummary
from wallet.transcript import is_record

wallet = state.get_wallet()
SELECTED = "selected_entry"
PAGE = "wallet_page"
PAGE_SIZE = 24  # cards per page (6 rows of 4)


def _card(entry: Entry) -> None:
    with st.container(border=True, height="stretch"):
        ui.badge_image(entry.content, entry.media_type, entry.badge.get("image"), width=110)
        st.markdown(f"**{ui.md(entry.name)}**")
        st.caption(ui.issuer_caption(entry.identity, entry.verdict, _claimed(entry), entry.issuer_origin))
        ui.chips(entry.verdict, entry.effective_category, entry.identity)
        if st.button("Details", key=f"open_{entry.id}", icon=":material/info:", width="stretch"):
            st.session_state[SELECTED] = entry.id
            st.rerun()


def _claimed(entry: Entry) -> str | None:
    name = (entry.badge.get("issuer") or {}).get("name")
    return name if isinstance(name, str) and name else None


def _trust_button(entry: Entry) -> None:
    """Mark the issuer as trusted (or not): the learner's own judgement, shown only on their own pages."""
    issuer_id = (entry.badge.get("issuer") or {}).get("id")
    if not isinstance(issuer_id, str) or not issuer_id:
        return
    level = ui.identity_level(entry.identity, entry.verdict)
    for message in st.session_state.pop("trust_news", []):
        st.success(ui.md(message), icon=":material/thumb_up:")
    if level == "self-asserted" and entry.verdict not in ("invalid", "unverifiable"):
        if st.button("I trust this issuer", key=f"trust_{entry.id}", icon=":material/thumb_up:",
                     help="Only for issuers you know: marks this issuer's id as trusted on your own pages "
                          "(not on the portfolio pages others see)."):
            changed = wallet.set_trusted(issuer_id, True)
            st.session_state["trust_news"] = [f"You trust this issuer now ({changed} badge(s) updated)."]
            st.rerun()
    elif level == "trusted":
        if st.button("Stop trusting this issuer", key=f"untrust_{entry.id}", icon=":material/thumb_down:"):
            wallet.set_trusted(issuer_id, False)
            st.rerun()


def _issuer_settings() -> None:
    """Registries and trusted issuers: none is used or trusted until the learner adds it."""
    settings = wallet.issuer_settings()
    with st.expander(f"Who vouches for issuers: {len(settings.registries)} registr"
                     f"{'y' if len(settings.registries) == 1 else 'ies'}, {len(settings.trusted)} trusted issuer(s)"):
        st.caption("A valid signature proves who holds the issuer's key, not who the issuer is. An issuer "
                   "registry (Digital Credentials Consortium format) names issuers; none is used unless you "
                   "add one. Issuers you trust are marked on your own pages only.")
        for message in st.session_state.pop("settings_news", []):
            st.info(ui.md(message))
        for load in wallet.registry_loads():
            cols = st.columns([5, 1])
            if load.registry is not None:
                text = f"{ui.md(load.registry.label)} — {len(load.registry.entries)} issuers, " \
                       f"{ui.md(load.registry.describe().split('(')[-1].rstrip(')'))}"
                if load.registry.note:
                    text += " · " + ui.md(load.registry.note)
            else:
                text = f"{ui.md(load.source)} — :red[{ui.md(load.error)}]"
            cols[0].markdown(text)
            if cols[1].button("Remove", key=f"remove_registry_{load.source}"):
                wallet.remove_registry(load.source)
                st.rerun()
        with st.form("add_registry", clear_on_submit=True):
            spec = st.text_input("Add an issuer registry (web address or file)",
                                 placeholder="https://…/registry.json")
            if st.form_submit_button("Add registry") and spec.strip():
                try:
                    load = wallet.add_registry(spec)
                    count = len(load.registry.entries) if load.registry is not None else 0
                    st.session_state["settings_news"] = [f"Added: {count} issuers. Check your "
                                                         "badges again to use it."]
                except Exception as exc:  # noqa: BLE001 - a bad registry is a sentence, never a traceback
                    st.session_state["settings_news"] = [str(exc)]
                st.rerun()
        for issuer_id in settings.trusted:
            cols = st.columns([5, 1])
            cols[0].markdown(f":blue-badge[:material/thumb_up: trusted] {ui.md(issuer_id)}")
            if cols[1].button("Remove", key=f"untrust_{issuer_id}"):
                wallet.set_trusted(issuer_id, False)
                st.rerun()


def _grid(entries: list[EntrySummary]) -> list[str]:
    """The counts, filters and one page of cards; returns a sentence per damaged record of that page."""
    st.title("My badges", anchor=False)
    if not entries:
        if not state.demo_on():
            st.info("Your wallet is empty. Import your badges on the Import page.")
            return []
        st.info("Your wallet is empty. Import your badges on the Import page, or start with the demo badges.")
        if st.button("Load demo badges", type="primary", icon=":material/auto_awesome:"):
            with st.spinner("Importing and checking the demo badges…"):
                state.load_demo_badges(wallet)
            st.rerun()
        return []

    valid = sum(e.verdict == "valid" for e in entries)
    # Counts of micro-credentials include only verified badges; the others are shown apart.
    micro = sum(e.effective_category == "micro-credential" and e.verdict == "valid" for e in entries)
    micro_unverified = sum(e.effective_category == "micro-credential" and e.verdict != "valid" for e in entries)
    m1, m2, m3 = st.columns(3)
    m1.metric("Badges", len(entries))
    m2.metric("Verified", valid)
    m3.metric("Micro-credentials", micro, help="Verified micro-credentials only.")
    if micro_unverified:
        m3.caption(f"and {micro_unverified} more not verified (not counted)")

    if st.button("Check every badge again", icon=":material/refresh:", key="reverify_all"):
        with st.spinner("Checking every badge with its issuer…"):
            changed = [r for r in wallet.reverify() if r.changed]
        st.session_state["reverify_news"] = [r.message for r in changed] or ["Every badge is as it was."]
        st.rerun()
    for message in st.session_state.pop("reverify_news", []):
        st.info(ui.md(message), icon=":material/refresh:")

    issuers = sorted({e.issuer_name for e in entries})
    f1, f2, f3 = st.columns(3)
    category = f1.selectbox("Category", ["All", *CATEGORY_LABEL], key="filter_category",
                            format_func=lambda c: "All" if c == "All" else CATEGORY_LABEL[c].capitalize())
    status = f2.selectbox("Status", ["All", *ui.VERDICT_STYLE], key="filter_status",
                          format_func=lambda v: "All" if v == "All" else ui.verdict_label(v))
    issuer = f3.selectbox("Issuer", ["All", *issuers], key="filter_issuer", format_func=ui.plain)
    shown = [e for e in entries
             if (category == "All" or e.effective_category == category)
             and (status == "All" or e.verdict == status)
             and (issuer == "All" or e.issuer_name == issuer)]
    if not shown:
        st.caption("No badge matches these filters.")
        return []
    page, damage = _page_of(shown, (category, status, issuer))
    per_row = 4
    for start in range(0, len(page), per_row):
        cols = st.columns(per_row)
        for col, entry in zip(cols, page[start:start + per_row], strict=False):
            with col:
                _card(entry)
    _issuer_settings()
    return damage


def _page_of(shown: list[EntrySummary], filters: tuple[str, ...]) -> tuple[list[Entry], list[str]]:
    """The full entries of the current page of ``shown`` (page 1 again whenever the filters change) and
    a sentence per record of it that cannot be read in full, with Previous/Next buttons when there is
    more than one page."""
    pages = (len(shown) + PAGE_SIZE - 1) // PAGE_SIZE
    kept_filters, number = st.session_state.get(PAGE, (filters, 1))
    number = min(max(1, number if kept_filters == filters else 1), pages)
    st.session_state[PAGE] = (filters, number)
    first = (number - 1) * PAGE_SIZE
    if pages > 1:
        left, middle, right = st.columns([1, 3, 1], vertical_alignment="center")
        left.button("Previous", icon=":material/chevron_left:", disabled=number <= 1, key="page_prev",
                    width="stretch", on_click=_turn, args=(filters, number - 1))
        right.button("Next", icon=":material/chevron_right:", disabled=number >= pages, key="page_next",
                     width="stretch", on_click=_turn, args=(filters, number + 1))
        middle.caption(f"Page {number} of {pages} · badges {first + 1}–{min(first + PAGE_SIZE, len(shown))} "
                       f"of {len(shown)}")
    return wallet.get_many_with_damage([e.id for e in shown[first:first + PAGE_SIZE]])


def _turn(filters: tuple[str, ...], number: int) -> None:
    st.session_state[PAGE] = (filters, number)


def _detail(entry: Entry) -> None:
    if st.button("Back to all badges", icon=":material/arrow_back:"):
        st.session_state.pop(SELECTED, None)
        st.rerun()
    badge = entry.badge
    # The left column is wide enough for its buttons' labels (they were cut to "Download original…").
    left, right = st.columns([1, 2], gap="large")
    with left:
        ui.badge_image(entry.content, entry.media_type, badge.get("image"), width=200)
        st.download_button("Download original file", data=entry.content, file_name=entry.filename,
                           mime=entry.media_type or "application/octet-stream", icon=":material/download:",
                           key=f"download_{entry.id}", width="stretch",
                           help="The exact badge file you imported, with its data inside. Send this file to "
                                "anyone who asks for your badge.")
        if entry.verdict == "valid":
            st.caption("Add to LinkedIn from the Share page: it makes a public page for this badge, which "
                       "LinkedIn links to.")
    with right:
        st.title(ui.md(entry.name), anchor=False)
        ui.chips(entry.verdict, entry.effective_category, entry.identity)
        st.markdown(ui.md(state.entry_summary(entry)))
        st.markdown(ui.issuer_line(entry.identity, entry.verdict, _claimed(entry), entry.issuer_origin))
        _trust_button(entry)
        if dates := ui.dates_line(badge.get("issued_on"), badge.get("expires")):
            st.markdown(dates)
        recipient = badge.get("recipient") or {}
        if recipient.get("name") or recipient.get("identity"):
            who = recipient.get("name") or (f"your {recipient.get('type') or 'identity'} (kept hashed in the badge)"
                                            if recipient.get("hashed") else recipient.get("identity"))
            st.markdown(f"**Issued to:** {ui.md(who)}")
        if entry.tags:
            st.markdown("**Tags:** " + ui.md(", ".join(entry.tags)))
        if badge.get("description"):
            st.markdown(ui.md(badge["description"]))
        if badge.get("criteria"):
            st.markdown("**Criteria:** " + ui.md(badge["criteria"]))
        ui.endorsements(c for c in entry.report.get("checks") or [] if isinstance(c, dict))

    record = is_record(entry)  # a CLR 2.0 learner record opens on its transcript
    tabs = st.tabs((["Transcript"] if record else []) + ["Checks", "Category", "Tags & notes", "Manage"])
    if record:
        with tabs[0]:
            transcript_view.record(entry)
    checks_tab, category_tab, notes_tab, manage_tab = tabs[-4:]
    with checks_tab:
        ui.check_list(entry.report.get("checks") or [])
        st.caption(f"Last checked {ui.day(entry.verified_at)} at {entry.verified_at:%H:%M} UTC · "
                   f"format {ui.md(entry.format)}")
        if st.button("Check again now", icon=":material/refresh:", key="reverify"):
            with st.spinner("Checking the badge with its issuer…"):
                wallet.reverify([entry.id])
            st.rerun()
    with category_tab:
        _category(entry)
    with notes_tab:
        with st.form(f"notes_{entry.id}"):
            tags = st.text_input("Tags (comma-separated)", value=", ".join(entry.tags))
            notes = st.text_area("Notes", value=entry.notes)
            if st.form_submit_button("Save"):
                wallet.set_tags(entry.id, tags.split(","))
                wallet.set_notes(entry.id, notes)
                st.rerun()
    with manage_tab:
        sure = st.checkbox("Yes, remove this badge from my wallet", key=f"confirm_delete_{entry.id}")
        if st.button("Delete badge", icon=":material/delete:", disabled=not sure, key="delete"):
            wallet.delete(entry.id)
            st.session_state.pop(SELECTED, None)
            st.toast("Badge removed from the wallet.")
            st.rerun()


def _category(entry: Entry) -> None:
    """Why the badge is (not) a micro-credential, the learner's override, then the EU checklist."""
    ruled = CATEGORY_LABEL[entry.category]
    shown = CATEGORY_LABEL[entry.effective_category]
    by = "you chose it" if entry.override else "decided by the rules below"
    st.markdown(f"Shown as **{shown}** ({by}).")
    st.caption(f"The rule: {RULE_TEXT} Otherwise it is a plain badge.")
    ui.signal_list(entry.effective_reasons)
    for message in st.session_state.pop("override_news", []):
        st.success(message, icon=":material/check_circle:")
    options = ["rules", *CATEGORY_LABEL]
    current = entry.override or "rules"
    choice = st.radio("Change the category", options, index=options.index(current),
                      key=f"override_{entry.id}", horizontal=True,
                      format_func=lambda c: (f"Use the rules ({ruled})" if c == "rules"
                                             else CATEGORY_LABEL[c].capitalize()))
    if choice != current and st.button("Save category", key="save_override", type="primary"):
        wallet.set_override(entry.id, None if choice == "rules" else choice)
        st.session_state["override_news"] = [
            f"Saved: this badge is now shown as a {ruled if choice == 'rules' else CATEGORY_LABEL[choice]}."]
        st.rerun()

    present = sum(bool(s.found) for s in entry.checklist)
    st.subheader(f"EU micro-credential checklist: {present} of {len(entry.checklist)} elements found",
                 anchor=False)
    st.caption("The EU's 2022 Recommendation lists what a micro-credential should state. This list is for "
               "your information (say, when an employer or a university asks); it does not change the "
               "category above. Elements marked with an empty circle are not in the badge.")
    ui.signal_list(entry.checklist)


selected_id = st.session_state.get(SELECTED)
selected = wallet.get(selected_id) if isinstance(selected_id, str) else None
if selected is not None:
    _detail(selected)
else:
    st.session_state.pop(SELECTED, None)
    # Damaged records are skipped, not fatal: say which ones (those the list cannot read, and those of
    # this page whose file or report cannot be read), then show the rest of the wallet.
    summaries, damage = wallet.summaries_with_damage()
    notices = st.container()
    page_damage = _grid(summaries)
    with notices:
        for sentence in damage + page_damage:
            st.warning(ui.md(sentence), icon=":material/warning:")
