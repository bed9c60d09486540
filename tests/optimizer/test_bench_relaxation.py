"""The tight relaxation of bench/app_shapes.py: its visit cap for a day with a break must hold for every plan.

``break_cap`` is what turns the month_lunch reference from a loose bound (a day 60 minutes shorter, 4 visits)
into a valid tighter one (3 visits); if it ever claimed a cap that a real route beats, the benchmark's "share of
the tight relaxation" would flatter the optimizer. These tests check it against exhaustive timing of every route.
"""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

from optimizer import Break, Day, Location, Problem, Site
from optimizer.schedule import time_route

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from app_shapes import break_cap, count_bound, relax


def _problem(travel: list[list[float]], service: float, brk: Break, start: float = 450.0, end: float = 960.0,
             cap: int | None = 4) -> Problem:
    n = len(travel)
    locs = tuple(Location(f"L{i}", 0.0, float(i)) for i in range(n))
    sites = tuple(Site(f"s{i}", i, float(i), service) for i in range(1, n))
    day = Day("d0", 0, 0, start, end, max_visits=cap, breaks=(brk,))
    return Problem(locs, travel, sites, (day,), name="cap")


def _most_visits(problem: Problem) -> int:
    """The largest number of sites any route of day 0 can visit, by timing every ordered subset."""
    n_sites = len(problem.sites)
    best = 0
    for k in range(1, n_sites + 1):
        if any(time_route(problem, 0, list(seq)) is not None for seq in itertools.permutations(range(n_sites), k)):
            best = k
    return best


def _uniform(n: int, trip: float) -> list[list[float]]:
    return [[0.0 if a == b else trip for b in range(n)] for a in range(n)]


def test_app_lunch_day_allows_three_visits_not_four() -> None:
    """The app's day (07:30-16:00, 90-min visits) with a lunch of 60 min in 12:00-13:30 and trips of 10.56 min:
    two visits fit before the lunch and one after, so the cap is 3 (the loose relaxation allowed 4)."""
    p = _problem(_uniform(6, 10.56), 90.0, Break(720, 810, duration_min=60))
    assert break_cap(p, 0) == 3
    assert _most_visits(p) == 3


def test_friday_prayer_allows_three_visits() -> None:
    p = _problem(_uniform(6, 10.56), 90.0, Break(690, 780))
    assert break_cap(p, 0) == 3
    assert _most_visits(p) == 3


def test_cap_grows_when_trips_are_short() -> None:
    """With trips of 0 minutes three visits fit before the lunch and two after: the cap must not claim 3; the
    day's own cap still applies."""
    p = _problem(_uniform(6, 0.0), 90.0, Break(720, 810, duration_min=60), cap=None)
    assert break_cap(p, 0) == 5
    assert _most_visits(p) == 5
    assert break_cap(_problem(_uniform(6, 0.0), 90.0, Break(720, 810, duration_min=60), cap=4), 0) == 4


def test_cap_holds_for_every_route_on_random_days() -> None:
    """No route ever visits more sites than the cap (random trips, services, hours and breaks)."""
    rng = random.Random(7)
    for _ in range(40):
        n = 6
        pts = [(rng.uniform(0, 30), rng.uniform(0, 30)) for _ in range(n)]
        travel = [[0.0 if a == b else 5.0 + abs(pa[0] - pb[0]) + abs(pa[1] - pb[1]) for b, pb in enumerate(pts)]
                  for a, pa in enumerate(pts)]
        service = rng.choice((30.0, 45.0, 60.0))
        lo = rng.uniform(600, 760)
        dur = rng.choice((30.0, 60.0, 90.0))
        hi = lo + dur + rng.choice((0.0, 15.0, 30.0, 60.0))
        p = _problem(travel, service, Break(lo, hi, duration_min=dur), start=rng.uniform(420, 500),
                     end=rng.uniform(max(900.0, hi), 960), cap=None)
        assert _most_visits(p) <= break_cap(p, 0)


def test_tight_relaxation_caps_break_days_only() -> None:
    p = _problem(_uniform(6, 10.56), 90.0, Break(720, 810, duration_min=60))
    plain = Day("d1", 0, 0, 450.0, 960.0, max_visits=4)
    p2 = Problem(p.locations, p.travel_min, p.sites, (*p.days, plain), name="two")
    tight = relax(p2, tight=True)
    assert [d.max_visits for d in tight.days] == [3, 4]
    assert [d.end_min for d in tight.days] == [900.0, 960.0]
    assert all(not d.breaks for d in tight.days)
    assert relax(p2).days[0].max_visits == 4
    # 7 visits in all: the 5 sites' prizes 1..5 all count
    assert count_bound(p2) == 15.0
