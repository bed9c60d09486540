"""Travel-time providers: one small Protocol, several interchangeable implementations.

A provider turns locations into a square matrix of travel minutes (float). The solver never calls a provider;
the matrix is computed once when the ``Problem`` is built, so a slow or failing source (OSRM) fails loudly
before any solving starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from optimizer.model import Location
from optimizer.travel.euclidean import EuclideanProvider
from optimizer.travel.haversine import HaversineProvider, haversine_km
from optimizer.travel.matrix import MatrixProvider
from optimizer.travel.osrm import OsrmProvider, TravelTimeError

__all__ = [
    "EuclideanProvider",
    "HaversineProvider",
    "MatrixProvider",
    "OsrmProvider",
    "TravelTimeError",
    "TravelTimeProvider",
    "haversine_km",
]


@runtime_checkable
class TravelTimeProvider(Protocol):
    """Anything that can give travel minutes between every pair of locations."""

    def matrix(self, locations: Sequence[Location]) -> list[list[float]]:
        """Square matrix, ``[i][j]`` = minutes from ``locations[i]`` to ``locations[j]``."""
        ...
