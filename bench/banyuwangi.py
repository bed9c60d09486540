"""Banyuwangi planning scenarios: our solver vs PyVRP 0.14 vs plain OR-Tools, same time budget, same run.

    .venv/bin/python bench/banyuwangi.py --time-limit 10 [--scenario quarter] [--seed 0] [--workers 2]

Scenarios are built from ``../shared/data/banyuwangi/desa.csv`` (217 desa, start/end at the Pendopo), with
haversine travel (×1.35, 40 km/h, +10 min). Prizes are DEMO data (no poverty/aspiration figures are public):
a seeded random integer 1-10 per desa, the same for every solver.

Every plan, whatever produced it, is timed by our float schedule and judged by ``check_solution``.
- Ours runs its default two workers (one per core); PyVRP is run twice: one seed on one core, and as many seeds
  as we have workers in parallel, best plan kept, so that both sides use the same hardware.
- PyVRP: days become vehicle types on one absolute timeline (day k = minutes k·1440 + hours), so a day-specific
  window is an ordinary client window; a desa with windows on several days becomes a client group of copies.
  Prizes are scaled so that prize dominates travel, as in our objective.
- plain OR-Tools: our integer model with mandatory sites as hard constraints (no disjunction), PATH_CHEAPEST_ARC
  and guided local search, no LNS - what a first OR-Tools set-up looks like.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time

from _common import DESA_CSV

from optimizer import (
    Day,
    HaversineProvider,
    Location,
    Problem,
    Route,
    Site,
    Solution,
    SolveParams,
    Unvisited,
    Window,
    check_solution,
    solve,
)
from optimizer.schedule import time_route

PENDOPO = Location("pendopo", -8.2147, 114.3686)


def _desa() -> list[dict[str, str]]:
    with DESA_CSV.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def scenario(name: str, seed: int = 0) -> Problem:
    """Build one of the four scenarios (demo prizes, deterministic for a seed)."""
    rows = _desa()
    rng = random.Random(1000 + seed)
    locs = [PENDOPO] + [Location(r["code"], float(r["lat"]), float(r["lon"])) for r in rows]
    matrix = HaversineProvider().matrix(locs)
    prizes = [rng.randint(1, 10) for _ in rows]
    n_days, start, end, service, cap = {
        "month_4h": (22, 7 * 60 + 30, 16 * 60 + 30, 240, None),
        "month_75min": (22, 8 * 60, 16 * 60, 75, None),
        "quarter": (60, 8 * 60, 15 * 60, 120, None),
        "fortnight": (10, 7 * 60, 17 * 60, 45, 6),
    }[name]
    days = tuple(Day(f"day{k + 1:02d}", 0, 0, start, end, max_visits=cap) for k in range(n_days))
    windows: dict[int, tuple[Window, ...]] = {}
    mandatory: set[int] = set()
    if name == "quarter":
        picks = rng.sample(range(len(rows)), 50)
        for i in picks[:30]:  # market-day windows: 09:00-12:00 on three given days
            windows[i] = tuple(Window(d, 9 * 60, 12 * 60) for d in sorted(rng.sample(range(n_days), 3)))
        mandatory = set(picks[20:45])  # 10 of them also have windows
    sites = tuple(
        Site(r["code"], i + 1, float(prizes[i]), service, mandatory=i in mandatory, windows=windows.get(i, ()),
             group=r["kecamatan"])
        for i, r in enumerate(rows)
    )
    return Problem(tuple(locs), matrix, sites, days, name=name)


SCENARIOS = ("month_4h", "month_75min", "quarter", "fortnight")


def _plan_from_routes(problem: Problem, routes: dict[int, list[int]], seconds: float) -> Solution:
    """Time the given day -> site-index routes with our float schedule; infeasible days are dropped (and flagged)."""
    out, visited, travel, bad = [], set(), 0.0, 0
    for k, d in enumerate(problem.days):
        seq = routes.get(k, [])
        timed = time_route(problem, k, seq) if seq else None
        if seq and timed is None:
            bad += 1
            seq = []
        if not seq:
            out.append(Route(d.id, (), d.start_min, d.start_min, 0.0))
            continue
        visited.update(seq)
        travel += timed.travel_min
        out.append(Route(d.id, timed.visits, timed.depart_min, timed.return_min, timed.travel_min))
    unv = tuple(Unvisited(s.id, "displaced", s.mandatory) for i, s in enumerate(problem.sites) if i not in visited)
    prize = sum(problem.sites[i].prize for i in visited)
    return Solution(tuple(out), unv, prize, round(travel, 6), seconds, 0, {"untimeable_days": bad})


def run_pyvrp(problem: Problem, time_limit: float, seed: int) -> tuple[Solution | None, str]:
    """Solve with PyVRP 0.14 on an absolute timeline (see module docstring)."""
    try:
        import pyvrp
        from pyvrp.stop import MaxRuntime
    except ImportError:
        return None, "pyvrp not installed (pip install -e .[bench])"
    t0 = time.monotonic()
    S = 60  # PyVRP works in integer seconds
    m = pyvrp.Model()
    locs = [m.add_location(x=loc.lon, y=loc.lat) for loc in problem.locations]
    depot = m.add_depot(locs[0])
    # One prize point is worth an hour of travel: strictly lexicographic weights (prize × total span) make
    # PyVRP's penalty manager give up on feasibility (PenaltyBoundWarning, infeasible best), this does not.
    big = 3600
    cap = any(d.max_visits is not None for d in problem.days)
    for k, d in enumerate(problem.days):
        off = k * 1440 * S
        m.add_vehicle_type(1, capacity=[d.max_visits if d.max_visits is not None else 10**6] if cap else [],
                           start_depot=depot, end_depot=depot, tw_early=off + int(d.start_min * S),
                           tw_late=off + int(d.end_min * S), name=d.id)
    client_site: list[int] = []
    for i, s in enumerate(problem.sites):
        svc = math.ceil(s.service_min * S)
        prize = round(s.prize) * big
        demand = [1] if cap else []
        if not s.windows:
            m.add_client(locs[s.location], delivery=demand, service_duration=svc, prize=prize, required=s.mandatory,
                         tw_early=0, tw_late=len(problem.days) * 1440 * S)
            client_site.append(i)
        else:
            group = m.add_client_group(required=s.mandatory)
            for w in s.windows:
                off = w.day * 1440 * S
                m.add_client(locs[s.location], delivery=demand, service_duration=svc, prize=prize, required=False,
                             tw_early=off + math.ceil(w.start_min * S),
                             tw_late=off + math.floor((w.end_min - s.service_min) * S), group=group)
                client_site.append(i)
    for a, la in enumerate(locs):
        for b, lb in enumerate(locs):
            if a != b:
                t = math.ceil(problem.travel_min[a][b] * S)
                m.add_edge(la, lb, distance=t, duration=t)
    res = m.solve(stop=MaxRuntime(time_limit), seed=seed, display=False)
    routes: dict[int, list[int]] = {}
    for r in res.best.routes():
        k = r.vehicle_type()
        routes[k] = [client_site[a.idx] for a in r if a.is_client()]
    sol = _plan_from_routes(problem, routes, time.monotonic() - t0)
    status = "ok" if res.best.is_feasible() else "PyVRP best is infeasible"
    return sol, status


def _pyvrp_job(name: str, seed: int, time_limit: float, stream: int) -> tuple[Solution | None, str]:
    return run_pyvrp(scenario(name, seed), time_limit, seed * 1000 + stream)


def run_pyvrp_parallel(name: str, seed: int, time_limit: float, workers: int) -> tuple[Solution | None, str]:
    """PyVRP with ``workers`` seeds at once, one per core, best feasible plan kept: the same hardware as ours."""
    from concurrent.futures import ProcessPoolExecutor

    problem = scenario(name, seed)
    t0 = time.monotonic()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        outs = list(pool.map(_pyvrp_job, [name] * workers, [seed] * workers, [time_limit] * workers,
                             range(workers)))
    best, best_status = None, "no plan"
    for sol, status in outs:
        if sol is None or check_solution(problem, sol) or sol.stats.get("untimeable_days"):
            continue
        if best is None or (sol.total_prize, -sol.total_travel_min) > (best.total_prize, -best.total_travel_min):
            best, best_status = sol, status
    if best is None:
        return outs[0]
    return Solution(best.routes, best.unvisited, best.total_prize, best.total_travel_min,
                    round(time.monotonic() - t0, 3), 0, best.stats), f"best of {workers} seeds, {best_status}"


def run_plain_ortools(problem: Problem, time_limit: float) -> tuple[Solution | None, str]:
    """Our integer model, mandatory sites hard, PATH_CHEAPEST_ARC + GLS, nothing else."""
    from optimizer import _ortools
    from optimizer._intmodel import Search
    from optimizer.solver import _build, _prefilter, _routes_from

    t0 = time.monotonic()
    params = SolveParams(time_limit_s=time_limit)
    pre = _prefilter(problem, params.scale)
    built = _build(problem, pre, params, 0)
    if built is None:
        return None, "no usable day"
    for j, i in enumerate(built.node_site):
        if problem.sites[i].mandatory:
            built.model.penalty[j] = None  # hard: the natural first set-up
    res = _ortools.solve_int(built.model, Search(time_limit_s=time_limit, first_solution="PATH_CHEAPEST_ARC",
                                                 metaheuristic="GUIDED_LOCAL_SEARCH"))
    if res.status == "none":
        return None, "no plan found"
    return _plan_from_routes(problem, _routes_from(built, res.routes), time.monotonic() - t0), "ok"


def _row(label: str, problem: Problem, sol: Solution | None, status: str) -> str:
    if sol is None:
        return f"  {label:14s} NO PLAN ({status})"
    v = check_solution(problem, sol)
    must = [s.id for s in problem.sites if s.mandatory]
    placed = set(sol.visited_sites())
    missing = sum(1 for s in must if s not in placed)
    feas = "feasible" if not v and not sol.stats.get("untimeable_days") else f"INFEASIBLE ({len(v)} violations)"
    return (f"  {label:14s} prize {sol.total_prize:7.1f}  travel {sol.total_travel_min:8.1f} min  visits "
            f"{len(placed):3d}  mandatory missing {missing:2d}  {feas}  {sol.seconds:5.1f}s  [{status}]")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scenario", choices=SCENARIOS, action="append")
    ap.add_argument("--workers", type=int, default=2, help="cores for our solver and for the parallel PyVRP row")
    args = ap.parse_args()
    for name in args.scenario or SCENARIOS:
        p = scenario(name, args.seed)
        print(f"{name}: {len(p.sites)} desa, {len(p.days)} days, {sum(s.mandatory for s in p.sites)} mandatory, "
              f"{sum(bool(s.windows) for s in p.sites)} with day windows, total prize {sum(s.prize for s in p.sites)}",
              flush=True)
        ours = solve(p, SolveParams(time_limit_s=args.time_limit, seed=args.seed, workers=args.workers))
        print(_row("ours", p, ours, f"{args.workers} workers, deterministic effort"), flush=True)
        ours = solve(p, SolveParams(time_limit_s=args.time_limit, seed=args.seed, workers=1))
        print(_row("ours 1 core", p, ours, "1 worker, deterministic effort"), flush=True)
        sol, status = run_pyvrp(p, args.time_limit, args.seed)
        print(_row("pyvrp 0.14", p, sol, status), flush=True)
        if args.workers > 1:
            sol, status = run_pyvrp_parallel(name, args.seed, args.time_limit, args.workers)
            print(_row(f"pyvrp x{args.workers}", p, sol, status), flush=True)
        sol, status = run_plain_ortools(p, args.time_limit)
        print(_row("plain OR-Tools", p, sol, status), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
