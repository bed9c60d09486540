"""The readable plan page: itineraries with legs and breaks, week maps with numbered named stops, and edits of a
published plan that show what changes for which desa before anything is saved."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.extensions import db
from app.planning import edits, itinerary, services
from app.planning.models import Plan
from app.visits.models import Visit


def _visits(plan) -> dict[str, date]:
    return {v.desa.code: d.day for d in plan.days for v in d.visits}


def _visit(plan, code):
    return next(v for d in plan.days for v in d.visits if v.desa.code == code)


def test_a_friday_itinerary_departs_travels_prays_visits_and_returns(world, make_plan):
    plan = make_plan(start=date(2026, 12, 4), end=date(2026, 12, 4))  # a Friday: prayer 11.30-13.00
    day = plan.days[0]
    lines = itinerary.day_lines(plan, day)
    kinds = [line.kind for line in lines]
    assert kinds[0] == "depart" and kinds[-1] == "return" and kinds[1] == "travel"
    assert [line.visit.desa.code for line in lines if line.kind == "visit"] == [v.desa.code for v in day.visits]
    assert [line.number for line in lines if line.kind == "visit"] == list(range(1, len(day.visits) + 1))
    travel = sum(line.minutes for line in lines if line.kind == "travel")
    assert travel == pytest.approx(sum(v.travel_min for v in day.visits) + _return_leg(lines))
    assert kinds.count("travel") == len(day.visits) + 1  # every leg, the way home included
    if day.return_min > 11 * 60 + 30:  # the day reaches into the prayer: it is a line of its own
        prayer = [line for line in lines if line.kind == "break"]
        assert [(p.start_min, p.end_min, p.what) for p in prayer] == [(690, 780, "friday_prayer")]
    # stored times are the itinerary's times
    assert [(line.start_min, line.end_min) for line in lines if line.kind == "visit"] == \
        [pytest.approx((v.start_min, v.end_min)) for v in day.visits]


def _return_leg(lines) -> float:
    legs = [line.minutes for line in lines if line.kind == "travel"]
    return legs[-1]


def test_plan_page_shows_itinerary_lines_and_a_week_map_with_numbered_named_stops(world, login, make_plan):
    plan = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 11))  # two weeks
    client = login(world.users["planner"])
    html = client.get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert 'data-line="depart"' in html and 'data-line="travel"' in html and 'data-line="return"' in html
    assert "Berangkat dari Pendopo" in html and "Tiba kembali di Pendopo" in html
    weeks = re.findall(r'class="week-tab[^"]*"\s+data-week="([\d-]+)"', html)
    assert weeks == ["2026-11-30", "2026-12-07"]
    first_day = min(d.day for d in plan.days if d.visits)
    svg = html[html.index('data-testid="plan-map"'):]
    svg = svg[svg.index("<svg"):svg.index("</svg>")]
    numbers = re.findall(r'data-number="(\d+)"', svg)
    shown = [v for d in plan.days if d.day - timedelta(days=d.day.weekday()) == date(2026, 11, 30) for v in d.visits]
    assert len(numbers) == len(shown) and "1" in numbers
    assert all(v.desa.name in svg for v in shown[:1])  # names beside the stops
    assert "Pendopo" in svg and "<rect" in svg  # the start place as a labelled square, also in the legend
    colours = set(re.findall(r'data-layer="route"[^>]*stroke="(#[0-9a-f]{6})"', svg))
    assert 1 <= len(colours) <= 7
    assert first_day.strftime("%d") not in ("",)  # the page opened on the first week with visits
    # the other week on the map
    other = client.get(f"/rencana/{plan.id}?peta=2026-12-07").get_data(as_text=True)
    assert 'aria-current="true"' in other and 'data-week="2026-12-07" aria-current="true"' in other
    # ISO dates never show as text: only in attributes and links
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)


def test_day_page_itinerary_has_departure_legs_and_return(world, login, make_plan):
    plan = make_plan(start=date(2026, 12, 4), end=date(2026, 12, 4))
    client = login(world.users["planner"])
    html = client.get(f"/rencana/{plan.id}/hari/2026-12-04").get_data(as_text=True)
    assert 'data-line="depart"' in html and 'data-line="return"' in html and "perjalanan ±" in html
    assert 'data-number="1"' in html


# --- editing a published plan ------------------------------------------------------------------------------------

@pytest.fixture
def published(world, make_plan, clock):
    clock.set(date(2026, 11, 27))  # a Friday before the plan's first day: every announced day lies ahead
    plan = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 4))
    services.publish(world.users["planner"], plan)
    return plan


def _announced() -> dict[int, Visit]:
    return {v.desa_id: v for v in db.session.scalars(select(Visit).where(Visit.status == "dijadwalkan"))}


def test_preview_of_a_published_edit_lists_the_changes_and_writes_nothing(world, published):
    plan = published
    code = world.desa_a.code
    visit = _visit(plan, code)
    target = next(d.day for d in plan.days if d.day != visit.plan_day.day)
    before = {k: (v.day, v.planned_start_min) for k, v in _announced().items()}
    preview = edits.preview_edit(world.users["planner"], plan, edits.Edit("move", visit_id=visit.id, day=target))
    assert preview.published and preview.main.desa_code == code and preview.main.kind == "moved"
    assert preview.main.old_day == visit.plan_day.day and preview.main.new_day == target
    db.session.expire_all()
    assert {k: (v.day, v.planned_start_min) for k, v in _announced().items()} == before
    assert _visits(db.session.get(Plan, plan.id))[code] == visit.plan_day.day


def test_saving_a_published_edit_moves_the_announced_visit(world, published):
    plan = published
    visit = _visit(plan, world.desa_b.code)
    target = next(d.day for d in plan.days if d.day != visit.plan_day.day)
    result = edits.apply_edit(world.users["planner"], plan, edits.Edit("move", visit_id=visit.id, day=target))
    assert result.published
    db.session.expire_all()
    announced = _announced()[world.desa_b.id]
    assert announced.day == target and announced.plan_id == plan.id
    moved = _visit(db.session.get(Plan, plan.id), world.desa_b.code)
    assert announced.planned_start_min == round(moved.start_min)
    # removing cancels the announcement, with the reason
    edits.apply_edit(world.users["planner"], db.session.get(Plan, plan.id),
                     edits.Edit("remove", visit_id=moved.id))
    db.session.expire_all()
    cancelled = db.session.scalar(select(Visit).where(Visit.desa_id == world.desa_b.id))
    assert cancelled.status == "dibatalkan" and "oleh perencana" in cancelled.status_reason


def test_a_published_day_that_has_come_cannot_be_changed(world, published, clock):
    plan = published
    visit = _visit(plan, world.desa_a.code)
    clock.set(visit.plan_day.day)
    with pytest.raises(DomainError) as err:
        edits.preview_edit(world.users["planner"], plan, edits.Edit("remove", visit_id=visit.id))
    assert "tidak dapat diubah" in err.value.message


def test_web_edit_of_a_published_plan_shows_the_preview_then_saves_on_confirmation(world, login, published):
    plan = published
    client = login(world.users["planner"])
    visit = _visit(plan, world.desa_a.code)
    target = next(d.day for d in plan.days if d.day != visit.plan_day.day)
    where = f"hari-{visit.plan_day.day.isoformat()}"
    form = {"day": target.isoformat(), "where": where}
    response = client.post(f"/rencana/{plan.id}/kunjungan/{visit.id}/pindah", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="edit-preview"' in html
    assert f'data-desa="{world.desa_a.code}" data-change="moved"' in html and world.desa_a.name in html
    assert 'name="confirm" value="1"' in html
    db.session.expire_all()
    assert _announced()[world.desa_a.id].day == visit.plan_day.day  # nothing saved yet
    response = client.post(f"/rencana/{plan.id}/kunjungan/{visit.id}/pindah", data={**form, "confirm": "1"})
    assert response.status_code == 302 and "#hari-" in response.headers["Location"]
    db.session.expire_all()
    assert _announced()[world.desa_a.id].day == target
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "jadwal yang diumumkan ikut berubah" in page


def test_week_map_draws_the_kecamatan_boundaries_when_they_are_loaded(world, login, make_plan):
    plan = make_plan()
    client = login(world.users["planner"])
    without = client.get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert 'data-layer="areas"' not in without
    ring = [[114.10, -8.40], [114.20, -8.40], [114.20, -8.30], [114.10, -8.30], [114.10, -8.40]]
    world.kec_a.boundary = {"type": "Polygon", "coordinates": [ring]}
    db.session.commit()
    html = client.get(f"/rencana/{plan.id}").get_data(as_text=True)
    svg = html[html.index('data-testid="plan-map"'):]
    assert 'data-layer="areas"' in svg[:svg.index("</svg>")] and world.kec_a.name in svg


def test_leftovers_show_their_rank_and_a_cancelled_announcement_says_why(world, login, make_plan, clock):
    clock.set(date(2026, 11, 27))
    first = make_plan()
    services.publish(world.users["planner"], first)
    again = make_plan(exclude=(world.desa_b.code,))
    html = login(world.users["planner"]).get(f"/rencana/{again.id}").get_data(as_text=True)
    cancelled = html[html.index(f'data-cancelled="{world.desa_b.code}"'):]
    assert "Dikecualikan dari rencana ini oleh perencana." in cancelled[:cancelled.index("</li>")]
    ranks = {p.desa_id: p.score for p in again.priorities}
    expected = sorted(ranks, key=lambda i: -ranks[i]).index(world.desa_b.id) + 1
    row = html[html.index(f'data-unvisited="{world.desa_b.code}"'):]
    assert re.search(r'data-testid="rank">(\d+)', row).group(1) == str(expected)


def test_plan_page_does_not_query_per_visit_or_leftover(world, login, make_plan):
    web = login(world.users["planner"])
    short = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 1), mode="berkantor")  # one visit, two left out
    longer = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 2), mode="berkantor")  # two visits, one out
    assert sum(len(d.visits) for d in longer.days) > sum(len(d.visits) for d in short.days)
    from tests.app.test_query_counts import statements_of

    few = statements_of(lambda: web.get(f"/rencana/{short.id}"))
    many = statements_of(lambda: web.get(f"/rencana/{longer.id}"))
    assert many == few and many <= 25, (few, many)
