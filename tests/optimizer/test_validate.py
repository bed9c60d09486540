"""The independent checker catches each kind of broken plan."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer import Break, Day, Lock, Route, Site, Solution, Unvisited, Visit, Window, check_solution
from tests.optimizer._helpers import line_problem


def _problem():  # type: ignore[no-untyped-def]
    base = line_problem([10, 20], [1, 2], day_len=100, n_days=2, service=5)
    return base


def _good() -> Solution:
    r0 = Route("d0", (Visit("s0", 10, 10, 15), Visit("s1", 25, 25, 30)), 0, 50, 40)
    return Solution((r0, Route("d1", (), 0, 0, 0)), (), 3, 40)


def _kinds(problem, sol) -> set[str]:  # type: ignore[no-untyped-def]
    return {v.kind for v in check_solution(problem, sol)}


def test_a_correct_plan_has_no_violations() -> None:
    """The hand-made plan is feasible and its totals match."""
    assert check_solution(_problem(), _good()) == []


@pytest.mark.parametrize(
    ("mutate", "kind"),
    [
        (lambda s: dataclasses.replace(s, total_prize=4), "total"),
        (lambda s: dataclasses.replace(s, total_travel_min=39), "total"),
        (lambda s: dataclasses.replace(s, routes=(dataclasses.replace(
            s.routes[0], visits=(Visit("s0", 9, 9, 14), Visit("s1", 25, 25, 30))), s.routes[1])), "travel"),
        (lambda s: dataclasses.replace(s, routes=(dataclasses.replace(
            s.routes[0], visits=(Visit("s0", 10, 10, 12), Visit("s1", 25, 25, 30))), s.routes[1])), "service"),
        (lambda s: dataclasses.replace(s, routes=(dataclasses.replace(s.routes[0], return_min=101),
                                                  s.routes[1])), "day_hours"),
        (lambda s: dataclasses.replace(s, routes=(s.routes[0], dataclasses.replace(
            s.routes[1], visits=(Visit("s0", 10, 10, 15),), return_min=25))), "duplicate_visit"),
        (lambda s: dataclasses.replace(s, routes=(s.routes[0],
                                                  Route("d9", (), 0, 0, 0))), "unknown_day"),
        (lambda s: dataclasses.replace(s, routes=(dataclasses.replace(
            s.routes[0], visits=(Visit("s0", 10, 10, 15),), return_min=25, travel_min=20), s.routes[1]),
            total_prize=1, total_travel_min=20), "missing"),
        (lambda s: dataclasses.replace(s, unvisited=(Unvisited("s0", "displaced"),)), "unvisited_visited"),
    ],
    ids=["wrong prize total", "wrong travel total", "arrives too early", "short service", "returns late",
         "site twice", "unknown day", "site neither visited nor reported", "visited site reported unvisited"],
)
def test_broken_plans_are_flagged(mutate, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Each tampered plan yields at least the expected kind of violation."""
    assert kind in _kinds(_problem(), mutate(_good()))


def test_window_closed_month_lock_cap_and_break_rules() -> None:
    """Windows, closed months, locks, visit caps and breaks are each checked."""
    base = _problem()
    s0 = dataclasses.replace(base.sites[0], windows=(Window(1, 0, 100),), closed_months=frozenset({1}))
    d0 = Day("d0", 0, 0, 0, 100, max_visits=1, breaks=(Break(12, 22),), date="2026-01-02")
    p = dataclasses.replace(base, sites=(s0, base.sites[1]), days=(d0, base.days[1]), locks=(Lock("s1", "d1"),))
    kinds = _kinds(p, _good())
    assert {"window", "closed", "lock", "max_visits", "break"} <= kinds


def test_unreported_mandatory_site_is_flagged() -> None:
    """A mandatory site missing from the plan must be flagged as unplaced."""
    base = _problem()
    p = dataclasses.replace(base, sites=(*base.sites, Site("s2", 1, 1, mandatory=True)))
    sol = dataclasses.replace(_good(), unvisited=(Unvisited("s2", "displaced"),))
    assert "mandatory" in _kinds(p, sol)
    ok = dataclasses.replace(_good(), unvisited=(Unvisited("s2", "displaced", mandatory=True),))
    assert check_solution(p, ok) == []
