"""The solver on tiny hand-checkable problems: optimum, reasons, mandatory, locks, stability, determinism."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer import (
    Break,
    Day,
    Lock,
    PreviousPlan,
    ProblemError,
    Site,
    SolveParams,
    Window,
    check_solution,
    solve,
)
from tests.optimizer._helpers import FAST, grid_problem, line_problem


def _by_reason(sol: object) -> dict[str, str]:
    return {u.site: u.reason for u in sol.unvisited}  # type: ignore[attr-defined]


def test_drops_exactly_the_low_prize_site() -> None:
    """Budget 100 on a line: sites at 20, 30 and 60 cannot all be reached; the cheap far one is dropped."""
    p = line_problem([20, 30, 60], [10, 10, 1], day_len=100)
    sol = solve(p, FAST)
    assert sorted(sol.visited_sites()) == ["s0", "s1"]
    assert sol.total_prize == 20
    assert sol.total_travel_min == 60
    assert check_solution(p, sol) == []


def test_prefers_less_travel_among_equal_prizes() -> None:
    """Two orders collect the same prize; the plan takes the shorter one (out and back along the line)."""
    p = line_problem([10, 20, 30], [1, 1, 1], day_len=1000)
    sol = solve(p, FAST)
    assert sol.total_prize == 3
    assert sol.total_travel_min == 60


def test_every_unvisited_site_gets_its_reason() -> None:
    """unreachable, no_window, closed and displaced are told apart."""
    base = line_problem([10, 200, 10, 10, -30], [5, 5, 5, 5, 1], day_len=100, service=30)
    sites = list(base.sites)
    sites[2] = Site("s2", 3, 5, 30, windows=(Window(0, 95, 200),))  # no room for service inside day hours
    sites[3] = dataclasses.replace(sites[3], closed_months=frozenset({1}))
    days = (dataclasses.replace(base.days[0], date="2026-01-05"),)
    p = dataclasses.replace(base, sites=tuple(sites), days=days)
    sol = solve(p, FAST)
    reasons = _by_reason(sol)
    assert sol.visited_sites() == ["s0"]
    assert reasons == {"s1": "unreachable", "s2": "no_window", "s3": "closed", "s4": "displaced"}
    s4 = next(u for u in sol.unvisited if u.site == "s4")
    assert s4.day == "d0" and s4.added_min is not None and s4.added_min > 0
    assert "s4" in s4.detail
    assert check_solution(p, sol) == []


def test_unplaceable_mandatory_sites_are_reported_and_the_rest_is_planned() -> None:
    """Two mandatory sites that cannot share the only day: one is placed, the other reported; others still planned."""
    base = line_problem([40, -40, 5], [1, 1, 3], day_len=100)
    sites = (dataclasses.replace(base.sites[0], mandatory=True), dataclasses.replace(base.sites[1], mandatory=True),
             base.sites[2])
    p = dataclasses.replace(base, sites=sites)
    sol = solve(p, FAST)
    assert len(sol.unplaced_mandatory) == 1
    missing = sol.unplaced_mandatory[0]
    assert missing.site in {"s0", "s1"} and missing.reason == "displaced" and "mandatory" in missing.detail
    assert "s2" in sol.visited_sites()
    assert check_solution(p, sol) == []


def test_mandatory_site_beats_a_more_valuable_optional_one() -> None:
    """A mandatory site is placed even when dropping it would collect more prize."""
    base = line_problem([40, -40], [1, 100], day_len=100)
    sites = (dataclasses.replace(base.sites[0], mandatory=True), base.sites[1])
    sol = solve(dataclasses.replace(base, sites=sites), FAST)
    assert sol.visited_sites() == ["s0"]
    assert sol.unplaced_mandatory == ()


def test_windows_restrict_day_and_time() -> None:
    """A site with a window only on the second day is served there, inside the window."""
    base = line_problem([10], [1], day_len=200, n_days=2)
    site = dataclasses.replace(base.sites[0], windows=(Window(1, 100, 150),), service_min=20)
    p = dataclasses.replace(base, sites=(site,))
    sol = solve(p, FAST)
    route = sol.routes[1]
    assert [v.site for v in route.visits] == ["s0"]
    assert route.visits[0].start_min >= 100 and route.visits[0].end_min <= 150
    assert check_solution(p, sol) == []


def test_lock_pins_site_to_day_and_position() -> None:
    """A lock moves a site to the named day and position even if another placement were shorter."""
    base = line_problem([10, 20, 30], [1, 1, 1], day_len=1000, n_days=2)
    p = dataclasses.replace(base, locks=(Lock("s2", "d1"), Lock("s0", "d1", position=2)))
    sol = solve(p, FAST)
    day1 = [v.site for v in sol.routes[1].visits]
    assert day1[:2] == ["s2", "s0"]  # the longer order, because s0 must come second
    assert check_solution(p, sol) == []


def test_previous_plan_is_kept_when_moving_gains_nothing() -> None:
    """With a stability penalty the plan keeps each site on its previous day although swapping is equal."""
    base = line_problem([10, 11], [1, 1], day_len=1000, n_days=2)
    prev = PreviousPlan((("s0", "d1"), ("s1", "d0")), penalty=0.5)
    p = dataclasses.replace(base, previous=prev)
    sol = solve(p, FAST)
    assert sol.moved_visits == 0
    assert [v.site for v in sol.routes[0].visits] == ["s1"]
    assert [v.site for v in sol.routes[1].visits] == ["s0"]


def test_max_visits_caps_a_day() -> None:
    """A day with max_visits=2 serves two sites, the two most valuable."""
    base = line_problem([1, 2, 3, 4], [1, 5, 5, 1], day_len=1000)
    p = dataclasses.replace(base, days=(dataclasses.replace(base.days[0], max_visits=2),))
    sol = solve(p, FAST)
    assert sorted(sol.visited_sites()) == ["s1", "s2"]


def test_no_service_overlaps_a_fixed_break() -> None:
    """Friday prayer 11:30-13:00: visits are scheduled around it and the checker agrees."""
    days = [Day("fri", 0, 0, 480, 1140, breaks=(Break(690, 780),))]
    p = grid_problem([(10, 0), (0, 10), (10, 10), (20, 0)], [3, 3, 3, 3], days, service=[120, 120, 120, 60])
    sol = solve(p, FAST)
    for v in sol.routes[0].visits:
        assert v.end_min <= 690 + 1e-6 or v.start_min >= 780 - 1e-6
    assert check_solution(p, sol) == []
    assert sol.total_prize == 12


def test_same_input_seed_and_limit_give_the_same_plan() -> None:
    """Determinism: two runs with the same seed and time limit return identical routes."""
    pts = [((k * 37) % 23, (k * 11) % 19) for k in range(25)]
    p = grid_problem(pts, [1 + k % 5 for k in range(25)],
                     [Day(f"d{k}", 0, 0, 0, 60) for k in range(2)])
    params = SolveParams(time_limit_s=2.0, seed=3)
    a, b = solve(p, params), solve(p, params)
    assert a.routes == b.routes
    assert a.unvisited == b.unvisited


def test_a_day_too_short_to_travel_is_left_empty() -> None:
    """A day whose start and end places are too far apart gets no route; other days are still planned."""
    base = line_problem([10], [1], day_len=100, n_days=2)
    bad = dataclasses.replace(base.days[0], end_location=1, end_min=5)
    p = dataclasses.replace(base, days=(bad, base.days[1]))
    sol = solve(p, FAST)
    assert sol.routes[0].visits == ()
    assert sol.visited_sites() == ["s0"]


def test_extra_travel_minutes_count_on_the_way_in_and_out() -> None:
    """A river crossing of 15 minutes makes the round trip 2 × (10 + 15) = 50 minutes."""
    base = line_problem([10], [1], day_len=1000)
    site = dataclasses.replace(base.sites[0], extra_travel_min=15)
    p = dataclasses.replace(base, sites=(site,))
    sol = solve(p, FAST)
    assert sol.total_travel_min == 50
    assert sol.routes[0].visits[0].arrive_min == 25
    assert check_solution(p, sol) == []


def test_extra_travel_minutes_can_make_a_site_unreachable() -> None:
    """The same site on a 45-minute day no longer fits: reason 'unreachable'."""
    base = line_problem([10], [1], day_len=45)
    p = dataclasses.replace(base, sites=(dataclasses.replace(base.sites[0], extra_travel_min=15),))
    assert _by_reason(solve(p, FAST)) == {"s0": "unreachable"}


def test_params_load_from_toml(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Benchmarks can keep their solver settings in TOML; unknown keys are refused by name."""
    (tmp_path / "ok.toml").write_text("time_limit_s = 2.5\nseed = 7\n")
    assert SolveParams.from_toml(tmp_path / "ok.toml") == SolveParams(time_limit_s=2.5, seed=7)
    (tmp_path / "bad.toml").write_text("speed = 3\n")
    with pytest.raises(ProblemError, match="speed"):
        SolveParams.from_toml(tmp_path / "bad.toml")


def test_day_discount_puts_the_most_valuable_sites_first_and_keeps_the_prize() -> None:
    """One visit a day, more sites than days: with a per-day discount the first quarter of the days carries the
    most valuable sites, the plan's total prize is unchanged, and the plan passes the checker."""
    import random

    from optimizer import Day, Location, Problem, Site, SolveParams, check_solution, solve

    rng = random.Random(1)
    n = 40
    pts = [(0.0, 0.0)] + [(rng.uniform(-20, 20), rng.uniform(-20, 20)) for _ in range(n)]
    matrix = [[0 if a == b else 5 + ((pts[a][0] - pts[b][0]) ** 2 + (pts[a][1] - pts[b][1]) ** 2) ** 0.5
               for b in range(n + 1)] for a in range(n + 1)]
    sites = tuple(Site(f"s{i}", i + 1, float(rng.randint(1, 100)), 240) for i in range(n))
    days = tuple(Day(f"d{k:02d}", 0, 0, 480, 960, max_visits=1) for k in range(30))
    locations = (Location("o", 0, 0), *(Location(f"s{i}", 0, 0) for i in range(n)))
    results = {}
    for discount in (0.0, 0.02):
        problem = Problem(locations, matrix, sites, days, day_discount=discount)
        solution = solve(problem, SolveParams(time_limit_s=5, seed=0, workers=1))
        assert check_solution(problem, solution) == []
        prize = {s.id: s.prize for s in sites}
        order = [prize[r.visits[0].site] for r in sorted(solution.routes, key=lambda r: r.day) if r.visits]
        q = len(order) // 4
        results[discount] = (solution.total_prize, sum(order[:q]) / q, sum(order[-q:]) / q)
    assert results[0.02][0] == results[0.0][0]  # the same sites: the discount only orders them
    assert results[0.02][1] > results[0.02][2] + 20  # the first quarter's sites are clearly worth more
