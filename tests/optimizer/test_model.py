"""The model refuses invalid input with sentences that name the offending item."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer import Break, Day, Location, Lock, PreviousPlan, Problem, ProblemError, Site, Window


def _problem(**kw: object) -> Problem:
    base: dict[str, object] = {
        "locations": (Location("pendopo", -8.2, 114.3), Location("desa", -8.3, 114.2)),
        "travel_min": ((0, 10), (10, 0)),
        "sites": (Site("A", 1, 5.0, 30),),
        "days": (Day("mon", 0, 0, 480, 1020),),
    }
    base.update(kw)
    return Problem(**base)  # type: ignore[arg-type]


def test_valid_problem_is_frozen() -> None:
    """A valid problem builds and cannot be changed afterwards."""
    p = _problem()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Site("A", 0, -1.0), ["'A'", "negative prize"]),
        (lambda: Site("A", 0, 1.0, service_min=-5), ["service time of site 'A'", "negative"]),
        (lambda: Site("A", 0, 1.0, 60, windows=(Window(0, 600, 630),)), ["'A'", "shorter than its service"]),
        (lambda: Site("A", 0, 1.0, closed_months=frozenset({13})), ["'A'", "closed month 13"]),
        (lambda: Day("mon", 0, 0, 600, 500), ["'mon'", "before it starts"]),
        (lambda: Day("mon", 0, 0, 480, 1020, max_visits=-1), ["'mon'", "max_visits"]),
        (lambda: Day("fri", 0, 0, 480, 600, breaks=(Break(690, 780),)), ["'fri'", "outside its hours"]),
        (lambda: Day("mon", 0, 0, 480, 1020, date="2026-13-01"), ["'mon'", "YYYY-MM-DD"]),
        (lambda: Break(700, 690), ["break ends"]),
        (lambda: Break(700, 720, 30), ["30 minutes does not fit"]),
        (lambda: Lock("A", "mon", 0), ["'A'", "positions start at 1"]),
        (lambda: _problem(sites=(Site("A", 5, 1.0),)), ["'A'", "location 5"]),
        (lambda: _problem(sites=(Site("A", 1, 1.0), Site("A", 1, 2.0))), ["'A'", "more than once"]),
        (lambda: _problem(travel_min=((0, 10),)), ["2 x 2"]),
        (lambda: _problem(travel_min=((0, -1), (1, 0))), ["'pendopo'", "'desa'", ">= 0"]),
        (lambda: _problem(days=()), ["no days"]),
        (lambda: _problem(sites=(Site("A", 1, 1.0, windows=(Window(3, 0, 100),)),)), ["'A'", "day index 3"]),
        (lambda: _problem(locks=(Lock("Z", "mon"),)), ["'Z'", "not in the problem"]),
        (lambda: _problem(locks=(Lock("A", "sun"),)), ["'A'", "'sun'"]),
        (lambda: _problem(previous=PreviousPlan((("A", "tue"),))), ["'A'", "'tue'"]),
        (lambda: PreviousPlan((("A", "mon"), ("A", "tue"))), ["'A'", "more than once"]),
    ],
)
def test_invalid_input_is_explained(build: object, words: list[str]) -> None:
    """Each broken input raises ProblemError whose message names the item and the problem."""
    with pytest.raises(ProblemError) as err:
        build()  # type: ignore[operator]
    msg = str(err.value)
    assert msg.endswith(".")
    for w in words:
        assert w in msg


def test_fixed_break_duration_defaults_to_its_interval() -> None:
    """A break given only by its start and end lasts the whole interval (Friday prayer)."""
    assert Break(690, 780).duration == 90


def test_day_month_comes_from_its_date() -> None:
    """Closed months are matched against the day's calendar month."""
    assert Day("d", 0, 0, 0, 10, date="2026-01-15").month == 1
    assert Day("d", 0, 0, 0, 10).month is None
