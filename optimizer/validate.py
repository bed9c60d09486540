"""``check_solution``: an independent re-check of a plan, in floating point, from the input alone.

It shares no code with the solver's timing (``schedule.py``) or the integer model, so a bug in either shows up
here. Tolerance is ``TOL`` minutes (1e-6, as the TOP README requires).
"""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.model import REASONS, Problem, Solution

__all__ = ["TOL", "Violation", "check_solution"]

TOL = 1e-6


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule; ``message`` is a sentence naming the day and site."""

    kind: str
    message: str
    day: str | None = None
    site: str | None = None


def _travel(problem: Problem, a: tuple[int | None, int], b: tuple[int | None, int]) -> float:
    (sa, la), (sb, lb) = a, b
    if sa is not None and sa == sb:
        return 0.0
    t = problem.travel_min[la][lb]
    if sa is not None:
        t += problem.sites[sa].extra_travel_min
    if sb is not None:
        t += problem.sites[sb].extra_travel_min
    return t


def _place_breaks(breaks: list[tuple[float, float, float]], gaps: list[tuple[float, float, float]]) -> bool:
    """Whether every break fits in some gap (start, end, travel needed) without overlapping services."""
    used = [0.0] * len(gaps)  # break minutes already placed in each gap
    cursor = [g[0] for g in gaps]
    for lo, hi, dur in sorted(breaks, key=lambda b: (b[1] - b[2], b[0])):
        placed = False
        for k, (g0, g1, need) in enumerate(gaps):
            bs = max(cursor[k], lo)
            if bs + dur <= min(hi, g1) + TOL and (g1 - g0) - used[k] - dur >= need - TOL:
                used[k] += dur
                cursor[k] = bs + dur
                placed = True
                break
            _ = g0
        if not placed:
            return False
    return True


def check_solution(problem: Problem, solution: Solution) -> list[Violation]:
    """All the ways ``solution`` breaks ``problem``'s rules (empty list = feasible and consistent).

    Checks: known ids, each site at most once, each day at most one route, allowed day (windows, closed months,
    locks and lock positions), service inside its window, travel (with extra minutes) and breaks fitting between
    services, day hours, visit caps, every unvisited site reported once with a known reason, every mandatory or
    locked site either visited or reported, and the reported totals.
    """
    out: list[Violation] = []
    sidx, didx = problem.site_index(), problem.day_index()
    seen_sites: dict[str, str] = {}
    seen_days: set[str] = set()
    total_prize = 0.0
    total_travel = 0.0
    locks = {lk.site: lk for lk in problem.locks}
    for route in solution.routes:
        if route.day not in didx:
            out.append(Violation("unknown_day", f"A route names day {route.day!r}, which is not in the problem."))
            continue
        if route.day in seen_days:
            out.append(Violation("duplicate_day", f"Day {route.day!r} has more than one route.", route.day))
            continue
        seen_days.add(route.day)
        k = didx[route.day]
        day = problem.days[k]
        if day.max_visits is not None and len(route.visits) > day.max_visits:
            out.append(Violation("max_visits", f"Day {day.id!r} has {len(route.visits)} visits but allows at most "
                                 f"{day.max_visits}.", day.id))
        if not route.visits:
            continue
        if route.depart_min < day.start_min - TOL:
            out.append(Violation("day_hours", f"Day {day.id!r} departs at {route.depart_min}, before its start "
                                 f"{day.start_min}.", day.id))
        prev: tuple[int | None, int] = (None, day.start_location)
        prev_end = route.depart_min
        gaps: list[tuple[float, float, float]] = [(day.start_min, route.depart_min, 0.0)]
        for pos, visit in enumerate(route.visits, start=1):
            if visit.site not in sidx:
                out.append(Violation("unknown_site", f"Day {day.id!r} visits site {visit.site!r}, which is not in "
                                     "the problem.", day.id, visit.site))
                continue
            i = sidx[visit.site]
            site = problem.sites[i]
            if visit.site in seen_sites:
                out.append(Violation("duplicate_visit", f"Site {site.id!r} is visited on day {seen_sites[site.id]!r} "
                                     f"and again on day {day.id!r}.", day.id, site.id))
            seen_sites[site.id] = day.id
            total_prize += site.prize
            if site.windows:
                wins = [w for w in site.windows if w.day == k]
                if not wins:
                    out.append(Violation("window", f"Site {site.id!r} is visited on day {day.id!r}, which is not "
                                         "one of its window days.", day.id, site.id))
                else:
                    w = wins[0]
                    if visit.start_min < w.start_min - TOL or visit.end_min > w.end_min + TOL:
                        out.append(Violation("window", f"Site {site.id!r} is served {visit.start_min}-"
                                             f"{visit.end_min} on day {day.id!r}, outside its window "
                                             f"{w.start_min}-{w.end_min}.", day.id, site.id))
            month = day.month
            if month is not None and month in site.closed_months:
                out.append(Violation("closed", f"Site {site.id!r} is visited on day {day.id!r}, in month {month}, "
                                     "when it is closed.", day.id, site.id))
            lk = locks.get(site.id)
            if lk is not None:
                if lk.day != day.id:
                    out.append(Violation("lock", f"Site {site.id!r} is locked to day {lk.day!r} but visited on "
                                         f"day {day.id!r}.", day.id, site.id))
                elif lk.position is not None and lk.position != pos:
                    out.append(Violation("lock", f"Site {site.id!r} is locked to position {lk.position} but is "
                                         f"visit {pos} on day {day.id!r}.", day.id, site.id))
            if abs(visit.end_min - visit.start_min - site.service_min) > TOL:
                out.append(Violation("service", f"Site {site.id!r} is served for {visit.end_min - visit.start_min} "
                                     f"minutes instead of {site.service_min}.", day.id, site.id))
            if visit.arrive_min > visit.start_min + TOL:
                out.append(Violation("timing", f"Site {site.id!r} starts service at {visit.start_min}, before "
                                     f"arriving at {visit.arrive_min}.", day.id, site.id))
            here = (i, site.location)
            t = _travel(problem, prev, here)
            total_travel += t
            if visit.arrive_min < prev_end + t - TOL:
                out.append(Violation("travel", f"Site {site.id!r} is reached at {visit.arrive_min} on day "
                                     f"{day.id!r}, sooner than the {t:.3f} minutes of travel allow.", day.id, site.id))
            gaps.append((prev_end, visit.start_min, t))
            prev, prev_end = here, visit.end_min
        t = _travel(problem, prev, (None, day.end_location))
        total_travel += t
        if route.return_min < prev_end + t - TOL:
            out.append(Violation("travel", f"Day {day.id!r} returns at {route.return_min}, sooner than the travel "
                                 "from its last visit allows.", day.id))
        if route.return_min > day.end_min + TOL:
            out.append(Violation("day_hours", f"Day {day.id!r} returns at {route.return_min}, after its end "
                                 f"{day.end_min}.", day.id))
        gaps.append((prev_end, route.return_min, t))
        gaps.append((route.return_min, day.end_min, 0.0))
        breaks = [(b.start_min, b.end_min, b.duration) for b in day.breaks]
        if breaks and not _place_breaks(breaks, gaps):
            out.append(Violation("break", f"The breaks of day {day.id!r} do not fit between its visits and "
                                 "travel.", day.id))
    reported: dict[str, str] = {}
    for u in solution.unvisited:
        if u.site not in sidx:
            out.append(Violation("unknown_site", f"Unvisited site {u.site!r} is not in the problem.", site=u.site))
            continue
        if u.reason not in REASONS:
            out.append(Violation("reason", f"Unvisited site {u.site!r} has unknown reason {u.reason!r}.", site=u.site))
        if u.site in seen_sites:
            out.append(Violation("unvisited_visited", f"Site {u.site!r} is reported unvisited but is visited on "
                                 f"day {seen_sites[u.site]!r}.", site=u.site))
        if u.site in reported:
            out.append(Violation("duplicate_unvisited", f"Site {u.site!r} is reported unvisited twice.", site=u.site))
        reported[u.site] = u.reason
        site = problem.sites[sidx[u.site]]
        if (site.mandatory or u.site in locks) and not u.mandatory:
            out.append(Violation("mandatory", f"Mandatory or locked site {u.site!r} is not visited and not flagged "
                                 "as an unplaced mandatory site.", site=u.site))
    for s in problem.sites:
        if s.id not in seen_sites and s.id not in reported:
            out.append(Violation("missing", f"Site {s.id!r} is neither visited nor reported unvisited.", site=s.id))
    if abs(total_prize - solution.total_prize) > 1e-6 * max(1.0, abs(total_prize)):
        out.append(Violation("total", f"The reported total prize {solution.total_prize} differs from the visited "
                             f"sites' total {total_prize}."))
    if abs(total_travel - solution.total_travel_min) > 1e-3:
        out.append(Violation("total", f"The reported travel {solution.total_travel_min} minutes differs from the "
                             f"recomputed {total_travel:.6f}."))
    return out
