"""The route pool: set packing picks the best compatible day routes from different plans, on the right days."""

from __future__ import annotations

import dataclasses

from optimizer import SolveParams, Window, check_solution, solve
from optimizer import solver as solver_mod
from optimizer._lns import objective
from optimizer._pool import RoutePool
from tests.optimizer._helpers import line_problem

PARAMS = SolveParams(time_limit_s=1.0, seed=0)


def _built(problem, order_seed: int = 0):  # type: ignore[no-untyped-def]
    pre = solver_mod._prefilter(problem, PARAMS.scale)
    return solver_mod._build(problem, pre, PARAMS, order_seed)


def _add(pool: RoutePool, v: int, route: list[int]) -> None:
    pool.add(v, route, pool.st.route_cost(v, route))


def test_routes_from_two_plans_are_combined() -> None:
    """Plan A fills day 1 east, plan B fills day 2 west; neither holds all six sites, the packing does."""
    p = line_problem([1, 2, 3, -1, -2, -3], [1] * 6, day_len=6.5, n_days=2)
    b = _built(p)
    pool = RoutePool(b.model)
    for v, r in enumerate([[0, 1, 2], [3]]):  # plan A
        _add(pool, v, r)
    for v, r in enumerate([[0], [3, 4, 5]]):  # plan B
        _add(pool, v, r)
    incumbent = [[0, 1, 2], [3]]
    new = pool.recombine(incumbent, 1.0, 1e18, 0)
    assert new is not None
    assert sorted(sorted(r) for r in new) == [[0, 1, 2], [3, 4, 5]]
    assert objective(b.model, new) < objective(b.model, incumbent)


def test_a_route_through_a_day_specific_window_keeps_its_day() -> None:
    """Site 0 may only be visited on the second day, so its route must land there and the other on day 1."""
    p = line_problem([3, -3, -2.9], [5, 1, 1], day_len=6.5, n_days=2)
    windowed = dataclasses.replace(p.sites[0], windows=(Window(1, 0.0, 6.5),))
    p = dataclasses.replace(p, sites=(windowed, *p.sites[1:]))
    b = _built(p)
    pool = RoutePool(b.model)
    _add(pool, 1, [0])
    _add(pool, 1, [2, 1])  # found on the second day, but fits either
    new = pool.recombine([[], [0]], 1.0, 1e18, 0)
    assert new == [[2, 1], [0]]


def test_exported_routes_read_back_into_another_node_order() -> None:
    """Workers number the nodes differently; a route exported by one is the same sites in the other's model."""
    p = line_problem([1, 2, 3, -1, -2, -3], [1, 2, 3, 4, 5, 6], day_len=20, n_days=2)
    b1, b2 = _built(p, 0), _built(p, 12345)
    assert b1.node_site != b2.node_site
    pool1 = RoutePool(b1.model)
    _add(pool1, 0, [0, 1, 2])
    _add(pool1, 1, [5, 4])
    pairs = pool1.export(b1.vehicle_day, b1.node_site)
    assert sorted((k, sorted(s)) for k, s in pairs) == [(0, [0, 1, 2]), (0, [4, 5])]
    pool2 = RoutePool(b2.model)
    best = {0: [0, 1, 2], 1: []}
    merged = solver_mod._merge_pools(p, b2, pool2, best, [pairs], 1e18, 0, {})
    assert merged is not None
    assert sorted(sorted(s) for s in merged.values()) == [[0, 1, 2], [4, 5]]


def test_two_workers_share_their_pools_and_stay_feasible() -> None:
    p = line_problem([1, 2, 3, 4, -1, -2, -3, -4], [3, 1, 4, 1, 5, 9, 2, 6], day_len=7, n_days=3, service=0.5)
    sol = solve(p, SolveParams(time_limit_s=2.0, seed=3, workers=2))
    assert check_solution(p, sol) == []
    assert sol.stats["workers"] == 2
    assert sol.stats["pool_routes"] > 0
    again = solve(p, SolveParams(time_limit_s=2.0, seed=3, workers=2))
    assert again.routes == sol.routes
