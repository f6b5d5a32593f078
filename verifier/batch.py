"""Verify many badges at once: bounded parallelism, shared connections and issuer documents, one deadline.

    reports = verify_many(sources, now=now, fetcher=SafeFetcher(...), workers=4, deadline=10.0)

* Each source is verified by :func:`verifier.verify_with` exactly as alone; results come back in the
  order given, one :class:`Report` per source.
* At most ``workers`` verifications run at once (threads: most of a hosted badge's time is spent
  waiting for its issuer). Each gets its own :meth:`SafeFetcher.sibling`, so all of them share the
  response cache and keep-alive connections (an issuer's profile, key and revocation list are fetched
  once per batch) while each report's "demo copy" warning still comes from its own fetches.
* ``deadline`` (seconds from the call) bounds the whole batch, e.g. a page that must answer: a badge not
  verified by then gets an ``unverifiable`` report whose one check says so and that a retry could help.
  It is never reported as checked. Verifications still running are left to finish in the background
  (each is bounded by the fetcher's own timeouts) and their results are dropped.
* An exception inside one verification (a bug) becomes that badge's ``unverifiable`` report naming the
  error; it never takes the other badges down.
"""
from __future__ import annotations

import concurrent.futures as futures
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

from .api import Source, verify_with
from .checks import CheckId
from .context import VerifyContext
from .fetch import SafeFetcher
from .model import Report, unverifiable
from .registry import Registry
from .report import make_report

DEFAULT_WORKERS = 4
DEADLINE_CHECK = CheckId.DEADLINE


def timed_out_report(seconds: float) -> Report:
    return make_report("none", [unverifiable(DEADLINE_CHECK, f"Not checked: verifying took longer than the "
                                             f"{seconds:g} s allowed for this page. Trying again may work.",
                                             retry=True)])


def _crashed_report(exc: BaseException) -> Report:
    return make_report("none", [unverifiable(CheckId.INTERNAL, "This badge could not be checked because of an error "
                                             f"in the verifier ({exc.__class__.__name__}). Trying again will "
                                             "not help; please report it.", retry=False)])


def verify_many(sources: Sequence[Source], *, now: datetime | None = None, fetcher: SafeFetcher | None = None,
                recipient: str | None = None, workers: int = DEFAULT_WORKERS, deadline: float | None = None,
                on_done: Callable[[int, Report], None] | None = None, registries: Sequence[Registry] = (),
                trusted_issuers: Iterable[str] = ()) -> list[Report]:
    """One report per source, in order (see the module docstring). ``on_done(index, report)`` is called
    from the caller's thread as each finishes (progress bars)."""
    if not sources:
        return []
    now = now or datetime.now(UTC)
    base = fetcher or SafeFetcher()
    trusted = frozenset(trusted_issuers)

    def one(source: Source) -> Report:
        return verify_with(source, VerifyContext(now=now, fetcher=base.sibling(), recipient=recipient,
                                                 registries=tuple(registries), trusted_issuers=trusted))

    reports: list[Report | None] = [None] * len(sources)
    started = time.monotonic()
    pool = futures.ThreadPoolExecutor(max_workers=max(1, min(workers, len(sources))),
                                      thread_name_prefix="verify")
    try:
        pending = {pool.submit(one, source): index for index, source in enumerate(sources)}
        remaining = None if deadline is None else max(0.0, deadline - (time.monotonic() - started))
        try:
            for future in futures.as_completed(pending, timeout=remaining):
                index = pending[future]
                try:
                    reports[index] = future.result()
                except Exception as exc:  # noqa: BLE001 - one broken badge must not stop the batch
                    reports[index] = _crashed_report(exc)
                if on_done:
                    on_done(index, reports[index])  # type: ignore[arg-type]
        except futures.TimeoutError:
            pass
    finally:
        pool.shutdown(wait=deadline is None, cancel_futures=True)
    late = timed_out_report(deadline) if deadline is not None else None
    return [r if r is not None else late for r in reports]  # type: ignore[misc]
