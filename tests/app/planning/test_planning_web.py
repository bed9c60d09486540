"""Planning pages, the plan API and calendar feeds through the test client."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.planning import services
from app.planning.models import Plan
from app.visits.models import Visit


def _form(world, **kw):
    data = {"start": "2026-12-01", "end": "2026-12-04", "mode": "kunjungan", "start_place": str(world.office.id),
            "time_limit_s": "5", "lodging_place": "0"}
    data.update(kw)
    return data


def test_planner_queues_a_plan_watches_progress_then_reviews_and_publishes(world, login):
    client = login(world.users["planner"])
    assert "Susun rencana baru" in client.get("/rencana").get_data(as_text=True)
    response = client.post("/rencana", data=_form(world, name="Desember minggu pertama"))
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan))
    assert plan.status == "queued" and plan.name == "Desember minggu pertama"
    page = client.get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert 'data-testid="plan-progress"' in page and "Batalkan" in page
    assert client.get(f"/rencana/{plan.id}/status.json").get_json()["status"] == "queued"
    services.run_plan(plan.id)  # what the worker process does
    status = client.get(f"/rencana/{plan.id}/status.json").get_json()
    assert status["status"] == "done" and status["progress"] == 1.0
    page = client.get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert "Desember 2026" in page and world.desa_a.name in page and "<svg" in page
    assert 'data-testid="visit-count">3<' in page
    day = client.get(f"/rencana/{plan.id}/hari/2026-12-01").get_data(as_text=True)
    assert "Pendopo" in day and 'data-testid="itinerary"' in day
    preview = client.get(f"/rencana/{plan.id}/terbitkan").get_data(as_text=True)
    assert "3 kunjungan baru" in preview
    assert client.post(f"/rencana/{plan.id}/terbitkan", data={}).status_code == 302  # no confirmation: nothing
    assert db.session.scalar(select(db.func.count(Visit.id))) == 0
    client.post(f"/rencana/{plan.id}/terbitkan", data={"confirm": "1"})
    assert db.session.scalar(select(db.func.count(Visit.id))) == 3


def test_invalid_plan_form_keeps_input_and_explains(world, login):
    client = login(world.users["planner"])
    response = client.post("/rencana", data=_form(world, end="2026-11-01", name="Rencana keliru"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "tidak boleh sebelum" in html and "Rencana keliru" in html
    assert db.session.scalar(select(db.func.count(Plan.id))) == 0


def test_edit_refusal_is_shown_and_changes_nothing(world, login, make_plan):
    plan = make_plan(mode="berkantor")
    busy = [d for d in plan.days if d.visits]
    visit, other = busy[0].visits[0], busy[1].day
    client = login(world.users["planner"])
    response = client.post(f"/rencana/{plan.id}/kunjungan/{visit.id}/pindah", data={"day": other.isoformat()},
                           follow_redirects=True)
    assert "batas per hari" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).days[0].visits[0].desa_id == busy[0].visits[0].desa_id


def test_blocked_dates_and_weights_settings(world, login):
    client = login(world.users["planner"])
    client.post("/rencana/pengaturan", data={"action": "block", "blokir-day": "2026-12-02",
                                             "blokir-reason": "Kunjungan gubernur"})
    html = client.get("/rencana/pengaturan").get_data(as_text=True)
    assert "Kunjungan gubernur" in html
    duplicate = client.post("/rencana/pengaturan", data={"action": "block", "blokir-day": "2026-12-02",
                                                         "blokir-reason": "lagi"})
    assert duplicate.status_code == 422 and "sudah diblokir" in duplicate.get_data(as_text=True)
    client.post("/rencana/pengaturan", data={"action": "weights", "aspirations": "1", "poverty": "2",
                                             "since_visit": "0", "services": "0", "coverage": "0"})
    assert services.current_weights(world.regency.id).poverty == 2.0


@pytest.mark.parametrize("role", ["kepala_desa", "camat", "opd", "dprd"])
def test_only_the_office_plans(world, login, token, client, role):
    assert login(world.users[role]).get("/rencana").status_code == 403
    response = client.post("/api/v1/plans", json={"start": "2026-12-01", "end": "2026-12-04"},
                           headers=token(world.users[role]))
    assert response.status_code == 403


def test_api_plan_flow(world, client, token):
    headers = token(world.users["planner"])
    response = client.post("/api/v1/plans", json={"start": "2026-12-01", "end": "2026-12-04", "mode": "kunjungan",
                                                  "time_limit_s": 5}, headers=headers)
    assert response.status_code == 202
    plan_id = response.get_json()["id"]
    assert client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()["status"] == "queued"
    services.run_plan(plan_id)
    body = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    assert body["status"] == "done" and body["progress"] == 1.0 and body["weights"]["poverty"] == 0.3
    visited = {v["village_code"] for d in body["days"] for v in d["visits"]}
    assert visited == {world.desa_a.code, world.desa_a2.code, world.desa_b.code}
    assert {"date", "visits"} <= set(body["days"][0]) and body["unvisited"] == []
    first = next(v for d in body["days"] for v in d["visits"])
    assert set(first) >= {"village_code", "arrive", "start", "end"}
    published = client.post(f"/api/v1/plans/{plan_id}/publish", headers=headers)
    assert published.status_code == 200 and len(published.get_json()["new"]) == 3
    assert client.post(f"/api/v1/plans/{plan_id}/publish", headers=headers).status_code == 409


def test_api_refuses_bad_plan_requests(world, client, token):
    headers = token(world.users["planner"])
    response = client.post("/api/v1/plans", json={"start": "1 Desember", "end": "2026-12-04"}, headers=headers)
    assert response.status_code == 422 and "start" in response.get_json()["errors"]
    assert client.get("/api/v1/plans/999", headers=headers).status_code == 404


def test_calendar_feed_is_valid_scoped_and_revocable(world, login, client, make_plan):
    services.publish(world.users["planner"], make_plan())
    kades = login(world.users["kepala_desa"])
    html = kades.post("/rencana/kalender", data={"action": "issue"}).get_data(as_text=True)
    url = html.split('data-testid="feed-url">')[1].split("<")[0]
    path = url.split("localhost", 1)[-1]
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    cal = Calendar.from_ical(feed.data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1 and world.desa_a.name in str(events[0]["SUMMARY"])
    assert str(events[0].decoded("DTSTART").tzinfo) == "Asia/Jakarta"
    office = login(world.users["planner"])
    office_html = office.post("/rencana/kalender", data={"action": "issue"}).get_data(as_text=True)
    office_path = office_html.split('data-testid="feed-url">')[1].split("<")[0].split("localhost", 1)[-1]
    assert len(Calendar.from_ical(client.get(office_path).data).walk("VEVENT")) == 3
    kades.post("/rencana/kalender", data={"action": "revoke"})
    assert client.get(path).status_code == 404
    assert client.get("/rencana/kalender/tebakan-acak.ics").status_code == 404


def test_kepala_desa_sees_the_announced_visit_date(world, login, make_plan, clock):
    clock.set(date(2026, 11, 25), tick=True)  # the plan (1–4 December 2026) is still ahead
    plan = make_plan()
    services.publish(world.users["planner"], plan)
    day = next(d.day for d in plan.days for v in d.visits if v.desa_id == world.desa_a.id)
    html = login(world.users["kepala_desa"]).get("/").get_data(as_text=True)
    assert 'data-testid="next-visit"' in html
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember")
    assert f"{day.day} {months[day.month - 1]} {day.year}" in html.split('data-testid="next-visit"')[1][:300]


def test_village_page_explains_the_priority_to_planners_only(world, login):
    html = login(world.users["planner"]).get(f"/desa/{world.desa_a.code}").get_data(as_text=True)
    card = html.split('data-testid="priority"')[1].split("</section>")[0]
    assert "Aspirasi terbuka" in card and "Kemiskinan" in card and "bobot versi 1" in card
    assert 'data-testid="priority"' not in login(world.users["kepala_desa"]).get(
        f"/desa/{world.desa_a.code}").get_data(as_text=True)


def test_desa_overrides_and_places_from_the_pages(world, login, make_plan):
    from app.planning.models import DesaPlanning
    from app.regions.models import Place

    client = login(world.users["planner"])
    response = client.post(f"/rencana/desa/{world.desa_b.code}", data={"kunjungan_min": "120",
                                                                       "extra_travel_min": "30",
                                                                       "closed_months": ["1", "2"]})
    assert response.status_code == 302
    row = db.session.scalar(select(DesaPlanning).where(DesaPlanning.desa_id == world.desa_b.id))
    assert (row.kunjungan_min, row.extra_travel_min, row.closed_months) == (120, 30, "1,2")
    bad = client.post(f"/rencana/desa/{world.desa_b.code}", data={"kunjungan_min": "5"}, follow_redirects=True)
    assert "15–240 menit" in bad.get_data(as_text=True)
    plan = make_plan()
    visit_b = next(v for d in plan.days for v in d.visits if v.desa_id == world.desa_b.id)
    assert visit_b.end_min - visit_b.start_min == pytest.approx(120)
    client.post("/rencana/tempat", data={"name": "Penginapan Sukamade", "kind": "lodging", "lat": "-8,55",
                                         "lon": "113,88"})
    assert db.session.scalar(select(Place).where(Place.name == "Penginapan Sukamade")).kind == "lodging"
    refused = client.post("/rencana/tempat", data={"name": "X", "kind": "lodging", "lat": "50", "lon": "10"},
                          follow_redirects=True)
    assert "wilayah Indonesia" in refused.get_data(as_text=True)


def test_left_out_desa_are_explained_in_indonesian_most_important_first(world, login, make_plan):
    """The optimizer's structured reason (best day, position, added minutes) becomes an Indonesian sentence;
    its English detail, codes and ISO dates never reach the page."""
    from app.planning.models import PlanUnvisited

    plan = make_plan()
    plan.unvisited.clear()
    plan.unvisited.append(PlanUnvisited(
        desa_id=world.desa_b.id, reason="displaced", mandatory=False, best_day=date(2026, 12, 3), best_position=2,
        added_min=100.3, detail="Site '35.10.01.2002' fits alone but the plan's visits are worth more; its cheapest "
                              "insertion is on day '2026-12-03' at position 2, adding 100.3 minutes."))
    plan.unvisited.append(PlanUnvisited(desa_id=world.desa_a2.id, reason="unreachable", mandatory=True,
                                        detail="Site 'x' cannot be reached."))
    db.session.commit()
    page = login(world.users["planner"]).get(f"/rencana/{plan.id}").get_data(as_text=True)
    table = page.split('data-testid="unvisited"')[1].split("</table>")[0]
    assert "Kamis, 3 Desember 2026" in table and "kunjungan ke-2" in table and "menambah 100 menit" in table
    assert "tidak muat dalam jam kerja" in table
    assert "Site '" not in table and "2026-12-03" not in table and "cheapest" not in table
    assert table.index(world.desa_a2.name) < table.index(world.desa_b.name)  # the mandatory desa comes first


def test_a_refused_edit_is_answered_where_the_planner_clicked(world, login, make_plan):
    """The refusal appears in the section of the day whose row was clicked (announced as an alert), the page opens
    there, and nothing of it shows at the top of the page."""
    plan = make_plan(mode="berkantor")
    day_with, visit = next((d, d.visits[0]) for d in plan.days if d.visits)
    other = next(d for d in plan.days if d.visits and d.day != day_with.day)
    page = login(world.users["planner"])
    where = f"hari-{day_with.day.isoformat()}"
    response = page.post(f"/rencana/{plan.id}/kunjungan/{visit.id}/pindah",
                         data={"day": other.day.isoformat(), "where": where})
    assert response.status_code == 302 and response.location.endswith(f"#{where}")
    html = page.get(f"/rencana/{plan.id}").get_data(as_text=True)
    top, rest = html.split('id="jadwal"', 1)
    section = rest.split(f'id="{where}"', 1)[1].split("<h3", 1)[0]
    assert 'data-testid="edit-message"' in section and 'role="alert"' in section
    assert "batas per hari" in section or "tidak cukup waktu" in section
    assert "edit-message" not in top and "flash-error" not in top
    bad = page.post(f"/rencana/{plan.id}/kunjungan/{visit.id}/kunci", data={"locked": "1", "where": "<script>"})
    assert bad.location.endswith("#jadwal")  # an unexpected place falls back to the schedule


def test_the_plan_summary_speaks_the_planners_language(world, login, make_plan):
    from app.planning.queries import plan_summary

    plan = make_plan()
    summary = plan_summary(plan)
    visited = len({v.desa_id for d in plan.days for v in d.visits})
    assert summary.visited == visited and summary.candidates == len(plan.priorities)
    html = login(world.users["planner"]).get(f"/rencana/{plan.id}").get_data(as_text=True)
    sentence = html.split('data-testid="plan-summary">')[1].split("</p>")[0]
    assert f"Rencana ini mengunjungi {visited} dari {summary.candidates} desa/kelurahan calon" in sentence
    assert "desa termiskin" in sentence and "aspirasi melewati tenggat" in sentence and " jam." in sentence
    assert "Total prioritas" not in html


def test_the_calendar_names_the_holidays_days_off_and_blocked_days_of_the_horizon(world, login, make_plan):
    from app.aspirations.models import RegencyDayOff
    from app.planning.models import BlockedDate

    db.session.add(RegencyDayOff(regency_id=world.regency.id, day=date(2026, 12, 21), reason="Hari jadi uji"))
    db.session.add(BlockedDate(regency_id=world.regency.id, day=date(2026, 12, 22), reason="Rapat Paripurna DPRD"))
    db.session.commit()
    plan = make_plan(start=date(2026, 12, 21), end=date(2026, 12, 28))
    html = login(world.users["planner"]).get(f"/rencana/{plan.id}").get_data(as_text=True)
    notes = [n.split("<")[0] for n in html.split('data-testid="day-off-note">')[1:]]
    assert "Libur kabupaten: Hari jadi uji" in notes and "Agenda lain bupati: Rapat Paripurna DPRD" in notes
    assert "Kelahiran Yesus Kristus" in notes and "Kelahiran Yesus Kristus (cuti bersama)" in notes  # 25 and 24 Dec
