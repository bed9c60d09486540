"""Planning services on a real database: translation, runs, priorities, edits, publication, stability."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.aspirations import services as aspiration_services
from app.core.errors import DomainError, FieldErrors
from app.extensions import db
from app.planning import edits, services, translate
from app.planning.calendar import planning_dates
from app.planning.models import BlockedDate, DesaPlanning, Plan, PlanVisit
from app.planning.priority import PriorityInput, compute_priorities
from app.regions.models import Place
from app.visits.models import Visit


def _visits(plan: Plan) -> dict[str, date]:
    return {v.desa.code: d.day for d in plan.days for v in d.visits}


def test_calendar_skips_weekends_holidays_cuti_bersama_and_blocked_dates(world):
    db.session.add(BlockedDate(regency_id=world.regency.id, day=date(2026, 12, 22), reason="Rapat Paripurna DPRD"))
    db.session.commit()
    days = planning_dates(world.regency.id, date(2026, 12, 21), date(2026, 12, 31))
    assert days == [date(2026, 12, 21), date(2026, 12, 23), date(2026, 12, 28), date(2026, 12, 29),
                    date(2026, 12, 30), date(2026, 12, 31)]  # 24 cuti bersama, 25 Natal, weekends, 22 blocked


def test_run_stores_days_visits_leftovers_priorities_and_inputs(world, make_plan):
    plan = make_plan()
    assert plan.status == "done" and plan.progress == 1.0
    assert [d.day for d in plan.days] == [date(2026, 12, d) for d in (1, 2, 3, 4)]
    assert set(_visits(plan)) == {world.desa_a.code, world.desa_a2.code, world.desa_b.code}
    assert world.desa_x.code not in _visits(plan)  # another regency is never a candidate
    assert len(plan.priorities) == 3 and plan.data_hash and plan.problem["days"][0]["id"] == "2026-12-01"
    assert plan.weights == services.current_weights(world.regency.id).as_dict()
    for day in plan.days:
        for before, after in zip(day.visits, day.visits[1:], strict=False):
            assert before.end_min <= after.arrive_min
        for v in day.visits:
            assert day.start_min <= v.arrive_min <= v.start_min < v.end_min <= day.end_min


def test_same_inputs_give_the_same_data_hash_and_plan(world, make_plan):
    first, second = make_plan(), make_plan()
    assert first.data_hash == second.data_hash
    assert _visits(first) == _visits(second)


def test_berkantor_mode_places_at_most_one_long_stay_per_day(world, make_plan):
    plan = make_plan(mode="berkantor")
    assert all(len(d.visits) <= 1 for d in plan.days)
    assert all(v.end_min - v.start_min == 300 for d in plan.days for v in d.visits)


def test_friday_prayer_break_is_respected(world, make_plan):
    plan = make_plan(start=date(2026, 12, 4), end=date(2026, 12, 4))  # a Friday
    for v in plan.days[0].visits:
        assert v.end_min <= 11 * 60 + 30 or v.start_min >= 13 * 60


def test_lodging_tour_days_start_and_end_at_the_lodging(world, make_plan):
    lodge = Place(regency_id=world.regency.id, name="Penginapan Genteng", kind="lodging", lat=-8.35, lon=114.15)
    db.session.add(lodge)
    db.session.commit()
    plan = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 4), lodging_place_id=lodge.id,
                     lodging_first=date(2026, 12, 2), lodging_last=date(2026, 12, 3))
    ends = {d.day: (d.start_place_id, d.end_place_id) for d in plan.days}
    office, inn = world.office.id, lodge.id
    assert ends[date(2026, 12, 1)] == (office, office)
    assert ends[date(2026, 12, 2)] == (office, inn)
    assert ends[date(2026, 12, 3)] == (inn, office)


@pytest.mark.parametrize("change, field", [
    ({"end": date(2026, 11, 30)}, "end"),
    ({"end": date(2027, 12, 31)}, "end"),
    ({"start": date(2026, 12, 26), "end": date(2026, 12, 27)}, "start"),  # a weekend only
    ({"mode": "wisata"}, "mode"),
    ({"time_limit_s": 2}, "time_limit_s"),
])
def test_invalid_plan_inputs_are_refused_per_field(world, change, field):
    data = {"start": date(2026, 12, 1), "end": date(2026, 12, 4), "mode": "kunjungan",
            "start_place_id": world.office.id, "time_limit_s": 5, **change}
    with pytest.raises(FieldErrors) as err:
        services.create_plan(world.users["planner"], services.PlanInput(**data))
    assert field in err.value.errors
    assert db.session.scalar(select(func.count(Plan.id))) == 0


def test_priority_components_and_mandatory_after_24_months():
    rows = [
        PriorityInput(1, 100, 40, 10.0, 6.0, 50, None, False),
        PriorityInput(2, 100, 10, None, 0.0, 0, date(2024, 1, 10), True),
        PriorityInput(3, 100, 20, 20.0, 3.0, 25, date(2026, 6, 1), True),
    ]
    weights = {"aspirations": 1, "poverty": 1, "since_visit": 1, "services": 1, "coverage": 1}
    out = compute_priorities(rows, weights, date(2026, 12, 1), 24)
    assert out[1].components == {"aspirations": 1.0, "poverty": 1.0, "since_visit": 1.0, "services": 1.0,
                                 "coverage": 1.0}
    assert out[1].score == 100.0 and not out[1].mandatory  # never visited: maximal, not forced
    assert out[2].mandatory and out[2].components["since_visit"] == 1.0
    assert out[2].components["poverty"] == pytest.approx(0.25)  # share only (no area)
    assert not out[3].mandatory and out[1].score > out[3].score > 0


def test_open_aspirations_raise_a_desa_priority(world, make_plan):
    aspiration_services.submit_aspiration(world.users["planner"], aspiration_services.AspirationInput(
        desa_code=world.desa_a2.code, category="kesehatan", title="Posyandu tanpa bidan",
        description="Posyandu dusun tidak punya bidan tetap.", urgency="darurat",
        services=[("imunisasi", 60)]))
    plan = make_plan()
    scores = {p.desa_id: p for p in plan.priorities}
    assert scores[world.desa_a2.id].components["aspirations"] == 1.0
    assert scores[world.desa_a2.id].score > scores[world.desa_b.id].score


def test_a_desa_last_visited_long_ago_is_mandatory(world, make_plan):
    db.session.add(Visit(regency_id=world.regency.id, desa_id=world.desa_b.id, day=date(2024, 1, 15),
                         status="selesai"))
    db.session.commit()
    plan = make_plan()
    assert {p.desa_id for p in plan.priorities if p.mandatory} == {world.desa_b.id}
    assert world.desa_b.code in _visits(plan)


def test_extra_travel_and_closed_months_from_desa_settings(world, make_plan):
    db.session.add(DesaPlanning(desa_id=world.desa_b.id, closed_months="12"))
    db.session.commit()
    plan = make_plan()
    assert world.desa_b.code not in _visits(plan)
    assert {(u.desa.code, u.reason) for u in plan.unvisited} == {(world.desa_b.code, "closed")}


# --- edits ------------------------------------------------------------------------------------------------------

def _visit(plan: Plan, code: str) -> PlanVisit:
    return next(v for d in plan.days for v in d.visits if v.desa.code == code)


def test_move_to_another_day_recomputes_times(world, make_plan):
    plan = make_plan()
    visit = _visit(plan, world.desa_b.code)
    target = next(d.day for d in plan.days if not d.visits)
    edits.move_visit(world.users["planner"], plan, visit.id, target)
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    assert _visits(plan)[world.desa_b.code] == target
    moved = _visit(plan, world.desa_b.code)
    assert moved.arrive_min > plan.days[0].start_min and moved.end_min - moved.start_min == pytest.approx(90)


def test_an_edit_that_breaks_a_day_is_refused_with_a_clear_message(world, make_plan):
    plan = make_plan(mode="berkantor")
    day_with, visit = next((d, d.visits[0]) for d in plan.days if d.visits)
    other = next(d for d in plan.days if d.visits and d.day != day_with.day)
    with pytest.raises(DomainError, match=r"batas per hari|tidak cukup waktu"):
        edits.move_visit(world.users["planner"], plan, visit.id, other.day)
    db.session.expire_all()
    assert _visits(db.session.get(Plan, plan.id))[visit.desa.code] == day_with.day


def test_remove_then_add_back_and_lock(world, make_plan):
    plan = make_plan()
    visit = _visit(plan, world.desa_a.code)
    edits.remove_visit(world.users["planner"], plan, visit.id)
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    assert world.desa_a.code not in _visits(plan)
    assert any(u.desa.code == world.desa_a.code and u.reason == "manual" for u in plan.unvisited)
    edits.add_visit(world.users["planner"], plan, world.desa_a.code, date(2026, 12, 3))
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    assert _visits(plan)[world.desa_a.code] == date(2026, 12, 3)
    assert all(u.desa.code != world.desa_a.code for u in plan.unvisited)
    edits.set_lock(world.users["planner"], plan, _visit(plan, world.desa_a.code).id, True)
    db.session.expire_all()
    assert _visit(db.session.get(Plan, plan.id), world.desa_a.code).locked


def test_reoptimise_keeps_locked_visits_on_their_day(world, make_plan):
    plan = make_plan()
    visit = _visit(plan, world.desa_b.code)
    target = date(2026, 12, 4)
    edits.move_visit(world.users["planner"], plan, visit.id, target)
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    edits.set_lock(world.users["planner"], plan, _visit(plan, world.desa_b.code).id, True)
    again = services.reoptimise(world.users["planner"], db.session.get(Plan, plan.id))
    again = services.run_plan(again.id)
    assert again.status == "done" and again.base_plan_id == plan.id
    assert _visits(again)[world.desa_b.code] == target
    assert _visit(again, world.desa_b.code).locked


# --- publication ------------------------------------------------------------------------------------------------

def test_publish_creates_scheduled_visits_and_the_kepala_desa_sees_the_date(world, make_plan):
    plan = make_plan()
    preview = services.publish(world.users["planner"], plan)
    assert len(preview.new) == 3 and not preview.moved and not preview.cancelled
    visits = {v.desa_id: v for v in db.session.scalars(select(Visit))}
    assert visits[world.desa_a.id].status == "dijadwalkan" and visits[world.desa_a.id].plan_id == plan.id
    assert services.next_visit(world.desa_a.id, as_of=date(2026, 11, 28)).day == _visits(plan)[world.desa_a.code]
    with pytest.raises(DomainError):
        services.publish(world.users["planner"], plan)  # only once


def test_replanning_after_publication_keeps_announced_dates_and_lists_the_affected(world, make_plan):
    first = make_plan()
    services.publish(world.users["planner"], first)
    announced = _visits(first)
    second = make_plan()
    assert second.problem["previous"] is not None
    assert _visits(second) == announced  # stability penalty: nothing moves without a reason
    db.session.add(BlockedDate(regency_id=world.regency.id, day=announced[world.desa_b.code],
                               reason="Kunjungan kerja gubernur"))
    db.session.commit()
    third = make_plan()
    preview = services.publish_preview(third)
    affected = {c.desa_code for c in preview.affected}
    assert world.desa_b.code in affected
    services.publish(world.users["planner"], third)
    visit_b = db.session.scalar(select(Visit).where(Visit.desa_id == world.desa_b.id, Visit.status == "dijadwalkan"))
    assert visit_b is None or visit_b.day != announced[world.desa_b.code]


def test_an_open_aspiration_goes_on_the_visit_agenda(world, make_plan):
    item = aspiration_services.submit_aspiration(world.users["kepala_desa"], aspiration_services.AspirationInput(
        desa_code=world.desa_a.code, category="adminduk", title="Perekaman KTP-el lansia",
        description="Lansia belum merekam KTP-el.", urgency="tinggi"))
    services.publish(world.users["planner"], make_plan())
    visit = services.next_visit(world.desa_a.id, as_of=date(2026, 11, 28))
    services.add_to_agenda(world.users["planner"], item, visit)
    services.add_to_agenda(world.users["planner"], item, visit)  # twice is once
    db.session.expire_all()
    assert [a.aspiration.reference for a in db.session.get(Visit, visit.id).agenda] == [item.reference]


def test_cancel_a_queued_plan_and_a_failed_plan_without_locations(world, make_plan):
    queued = make_plan(run=False)
    services.cancel_plan(world.users["planner"], queued)
    db.session.expire_all()
    assert db.session.get(Plan, queued.id).status == "cancelled"
    assert services.run_plan(queued.id).status == "cancelled"  # a cancelled plan is never run
    for desa in (world.desa_a, world.desa_a2, world.desa_b):
        desa.lat = desa.lon = None
    db.session.commit()
    failed = make_plan()
    assert failed.status == "failed" and "Impor lokasi" in failed.message


def test_weights_are_versioned_and_plans_keep_theirs(world, make_plan):
    first = make_plan()
    v2 = services.save_weights(world.users["planner"], {"aspirations": 0, "poverty": 1, "since_visit": 0,
                                                         "services": 0, "coverage": 0})
    assert v2.version == 2
    second = make_plan()
    assert first.weights["aspirations"] == 0.35 and second.weights == v2.as_dict()
    with pytest.raises(DomainError):
        services.save_weights(world.users["planner"], {"aspirations": -1, "poverty": 1, "since_visit": 0,
                                                        "services": 0, "coverage": 0})


def test_problem_snapshot_reproduces_with_the_optimizer_cli_format(world, make_plan):
    import optimizer

    plan = make_plan()
    problem = translate.load_problem(plan)
    solution = optimizer.solve(problem, optimizer.SolveParams(time_limit_s=5, seed=plan.seed))
    assert optimizer.check_solution(problem, solution) == []
    assert {v.site for r in solution.routes for v in r.visits} == set(_visits(plan))


def test_replanning_a_published_horizon_with_unchanged_data_keeps_every_announced_visit(world, make_plan):
    """The announced visits go to the optimizer in visit order as its starting plan; nothing changed, so the new
    plan neither moves nor cancels any of them."""
    first = make_plan()
    services.publish(world.users["planner"], first)
    again = make_plan()
    preview = services.publish_preview(again)
    assert preview.moved == [] and preview.cancelled == []
    assert len(preview.unchanged) == sum(len(d.visits) for d in first.days) > 0
    assert again.problem["previous"]["routes"]  # the previous plan really went in


def test_reoptimise_keeps_the_day_and_the_order_of_locked_visits(world, make_plan):
    """Two locked visits of a day keep that day and their order (they open the day); the LNS fills the rest."""
    plan = make_plan(mode="kunjungan")
    visits = [v for d in plan.days for v in d.visits]
    first, second = visits[0], visits[1]
    if second.plan_day.day != first.plan_day.day:  # gather two visits on one day
        edits.move_visit(world.users["planner"], plan, second.id, first.plan_day.day)
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    day = next(d for d in plan.days if len(d.visits) >= 2)
    order = [v.desa.code for v in day.visits][:2]
    for code in order:
        edits.set_lock(world.users["planner"], plan, _visit(plan, code).id, True)
    again = services.run_plan(services.reoptimise(world.users["planner"], db.session.get(Plan, plan.id)).id)
    assert again.status == "done"
    same_day = [v.desa.code for d in again.days if d.day == day.day for v in d.visits]
    assert same_day[:2] == order  # same day, same order, opening the day
    assert [lk["position"] for lk in again.problem["locks"]] == [1, 2]
