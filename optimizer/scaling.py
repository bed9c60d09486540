"""The one rounding policy: minutes become integers inside the solver, floats everywhere else.

Travel and service times are scaled by ``SCALE`` and rounded **up**; deadlines are scaled and rounded **down**;
earliest starts are rounded **up**. So any plan feasible for the integer model is feasible in exact arithmetic,
which the float checker (``check_solution``) confirms.
"""

from __future__ import annotations

import math

__all__ = ["PRIZE_SCALE", "SCALE", "to_int_ceil", "to_int_floor"]

#: Integer units per minute inside the solver.
SCALE = 1000
#: Integer units per prize point inside the solver (prizes are kept to 1e-3).
PRIZE_SCALE = 1000


def to_int_ceil(x: float, scale: int = SCALE) -> int:
    """Scale and round up (durations, earliest times): never optimistic."""
    return math.ceil(round(x * scale, 6))


def to_int_floor(x: float, scale: int = SCALE) -> int:
    """Scale and round down (deadlines, budgets): never optimistic."""
    return math.floor(round(x * scale, 6))
