"""Background jobs on a PostgreSQL-backed queue (procrastinate): ``python -m wallet --db URL worker``.

Jobs:

* ``reverify_wallet(owner)`` verifies one learner's badges again and stores the new verdicts
  (revocations and expiries show up without the learner opening the app);
* ``reverify_all`` queues ``reverify_wallet`` for every owner (daily, and after a status list changed);
* ``refresh_documents`` fetches again every cached issuer document and status list that is no longer
  fresh (:mod:`wallet.http_cache`); when one changed, every wallet is queued for re-verification.

Decisions: a job carries only an owner id, never the database URL or any secret (job rows are
readable by whoever can read the database); a queueing lock per owner means one wallet is never
queued twice; a failing job is retried a few times, then left as failed in the queue table (it does
not stop the others). The queue's tables are created by ``migrate`` (Alembic revision 0002).
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued

from verifier import SafeFetcher

from . import sql_store
from .settings import Settings
from .store import WalletError

_log = logging.getLogger(__name__)
jobs = procrastinate.Blueprint()
_state: dict[str, Any] = {"url": "", "offline": False, "settings": Settings()}
RETRY = procrastinate.RetryStrategy(max_attempts=3, wait=30)


def _url() -> str:
    url = _state["url"]
    if not url:
        raise WalletError("The job worker was started without a database.")
    return url


@jobs.task(name="reverify_wallet", queue="reverify", retry=RETRY)
def reverify_wallet(owner: str) -> dict[str, int]:
    """Verify one owner's wallet again; returns how many entries changed verdict."""
    from .hosted import HostedWallet

    settings: Settings = _state["settings"]
    results = HostedWallet.from_settings(settings.with_db(_url()), owner=owner, offline=_state["offline"]).reverify()
    changed = sum(r.changed for r in results)
    damaged = [r for r in results if r.damaged]
    for r in damaged:
        _log.warning("skipped a damaged record: %s", r.message)
    _log.info("re-verified %d badge(s) of one wallet, %d changed", len(results) - len(damaged), changed)
    return {"checked": len(results) - len(damaged), "changed": changed, "damaged": len(damaged)}


def queue_wallet(owner: str) -> bool:
    """Queue one wallet's re-verification (False when it is already queued)."""
    try:
        reverify_wallet.configure(queueing_lock=f"reverify:{owner}").defer(owner=owner)
    except AlreadyEnqueued:
        return False
    return True


@jobs.periodic(cron="17 3 * * *", periodic_id="daily")
@jobs.task(name="reverify_all", queue="maintenance", queueing_lock="reverify_all")
def reverify_all(timestamp: int | None = None) -> int:
    """Queue every owner's wallet; returns how many were queued."""
    return sum(queue_wallet(owner) for owner in sql_store.owners(_url()))


@jobs.periodic(cron="*/15 * * * *", periodic_id="refresh")
@jobs.task(name="refresh_documents", queue="maintenance", queueing_lock="refresh_documents")
def refresh_documents(timestamp: int | None = None) -> dict[str, int]:
    """Fetch stale cached documents again; queue all wallets when a status list or document changed."""
    from . import http_cache

    url = _url()
    now = datetime.now(UTC)
    settings: Settings = _state["settings"]
    fetcher = SafeFetcher(allow_hosts=list(settings.allow_hosts), offline=_state["offline"],
                          mirrors=settings.mirrors,  # demo issuer: demo mode only
                          http_cache=http_cache.DatabaseCache(url))
    refreshed = changed = 0
    try:
        for doc_url in http_cache.stale_urls(url, now):
            before = http_cache.cached_body(url, doc_url)
            result = fetcher.get(doc_url)  # a stale entry is revalidated (304) or fetched again, then kept
            if not result.ok:
                continue  # the stale copy stays, never served as fresh; verification will say what failed
            refreshed += 1
            if before is None or before != result.content:
                changed += 1
    finally:
        fetcher.close()
    if changed:
        reverify_all.defer()
    return {"refreshed": refreshed, "changed": changed}


def make_app(url: str, *, offline: bool = False, settings: Settings | None = None) -> procrastinate.App:
    """The queue app on ``url``; ``settings`` (the worker's, read once by the CLI) give the jobs their
    private hosts and demo mode (none by default)."""
    _state.update(url=url, offline=offline, settings=settings or Settings())
    connector = procrastinate.PsycopgConnector(conninfo=_libpq(url))
    app = procrastinate.App(connector=connector)
    app.add_tasks_from(jobs, namespace="")
    return app


def _libpq(url: str) -> str:
    """A libpq connection string from a SQLAlchemy-style URL (``postgresql+psycopg://`` → ``postgresql://``)."""
    scheme, sep, rest = url.partition("://")
    return "postgresql://" + rest if sep and scheme.lower().startswith("postgres") else url


def run_worker(url: str, *, once: bool = False, offline: bool = False, settings: Settings | None = None) -> int:
    """Run the worker. ``once``: queue the maintenance jobs, work until the queue is empty, exit."""
    app = make_app(url, offline=offline, settings=settings)
    with app.open():
        if once:
            for task in (refresh_documents, reverify_all):
                try:
                    task.defer()
                except AlreadyEnqueued:
                    pass
            app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
            failed = _count_failed(url)
            print(f"Worker done: queue empty{'' if not failed else f', {failed} failed job(s) in the queue'}.")
            return 0
        print("Worker started: re-verification and status-list refresh (Ctrl-C stops it).")
        app.run_worker()
    return 0


def _count_failed(url: str) -> int:
    from sqlalchemy import text

    with sql_store.transaction(url) as conn:
        return int(conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'")).scalar() or 0)
