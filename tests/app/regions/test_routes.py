"""Village pages and the import page, through the test client, with scope rules per role."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.regions.models import Desa


def _codes(html: str, world) -> set[str]:
    everything = [world.desa_a, world.desa_a2, world.desa_b, world.desa_x]
    return {d.code for d in everything if f"/desa/{d.code}" in html}


@pytest.mark.parametrize("role, visible", [
    ("admin", {"a", "a2", "b"}),
    ("planner", {"a", "a2", "b"}),
    ("dprd", {"a", "a2", "b"}),
    ("opd", {"a", "a2", "b"}),
    ("camat", {"a", "a2"}),
    ("kepala_desa", {"a"}),
])
def test_list_shows_only_villages_in_scope_and_never_another_regency(world, login, role, visible):
    html = login(world.users[role]).get("/desa").get_data(as_text=True)
    expected = {getattr(world, f"desa_{k}").code for k in visible}
    assert _codes(html, world) == expected


@pytest.mark.parametrize("role, allowed", [
    ("kepala_desa", {"a"}), ("camat", {"a", "a2"}), ("planner", {"a", "a2", "b"}), ("dprd", {"a", "a2", "b"}),
])
def test_detail_outside_scope_answers_404_on_web_and_api(world, login, token, client, role, allowed):
    web = login(world.users[role])
    headers = token(world.users[role])
    for key in ("a", "a2", "b", "x"):
        code = getattr(world, f"desa_{key}").code
        expected = 200 if key in allowed else 404
        assert web.get(f"/desa/{code}").status_code == expected, (role, code)
        assert client.get(f"/api/v1/villages/{code}", headers=headers).status_code == expected, (role, code)


def test_filter_search_and_sort(world, login):
    client = login(world.users["planner"])
    html = client.get("/desa?kecamatan=35.10.16").get_data(as_text=True)
    assert _codes(html, world) == {world.desa_b.code}
    html = client.get("/desa?q=kulon").get_data(as_text=True)
    assert _codes(html, world) == {world.desa_a2.code}
    html = client.get("/desa?urut=kemiskinan").get_data(as_text=True)
    # poverty shares: Kembiritan 20 %, Pakis 15 %, Genteng Kulon 4 %
    order = [html.index(f"/desa/{d.code}") for d in (world.desa_a, world.desa_b, world.desa_a2)]
    assert order == sorted(order)
    html = client.get("/desa?urut=penduduk").get_data(as_text=True)
    order = [html.index(f"/desa/{d.code}") for d in (world.desa_b, world.desa_a2, world.desa_a)]
    assert order == sorted(order)
    assert "20,0%" in html and "9.000" in html  # Indonesian number formats


@pytest.mark.parametrize("query", ["q=%27%20OR%201%3D1--", "q=%25", "urut=DROP", "hal=-3", "hal=abc", "kecamatan=%00"])
def test_hostile_list_parameters_do_not_break_the_page(world, login, query):
    response = login(world.users["planner"]).get(f"/desa?{query}")
    assert response.status_code == (400 if "%00" in query else 200)
    assert "Traceback" not in response.get_data(as_text=True)


def test_detail_page_shows_figures_map_and_approximate_notice(world, login):
    client = login(world.users["planner"])
    html = client.get(f"/desa/{world.desa_a2.code}").get_data(as_text=True)
    assert "Genteng Kulon" in html and "<svg" in html and 'data-testid="approximate-notice"' in html
    html = client.get(f"/desa/{world.desa_a.code}").get_data(as_text=True)
    assert 'data-testid="approximate-notice"' not in html and "5.000" in html


def test_dashboard_warns_about_approximate_locations_and_shows_the_map(world, login):
    html = login(world.users["dprd"]).get("/").get_data(as_text=True)
    assert 'data-testid="approximate-notice"' in html and "1 desa masih memakai lokasi perkiraan" in html
    assert html.count("<circle") >= 3


def test_hostile_village_name_is_escaped_everywhere(world, login):
    world.desa_a.name = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    db.session.commit()
    client = login(world.users["planner"])
    for path in ("/", "/desa", f"/desa/{world.desa_a.code}"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html


def _upload(client, name: str, content: bytes, **kw):
    return client.post("/desa/impor", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", **kw)


def test_import_page_reports_errors_row_by_row_and_writes_nothing(world, login):
    client = login(world.users["planner"])
    content = (f"code,lat,lon,population\n{world.desa_a.code},-8.30,114.10,100\n"
               f"35.10.09.9999,-8.30,114.10,1\n{world.desa_b.code},abc,114.36,5\n").encode()
    response = _upload(client, "lokasi.csv", content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tidak ada data yang diubah" in html and 'data-testid="import-errors"' in html
    assert "35.10.09.9999" in html and "bukan angka" in html
    db.session.expire_all()
    assert db.session.scalar(select(Desa.lat).where(Desa.code == world.desa_a.code)) == -8.35


def test_import_page_applies_a_valid_file(world, login):
    client = login(world.users["planner"])
    content = f"code,lat,lon,population,households,poor_households\n{world.desa_a2.code},-8.37,114.13,800,200,50\n"
    response = _upload(client, "lokasi.csv", content.encode())
    assert response.status_code == 302 and response.location == "/desa/impor"  # POST-redirect-GET
    assert "1 desa berhasil diperbarui" in client.get("/desa/impor").get_data(as_text=True)
    db.session.expire_all()
    desa = db.session.scalar(select(Desa).where(Desa.code == world.desa_a2.code))
    assert (desa.lat, desa.location_source, desa.poor_households) == (-8.37, "imported", 50)


def test_import_page_refuses_other_file_types_and_missing_files(world, login):
    client = login(world.users["planner"])
    response = _upload(client, "lokasi.pdf", b"%PDF-1.4")
    assert response.status_code == 422 and "CSV, XLSX atau GeoJSON" in response.get_data(as_text=True)
    response = client.post("/desa/impor", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Pilih berkas" in response.get_data(as_text=True)


def test_kepala_desa_cannot_import_even_by_posting_directly(world, login):
    client = login(world.users["kepala_desa"])
    content = f"code,lat,lon\n{world.desa_a.code},-8.30,114.10\n".encode()
    assert _upload(client, "lokasi.csv", content).status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(Desa.lat).where(Desa.code == world.desa_a.code)) == -8.35


def test_planner_uploads_kecamatan_boundaries_through_the_page(world, login):
    import json

    from app.regions.models import Kecamatan

    ring = [[114.10, -8.30], [114.20, -8.30], [114.20, -8.40], [114.10, -8.40], [114.10, -8.30]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": world.kec_a.code}, "geometry": {"type": "Polygon",
                                                                                   "coordinates": [ring]}}]}
    client = login(world.users["planner"])
    response = client.post("/desa/impor", data={"kind": "kecamatan", "file": (io.BytesIO(json.dumps(doc).encode()),
                                                                                "kec.geojson")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200 and "Batas 1 kecamatan berhasil disimpan" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Kecamatan, world.kec_a.id).boundary["type"] == "Polygon"
