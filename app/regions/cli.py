"""CLI: `flask regions init|import` and `flask demo`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.core.errors import DomainError
from app.regions import demo as demo_data
from app.regions import services

regions_cli = AppGroup("regions", help="Data wilayah: kabupaten, kecamatan, desa.")


def _echo_errors(result) -> None:
    click.echo(f"Berkas tidak diimpor: {len(result.errors)} kesalahan. Tidak ada data yang diubah.", err=True)
    for e in result.errors:
        where = f"baris {e.line}" + (f", kode {e.code}" if e.code else "") + (f", kolom {e.field}" if e.field else "")
        click.echo(f"  - {where}: {e.message}", err=True)


@regions_cli.command("init")
@click.argument("code")
def init_command(code: str) -> None:
    """Buat kabupaten CODE (mis. 35.10) beserta kecamatan dan desanya dari daftar Kemendagri."""
    try:
        result = services.init_regency(code)
    except DomainError as err:
        raise click.ClickException(err.message) from err
    if result.changed:
        click.echo(f"{result.regency.name}: {result.created_kecamatan} kecamatan dan {result.created_desa} "
                   f"desa/kelurahan ditambahkan (total {result.total_kecamatan} kecamatan, {result.total_desa} desa).")
    else:
        click.echo(f"{result.regency.name} sudah lengkap ({result.total_kecamatan} kecamatan, "
                   f"{result.total_desa} desa/kelurahan): tidak ada perubahan.")


# The Banyuwangi places shipped for the demo (MIT, with their licence and attribution beside them).
SHIPPED = Path(__file__).resolve().parent / "demo_data" / "banyuwangi"


def _import_file(regency_code: str, path: Path, source: str | None) -> None:
    regency = services.get_regency(regency_code)
    result = services.import_locations(regency, path.name, path.read_bytes(), source=source)
    if not result.ok:
        _echo_errors(result)
        raise SystemExit(1)
    click.echo(f"{len(result.rows)} desa diperbarui dari {path.name} ({result.fmt}).")


@regions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--regency", default=demo_data.DEMO_REGENCY, show_default=True, help="Kode kabupaten/kota.")
@click.option("--source", default=None, help="Sumber data, dicatat bersama angka penduduk/kemiskinan.")
def import_command(file: Path, regency: str, source: str | None) -> None:
    """Impor lokasi dan angka desa dari CSV, XLSX atau GeoJSON (semua atau tidak sama sekali)."""
    try:
        _import_file(regency, file, source)
    except DomainError as err:
        raise click.ClickException(err.message) from err


@regions_cli.command("import-poverty")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="Sumber data, mis. DTSEN atau P3KE.")
@click.option("--as-of", "as_of", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Tanggal data (tanggal ekspor), TTTT-BB-HH.")
@click.option("--user", "username", required=True, help="Akun perencana/admin yang dicatat sebagai pengimpor.")
def import_poverty_command(file: Path, source: str, as_of, username: str) -> None:
    """Impor jumlah keluarga per desil kesejahteraan (DTSEN/P3KE) dari CSV atau XLSX (semua atau tidak sama sekali)."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"Akun {username} tidak ditemukan.")
    try:
        result = services.import_poverty(user, file.name, file.read_bytes(), source=source, as_of=as_of.date())
    except DomainError as err:
        raise click.ClickException(err.message) from err
    if not result.ok:
        click.echo(f"Berkas tidak diimpor: {len(result.errors)} kesalahan. Tidak ada data yang diubah.", err=True)
        for e in result.errors:
            click.echo(f"  - {e}", err=True)
        raise SystemExit(1)
    click.echo(f"Data kemiskinan {len(result.rows)} desa diimpor dari {file.name} ({source}).")
    if result.missing:
        click.echo(f"{len(result.missing)} desa tidak ada dalam berkas; angkanya tetap dari sumber sebelumnya.")


def _import_boundaries(regency_code: str, path: Path) -> None:
    regency = services.get_regency(regency_code)
    result = services.import_kecamatan_boundaries(regency, path.name, path.read_bytes())
    if not result.ok:
        _echo_errors(result)
        raise SystemExit(1)
    click.echo(f"Batas {len(result.boundaries)} kecamatan disimpan dari {path.name}.")


@regions_cli.command("import-boundaries")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--regency", default=demo_data.DEMO_REGENCY, show_default=True, help="Kode kabupaten/kota.")
def import_boundaries_command(file: Path, regency: str) -> None:
    """Impor batas kecamatan dari GeoJSON (untuk peta; semua atau tidak sama sekali)."""
    try:
        _import_boundaries(regency, file)
    except DomainError as err:
        raise click.ClickException(err.message) from err


@click.command("demo")
@click.option("--locations", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Berkas lokasi desa (CSV/XLSX/GeoJSON). Tanpa ini: data Banyuwangi bawaan.")
@click.option("--boundaries", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="GeoJSON batas kecamatan untuk peta (opsional).")
@click.option("--approximate", is_flag=True, default=False,
              help="Tanpa data lokasi bawaan: desa ditempatkan di sekitar titik acuan kecamatan (perkiraan).")
def demo_command(locations: Path | None, boundaries: Path | None, approximate: bool) -> None:
    """Siapkan data demo Banyuwangi dan akun demo untuk setiap peran (tidak di lingkungan produksi)."""
    if demo_data.demo_forbidden():
        raise click.ClickException(demo_data.PRODUCTION_REFUSAL)
    try:
        init = services.init_regency(demo_data.DEMO_REGENCY)
        click.echo(f"Wilayah: {init.regency.name}, {init.total_kecamatan} kecamatan, {init.total_desa} desa/kelurahan"
                   + ("" if init.changed else " (sudah ada)") + ".")
        if locations is None and boundaries is None and not approximate and not demo_data.has_imported_places(
                init.regency):
            _import_file(demo_data.DEMO_REGENCY, SHIPPED / "desa.geojson", None)  # boundaries (and inner points)
            _import_file(demo_data.DEMO_REGENCY, SHIPPED / "desa.csv", None)  # the source's points
            _import_boundaries(demo_data.DEMO_REGENCY, SHIPPED / "kecamatan.geojson")
            click.echo("Lokasi dan batas wilayah: data Banyuwangi bawaan dari wilayah_boundaries (cahya dsn, lisensi "
                       "MIT; lihat app/regions/demo_data/banyuwangi/README.md).")
        if locations is not None:
            _import_file(demo_data.DEMO_REGENCY, locations, None)
        if boundaries is not None:
            _import_boundaries(demo_data.DEMO_REGENCY, boundaries)
        password = current_app.config["DEMO_PASSWORD"]
        result = demo_data.seed_demo(init.regency, password)
        from app.aspirations.demo import seed_demo_aspirations

        demo_aspirations = seed_demo_aspirations(init.regency.id)
    except DomainError as err:
        raise click.ClickException(err.message) from err
    if result.approximate_located:
        click.echo(f"PERHATIAN: {result.approximate_located} desa ditempatkan pada LOKASI PERKIRAAN di sekitar titik "
                   "acuan kecamatan. Impor koordinat resmi dengan: flask --app wsgi regions import BERKAS")
    if result.figures_set:
        click.echo(f"{result.figures_set} desa diberi angka penduduk/kemiskinan DEMO (bukan data resmi).")
    if result.poverty_deciles:
        click.echo(f"{result.poverty_deciles} desa diberi angka desil kesejahteraan DEMO (sumber \"data contoh\"); "
                   "impor data DTSEN/P3KE di /desa/kemiskinan.")
    if demo_aspirations:
        click.echo(f"{demo_aspirations} aspirasi DEMO ditambahkan (uraiannya diawali [DEMO]).")
    click.echo(f"{result.users_created} akun demo dibuat. Semua akun demo memakai kata sandi: {password}")
    click.echo("Akun demo:")
    staff = [u for u, r in result.logins if r not in ("camat", "kepala_desa")]
    click.echo("  " + ", ".join(staff))
    click.echo("  camat.<kode kecamatan>, mis. camat.35.10.09")
    click.echo("  kades.<kode desa>, mis. kades.35.10.09.2001")
