"""`flask --app wsgi backup --out DIR` and `flask --app wsgi restore DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from app.admin.backup import BackupError, backup, restore


@click.command("backup")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder baru (atau kosong) untuk cadangan.")
def backup_command(out: Path) -> None:
    """Cadangkan basis data dan berkas unggahan, dengan manifest dan checksum."""
    try:
        summary = backup(out)
    except BackupError as err:
        raise click.ClickException(str(err)) from err
    rows = sum(summary.tables.values())
    click.echo(f"Cadangan dibuat di {summary.directory}: {len(summary.tables)} tabel, {rows} baris, "
               f"{summary.files} berkas unggahan (skema {summary.revision}).")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(source: Path) -> None:
    """Pulihkan cadangan ke basis data kosong (dimigrasikan dulu)."""
    try:
        summary = restore(source)
    except BackupError as err:
        raise click.ClickException(str(err)) from err
    rows = sum(summary.tables.values())
    click.echo(f"Dipulihkan dari {summary.directory}: {rows} baris, {summary.files} berkas unggahan.")
