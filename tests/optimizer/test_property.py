"""Property: every plan the solver returns passes the independent checker (random small problems)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import (
    Break,
    Day,
    Location,
    Lock,
    PreviousPlan,
    Problem,
    Site,
    SolveParams,
    Window,
    check_solution,
    solve,
)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n_sites = draw(st.integers(1, 7))
    n_days = draw(st.integers(1, 3))
    coord = st.floats(-40, 40, allow_nan=False)
    pts = [(0.0, 0.0), (5.0, 5.0)] + [(draw(coord), draw(coord)) for _ in range(n_sites)]
    locs = tuple(Location(f"L{i}", x, y) for i, (x, y) in enumerate(pts))
    matrix = [[math.hypot(a[0] - b[0], a[1] - b[1]) for b in pts] for a in pts]
    days = []
    for k in range(n_days):
        start = draw(st.sampled_from([0.0, 30.0]))
        end = start + draw(st.floats(20, 200))
        breaks: tuple[Break, ...] = ()
        if draw(st.booleans()) and end - start > 40:
            b0 = start + draw(st.floats(0, end - start - 30))
            breaks = (Break(b0, b0 + 20, draw(st.sampled_from([None, 10.0]))),)
        days.append(Day(f"d{k}", draw(st.sampled_from([0, 1])), draw(st.sampled_from([0, 1])), start, end,
                        max_visits=draw(st.sampled_from([None, 1, 2])), breaks=breaks,
                        date=draw(st.sampled_from([None, "2026-01-10", "2026-07-10"]))))
    sites = []
    for k in range(n_sites):
        service = draw(st.sampled_from([0.0, 5.0, 12.5]))
        windows: tuple[Window, ...] = ()
        if draw(st.booleans()):
            day = draw(st.integers(0, n_days - 1))
            w0 = draw(st.floats(0, 150))
            windows = (Window(day, w0, w0 + service + draw(st.floats(0, 80))),)
        sites.append(Site(
            f"s{k}", k + 2, draw(st.sampled_from([0.0, 1.0, 2.5, 7.0])), service,
            mandatory=draw(st.booleans()) and draw(st.booleans()),
            windows=windows,
            extra_travel_min=draw(st.sampled_from([0.0, 0.0, 15.0])),
            closed_months=draw(st.sampled_from([frozenset(), frozenset({1})])),
        ))
    locks: tuple[Lock, ...] = ()
    if draw(st.booleans()):
        locks = (Lock("s0", f"d{draw(st.integers(0, n_days - 1))}", draw(st.sampled_from([None, 1]))),)
    previous = None
    if draw(st.booleans()) and n_sites > 1:
        previous = PreviousPlan((("s1", "d0"),), penalty=draw(st.sampled_from([0.5, 3.0])))
    return Problem(locs, matrix, tuple(sites), tuple(days), locks, previous, name="random")


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_returned_plan_passes_the_checker(problem: Problem) -> None:
    """Whatever the constraints, the returned plan is feasible and fully reported."""
    sol = solve(problem, SolveParams(time_limit_s=0.2, seed=1))
    assert check_solution(problem, sol) == []
    assert {v for r in sol.routes for v in (x.site for x in r.visits)}.isdisjoint(u.site for u in sol.unvisited)
