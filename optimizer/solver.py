"""``solve(problem, params)``: the multi-day prize-collecting visit planner on OR-Tools routing.

How it works, and why:

1. **Pre-filter in float.** For each site, find the days it could be visited alone (open month, a window that
   day, a round trip that fits). Sites with none are reported at once (``closed``, ``no_window``,
   ``unreachable``) and kept out of the routing model, which makes it smaller and the reasons exact.
2. **Integer model** (``scaling.py`` policy: durations rounded up, deadlines down) with one vehicle per usable day,
   a disjunction per site whose penalty is its prize times a factor larger than any possible total travel, so the
   objective is lexicographic: prize first, then travel. Mandatory and locked sites get a penalty larger than all
   prizes together instead of a hard constraint, so a plan always exists; those left out are reported.
3. **Search**: rounds of ruin-and-recreate LNS (``_lns.py``), polished by OR-Tools tabu search on models with
   many days; after each round the day routes seen so far are recombined by set packing (``_pool.py``), and once
   more over all workers' routes at the end. Models the LNS does not support (breaks, position locks, a previous
   plan) get a prize-aware cheapest-insertion first solution and guided local search. Restarts use different
   node orders derived from the seed and share the time budget; the best plan wins.
4. **Determinism**: with ``deterministic=True`` the effort is a number of OR-Tools solutions (derived from the
   time limit and the model size), not a clock reading, so the same input, seed and time limit repeat the same
   plan; the time limit remains a safety cap that only cuts in on a machine much slower than expected.
5. **Extraction in float**: visit times are recomputed from the input (``schedule.py``), every unvisited site
   gets a reason, and ``displaced`` sites get their cheapest insertion.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from optimizer._intmodel import IntModel, Search
from optimizer.model import Problem, Route, Solution, Unvisited
from optimizer.params import SolveParams
from optimizer.scaling import PRIZE_SCALE, to_int_ceil, to_int_floor
from optimizer.schedule import arc_min, site_window, time_route

if TYPE_CHECKING:
    from optimizer._pool import RoutePool

__all__ = ["solve"]

_INT_LIMIT = 2**62
#: Deterministic effort: OR-Tools solutions per second of time limit for a model of ``_REF_NODES`` nodes
#: (calibrated on a 2-core machine so the count is normally reached well inside the limit).
_SOLUTIONS_PER_S = 2500
_REF_NODES = 100
#: Share of each round given to the ruin-and-recreate search when the model allows it; OR-Tools' tabu search
#: polishes the rest. A round lasts about ``_ROUND_S`` seconds of the time limit.
_LNS_SHARE = 0.85
_ROUND_S = 1.5
_MAX_ROUNDS = 50
#: Acceptance temperature per round (× median prize): measured, no single value wins on every instance, so
#: rounds alternate between a hot, a cool and a middle setting, each starting from the best plan so far.
_T0_CYCLE = (10.0, 0.3, 3.0)
#: Deterministic tabu effort per round, in OR-Tools solutions.
_POLISH_SOLUTIONS = 25
_POLISH_META = "TABU_SEARCH"
#: Prize-collecting moves OR-Tools leaves off by default; they matter when the days are full.
_EXTRA_OPERATORS = {
    "use_relocate_and_make_active": True,
    "use_extended_swap_active": True,
    "use_exchange_and_make_active": True,
}
#: Deterministic LNS effort: work units (see ``_lns.lns``) per second of time limit, calibrated on the 2-core
#: reference machine with two workers: TOP runs spend on average 58 % of the limit (max 90 %). Measured on all
#: 138 TOP instances: 3.0e6 → 99.51 %, 3.5e6 → 99.60 %, 4.0e6 → 99.64 % but 8 runs cut by the clock.
_LNS_WORK_PER_S = 3.5e6
#: Days from which OR-Tools' tabu search polishes each LNS round: it reshuffles many short days well (Banyuwangi
#: scenarios: +5 prize on the quarter, 15 % less travel) and adds nothing on a few long ones (TOP), where it
#: took a third of the time.
_POLISH_MIN_DAYS = 8
#: Share of targeted ruin steps on odd worker streams (even ones use the LNS default, 0.4): the second worker
#: searches differently, not only on another seed, so the two land in different basins more often. Hard TOP
#: subset (11 instances × 2 seed pairs, 10 s): 0.4 → 98.17 / 98.35 %, 0.7 → 98.53 / 98.63 %; 0.2 98.08 %,
#: 0.85 97.99 %.
_P_TARGET_ODD_STREAMS = 0.7
#: Route pool (``_pool.py``): CP-SAT deterministic seconds per recombination, after every round of each worker
#: and once over all workers' routes at the end; 0 turns the pool off. Banyuwangi month of 75-minute visits
#: (4 seeds): without 687.3 → per round 697.0 → with the final merge 700.0; quarter 808.7 → 818.3 → 819.0.
_POOL_DET_S = 0.2
_POOL_MERGE_DET_S = 0.5


@dataclass(slots=True)
class _Prefilter:
    feasible_days: list[list[int]]  # per site
    reasons: dict[int, tuple[str, str]]  # site -> (reason, detail)
    usable_days: list[int]


def _prefilter(problem: Problem, scale: int) -> _Prefilter:
    usable = []
    for k, d in enumerate(problem.days):
        # The integer model must keep a non-empty range after rounding (see scaling.py).
        if time_route(problem, k, []) is not None and to_int_ceil(d.start_min, scale) <= to_int_floor(d.end_min, scale):
            usable.append(k)
    usable_set = set(usable)
    feasible: list[list[int]] = []
    reasons: dict[int, tuple[str, str]] = {}
    for i, s in enumerate(problem.sites):
        cand = sorted({w.day for w in s.windows}) if s.windows else list(range(len(problem.days)))
        cand = [k for k in cand if k in usable_set and problem.days[k].max_visits != 0]
        if not cand:
            reason = ("no_window", f"Site {s.id!r} has no window on a usable day.") if s.windows else (
                "unreachable", f"Site {s.id!r} has no usable day (every day is too short or full).")
            reasons[i] = reason
            feasible.append([])
            continue
        open_days = [k for k in cand if problem.days[k].month not in s.closed_months]
        if not open_days:
            months = ", ".join(str(m) for m in sorted(s.closed_months))
            reasons[i] = ("closed", f"Site {s.id!r} is closed (months {months}) on every day it could be visited.")
            feasible.append([])
            continue
        windowed = []
        for k in open_days:
            lo, hi = site_window(problem, i, k)  # type: ignore[misc]
            if to_int_ceil(lo, scale) <= to_int_floor(hi - s.service_min, scale):
                windowed.append(k)
        if not windowed:
            reasons[i] = ("no_window", f"None of the windows of site {s.id!r} leaves {s.service_min} minutes "
                                       "inside its day's hours.")
            feasible.append([])
            continue
        fits = [k for k in windowed if time_route(problem, k, [i]) is not None]
        if not fits:
            reasons[i] = ("unreachable", f"Site {s.id!r} cannot be reached, served and left within any of its "
                                         "days or windows, even alone.")
        feasible.append(fits)
    return _Prefilter(feasible, reasons, usable)


@dataclass(slots=True)
class _Built:
    model: IntModel
    node_site: list[int]  # node -> site index
    vehicle_day: list[int]
    prize_int: list[int]


def _build(problem: Problem, pre: _Prefilter, params: SolveParams, order_seed: int) -> _Built | None:
    sites = [i for i in range(len(problem.sites)) if pre.feasible_days[i]]
    vehicle_day = list(pre.usable_days)
    if not vehicle_day:
        return None
    rng = random.Random(order_seed)
    if order_seed:
        rng.shuffle(sites)
    S = params.scale
    veh_of_day = {k: v for v, k in enumerate(vehicle_day)}
    depot_locs = sorted({problem.days[k].start_location for k in vehicle_day}
                        | {problem.days[k].end_location for k in vehicle_day})
    depot_node = {loc: len(sites) + j for j, loc in enumerate(depot_locs)}
    n = len(sites) + len(depot_locs)
    node_loc = [problem.sites[i].location for i in sites] + depot_locs
    node_site: list[int | None] = [*sites, *([None] * len(depot_locs))]
    service = [to_int_ceil(problem.sites[i].service_min, S) for i in sites] + [0] * len(depot_locs)
    service_f = [problem.sites[i].service_min for i in sites] + [0.0] * len(depot_locs)

    span_total = sum(problem.days[k].end_min - problem.days[k].start_min for k in vehicle_day)
    prize_int = [round(problem.sites[i].prize * PRIZE_SCALE) for i in sites]
    prev = problem.previous.as_dict() if problem.previous else {}
    stab = round(problem.previous.penalty * PRIZE_SCALE) if problem.previous else 0
    cancel = round((problem.previous.cancel_penalty or 0.0) * PRIZE_SCALE) if problem.previous else 0
    total_prize_units = sum(prize_int) + max(stab, cancel) * len(prev) + 1
    cost_scale = 100
    while cost_scale > 1:
        k_factor = math.ceil(span_total * cost_scale) + 2 * n + 1
        if total_prize_units * k_factor * (len(sites) + 1) < _INT_LIMIT:
            break
        cost_scale //= 10
    k_factor = math.ceil(span_total * cost_scale) + 2 * n + 1

    time_m = [[0] * n for _ in range(n)]
    cost_m = [[0] * n for _ in range(n)]
    for a in range(n):
        sa, la, ta, ca = node_site[a], node_loc[a], time_m[a], cost_m[a]
        for b in range(n):
            if a == b:
                continue
            t = arc_min(problem, sa, la, node_site[b], node_loc[b])
            ta[b] = to_int_ceil(service_f[a] + t, S)
            ca[b] = to_int_ceil(t, cost_scale)

    locked = {lk.site: lk for lk in problem.locks}
    sidx = problem.site_index()
    didx = problem.day_index()
    optional_total = 0
    penalty: list[int | None] = []
    for j, i in enumerate(sites):
        s = problem.sites[i]
        p = prize_int[j] * k_factor
        if s.id in prev:
            p += cancel * k_factor  # dropping an announced visit costs its prize and the cancellation penalty
        penalty.append(p)
        optional_total += p
    big = optional_total + 1
    positions: dict[int, int] = {}
    allowed: list[list[int] | None] = []
    window: list[tuple[int, int]] = []
    vwin: list[dict[int, tuple[int, int]] | None] = []
    for j, i in enumerate(sites):
        s = problem.sites[i]
        days_ok = pre.feasible_days[i]
        lk = locked.get(s.id)
        if lk is not None:
            dk = didx[lk.day]
            days_ok = [dk] if dk in days_ok else []
            if lk.position is not None:
                positions[j] = lk.position - 1
        if s.mandatory or lk is not None:
            penalty[j] = big
        vs = [veh_of_day[k] for k in days_ok]
        allowed.append(vs if len(vs) < len(vehicle_day) else None)
        per = {}
        for k in days_ok:
            lo, hi = site_window(problem, i, k)  # type: ignore[misc]
            per[veh_of_day[k]] = (to_int_ceil(lo, S), to_int_floor(hi - s.service_min, S))
        if per:
            lo_all = min(v[0] for v in per.values())
            hi_all = max(v[1] for v in per.values())
        else:
            lo_all, hi_all = 0, 0
        window.append((lo_all, hi_all))
        distinct = set(per.values())
        vwin.append(per if len(distinct) > 1 else None)
    if problem.locks:
        # A lock whose day is impossible leaves the site with no allowed vehicle: keep it out of the model.
        pass
    vehicle_node_cost = None
    if prev or problem.day_discount:
        vehicle_node_cost = []
        for k in vehicle_day:
            extra = {}
            for j, i in enumerate(sites):
                pd = prev.get(problem.sites[i].id)
                if pd is not None and didx[pd] != k:
                    extra[j] = stab * k_factor
                if problem.day_discount:  # the share of the prize a later day loses
                    lost = round(prize_int[j] * problem.day_discount * k)
                    if lost:
                        extra[j] = extra.get(j, 0) + lost * k_factor
            vehicle_node_cost.append(extra)
    _ = sidx
    m = IntModel(
        n_nodes=n,
        n_sites=len(sites),
        time=time_m,
        cost=cost_m,
        service=service,
        starts=[depot_node[problem.days[k].start_location] for k in vehicle_day],
        ends=[depot_node[problem.days[k].end_location] for k in vehicle_day],
        day_start=[to_int_ceil(problem.days[k].start_min, S) for k in vehicle_day],
        day_end=[to_int_floor(problem.days[k].end_min, S) for k in vehicle_day],
        horizon=max(to_int_floor(problem.days[k].end_min, S) for k in vehicle_day) + 1,
        penalty=penalty,
        allowed=allowed,
        window=window,
        vehicle_windows=vwin,
        max_visits=[problem.days[k].max_visits for k in vehicle_day],
        positions=positions,
        breaks=[
            [(to_int_ceil(b.start_min, S), to_int_floor(b.end_min, S), to_int_ceil(b.duration, S))
             for b in problem.days[k].breaks]
            for k in vehicle_day
        ],
        vehicle_node_cost=vehicle_node_cost,
    )
    # Sites with no allowed vehicle left (impossible lock) are made unperformable.
    for j, a in enumerate(allowed):
        if a == []:
            m.allowed[j] = []
    return _Built(m, sites, vehicle_day, prize_int)


def _solution_budget(n_nodes: int, time_limit_s: float) -> int:
    return max(50, int(_SOLUTIONS_PER_S * time_limit_s * _REF_NODES / max(n_nodes, _REF_NODES)))


def _score(problem: Problem, routes: dict[int, list[int]]) -> tuple[float, float]:
    prize = sum(problem.sites[i].prize for seq in routes.values() for i in seq)
    travel = 0.0
    for k, seq in routes.items():
        t = time_route(problem, k, seq)
        travel += t.travel_min if t else math.inf
    return prize, travel


def _routes_from(built: _Built, raw: list[list[int]]) -> dict[int, list[int]]:
    return {built.vehicle_day[v]: [built.node_site[n] for n in path] for v, path in enumerate(raw)}


def _changes(problem: Problem, routes: dict[int, list[int]]) -> tuple[int, int]:
    """(moved, cancelled) visits of the previous plan: now on another day, or no longer in the plan."""
    if problem.previous is None:
        return 0, 0
    didx = problem.day_index()
    on_day = {problem.sites[i].id: k for k, seq in routes.items() for i in seq}
    moved = cancelled = 0
    for sid, d in problem.previous.assignments:
        k = on_day.get(sid)
        if k is None:
            cancelled += 1
        elif k != didx[d]:
            moved += 1
    return moved, cancelled


def _key(problem: Problem, routes: dict[int, list[int]]) -> tuple[int, float, float]:
    """Lexicographic plan value: mandatory/locked sites placed, prize minus stability penalties, then -travel."""
    must = {lk.site for lk in problem.locks} | {s.id for s in problem.sites if s.mandatory}
    placed = sum(1 for seq in routes.values() for i in seq if problem.sites[i].id in must)
    prize, travel = _score(problem, routes)
    value = prize
    if problem.previous is not None:
        moved, cancelled = _changes(problem, routes)
        value -= problem.previous.penalty * moved + (problem.previous.cancel_penalty or 0.0) * cancelled
    if problem.day_discount:
        value -= sum(problem.sites[i].prize * problem.day_discount * k for k, seq in routes.items() for i in seq)
    return placed, round(value, 6), -round(travel, 6)


def solve_routes(problem: Problem, params: SolveParams, pre: _Prefilter, deadline: float
                 ) -> tuple[dict[int, list[int]], dict[str, float]]:
    """Run ``params.workers`` independent searches in parallel and return the best plan (day -> site indices).

    With more than one worker, the day routes every worker has seen are pooled and recombined once more: the
    best plan may take some days from one search and some from another.
    """
    from optimizer._parallel import run_portfolio

    def worker(stream: int) -> tuple[dict[int, list[int]], dict[str, float], object]:
        routes, stats, pooled = _search(problem, params, pre, deadline, stream)
        if pooled is not None and stream != 0:  # forked workers send plain (day, site indices) pairs back
            built, pool = pooled
            return routes, stats, pool.export(built.vehicle_day, built.node_site)
        return routes, stats, pooled

    results = run_portfolio(worker, params.workers, deadline)
    best, stats, pooled = results[0]
    best_key = _key(problem, best)
    for routes, _, _ in results[1:]:
        key = _key(problem, routes)
        if key > best_key:
            best, best_key = routes, key
    stats = dict(stats)
    stats["workers"] = len(results)
    stats["lns_iterations"] = sum(st.get("lns_iterations", 0) for _, st, _ in results)
    if pooled is not None and len(results) > 1:
        built, pool = pooled
        merged = _merge_pools(problem, built, pool, best, [r[2] for r in results[1:]], deadline, params.seed, stats)
        if merged is not None and _key(problem, merged) > best_key:
            best = merged
            stats["pool_gains"] = stats.get("pool_gains", 0) + 1
    return best, stats


def _merge_pools(problem: Problem, built: _Built, pool: RoutePool, best: dict[int, list[int]],
                 exported: list[list[tuple[int, list[int]]] | None], deadline: float, seed: int,
                 stats: dict[str, float]) -> dict[int, list[int]] | None:
    """Recombine stream 0's route pool enlarged by the other workers' routes (given as day, site indices).

    Every worker builds its model from the same pre-filter, so only the node order differs between them.
    """
    node_of = {site: node for node, site in enumerate(built.node_site)}
    veh_of = {k: v for v, k in enumerate(built.vehicle_day)}
    st = pool.st
    for routes in exported:
        for n, (k, seq) in enumerate(routes or ()):
            if n % 512 == 0 and time.monotonic() >= deadline:  # the merge is a bonus: never past the limit
                break
            v, nodes = veh_of[k], [node_of[i] for i in seq]
            pool.add(v, nodes, st.route_cost(v, nodes))
    incumbent = [[node_of[i] for i in best.get(k, [])] for k in built.vehicle_day]
    t = time.monotonic()
    new = pool.recombine(incumbent, _POOL_MERGE_DET_S, deadline, seed)
    stats["pool_s"] = stats.get("pool_s", 0) + time.monotonic() - t
    stats["pool_routes"] = len(pool)
    return None if new is None else _routes_from(built, new)


def _search(problem: Problem, params: SolveParams, pre: _Prefilter, deadline: float, stream: int
            ) -> tuple[dict[int, list[int]], dict[str, float], tuple[_Built, RoutePool] | None]:
    """One search (restarts × [LNS →] OR-Tools) on seed stream ``stream``; also its last restart's route pool."""
    from optimizer import _lns, _ortools, _pool  # lazily: the pure model must load without OR-Tools

    best: dict[int, list[int]] = {}
    best_key: tuple[int, float, float] | None = None
    pooled: tuple[_Built, RoutePool] | None = None
    stats: dict[str, float] = {"restarts": 0, "solutions": 0, "lns_iterations": 0}
    share_s = params.time_limit_s / params.restarts
    for r in range(params.restarts):
        remaining = deadline - time.monotonic()
        if remaining <= 0.05 and best_key is not None:
            break
        share = max(0.05, remaining / (params.restarts - r))
        order_seed = params.seed * 7919 + r + stream * 1_000_003
        built = _build(problem, pre, params, order_seed)
        if built is None:
            return {}, stats, None
        stats["restarts"] += 1
        candidates: list[dict[int, list[int]]] = []
        engine = _ortools.Engine(built.model)
        n_nodes = built.model.n_nodes
        stats["search"] = "lns" if _lns.supports(built.model) else "ortools_gls"
        if _lns.supports(built.model):
            # Alternate ruin-and-recreate with OR-Tools tabu search started from its result: the LNS swaps
            # sites in and out, the tabu search reshuffles routes so that more fits. Each round restarts the
            # LNS from the best plan so far.
            rounds = max(1, min(_MAX_ROUNDS, int(share_s / _ROUND_S)))
            polish = len(built.vehicle_day) >= _POLISH_MIN_DAYS
            cur: list[list[int]] | None = _previous_routes(problem, built)
            cur_obj: float | None = None
            pool = _pool.RoutePool(built.model) if _POOL_DET_S > 0 else None
            if pool is not None:
                pooled = (built, pool)
            t_restart = time.monotonic()
            for rd in range(rounds):
                left = share - (time.monotonic() - t_restart)
                if left <= 0.02 and cur is not None:
                    break
                round_s = left / (rounds - rd)
                lns_share = _LNS_SHARE if polish else 1.0
                lns_s = round_s * lns_share
                work = _LNS_WORK_PER_S * share_s / rounds * lns_share
                raw, st = _lns.lns(built.model, order_seed * 131 + rd, work if params.deterministic else math.inf,
                                   time.monotonic() + lns_s, initial=cur, clock=not params.deterministic,
                                   t0_factor=_T0_CYCLE[rd % len(_T0_CYCLE)],
                                   p_target=_P_TARGET_ODD_STREAMS if stream % 2 else _lns.DEFAULT_P_TARGET,
                                   pool=pool)
                stats["lns_iterations"] += st["lns_iterations"]
                stats["lns_work"] = stats.get("lns_work", 0) + st["lns_work"]
                stats["clock_stops"] = stats.get("clock_stops", 0) + st["clock_stop"]
                polish_s = max(0.02, round_s - lns_s)
                if not polish:
                    cur, cur_obj = raw, st["lns_objective"]
                    cur, cur_obj = _recombine(pool, cur, cur_obj, deadline, order_seed + rd, stats)
                    candidates.append(_routes_from(built, cur))
                    continue
                res = engine.solve(Search(
                    time_limit_s=polish_s,
                    solution_limit=_POLISH_SOLUTIONS if params.deterministic else None,
                    metaheuristic=_POLISH_META,
                    initial_routes=raw,
                    operators=_EXTRA_OPERATORS,
                ))
                stats["solutions"] += res.solutions
                cur, cur_obj = raw, st["lns_objective"]
                if res.status != "none" and res.routes:
                    obj = _lns.objective(built.model, res.routes)
                    if obj <= cur_obj:
                        cur, cur_obj = res.routes, obj
                cur, cur_obj = _recombine(pool, cur, cur_obj, deadline, order_seed + rd, stats)
                candidates.append(_routes_from(built, cur))
        else:
            res = engine.solve(Search(
                time_limit_s=share,
                solution_limit=_solution_budget(n_nodes, share_s) if params.deterministic else None,
                first_solution=params.first_solution,
                metaheuristic=params.metaheuristic,
                operators=_EXTRA_OPERATORS,
            ))
            stats["solutions"] += res.solutions
            if res.status != "none" and res.routes:
                candidates.append(_routes_from(built, res.routes))
        for routes in candidates:
            key = _key(problem, routes)
            if best_key is None or key > best_key:
                best, best_key = routes, key
    return best, stats, pooled


def _previous_routes(problem: Problem, built: _Built) -> list[list[int]] | None:
    """The previous plan as the search's starting point (nodes per vehicle, in the previous visit order).

    Starting from the announced plan means the search only leaves it for something better, penalties included:
    re-solving unchanged data keeps it. Visits that no longer fit are dropped by the LNS's repair.
    """
    if problem.previous is None:
        return None
    node_of = {site: node for node, site in enumerate(built.node_site)}
    veh_of = {k: v for v, k in enumerate(built.vehicle_day)}
    sidx, didx = problem.site_index(), problem.day_index()
    routes: list[list[int]] = [[] for _ in built.vehicle_day]
    for sid, did in problem.previous.assignments:
        node, v = node_of.get(sidx[sid]), veh_of.get(didx[did])
        if node is not None and v is not None:
            routes[v].append(node)
    return routes


def _recombine(pool: RoutePool | None, cur: list[list[int]], cur_obj: float, deadline: float, seed: int,
               stats: dict[str, float]) -> tuple[list[list[int]], float]:
    """The pool's best recombination when it beats ``cur`` (objective as the LNS counts it), else ``cur``."""
    from optimizer import _lns

    if pool is None:
        return cur, cur_obj
    t = time.monotonic()
    stats["pool_routes"] = max(stats.get("pool_routes", 0), len(pool))
    new = pool.recombine(cur, _POOL_DET_S, deadline, seed)
    stats["pool_s"] = stats.get("pool_s", 0) + time.monotonic() - t
    if new is not None:
        obj = _lns.objective(pool.st.m, new)
        if obj < cur_obj:
            stats["pool_gains"] = stats.get("pool_gains", 0) + 1
            return new, obj
    return cur, cur_obj


def _cheapest_insertion(problem: Problem, site: int, days: list[int], routes: dict[int, list[int]]
                        ) -> tuple[int, int, float] | None:
    """Day, 0-based position and added minutes (travel + service) of the cheapest insertion of ``site``."""
    best = None
    s = problem.sites[site]
    for k in days:
        d = problem.days[k]
        seq = routes.get(k, [])
        stops = [(None, d.start_location), *[(i, problem.sites[i].location) for i in seq], (None, d.end_location)]
        for pos in range(len(stops) - 1):
            (a, la), (b, lb) = stops[pos], stops[pos + 1]
            added = (arc_min(problem, a, la, site, s.location) + arc_min(problem, site, s.location, b, lb)
                     - arc_min(problem, a, la, b, lb) + s.service_min)
            if best is None or added < best[2] - 1e-9:
                best = (k, pos, added)
    return best


def solve(problem: Problem, params: SolveParams | None = None) -> Solution:
    """Plan the visits: maximise total prize, then minimise travel, within ``params.time_limit_s``.

    Parameters
    ----------
    problem
        The validated planning problem (travel matrix included).
    params
        Time limit, seed and search settings; defaults to ``SolveParams()``.

    Returns
    -------
    Solution
        One route per day (possibly empty), every unvisited site with a reason, mandatory sites that could not be
        placed flagged ``mandatory=True``. Always returns a plan; it never raises for an over-constrained input.
    """
    params = params or SolveParams()
    t0 = time.monotonic()
    deadline = t0 + params.time_limit_s
    pre = _prefilter(problem, params.scale)
    stats: dict = {}
    if any(pre.feasible_days):
        routes, stats = solve_routes(problem, params, pre, deadline)
    else:
        routes = {}
    return _assemble(problem, pre, routes, time.monotonic() - t0, stats)


def _assemble(problem: Problem, pre: _Prefilter, routes: dict[int, list[int]], seconds: float, stats: dict
              ) -> Solution:
    out_routes = []
    total_travel = 0.0
    visited: set[int] = set()
    usable = set(pre.usable_days)
    for k, d in enumerate(problem.days):
        seq = routes.get(k, [])
        if not seq:
            out_routes.append(Route(d.id, (), d.start_min, d.start_min, 0.0, usable=k in usable))
            continue
        timed = time_route(problem, k, seq)
        if timed is None:  # pragma: no cover - the integer model is stricter than the float timing
            raise AssertionError(f"Day {d.id!r}: the solver returned a route that cannot be timed.")
        visited.update(seq)
        total_travel += timed.travel_min
        out_routes.append(Route(d.id, timed.visits, timed.depart_min, timed.return_min, timed.travel_min))
    locks = {lk.site: lk for lk in problem.locks}
    didx = problem.day_index()
    unvisited = []
    for i, s in enumerate(problem.sites):
        if i in visited:
            continue
        must = s.mandatory or s.id in locks
        if i in pre.reasons:
            reason, detail = pre.reasons[i]
            unvisited.append(Unvisited(s.id, reason, must, detail))
            continue
        days = pre.feasible_days[i]
        lk = locks.get(s.id)
        if lk is not None and didx[lk.day] not in days:
            unvisited.append(Unvisited(s.id, "unreachable", True,
                                       f"Site {s.id!r} is locked to day {lk.day!r}, where it cannot be visited."))
            continue
        ins = _cheapest_insertion(problem, i, days, routes)
        if ins is None:  # pragma: no cover
            unvisited.append(Unvisited(s.id, "displaced", must, f"Site {s.id!r} was left out."))
            continue
        k, pos, added = ins
        why = ("it conflicts with other mandatory or locked visits" if must
               else "the plan's visits are worth more")
        detail = (f"Site {s.id!r} fits alone but {why}; its cheapest insertion is on day "
                  f"{problem.days[k].id!r} at position {pos + 1}, adding {added:.1f} minutes.")
        unvisited.append(Unvisited(s.id, "displaced", must, detail, problem.days[k].id, pos + 1, round(added, 3)))
    moved, cancelled = _changes(problem, routes)
    total_prize = sum(problem.sites[i].prize for i in visited)
    return Solution(tuple(out_routes), tuple(unvisited), round(total_prize, 9), round(total_travel, 6),
                    round(seconds, 3), moved, cancelled, dict(stats))
