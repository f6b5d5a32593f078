"""The learner's transcript: verified micro-credentials and courses with credits, level and result, totals
per framework, the stacks they build toward, and a CSV export. Only verified achievements are counted;
the others are listed apart."""
from __future__ import annotations

import streamlit as st

from app_pages import state, ui
from wallet.transcript import Transcript, TranscriptRow, build_transcript, to_csv

KIND_LABEL = {"micro-credential": "Micro-credential", "course": "Course", "qualification": "Qualification",
              "extracurricular": "Extracurricular", "badge": "Badge", "transcript": "Transcript"}


def _table(rows: list[TranscriptRow], *, key: str) -> None:
    st.dataframe([{
        "Achievement": r.name, "Type": KIND_LABEL.get(r.kind, r.kind), "Credits": r.credits, "Level": r.level or "",
        "Result": r.result or "", "Issued": ui.day(r.issued) if r.issued else "", "Issuer": r.issuer,
        "Status": ("Verified" if r.verified else ui.verdict_label(r.verdict))
                  + (" (described by the record)" if r.described_only else ""),
        "From record": r.record or "",
    } for r in rows], hide_index=True, width="stretch", key=key)


def _stacks(transcript: Transcript) -> None:
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


wallet = state.get_wallet()
st.title("Transcript", anchor=False)
transcript = build_transcript(wallet.entries())
if not transcript.rows and not transcript.unverified:
    st.info("No micro-credentials, courses or learner records in your wallet yet. Import them on the Import page.")
    st.stop()

counts, totals = transcript.counts, transcript.totals
c1, c2, c3, c4 = st.columns(4)
c1.metric("Verified micro-credentials", counts.get("micro-credential", 0))
c2.metric("Verified courses", counts.get("course", 0))
c3.metric("ECTS", f"{totals.get('ECTS', 0):g}")
c4.metric("Study hours", f"{totals.get('hours', 0):g}")
if totals.get("credits"):
    st.caption(f"Also {totals['credits']:g} credits whose scheme the issuers do not name (not added to the ECTS).")
st.caption("Counts and totals include only verified achievements. Workloads found only in a description's "
           "text are not added up. Achievements a learner record only describes are listed, not counted.")

if transcript.rows:
    _table(transcript.rows, key="transcript_verified")
else:
    st.warning("None of these achievements is verified yet, so nothing is counted.")
_stacks(transcript)

if transcript.unverified:
    st.subheader(f"Not verified ({len(transcript.unverified)}, not counted)", anchor=False)
    _table(transcript.unverified, key="transcript_unverified")

st.download_button("Download the transcript (CSV)", to_csv(transcript), file_name="transcript.csv",
                   mime="text/csv", icon=":material/download:", key="transcript_csv")
