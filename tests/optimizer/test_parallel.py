"""The worker portfolio: streams run in forked processes, failures are left out, results stay deterministic."""

from __future__ import annotations

import os
import time

import pytest

from optimizer import Day, SolveParams, check_solution, solve
from optimizer._parallel import run_portfolio
from tests.optimizer._helpers import grid_problem


def _pid_of_stream(stream: int) -> tuple[int, int]:
    return stream, os.getpid()


def test_streams_run_in_their_own_processes() -> None:
    """Stream 0 runs here, the others in forked children; results come back in stream order."""
    out = run_portfolio(_pid_of_stream, 3, time.monotonic() + 5)
    assert [s for s, _ in out] == [0, 1, 2]
    assert out[0][1] == os.getpid()
    assert len({pid for _, pid in out}) == 3


def _fails_in_children(stream: int) -> int:
    if stream:
        raise RuntimeError("worker crashed")
    return 42


def test_a_failing_worker_is_left_out() -> None:
    assert run_portfolio(_fails_in_children, 2, time.monotonic() + 5) == [42]


def _child_too_slow(stream: int) -> int:
    if stream:
        time.sleep(30)
    return stream


def test_a_late_worker_is_not_waited_for() -> None:
    """A worker still running after deadline + grace is terminated; the plan of stream 0 stands."""
    t0 = time.monotonic()
    assert run_portfolio(_child_too_slow, 2, t0 + 0.2, grace_s=0.3) == [0]
    assert time.monotonic() - t0 < 5


def test_one_worker_runs_in_process() -> None:
    assert run_portfolio(_pid_of_stream, 1, time.monotonic() + 1) == [(0, os.getpid())]


@pytest.mark.parametrize("workers", [1, 2])
def test_portfolio_plans_are_feasible_and_repeatable(workers: int) -> None:
    """Same input, seed, limit and worker count: the same plan, whatever stream won."""
    pts = [((k * 37) % 23, (k * 11) % 19) for k in range(30)]
    p = grid_problem(pts, [1 + k % 5 for k in range(30)], [Day(f"d{k}", 0, 0, 0, 60) for k in range(2)])
    params = SolveParams(time_limit_s=2.0, seed=5, workers=workers)
    a, b = solve(p, params), solve(p, params)
    assert a.routes == b.routes
    assert check_solution(p, a) == []
    assert a.stats["workers"] == workers


def test_more_workers_never_lose_prize() -> None:
    """Stream 0 of a two-worker run is the one-worker search, so the best of both is at least as good."""
    pts = [((k * 53) % 31, (k * 17) % 29) for k in range(40)]
    p = grid_problem(pts, [1 + (k * 7) % 9 for k in range(40)], [Day(f"d{k}", 0, 0, 0, 70) for k in range(2)])
    one = solve(p, SolveParams(time_limit_s=2.0, seed=1, workers=1))
    two = solve(p, SolveParams(time_limit_s=2.0, seed=1, workers=2))
    assert two.total_prize >= one.total_prize
