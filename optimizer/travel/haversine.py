"""Offline default: great-circle distance stretched by a detour factor, at a road speed, plus fixed minutes.

Defaults (×1.35, 40 km/h, +10 min per trip) suit rural East Java roads: the fixed minutes cover parking,
greeting and getting out of town, which dominate short hops between neighbouring desa.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from optimizer.model import Location

__all__ = ["EARTH_RADIUS_KM", "HaversineProvider", "haversine_km"]

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class HaversineProvider:
    """minutes = haversine km × ``detour`` ÷ ``speed_kmh`` × 60 + ``fixed_min`` (0 between identical points)."""

    def __init__(self, detour: float = 1.35, speed_kmh: float = 40.0, fixed_min: float = 10.0) -> None:
        if not detour >= 1.0:
            raise ValueError(f"detour must be at least 1.0 (roads are never straighter than a line), not {detour!r}.")
        if not speed_kmh > 0:
            raise ValueError(f"speed_kmh must be positive, not {speed_kmh!r}.")
        if not fixed_min >= 0:
            raise ValueError(f"fixed_min must not be negative, not {fixed_min!r}.")
        self.detour, self.speed_kmh, self.fixed_min = detour, speed_kmh, fixed_min

    def minutes(self, a: Location, b: Location) -> float:
        """Travel minutes from ``a`` to ``b``."""
        if (a.lat, a.lon) == (b.lat, b.lon):
            return 0.0
        km = haversine_km(a.lat, a.lon, b.lat, b.lon) * self.detour
        return km / self.speed_kmh * 60.0 + self.fixed_min

    def matrix(self, locations: Sequence[Location]) -> list[list[float]]:
        """Symmetric matrix of travel minutes."""
        return [[self.minutes(a, b) for b in locations] for a in locations]
