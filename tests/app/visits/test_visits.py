"""The visit day: state machine, counters, NIK records (encrypted, masked, de-duplicated), commitments, scope."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.aspirations import services as aspiration_services
from app.aspirations.models import Aspiration
from app.core.audit import AuditLog
from app.core.clock import today_local
from app.core.errors import Conflict, DomainError, FieldErrors, Forbidden
from app.extensions import db
from app.visits import services
from app.visits.models import Commitment, ServiceRecord, Visit, VisitServiceCount
from tests.app.visits.conftest import nik
from tests.factories import create_user


def _start(world, visit):
    services.change_status(world.users["planner"], visit, "berlangsung")


def test_state_machine_with_reasons_and_times(world, visit):
    planner = world.users["planner"]
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        services.change_status(planner, visit, "selesai")
    with pytest.raises(FieldErrors):
        services.change_status(planner, visit, "ditunda")
    services.change_status(planner, visit, "ditunda", reason="Banjir di jalan menuju desa")
    with pytest.raises(FieldErrors):
        services.change_status(planner, visit, "dijadwalkan", day=date(2020, 1, 1))
    new_day = today_local() + timedelta(days=42)  # a new date must be today or later, whatever day this runs
    services.change_status(planner, visit, "dijadwalkan", day=new_day)
    services.change_status(planner, visit, "berlangsung")
    services.change_status(planner, visit, "selesai")
    assert visit.status == "selesai" and visit.day == new_day
    assert visit.started_at is not None and visit.ended_at is not None
    with pytest.raises(Forbidden):
        services.change_status(world.users["opd"], visit, "berlangsung")


def test_counts_need_check_in_and_opd_records_only_its_sector(world, visit):
    with pytest.raises(DomainError, match="check-in"):
        services.add_count(world.users["opd"], visit, "kk")
    _start(world, visit)
    assert services.add_count(world.users["opd"], visit, "kk") == 1  # opd.adminduk
    assert services.add_count(world.users["opd"], visit, "kk", 4) == 5
    assert services.add_count(world.users["opd"], visit, "kk", -1) == 4
    with pytest.raises(Forbidden):
        services.add_count(world.users["opd"], visit, "imunisasi")  # a health service
    with pytest.raises(DomainError):
        services.add_count(world.users["opd"], visit, "kk", -10)


def test_two_devices_adding_at_once_both_count(world, visit, web_app):
    _start(world, visit)
    visit_id = visit.id  # read here: the fixture object belongs to this thread's session
    barrier = threading.Barrier(4, timeout=20)
    errors = []

    def press(times: int) -> None:
        with web_app.app_context():
            from app.auth.models import User

            actor = db.session.scalar(select(User).where(User.username == "perencana"))
            mine = db.session.get(Visit, visit_id)
            barrier.wait()
            for _ in range(times):
                try:
                    services.add_count(actor, mine, "aktivasi_ikd")
                except Exception as err:  # collected and asserted below
                    errors.append(repr(err))
            db.session.remove()

    threads = [threading.Thread(target=press, args=(10,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    db.session.expire_all()
    total = db.session.scalar(select(VisitServiceCount.count).where(VisitServiceCount.visit_id == visit_id))
    assert errors == [] and total == 40


def test_nik_is_encrypted_at_rest_masked_and_de_duplicated(world, visit):
    _start(world, visit)
    woman = nik(day=17, month=8, year=85, serial=12, woman=True)
    record = services.record_nik(world.users["opd"], visit, "aktivasi_ikd", woman)
    assert record.nik_masked == "3510********0012"
    raw = db.session.execute(text("SELECT nik_encrypted, nik_index, nik_masked FROM service_record")).all()
    assert all(woman not in "|".join(map(str, row)) for row in raw)  # the raw database never holds the NIK
    with pytest.raises(Conflict, match=r"3510\*+0012"):
        services.record_nik(world.users["opd"], visit, "aktivasi_ikd", woman.replace("", " ").strip())
    services.record_nik(world.users["opd"], visit, "kk", woman)  # another service for the same NIK is fine
    assert db.session.scalar(select(VisitServiceCount.count).where(
        VisitServiceCount.service_code == "aktivasi_ikd")) == 1
    with pytest.raises(FieldErrors, match="16 angka"):
        services.record_nik(world.users["opd"], visit, "kk", "12345")
    with pytest.raises(FieldErrors, match="tidak ada"):
        services.record_nik(world.users["opd"], visit, "kk", nik(day=31, month=2))


def test_full_nik_only_for_civil_registry_with_a_purpose_audited(world, visit):
    _start(world, visit)
    value = nik(serial=77)
    record = services.record_nik(world.users["planner"], visit, "kk", value)
    with pytest.raises(Forbidden):
        services.reveal_nik(world.users["planner"], record, "cek data")
    with pytest.raises(FieldErrors):
        services.reveal_nik(world.users["opd"], record, "")
    assert services.reveal_nik(world.users["opd"], record, "Verifikasi KK di Dispendukcapil") == value
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "nik_revealed"))
    assert audit.after["purpose"].startswith("Verifikasi") and value not in str(audit.after)


def test_changes_after_closing_need_the_office_and_are_audited(world, visit):
    _start(world, visit)
    services.change_status(world.users["planner"], visit, "selesai")
    with pytest.raises(Forbidden, match="ditutup"):
        services.add_count(world.users["opd"], visit, "kk")
    services.add_count(world.users["planner"], visit, "kk", 2)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "visit_service_count_changed")) is not None


def test_commitments_and_their_follow_up(world, visit):
    with pytest.raises(FieldErrors) as err:
        services.add_commitment(world.users["planner"], visit, description="", owner_sector="x", due_on=None,
                                budget_source="Utang")
    assert set(err.value.errors) == {"description", "owner_sector", "due_on", "budget_source"}
    item = services.add_commitment(world.users["planner"], visit, description="Perbaikan jembatan dusun Krajan",
                                   owner_sector="infrastruktur", due_on=date(2027, 3, 31), budget_source="P-APBD")
    with pytest.raises(Forbidden):
        services.complete_commitment(world.users["opd"], item, "Sudah dikerjakan")  # adminduk, not the owner
    pu = create_user("opd", world.regency, "opd.pu", sector="infrastruktur")
    services.complete_commitment(pu, item, "Jembatan selesai diperbaiki, foto terlampir")
    assert db.session.get(Commitment, item.id).status == "selesai"


def test_an_aspiration_is_settled_on_the_spot(world, visit):
    item = aspiration_services.submit_aspiration(world.users["kepala_desa"], aspiration_services.AspirationInput(
        desa_code=world.desa_a.code, category="adminduk", title="KK hilang terbawa banjir",
        description="Beberapa keluarga kehilangan KK saat banjir.", urgency="tinggi"))
    _start(world, visit)
    aspiration_services.transition(world.users["planner"], item, "selesai", note="KK dicetak ulang saat kunjungan.",
                                   visit=visit)
    assert db.session.get(Aspiration, item.id).status == "selesai"


def test_ad_hoc_visit(world):
    visit = services.create_visit(world.users["planner"], world.desa_b.code, date(2026, 12, 9))
    assert visit.ad_hoc and visit.status == "dijadwalkan"
    with pytest.raises(FieldErrors):
        services.create_visit(world.users["planner"], "35.10.99.9999", date(2026, 12, 9))


# --- web and API ------------------------------------------------------------------------------------------------

def test_visit_day_screen_counters_and_nik_masking_per_role(world, visit, login):
    _start(world, visit)
    value = nik(serial=5)
    services.record_nik(world.users["planner"], visit, "kk", value)
    client = login(world.users["opd"])
    response = client.post(f"/kunjungan/{visit.id}/layanan", json={"service": "kk", "count": 1},
                           headers={"Accept": "application/json"})
    assert response.get_json() == {"service": "kk", "count": 2}
    for role in ("planner", "opd", "kepala_desa", "camat", "admin"):
        html = login(world.users[role]).get(f"/kunjungan/{visit.id}").get_data(as_text=True)
        assert value not in html and not re.search(r"(?<!\d)\d{16}(?!\d)", html), role
        assert "3510********0005" in html or role in ("kepala_desa", "camat")


def test_scope_of_visits(world, visit, login, token, client):
    other = Visit(regency_id=world.regency.id, desa_id=world.desa_b.id, day=date(2026, 12, 2), status="dijadwalkan")
    db.session.add(other)
    db.session.commit()
    assert login(world.users["kepala_desa"]).get(f"/kunjungan/{other.id}").status_code == 404
    assert login(world.users["kepala_desa"]).get(f"/kunjungan/{visit.id}").status_code == 200
    assert login(world.users["dprd"]).get("/kunjungan").status_code == 403
    listing = client.get("/api/v1/visits?from=2026-12-01&to=2026-12-31",
                         headers=token(world.users["kepala_desa"])).get_json()
    assert [i["id"] for i in listing["items"]] == [visit.id]
    assert set(listing["items"][0]) >= {"id", "village_code", "date", "status"}


def test_api_services_and_status(world, visit, client, token):
    office = token(world.users["planner"])
    url = f"/api/v1/visits/{visit.id}"
    assert client.post(f"{url}/status", json={"status": "berlangsung"}, headers=office).get_json()["status"] == \
        "berlangsung"
    opd = token(world.users["opd"])
    assert client.post(f"{url}/services", json={"service": "kk", "count": 3}, headers=opd).status_code == 201
    value = nik(serial=9)
    first = client.post(f"{url}/services", json={"service": "akta_kelahiran", "nik": value}, headers=opd)
    assert first.status_code == 201 and first.get_json()["nik"] == "3510********0009"
    again = client.post(f"{url}/services", json={"service": "akta_kelahiran", "nik": value}, headers=opd)
    assert again.status_code == 409 and value not in again.get_data(as_text=True)
    bad = client.post(f"{url}/services", json={"service": "kk", "nik": "3510"}, headers=opd)
    assert bad.status_code == 422 and "nik" in bad.get_json()["errors"]
    detail = client.get(url, headers=office).get_json()
    assert {s["service"]: s["count"] for s in detail["services"]} == {"kk": 3, "akta_kelahiran": 1}
    assert client.post(f"{url}/status", json={"status": "dijadwalkan"}, headers=office).status_code == 422


def test_dprd_sees_service_aggregates_without_personal_data(world, visit, login):
    _start(world, visit)
    services.record_nik(world.users["planner"], visit, "kk", nik(serial=3))
    services.add_count(world.users["planner"], visit, "imunisasi", 12)
    html = login(world.users["dprd"]).get("/kunjungan/layanan?tahun=2026").get_data(as_text=True)
    assert 'data-testid="total-services">13<' in html and "Genteng" in html
    assert "3510" not in html
    assert db.session.scalar(select(ServiceRecord.nik_masked)) == "3510********0003"


def test_bulk_upload_is_all_or_nothing_and_checks_stored_records(world, visit, login):
    import io

    _start(world, visit)
    services.record_nik(world.users["planner"], visit, "kk", nik(serial=1))
    client = login(world.users["opd"])

    def upload(content: str):
        return client.post(f"/kunjungan/{visit.id}/unggah", data={"file": (io.BytesIO(content.encode()), "data.csv")},
                           content_type="multipart/form-data")

    clash = upload(f"service,nik,count\nkk,{nik(serial=2)},\nkk,{nik(serial=1)},\nperekaman_ktp_el,,15\n")
    assert clash.status_code == 422 and "sudah tercatat" in clash.get_data(as_text=True)
    assert db.session.scalar(select(VisitServiceCount.count).where(VisitServiceCount.service_code == "kk")) == 1
    bad = upload(f"service,nik,count\nkk,{nik(serial=3)},\nkk,123,\n")
    assert bad.status_code == 422 and nik(serial=3) not in bad.get_data(as_text=True)
    ok = upload(f"service,nik,count\nkk,{nik(serial=2)},\nperekaman_ktp_el,,15\nkia,{nik(serial=4)},\n")
    assert ok.status_code == 302
    db.session.expire_all()
    counts = {c.service_code: c.count for c in db.session.scalars(select(VisitServiceCount))}
    assert counts == {"kk": 2, "perekaman_ktp_el": 15, "kia": 1}
    assert db.session.scalar(select(db.func.count(ServiceRecord.id))) == 3


def test_nik_export_needs_the_right_role_and_a_purpose_and_is_audited(world, visit, login):
    _start(world, visit)
    value = nik(serial=8)
    services.record_nik(world.users["planner"], visit, "kk", value, note="=HYPERLINK(\"x\")")
    planner = login(world.users["planner"])
    assert planner.post(f"/kunjungan/{visit.id}/ekspor-nik", data={"purpose": "Arsip"}).status_code == 302
    civil = login(world.users["opd"])  # opd.adminduk
    assert civil.post(f"/kunjungan/{visit.id}/ekspor-nik", data={"purpose": ""}).status_code == 302
    response = civil.post(f"/kunjungan/{visit.id}/ekspor-nik", data={"purpose": "Pencetakan KK di Dispendukcapil"})
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and value in body and "'=HYPERLINK" in body
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "nik_exported"))
    assert audit.after["rows"] == 1 and value not in str(audit.after)


def test_retention_purges_old_nik_records_once(world, visit, runner):
    _start(world, visit)
    services.record_nik(world.users["planner"], visit, "kk", nik(serial=6))
    assert services.purge_expired_nik_records(as_of=date(2027, 6, 1)) == 0
    assert services.purge_expired_nik_records(as_of=date(2029, 1, 1)) == 1
    db.session.expire_all()
    record = db.session.scalar(select(ServiceRecord))
    assert record.nik_encrypted == "" and record.nik_masked == "*" * 16
    assert db.session.scalar(select(VisitServiceCount.count)) == 1  # the count stays
    assert services.purge_expired_nik_records(as_of=date(2029, 1, 1)) == 0  # a second run changes nothing
    result = runner.invoke(args=["visits", "purge-nik"])
    assert result.exit_code == 0 and "0 catatan" in result.output


def test_desa_history_on_the_village_page(world, visit, login):
    _start(world, visit)
    services.add_count(world.users["planner"], visit, "kk", 5)
    html = login(world.users["kepala_desa"]).get(f"/desa/{world.desa_a.code}").get_data(as_text=True)
    history = html.split('data-testid="desa-history"')[1]
    assert "1 Desember 2026" in history and ">5<" in history
    assert 'data-testid="desa-history"' not in login(world.users["dprd"]).get(f"/desa/{world.desa_a.code}").get_data(
        as_text=True)


def test_agenda_sums_the_requested_services_and_names_the_agencies(world, visit, login):
    from app.planning.services import add_to_agenda

    item = aspiration_services.submit_aspiration(world.users["kepala_desa"], aspiration_services.AspirationInput(
        desa_code=world.desa_a.code, category="adminduk", title="Perekaman KTP-el lansia",
        description="Lansia belum merekam KTP-el.", urgency="tinggi",
        services=[("perekaman_ktp_el", 40), ("imunisasi", 12)]))
    add_to_agenda(world.users["planner"], item, visit)
    html = login(world.users["planner"]).get(f"/kunjungan/{visit.id}").get_data(as_text=True)
    agenda = html.split('id="agenda"')[1].split("</section>")[0]
    assert item.reference in agenda and "Perekaman KTP-el 40" in agenda and "Imunisasi 12" in agenda
    assert "Dispendukcapil" in agenda and "Dinas Kesehatan" in agenda
