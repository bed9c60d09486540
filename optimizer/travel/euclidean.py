"""Planar distances for benchmark files (Chao's TOP): ``lat``/``lon`` are read as x/y."""

from __future__ import annotations

import math
from collections.abc import Sequence

from optimizer.model import Location

__all__ = ["EuclideanProvider"]


class EuclideanProvider:
    """Straight-line distance divided by ``speed`` (1 by default, so 'minutes' equal distance units)."""

    def __init__(self, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, not {speed!r}.")
        self.speed = speed

    def matrix(self, locations: Sequence[Location]) -> list[list[float]]:
        """Euclidean distance matrix (not rounded)."""
        return [[math.hypot(a.lat - b.lat, a.lon - b.lon) / self.speed for b in locations] for a in locations]
