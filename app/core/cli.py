"""Registers every domain's CLI commands on the app."""

from flask import Flask


def register_commands(app: Flask) -> None:
    from app.admin.cli import backup_command, restore_command
    from app.auth.cli import users_cli
    from app.jobs.cli import jobs_cli, scheduler_cli
    from app.planning.cli import planning_cli
    from app.regions.cli import demo_command, regions_cli
    from app.visits.cli import visits_cli

    app.cli.add_command(regions_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(planning_cli)
    app.cli.add_command(visits_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
