"""Region services against a real database: regency initialisation, all-or-nothing imports, demo seeding."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.core.audit import AuditLog
from app.core.errors import DomainError
from app.extensions import db
from app.regions import demo, services
from app.regions.models import Desa, Kecamatan, Place, Regency
from tests.conftest import SHARED_DATA

BANYUWANGI = SHARED_DATA / "banyuwangi"
needs_shared = pytest.mark.skipif(not (BANYUWANGI / "desa.csv").exists(), reason="../shared/data not present")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_init_regency_creates_25_kecamatan_and_217_desa_with_official_names(app_ctx):
    result = services.init_regency("35.10")
    assert (result.created_kecamatan, result.created_desa) == (25, 217)
    assert _count(Kecamatan) == 25 and _count(Desa) == 217
    genteng = db.session.scalar(select(Kecamatan).where(Kecamatan.code == "35.10.09"))
    assert genteng.name == "Genteng" and (genteng.ref_lat, genteng.ref_lon) == (-8.348, 114.148)
    desa = db.session.scalar(select(Desa).where(Desa.code == "35.10.09.2001"))
    assert desa.name == "Kembiritan" and desa.kind == "desa" and desa.lat is None
    assert db.session.scalar(select(Desa.kind).where(Desa.code == "35.10.16.1001")) == "kelurahan"
    assert db.session.scalar(select(Regency.name)) == "Kabupaten Banyuwangi"


def test_init_regency_again_changes_nothing_and_says_so(app_ctx):
    services.init_regency("35.10")
    audits = _count(AuditLog)
    again = services.init_regency("35.10")
    assert not again.changed and again.total_desa == 217
    assert _count(Desa) == 217 and _count(AuditLog) == audits


def test_init_regency_works_for_another_regency_alongside(app_ctx):
    services.init_regency("35.10")
    jember = services.init_regency("35.09")
    assert jember.regency.name == "Kabupaten Jember" and jember.created_desa > 200
    assert _count(Regency) == 2


@pytest.mark.parametrize("code", ["35", "35.10.09", "99.99", "abc"])
def test_init_regency_refuses_codes_that_are_not_a_regency(app_ctx, code):
    with pytest.raises(DomainError, match="bukan kode kabupaten"):
        services.init_regency(code)
    assert _count(Regency) == 0


def _csv(rows: list[str]) -> bytes:
    return ("code,lat,lon,population,households,poor_households\n" + "\n".join(rows) + "\n").encode()


def test_import_writes_locations_and_figures_and_audits(app_ctx):
    regency = services.init_regency("35.10").regency
    data = _csv(["35.10.09.2001,-8.35,114.15,5000,1500,300", "35.10.16.1001,-8.22,114.36,,,"])
    result = services.import_locations(regency, "lokasi.csv", data)
    assert result.ok and len(result.rows) == 2
    kembiritan = db.session.scalar(select(Desa).where(Desa.code == "35.10.09.2001"))
    assert (kembiritan.lat, kembiritan.lon, kembiritan.location_source) == (-8.35, 114.15, "imported")
    assert (kembiritan.population, kembiritan.households, kembiritan.poor_households) == (5000, 1500, 300)
    assert kembiritan.figures_source == "Impor berkas lokasi.csv" and kembiritan.figures_date is not None
    pakis = db.session.scalar(select(Desa).where(Desa.code == "35.10.16.1001"))
    assert pakis.population is None and pakis.location_source == "imported"
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"desa_location_imported", "locations_imported"} <= actions


def test_a_bad_row_writes_nothing(app_ctx):
    regency = services.init_regency("35.10").regency
    data = _csv(["35.10.09.2001,-8.35,114.15,5000,1500,300", "35.10.09.9999,-8.35,114.15,1,1,1",
                 "35.10.16.1001,-8.22,114.36,-5,,"])
    result = services.import_locations(regency, "lokasi.csv", data)
    assert not result.ok
    assert {(e.line, e.field) for e in result.errors} >= {(3, "code"), (4, "population")}
    assert db.session.scalar(select(func.count()).select_from(Desa).where(Desa.lat.is_not(None))) == 0
    assert "locations_imported" not in set(db.session.scalars(select(AuditLog.action)))


@needs_shared
@pytest.mark.parametrize("name", ["desa.csv", "desa.geojson"])
def test_import_the_real_banyuwangi_files(app_ctx, name):
    regency = services.init_regency("35.10").regency
    result = services.import_locations(regency, name, (BANYUWANGI / name).read_bytes())
    assert result.ok, result.errors[:3]
    assert db.session.scalar(select(func.count()).select_from(Desa).where(Desa.location_source == "imported")) == 217
    sarongan = db.session.scalar(select(Desa).where(Desa.code == "35.10.01.2001"))
    assert sarongan.area_km2 == pytest.approx(188.18, rel=0.03)
    if name.endswith("geojson"):
        assert sarongan.boundary["type"] in ("Polygon", "MultiPolygon")


@needs_shared
def test_one_bad_row_among_217_writes_nothing_and_names_the_row(app_ctx):
    regency = services.init_regency("35.10").regency
    lines = (BANYUWANGI / "desa.csv").read_text().splitlines()
    lines[100] = lines[100].replace(lines[100].split(",")[5], "-6.9")  # latitude far north of the regency
    result = services.import_locations(regency, "desa.csv", ("\n".join(lines) + "\n").encode())
    assert not result.ok and len(result.errors) == 1
    error = result.errors[0]
    assert error.line == 101 and error.field == "lat"
    assert db.session.scalar(select(func.count()).select_from(Desa).where(Desa.lat.is_not(None))) == 0


def test_import_of_an_xlsx_file(app_ctx):
    from openpyxl import Workbook

    regency = services.init_regency("35.10").regency
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "lat", "lon", "population"])
    ws.append(["35.10.09.2001", -8.35, 114.15, 4321])
    buf = io.BytesIO()
    wb.save(buf)
    result = services.import_locations(regency, "lokasi.xlsx", buf.getvalue())
    assert result.ok
    assert db.session.scalar(select(Desa.population).where(Desa.code == "35.10.09.2001")) == 4321


def test_demo_seeds_labelled_approximate_locations_figures_places_and_users(app_ctx):
    regency = services.init_regency("35.10").regency
    result = demo.seed_demo(regency, "sandi-demo-uji")
    assert result.approximate_located == 217 and result.figures_set == 217
    assert _count(User) == 7 + 25 + 217
    assert db.session.scalar(select(func.count()).select_from(Desa).where(Desa.location_source == "approximate")) == 217
    assert all(src.startswith("DEMO") for src in db.session.scalars(select(Desa.figures_source)))
    users = {u.username: u for u in db.session.scalars(select(User))}
    assert users["kades.35.10.09.2001"].desa.code == "35.10.09.2001"
    assert users["camat.35.10.09"].kecamatan.code == "35.10.09"
    assert users["opd.kesehatan"].sector == "kesehatan"
    assert all(u.is_demo and u.email.endswith("@demo.bunga-desa.test") for u in users.values())
    assert db.session.scalar(select(Place).where(Place.kind == "office")).name.startswith("Pendopo")
    # every approximate desa lies within 6 km of its kecamatan reference point
    for desa in db.session.scalars(select(Desa)):
        kec = desa.kecamatan
        assert abs(desa.lat - kec.ref_lat) < 0.06 and abs(desa.lon - kec.ref_lon) < 0.06
    again = demo.seed_demo(regency, "sandi-demo-uji")
    assert (again.users_created, again.approximate_located, again.figures_set, again.places_created) == (0, 0, 0, 0)
