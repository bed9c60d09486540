"""`flask scheduler run`, `flask jobs list` and `flask jobs run <job> [--as-of YYYY-MM-DD]`."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from app.jobs.tasks import JOBS

scheduler_cli = AppGroup("scheduler", help="The background job scheduler (one process).")
jobs_cli = AppGroup("jobs", help="Inspect and run background jobs.")


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the scheduler in the foreground (systemd: one unit; a second process stands by)."""
    from app.jobs.scheduler import run_forever

    run_forever(current_app._get_current_object())


def _next_runs() -> dict[str, object]:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    from app.extensions import db

    try:
        store = SQLAlchemyJobStore(engine=db.engine)
        return {job.id: job.next_run_time for job in store.get_all_jobs()}
    except Exception:  # the table does not exist until the scheduler first ran
        return {}


@jobs_cli.command("list")
def jobs_list() -> None:
    """Every job with its next run (from the job store) and its last outcome (from the ledger)."""
    from app.core.clock import to_local
    from app.jobs.ledger import last_runs

    nxt, last = _next_runs(), last_runs()
    for name, spec in JOBS.items():
        run = last.get(name)
        next_at = nxt.get(name)
        last_text = (f"{run.outcome} ({to_local(run.scheduled_for):%Y-%m-%d %H:%M}, attempts {run.attempts})"
                     if run else "never")
        next_text = f"{next_at:%Y-%m-%d %H:%M %Z}" if next_at else "-"
        click.echo(f"{name:24} next {next_text:24} last {last_text}  — {spec.description}")


@jobs_cli.command("run")
@click.argument("job", type=click.Choice(sorted(JOBS)))
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run for this day (at the job's slot); default: the latest slot now.")
def jobs_run(job: str, as_of) -> None:
    """Run one job now through the scheduler's path; a second run for the same slot does nothing."""
    from app.jobs.runner import run_job, slot, slot_for_day

    day: date | None = as_of.date() if as_of else None
    when = slot_for_day(job, day) if day else slot(job)
    result = run_job(job, when, day)
    click.echo(f"{job} {when.isoformat()}: {result.outcome} {result.detail or ''}".rstrip())
    if result.outcome == "failed":
        raise SystemExit(1)
