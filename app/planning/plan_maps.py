"""Route maps of a plan, one day or one week at a time: numbered, named stops, the start place as a labelled
square, a colour per weekday (at most seven, with a legend) and the kecamatan boundaries when they are loaded.

A month on one map is a knot of lines nobody can read; a week is what a planner checks at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.planning.models import Plan, PlanDay
from app.regions.maps import kecamatan_areas
from app.regions.models import Kecamatan
from reports.maps import MapPoint, MapRoute, render_map

# One colour per weekday, Monday first: a week never needs more than seven, and Monday is blue in every week.
DAY_COLOURS = ("#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#854d0e")
DAY_SHORT = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass(frozen=True)
class Week:
    """A Monday-to-Sunday stretch of the plan's days."""

    monday: date
    days: tuple[PlanDay, ...]

    @property
    def visits(self) -> int:
        return sum(len(d.visits) for d in self.days)

    @property
    def first(self) -> date:
        return self.days[0].day

    @property
    def last(self) -> date:
        return self.days[-1].day


def weeks(plan: Plan) -> list[Week]:
    """The plan's working days grouped by calendar week."""
    grouped: dict[date, list[PlanDay]] = {}
    for d in sorted(plan.days, key=lambda d: d.day):
        grouped.setdefault(week_of(d.day), []).append(d)
    return [Week(monday, tuple(days)) for monday, days in grouped.items()]


def pick_week(plan: Plan, wanted: str | None) -> Week | None:
    """The week asked for (its Monday, ``YYYY-MM-DD``), else the first week with visits."""
    all_weeks = weeks(plan)
    if wanted:
        try:
            monday = date.fromisoformat(wanted)
        except ValueError:
            monday = None
        for w in all_weeks:
            if w.monday == monday:
                return w
    return next((w for w in all_weeks if w.visits), all_weeks[0] if all_weeks else None)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week (the key of the map's week selector)."""
    return day - timedelta(days=day.weekday())


def day_colour(day: date) -> str:
    return DAY_COLOURS[day.weekday()]


def span_label(week: Week | None) -> str:
    """"4–8 Januari 2027", "28 Desember 2026 – 1 Januari 2027" — a week as planners say it."""
    from app.planning.queries import MONTHS

    if week is None:
        return ""
    a, b = week.first, week.last
    if a == b:
        return f"{a.day} {MONTHS[a.month - 1]} {a.year}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {MONTHS[b.month - 1]} {b.year}"
    if a.year == b.year:
        return f"{a.day} {MONTHS[a.month - 1]} – {b.day} {MONTHS[b.month - 1]} {b.year}"
    return f"{a.day} {MONTHS[a.month - 1]} {a.year} – {b.day} {MONTHS[b.month - 1]} {b.year}"


def short_day(day: date) -> str:
    """"Kam 7 Jan" — a legend entry."""
    return f"{DAY_SHORT[day.weekday()]} {day.day} {MONTH_SHORT[day.month - 1]}"


def route_map(plan: Plan, days: list[PlanDay] | tuple[PlanDay, ...], *, title: str) -> str:
    """The routes of ``days``: stops numbered in their day's order and named, one colour per weekday."""
    routes, points, places = [], [], {}
    kecamatan_ids = set()
    for day in days:
        if not day.visits:
            continue
        colour = day_colour(day.day)
        path = [(day.start_place.lat, day.start_place.lon)]
        for k, v in enumerate(day.visits, start=1):
            path.append((v.desa.lat, v.desa.lon))
            kecamatan_ids.add(v.desa.kecamatan_id)
            points.append(MapPoint(code=v.desa.code, name=v.desa.name, lat=v.desa.lat, lon=v.desa.lon,
                                   label=f"{short_day(day.day)} · Kec. {v.desa.kecamatan.name}",
                                   approximate=v.desa.location_source == "approximate", number=str(k),
                                   fill=colour))
        path.append((day.end_place.lat, day.end_place.lon))
        routes.append(MapRoute(points=tuple(path), label=short_day(day.day), colour=colour))
        for place in (day.start_place, day.end_place):
            places[place.id] = place
    for place in places.values():
        points.append(MapPoint(code=f"place-{place.id}", name=place.name, lat=place.lat, lon=place.lon,
                               shape="square", fill="#ffffff"))
    areas = []
    if kecamatan_ids:
        areas = kecamatan_areas(list(db.session.scalars(select(Kecamatan).where(Kecamatan.id.in_(kecamatan_ids))
                                                         .order_by(Kecamatan.code))))
    return render_map(areas, points, routes=routes, aria_label=title)
