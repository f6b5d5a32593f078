"""The learner's transcript: verified micro-credentials and courses with credits, level and result, totals
per framework, the stacks they build toward, and a CSV export. Only verified achievements are counted;
the others are listed apart."""
from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.transcript_view import stacks, table
from wallet.transcript import build_transcript, to_csv

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
    table(transcript.rows, key="transcript_verified")
else:
    st.warning("None of these achievements is verified yet, so nothing is counted.")
stacks(transcript)

if transcript.unverified:
    st.subheader(f"Not verified ({len(transcript.unverified)}, not counted)", anchor=False)
    table(transcript.unverified, key="transcript_unverified")

st.download_button("Download the transcript (CSV)", to_csv(transcript), file_name="transcript.csv",
                   mime="text/csv", icon=":material/download:", key="transcript_csv")
