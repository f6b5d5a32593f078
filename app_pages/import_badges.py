"""Import badges: upload many files (PNG, SVG, JSON, signed badges, zip) or paste a URL/JSON/JWS/JWT."""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app_pages import state, ui
from wallet.service import ImportResult

wallet = state.get_wallet()
RESULTS = "import_results"
_STATUS = {"added": (":green[:material/check_circle:]", "Added"),
           "duplicate": (":blue[:material/info:]", "Already in wallet"),
           "replaced": (":green[:material/published_with_changes:]", "Replaced by an authenticated copy"),
           "rejected": (":red[:material/cancel:]", "Not imported")}


def _run_import(files: Sequence[tuple[str, bytes]]) -> list[ImportResult]:
    bar = st.progress(0.0, text="Starting…")

    def progress(done: int, total: int, name: str) -> None:
        fraction = done / total if total else 1.0
        bar.progress(min(fraction, 1.0), text=f"Checking {name} ({done + 1} of {total})…" if name else "Done.")

    results = wallet.import_files(files, progress=progress)
    bar.progress(1.0, text="Done.")
    return results


def _show(results: list[ImportResult]) -> None:
    counts = {k: sum(r.status == k for r in results) for k in ("added", "duplicate", "replaced", "rejected")}
    parts = [f"{counts['added']} added"]
    if counts["replaced"]:
        parts.append(f"{counts['replaced']} replaced by an authenticated copy")
    if counts["duplicate"]:
        parts.append(f"{counts['duplicate']} already in your wallet")
    if counts["rejected"]:
        parts.append(f"{counts['rejected']} not imported")
    st.subheader("Results: " + ", ".join(parts), anchor=False)
    # Added badges first (what the learner came for), then problems, then duplicates.
    results = sorted(results, key=lambda r: {"added": 0, "replaced": 0, "rejected": 1}.get(r.status, 2))
    for r in results:
        icon, label = _STATUS.get(r.status, ("•", r.status))
        with st.container(border=True):
            cols = st.columns([3, 1])
            with cols[0]:
                st.markdown(f"{icon} **{ui.md(r.filename or 'pasted text')}** — {label}")
                st.caption(ui.md(r.message))
            with cols[1]:
                if r.verdict and r.status != "rejected":
                    ui.chips(r.verdict, r.category)


st.title("Import badges", anchor=False)
st.caption("Each badge is checked with its issuer as it is imported. Badges that do not check out are "
           "kept but flagged, so you can see why.")

upload_tab, paste_tab, backup_tab = st.tabs(["Upload files", "Paste a link or text", "Back up / restore"])
with upload_tab:
    gen = st.session_state.setdefault("uploader_gen", 0)
    files = st.file_uploader("Badge files: PNG, SVG, JSON, signed badges (JWS/JWT) or a .zip of them",
                             accept_multiple_files=True, key=f"uploader_{gen}")
    # No type filter: a JPEG or PDF gets its own "not imported" line saying why, instead of being
    # dropped silently by the browser widget.
    if files:
        if st.button(f"Import {len(files)} file{'s' if len(files) != 1 else ''}", type="primary",
                     icon=":material/upload:", key="import_files"):
            st.session_state[RESULTS] = _run_import([(f.name, f.getvalue()) for f in files])
            st.session_state["uploader_gen"] = gen + 1
            st.rerun()
with paste_tab:
    with st.form("paste_form", clear_on_submit=True):
        text = st.text_area("A badge URL, JSON, or a signed badge (JWS/JWT)", height=140, key="paste_text")
        if st.form_submit_button("Import", type="primary"):
            if text.strip():
                with st.spinner("Checking the badge with its issuer…"):
                    st.session_state[RESULTS] = [wallet.import_text(text)]
            else:
                st.warning("Paste something first.")
with backup_tab:
    st.markdown("Download every badge file with its notes, categories and links as one zip; "
                "upload that zip on the *Upload files* tab to restore it.")
    st.download_button("Download a backup of the wallet", data=wallet.export_zip, file_name="badge-wallet.zip",
                       mime="application/zip", icon=":material/download:", key="export")

if st.session_state.get(RESULTS):
    _show(st.session_state[RESULTS])
