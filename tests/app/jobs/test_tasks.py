"""Jobs through run_job: escalations once per threshold across Idulfitri 2026, a half-failed run completed by
its retry without duplicates, and the monthly report archived once."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.jobs import tasks
from app.jobs.models import JobRun, PrioritySnapshot
from app.jobs.runner import run_job, slot_for_day
from app.reports.models import ReportArchive
from tests.app.jobs.conftest import add_aspiration, add_visit, count, notification_keys


def _run(name: str, day: date):
    return run_job(name, slot_for_day(name, day), day)


def test_deadline_escalations_once_per_threshold_across_idulfitri(world):
    asp = add_aspiration(world, due_on=date(2026, 3, 17))  # Tuesday before Nyepi and Idulfitri
    db.session.commit()
    recipients = 2  # the adminduk OPD user and the planner
    for day in (date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 24)):  # holidays / cuti bersama
        assert _run("deadline_check", day).outcome == "ok"
    assert notification_keys("aspiration_overdue") == []
    _run("deadline_check", date(2026, 3, 25))  # first working day after: 1 working day late
    assert len(notification_keys("aspiration_overdue")) == recipients
    _run("deadline_check", date(2026, 3, 26))
    assert len(notification_keys("aspiration_overdue")) == recipients
    for day in (date(2026, 3, 27), date(2026, 3, 30), date(2026, 3, 31)):
        _run("deadline_check", day)
    keys = notification_keys("aspiration_overdue")
    assert len(keys) == 2 * recipients
    assert {k.split(":", 1)[1] for k in keys} == {f"overdue:{asp.reference}:1", f"overdue:{asp.reference}:3"}
    users = {world.users["opd"].id, world.users["planner"].id}
    assert {int(k.split(":")[0][1:]) for k in keys} == users


def test_half_failed_run_is_completed_by_the_retry(world, monkeypatch):
    as_of = date(2026, 12, 1)
    add_visit(world, date(2026, 12, 8))  # 7 days ahead, desa A: kades.a + adminduk OPD
    add_visit(world, date(2026, 12, 2), desa=world.desa_b)  # tomorrow, desa B: kades.b + adminduk OPD
    db.session.commit()
    real = tasks._remind
    calls = {"n": 0}

    def flaky(visit_id, days):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("gateway down")
        return real(visit_id, days)

    monkeypatch.setattr(tasks, "_remind", flaky)
    first = _run("visit_reminders", as_of)
    assert first.outcome == "failed"
    run = db.session.get(JobRun, first.run_id)
    assert run.outcome == "failed" and "gateway down" in run.error
    assert len(notification_keys()) == 2  # the first visit's reminders were committed
    second = _run("visit_reminders", as_of)
    assert second.outcome == "ok" and second.run_id == first.run_id
    db.session.expire_all()
    assert db.session.get(JobRun, first.run_id).attempts == 2
    keys = notification_keys()
    assert len(keys) == len(set(keys)) == 4
    assert sum("visit_reminder_7d" in k for k in keys) == 2 and sum("visit_reminder_1d" in k for k in keys) == 2
    assert _run("visit_reminders", as_of).outcome == "skipped"
    assert count(JobRun) == 1


def test_monthly_report_archived_once(world):
    as_of = date(2026, 12, 1)
    assert _run("monthly_dprd_report", as_of).outcome == "ok"
    assert count(ReportArchive) == 2  # one per regency (the world has two)
    archive = db.session.scalar(db.select(ReportArchive).where(ReportArchive.regency_id == world.regency.id))
    assert (archive.period_start, archive.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    ready = notification_keys("report_ready")
    assert len(ready) == 2  # planner and DPRD
    assert _run("monthly_dprd_report", as_of).outcome == "skipped"
    # Even a forced rerun of the job body (new ledger slot) reuses the archive and notifies nobody again.
    assert tasks.monthly_dprd_report(world.regency.id, as_of) == 0
    assert count(ReportArchive) == 2
    assert notification_keys("report_ready") == ready


def test_priority_snapshot_and_digest(world):
    as_of = date(2026, 12, 7)  # a Monday
    assert _run("priority_recompute", as_of).outcome == "ok"
    first = count(PrioritySnapshot)
    assert first >= 1
    tasks.priority_recompute(world.regency.id, as_of)  # same day again: replaced, not duplicated
    assert count(PrioritySnapshot) == first
    assert tasks.latest_snapshot(world.regency.id)
    assert _run("weekly_digest", as_of).outcome == "ok"
    assert len(notification_keys("weekly_digest")) == 1


@pytest.mark.parametrize("name", ["queued_plans", "deliver_notifications"])
def test_minute_jobs_run(app_ctx, name):
    assert _run(name, date(2026, 12, 1)).outcome == "ok"
