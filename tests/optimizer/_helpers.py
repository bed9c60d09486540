"""Small problem builders for the optimizer tests (plain functions, PyVRP-style tiny instances)."""

from __future__ import annotations

import math

from optimizer import Day, Location, Problem, Site, SolveParams

FAST = SolveParams(time_limit_s=1.0, seed=0)


def line_problem(
    positions: list[float],
    prizes: list[float],
    *,
    day_len: float = 100.0,
    n_days: int = 1,
    service: float = 0.0,
    **site_kw: object,
) -> Problem:
    """Depot at x=0; site k at x=positions[k]; travel = |dx| minutes; each day 0..day_len."""
    xs = [0.0, *positions]
    locs = tuple(Location(f"L{i}", x, 0.0) for i, x in enumerate(xs))
    matrix = [[abs(a - b) for b in xs] for a in xs]
    sites = tuple(Site(f"s{k}", k + 1, p, service, **site_kw) for k, p in enumerate(prizes))  # type: ignore[arg-type]
    days = tuple(Day(f"d{k}", 0, 0, 0.0, day_len) for k in range(n_days))
    return Problem(locs, matrix, sites, days, name="line")


def grid_problem(points: list[tuple[float, float]], prizes: list[float], days: list[Day],
                 service: list[float] | None = None) -> Problem:
    """Depot at (0,0) = location 0, sites at ``points``; Euclidean minutes."""
    pts = [(0.0, 0.0), *points]
    locs = tuple(Location(f"L{i}", x, y) for i, (x, y) in enumerate(pts))
    matrix = [[math.hypot(a[0] - b[0], a[1] - b[1]) for b in pts] for a in pts]
    service = service or [0.0] * len(points)
    sites = tuple(Site(f"s{k}", k + 1, p, service[k]) for k, p in enumerate(prizes))
    return Problem(locs, matrix, sites, tuple(days), name="grid")
