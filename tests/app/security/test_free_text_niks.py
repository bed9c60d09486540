"""Issue 21: NIKs typed into free text are masked on input; DPRD outputs carry no free text at all.

A kepala desa's title "Jalan Pak Budi 3510014512900001 rusak" once went, resolved, into the DPRD PDF. Here NIKs
(plain and written in groups) and a resident's name are seeded into every free-text field a service stores; the
database then holds no NIK anywhere, and no DPRD output (PDF, XLSX, CSV, API, dashboards) holds the NIK or the name.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from app.admin import settings as admin_settings
from app.aspirations import services as aspirations
from app.extensions import db
from app.planning import services as planning
from app.reports import exports
from app.reports import services as reports
from app.visits import services as visits
from app.visits.models import Visit

PLAIN = "3510014512900001"
SPACED = "3510 0145 1290 0002"
DOTTED = "35.10.01.451290.0003"
DIGITS = ("3510014512900001", "3510014512900002", "3510014512900003")
RESIDENT = "Budi Santoso"


def _free(text: str) -> str:
    """A free text holding a resident's name and NIKs in the three ways people type them."""
    return f"{text}: Pak {RESIDENT} NIK {PLAIN}, istri {SPACED}, anak {DOTTED}."


def _leaks(text: str) -> list[str]:
    """Which seeded NIKs a text holds, also when an output strips or changes the separators."""
    squeezed = re.sub(r"[\s.\-]", "", text)
    return [nik for nik in DIGITS if nik in squeezed]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_the_scrubber_masks_niks_written_in_groups_and_leaves_other_numbers():
    from app.core.pii import mask_niks_in_text

    text, count = mask_niks_in_text(_free("Catatan") + " Telp 0812 3456 7890, 15 angka 351001451290000.")
    assert count == 3 and _leaks(text) == []
    assert "3510************" in text and "3510 **** **** ****" in text and "35.10.**.******.****" in text
    assert "0812 3456 7890" in text and "351001451290000" in text
    assert mask_niks_in_text("35100145129000011")[1] == 0  # 17 digits in a row: not a NIK


def test_logs_never_show_a_nik_even_in_groups_or_in_a_traceback(app, caplog):
    logger = logging.getLogger("app.jobs.runner")  # a module logger, not app.logger
    with caplog.at_level(logging.INFO):
        logger.info("Warga %s datang", SPACED)
        try:
            raise ValueError(f"NIK {DOTTED} ditolak")
        except ValueError:
            logger.exception("Gagal untuk %s", PLAIN)
    rendered = "\n".join(caplog.handler.format(r) for r in caplog.records)
    assert "ditolak" in rendered and "Traceback" in rendered
    assert _leaks(rendered) == []


@pytest.fixture
def seeded(world, clock):
    """Every free-text field a service stores, seeded with NIKs and a name; one aspiration resolved at a visit."""
    clock.set(date(2026, 12, 15), tick=True)
    planner, kades = world.users["planner"], world.users["kepala_desa"]
    visit = Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2026, 12, 10), status="dijadwalkan")
    other = Visit(regency_id=world.regency.id, desa_id=world.desa_b.id, day=date(2026, 12, 11), status="dijadwalkan")
    db.session.add_all([visit, other])
    db.session.commit()
    visits.change_status(planner, other, "ditunda", reason=_free("Banjir"))
    visits.change_status(planner, visit, "berlangsung")
    item = aspirations.submit_aspiration(kades, aspirations.AspirationInput(
        desa_code=world.desa_a.code, category="infrastruktur", title=f"Jalan Pak {RESIDENT} {PLAIN} rusak",
        description=_free("Jalan rusak"), urgency="sedang", submitted_on=date(2026, 12, 1)))
    aspirations.add_comment(planner, item, _free("Komentar"))
    aspirations.add_attachment(planner, item, _png(), f"KTP {SPACED}.png")
    aspirations.transition(planner, item, "selesai", note=_free("Selesai di tempat"), visit=visit)
    pending = aspirations.submit_aspiration(planner, aspirations.AspirationInput(
        desa_code=world.desa_a.code, category="adminduk", title=f"KK {DOTTED} hilang",
        description=_free("KK hilang"), urgency="tinggi", submitted_on=date(2026, 12, 2)))
    aspirations.transition(planner, pending, "diverifikasi")
    aspirations.transition(planner, pending, "didisposisikan", opd="adminduk")
    aspirations.transition(world.users["opd"], pending, "menunggu_verifikasi", note=_free("Sudah dilayani"))
    commitment = visits.add_commitment(planner, visit, description=_free("Bedah rumah"), owner_sector="sosial",
                                       due_on=date(2027, 3, 31), budget_source="P-APBD")
    visits.complete_commitment(planner, commitment, _free("Rumah selesai"))
    record = visits.record_nik(planner, visit, "kk", "3510090101900009", note=_free("Catatan"))
    visits.reveal_nik(world.users["opd"], record, _free("Verifikasi"))
    visits.export_nik_records(world.users["opd"], visit, _free("Arsip"))
    visits.add_photo(planner, visit, _png(), f"foto {PLAIN}.png")
    visits.save_notes(planner, visit, _free("Hadir"), _free("Catatan kunjungan"))
    visits.change_status(planner, visit, "selesai")
    planning.add_blocked_date(planner, date(2027, 1, 5), _free("Acara"))
    planning.add_place(planner, name=f"Rumah {PLAIN}", kind="lodging", lat=-8.3, lon=114.2)
    planning.create_plan(planner, planning.PlanInput(start=date(2027, 1, 4), end=date(2027, 1, 8), mode="kunjungan",
                                                     start_place_id=world.office.id, name=f"Rencana {SPACED}"))
    admin_settings.add_day_off(world.users["admin"], date(2027, 2, 2), f"Libur {DOTTED}")
    return {"item": item, "visit": visit}


def test_no_nik_is_stored_in_any_free_text_field(seeded):
    leaks = []
    for table in db.Model.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if isinstance(value, str | dict | list) and _leaks(str(value)):
                    leaks.append(f"{table.name}.{column}")
    assert leaks == []
    assert RESIDENT in seeded["item"].title  # masking touches NIKs only: the office still reads the text


def test_no_dprd_output_holds_a_nik_or_a_free_text_name(world, seeded, client, token, login):
    planner, dprd = world.users["planner"], world.users["dprd"]
    row = reports.generate_dprd_report(planner, date(2026, 12, 1), date(2026, 12, 31))
    outputs = {"pdf": "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(row.pdf)).pages)}
    assert seeded["item"].reference in re.sub(r"\s+", "", outputs["pdf"])  # the resolved item is listed
    api_pdf = client.get(f"/api/v1/reports/{row.id}.pdf", headers=token(dprd))
    outputs["api"] = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(api_pdf.data)).pages)
    web = login(dprd)
    period = "start=2026-12-01&end=2026-12-31"
    book = load_workbook(io.BytesIO(web.get(f"/laporan/dprd/ekspor.xlsx?{period}").data))
    outputs["xlsx"] = "\n".join(str(v) for sheet in book for r in sheet.iter_rows(values_only=True) for v in r)
    table_names = exports.tables(reports.dprd_tables(planner, date(2026, 12, 1), date(2026, 12, 31), None))
    for name in table_names:
        outputs[f"csv:{name}"] = web.get(f"/laporan/dprd/ekspor.csv?{period}&tabel={name}").get_data(as_text=True)
    for path in ("/", "/aspirasi/ringkasan", "/kunjungan/layanan", "/laporan", "/notifikasi"):
        page = web.get(path)
        assert page.status_code == 200, path
        outputs[path] = page.get_data(as_text=True)
    for name, text in outputs.items():
        assert _leaks(text) == [], name
        assert RESIDENT not in re.sub(r"\s+", " ", text) and "BudiSantoso" not in text, name


def test_the_writer_is_told_that_niks_were_masked(world, login, client, token):
    web = login(world.users["kepala_desa"])
    response = web.post("/aspirasi/baru", data={
        "category": "adminduk", "title": f"KTP-el untuk {SPACED}", "description": _free("Perekaman"),
        "urgency": "sedang"}, follow_redirects=True)
    assert response.status_code == 200 and "NIK dalam teks disamarkan" in response.get_data(as_text=True)
    api = client.post("/api/v1/aspirations", headers=token(world.users["kepala_desa"]), json={
        "village_code": world.desa_a.code, "category": "adminduk", "title": "Perekaman KTP-el lansia",
        "description": _free("Perekaman"), "urgency": "sedang"})
    assert api.status_code == 201 and api.get_json()["notices"][0].startswith("NIK dalam teks disamarkan")
    plain = client.post("/api/v1/aspirations", headers=token(world.users["kepala_desa"]), json={
        "village_code": world.desa_a.code, "category": "adminduk", "title": "Perekaman KTP-el lansia",
        "description": "Tanpa nomor apa pun di sini.", "urgency": "sedang"})
    assert "notices" not in plain.get_json()
