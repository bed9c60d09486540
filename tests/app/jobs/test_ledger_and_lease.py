"""The ledger claims a run once (a failed run is retried), and the SQLite lease gives one leader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.jobs import ledger
from app.jobs.locks import try_lease
from app.jobs.models import JobRun, SchedulerLease
from app.jobs.runner import slot, slot_for_day
from app.jobs.scheduler import build_scheduler
from app.jobs.tasks import JOBS
from tests.app.jobs.conftest import count

WHEN = datetime(2026, 3, 25, 0, 0, tzinfo=UTC)


def test_claim_once_then_retry_after_failure(app_ctx):
    first = ledger.claim("visit_reminders", WHEN)
    assert first is not None and first.outcome == "running"
    assert ledger.claim("visit_reminders", WHEN) is None  # running elsewhere
    ledger.finish(first.id, "failed", error="boom")
    retry = ledger.claim("visit_reminders", WHEN)
    assert retry is not None and retry.attempts == 2 and retry.error is None
    assert ledger.claim("visit_reminders", WHEN) is None
    ledger.finish(retry.id, "ok")
    assert ledger.claim("visit_reminders", WHEN) is None  # done: never again
    assert count(JobRun) == 1


def test_lease_only_taken_over_after_expiry(app_ctx):
    now = datetime(2026, 3, 25, 1, 0, tzinfo=UTC)
    assert try_lease("host-a:1", now=now, seconds=60)
    assert not try_lease("host-b:2", now=now + timedelta(seconds=30), seconds=60)  # unexpired
    assert try_lease("host-a:1", now=now + timedelta(seconds=30), seconds=60)  # renewal by the holder
    assert not try_lease("host-b:2", now=now + timedelta(seconds=80), seconds=60)  # renewed → still valid
    assert try_lease("host-b:2", now=now + timedelta(seconds=91), seconds=60)  # expired → taken over
    assert not try_lease("host-a:1", now=now + timedelta(seconds=100), seconds=60)
    assert count(SchedulerLease) == 1


def test_slots_in_jakarta_time():
    moment = datetime(2026, 11, 28, 11, 47, 30, tzinfo=UTC)  # 18:47 WIB, Saturday
    assert slot("deadline_check", moment) == datetime(2026, 11, 28, 11, 5, tzinfo=UTC)
    assert slot("visit_reminders", moment) == datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    assert slot("priority_recompute", moment) == datetime(2026, 11, 27, 19, 0, tzinfo=UTC)
    assert slot("weekly_digest", moment) == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    assert slot("monthly_dprd_report", moment) == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert slot("queued_plans", moment) == datetime(2026, 11, 28, 11, 47, tzinfo=UTC)
    assert slot_for_day("visit_reminders", datetime(2026, 3, 18).date()) == datetime(2026, 3, 18, 0, 0, tzinfo=UTC)


def test_scheduler_jobs_coalesce_with_chosen_grace(app):
    scheduler = build_scheduler(app, blocking=False)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(JOBS)
    for name, job in jobs.items():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == JOBS[name].misfire_grace_s
        assert job.args == (name,) and job.func_ref == "app.jobs.scheduler:fire"
    assert jobs["visit_reminders"].misfire_grace_time >= 3600
    assert jobs["queued_plans"].misfire_grace_time < 60
    assert str(scheduler.timezone) == "Asia/Jakarta"


def test_postgres_advisory_lock_has_one_holder(app_ctx):
    from app.extensions import db
    from app.jobs.locks import LeaderLock

    if db.engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL only (SQLite uses the lease above)")
    first, second = LeaderLock(), LeaderLock()
    try:
        assert first.acquire() and first.acquire()  # held for the process lifetime
        assert not second.acquire()  # another connection: refused
        first.release()
        assert second.acquire()
    finally:
        first.release()
        second.release()
