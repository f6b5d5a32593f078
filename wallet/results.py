"""What an import or a re-check tells the learner, one value per file or badge."""
from __future__ import annotations

from dataclasses import dataclass

from verifier import Report, summary


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one file: ``added``, ``replaced``, ``duplicate`` (entry_id = the existing entry)
    or ``rejected``."""

    filename: str
    status: str
    message: str
    entry_id: str | None = None
    verdict: str | None = None
    category: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "rejected"


@dataclass(frozen=True)
class ReverifyResult:
    entry_id: str
    name: str
    old_verdict: str
    verdict: str
    message: str
    damaged: bool = False  # the record could not be read, so it was not checked (``message`` says why)

    @property
    def changed(self) -> bool:
        return self.old_verdict != self.verdict


def first_failure(report: Report) -> str:
    """The message of the first failed check, else the report's summary."""
    failing = next((c for c in report.checks if c.status == "fail"), None)
    return failing.message if failing else summary(report)
