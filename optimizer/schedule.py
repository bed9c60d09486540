"""Float timing of a day's route: earliest service times, with breaks taken as late as their window allows.

Used by the solver to turn an ordered list of sites into visit times, and to test whether a site fits alone on a
day; ``time_day`` is the public form the app's plan edits use. The checker does *not* use this module; it
re-derives feasibility on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.model import Problem, Visit

EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Timed:
    """A feasible timing of one day's route."""

    visits: tuple[Visit, ...]
    depart_min: float
    return_min: float
    travel_min: float
    legs: tuple[float, ...] = ()  # travel minutes of each leg, the return leg last (len(visits) + 1)
    breaks: tuple[tuple[float, float], ...] = ()  # (start, end) of each break taken, in time order


def arc_min(problem: Problem, a_site: int | None, a_loc: int, b_site: int | None, b_loc: int) -> float:
    """Travel minutes between two stops; a site's extra minutes count on every trip into and out of it."""
    t = problem.travel_min[a_loc][b_loc]
    if a_site is not None and a_site == b_site:
        return 0.0
    if a_site is not None:
        t += problem.sites[a_site].extra_travel_min
    if b_site is not None:
        t += problem.sites[b_site].extra_travel_min
    return t


def site_window(problem: Problem, site: int, day: int) -> tuple[float, float] | None:
    """Service must start at or after [0] and end by [1] on this day; None when the site has no window that day."""
    s, d = problem.sites[site], problem.days[day]
    if not s.windows:
        return d.start_min, d.end_min
    for w in s.windows:
        if w.day == day:
            return max(w.start_min, d.start_min), min(w.end_min, d.end_min)
    return None


def time_route(problem: Problem, day: int, seq: list[int]) -> Timed | None:
    """Earliest feasible timing of visiting ``seq`` (site indices) in order on ``day``, or None."""
    d = problem.days[day]
    pending = sorted(d.breaks, key=lambda b: (b.end_min - b.duration, b.start_min))
    cur = d.start_min
    prev_site: int | None = None
    prev_loc = d.start_location
    visits: list[Visit] = []
    legs: list[float] = []
    taken: list[tuple[float, float]] = []
    travel_total = 0.0
    stops: list[int | None] = [*seq, None]
    for stop in stops:
        if stop is None:
            loc, svc, lo, hi = d.end_location, 0.0, d.start_min, d.end_min
        else:
            loc, svc = problem.sites[stop].location, problem.sites[stop].service_min
            win = site_window(problem, stop, day)
            if win is None:
                return None
            lo, hi = win
        travel = arc_min(problem, prev_site, prev_loc, stop, loc)
        travel_total += travel
        legs.append(travel)
        gap_cur, travel_left = cur, travel
        while True:
            arrive = gap_cur + travel_left
            start = max(arrive, lo)
            if not pending:
                break
            b = pending[0]
            latest = b.end_min - b.duration
            if start + svc <= latest + EPS:
                break  # the break still fits after this service (or after the return)
            # The break has to be taken in this gap, before the next service.
            pending.pop(0)
            bs = max(gap_cur, b.start_min)
            if bs > latest + EPS:
                return None
            done = min(travel_left, bs - gap_cur)
            travel_left -= done
            gap_cur = bs + b.duration
            taken.append((bs, gap_cur))
        if start + svc > hi + EPS:
            return None
        if stop is None:
            return Timed(tuple(visits), d.start_min, arrive, travel_total, tuple(legs), tuple(taken))
        visits.append(Visit(problem.sites[stop].id, arrive, start, start + svc))
        cur = start + svc
        prev_site, prev_loc = stop, loc
    raise AssertionError("unreachable")  # pragma: no cover


def time_day(problem: Problem, day: str, sites: list[str]) -> Timed | None:
    """Earliest feasible timing of visiting ``sites`` (ids) in this order on ``day`` (id), or None when the day
    cannot hold them (hours, windows, breaks, the day's visit cap) or a site may not be visited that day."""
    didx, sidx = problem.day_index(), problem.site_index()
    k = didx[day]
    d = problem.days[k]
    if d.max_visits is not None and len(sites) > d.max_visits:
        return None
    seq = [sidx[s] for s in sites]
    if d.month is not None and any(d.month in problem.sites[i].closed_months for i in seq):
        return None
    return time_route(problem, k, seq)
