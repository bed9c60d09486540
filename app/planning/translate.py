"""The one place where database rows become an optimizer problem and a solution becomes rows again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

import optimizer
from app.aspirations.models import OPEN_STATUSES, Aspiration, AspirationService
from app.aspirations.queries import open_aspiration_weights
from app.extensions import db
from app.planning.calendar import planning_dates, settings_for
from app.planning.desa_availability import window_on, windows_of
from app.planning.models import DesaPlanning, Plan, PlanDay, PlanPriority, PlanUnvisited, PlanVisit
from app.planning.priority import PriorityInput, PriorityResult, compute_priorities
from app.planning.travel import travel_matrix
from app.regions.models import Desa, Place
from app.regions.poverty import poorest_by_desa
from app.visits.models import Visit

STABILITY_PENALTY = 5.0  # prize points lost per announced visit that moves to another day


@dataclass(frozen=True)
class Lodging:
    """An overnight tour: days in [first, last] start and/or end at a lodging place."""

    place_id: int
    first: date
    last: date


def priority_inputs(regency_id: int, as_of: date) -> list[PriorityInput]:
    """Read everything the priority needs, per desa of the regency that has a location."""
    weights = open_aspiration_weights(regency_id, as_of)
    services = dict(db.session.execute(
        select(Aspiration.desa_id, func.sum(AspirationService.quantity))
        .join(AspirationService, AspirationService.aspiration_id == Aspiration.id)
        .where(Aspiration.regency_id == regency_id, Aspiration.status.in_(OPEN_STATUSES))
        .group_by(Aspiration.desa_id)).all())
    done = ("selesai", "berlangsung", "dijadwalkan")
    last_visit = dict(db.session.execute(
        select(Visit.desa_id, func.max(Visit.day)).where(Visit.regency_id == regency_id, Visit.status.in_(done),
                                                         Visit.day <= as_of).group_by(Visit.desa_id)).all())
    visited_kecamatan = set(db.session.scalars(
        select(Desa.kecamatan_id).join(Visit, Visit.desa_id == Desa.id)
        .where(Visit.regency_id == regency_id, Visit.status.in_(done),
               Visit.day >= date(as_of.year, 1, 1), Visit.day <= as_of)))
    poorest = poorest_by_desa(regency_id)
    desa = db.session.scalars(select(Desa).where(Desa.regency_id == regency_id, Desa.lat.is_not(None))
                              .order_by(Desa.code))
    return [PriorityInput(d.id, d.households, d.poor_households, d.area_km2, weights.get(d.id, 0.0),
                          int(services.get(d.id) or 0), last_visit.get(d.id), d.kecamatan_id in visited_kecamatan,
                          poorest.get(d.id))
            for d in desa]


def compute_for_regency(regency_id: int, weights: dict[str, float], as_of: date) -> dict[int, PriorityResult]:
    settings = settings_for(regency_id)
    return compute_priorities(priority_inputs(regency_id, as_of), weights, as_of, settings.mandatory_after_months)


def _minutes(value: float) -> int:
    return round(value)


LONG_HORIZON_DAYS = 62  # plans longer than about two months front-load the most important desa
FRONT_LOADING = 0.3  # the share of its priority a desa loses when it waits until the plan's last day


def day_discount(start: date, end: date, n_days: int) -> float:
    """Over a long horizon earlier days are worth more: the optimizer loses ``FRONT_LOADING`` of a desa's priority
    from the first day to the last, so the poorest desa and those with overdue aspirations come first instead of
    anywhere in the year. Short plans keep 0: within a month the order of days is the planner's choice, and
    re-planning an announced month must not move visits for a small gain."""
    if (end - start).days + 1 <= LONG_HORIZON_DAYS or n_days < 2:
        return 0.0
    return FRONT_LOADING / (n_days - 1)


def build_problem(plan: Plan, priorities: dict[int, PriorityResult], *, lodging: Lodging | None = None,
                  locks: list[tuple[str, str, int | None]] = (), previous: dict[str, str] | None = None
                  ) -> optimizer.Problem:
    """The plan's horizon, places, candidate desa and constraints as an optimizer problem.

    Locks are (desa code, ISO date, position or None); `previous` maps desa code → announced ISO date.
    """
    settings = settings_for(plan.regency_id)
    dates = planning_dates(plan.regency_id, plan.start_date, plan.end_date, (plan.options or {}).get("weekdays"))
    places = {plan.start_place_id: db.session.get(Place, plan.start_place_id)}
    if lodging is not None:
        places[lodging.place_id] = db.session.get(Place, lodging.place_id)
    place_index = {pid: i for i, pid in enumerate(places)}
    locations = [optimizer.Location(f"place-{pid}", p.lat, p.lon) for pid, p in places.items()]
    overrides = {o.desa_id: o for o in db.session.scalars(select(DesaPlanning))}
    desa_rows = [d for d in db.session.scalars(select(Desa).where(Desa.id.in_(priorities)).order_by(Desa.code))]
    available = windows_of([d.id for d in desa_rows])
    sites = []
    for d in desa_rows:
        ov = overrides.get(d.id)
        default_min = settings.berkantor_min if plan.mode == "berkantor" else settings.kunjungan_min
        override_min = (ov.berkantor_min if plan.mode == "berkantor" else ov.kunjungan_min) if ov else None
        closed = frozenset(int(m) for m in (ov.closed_months or "").split(",") if m.strip().isdigit()) if ov \
            else frozenset()
        service_min = override_min or default_min
        windows: tuple[optimizer.Window, ...] = ()
        if d.id in available:  # only inside its windows: none on the plan's days (or too short) = not a candidate
            hours = [(k, window_on(available[d.id], day)) for k, day in enumerate(dates)]
            windows = tuple(optimizer.Window(k, h[0], h[1]) for k, h in hours if h and h[1] - h[0] >= service_min)
            if not windows:
                continue
        locations.append(optimizer.Location(d.code, d.lat, d.lon))
        result = priorities[d.id]
        sites.append(optimizer.Site(
            id=d.code, location=len(locations) - 1, prize=max(result.score, 0.01),
            service_min=service_min, mandatory=result.mandatory, group=d.kecamatan.code,
            extra_travel_min=float(ov.extra_travel_min) if ov else 0.0, closed_months=closed, windows=windows))
    home = place_index[plan.start_place_id]
    lodge = place_index.get(lodging.place_id) if lodging else None
    max_visits = settings.berkantor_max_visits if plan.mode == "berkantor" else settings.kunjungan_max_visits
    days = []
    for day in dates:
        start_loc = end_loc = home
        if lodging is not None and lodging.first <= day <= lodging.last:
            start_loc = home if day == lodging.first else lodge
            end_loc = home if day == lodging.last else lodge
        breaks = ()
        if day.weekday() == 4 and settings.friday_break_start_min is not None:
            breaks = (optimizer.Break(settings.friday_break_start_min, settings.friday_break_end_min),)
        elif settings.lunch_minutes:  # the Friday prayer break takes the lunch's place
            breaks = (optimizer.Break(settings.lunch_start_min, settings.lunch_end_min,
                                      duration_min=settings.lunch_minutes),)
        days.append(optimizer.Day(id=day.isoformat(), start_location=start_loc, end_location=end_loc,
                                  start_min=settings.day_start_min, end_min=settings.day_end_min,
                                  max_visits=max_visits, breaks=breaks, date=day.isoformat()))
    matrix = travel_matrix(plan.regency_id, locations)
    travel = matrix.minutes
    plan.travel_model, plan.travel_overrides = matrix.model, matrix.overrides  # run_plan stores them with the problem
    day_ids = {d.id for d in days}
    site_ids = {s.id for s in sites}
    lock_rows = tuple(optimizer.Lock(site=s, day=dy, position=p) for s, dy, p in locks
                      if s in site_ids and dy in day_ids)
    prev = None
    if previous:
        kept = tuple((s, dy) for s, dy in previous.items() if s in site_ids and dy in day_ids)  # visit order
        if kept:
            prev = optimizer.PreviousPlan(assignments=kept, penalty=STABILITY_PENALTY)
    return optimizer.Problem(locations=tuple(locations), travel_min=tuple(tuple(r) for r in travel),
                             sites=tuple(sites), days=tuple(days), locks=lock_rows, previous=prev,
                             name=f"plan-{plan.id}", day_discount=day_discount(plan.start_date, plan.end_date,
                                                                              len(days)))


def problem_digest(problem: optimizer.Problem) -> str:
    """A hash of the solver input: the same hash means the same data, weights and calendar."""
    snapshot = {k: v for k, v in problem_snapshot(problem).items() if k != "name"}  # the name carries the plan id
    payload = json.dumps(snapshot, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def problem_snapshot(problem: optimizer.Problem) -> dict:
    """The problem as plain JSON (the optimizer's own format, every field), stored with the plan to reproduce it."""
    return optimizer.problem_to_dict(problem)


def load_problem(plan: Plan) -> optimizer.Problem:
    """The exact problem the plan was solved on (stored with it), for edits and reproduction."""
    if not plan.problem:
        from app.core.errors import DomainError

        raise DomainError("Rencana ini tidak menyimpan data penyusunannya; susun ulang rencana untuk mengubahnya.")
    return optimizer.problem_from_dict(plan.problem)


def store_solution(plan: Plan, problem: optimizer.Problem, solution: optimizer.Solution,
                   priorities: dict[int, PriorityResult], *, keep_locks: set[tuple[str, str]] = frozenset(),
                   excluded: set[int] = frozenset()) -> None:
    """Replace the plan's days, visits, leftovers and priority snapshot with the solution (flushes only)."""
    desa_by_code = {d.code: d for d in db.session.scalars(select(Desa).where(Desa.id.in_(priorities)))}
    place_by_loc = {i: int(loc.id.removeprefix("place-")) for i, loc in enumerate(problem.locations)
                    if loc.id.startswith("place-")}
    plan.days.clear()
    plan.unvisited.clear()
    plan.priorities.clear()
    db.session.flush()
    routes = {r.day: r for r in solution.routes}
    for d in problem.days:
        route = routes.get(d.id)
        day = PlanDay(day=date.fromisoformat(d.id), start_place_id=place_by_loc[d.start_location],
                      end_place_id=place_by_loc[d.end_location], start_min=_minutes(d.start_min),
                      end_min=_minutes(d.end_min), max_visits=d.max_visits,
                      return_min=route.return_min if route and route.visits else None)
        visits = route.visits if route else ()
        timed = optimizer.time_day(problem, d.id, [v.site for v in visits]) if visits else None
        previous_end = d.start_min
        for position, v in enumerate(visits):
            # the leg's own travel; without a re-timing (cannot happen for a checked solution) the gap stands in
            travel = timed.legs[position] if timed else max(v.arrive_min - previous_end, 0.0)
            day.visits.append(PlanVisit(desa_id=desa_by_code[v.site].id, position=position,
                                        arrive_min=v.arrive_min, start_min=v.start_min, end_min=v.end_min,
                                        travel_min=travel, locked=(v.site, d.id) in keep_locks))
            previous_end = v.end_min
        plan.days.append(day)
    in_problem = {s.id for s in problem.sites}
    for code, desa in desa_by_code.items():  # excluded by the planner, or availability windows miss every day
        if code not in in_problem:
            plan.unvisited.append(PlanUnvisited(desa_id=desa.id, reason="excluded" if desa.id in excluded
                                                else "no_window", mandatory=priorities[desa.id].mandatory))
    for u in solution.unvisited:
        plan.unvisited.append(PlanUnvisited(
            desa_id=desa_by_code[u.site].id, reason=u.reason, detail=u.detail or None, mandatory=u.mandatory,
            best_day=date.fromisoformat(u.day) if u.day else None, best_position=u.position,
            added_min=None if u.added_min is None else round(u.added_min, 1)))
    for desa_id, result in priorities.items():
        plan.priorities.append(PlanPriority(desa_id=desa_id, score=result.score, components=result.components,
                                            mandatory=result.mandatory))
    plan.total_priority = round(solution.total_prize, 4)
    plan.total_travel_min = round(solution.total_travel_min, 2)
