"""Coverage: which desa the programme has reached, which never, and when the last one will be at this pace."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.planning.coverage import coverage
from app.visits.models import Visit


def _visits(world) -> None:
    db.session.add_all([
        Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2027, 3, 1), status="selesai"),
        Visit(regency_id=world.regency.id, desa_id=world.desa_a2.id, day=date(2027, 7, 9), status="dijadwalkan"),
        Visit(regency_id=world.regency.id, desa_id=world.desa_b.id, day=date(2027, 5, 3), status="dibatalkan"),
    ])
    db.session.commit()


def test_coverage_counts_held_visits_and_projects_the_last_desa_at_the_current_pace(world, clock):
    clock.set(date(2027, 6, 15))
    _visits(world)
    cov = coverage(world.regency.id)
    # a held visit counts, a scheduled or cancelled one does not; the other regency's desa are not counted
    assert cov.desa_total == 3 and cov.visited_ever == 1
    assert cov.never_visited == sorted([world.desa_a2.code, world.desa_b.code])
    # one desa reached for the first time in twelve months: 1/12 a month; a2 is scheduled for July, so one desa
    # is left after 9 July 2027 and takes twelve months at that pace
    assert cov.pace_per_month == round(1 / 12, 2) and cov.scheduled_first == 1
    assert cov.as_json()["projected_complete"] == "2028-07"
    clock.set(date(2028, 6, 15))  # a year later with no new first visit: no pace, no projection
    assert coverage(world.regency.id).projected_complete is None


def test_coverage_api_page_and_who_may_read_them(world, clock, token, client, login):
    clock.set(date(2027, 6, 15))
    _visits(world)
    body = client.get("/api/v1/coverage", headers=token(world.users["dprd"])).get_json()
    assert set(body) == {"desa_total", "visited_ever", "never_visited", "poorest_fifth",
                         "overdue_aspirations_desa", "projected_complete"}
    assert body["visited_ever"] == 1 and body["projected_complete"] == "2028-07"
    assert set(body["poorest_fifth"]) == {"total", "visited"}
    assert client.get("/api/v1/coverage", headers=token(world.users["kepala_desa"])).status_code == 403
    html = login(world.users["planner"]).get("/laporan/cakupan").get_data(as_text=True)
    assert 'data-testid="coverage"' in html and "Juli 2028" in html and world.desa_b.name in html
    assert "2028-07" not in html


def test_the_dprd_report_carries_the_programmes_reach(world, clock):
    from app.reports.builders import dprd_report

    clock.set(date(2027, 6, 15))
    _visits(world)
    report = dprd_report(world.regency.id, date(2027, 1, 1), date(2027, 6, 30), None, generated_on=date(2027, 6, 15),
                         as_of=date(2027, 6, 15))
    kpi = next(k for k in report.kpis if k.key == "coverage_ever")
    assert kpi.value == 1 and "dari 3" in kpi.note and "Juli 2028" in kpi.note
    scoped = dprd_report(world.regency.id, date(2027, 1, 1), date(2027, 6, 30), [world.kec_a.code],
                         generated_on=date(2027, 6, 15), as_of=date(2027, 6, 15))
    assert all(k.key != "coverage_ever" for k in scoped.kpis)  # a kecamatan report has no regency-wide reach
