"""Chao, Golden & Wasil's Team Orienteering files: ``n N``, ``m M``, ``tmax T``, then ``x y score`` lines.

The first point is the start, the last the end; every path must be no longer than ``tmax`` (Euclidean, not
rounded). A TOP instance maps onto our model as M identical days of length ``tmax`` with zero service.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from optimizer.model import Day, Location, Problem, ProblemError, Site
from optimizer.travel.euclidean import EuclideanProvider

__all__ = ["TopInstance", "read_top", "top_problem"]


@dataclass(frozen=True, slots=True)
class TopInstance:
    """The raw content of a TOP file."""

    name: str
    n_paths: int
    tmax: float
    points: tuple[tuple[float, float, float], ...]  # x, y, score


def read_top(path: str | Path) -> TopInstance:
    """Parse a TOP file; errors name the file and the line."""
    path = Path(path)
    lines = [ln.split() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    header: dict[str, str] = {}
    for i, key in enumerate(("n", "m", "tmax")):
        if i >= len(lines) or len(lines[i]) != 2 or lines[i][0] != key:
            raise ProblemError(f"{path.name}: line {i + 1} must read '{key} <number>'.")
        header[key] = lines[i][1]
    try:
        n, m, tmax = int(header["n"]), int(header["m"]), float(header["tmax"])
    except ValueError:
        raise ProblemError(f"{path.name}: n and m must be whole numbers and tmax a number.") from None
    body = lines[3:]
    if len(body) != n:
        raise ProblemError(f"{path.name} announces {n} points but lists {len(body)}.")
    if n < 2 or m < 1 or not math.isfinite(tmax) or tmax < 0:
        raise ProblemError(f"{path.name}: needs n >= 2, m >= 1 and tmax >= 0.")
    pts = []
    for k, row in enumerate(body):
        if len(row) != 3:
            raise ProblemError(f"{path.name}: line {k + 4} must hold 'x y score'.")
        try:
            pts.append((float(row[0]), float(row[1]), float(row[2])))
        except ValueError:
            raise ProblemError(f"{path.name}: line {k + 4} holds a value that is not a number.") from None
    return TopInstance(path.stem if path.suffix == ".txt" else path.name, m, tmax, tuple(pts))


def top_problem(inst: TopInstance) -> Problem:
    """The planning problem equivalent to a TOP instance (site ids are the point indices as strings)."""
    locs = [Location(str(i), x, y) for i, (x, y, _) in enumerate(inst.points)]
    n = len(locs)
    sites = [Site(str(i), i, inst.points[i][2]) for i in range(1, n - 1)]
    days = [Day(f"path{k}", 0, n - 1, 0.0, inst.tmax) for k in range(inst.n_paths)]
    return Problem(tuple(locs), EuclideanProvider().matrix(locs), tuple(sites), tuple(days), name=inst.name)
