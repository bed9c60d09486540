"""A plan day as the lines of an itinerary: departure, each leg's travel, breaks, waiting, visits, return.

The stored visit times say when the bupati is in each desa, not how the day gets there. The plan keeps the exact
problem it was solved on, so the day is re-timed here with the optimizer's public ``time_day``, which also reports
each leg's travel and where the breaks fall. Lines carry codes and minutes; the template words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import optimizer
from app.planning.models import Plan, PlanDay, PlanVisit

EPS = 0.5  # minutes: below this a wait is rounding, not a wait


@dataclass(frozen=True)
class Line:
    """One line of a day's itinerary.

    ``kind``: ``depart`` (start place), ``travel`` (``minutes`` on the road), ``break`` (``what``:
    ``friday_prayer``, ``lunch`` or ``break``), ``wait`` (arrived before the desa's window or the visit's start),
    ``visit`` (``visit`` with arrival, start and end), ``return`` (end place).
    """

    kind: str
    start_min: float | None = None
    end_min: float | None = None
    minutes: float | None = None
    visit: PlanVisit | None = None
    number: int | None = None  # the stop's number on the day (and on the map)
    place: str | None = None
    what: str | None = None


def _load(plan: Plan) -> optimizer.Problem | None:
    if not plan.problem:
        return None
    return optimizer.problem_from_dict(plan.problem)


def _break_kind(day: date, brk: optimizer.Break) -> str:
    if brk.duration_min < brk.end_min - brk.start_min - 1e-6:
        return "lunch"
    return "friday_prayer" if day.weekday() == 4 else "break"


def _matching_break(problem_day: optimizer.Day, start: float, end: float) -> optimizer.Break | None:
    for brk in problem_day.breaks:
        if brk.start_min - 1e-6 <= start and end <= brk.end_min + 1e-6:
            return brk
    return None


def day_lines(plan: Plan, day: PlanDay, problem: optimizer.Problem | None = None) -> list[Line]:
    """The day's itinerary. Without a stored problem (very old plans) the lines come from the stored times, with
    each leg's travel as stored and no breaks."""
    problem = problem if problem is not None else _load(plan)
    visits = list(day.visits)
    start_place, end_place = day.start_place.name, day.end_place.name
    timed = None
    if problem is not None and day.day.isoformat() in problem.day_index():
        try:
            timed = optimizer.time_day(problem, day.day.isoformat(), [v.desa.code for v in visits])
        except KeyError:  # a desa that is not a candidate of the stored problem (cannot happen through edits)
            timed = None
    lines = [Line("depart", start_min=day.start_min, place=start_place)]
    if timed is None or len(timed.legs) != len(visits) + 1:
        for k, v in enumerate(visits, start=1):
            lines.append(Line("travel", minutes=v.travel_min))
            lines.append(Line("visit", start_min=v.start_min, end_min=v.end_min, visit=v, number=k))
        if visits:
            lines.append(Line("return", start_min=day.return_min, place=end_place))
        return lines
    problem_day = problem.days[problem.day_index()[day.day.isoformat()]]
    breaks = list(timed.breaks)
    previous_end = timed.depart_min
    for k, leg in enumerate(timed.legs):
        stop = timed.visits[k] if k < len(timed.visits) else None
        if stop is None and not visits:
            break
        lines.append(Line("travel", minutes=leg))
        arrive = stop.arrive_min if stop else timed.return_min
        while breaks and breaks[0][0] <= arrive + 1e-6 and breaks[0][0] >= previous_end - 1e-6:
            bs, be = breaks.pop(0)
            brk = _matching_break(problem_day, bs, be)
            lines.append(Line("break", start_min=bs, end_min=be, minutes=be - bs,
                              what=_break_kind(day.day, brk) if brk else "break"))
        if stop is None:
            lines.append(Line("return", start_min=timed.return_min, place=end_place))
            break
        if stop.start_min - stop.arrive_min > EPS:
            lines.append(Line("wait", start_min=stop.arrive_min, end_min=stop.start_min,
                              minutes=stop.start_min - stop.arrive_min))
        lines.append(Line("visit", start_min=stop.start_min, end_min=stop.end_min, visit=visits[k], number=k + 1))
        previous_end = stop.end_min
    return lines


def plan_lines(plan: Plan) -> dict[date, list[Line]]:
    """Every day's itinerary, the stored problem parsed once."""
    problem = _load(plan)
    return {d.day: day_lines(plan, d, problem) for d in plan.days}
