"""Rendering of transcript rows and stacks, shared by the Transcript page and a record's detail view."""
from __future__ import annotations

import streamlit as st

from app_pages import ui
from wallet.model import Entry
from wallet.transcript import Transcript, TranscriptRow, build_transcript

KIND_LABEL = {"micro-credential": "Micro-credential", "course": "Course", "qualification": "Qualification",
              "extracurricular": "Extracurricular", "badge": "Badge", "transcript": "Transcript"}


def table(rows: list[TranscriptRow], *, key: str) -> None:
    st.dataframe([{
        "Achievement": r.name, "Type": KIND_LABEL.get(r.kind, r.kind), "Credits": r.credits, "Level": r.level or "",
        "Result": r.result or "", "Issued": ui.day(r.issued) if r.issued else "", "Issuer": r.issuer,
        "Status": ("Verified" if r.verified else ui.verdict_label(r.verdict))
                  + (" (described by the record)" if r.described_only else ""),
        "From record": r.record or "",
    } for r in rows], hide_index=True, width="stretch", key=key)


def stacks(transcript: Transcript) -> None:
    if not transcript.stacks and not transcript.links:
        return
    st.subheader("Stacks toward larger credentials", anchor=False)
    for stack in transcript.stacks:
        earned = ", ".join(f"{v:g} {u}" for u, v in stack.earned.items()) or "no verified credits yet"
        needed = f" of {stack.needed.text}" if stack.needed and not stack.needed.from_text else ""
        st.markdown(f"**{ui.md(stack.target)}**: {ui.md(earned)}{ui.md(needed)} verified")
        st.markdown("\n".join(f"- {ui.md(name)} ({ui.md(kind)})" + ("" if ok else " — not verified, not counted")
                              for name, kind, ok in stack.members))
    for sentence in transcript.links:
        st.caption(ui.md(sentence))


def record(entry: Entry) -> None:
    """A CLR 2.0 record as a transcript: each achievement with its own verdict, and its stacks."""
    t = build_transcript([entry])
    bad = [r for r in t.unverified if not r.described_only]
    st.caption(f"This learner record lists {len(t.rows) + len(t.unverified)} achievement(s). Each credential "
               "inside it was verified on its own, with its own issuer's signature"
               + (f"; {len(bad)} did not verify and cannot be trusted." if bad else "."))
    if t.rows:
        table(t.rows, key=f"record_verified_{entry.id}")
    if t.unverified:
        st.markdown(f"**Not verified ({len(t.unverified)})**")
        table(t.unverified, key=f"record_unverified_{entry.id}")
    stacks(t)
