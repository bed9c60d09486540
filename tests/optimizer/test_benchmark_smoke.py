"""Smoke test on real TOP instances (../shared/data/top): feasible and close to the reference quickly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from optimizer import SolveParams, check_solution, read_top, solve, top_problem

TOP = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "top"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not TOP.is_dir(), reason="../shared/data/top is not beside the checkout"),
]


@pytest.mark.parametrize(("instance", "threshold"), [("p5.2.m", 0.97), ("p4.3.h", 0.93)])
def test_real_top_instance_is_feasible_and_near_reference(instance: str, threshold: float) -> None:
    """Two seconds per instance already give a feasible plan within a few percent of the reference."""
    ref = {r["instance"]: float(r["ref"]) for r in csv.DictReader((TOP / "ref.csv").open())}
    problem = top_problem(read_top(TOP / f"{instance}.txt"))
    sol = solve(problem, SolveParams(time_limit_s=2.0))
    assert check_solution(problem, sol) == []
    assert sol.total_prize / ref[instance] >= threshold
