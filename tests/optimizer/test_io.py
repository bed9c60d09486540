"""Readers and the CLI contract: TOP files, problem JSON, solution JSON, exit codes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from optimizer import ProblemError, problem_from_dict, read_top, solution_to_dict, solve, top_problem
from optimizer.cli import main

DATA = Path(__file__).parent / "data"


def test_tiny_top_is_read_as_points_in_file_order() -> None:
    """n, m, tmax and the points come back as written."""
    inst = read_top(DATA / "tiny_top.txt")
    assert (inst.name, inst.n_paths, inst.tmax, len(inst.points)) == ("tiny_top", 1, 10.0, 5)
    p = top_problem(inst)
    assert [s.id for s in p.sites] == ["1", "2", "3"]
    assert p.travel_min[0][4] == 4.0


@pytest.mark.parametrize(
    ("name", "words"),
    [("broken_count.txt", "announces 4 points but lists 3"), ("broken_header.txt", "line 2 must read 'm"),
     ("broken_value.txt", "line 5")],
)
def test_broken_top_files_are_explained(name: str, words: str) -> None:
    """One broken file per parser error, each with a sentence naming file and line."""
    with pytest.raises(ProblemError) as err:
        read_top(DATA / name)
    assert name in str(err.value) and words in str(err.value)


def test_top_cli_prints_the_contract_json(capsys: pytest.CaptureFixture[str]) -> None:
    """Tiny instance by hand: tmax 10 allows 0 → (2,0) → (2,2) → (4,0) (6.83, or the mirror order), score 9;
    the point at (9,9) is worth 100 but out of reach."""
    assert main(["top", str(DATA / "tiny_top.txt"), "--time-limit", "0.5", "--seed", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"instance", "score", "paths", "seconds"}
    assert out["score"] == 9
    assert out["paths"] in ([[0, 1, 2, 4]], [[0, 2, 1, 4]])


def _problem_json() -> dict:
    return {
        "name": "demo",
        "locations": [{"id": "pendopo", "lat": -8.2147, "lon": 114.3686},
                      {"id": "giri", "lat": -8.19, "lon": 114.34},
                      {"id": "far", "lat": -8.6, "lon": 114.0}],
        "travel": {"model": "haversine"},
        "sites": [
            {"id": "giri", "location": 1, "prize": 3, "service_min": 60, "group": "Giri"},
            {"id": "far", "location": 2, "prize": 1, "service_min": 60, "mandatory": True,
             "windows": [{"day": 0, "start_min": 900, "end_min": 960}]},
        ],
        "days": [{"id": "2026-03-02", "start_location": 0, "end_location": 0, "start_min": 480, "end_min": 960,
                  "breaks": [{"start_min": 690, "end_min": 780}]}],
        "locks": [{"site": "giri", "day": "2026-03-02"}],
    }


def test_solve_cli_writes_the_solution_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """solve PROBLEM.json → routes with visit times, unvisited with reasons, totals, seconds."""
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_problem_json()))
    assert main(["solve", str(path), "--time-limit", "0.5"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"routes", "unvisited", "total_prize", "total_travel_min", "seconds"} <= set(out)
    assert out["routes"][0]["day"] == "2026-03-02"
    assert [v["site"] for v in out["routes"][0]["visits"]] == ["giri"]
    assert set(out["routes"][0]["visits"][0]) >= {"site", "arrive_min", "start_min", "end_min"}
    assert out["unvisited"] == [{"site": "far", "reason": "unreachable", "mandatory": True,
                                 "detail": out["unvisited"][0]["detail"]}]
    assert out["unplaced_mandatory"] == ["far"]


def test_solve_cli_reports_bad_input_as_a_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid problems exit with status 2 and one readable line on stderr."""
    data = _problem_json()
    data["sites"][0]["location"] = 7
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    assert main(["solve", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Site 'giri' points at location 7")


def test_problem_without_travel_is_refused() -> None:
    """Either a matrix or a travel model is required."""
    data = _problem_json()
    del data["travel"]
    with pytest.raises(ProblemError, match="travel_min"):
        problem_from_dict(data)


def test_solution_json_round_numbers() -> None:
    """Times are rounded to 1/1000 minute; whole numbers stay integers."""
    data = _problem_json()
    data["travel_min"] = [[0, 10, 100], [10, 0, 100], [100, 100, 0]]
    p = problem_from_dict(data)
    out = solution_to_dict(solve(p))
    visit = out["routes"][0]["visits"][0]
    assert visit == {"site": "giri", "arrive_min": 490, "start_min": 490, "end_min": 550}
    assert not math.isnan(out["total_travel_min"])


def test_top_paths_whose_start_end_trip_exceeds_tmax_are_empty(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Start (0,0), end (14,0), tmax 7.5: no path exists at all, so the answer is no path (score 0), never the
    infeasible [0, n-1]; a plan's day that is too short likewise has no route and says why."""
    path = tmp_path / "too_far.txt"
    path.write_text("n 4\nm 2\ntmax 7.5\n0 0 0\n1 1 5\n2 1 5\n14 0 0\n", encoding="utf-8")
    assert main(["top", str(path), "--time-limit", "0.3", "--workers", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["score"] == 0 and out["paths"] == [[], []]
    sol = solve(top_problem(read_top(path)))
    assert all(not r.usable and r.reason == "no_time" and not r.visits for r in sol.routes)
    data = solution_to_dict(sol)
    assert data["routes"][0]["usable"] is False and data["routes"][0]["reason"] == "no_time"
    assert {"moved_visits", "cancelled_visits", "search"} <= set(data)


def test_problem_to_dict_round_trips_every_field() -> None:
    from optimizer import Break, Day, Location, Lock, PreviousPlan, Problem, Site, Window, problem_to_dict

    locs = (Location("o", -8.2, 114.3), Location("a", -8.3, 114.2), Location("b", -8.1, 114.1))
    problem = Problem(
        locs, ((0, 10.5, 20), (10.5, 0, 12.25), (20, 12.25, 0)),
        (Site("a", 1, 3.5, 90, mandatory=True, windows=(Window(1, 540, 720),), group="k1", extra_travel_min=15,
              closed_months=frozenset({1, 2})),
         Site("b", 2, 1.0, 60)),
        (Day("2027-02-04", 0, 0, 450, 960, max_visits=4, date="2027-02-04",
             breaks=(Break(720, 810, duration_min=60),)),
         Day("2027-02-05", 0, 0, 450, 960, max_visits=4, date="2027-02-05", breaks=(Break(690, 780),))),
        locks=(Lock("b", "2027-02-05", 1),),
        previous=PreviousPlan((("b", "2027-02-05"), ("a", "2027-02-05")), penalty=5.0, cancel_penalty=12.0),
        name="round-trip")
    data = json.loads(json.dumps(problem_to_dict(problem)))
    assert problem_from_dict(data) == problem
    assert data["days"][0]["breaks"][0]["duration_min"] == 60 and data["sites"][0]["windows"]


def test_time_day_is_the_public_retiming_the_app_uses() -> None:
    from optimizer import Day, Location, Problem, Site, time_day

    problem = Problem((Location("o", 0, 0), Location("a", 0, 0)), ((0, 30), (30, 0)),
                      (Site("a", 1, 1.0, 60), Site("b", 1, 1.0, 60)), (Day("d", 0, 0, 480, 720, max_visits=1),))
    timed = time_day(problem, "d", ["a"])
    assert timed is not None and timed.visits[0].start_min == 510 and timed.return_min == 600
    assert time_day(problem, "d", ["a", "b"]) is None  # over the day's cap of one visit


def test_time_day_reports_each_leg_and_where_the_breaks_fall() -> None:
    """The plan page draws its itinerary from this: travel per leg (return last) and each break as taken."""
    from optimizer import Break, Day, Location, Problem, Site, time_day

    problem = Problem((Location("o", 0, 0), Location("a", 0, 0), Location("b", 0, 0)),
                      ((0, 30, 40), (30, 0, 20), (40, 20, 0)),
                      (Site("a", 1, 1.0, 120), Site("b", 2, 1.0, 90)),
                      (Day("d", 0, 0, 480, 1000, breaks=(Break(690, 780),)),
                       Day("e", 0, 0, 480, 1000, breaks=(Break(720, 810, duration_min=60),))))
    fixed = time_day(problem, "d", ["a", "b"])
    # 08.00 + 30 → a 08.30–10.30; 20 min to b → 10.50, but 90 min would cross 11.30: the prayer break comes first.
    assert fixed.legs == (30, 20, 40)
    assert fixed.breaks == ((690, 780),)
    assert fixed.visits[1].start_min == 780 and fixed.return_min == 910
    lunch = time_day(problem, "e", ["a", "b"])
    # b 10.50–12.20 fits before the lunch's latest start (12.30); the lunch follows it, then the trip home.
    assert lunch.visits[1].start_min == 650 and lunch.breaks == ((740, 800),) and lunch.return_min == 840
    alone = time_day(problem, "d", ["a"])
    assert alone.legs == (30, 30) and alone.breaks == ()  # back at 11.00, before the break: no break taken


def test_day_discount_round_trips_and_is_validated() -> None:
    from optimizer import Day, Location, Problem, ProblemError, Site, problem_from_dict, problem_to_dict

    base = dict(locations=(Location("o", 0, 0), Location("a", 0, 0)), travel_min=((0, 30), (30, 0)),
                sites=(Site("a", 1, 1.0, 60),), days=(Day("d1", 0, 0, 480, 720), Day("d2", 0, 0, 480, 720)))
    problem = Problem(**base, day_discount=0.25)
    assert problem_from_dict(json.loads(json.dumps(problem_to_dict(problem)))) == problem
    with pytest.raises(ProblemError, match="day_discount"):
        Problem(**base, day_discount=1.0)  # the second day would be worth nothing
