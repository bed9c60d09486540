"""Polygon maths for village boundaries: area on the sphere and a point guaranteed inside.

Pure Python on purpose (no shapely/pyproj): imports are a few hundred polygons, and the
deployment should not need GEOS or PROJ. Coordinates follow GeoJSON: (lon, lat) in degrees.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

# Mean Earth radius (IUGG); the spherical-excess area is within ~0.5 % of the WGS84 ellipsoid.
EARTH_RADIUS_M = 6_371_008.8

Position = tuple[float, float]  # (lon, lat)
Ring = list[Position]
Polygon = list[Ring]  # outer ring first, then holes


def polygons_of(geometry: dict) -> list[Polygon]:
    """The polygons of a Polygon/MultiPolygon geometry as float tuples (assumes a validated geometry)."""
    raw = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in raw]


def ring_area_m2(ring: Sequence[Position]) -> float:
    """Unsigned area of a closed lon/lat ring on a sphere (Chamberlain & Duquette, JPL 2007).

    Why not planar: a degree of longitude is ~110 km at the equator but shrinks with latitude,
    so a plain shoelace on degrees is wrong by cos(lat); this formula is exact on the sphere.
    """
    n = len(ring)
    if n < 3:
        return 0.0
    total = 0.0
    for i in range(n):
        lon_prev = ring[i - 1][0]
        lat_here = ring[i][1]
        lon_next = ring[(i + 1) % n][0]
        total += math.radians(lon_next - lon_prev) * math.sin(math.radians(lat_here))
    return abs(total) * EARTH_RADIUS_M**2 / 2.0


def polygon_area_m2(polygon: Polygon) -> float:
    """Outer ring minus holes."""
    outer, *holes = polygon
    return max(ring_area_m2(outer) - sum(ring_area_m2(h) for h in holes), 0.0)


def area_km2(geometry: dict) -> float:
    """Area of a Polygon/MultiPolygon geometry in km²."""
    return sum(polygon_area_m2(p) for p in polygons_of(geometry)) / 1e6


def point_in_polygon(x: float, y: float, polygon: Sequence[Sequence[Position]]) -> bool:
    """Even-odd ray casting over all rings, so holes count as outside."""
    inside = False
    for ring in polygon:
        n = len(ring)
        for i in range(n):
            x1, y1 = ring[i - 1]
            x2, y2 = ring[i]
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _segment_dist_sq(px: float, py: float, a: Position, b: Position) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    if dx or dy:
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        ax, ay = ax + t * dx, ay + t * dy
    return (px - ax) ** 2 + (py - ay) ** 2


def _signed_distance(x: float, y: float, polygon: Polygon) -> float:
    """Distance to the nearest edge, positive inside and negative outside."""
    best = min(_segment_dist_sq(x, y, ring[i - 1], ring[i]) for ring in polygon for i in range(len(ring)))
    return math.sqrt(best) if point_in_polygon(x, y, polygon) else -math.sqrt(best)


def _pole_of_inaccessibility(polygon: Polygon, max_cells: int = 2_000) -> tuple[float, float, float]:
    """Mapbox "polylabel": quadtree search for the interior point farthest from every edge.

    Unlike the centroid, this lands inside concave (U-shaped) villages, and away from the
    edge, so a marker drawn there is clearly in the right desa. Returns (x, y, distance).
    """
    xs = [p[0] for p in polygon[0]]
    ys = [p[1] for p in polygon[0]]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    width, height = max_x - min_x, max_y - min_y
    size = min(width, height)
    if size <= 0:
        return min_x, min_y, 0.0
    precision = max(width, height) / 1000.0
    heap: list[tuple[float, int, float, float, float, float]] = []  # (-max, tiebreak, x, y, half, d)
    counter = 0

    def push(x: float, y: float, half: float) -> None:
        nonlocal counter
        d = _signed_distance(x, y, polygon)
        heapq.heappush(heap, (-(d + half * math.sqrt(2)), counter, x, y, half, d))
        counter += 1

    half = size / 2
    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            push(x + half, y + half, half)
            y += size
        x += size
    best_x, best_y = min_x + width / 2, min_y + height / 2
    best_d = _signed_distance(best_x, best_y, polygon)
    while heap and counter < max_cells:
        neg_max, _, x, y, half, d = heapq.heappop(heap)
        if d > best_d:
            best_x, best_y, best_d = x, y, d
        if -neg_max - best_d <= precision:
            continue
        half /= 2
        for sx in (-1, 1):
            for sy in (-1, 1):
                push(x + sx * half, y + sy * half, half)
    return best_x, best_y, best_d


def _scanline_point(polygon: Polygon) -> tuple[float, float] | None:
    """Midpoint of the widest inside span on horizontal lines between vertex levels.

    Fallback for slivers too thin for the quadtree's precision: always inside when a span exists.
    """
    levels = sorted({p[1] for ring in polygon for p in ring})
    step = max(1, len(levels) // 64)
    best: tuple[float, float, float] | None = None  # (width, x, y)
    for lo, hi in zip(levels[::step], levels[step::step], strict=False):
        y = (lo + hi) / 2
        crossings = sorted(
            x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            for ring in polygon
            for (x1, y1), (x2, y2) in zip(ring[-1:] + ring[:-1], ring, strict=True)
            if (y1 > y) != (y2 > y)
        )
        for a, b in zip(crossings[::2], crossings[1::2], strict=False):
            if best is None or b - a > best[0]:
                best = (b - a, (a + b) / 2, y)
    return None if best is None else (best[1], best[2])


def interior_point(geometry: dict) -> Position | None:
    """A (lon, lat) strictly inside the largest polygon of the geometry, or None if degenerate.

    Works in a local equirectangular frame (lon scaled by cos(lat)) so "farthest from the
    edge" means metres, not degrees.
    """
    polygons = polygons_of(geometry)
    if not polygons:
        return None
    largest = max(polygons, key=polygon_area_m2)
    lats = [p[1] for p in largest[0]]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2)) or 1.0
    local = [[(lon * k, lat) for lon, lat in ring] for ring in largest]
    x, y, d = _pole_of_inaccessibility(local)
    if d <= 0:
        fallback = _scanline_point(local)
        if fallback is None:
            return None
        x, y = fallback
    return x / k, y
