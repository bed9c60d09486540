"""Kecamatan boundaries from GeoJSON, for the maps: validated as a whole, like village imports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.regions.importers import RowError, _FileError, _read_geojson


@dataclass(frozen=True)
class BoundaryResult:
    """Boundaries by kecamatan code, and the errors that stop the whole file."""

    boundaries: Mapping[str, dict]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return bool(self.boundaries) and not self.errors


def parse_kecamatan_boundaries(data: bytes, known: Mapping[str, str], regency_name: str) -> BoundaryResult:
    """Each feature needs a known kecamatan `code` (or `kode`) and a Polygon/MultiPolygon; codes appear once."""
    try:
        raws = _read_geojson(data)
    except _FileError as err:
        return BoundaryResult({}, (RowError(err.line, None, None, err.message),))
    boundaries: dict[str, dict] = {}
    first_seen: dict[str, int] = {}
    errors: list[RowError] = []
    for raw in raws:
        code = str(raw.values.get("code") or "").strip()
        problems = list(raw.problems)
        if not code:
            problems.append(("code", "Kode kecamatan kosong."))
        elif code not in known:
            problems.append(("code", f"Kode kecamatan {code} tidak dikenal di {regency_name}."))
        elif code in first_seen:
            problems.append(("code", f"Kode kecamatan {code} ganda: sudah ada di fitur {first_seen[code]}."))
        if raw.boundary is None and not raw.problems:
            problems.append(("geometry", "Batas kecamatan harus berupa Polygon atau MultiPolygon."))
        errors.extend(RowError(raw.line, code or None, field, message) for field, message in problems)
        if not problems:
            boundaries[code] = raw.boundary
            first_seen[code] = raw.line
    return BoundaryResult(boundaries, tuple(errors))
