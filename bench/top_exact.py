"""Exact TOP optimum for instances with few reachable points (Held-Karp per path + subset combination).

    .venv/bin/python bench/top_exact.py [--max-reachable 13]

Used to tell whether a reference score is reachable under the file's exact rule (path length <= tmax, 1e-6
tolerance): the 1996 scores were computed with budgets that may have been rounded differently.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys

from _common import TOP_DIR

from optimizer import read_top


def exact(path: str, max_reachable: int) -> tuple[str, int, float | None]:
    """(instance, number of reachable points, optimum or None when too many points are reachable)."""
    inst = read_top(path)
    pts, n, tmax = inst.points, len(inst.points), inst.tmax

    def d(a: int, b: int) -> float:
        return math.hypot(pts[a][0] - pts[b][0], pts[a][1] - pts[b][1])

    reach = [i for i in range(1, n - 1) if d(0, i) + d(i, n - 1) <= tmax + 1e-6]
    k = len(reach)
    if k > max_reachable:
        return inst.name, k, None
    inf = math.inf
    dp = [[inf] * k for _ in range(1 << k)]
    for j in range(k):
        dp[1 << j][j] = d(0, reach[j])
    for mask in range(1, 1 << k):
        row = dp[mask]
        for j in range(k):
            v = row[j]
            if v > tmax:
                continue
            for nx in range(k):
                if not mask >> nx & 1:
                    w = v + d(reach[j], reach[nx])
                    if w < dp[mask | 1 << nx][nx]:
                        dp[mask | 1 << nx][nx] = w
    prize = [0.0] * (1 << k)
    feas = [False] * (1 << k)
    feas[0] = True
    for mask in range(1, 1 << k):
        prize[mask] = sum(pts[reach[j]][2] for j in range(k) if mask >> j & 1)
        feas[mask] = min(dp[mask][j] + d(reach[j], n - 1) for j in range(k)) <= tmax + 1e-6
    best = [prize[m] if feas[m] else -1.0 for m in range(1 << k)]
    for _ in range(inst.n_paths - 1):
        nxt = best[:]
        for mask in range(1 << k):
            sub = mask
            while sub:
                if feas[sub] and best[mask ^ sub] >= 0 and prize[sub] + best[mask ^ sub] > nxt[mask]:
                    nxt[mask] = prize[sub] + best[mask ^ sub]
                sub = (sub - 1) & mask
        best = nxt
    return inst.name, k, max(best)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-reachable", type=int, default=13)
    args = ap.parse_args()
    ref = {r["instance"]: float(r["ref"]) for r in csv.DictReader((TOP_DIR / "ref.csv").open())}
    for f in sorted(TOP_DIR.glob("p*.txt")):
        name, k, opt = exact(str(f), args.max_reachable)
        if opt is not None:
            flag = "  <- reference NOT reachable" if opt < ref[name] - 1e-9 else ""
            print(f"{name:8s} reachable {k:2d}  exact optimum {opt:6.1f}  ref {ref[name]:6.1f}{flag}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
