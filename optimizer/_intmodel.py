"""The integer model handed to a routing backend: plain lists of ints, no OR-Tools types.

``solver.py`` builds it from a ``Problem`` (applying the rounding policy of ``scaling.py``); ``_ortools.py``
turns it into an OR-Tools routing model. Keeping this boundary explicit lets a second backend be added later.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class IntModel:
    """Nodes ``0..n_sites-1`` are sites, the rest are day start/end places."""

    n_nodes: int
    n_sites: int
    time: list[list[int]]  # service at i + travel i->j (time units)
    cost: list[list[int]]  # travel i->j (cost units)
    service: list[int]  # per node, time units
    starts: list[int]  # per vehicle, node
    ends: list[int]
    day_start: list[int]  # per vehicle, time units
    day_end: list[int]
    horizon: int
    penalty: list[int | None]  # per site; None = must be visited (hard)
    allowed: list[list[int] | None]  # per site, allowed vehicles (None = all)
    window: list[tuple[int, int]]  # per site, hull of allowed start times
    vehicle_windows: list[dict[int, tuple[int, int]] | None]  # per site, vehicle -> start range, when they differ
    max_visits: list[int | None]  # per vehicle
    positions: dict[int, int] = field(default_factory=dict)  # site node -> 0-based position
    breaks: list[list[tuple[int, int, int]]] = field(default_factory=list)  # per vehicle (lo, hi, duration)
    vehicle_node_cost: list[dict[int, int]] | None = None  # per vehicle, site node -> extra cost when visited


@dataclass(slots=True)
class Search:
    """How the backend searches."""

    time_limit_s: float
    solution_limit: int | None = None
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    operators: dict[str, bool] = field(default_factory=dict)
    initial_routes: list[list[int]] | None = None
    lambda_coefficient: float | None = None
    log: bool = False


@dataclass(slots=True)
class IntResult:
    """Routes (site nodes per vehicle) and how the search went."""

    routes: list[list[int]]
    objective: int
    solutions: int
    status: str
