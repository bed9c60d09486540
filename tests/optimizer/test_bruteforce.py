"""On instances with at most 8 sites the solver's prize equals a brute-force optimum."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from optimizer import Day, Location, Problem, Site, SolveParams, Window, check_solution, solve


def _random_problem(seed: int, n_sites: int, n_days: int) -> Problem:
    rng = random.Random(seed)
    pts = [(0.0, 0.0)] + [(rng.uniform(-30, 30), rng.uniform(-30, 30)) for _ in range(n_sites)]
    locs = tuple(Location(f"L{i}", x, y) for i, (x, y) in enumerate(pts))
    matrix = [[math.hypot(a[0] - b[0], a[1] - b[1]) for b in pts] for a in pts]
    sites = []
    for k in range(n_sites):
        service = rng.choice([0, 5, 10])
        windows: tuple[Window, ...] = ()
        if rng.random() < 0.3:
            day = rng.randrange(n_days)
            start = rng.uniform(0, 60)
            windows = (Window(day, start, start + service + rng.uniform(10, 60)),)
        sites.append(Site(f"s{k}", k + 1, rng.randint(1, 9), service, windows=windows))
    days = tuple(Day(f"d{k}", 0, 0, 0, rng.uniform(60, 120)) for k in range(n_days))
    return Problem(locs, matrix, tuple(sites), days, name=f"bf{seed}")


def _feasible_subsets(p: Problem, day: int) -> dict[int, bool]:
    """Subset bitmask -> can be visited on ``day`` in some order (DP over earliest finish times)."""
    n = len(p.sites)
    d = p.days[day]
    inf = math.inf

    def window(i: int) -> tuple[float, float] | None:
        s = p.sites[i]
        if not s.windows:
            return d.start_min, d.end_min
        for w in s.windows:
            if w.day == day:
                return max(w.start_min, d.start_min), min(w.end_min, d.end_min)
        return None

    wins = [window(i) for i in range(n)]
    loc = [s.location for s in p.sites]
    t = p.travel_min
    finish = [[inf] * n for _ in range(1 << n)]
    for i in range(n):
        if wins[i] is None:
            continue
        start = max(d.start_min + t[d.start_location][loc[i]], wins[i][0])
        if start + p.sites[i].service_min <= wins[i][1] + 1e-9:
            finish[1 << i][i] = start + p.sites[i].service_min
    for mask in range(1, 1 << n):
        for last in range(n):
            f = finish[mask][last]
            if f == inf:
                continue
            for nxt in range(n):
                if mask >> nxt & 1 or wins[nxt] is None:
                    continue
                start = max(f + t[loc[last]][loc[nxt]], wins[nxt][0])
                end = start + p.sites[nxt].service_min
                if end <= wins[nxt][1] + 1e-9 and end < finish[mask | 1 << nxt][nxt]:
                    finish[mask | 1 << nxt][nxt] = end
    ok = {0: True}
    for mask in range(1, 1 << n):
        ok[mask] = any(
            finish[mask][last] + t[loc[last]][d.end_location] <= d.end_min + 1e-9 for last in range(n)
        )
    return ok


def _brute_force_prize(p: Problem) -> float:
    n = len(p.sites)
    per_day = [_feasible_subsets(p, k) for k in range(len(p.days))]
    prize = [sum(p.sites[i].prize for i in range(n) if mask >> i & 1) for mask in range(1 << n)]
    best = 0.0
    for assign in itertools.product(range(len(p.days) + 1), repeat=n):
        masks = [0] * len(p.days)
        for i, a in enumerate(assign):
            if a:
                masks[a - 1] |= 1 << i
        if all(per_day[k][m] for k, m in enumerate(masks)):
            best = max(best, sum(prize[m] for m in masks))
    return best


@pytest.mark.parametrize(("seed", "n_sites", "n_days"),
                         [(1, 6, 1), (2, 7, 1), (3, 8, 1), (4, 6, 2), (5, 7, 2), (6, 8, 2)])
def test_solver_matches_brute_force(seed: int, n_sites: int, n_days: int) -> None:
    """Random instances up to 8 sites, 1-2 days, some windows: same total prize as exhaustive search."""
    p = _random_problem(seed, n_sites, n_days)
    sol = solve(p, SolveParams(time_limit_s=0.5, seed=seed))
    assert check_solution(p, sol) == []
    assert sol.total_prize == pytest.approx(_brute_force_prize(p))
