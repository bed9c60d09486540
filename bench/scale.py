"""Scale check: a synthetic 1,000-site, 50-day problem must return a feasible plan within its time limit + 2 s,
using under 1 GB of memory.

    .venv/bin/python bench/scale.py --time-limit 30

Sites are scattered over a 120 × 80 km area around a central office (haversine travel, defaults), service 30-120
minutes, prizes 1-10 (seeded), 10 % mandatory, 5 % with a window on one of three days, days 07:30-16:30.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from _common import peak_rss_children_mb, peak_rss_mb

from optimizer import Day, HaversineProvider, Location, Problem, Site, SolveParams, Window, check_solution, solve


def synthetic(n_sites: int = 1000, n_days: int = 50, seed: int = 0) -> Problem:
    """The synthetic scale instance (deterministic for a seed)."""
    rng = random.Random(seed)
    office = Location("office", -8.2147, 114.3686)
    locs = [office] + [
        Location(f"L{i}", office.lat + rng.uniform(-0.36, 0.36), office.lon + rng.uniform(-0.55, 0.55))
        for i in range(n_sites)
    ]
    sites = []
    for i in range(n_sites):
        windows: tuple[Window, ...] = ()
        if rng.random() < 0.05:
            windows = tuple(Window(d, 8 * 60, 13 * 60) for d in sorted(rng.sample(range(n_days), 3)))
        sites.append(Site(f"S{i}", i + 1, float(rng.randint(1, 10)), float(rng.choice([30, 45, 60, 90, 120])),
                          mandatory=rng.random() < 0.10, windows=windows))
    days = tuple(Day(f"D{k}", 0, 0, 7 * 60 + 30, 16 * 60 + 30) for k in range(n_days))
    return Problem(tuple(locs), HaversineProvider().matrix(locs), tuple(sites), days, name="scale")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--days", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.monotonic()
    problem = synthetic(args.sites, args.days, args.seed)
    t_build = time.monotonic() - t0
    rss_before = peak_rss_mb()
    t1 = time.monotonic()
    sol = solve(problem, SolveParams(time_limit_s=args.time_limit, seed=args.seed))
    t_solve = time.monotonic() - t1
    violations = check_solution(problem, sol)
    rss_parent, rss_worker = peak_rss_mb(), peak_rss_children_mb()
    # Upper bound: the forked worker shares the parent's pages copy-on-write, counted here twice.
    rss = rss_parent + rss_worker
    ok = not violations and t_solve <= args.time_limit + 2 and rss < 1024
    print(f"sites {args.sites} days {args.days}: problem built in {t_build:.1f}s (peak RSS {rss_before:.0f} MB)")
    print(f"solve {t_solve:.1f}s (limit {args.time_limit:.0f}s + 2s)  prize {sol.total_prize:.0f} of "
          f"{sum(s.prize for s in problem.sites):.0f}  visits {len(sol.visited_sites())}  "
          f"unplaced mandatory {len(sol.unplaced_mandatory)}  violations {len(violations)}  "
          f"peak RSS {rss_parent:.0f} MB + worker {rss_worker:.0f} MB = {rss:.0f} MB  "
          f"stats {sol.stats}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
