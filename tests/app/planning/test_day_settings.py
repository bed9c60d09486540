"""Planning settings (issue 17, part 1): the API contract, validation in Indonesian, the page, and later plans using
the working day, lunch break, visit modes and weekdays."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select

from app.core.audit import AuditLog
from app.extensions import db
from app.planning import translate
from app.planning.models import PlanningSettings

URL = "/api/v1/planning/settings"


def test_defaults_follow_the_contract(world, client, token):
    body = client.get(URL, headers=token(world.users["planner"])).get_json()
    assert body == {"day_start": "07:30", "day_end": "16:00", "friday_break": {"start": "11:30", "end": "13:00"},
                    "lunch_break": None,
                    "modes": {"kunjungan": {"visit_min": 90, "max_visits": 4},
                              "berkantor": {"visit_min": 300, "max_visits": 1}},
                    "weekdays": [1, 2, 3, 4, 5], "mandatory_after_months": 24, "version": 1}


def test_put_accepts_a_subset_is_audited_and_later_plans_use_it(world, client, token, make_plan):
    headers = token(world.users["planner"])
    response = client.put(URL, headers=headers, json={
        "day_start": "08:00", "lunch_break": {"start": "12:00", "end": "13:30", "minutes": 60},
        "modes": {"kunjungan": {"visit_min": 75, "max_visits": 3}}, "weekdays": [2, 4]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["day_start"] == "08:00" and body["day_end"] == "16:00" and body["version"] == 2
    assert body["lunch_break"] == {"start": "12:00", "end": "13:30", "minutes": 60} and body["weekdays"] == [2, 4]
    assert client.get(URL, headers=headers).get_json() == body
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "planning_settings_saved"))
    assert audit.after["weekdays"] == [2, 4] and audit.before is None

    plan = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 11))  # Tue 1 … Fri 11 December
    days = plan.problem["days"]
    assert [d["id"] for d in days] == ["2026-12-01", "2026-12-03", "2026-12-08", "2026-12-10"]  # Tuesdays, Thursdays
    assert all(d["start_min"] == 480 and d["max_visits"] == 3 for d in days)
    assert all(d["breaks"] == [{"start_min": 720, "end_min": 810, "duration_min": 60}] for d in days)
    assert {s["service_min"] for s in plan.problem["sites"]} == {75}
    for day in plan.days:  # the lunch pause is really there: 60 free minutes between visits inside 12.00-13.30
        spans = sorted([(480, 480)] + [(v.start_min, v.end_min) for v in day.visits] + [(day.end_min, day.end_min)])
        free = [min(b[0], 810) - max(a[1], 720) for a, b in itertools.pairwise(spans)]
        assert max(free) >= 60, spans


def test_invalid_settings_are_refused_per_field_and_change_nothing(world, client, token):
    headers = token(world.users["planner"])
    response = client.put(URL, headers=headers, json={
        "day_start": "7.30 pagi", "lunch_break": {"start": "12:00", "end": "12:30", "minutes": 60},
        "modes": {"kunjungan": {"visit_min": 0}, "darat": {}}, "weekdays": [], "warna": "merah"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"day_start", "lunch_break.minutes", "modes.kunjungan.visit_min", "modes.darat",
                           "weekdays", "warna"}
    assert "JJ:MM" in errors["day_start"] and "tidak muat" in errors["lunch_break.minutes"]
    too_long = client.put(URL, headers=headers, json={"day_end": "08:30"})
    assert too_long.status_code == 422 and "melebihi panjang hari kerja" in too_long.get_json()["errors"][
        "modes.kunjungan.visit_min"]
    db.session.expire_all()
    assert db.session.scalar(select(PlanningSettings)) is None
    assert client.get(URL, headers=headers).get_json()["day_start"] == "07:30"


def test_only_the_office_changes_settings(world, client, token):
    assert client.put(URL, headers=token(world.users["dprd"]), json={"day_start": "08:00"}).status_code == 403
    assert client.put(URL, headers=token(world.users["kepala_desa"]), json={}).status_code == 403


def test_the_page_saves_and_keeps_what_was_typed_on_an_error(world, login):
    page = login(world.users["planner"])
    form = {"action": "day", "day_start": "07:00", "day_end": "15:30", "friday_start": "11:30", "friday_end": "13:00",
            "lunch_start": "", "lunch_end": "", "lunch_minutes": "", "kunjungan_visit_min": "120",
            "kunjungan_max_visits": "3", "berkantor_visit_min": "300", "weekdays": ["1", "3", "5"],
            "mandatory_after_months": "18"}
    response = page.post("/rencana/pengaturan", data=form)
    assert response.status_code == 302 and response.location.endswith("#hari-kerja")
    db.session.expire_all()
    row = db.session.scalar(select(PlanningSettings))
    assert (row.day_start_min, row.kunjungan_min, row.working_weekdays, row.mandatory_after_months) == \
        (420, 120, "0,2,4", 18)
    html = page.get("/rencana/pengaturan").get_data(as_text=True)
    assert "Pengaturan hari kerja versi 2 disimpan." in html and 'value="07:00"' in html
    bad = page.post("/rencana/pengaturan", data={**form, "kunjungan_visit_min": "sembilan puluh",
                                                 "lunch_start": "12:00", "lunch_end": "13:00", "lunch_minutes": "90"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "sembilan puluh" in html
    assert "Lama kunjungan (menit) harus bilangan bulat 15–480." in html
    assert "Lama istirahat tidak muat" in html
    db.session.expire_all()
    assert db.session.scalar(select(PlanningSettings)).kunjungan_min == 120  # nothing of the refused save


def test_translate_puts_the_prayer_break_on_fridays_and_the_lunch_on_other_days(world, make_plan):
    from app.planning import day_settings

    day_settings.update(world.users["planner"], {"lunch_break": {"start": "12:00", "end": "13:30", "minutes": 45}})
    plan = make_plan(start=date(2026, 12, 3), end=date(2026, 12, 4), run=False)  # Thursday, Friday
    problem = translate.build_problem(plan, {d.id: _result() for d in [world.desa_a]})
    thursday, friday = problem.days
    assert [(b.start_min, b.end_min, b.duration) for b in thursday.breaks] == [(720, 810, 45)]
    assert [(b.start_min, b.end_min, b.duration) for b in friday.breaks] == [(690, 780, 90)]


def _result():
    from app.planning.priority import PriorityResult

    return PriorityResult(desa_id=0, score=10.0, components={}, mandatory=False)


# --- per desa: availability windows (issue 17, part 3) ----------------------------------------------------------------

def test_village_windows_through_the_api_reach_every_plan(world, client, token, make_plan):
    headers = token(world.users["planner"])
    url = f"/api/v1/villages/{world.desa_a.code}/planning"
    body = {"windows": [{"weekday": 4, "start": "09:00", "end": "12:00"}], "closed_months": [1, 2],
            "extra_travel_min": 30}
    response = client.put(url, headers=headers, json=body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"village_code": world.desa_a.code, **body}
    assert client.get(url, headers=headers).get_json()["windows"] == body["windows"]
    plan = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 4))  # Tue 1 … Fri 4: Thursday is the 3rd
    site = next(s for s in plan.problem["sites"] if s["id"] == world.desa_a.code)
    assert site["windows"] == [{"day": 2, "start_min": 540, "end_min": 720}] and site["extra_travel_min"] == 30
    visits = [(d.day, v) for d in plan.days for v in d.visits if v.desa_id == world.desa_a.id]
    assert all(day == date(2026, 12, 3) and v.start_min >= 540 and v.end_min <= 720 for day, v in visits)
    assert visits, "desa A (priority) fits its Thursday window"


def test_a_desa_whose_windows_miss_the_plan_is_left_out_with_that_reason(world, client, token, make_plan):
    client.put(f"/api/v1/villages/{world.desa_a.code}/planning", headers=token(world.users["planner"]),
               json={"windows": [{"date": "2027-03-01", "start": "08:00", "end": "12:00"}]})
    plan = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 4))
    [left] = [u for u in plan.unvisited if u.desa_id == world.desa_a.id]
    assert left.reason == "no_window"
    assert all(v.desa_id != world.desa_a.id for d in plan.days for v in d.visits)


def test_invalid_village_windows_are_refused_per_field(world, client, token):
    response = client.put(f"/api/v1/villages/{world.desa_a.code}/planning", headers=token(world.users["planner"]),
                          json={"windows": [{"weekday": 8, "start": "09:00", "end": "12:00"},
                                            {"weekday": 2, "start": "12:00", "end": "09:00"},
                                            {"date": "2027-02-30", "start": "08:00", "end": "09:00"},
                                            {"weekday": 3, "date": "2027-01-06", "start": "08:00", "end": "09:00"}],
                                "closed_months": [13], "extra_travel_min": -5})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"windows.0.weekday", "windows.1.end", "windows.2.date",
                                                  "windows.3", "closed_months", "extra_travel_min"}
    assert client.put(f"/api/v1/villages/{world.desa_b.code}/planning", headers=token(world.users["dprd"]),
                      json={}).status_code == 403


def test_weekly_windows_from_the_village_page(world, login):
    page = login(world.users["planner"])
    response = page.post(f"/rencana/desa/{world.desa_a.code}/jendela", data={"start_2": "08:00", "end_2": "11:30"})
    assert response.status_code == 302
    html = page.get(f"/desa/{world.desa_a.code}").get_data(as_text=True)
    windows = html.split('data-testid="desa-windows"')[1].split("</ul>")[0]
    assert "Selasa, 08.00–11.30" in windows
    page.post(f"/rencana/desa/{world.desa_a.code}/jendela", data={"start_2": "08:00", "end_2": "07:00"})
    assert "Jendela waktu belum disimpan" in page.get(f"/desa/{world.desa_a.code}").get_data(as_text=True)


# --- per plan: weekdays, must-visit, exclude, keep published; API explanations (issue 17, parts 2 and 9) ------------

def test_plan_options_through_the_api_shape_the_plan_and_are_explained(world, client, token):
    from app.planning import services

    headers = token(world.users["planner"])
    response = client.post("/api/v1/plans", headers=headers, json={
        "start": "2026-12-01", "end": "2026-12-11", "time_limit_s": 5, "weekdays": [3],
        "must_visit": [world.desa_b.code], "exclude": [world.desa_a.code], "keep_published": False})
    assert response.status_code == 202, response.get_json()
    plan_id = response.get_json()["id"]
    services.run_plan(plan_id)
    body = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    assert body["options"] == {"weekdays": [3], "must_visit": [world.desa_b.code], "exclude": [world.desa_a.code],
                               "keep_published": False}
    assert [d["date"] for d in body["days"]] == ["2026-12-02", "2026-12-09"]  # Wednesdays only
    visits = {v["village_code"]: v for d in body["days"] for v in d["visits"]}
    assert world.desa_a.code not in visits and world.desa_b.code in visits
    assert "Wajib masuk rencana ini" in visits[world.desa_b.code]["why"]
    assert all(v["why"].startswith("Prioritas ") and v["travel_min"] >= 0 for v in visits.values())
    [excluded] = [u for u in body["unvisited"] if u["village_code"] == world.desa_a.code]
    assert excluded["reason"] == "excluded" and excluded["message"] == "Dikecualikan dari rencana ini oleh perencana."
    assert isinstance(excluded["priority"], float)


def test_invalid_plan_options_are_refused_per_field(world, client, token):
    headers = token(world.users["planner"])
    response = client.post("/api/v1/plans", headers=headers, json={
        "start": "2026-12-01", "end": "2026-12-11", "weekdays": [0], "must_visit": ["35.99.99.9999"],
        "exclude": "semua", "keep_published": "ya"})
    assert response.status_code == 422
    assert {"exclude", "keep_published"} <= set(response.get_json()["errors"])
    response = client.post("/api/v1/plans", headers=headers, json={
        "start": "2026-12-01", "end": "2026-12-11", "weekdays": [0], "must_visit": ["35.99.99.9999"],
        "exclude": [world.desa_a.code]})
    errors = response.get_json()["errors"]
    assert response.status_code == 422 and {"weekdays", "must_visit"} <= set(errors)
    both = client.post("/api/v1/plans", headers=headers, json={
        "start": "2026-12-01", "end": "2026-12-11", "must_visit": [world.desa_a.code],
        "exclude": [world.desa_a.code]})
    assert both.status_code == 422 and "sekaligus wajib dan dikecualikan" in both.get_json()["errors"]["exclude"]


def test_the_plan_form_takes_weekdays_must_visit_and_exclude(world, login):
    from app.planning import services
    from app.planning.models import Plan

    page = login(world.users["planner"])
    html = page.get("/rencana").get_data(as_text=True)
    assert 'data-testid="must-visit"' in html and '<input checked id="keep_published"' in html
    response = page.post("/rencana", data={
        "start": "2026-12-01", "end": "2026-12-04", "mode": "kunjungan", "start_place": str(world.office.id),
        "time_limit_s": "5", "lodging_place": "0", "weekdays": ["2", "4"], "exclude": [world.desa_a.code],
        "must_visit": [world.desa_b.code]})
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan))
    assert plan.options == {"weekdays": [2, 4], "must_visit": [world.desa_b.code], "exclude": [world.desa_a.code],
                            "keep_published": False}  # an unticked checkbox is not sent
    services.run_plan(plan.id)
    show = page.get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert "Dikecualikan dari rencana ini oleh perencana." in show and 'data-testid="why"' in show
