"""The CLI as an operator uses it: regions init, regions import, demo (with and without a locations file)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.regions.models import Desa, Kecamatan
from tests.conftest import SHARED_DATA

DESA_CSV = SHARED_DATA / "banyuwangi" / "desa.csv"
needs_shared = pytest.mark.skipif(not DESA_CSV.exists(), reason="../shared/data not present")


def test_regions_init_twice(runner):
    first = runner.invoke(args=["regions", "init", "35.10"])
    assert first.exit_code == 0 and "25 kecamatan dan 217 desa/kelurahan ditambahkan" in first.output
    second = runner.invoke(args=["regions", "init", "35.10"])
    assert second.exit_code == 0 and "tidak ada perubahan" in second.output


def test_regions_init_unknown_code_fails_clearly(runner):
    result = runner.invoke(args=["regions", "init", "99.99"])
    assert result.exit_code != 0 and "bukan kode kabupaten/kota" in result.output


def test_regions_import_reports_every_bad_row_and_exits_non_zero(runner, tmp_path):
    runner.invoke(args=["regions", "init", "35.10"])
    bad = tmp_path / "lokasi.csv"
    bad.write_text("code,lat,lon\n35.10.09.2001,-8.35,114.15\n35.10.09.2001,-8.35,114.15\n35.10.77.2001,x,114\n")
    result = runner.invoke(args=["regions", "import", str(bad)])
    assert result.exit_code == 1
    assert "baris 3" in result.output and "baris 4" in result.output and "Tidak ada data yang diubah" in result.output
    assert db.session.scalar(select(func.count()).select_from(Desa).where(Desa.lat.is_not(None))) == 0


def test_regions_import_before_init_explains_what_to_run(runner, tmp_path):
    path = tmp_path / "lokasi.csv"
    path.write_text("code,lat,lon\n35.10.09.2001,-8.35,114.15\n")
    result = runner.invoke(args=["regions", "import", str(path)])
    assert result.exit_code != 0 and "regions init 35.10" in result.output


def test_demo_without_locations_marks_them_approximate_and_prints_logins(runner):
    result = runner.invoke(args=["demo", "--approximate"])
    assert result.exit_code == 0, result.output
    assert "LOKASI PERKIRAAN" in result.output and "demo-password-for-tests" in result.output
    assert "kades.35.10.09.2001" in result.output and "perencana" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 249
    from app.aspirations.models import Aspiration

    demo_items = db.session.scalar(select(func.count()).select_from(Aspiration))
    assert demo_items == 55 and "aspirasi DEMO" in result.output
    statuses = set(db.session.scalars(select(Aspiration.status)))
    assert statuses <= {"diajukan", "diverifikasi", "didisposisikan"} and len(statuses) > 1
    again = runner.invoke(args=["demo", "--approximate"])
    assert again.exit_code == 0 and "0 akun demo dibuat" in again.output
    assert db.session.scalar(select(func.count()).select_from(Aspiration)) == demo_items


def test_demo_plans_on_the_shipped_banyuwangi_places_and_keeps_imported_ones(runner):
    """No ../shared needed: the demo ships the 217 desa points and the boundaries (MIT, with licence)."""
    from app.regions.models import Desa, Kecamatan

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "LOKASI PERKIRAAN" not in result.output and "lisensi MIT" in result.output
    desa = list(db.session.scalars(select(Desa)))
    assert len(desa) == 217 and all(d.location_source == "imported" for d in desa)
    assert sum(d.boundary is not None for d in desa) == 217
    assert sum(k.boundary is not None for k in db.session.scalars(select(Kecamatan))) == 25
    sarongan = next(d for d in desa if d.code == "35.10.01.2001")
    assert (round(sarongan.lat, 5), round(sarongan.lon, 5)) == (-8.49837, 113.90417)  # the source's point
    sarongan.lat = -8.5  # an operator's correction survives the next `make run`
    db.session.commit()
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "lisensi MIT" not in again.output
    db.session.expire_all()
    assert db.session.get(Desa, sarongan.id).lat == -8.5


@needs_shared
def test_demo_with_real_locations_then_kepala_desa_scope_on_web_and_api(runner, web_app):
    result = runner.invoke(args=["demo", "--locations", str(DESA_CSV)])
    assert result.exit_code == 0, result.output
    assert "LOKASI PERKIRAAN" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Kecamatan)) == 25
    imported = select(func.count()).select_from(Desa).where(Desa.location_source == "imported")
    assert db.session.scalar(imported) == 217

    client = web_app.test_client()
    login = client.post("/masuk", data={"username": "kades.35.10.09.2001", "password": "demo-password-for-tests"})
    assert login.status_code == 302
    assert client.get("/desa/35.10.09.2001").status_code == 200
    assert client.get("/desa/35.10.09.2002").status_code == 404
    token = client.post("/api/v1/auth/token", json={"username": "kades.35.10.09.2001",
                                                     "password": "demo-password-for-tests"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    listing = client.get("/api/v1/villages", headers=headers).get_json()
    assert [v["code"] for v in listing["items"]] == ["35.10.09.2001"]
    assert listing["items"][0]["location_source"] == "imported"
    assert client.get("/api/v1/villages/35.10.09.2002", headers=headers).status_code == 404


@needs_shared
def test_demo_with_a_malformed_locations_file_imports_nothing(runner, tmp_path):
    lines = DESA_CSV.read_text().splitlines()
    lines[50] = lines[50].replace("35.10.", "35.99.", 1)
    broken = tmp_path / "desa.csv"
    broken.write_text("\n".join(lines) + "\n")
    result = runner.invoke(args=["demo", "--locations", str(broken)])
    assert result.exit_code == 1 and "baris 51" in result.output
    assert db.session.scalar(select(func.count()).select_from(Desa).where(Desa.lat.is_not(None))) == 0


KEC_GEOJSON = SHARED_DATA / "banyuwangi" / "kecamatan.geojson"


@needs_shared
def test_demo_with_kecamatan_boundaries_draws_them_on_the_map(runner, web_app):
    result = runner.invoke(args=["demo", "--boundaries", str(KEC_GEOJSON)])
    assert result.exit_code == 0, result.output
    assert "Batas 25 kecamatan disimpan" in result.output
    assert sum(k.boundary is not None for k in db.session.scalars(select(Kecamatan))) == 25
    client = web_app.test_client()
    client.post("/masuk", data={"username": "perencana", "password": "demo-password-for-tests"})
    html = client.get("/").get_data(as_text=True)
    assert html.count("<path") >= 25 or html.count("<polygon") >= 25


def test_bad_boundaries_file_writes_nothing(runner, tmp_path):
    runner.invoke(args=["regions", "init", "35.10"])
    square = [[[114.1, -8.3], [114.2, -8.3], [114.2, -8.4], [114.1, -8.3]]]
    import json

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "35.10.09"}, "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"code": "35.10.99"}, "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"code": "35.10.09"}, "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"code": "35.10.10"}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
    ]}
    path = tmp_path / "kec.geojson"
    path.write_text(json.dumps(doc))
    result = runner.invoke(args=["regions", "import-boundaries", str(path)])
    assert result.exit_code == 1
    assert "35.10.99 tidak dikenal" in result.output and "ganda" in result.output and "Polygon" in result.output
    assert db.session.scalar(select(func.count()).select_from(Kecamatan).where(Kecamatan.boundary.is_not(None))) == 0


def test_demo_refuses_to_run_in_production_and_creates_nothing(app_ctx):
    """Issue 21: 249 accounts, `admin` included, with the published password must never reach production."""
    from app.regions.models import Regency
    from tests.conftest import make_app

    production = make_app(BUNGA_ENV="production")
    with production.app_context():  # the command runs in this app, not the test's development one
        result = production.test_cli_runner().invoke(args=["demo", "--approximate"])
    assert result.exit_code != 0
    assert "BUNGA_ENV=production" in result.output and "Tidak ada yang diubah" in result.output
    db.session.expire_all()
    for model in (User, Regency, Desa):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
