"""Poverty data by welfare decile (DTSEN/P3KE): the import service, its page, the template and the provenance shown
on the village page, against a real database."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.core.errors import FieldErrors, Forbidden
from app.extensions import db
from app.regions import demo, poverty, services
from app.regions.models import PovertyFigure, PovertyImport

HEADER = "kode_desa,nama_desa,jumlah_kk,desil_1,desil_2,desil_3,desil_4"
AS_OF = date(2026, 10, 31)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _good(world) -> bytes:
    return _csv(f"{world.desa_a.code},Kembiritan,1600,100,120,130,150",
                f"{world.desa_a2.code},Genteng Kulon,2400,300,400,500,600",
                f"{world.desa_b.code},Pakis,3100,20,30,40,50")


def _import(world, data: bytes, name: str = "dtsen.csv", role: str = "planner", source: str = "DTSEN",
            as_of: date | None = AS_OF):
    return services.import_poverty(world.users[role], name, data, source=source, as_of=as_of)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _counts(world) -> list[tuple[int | None, int | None]]:
    db.session.expire_all()
    return [(d.households, d.poor_households) for d in (world.desa_a, world.desa_a2, world.desa_b)]


@pytest.fixture
def now(clock):
    return clock.set(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))  # 10.00 WIB


# --- the service ------------------------------------------------------------------------------------------------

def test_good_import_records_source_date_and_deciles_and_sets_the_desa_counts(world, now):
    result = _import(world, _good(world))
    assert result.ok and len(result.rows) == 3 and result.missing == ()
    imp = db.session.scalar(select(PovertyImport))
    assert (imp.source, imp.as_of, imp.file_name, imp.row_count, imp.is_demo) == ("DTSEN", AS_OF, "dtsen.csv", 3,
                                                                                   False)
    assert imp.imported_by_id == world.users["planner"].id and imp.superseded_at is None
    assert imp.imported_at.replace(tzinfo=UTC) == now
    assert _counts(world) == [(1600, 500), (2400, 1800), (3100, 140)]  # poor = desil 1–4
    figure = poverty.current_figure(world.desa_a2.id)
    assert (figure.desil_1, figure.desil_2, figure.desil_3, figure.desil_4, figure.poor) == (300, 400, 500, 600, 1800)
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "poverty_imported"))
    assert audit.after["source"] == "DTSEN" and audit.after["rows"] == 3 and audit.after["as_of"] == "2026-10-31"
    prov = poverty.desa_provenance(world.desa_a)
    assert (prov.source, prov.demo, prov.as_of, prov.imported_on) == ("DTSEN", False, AS_OF, date(2026, 12, 1))


def test_xlsx_with_codes_without_dots_and_numeric_cells_is_accepted(world, now):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Kode Desa", "Jumlah KK", "Desil 1", "Desil 2", "Desil 3", "Desil 4"])
    sheet.append([3510092001, 1000, 10, 20, 30, 40.0])
    sheet.append(["3510161001", 900, 0, 0, 0, 0])
    out = io.BytesIO()
    workbook.save(out)
    result = _import(world, out.getvalue(), name="p3ke.xlsx", source="P3KE")
    assert result.ok and result.fmt == "xlsx"
    assert {r.code for r in result.rows} == {world.desa_a.code, world.desa_b.code}
    assert result.missing == (world.desa_a2.code,)
    assert _counts(world) == [(1000, 100), (2500, 100), (900, 0)]  # Genteng Kulon keeps its earlier figures


@pytest.mark.parametrize("row, field, message", [
    ("35.10.09.9999,X,100,1,1,1,1", "kode_desa", "tidak terdaftar di Kabupaten Banyuwangi"),
    ("99.99.99.9999,X,100,1,1,1,1", "kode_desa", "tidak dikenal"),
    ("35.09.01.2001,Wonorejo,100,1,1,1,1", "kode_desa", "(Wonorejo, Kabupaten Jember) bukan desa Kabupaten Banyuwangi"),
    ("35.09.02.2001,X,100,1,1,1,1", "kode_desa", "Kabupaten Jember) bukan desa"),  # from the Kemendagri list
    ("{a2},X,100,-1,1,1,1", "desil_1", "tidak boleh negatif"),
    ("{a2},X,100,1,2.5,1,1", "desil_2", "harus bilangan bulat"),
    ("{a2},X,100,1,1,dua,1", "desil_3", "bukan angka"),
    ("{a2},X,1.500,1,1,1,1", "jumlah_kk", "tanpa pemisah ribuan"),
    ("{a2},X,100,1,1,1,", "desil_4", "Wajib diisi"),
    ("{a2},X,100,40,30,20,20", "desil_4", "Jumlah desil 1–4 (110) melebihi jumlah KK (100)"),
    ("{a},X,100,1,1,1,1", "kode_desa", "ganda: sudah ada di baris 2"),
    (",X,100,1,1,1,1", "kode_desa", "Kode desa kosong"),
])
def test_each_bad_row_kind_is_reported_on_its_line_and_nothing_is_saved(world, row, field, message):
    before = _counts(world)
    data = _csv(f"{world.desa_a.code},Kembiritan,1600,100,120,130,150",
                row.format(a=world.desa_a.code, a2=world.desa_a2.code))
    result = _import(world, data)
    assert not result.ok and result.rows
    assert [(e.line, e.field) for e in result.errors] == [(3, field)], result.errors
    assert message in result.errors[0].message
    assert _counts(world) == before  # all or nothing: the good first row is not written either
    assert _count(PovertyImport) == 0 and _count(PovertyFigure) == 0
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "poverty_imported")) is None


@pytest.mark.parametrize("data, name, message", [
    (_csv("35.10.09.2001,100,1,1,1", header="kode_desa,jumlah_kk,desil_1,desil_2,desil_3"), "a.csv",
     "Kolom wajib tidak ditemukan: desil_4"),
    (HEADER.encode() + b"\n", "a.csv", "tanpa baris data"),
    (b"", "a.csv", "Berkas kosong"),
    (b"%PDF-1.4", "a.pdf", "Format berkas tidak didukung"),
    (b"x" * (2 * 1024 * 1024 + 1), "a.csv", "Berkas terlalu besar"),
    (_csv(*["35.10.09.2001,X,1,0,0,0,0"] * 5_001), "a.csv", "lebih dari 5.000 baris"),
])
def test_file_level_problems_are_one_error_and_nothing_is_saved(world, data, name, message):
    result = _import(world, data, name=name)
    assert not result.ok and len(result.errors) == 1 and message in result.errors[0].message
    assert _count(PovertyImport) == 0


@pytest.mark.parametrize("role", ["kepala_desa", "camat", "opd", "dprd"])
def test_only_planners_and_admins_may_import_and_the_service_enforces_it(world, role):
    with pytest.raises(Forbidden):
        _import(world, _good(world), role=role)
    assert _count(PovertyImport) == 0 and _counts(world)[0] == (1500, 300)


def test_admin_may_import(world, now):
    assert _import(world, _good(world), role="admin").ok


@pytest.mark.parametrize("source, as_of, field", [
    ("", AS_OF, "source"), ("x" * 61, AS_OF, "source"), ("DTSEN", None, "as_of"),
    ("DTSEN", date(2026, 12, 2), "as_of"), ("DTSEN", date(1999, 12, 31), "as_of"),
])
def test_source_and_data_date_are_required_and_checked(world, now, source, as_of, field):
    with pytest.raises(FieldErrors) as err:
        _import(world, _good(world), source=source, as_of=as_of)
    assert field in err.value.errors
    assert _count(PovertyImport) == 0


def test_a_new_import_supersedes_the_old_one_which_stays_for_the_audit(world, now, clock):
    _import(world, _good(world))
    clock.set(datetime(2026, 12, 5, 3, 0, tzinfo=UTC))
    _import(world, _csv(f"{world.desa_a.code},X,1600,400,100,100,100"), source="P3KE", as_of=date(2026, 11, 30))
    first, second = db.session.scalars(select(PovertyImport).order_by(PovertyImport.id)).all()
    assert first.superseded_at is not None and second.superseded_at is None
    assert _count(PovertyFigure) == 4  # the older figures are kept
    assert poverty.desa_provenance(world.desa_a).source == "P3KE"
    assert poverty.desa_provenance(world.desa_a2).source == "DTSEN"  # not in the newer file
    assert _counts(world)[0] == (1600, 700)
    assert [i.source for i in poverty.import_history(world.regency.id)] == ["P3KE", "DTSEN"]


def test_a_location_import_with_its_own_counts_releases_the_decile_figures(world, now):
    _import(world, _good(world))
    content = f"code,lat,lon,households,poor_households\n{world.desa_a.code},-8.35,114.15,1500,200\n".encode()
    assert services.import_locations(world.regency, "lokasi.csv", content, world.users["planner"],
                                     source="Survei desa 2026").ok
    assert poverty.current_figure(world.desa_a.id) is None
    assert poverty.desa_provenance(world.desa_a).source == "Survei desa 2026"
    assert poverty.current_figure(world.desa_a2.id) is not None


# --- demo data ----------------------------------------------------------------------------------------------------

def test_demo_records_its_decile_figures_as_data_contoh_and_never_over_real_data(world):
    for d in (world.desa_a, world.desa_a2):
        d.figures_source = demo.DEMO_FIGURES_SOURCE
    db.session.commit()
    result = demo.seed_demo(world.regency, "kata-sandi-demo-123", place_approximately=False)
    assert result.poverty_deciles == 2
    imp = db.session.scalar(select(PovertyImport))
    assert (imp.source, imp.is_demo, imp.as_of, imp.row_count) == ("data contoh", True, None, 2)
    figure = poverty.current_figure(world.desa_a.id)
    assert figure.poor == 300 and figure.households == 1500 and 0 < figure.desil_1 < figure.desil_4
    prov = poverty.desa_provenance(world.desa_a)
    assert prov.demo and prov.source == "data contoh"
    assert poverty.desa_provenance(world.desa_b).source is None  # figures without a source: said as such
    assert demo.seed_demo(world.regency, "kata-sandi-demo-123", place_approximately=False).poverty_deciles == 0
    _import(world, _good(world))
    assert poverty.import_history(world.regency.id)[1].superseded_at is not None  # the demo is superseded


# --- the page, the template and the village page -------------------------------------------------------------------

def _post(client, data: bytes, name: str = "dtsen.csv", source: str = "DTSEN", as_of: str = "2026-10-31"):
    return client.post("/desa/kemiskinan", data={"file": (io.BytesIO(data), name), "source": source,
                                                "as_of": as_of}, content_type="multipart/form-data")


def test_page_describes_the_template_and_offers_it_for_download(world, login):
    html = login(world.users["planner"]).get("/desa/kemiskinan").get_data(as_text=True)
    assert "kode_desa,jumlah_kk,desil_1,desil_2,desil_3,desil_4" in html
    assert 'data-testid="template-xlsx"' in html and 'data-testid="template-csv"' in html
    assert "Belum ada data kemiskinan yang diimpor" in html
    assert 'data-testid="poverty-import-link"' in login(world.users["planner"]).get("/desa/impor").get_data(
        as_text=True)
    world.desa_a.figures_source = demo.DEMO_FIGURES_SOURCE
    db.session.commit()
    assert 'data-testid="dashboard-poverty-import"' in login(world.users["planner"]).get("/").get_data(as_text=True)
    assert 'data-testid="dashboard-poverty-import"' not in login(world.users["dprd"]).get("/").get_data(as_text=True)


def test_templates_list_every_desa_of_the_regency_and_import_once_filled(world, login, now):
    client = login(world.users["planner"])
    response = client.get("/desa/kemiskinan/templat.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER
    assert world.desa_a.code in text and "Genteng Kulon" in text and world.desa_x.code not in text
    response = client.get("/desa/kemiskinan/templat.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER.split(",")) and len(rows) == 4
    for r in range(2, len(rows) + 1):
        for c, value in enumerate((1000, 10, 20, 30, 40), start=3):
            sheet.cell(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    assert _import(world, out.getvalue(), name="templat.xlsx").ok
    assert client.get("/desa/kemiskinan/templat.pdf").status_code == 404


def test_page_shows_errors_row_by_row_and_saves_nothing(world, login):
    client = login(world.users["planner"])
    response = _post(client, _csv(f"{world.desa_a.code},X,100,1,1,1,1", "35.09.01.2001,Wonorejo,100,1,1,1,1",
                                  f"{world.desa_b.code},X,10,5,5,5,5"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-testid="import-errors"' in html
    assert "Tidak ada data yang diubah" in html and "bukan desa Kabupaten Banyuwangi" in html
    assert "melebihi jumlah KK" in html and "<td>3</td>" in html and "<td>4</td>" in html
    assert _count(PovertyImport) == 0


def test_page_imports_a_good_file_and_lists_it_in_the_history(world, login, now):
    client = login(world.users["planner"])
    data = _csv(f"{world.desa_a.code},X,1600,100,120,130,150")
    response = _post(client, data)
    assert response.status_code == 302 and response.location == "/desa/kemiskinan"
    html = client.get("/desa/kemiskinan").get_data(as_text=True)
    assert "Data kemiskinan 1 desa berhasil diimpor" in html and "2 desa tidak ada dalam berkas" in html
    assert 'data-testid="poverty-history"' in html and "31 Oktober 2026" in html and "berlaku" in html


def test_page_refuses_a_missing_source_or_a_future_date_with_a_field_message(world, login, now):
    client = login(world.users["planner"])
    response = _post(client, _good(world), source="")
    assert response.status_code == 422 and "Sebutkan sumber data" in response.get_data(as_text=True)
    response = _post(client, _good(world), as_of="2027-01-05")
    assert response.status_code == 422 and "tidak boleh di masa depan" in response.get_data(as_text=True)
    assert _count(PovertyImport) == 0


@pytest.mark.parametrize("role", ["kepala_desa", "camat", "opd", "dprd"])
def test_other_roles_get_403_on_the_page_the_post_and_the_template(world, login, role):
    client = login(world.users[role])
    assert client.get("/desa/kemiskinan").status_code == 403
    assert _post(client, _good(world)).status_code == 403
    assert client.get("/desa/kemiskinan/templat.csv").status_code == 403
    assert _count(PovertyImport) == 0


def test_village_page_shows_the_deciles_and_which_data_and_date(world, login, now):
    client = login(world.users["planner"])
    html = client.get(f"/desa/{world.desa_a2.code}").get_data(as_text=True)
    assert 'data-testid="desil-1"' not in html
    _import(world, _good(world))
    html = client.get(f"/desa/{world.desa_a2.code}").get_data(as_text=True)
    assert 'data-testid="desil-1">300 (12,5%)' in html and 'data-testid="desil-4">600 (25,0%)' in html
    assert "DTSEN, per 31 Oktober 2026 (diimpor 1 Desember 2026)" in html
    assert "1.800 (75,0%)" in html  # poor households = desil 1–4


def test_village_page_says_data_contoh_for_demo_figures(world, login, now):
    world.desa_a.figures_source = demo.DEMO_FIGURES_SOURCE
    db.session.commit()
    html = login(world.users["kepala_desa"]).get(f"/desa/{world.desa_a.code}").get_data(as_text=True)
    assert "data contoh (bukan data resmi)" in html and "impor data desil" not in html
    _import(world, _good(world))
    html = login(world.users["planner"]).get(f"/desa/{world.desa_a.code}").get_data(as_text=True)
    assert "Angka penduduk adalah DATA DEMO" in html and "DTSEN, per 31 Oktober 2026" in html


def test_english_page_and_provenance(world, login, now):
    client = login(world.users["planner"])
    _import(world, _good(world))
    client.get("/bahasa/en")
    html = client.get(f"/desa/{world.desa_a.code}").get_data(as_text=True)
    assert "DTSEN, as of 31 October 2026 (imported 1 December 2026)" in html and "Decile 1" in html
    assert "Import poverty data by decile" in client.get("/desa/kemiskinan").get_data(as_text=True)


def test_cli_imports_as_a_named_planner_and_refuses_other_roles(world, runner, tmp_path, now):
    path = tmp_path / "dtsen.csv"
    path.write_bytes(_good(world))
    args = ["regions", "import-poverty", str(path), "--source", "DTSEN", "--as-of", "2026-10-31"]
    refused = runner.invoke(args=[*args, "--user", world.users["dprd"].username])
    assert refused.exit_code != 0 and "hanya dapat diimpor oleh perencana" in refused.output
    bad = tmp_path / "salah.csv"
    bad.write_bytes(_csv(f"{world.desa_a.code},X,10,5,5,5,5"))
    failed = runner.invoke(args=["regions", "import-poverty", str(bad), "--source", "DTSEN", "--as-of", "2026-10-31",
                                 "--user", world.users["planner"].username])
    assert failed.exit_code == 1 and "Baris 2, kolom desil_4" in failed.output
    assert _count(PovertyImport) == 0
    done = runner.invoke(args=[*args, "--user", world.users["planner"].username])
    assert done.exit_code == 0 and "Data kemiskinan 3 desa diimpor" in done.output
    assert db.session.scalar(select(PovertyImport.source)) == "DTSEN"


def test_api_village_detail_exposes_the_deciles_and_their_source(world, client, token, now):
    headers = token(world.users["dprd"])
    body = client.get(f"/api/v1/villages/{world.desa_a2.code}", headers=headers).get_json()
    assert body["poverty"] == {"deciles": None, "data": {"import_id": None, "source": None, "demo": False,
                                                         "as_of": None, "imported_on": None}}
    _import(world, _good(world))
    body = client.get(f"/api/v1/villages/{world.desa_a2.code}", headers=headers).get_json()
    assert body["poverty"]["deciles"] == {"households": 2400, "desil_1": 300, "desil_2": 400, "desil_3": 500,
                                          "desil_4": 600}
    assert body["poverty"]["data"]["source"] == "DTSEN" and body["poverty"]["data"]["as_of"] == "2026-10-31"
    assert body["figures"]["poor_households"] == 1800


def _xlsx(rows, blank_gap: int = 0) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kode_desa", "jumlah_kk", "desil_1", "desil_2", "desil_3", "desil_4"])
    for row in rows:
        sheet.append(row)
    if blank_gap:
        sheet.cell(sheet.max_row + blank_gap, 1, "35.10.09.9999")  # far below a long run of blank rows
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_row_limit_is_checked_while_reading_and_far_stray_cells_are_ignored(world, now):
    too_many = _xlsx([["35.10.09.2001", 1, 0, 0, 0, 0]] * 5_001)
    result = _import(world, too_many, name="besar.xlsx")
    assert [e.message for e in result.errors] == ["Berkas berisi lebih dari 5.000 baris data; bagi menjadi beberapa "
                                                  "berkas."]
    stray = _xlsx([[3510092001, 1000, 10.0, 20, 30, 40]], blank_gap=1_500)
    result = _import(world, stray, name="p3ke.xlsx")
    assert result.ok and [r.code for r in result.rows] == [world.desa_a.code]
