"""CLI: `flask planning run PLAN_ID` — the worker process that solves one queued plan."""

from __future__ import annotations

import click
from flask.cli import AppGroup

planning_cli = AppGroup("planning", help="Perencanaan kunjungan.")


@planning_cli.command("run")
@click.argument("plan_id", type=int)
def run_command(plan_id: int) -> None:
    """Susun satu rencana yang menunggu (dipakai oleh proses latar belakang)."""
    from app.planning.services import run_plan

    plan = run_plan(plan_id)
    click.echo(f"Rencana {plan.id}: {plan.status}" + (f" — {plan.message}" if plan.message else ""))
    if plan.status == "failed":
        raise SystemExit(1)
