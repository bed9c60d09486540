"""``python -m optimizer solve|top``: JSON on stdout, errors as one sentence on stderr (exit status 2)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from optimizer.io.jsonio import read_problem, solution_to_dict
from optimizer.io.top import read_top, top_problem
from optimizer.model import ProblemError
from optimizer.params import DEFAULT_WORKERS, SolveParams
from optimizer.solver import solve
from optimizer.travel.osrm import TravelTimeError
from optimizer.validate import check_solution

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m optimizer", description="Bunga Desa visit planner.")
    sub = p.add_subparsers(dest="command", required=True)
    for name, help_ in (("solve", "solve a problem JSON file"), ("top", "solve a Chao Team Orienteering file")):
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("file")
        sp.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
        sp.add_argument("--seed", type=int, default=0, help="search seed (default 0)")
        sp.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help=f"parallel searches, one per core (default {DEFAULT_WORKERS})")
    return p


def _top(path: str, params: SolveParams) -> dict:
    t0 = time.monotonic()
    inst = read_top(path)
    problem = top_problem(inst)
    sol = solve(problem, params)
    violations = check_solution(problem, sol)
    if violations:  # pragma: no cover - the solver's output is checked by the test-suite
        raise ProblemError(f"The plan failed the independent check: {violations[0].message}")
    last = len(inst.points) - 1
    # A path whose start -> end trip alone exceeds tmax does not exist: such a path is empty (score 0).
    paths = [[0, *(int(v.site) for v in r.visits), last] if r.usable else [] for r in sol.routes]
    return {"instance": inst.name, "score": sol.total_prize if sol.total_prize != int(sol.total_prize)
            else int(sol.total_prize), "paths": paths, "seconds": round(time.monotonic() - t0, 3)}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = _parser().parse_args(argv)
    try:
        params = SolveParams(time_limit_s=args.time_limit, seed=args.seed, workers=args.workers)
        if args.command == "top":
            out = _top(args.file, params)
        else:
            t0 = time.monotonic()
            problem = read_problem(args.file)
            sol = solve(problem, params)
            out = solution_to_dict(sol)
            out["seconds"] = round(time.monotonic() - t0, 3)
    except (ProblemError, TravelTimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0
