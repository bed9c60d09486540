"""The run ledger: `claim` makes one process the runner of (job, scheduled_for); failed runs are retried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.clock import as_utc, utcnow
from app.extensions import db
from app.jobs.models import JobRun


def claim(job: str, scheduled_for: datetime) -> JobRun | None:
    """Insert the run row (committed); None when another process has (or had) this run.

    A `failed` run is taken over with one atomic UPDATE … WHERE outcome = 'failed' (attempts + 1), so two
    retries at the same moment still give one runner.
    """
    when = as_utc(scheduled_for)
    now = utcnow()
    try:
        db.session.execute(insert(JobRun).values(job=job, scheduled_for=when, started_at=now, outcome="running",
                                                 attempts=1))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        retried = db.session.execute(
            update(JobRun).where(JobRun.job == job, JobRun.scheduled_for == when, JobRun.outcome == "failed")
            .values(outcome="running", attempts=JobRun.attempts + 1, started_at=now, finished_at=None, error=None)
            .execution_options(synchronize_session=False))
        if retried.rowcount != 1:
            db.session.rollback()
            return None
        db.session.commit()
    return db.session.scalar(select(JobRun).where(JobRun.job == job, JobRun.scheduled_for == when))


def finish(run_id: int, outcome: str, *, error: str | None = None, detail: str | None = None) -> None:
    db.session.execute(update(JobRun).where(JobRun.id == run_id)
                       .values(outcome=outcome, finished_at=utcnow(), error=error, detail=detail)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def recent(limit: int = 100) -> list[JobRun]:
    return list(db.session.scalars(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)))


def last_runs() -> dict[str, JobRun]:
    out: dict[str, JobRun] = {}
    for run in db.session.scalars(select(JobRun).order_by(JobRun.scheduled_for.desc(), JobRun.id.desc())):
        out.setdefault(run.job, run)
    return out
