"""The permission matrix: every endpoint × every role → the expected status, plus the sweep that fails when a new
endpoint has no rule or no row here (FixMyStreet/Indico truth tables)."""

from __future__ import annotations

import pytest

from app.core.security import PUBLIC_ENDPOINTS, endpoint_permission

ROLES = ["admin", "planner", "kepala_desa", "camat", "opd", "dprd"]
ALL = dict.fromkeys(ROLES, 200)
ADMIN_ONLY = {r: (200 if r == "admin" else 403) for r in ROLES}
PLANNERS = {r: (200 if r in ("admin", "planner") else 403) for r in ROLES}


def _own_desa(w):
    return w.desa_a.code


def _asp(w):
    return w.aspiration.reference


VIEWERS = {"admin": 200, "planner": 200, "kepala_desa": 200, "camat": 200, "opd": 404, "dprd": 403}
SUBMITTERS = {r: (200 if r in ("admin", "planner", "kepala_desa") else 403) for r in ROLES}
NEW_ASPIRATION = {"village_code": "35.10.09.2001", "category": "infrastruktur", "title": "Jalan dusun rusak",
                  "description": "Jalan utama dusun rusak berat sejak musim hujan.", "urgency": "sedang"}


def _user_id(w):
    return w.users["dprd"].id


def _category_id(w):
    from app.aspirations.models import AspirationCategory
    from app.extensions import db

    return db.session.scalar(db.select(AspirationCategory.id).where(AspirationCategory.code == "lainnya"))


def _rule_id(w):
    from app.aspirations.models import DeadlineRule
    from app.extensions import db

    return db.session.scalar(db.select(DeadlineRule.id).where(DeadlineRule.category_id.is_(None),
                                                              DeadlineRule.urgency == "darurat"))


def _day_off_id(w):
    from datetime import date

    from app.aspirations.models import RegencyDayOff
    from app.extensions import db

    row = RegencyDayOff(regency_id=w.regency.id, day=date(2027, 12, 18), reason="Hari Jadi Banyuwangi")
    db.session.add(row)
    db.session.commit()
    return row.id


ADMIN_REDIRECT = {r: (302 if r == "admin" else 403) for r in ROLES}


# endpoint -> (method, url builder, expected status per role). The village is the kepala desa's own desa.
def office(status: int) -> dict[str, int]:
    """Planner and admin get `status`; every other role 403."""
    return {r: (status if r in ("admin", "planner") else 403) for r in ROLES}


def _plan(w):
    return f"/rencana/{w.plan.id}"


def _visit(w):
    return f"/kunjungan/{w.visit.id}"


VISIT_VIEWERS = {"admin": 200, "planner": 200, "kepala_desa": 200, "camat": 200, "opd": 200, "dprd": 403}
RECORDERS = {r: (302 if r in ("admin", "planner", "opd") else 403) for r in ROLES}


def _plan_visit(w):
    return f"/rencana/{w.plan.id}/kunjungan/{w.plan.days[0].visits[0].id}"


MATRIX = {
    "regions.dashboard": ("GET", lambda w: "/", ALL),
    "regions.list_villages": ("GET", lambda w: "/desa", ALL),
    "regions.show_village": ("GET", lambda w: f"/desa/{_own_desa(w)}", ALL),
    "regions.import_villages": ("GET", lambda w: "/desa/impor", PLANNERS),
    "regions.import_poverty": ("GET", lambda w: "/desa/kemiskinan", PLANNERS),
    "regions.poverty_template": ("GET", lambda w: "/desa/kemiskinan/templat.csv", PLANNERS),
    "admin.list_users": ("GET", lambda w: "/admin/pengguna", ADMIN_ONLY),
    "admin.create_user": ("GET", lambda w: "/admin/pengguna/baru", ADMIN_ONLY),
    "admin.edit_user": ("GET", lambda w: f"/admin/pengguna/{_user_id(w)}", ADMIN_ONLY),
    "admin.list_audit": ("GET", lambda w: "/admin/audit", ADMIN_ONLY),
    "admin.list_jobs": ("GET", lambda w: "/admin/jobs", ADMIN_ONLY),
    "admin.aspiration_settings": ("GET", lambda w: "/admin/pengaturan/aspirasi", ADMIN_ONLY),
    "admin.create_category": ("POST", lambda w: "/admin/pengaturan/aspirasi/kategori", ADMIN_REDIRECT,
                              {"data": {"kategori-code": "air_bersih", "kategori-name": "Air bersih"}}),
    "admin.edit_category": ("GET", lambda w: f"/admin/pengaturan/aspirasi/kategori/{_category_id(w)}", ADMIN_ONLY),
    "admin.save_deadline_rule": ("POST", lambda w: "/admin/pengaturan/aspirasi/aturan", ADMIN_REDIRECT,
                                 {"data": {"aturan-urgency": "rendah", "aturan-verify_days": "4",
                                           "aturan-followup_days": "6"}}),
    "admin.delete_deadline_rule": ("POST", lambda w: f"/admin/pengaturan/aspirasi/aturan/{_rule_id(w)}/hapus",
                                   ADMIN_REDIRECT),
    "admin.add_day_off": ("POST", lambda w: "/admin/pengaturan/aspirasi/libur", ADMIN_REDIRECT,
                          {"data": {"libur-day": "2027-12-18", "libur-reason": "Hari Jadi Banyuwangi"}}),
    "admin.remove_day_off": ("POST", lambda w: f"/admin/pengaturan/aspirasi/libur/{_day_off_id(w)}/hapus",
                             ADMIN_REDIRECT),
    "auth.account": ("GET", lambda w: "/akun", ALL),
    "auth.logout": ("POST", lambda w: "/keluar", dict.fromkeys(ROLES, 302)),
    "api.list_villages": ("GET", lambda w: "/api/v1/villages", ALL),
    "api.get_village": ("GET", lambda w: f"/api/v1/villages/{_own_desa(w)}", ALL),
    # aspirations: the item belongs to desa A, submitted by its kepala desa, not yet dispatched to any OPD
    "aspirations.list_aspirations": ("GET", lambda w: "/aspirasi", {**VIEWERS, "opd": 200}),
    "aspirations.create_aspiration": ("GET", lambda w: "/aspirasi/baru", SUBMITTERS),
    "aspirations.similar_aspirations": ("GET", lambda w: "/aspirasi/mirip?judul=jalan+rusak", SUBMITTERS),
    "aspirations.aspiration_stats": ("GET", lambda w: "/aspirasi/ringkasan", ALL),
    "aspirations.import_aspirations": ("GET", lambda w: "/aspirasi/impor", PLANNERS),
    "aspirations.bulk_update": ("POST", lambda w: "/aspirasi/massal",
                                {r: (302 if r in ("admin", "planner") else 403) for r in ROLES}),
    "aspirations.show_aspiration": ("GET", lambda w: f"/aspirasi/{_asp(w)}", VIEWERS),
    "aspirations.change_status": ("POST", lambda w: f"/aspirasi/{_asp(w)}/status",
                                  {"admin": 302, "planner": 302, "kepala_desa": 403, "camat": 403, "opd": 404,
                                   "dprd": 403}, {"data": {"to": "diverifikasi"}}),
    "aspirations.add_comment": ("POST", lambda w: f"/aspirasi/{_asp(w)}/komentar",
                                {**{r: 302 for r in ROLES}, "opd": 404, "dprd": 403}, {"data": {"body": "Tanya"}}),
    "aspirations.support_aspiration": ("POST", lambda w: f"/aspirasi/{_asp(w)}/dukung",
                                       {r: (302 if r in ("admin", "planner", "kepala_desa") else 403) for r in ROLES}),
    "aspirations.upload_attachment": ("POST", lambda w: f"/aspirasi/{_asp(w)}/lampiran",
                                      {**{r: 422 for r in ROLES}, "opd": 404, "dprd": 403}),
    "aspirations.download_attachment": ("GET", lambda w: f"/aspirasi/{_asp(w)}/lampiran/{w.attachment_id}",
                                        {**VIEWERS, "opd": 404}),
    "api.create_aspiration": ("POST", lambda w: "/api/v1/aspirations",
                              {r: (201 if r in ("admin", "planner", "kepala_desa") else 403) for r in ROLES},
                              {"json": NEW_ASPIRATION}),
    "api.list_aspirations": ("GET", lambda w: "/api/v1/aspirations", {**VIEWERS, "opd": 200}),
    "api.get_aspiration": ("GET", lambda w: f"/api/v1/aspirations/{_asp(w)}", VIEWERS),
    # planning (the plan is finished and unpublished; each desa alone on its own day)
    "planning.list_plans": ("GET", lambda w: "/rencana", office(200)),
    "planning.create_plan": ("POST", lambda w: "/rencana", office(422), {"data": {}}),
    "planning.show_plan": ("GET", _plan, office(200)),
    "planning.plan_status": ("GET", lambda w: f"{_plan(w)}/status.json", office(200)),
    "planning.cancel_plan": ("POST", lambda w: f"{_plan(w)}/batal", office(302)),
    "planning.reoptimise_plan": ("POST", lambda w: f"{_plan(w)}/optimasi-ulang", office(302)),
    "planning.show_day": ("GET", lambda w: f"{_plan(w)}/hari/2026-12-01", office(200)),
    "planning.lock_visit": ("POST", lambda w: f"{_plan_visit(w)}/kunci", office(302), {"data": {"locked": "1"}}),
    "planning.move_visit": ("POST", lambda w: f"{_plan_visit(w)}/pindah", office(302),
                            {"data": {"day": "2026-12-04"}}),
    "planning.remove_visit": ("POST", lambda w: f"{_plan_visit(w)}/hapus", office(302)),
    "planning.add_visit": ("POST", lambda w: f"{_plan(w)}/tambah", office(302),
                           {"data": {"desa_code": "35.10.09.2001", "day": "2026-12-04"}}),
    "planning.publish_plan": ("GET", lambda w: f"{_plan(w)}/terbitkan", office(200)),
    "planning.planning_settings": ("GET", lambda w: "/rencana/pengaturan", office(200)),
    "planning.save_desa_planning": ("POST", lambda w: f"/rencana/desa/{w.desa_a.code}", office(302),
                                    {"data": {"kunjungan_min": "90"}}),
    "planning.add_place": ("POST", lambda w: "/rencana/tempat", office(302), {"data": {}}),
    "planning.calendar_feed_page": ("GET", lambda w: "/rencana/kalender", ALL),
    "api.create_plan": ("POST", lambda w: "/api/v1/plans", office(422), {"json": {}}),
    "api.get_plan": ("GET", lambda w: f"/api/v1/plans/{w.plan.id}", office(200)),
    "api.coverage": ("GET", lambda w: "/api/v1/coverage", {**office(200), "dprd": 200}),
    "reports.coverage": ("GET", lambda w: "/laporan/cakupan", {**office(200), "dprd": 200}),
    "planning.import_travel_times": ("POST", lambda w: "/rencana/pengaturan/waktu-tempuh", office(302)),
    "planning.apply_speeds": ("POST", lambda w: "/rencana/pengaturan/kecepatan", office(302)),
    "api.get_planning_settings": ("GET", lambda w: "/api/v1/planning/settings", office(200)),
    "api.get_village_planning": ("GET", lambda w: f"/api/v1/villages/{w.desa_a.code}/planning", office(200)),
    "api.put_village_planning": ("PUT", lambda w: f"/api/v1/villages/{w.desa_a.code}/planning", office(422),
                                 {"json": {"windows": [{"weekday": 9, "start": "09:00", "end": "12:00"}]}}),
    "planning.save_desa_windows": ("POST", lambda w: f"/rencana/desa/{w.desa_a.code}/jendela", office(302)),
    "api.put_planning_settings": ("PUT", lambda w: "/api/v1/planning/settings", office(422),
                                  {"json": {"day_start": "jam tujuh"}}),
    "api.publish_plan": ("POST", lambda w: f"/api/v1/plans/{w.plan.id}/publish", office(200)),
    "aspirations.add_to_agenda": ("POST", lambda w: f"/aspirasi/{_asp(w)}/agenda", office(302)),
    # visits (a scheduled visit to desa A, not yet started)
    "visits.list_visits": ("GET", lambda w: "/kunjungan", VISIT_VIEWERS),
    "visits.create_visit": ("POST", lambda w: "/kunjungan", office(302), {"data": {}}),
    "visits.show_visit": ("GET", _visit, VISIT_VIEWERS),
    "visits.change_visit_status": ("POST", lambda w: f"{_visit(w)}/status", office(302),
                                   {"data": {"to": "berlangsung"}}),
    "visits.add_service": ("POST", lambda w: f"{_visit(w)}/layanan", RECORDERS, {"data": {"service": "kk"}}),
    "visits.record_service_nik": ("POST", lambda w: f"{_visit(w)}/nik", RECORDERS, {"data": {"service": "kk"}}),
    "visits.upload_records": ("POST", lambda w: f"{_visit(w)}/unggah", RECORDERS),
    "visits.reveal_nik": ("POST", lambda w: f"{_visit(w)}/nik/9999/buka",
                          {r: (404 if r in ("admin", "planner", "opd") else 403) for r in ROLES}),
    "visits.add_commitment": ("POST", lambda w: f"{_visit(w)}/komitmen", office(302), {"data": {}}),
    "visits.resolve_aspiration": ("POST", lambda w: f"{_visit(w)}/aspirasi/{_asp(w)}", office(302),
                                  {"data": {"to": "selesai"}}),
    "visits.save_notes": ("POST", lambda w: f"{_visit(w)}/catatan", office(302), {"data": {"notes": "x"}}),
    "visits.export_nik": ("POST", lambda w: f"{_visit(w)}/ekspor-nik", RECORDERS),
    "visits.upload_photo": ("POST", lambda w: f"{_visit(w)}/foto", RECORDERS),
    "visits.download_photo": ("GET", lambda w: f"{_visit(w)}/foto/9999", {**{r: 404 for r in ROLES}, "dprd": 403}),
    "visits.visit_summary": ("GET", lambda w: f"{_visit(w)}/ringkasan", VISIT_VIEWERS),
    "visits.list_followups": ("GET", lambda w: "/kunjungan/tindak-lanjut", VISIT_VIEWERS),
    "visits.complete_followup": ("POST", lambda w: "/kunjungan/tindak-lanjut/9999/selesai",
                                 {**{r: 302 for r in ROLES}, "dprd": 403}),
    "visits.service_dashboard": ("GET", lambda w: "/kunjungan/layanan", ALL),
    "api.list_visits": ("GET", lambda w: "/api/v1/visits", VISIT_VIEWERS),
    "api.get_visit": ("GET", lambda w: f"/api/v1/visits/{w.visit.id}", VISIT_VIEWERS),
    "api.record_service": ("POST", lambda w: f"/api/v1/visits/{w.visit.id}/services",
                           {r: (422 if r in ("admin", "planner", "opd") else 403) for r in ROLES},
                           {"json": {"service": "kk", "count": 1}}),
    "api.change_visit_status": ("POST", lambda w: f"/api/v1/visits/{w.visit.id}/status", office(200),
                                {"json": {"status": "berlangsung"}}),
    # reports (no archived report yet: downloads answer 404 to every role that may see the archive)
    "reports.list_reports": ("GET", lambda w: "/laporan", ALL),
    "reports.generate_dprd": ("POST", lambda w: "/laporan/dprd", office(302), {"data": {}}),
    "reports.generate_visit_report": ("POST", lambda w: f"/laporan/kunjungan/{w.visit.id}", office(302)),
    "reports.download_report": ("GET", lambda w: "/laporan/999.pdf", dict.fromkeys(ROLES, 404)),
    "reports.export_xlsx": ("GET", lambda w: "/laporan/dprd/ekspor.xlsx", dict.fromkeys(ROLES, 302)),
    "reports.export_csv": ("GET", lambda w: "/laporan/dprd/ekspor.csv", dict.fromkeys(ROLES, 302)),
    "api.visit_report_pdf": ("GET", lambda w: f"/api/v1/reports/visit/{w.visit.id}.pdf", office(422)),
    "api.create_dprd_report": ("POST", lambda w: "/api/v1/reports/dprd", office(422), {"json": {}}),
    "api.report_pdf": ("GET", lambda w: "/api/v1/reports/999.pdf", dict.fromkeys(ROLES, 404)),
    "api.transition_aspiration": ("POST", lambda w: f"/api/v1/aspirations/{_asp(w)}/transitions",
                                  {"admin": 200, "planner": 200, "kepala_desa": 403, "camat": 403, "opd": 404,
                                   "dprd": 403}, {"json": {"to": "diverifikasi"}}),
    # notifications: everyone has their own; a notification id that is not theirs answers 404
    "notifications.list_notifications": ("GET", lambda w: "/notifikasi", ALL),
    "notifications.mark_read": ("POST", lambda w: "/notifikasi/999999/baca", dict.fromkeys(ROLES, 404)),
    "notifications.mark_all_read": ("POST", lambda w: "/notifikasi/baca-semua", dict.fromkeys(ROLES, 302)),
    "notifications.preferences": ("GET", lambda w: "/notifikasi/preferensi", ALL),
    "api.list_notifications": ("GET", lambda w: "/api/v1/notifications", ALL),
    "api.revoke_token": ("DELETE", lambda w: "/api/v1/auth/token", dict.fromkeys(ROLES, 204)),
    "api.read_notification": ("POST", lambda w: "/api/v1/notifications/999999/read", dict.fromkeys(ROLES, 404)),
}
PUBLIC = {
    "auth.login": ("GET", lambda w: "/masuk", 200),
    "auth.set_language": ("GET", lambda w: "/bahasa/en", 302),
    "api.openapi": ("GET", lambda w: "/api/v1/openapi.json", 200),
    "api.create_token": ("POST", lambda w: "/api/v1/auth/token", 422),
    "health": ("GET", lambda w: "/healthz", 200),
    "planning.calendar_feed": ("GET", lambda w: "/rencana/kalender/tidak-dikenal.ics", 404),
    "static": ("GET", lambda w: "/static/css/app.css", 200),
    "favicon": ("GET", lambda w: "/favicon.ico", 200),
}


def test_every_endpoint_has_a_rule_and_a_row_in_this_matrix(app):
    """Sweep: a new endpoint without @require (or a public listing) or without a matrix row fails here."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    no_rule = sorted(e for e in endpoints if e not in PUBLIC_ENDPOINTS and endpoint_permission(app, e) is None)
    assert no_rule == [], f"endpoints without an access rule: {no_rule}"
    untested = sorted(endpoints - set(MATRIX) - set(PUBLIC))
    assert untested == [], f"endpoints missing from the permission matrix: {untested}"
    assert set(PUBLIC) == set(PUBLIC_ENDPOINTS)


@pytest.fixture
def matrix_world(world):
    """The world plus one aspiration of desa A (submitted by its kepala desa) with one attachment."""
    import io

    from PIL import Image

    from app.aspirations import services

    world.aspiration = services.submit_aspiration(world.users["kepala_desa"], services.AspirationInput(
        desa_code=world.desa_a.code, category="infrastruktur", title="Jembatan putus di dusun",
        description="Jembatan penghubung dusun putus terbawa banjir.", urgency="tinggi"))
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, "PNG")
    world.attachment_id = services.add_attachment(world.users["kepala_desa"], world.aspiration, png.getvalue(),
                                                  "foto.png").id
    from tests.factories import create_done_plan

    world.plan = create_done_plan(world)
    from datetime import date

    from app.extensions import db
    from app.visits.models import Visit

    world.visit = Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2026, 12, 1),
                        status="dijadwalkan")
    db.session.add(world.visit)
    db.session.commit()
    return world


def _entry(endpoint):
    method, url, expected, *rest = MATRIX[endpoint]
    return method, url, expected, (rest[0] if rest else {})


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_status(matrix_world, login, token, client, endpoint, role):
    method, url, expected, kwargs = _entry(endpoint)
    world = matrix_world
    user = world.users[role]
    path = url(world)
    if endpoint.startswith("api."):
        response = client.open(path, method=method, headers=token(user), **kwargs)
    else:
        response = login(user).open(path, method=method, **kwargs)
    assert response.status_code == expected[role], f"{role} {method} {path}"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_anonymous_is_sent_to_login_or_refused(matrix_world, client, endpoint):
    method, url, _, kwargs = _entry(endpoint)
    response = client.open(url(matrix_world), method=method, **kwargs)
    if endpoint.startswith("api."):
        assert response.status_code == 401
        assert "Token" in response.get_json()["message"]
    else:
        assert response.status_code == 302
        assert response.location.startswith("/masuk")


@pytest.mark.parametrize("endpoint", sorted(PUBLIC))
def test_public_endpoints_answer_without_login(world, client, endpoint):
    method, url, expected = PUBLIC[endpoint]
    assert client.open(url(world), method=method).status_code == expected


def test_an_endpoint_without_a_rule_is_denied_even_to_an_admin(world, login):
    """Deny by default: a view registered without @require answers 403."""
    from tests.conftest import make_app

    other = make_app()
    other.add_url_rule("/__unguarded", "unguarded", lambda: "rahasia")
    with other.app_context():
        client = login(world.users["admin"], other.test_client())
        assert client.get("/__unguarded").status_code == 403


# --- NIK records: the sector is part of the scope (issue 21) -----------------------------------------------------
# Two records at one visit: a KK by Dispendukcapil (adminduk) and a child's stunting screening by Dinkes (kesehatan).
# An OPD officer sees, reveals and exports only their own sector's records; another sector's record answers 404.

NIK_KK, NIK_STUNTING = "3510090101900011", "3510094101200022"
NIK_TABLE = {  # actor → record → status of revealing it (200 page with the NIK, 302 refused with a message, 404)
    "admin": {"kk": 200, "stunting": 200},
    "planner": {"kk": 302, "stunting": 302},
    "opd.adminduk": {"kk": 200, "stunting": 404},
    "opd.kesehatan": {"kk": 404, "stunting": 302},
}


@pytest.fixture
def nik_world(world):
    from datetime import date

    from app.extensions import db
    from app.visits import services
    from app.visits.models import Visit
    from tests.factories import create_user

    world.users["opd.adminduk"] = world.users["opd"]
    world.users["opd.kesehatan"] = create_user("opd", world.regency, "opd.kesehatan", sector="kesehatan")
    world.visit = Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2026, 12, 1),
                        status="berlangsung")
    db.session.add(world.visit)
    db.session.commit()
    world.records = {
        "kk": services.record_nik(world.users["opd.adminduk"], world.visit, "kk", NIK_KK).id,
        "stunting": services.record_nik(world.users["opd.kesehatan"], world.visit, "skrining_stunting",
                                        NIK_STUNTING).id,
    }
    return world


@pytest.mark.parametrize("actor, record, expected",
                         [(a, r, s) for a, row in NIK_TABLE.items() for r, s in row.items()])
def test_revealing_a_full_nik_follows_the_sector(nik_world, login, actor, record, expected):
    w = nik_world
    response = login(w.users[actor]).post(f"/kunjungan/{w.visit.id}/nik/{w.records[record]}/buka",
                                          data={"purpose": "Verifikasi data layanan"})
    assert response.status_code == expected
    full = NIK_KK if record == "kk" else NIK_STUNTING
    assert (full in response.get_data(as_text=True)) == (expected == 200)


@pytest.mark.parametrize("actor, exported", [("admin", {"kk", "stunting"}), ("opd.adminduk", {"kk"})])
def test_exporting_full_niks_covers_only_the_own_sector(nik_world, login, actor, exported):
    w = nik_world
    body = login(w.users[actor]).post(f"/kunjungan/{w.visit.id}/ekspor-nik",
                                      data={"purpose": "Arsip layanan kunjungan"}).get_data(as_text=True)
    assert {name for name, nik in (("kk", NIK_KK), ("stunting", NIK_STUNTING)) if nik in body} == exported


@pytest.mark.parametrize("actor, listed", [("planner", {"kk", "stunting"}), ("opd.adminduk", {"kk"}),
                                           ("opd.kesehatan", {"stunting"})])
def test_the_masked_list_shows_an_officer_only_their_sector(nik_world, login, actor, listed):
    w = nik_world
    page = login(w.users[actor]).get(f"/kunjungan/{w.visit.id}").get_data(as_text=True)
    shown = {name for name, masked in (("kk", "3510********0011"), ("stunting", "3510********0022"))
             if masked in page}
    assert shown == listed
    assert NIK_KK not in page and NIK_STUNTING not in page


def test_the_service_itself_refuses_another_sectors_record(nik_world):
    from app.core.errors import Forbidden
    from app.extensions import db
    from app.visits import services
    from app.visits.models import ServiceRecord

    stunting = db.session.get(ServiceRecord, nik_world.records["stunting"])
    with pytest.raises(Forbidden, match="sektor Anda sendiri"):
        services.reveal_nik(nik_world.users["opd.adminduk"], stunting, "Verifikasi data layanan")
    assert services.reveal_nik(nik_world.users["admin"], stunting, "Verifikasi data layanan") == NIK_STUNTING
