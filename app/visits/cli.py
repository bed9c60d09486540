"""CLI: `flask visits purge-nik` applies the retention setting to individual records."""

import click
from flask.cli import AppGroup

visits_cli = AppGroup("visits", help="Kunjungan dan layanan.")


@visits_cli.command("purge-nik")
def purge_command() -> None:
    """Hapus NIK dari catatan layanan yang melewati masa simpan (jumlah layanan tetap)."""
    from app.visits.services import purge_expired_nik_records

    count = purge_expired_nik_records()
    click.echo(f"{count} catatan layanan dihapus NIK-nya (masa simpan terlampaui).")
