"""TOP benchmark (Chao sets 4 and 5): score / reference at a fixed time per instance.

    .venv/bin/python bench/top.py --time-limit 10 --out bench/results/top_10s.csv [--jobs 2] [--only p4.2]

Prints one line per instance and the mean / minimum ratio; each plan is re-checked by ``check_solution``.
Instances with reference 0 count as ratio 1 when we also score 0.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _common import TOP_DIR

from optimizer import SolveParams, check_solution, read_top, solve, top_problem


def run_one(path: str, time_limit: float, seed: int, deterministic: bool) -> dict:
    """Solve one instance and check it."""
    inst = read_top(path)
    problem = top_problem(inst)
    t0 = time.monotonic()
    sol = solve(problem, SolveParams(time_limit_s=time_limit, seed=seed, deterministic=deterministic))
    secs = time.monotonic() - t0
    violations = check_solution(problem, sol)
    return {"instance": inst.name, "score": sol.total_prize, "seconds": round(secs, 2),
            "feasible": not violations, "lns_iterations": sol.stats.get("lns_iterations", 0),
            "clock_stops": sol.stats.get("clock_stops", 0)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1, help="instances solved in parallel (each single-threaded)")
    ap.add_argument("--only", default="", help="substring filter on instance names, comma-separated")
    ap.add_argument("--clock", action="store_true", help="time-limited search instead of deterministic effort")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    ref = {r["instance"]: r for r in csv.DictReader((TOP_DIR / "ref.csv").open())}
    files = sorted(TOP_DIR.glob("p*.txt"))
    if args.only:
        keys = args.only.split(",")
        files = [f for f in files if any(k in f.name for k in keys)]
    rows = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futs = [pool.submit(run_one, str(f), args.time_limit, args.seed, not args.clock) for f in files]
        for fut in futs:
            row = fut.result()
            r = float(ref[row["instance"]]["ref"])
            row["ref"] = r
            row["ratio"] = 1.0 if r == 0 and row["score"] == 0 else (row["score"] / r if r else float("inf"))
            rows.append(row)
            print(f"{row['instance']:10s} score {row['score']:7.1f} ref {r:7.1f} ratio {row['ratio']:.4f} "
                  f"{row['seconds']:5.2f}s feasible={row['feasible']} clock_stops={row['clock_stops']}", flush=True)
    ratios = [r["ratio"] for r in rows]
    print(f"instances {len(rows)}  mean ratio {statistics.mean(ratios):.4f}  min ratio {min(ratios):.4f}  "
          f"below 97%: {sum(x < 0.97 for x in ratios)}  infeasible: {sum(not r['feasible'] for r in rows)}  "
          f"max seconds {max(r['seconds'] for r in rows):.2f}  instances cut by the clock "
          f"{sum(1 for r in rows if r['clock_stops'])}")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
