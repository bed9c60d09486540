"""Reads for planning pages: plans of the actor's regency, month grids, maps, the diff against announcements."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, select

from app.core.errors import NotFound
from app.extensions import db
from app.planning.models import BlockedDate, Plan, PlanDay
from app.regions.models import Desa, Kecamatan, Place

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def list_plans(actor: Any, limit: int = 50) -> list[Plan]:
    return list(db.session.scalars(select(Plan).where(Plan.regency_id == actor.regency_id)
                                   .order_by(Plan.id.desc()).limit(limit)))


def get_plan(actor: Any, plan_id: int) -> Plan:
    """:raise NotFound: unknown or another regency's plan."""
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.regency_id != actor.regency_id:
        raise NotFound("Rencana tidak ditemukan.")
    return plan


def get_plan_for_page(actor: Any, plan_id: int) -> Plan:
    """The plan with everything its page shows loaded in a handful of queries (days, visits with their desa and
    kecamatan, places, leftovers, priorities) instead of one query per row.

    :raise NotFound: unknown or another regency's plan.
    """
    from sqlalchemy.orm import joinedload, selectinload

    from app.planning.models import PlanUnvisited, PlanVisit

    desa = (selectinload(PlanVisit.desa).joinedload(Desa.kecamatan))
    plan = db.session.scalar(select(Plan).where(Plan.id == plan_id).options(
        joinedload(Plan.start_place),
        selectinload(Plan.days).options(joinedload(PlanDay.start_place), joinedload(PlanDay.end_place),
                                        selectinload(PlanDay.visits).options(desa)),
        selectinload(Plan.unvisited).selectinload(PlanUnvisited.desa).joinedload(Desa.kecamatan),
        selectinload(Plan.priorities)).execution_options(populate_existing=True))
    if plan is None or plan.regency_id != actor.regency_id:
        raise NotFound("Rencana tidak ditemukan.")
    return plan


def places(actor: Any) -> list[Place]:
    office_first = case((Place.kind == "office", 0), else_=1)
    return list(db.session.scalars(select(Place).where(Place.regency_id == actor.regency_id)
                                   .order_by(office_first, Place.name)))


def blocked_dates(actor: Any) -> list[BlockedDate]:
    return list(db.session.scalars(select(BlockedDate).where(BlockedDate.regency_id == actor.regency_id)
                                   .order_by(BlockedDate.day)))


def desa_settings(desa_id: int):
    """The desa's planning overrides, or None."""
    from app.planning.models import DesaPlanning

    return db.session.scalar(select(DesaPlanning).where(DesaPlanning.desa_id == desa_id))


def hhmm(minutes: float | None) -> str:
    if minutes is None:
        return "–"
    m = round(minutes)
    return f"{m // 60:02d}.{m % 60:02d}"


@dataclass(frozen=True)
class Cell:
    day: date | None
    plan_day: PlanDay | None
    note: str | None = None  # why a date of the horizon has no visits: a named holiday, a day off, a blocked date


@dataclass(frozen=True)
class Month:
    title: str
    weeks: list[list[Cell]]


def month_grid(plan: Plan) -> list[Month]:
    """Monday-first month calendars covering the plan's horizon, cells linked to plan days."""
    from app.planning.calendar import excluded_dates

    by_day = {d.day: d for d in plan.days}
    notes = excluded_dates(plan.regency_id, plan.start_date, plan.end_date)
    months, current = [], date(plan.start_date.year, plan.start_date.month, 1)
    while current <= plan.end_date:
        weeks = []
        for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(current.year, current.month):
            weeks.append([Cell(d if d.month == current.month else None, by_day.get(d),
                               notes.get(d) if d.month == current.month and d not in by_day else None)
                          for d in week])
        months.append(Month(f"{MONTHS[current.month - 1]} {current.year}", weeks))
        current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def leftovers(plan: Plan) -> list:
    """The desa the plan leaves out, most important first (mandatory, then by priority, then by name)."""
    score = {p.desa_id: p.score for p in plan.priorities}
    return sorted(plan.unvisited, key=lambda u: (not u.mandatory, -score.get(u.desa_id, 0.0), u.desa.name))


def priority_ranks(plan: Plan) -> dict[int, int]:
    """desa id → rank among the plan's candidates by priority (1 = highest), as planners read a ranking."""
    ordered = sorted(plan.priorities, key=lambda p: (-p.score, p.desa_id))
    return {p.desa_id: k for k, p in enumerate(ordered, start=1)}


def village_choices(actor: Any) -> list[tuple[str, str]]:
    """(code, "Desa — Kecamatan") of the actor's regency, by name: the must-visit and exclude pickers."""
    rows = db.session.execute(select(Desa.code, Desa.name, Kecamatan.name)
                              .join(Kecamatan, Desa.kecamatan_id == Kecamatan.id)
                              .where(Desa.regency_id == actor.regency_id).order_by(Desa.name, Kecamatan.name)).all()
    return [(code, f"{name} — {kec}") for code, name, kec in rows]


@dataclass(frozen=True)
class PlanSummary:
    """What a plan achieves, in the terms planners use."""

    visited: int  # desa with a visit
    candidates: int
    poorest_visited: int  # of the poorest fifth of the candidates (share of poor households)
    poorest: int
    overdue_visited: int  # desa with an aspiration past its deadline (as of today)
    overdue: int
    road_hours: float


def plan_summary(plan: Plan) -> PlanSummary:
    from app.aspirations.models import Aspiration
    from app.aspirations.queries import overdue_clause
    from app.core.clock import today_local
    from app.regions.poverty import poverty_shares

    visited = {v.desa_id for d in plan.days for v in d.visits}
    candidate_ids = [p.desa_id for p in plan.priorities]
    shares = poverty_shares(candidate_ids, (plan.poverty_data or {}).get("import_id"))
    ranked = sorted((s, i) for i, s in shares.items() if s is not None)[::-1]
    poorest = {i for _, i in ranked[: max(1, len(ranked) // 5)]} if ranked else set()
    overdue = set(db.session.scalars(select(Aspiration.desa_id).where(
        Aspiration.regency_id == plan.regency_id, Aspiration.desa_id.in_(candidate_ids),
        overdue_clause(today_local())).distinct()))
    return PlanSummary(len(visited), len(candidate_ids), len(poorest & visited), len(poorest),
                       len(overdue & visited), len(overdue), round((plan.total_travel_min or 0) / 60, 1))
