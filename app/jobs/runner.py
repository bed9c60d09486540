"""`run_job`: the one code path of the scheduler and `flask jobs run` — leader check, ledger claim, the job in an
app context, the outcome recorded. Errors are recorded, never raised into the scheduler."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.core.audit import record_audit
from app.core.clock import LOCAL_TZ, as_utc, utcnow
from app.extensions import db
from app.jobs import ledger
from app.jobs.locks import LeaderLock
from app.jobs.tasks import JOBS, regency_ids

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    job: str
    scheduled_for: datetime
    outcome: str  # ok | failed | skipped (not the leader, or the run belongs to another process)
    run_id: int | None = None
    detail: str | None = None


def slot(name: str, moment: datetime | None = None) -> datetime:
    """The job's most recent scheduled time at or before `moment` (UTC), by its cron fields in Asia/Jakarta."""
    spec = JOBS[name]
    local = (as_utc(moment) or utcnow()).astimezone(LOCAL_TZ).replace(second=0, microsecond=0)
    trig = spec.trigger
    if trig.get("minute") == "*":
        candidate = local
    elif "hour" not in trig:  # hourly at :mm
        candidate = local.replace(minute=trig["minute"])
        if candidate > local:
            candidate -= timedelta(hours=1)
    else:
        candidate = local.replace(hour=trig["hour"], minute=trig["minute"])
        if candidate > local:
            candidate -= timedelta(days=1)
        if "day_of_week" in trig:  # Monday
            candidate -= timedelta(days=candidate.weekday())
        if "day" in trig:
            candidate = candidate.replace(day=trig["day"])
    return candidate.astimezone(UTC)


def slot_for_day(name: str, as_of: date, now: datetime | None = None) -> datetime:
    """`jobs run --as-of D`: D at the job's slot time (hourly/minute jobs: D at the current hour/minute slot)."""
    spec = JOBS[name]
    if "hour" in spec.trigger:
        return datetime.combine(as_of, time(spec.trigger["hour"], spec.trigger["minute"]), LOCAL_TZ).astimezone(UTC)
    local_now = (as_utc(now) or utcnow()).astimezone(LOCAL_TZ)
    return slot(name, datetime.combine(as_of, local_now.time().replace(tzinfo=None), LOCAL_TZ))


def _execute(name: str, as_of: date) -> str:
    spec = JOBS[name]
    if not spec.per_regency:
        return f"{spec.func(as_of)}"
    counts = []
    for regency_id in regency_ids():
        db.session.rollback()
        counts.append(f"{regency_id}:{spec.func(regency_id, as_of)}")
    return " ".join(counts)


def run_job(name: str, scheduled_for: datetime, as_of: date | None = None, *,
            leader: LeaderLock | None = None) -> RunResult:
    """Run one job for one scheduled time, at most once across every process (call inside an app context).

    `leader` is the scheduler's lock: a process that is not (or no longer) the leader skips. Without it (the
    operator's `flask jobs run`) the ledger's unique (job, scheduled_for) row alone decides who runs.
    """
    if name not in JOBS:
        raise KeyError(name)
    when = as_utc(scheduled_for)
    as_of = as_of or when.astimezone(LOCAL_TZ).date()
    if leader is not None and not leader.acquire():
        return RunResult(name, when, "skipped", detail="not the leader")
    run = ledger.claim(name, when)
    if run is None:
        return RunResult(name, when, "skipped", detail="claimed by another run")
    run_id = run.id
    try:
        detail = _execute(name, as_of)
    except Exception as err:  # recorded; the scheduler keeps running and the next run retries
        db.session.rollback()
        logger.exception("Job %s for %s failed", name, when.isoformat())
        ledger.finish(run_id, "failed", error="".join(traceback.format_exception_only(err)).strip()[:4000])
        _audit(name, when, "failed")
        return RunResult(name, when, "failed", run_id, str(err))
    ledger.finish(run_id, "ok", detail=detail[:500])
    if JOBS[name].trigger.get("minute") != "*":  # minute jobs would flood the audit log
        _audit(name, when, "ok")
    return RunResult(name, when, "ok", run_id, detail)


def _audit(name: str, when: datetime, outcome: str) -> None:
    try:
        record_audit("job_run", "job", name, after={"scheduled_for": when.isoformat(), "outcome": outcome})
        db.session.commit()
    except Exception:  # the audit must never break the job runner
        db.session.rollback()
        logger.exception("Could not audit job %s", name)
