"""Reports against the database: KPIs in the PDF equal the data, no personal data, archive hashes, exports, API."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app.aspirations import services as aspirations
from app.extensions import db
from app.reports import services
from app.reports.models import ReportArchive
from app.visits import services as visits
from app.visits.models import Visit

NIK = "3510090101900001"


def _text(pdf: bytes) -> str:
    """The PDF's text without any whitespace: extractors split kerned words differently ("T ahun")."""
    raw = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", raw)


def _has(text: str, phrase: str) -> bool:
    return re.sub(r"\s+", "", phrase) in text


@pytest.fixture
def year(world, clock):
    """A small year: two visits held in Genteng, one planned in Banyuwangi town; aspirations; NIK records.

    Recorded in mid-December 2026 (the clock), so what was resolved counts in that year whatever day this runs."""
    clock.set(date(2026, 12, 15), tick=True)
    planner = world.users["planner"]
    held = Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2026, 3, 10), status="dijadwalkan")
    held2 = Visit(regency_id=world.regency.id, desa_id=world.desa_a2.id, day=date(2026, 5, 12), status="dijadwalkan")
    planned = Visit(regency_id=world.regency.id, desa_id=world.desa_b.id, day=date(2026, 6, 2), status="dijadwalkan")
    db.session.add_all([held, held2, planned])
    db.session.commit()
    for v in (held, held2):
        visits.change_status(planner, v, "berlangsung")
    visits.add_count(planner, held, "perekaman_ktp_el", 1234)
    visits.add_count(planner, held2, "imunisasi", 30)
    visits.record_nik(planner, held, "kk", NIK)
    public = aspirations.submit_aspiration(world.users["kepala_desa"], aspirations.AspirationInput(
        desa_code=world.desa_a.code, category="infrastruktur", title="Jalan dusun rusak berat",
        description="Jalan utama dusun berlubang.", urgency="sedang", submitted_on=date(2026, 2, 2)))
    secret = aspirations.submit_aspiration(world.users["kepala_desa"], aspirations.AspirationInput(
        desa_code=world.desa_a.code, category="sosial", title="Dugaan pungli bansos oleh oknum",
        description="Laporan rahasia.", urgency="tinggi", confidential=True, submitted_on=date(2026, 2, 3)))
    for item in (public, secret):
        aspirations.transition(planner, item, "selesai", note="Diselesaikan saat kunjungan.", visit=held)
    visits.add_commitment(planner, held, description="Perbaikan jalan dusun Krajan", owner_sector="infrastruktur",
                          due_on=date(2026, 9, 30), budget_source="P-APBD")
    for v in (held, held2):
        visits.change_status(planner, v, "selesai")
    return {"held": held, "held2": held2, "planned": planned, "public": public, "secret": secret}


def test_dprd_report_kpis_equal_the_database_and_hold_no_personal_data(world, year):
    row = services.generate_dprd_report(world.users["planner"], date(2026, 1, 1), date(2026, 12, 31))
    text = _text(row.pdf)
    assert _has(text, "Tahun 2026")
    from app.visits.models import VisitServiceCount

    services_total = db.session.scalar(select(func.sum(VisitServiceCount.count)))
    assert services_total == 1265  # 1234 KTP-el + 30 immunisations + 1 KK recorded by NIK
    kpis = {k.key: k.value for k in services.dprd_tables(world.users["planner"], date(2026, 1, 1),
                                                          date(2026, 12, 31), None).kpis}
    assert kpis["services_delivered"] == services_total and kpis["visits_held"] == 2
    assert kpis["visits_planned"] == 3 and kpis["aspirations_received"] == 2 and kpis["aspirations_resolved"] == 2
    assert kpis["commitments_fulfilled"] == 0
    assert _has(text, "1.265")
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", text) and NIK not in text
    assert "pungli" not in text and not _has(text, "Jalan dusun rusak berat")  # no free-text titles for DPRD
    assert _has(text, year["public"].reference)
    assert row.pdf.startswith(b"%PDF-") and len(row.pdf_sha256) == 64


def test_regenerating_unchanged_data_returns_the_archived_report(world, year):
    first = services.generate_dprd_report(world.users["planner"], date(2026, 1, 1), date(2026, 6, 30))
    again = services.generate_dprd_report(world.users["planner"], date(2026, 1, 1), date(2026, 6, 30))
    assert again.id == first.id and again.pdf_sha256 == first.pdf_sha256
    visits.add_count(world.users["planner"], year["held"], "kk", 2)
    changed = services.generate_dprd_report(world.users["planner"], date(2026, 1, 1), date(2026, 6, 30))
    assert changed.id != first.id and changed.input_hash != first.input_hash
    assert db.session.scalar(select(func.count(ReportArchive.id))) == 2


def test_visit_report_contains_services_commitments_and_signatures(world, year):
    row = services.generate_visit_report(world.users["planner"], year["held"])
    text = _text(row.pdf)
    for expected in ("Laporan Kunjungan", "Kembiritan", "Perekaman KTP-el", "1.234", "Perbaikan jalan dusun Krajan",
                     "Dibuat oleh", "Mengetahui", "10 Maret 2026"):
        assert _has(text, expected), expected
    assert NIK not in text and "pungli" not in text


@pytest.mark.parametrize("start, end, field", [("2026-05-01", "2026-04-01", "end"), ("x", "2026-04-01", "start"),
                                               ("2020-01-01", "2026-01-01", "end")])
def test_invalid_periods_are_refused(world, client, token, start, end, field):
    response = client.post("/api/v1/reports/dprd", json={"start": start, "end": end},
                           headers=token(world.users["planner"]))
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_api_flow_and_dprd_access(world, year, client, token):
    office = token(world.users["planner"])
    created = client.post("/api/v1/reports/dprd", json={"start": "2026-01-01", "end": "2026-12-31",
                                                        "kecamatan": "35.10.09"}, headers=office)
    assert created.status_code == 201
    report_id = created.get_json()["id"]
    dprd = token(world.users["dprd"])
    pdf = client.get(f"/api/v1/reports/{report_id}.pdf", headers=dprd)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert _has(_text(pdf.data), "Kecamatan Genteng")
    assert client.post("/api/v1/reports/dprd", json={"start": "2026-01-01", "end": "2026-12-31"},
                       headers=dprd).status_code == 403
    visit_pdf = client.get(f"/api/v1/reports/visit/{year['held'].id}.pdf", headers=office)
    assert visit_pdf.status_code == 200 and visit_pdf.data.startswith(b"%PDF-")
    visit_report = db.session.scalar(select(ReportArchive).where(ReportArchive.kind == "visit"))
    assert client.get(f"/api/v1/reports/{visit_report.id}.pdf", headers=dprd).status_code == 404


def test_spreadsheet_exports(world, year, login):
    year["public"].title = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    client = login(world.users["dprd"])
    xlsx = client.get("/laporan/dprd/ekspor.xlsx?start=2026-01-01&end=2026-12-31")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.data))
    assert {"ringkasan", "kecamatan", "kunjungan"} <= set(book.sheetnames)
    rows = list(book["kunjungan"].iter_rows(values_only=True))
    assert rows[0][0] == "Tanggal" and len(rows) == 4
    csv_body = client.get("/laporan/dprd/ekspor.csv?start=2026-01-01&end=2026-12-31&tabel=kecamatan")
    assert csv_body.status_code == 200 and "Genteng" in csv_body.get_data(as_text=True)
    assert NIK not in csv_body.get_data(as_text=True)
