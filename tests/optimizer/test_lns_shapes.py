"""The LNS on the shapes the app sends: breaks (fixed and flexible), previous plans; exact timing against the
float schedule, exact insertion against brute force, and the search path every such model takes."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer import Break, Day, PreviousPlan, Problem, SolveParams, _lns, check_solution, solve, solver
from optimizer.schedule import time_route
from tests.optimizer._helpers import grid_problem

PARAMS = SolveParams(time_limit_s=2.0, seed=3, workers=1)


def _state(problem: Problem) -> tuple[_lns._State, solver._Built]:
    params = SolveParams(scale=1)
    pre = solver._prefilter(problem, params.scale)
    built = solver._build(problem, pre, params, 0)
    assert built is not None
    return _lns._State(built.model), built


def _problem(seed: int, breaks: tuple[Break, ...]) -> Problem:
    """Integral minutes everywhere, so the integer and the float timing must agree exactly."""
    rng = random.Random(seed)
    pts = [(rng.randint(-30, 30), rng.randint(-30, 30)) for _ in range(9)]
    prob = grid_problem(pts, [1.0] * 9, [Day("d0", 0, 0, 420, 720, breaks=breaks)],
                        service=[float(rng.choice((20, 45, 60))) for _ in range(9)])
    # Round travel to whole minutes (the integer model rounds up; the float schedule must see the same numbers).
    matrix = [[float(round(x)) for x in row] for row in prob.travel_min]
    return Problem(prob.locations, matrix, prob.sites, prob.days, name="int")


BREAKS = st.sampled_from([
    (Break(570, 660),),  # fixed: Friday prayer 09.30-11.00 on this short day
    (Break(540, 630, duration_min=45),),  # flexible lunch
    (Break(480, 500), Break(600, 690, duration_min=30)),  # two breaks
])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), breaks=BREAKS, data=st.data())
def test_integer_timing_with_breaks_equals_the_float_schedule(seed, breaks, data) -> None:
    problem = _problem(seed, breaks)
    state, built = _state(problem)
    nodes = data.draw(st.permutations(range(len(built.node_site) - 1)))[: data.draw(st.integers(0, 5))]
    nodes = [n for n in nodes if built.node_site[n] is not None]
    float_ok = time_route(problem, 0, [built.node_site[n] for n in nodes]) is not None
    assert (state.times(0, nodes) is not None) == float_ok


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), breaks=BREAKS, data=st.data())
def test_break_insertion_finds_the_cheapest_feasible_position_of_every_candidate(seed, breaks, data) -> None:
    problem = _problem(seed, breaks)
    state, built = _state(problem)
    sites = [n for n in range(len(built.node_site)) if built.node_site[n] is not None]
    route: list[int] = []
    for n in data.draw(st.permutations(sites)):  # a feasible route of a few visits
        if len(route) < 3 and state.times(0, [*route, n]) is not None:
            route.append(n)
    cand = [n for n in sites if n not in route]
    a, taken = state.times(0, route)
    best, pos = state.insertion(0, route, a, taken, np.array(cand))
    T = state.Tl
    seq = [built.model.starts[0], *route, built.model.ends[0]]
    for c, b, p in zip(cand, best.tolist(), pos.tolist(), strict=True):
        options = [(T[seq[q]][c] + T[c][seq[q + 1]] - T[seq[q]][seq[q + 1]], q) for q in range(len(seq) - 1)
                   if state.times(0, [*route[:q], c, *route[q:]]) is not None]
        if not options:
            assert p == -1
        else:
            assert p >= 0 and b == min(o[0] for o in options)
            assert state.times(0, [*route[:p], c, *route[p:]]) is not None


def _month(with_breaks: bool) -> Problem:
    """Four weeks of short days, a prayer break on Fridays and a flexible lunch otherwise."""
    rng = random.Random(7)
    pts = [(rng.uniform(-40, 40), rng.uniform(-40, 40)) for _ in range(60)]
    days = []
    for k in range(10):
        friday = k % 5 == 4
        brk = (Break(690, 780),) if friday else (Break(720, 810, duration_min=60),)
        days.append(Day(f"d{k}", 0, 0, 450, 900, max_visits=4, breaks=brk if with_breaks else ()))
    return grid_problem(pts, [float(rng.randint(1, 10)) for _ in pts], days, service=[90.0] * 60)


def test_models_with_breaks_run_the_lns_and_stay_feasible() -> None:
    problem = _month(with_breaks=True)
    sol = solve(problem, PARAMS)
    assert sol.stats["search"] == "lns" and sol.stats["lns_iterations"] > 0
    assert check_solution(problem, sol) == []
    for route in sol.routes:  # no service overlaps the day's break
        day = next(d for d in problem.days if d.id == route.day)
        for v in route.visits:
            for b in day.breaks:
                if b.duration == b.end_min - b.start_min:
                    assert v.end_min <= b.start_min + 1e-6 or v.start_min >= b.end_min - 1e-6


def test_a_break_may_interrupt_travel() -> None:
    """Leave 11.10, drive 20 minutes, pray 11.30-13.00 on the way, drive 20 more: serve 13.20-14.10. Praying
    before leaving (arrival 13.40) or on arrival (11.50, after the prayer starts) would miss the window."""
    from optimizer import Location, Site, Window

    locs = (Location("o", 0, 0), Location("far", 40, 0))
    problem = Problem(locs, ((0.0, 40.0), (40.0, 0.0)),
                      (Site("s", 1, 5.0, 50.0, windows=(Window(0, 13 * 60 + 20, 14 * 60 + 10),)),),
                      (Day("fri", 0, 0, 11 * 60 + 10, 16 * 60, breaks=(Break(690, 780),)),))
    sol = solve(problem, PARAMS)
    assert [v.site for r in sol.routes for v in r.visits] == ["s"]
    assert sol.routes[0].visits[0].start_min == pytest.approx(13 * 60 + 20)
    assert check_solution(problem, sol) == []


def test_previous_plan_models_run_the_lns_and_keep_an_unchanged_plan() -> None:
    problem = _month(with_breaks=True)
    first = solve(problem, PARAMS)
    previous = PreviousPlan(tuple((v.site, r.day) for r in first.routes for v in r.visits), penalty=5.0)
    replanned = solve(Problem(problem.locations, problem.travel_min, problem.sites, problem.days,
                              previous=previous), SolveParams(time_limit_s=2.0, seed=11, workers=1))
    assert replanned.stats["search"] == "lns"
    assert (replanned.moved_visits, replanned.cancelled_visits) == (0, 0)
    assert replanned.total_prize >= first.total_prize
    assert check_solution(problem, replanned) == []


def test_moved_and_cancelled_visits_are_counted_apart_and_cancelling_costs_more() -> None:
    problem = _month(with_breaks=False)
    first = solve(problem, PARAMS)
    planned = [(v.site, r.day) for r in first.routes for v in r.visits]
    # Announce one visit on a day that is now impossible for it: it must move (or be cancelled).
    sites = list(problem.sites)
    left_out = next(u.site for u in first.unvisited)
    urgent = {left_out}
    sites = [s if s.id not in urgent else type(s)(s.id, s.location, 500.0, s.service_min) for s in sites]
    previous = PreviousPlan(tuple(planned), penalty=2.0)
    assert previous.cancel_penalty == 3.0
    sol = solve(Problem(problem.locations, problem.travel_min, tuple(sites), problem.days, previous=previous),
                PARAMS)
    on_day = {v.site: r.day for r in sol.routes for v in r.visits}
    assert left_out in on_day  # worth far more than any penalty
    moved = sum(1 for s, d in planned if s in on_day and on_day[s] != d)
    cancelled = sum(1 for s, _ in planned if s not in on_day)
    assert (sol.moved_visits, sol.cancelled_visits) == (moved, cancelled)
    assert moved + cancelled <= 4  # at most one day's visits make room for the urgent desa


def test_position_locks_that_fill_the_first_positions_run_the_lns() -> None:
    """Locks at positions 1 and 2 of a day (and 1 of another): the LNS keeps them as each route's prefix."""
    from optimizer import Lock

    problem = _month(with_breaks=True)
    ids = [s.id for s in problem.sites]
    locks = (Lock(ids[0], "d0", 1), Lock(ids[1], "d0", 2), Lock(ids[2], "d4", 1))
    locked = Problem(problem.locations, problem.travel_min, problem.sites, problem.days, locks=locks)
    sol = solve(locked, PARAMS)
    assert sol.stats["search"] == "lns" and sol.stats["lns_iterations"] > 0
    routes = {r.day: [v.site for v in r.visits] for r in sol.routes}
    assert routes["d0"][:2] == [ids[0], ids[1]] and routes["d4"][0] == ids[2]
    assert check_solution(locked, sol) == []
    free = solve(problem, PARAMS)
    assert sol.total_prize >= 0.95 * free.total_prize  # locks cost little


def test_position_locks_with_a_gap_fall_back_and_say_so() -> None:
    from optimizer import Lock

    problem = _month(with_breaks=False)
    locked = Problem(problem.locations, problem.travel_min, problem.sites, problem.days,
                     locks=(Lock(problem.sites[0].id, "d0", 2),))
    sol = solve(locked, SolveParams(time_limit_s=1.0, seed=0, workers=1))
    assert sol.stats["search"] == "ortools_gls"
    assert [v.site for v in sol.routes[0].visits][1] == problem.sites[0].id
