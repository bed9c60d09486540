"""Where the time of one solve goes, round by round: LNS (seconds vs its slice), polish, route pool.

    .venv/bin/python bench/profile_rounds.py [SCENARIO] [WORKERS]   # e.g. quarter_windows 2

SCENARIO is one of bench/app_shapes.py's base problems (month_friday, month_lunch, quarter_windows). It wraps
``_lns.lns``, ``Engine.solve``, ``RoutePool.recombine`` and the pool's LP ranking with timers (nothing else
changes) and prints, per call: ``<pid> lns <seconds> <slice> <iterations> <clock_stop> <work/1e6>`` (every
worker prints its own), then stream 0's polish (seconds, time limit, solutions) and pool (seconds, pool size)
lines. Used for the clock-cut analysis in docs/BENCHMARKS.md ("Issue 16, the rest").
"""

from __future__ import annotations

import os
import sys
import time

from _common import DESA_CSV  # noqa: F401  (puts the repository on sys.path)
from app_shapes import base_problem

from optimizer import SolveParams, _lns, _ortools, _pool, solve


def main() -> int:
    name = sys.argv[1] if len(sys.argv) > 1 else "quarter_windows"
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    problem = base_problem(name, 0)
    log: list[tuple] = []
    orig_lns, orig_solve = _lns.lns, _ortools.Engine.solve
    orig_rec, orig_lp = _pool.RoutePool.recombine, _ortools._lp_rank

    def lns(m, seed, work, deadline, **kw):  # type: ignore[no-untyped-def]
        t = time.monotonic()
        out = orig_lns(m, seed, work, deadline, **kw)
        print(os.getpid(), "lns", round(time.monotonic() - t, 3), round(deadline - t, 3),
              out[1]["lns_iterations"], out[1]["clock_stop"], round(out[1]["lns_work"] / 1e6, 2), flush=True)
        return out

    def polish(self, s):  # type: ignore[no-untyped-def]
        t = time.monotonic()
        out = orig_solve(self, s)
        log.append(("polish", round(time.monotonic() - t, 3), round(s.time_limit_s, 3), out.solutions))
        return out

    def recombine(self, *a, **k):  # type: ignore[no-untyped-def]
        t = time.monotonic()
        out = orig_rec(self, *a, **k)
        log.append(("pool", round(time.monotonic() - t, 3), len(self)))
        return out

    def lp(*a, **k):  # type: ignore[no-untyped-def]
        t = time.monotonic()
        out = orig_lp(*a, **k)
        log.append(("  lp", round(time.monotonic() - t, 3), len(a[0])))
        return out

    _lns.lns, _ortools.Engine.solve = lns, polish
    _pool.RoutePool.recombine, _ortools._lp_rank = recombine, lp
    sol = solve(problem, SolveParams(time_limit_s=10, seed=0, workers=workers))
    for row in log:
        print(row)
    print("prize", sol.total_prize, "travel", round(sol.total_travel_min, 1), "secs", sol.seconds, sol.stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
