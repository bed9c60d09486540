"""Solver parameters: an object with defaults, seeded, loadable from TOML for benchmarks."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from optimizer.model import ProblemError

__all__ = ["DEFAULT_WORKERS", "SolveParams"]

#: Independent searches run in parallel (forked processes, one per core of the 2-core reference machine).
#: A fixed number, not ``os.cpu_count()``: the plan must not depend on the machine it runs on.
DEFAULT_WORKERS = 2


@dataclass(frozen=True, slots=True)
class SolveParams:
    """How hard and how the solver searches.

    Parameters
    ----------
    time_limit_s
        Wall-clock budget; the best plan found so far is returned when it runs out.
    seed
        Different seeds explore differently (node order, restarts); the same seed repeats the same search.
    deterministic
        When true (default) the search effort is counted in OR-Tools solutions, not seconds, so the same input,
        seed and time limit give the same plan on any machine fast enough to finish the count inside the time
        limit (which stays as a safety cap). When false the search simply runs until the clock stops it.
    workers
        Independent searches with different seed streams, run in parallel in forked worker processes; the best
        plan wins. Stream 0 is the one-worker search, so more workers never give a worse plan. 1 = no processes.
    restarts
        Number of independent OR-Tools searches (different node orders) sharing the budget; the best is kept.
    scale
        Integer units per minute inside the solver (see ``optimizer.scaling``).
    first_solution
        OR-Tools first-solution strategy name.
    metaheuristic
        OR-Tools local-search metaheuristic name.
    """

    time_limit_s: float = 10.0
    seed: int = 0
    deterministic: bool = True
    restarts: int = 1
    workers: int = DEFAULT_WORKERS
    scale: int = 1000
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"

    def __post_init__(self) -> None:
        if not self.time_limit_s > 0:
            raise ProblemError(f"time_limit_s must be positive, not {self.time_limit_s!r}.")
        if self.workers < 1:
            raise ProblemError(f"workers must be at least 1, not {self.workers!r}.")
        if self.restarts < 1:
            raise ProblemError(f"restarts must be at least 1, not {self.restarts!r}.")
        if self.scale < 1:
            raise ProblemError(f"scale must be at least 1, not {self.scale!r}.")

    @classmethod
    def from_toml(cls, path: str | Path) -> SolveParams:
        """Read parameters from a TOML file (keys as the field names); unknown keys are an error."""
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ProblemError(f"{path} has unknown solver parameters: {', '.join(unknown)}.")
        return cls(**data)
