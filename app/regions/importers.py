"""Parse and validate village (desa) locations and figures from CSV, XLSX and GeoJSON uploads.

No database and no Flask: the import service builds a `RegionContext` from the database, calls
`parse_locations`, shows `errors` row by row, and writes `rows` only when `ok` (all or nothing).
Bad input never raises; every problem becomes a `RowError` with an Indonesian message.

Columns (CSV/XLSX header, case-insensitive; GeoJSON properties likewise). Aliases accepted:
    code             code, kode, kode_desa                         (required)
    lat              lat, latitude, lintang                        (required, not in GeoJSON)
    lon              lon, lng, long, longitude, bujur              (required, not in GeoJSON)
    area_km2         area_km2, luas_km2                            (optional)
    population       population, penduduk, jumlah_penduduk         (optional)
    households       households, kk, rumah_tangga                  (optional)
    poor_households  poor_households, rt_miskin, rumah_tangga_miskin (optional)
Other columns (name, kind, kecamatan_code, kecamatan, ...) are ignored.

Decimal comma ("-8,49") is accepted for coordinates and area only where it cannot clash with the
field separator: `;`- or tab-delimited CSV and text cells in XLSX. Counts must be whole numbers.

GeoJSON: a FeatureCollection. Point -> that point. Polygon/MultiPolygon -> a point guaranteed inside
the largest polygon (pole of inaccessibility, see `geometry.interior_point`) and the spherical area,
with the geometry kept as `boundary`. Properties `lat`/`lon`/`area_km2` of polygon features are
ignored on purpose: the computed point and area always agree with the boundary that is stored.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import openpyxl

from app.regions.geometry import area_km2 as geometry_area_km2
from app.regions.geometry import interior_point

log = logging.getLogger(__name__)

MAX_ROWS = 20_000
# Kecamatan extents come from points *inside* each kecamatan (reference points, known desa), so the
# real border lies beyond them. 0.1° (~11 km) covers that: the 217 Banyuwangi desa reach up to 0.07°
# beyond the spread of the kecamatan reference points, yet a typo or a swapped sign still lands far out.
BOUNDS_MARGIN_DEG = 0.1

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "kode", "kode_desa"),
    "lat": ("lat", "latitude", "lintang"),
    "lon": ("lon", "lng", "long", "longitude", "bujur"),
    "area_km2": ("area_km2", "luas_km2"),
    "population": ("population", "penduduk", "jumlah_penduduk"),
    "households": ("households", "kk", "rumah_tangga"),
    "poor_households": ("poor_households", "rt_miskin", "rumah_tangga_miskin"),
}
REQUIRED_COLUMNS = ("code", "lat", "lon")
COUNT_FIELDS = ("population", "households", "poor_households")
LABELS = {
    "lat": "Lintang",
    "lon": "Bujur",
    "area_km2": "Luas (km²)",
    "population": "Jumlah penduduk",
    "households": "Jumlah rumah tangga",
    "poor_households": "Jumlah rumah tangga miskin",
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
# Plain decimal notation only: float() alone would also take "nan", "inf" and "1_000".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# "1.234" or "1,234" in a count is a thousands separator in Indonesian or English: refuse, don't guess.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{3})+")
_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".geojson": "geojson", ".json": "geojson"}

Bounds = tuple[float, float, float, float]  # (min_lat, max_lat, min_lon, max_lon)


@dataclass(frozen=True)
class RegionContext:
    """What the import service knows about the regency from the database."""

    regency_code: str  # "35.10"
    desa_kecamatan: Mapping[str, str]  # desa code -> kecamatan code, for this regency
    kecamatan_extent: Mapping[str, Bounds]  # kec code -> (min_lat, max_lat, min_lon, max_lon)
    regency_name: str = ""  # "Kabupaten Banyuwangi", only for messages


@dataclass(frozen=True)
class LocationRow:
    """One valid desa location; `line` is the file row (header = 1) or the GeoJSON feature number."""

    line: int
    code: str
    lat: float
    lon: float
    area_km2: float | None = None
    boundary: dict | None = None  # GeoJSON geometry for polygon features
    population: int | None = None
    households: int | None = None
    poor_households: int | None = None


@dataclass(frozen=True)
class RowError:
    """One problem; file-level problems have line 1 (or the broken line), no code and no field."""

    line: int
    code: str | None
    field: str | None
    message: str


@dataclass(frozen=True)
class ImportResult:
    rows: tuple[LocationRow, ...]
    errors: tuple[RowError, ...]
    fmt: str  # "csv" | "xlsx" | "geojson" | "unknown"

    @property
    def ok(self) -> bool:
        """True when the whole file may be written."""
        return bool(self.rows) and not self.errors


class _FileError(Exception):
    """A problem with the file as a whole; turned into a single RowError, never escapes."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message, self.line = message, line


@dataclass
class _RawRow:
    """A row before validation: raw cell values by field, plus problems found while reading it."""

    line: int
    values: dict[str, Any]
    decimal_comma: bool = False
    boundary: dict | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    unreadable: bool = False  # nothing to check beyond `problems` (e.g. a GeoJSON item that is no Feature)


def regency_bounds(ctx: RegionContext, margin: float = BOUNDS_MARGIN_DEG) -> Bounds:
    """The regency's area: the spread of its kecamatan extents widened by `margin` degrees.

    Raises ValueError when the context has no extents (a setup problem, not bad input).
    """
    extents = list(ctx.kecamatan_extent.values())
    if not extents:
        raise ValueError(f"no kecamatan extents for regency {ctx.regency_code}")
    return (
        min(e[0] for e in extents) - margin,
        max(e[1] for e in extents) + margin,
        min(e[2] for e in extents) - margin,
        max(e[3] for e in extents) + margin,
    )


def parse_locations(filename: str, data: bytes, ctx: RegionContext) -> ImportResult:
    """Read and validate an upload; never raises on bad input."""
    fmt = _FORMATS.get(PurePath(filename or "").suffix.lower(), "unknown")
    if fmt == "unknown":
        name = PurePath(filename or "").name or "(tanpa nama)"
        return _file_error(fmt, f"Format berkas tidak didukung: {name}. Gunakan CSV, XLSX atau GeoJSON.")
    try:
        bounds = regency_bounds(ctx)
    except ValueError:
        return _file_error(fmt, "Batas wilayah kabupaten belum diketahui (kecamatan belum memiliki titik acuan).")
    if not data or not data.strip():
        return _file_error(fmt, "Berkas kosong.")
    try:
        reader = {"csv": _read_csv, "xlsx": _read_xlsx, "geojson": _read_geojson}[fmt]
        raws = reader(data)
        return _validate_all(raws, ctx, bounds, fmt)
    except _FileError as exc:
        return _file_error(fmt, exc.message, exc.line)
    except Exception:  # last resort: an unexpected bug must not turn an upload into a 500
        log.exception("unexpected error while parsing %s", filename)
        return _file_error(fmt, "Berkas tidak dapat diproses karena kesalahan tak terduga.")


def _file_error(fmt: str, message: str, line: int = 1) -> ImportResult:
    return ImportResult(rows=(), errors=(RowError(line, None, None, message),), fmt=fmt)


# --- readers ------------------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[_RawRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _FileError(
            f"Berkas bukan teks UTF-8 (byte ke-{exc.start + 1} tidak valid). Simpan ulang sebagai CSV UTF-8."
        ) from exc
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)  # ties go to ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _tabular(((reader.line_num, cells) for cells in reader), decimal_comma=delimiter != ",")
    except csv.Error as exc:
        raise _FileError(f"Berkas CSV rusak di baris {reader.line_num}.", reader.line_num) from exc


def _read_xlsx(data: bytes) -> list[_RawRow]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike
        raise _FileError("Berkas XLSX tidak dapat dibuka. Simpan ulang sebagai Excel Workbook (.xlsx).") from exc
    try:
        if not workbook.worksheets:
            raise _FileError("Berkas XLSX tidak memiliki lembar kerja.")
        rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        return _tabular(rows, decimal_comma=True)
    except _FileError:
        raise
    except Exception as exc:
        raise _FileError("Isi berkas XLSX rusak dan tidak dapat dibaca.") from exc
    finally:
        workbook.close()


def _tabular(rows: Iterable[tuple[int, Sequence[Any]]], decimal_comma: bool) -> list[_RawRow]:
    """Header row, then data rows; fully blank rows are skipped (spreadsheets leave them)."""
    columns: dict[str, int] | None = None
    raws: list[_RawRow] = []
    for line, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        if columns is None:
            columns = _map_header(cells)
            continue
        if len(raws) >= MAX_ROWS:
            raise _FileError(_too_many_rows())
        values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
        raws.append(_RawRow(line, values, decimal_comma))
    if columns is None:
        raise _FileError("Berkas kosong.")
    if not raws:
        raise _FileError("Berkas hanya berisi judul kolom, tanpa baris data.")
    return raws


def _map_header(cells: Sequence[Any]) -> dict[str, int]:
    """Field -> column index, by name or alias; missing required columns is a file-level error."""
    names = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in cells]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        known = _ALIAS_TO_FIELD.get(_normalise(name))
        if known is None:
            continue
        if known in columns:
            raise _FileError(f"Kolom '{names[columns[known]]}' dan '{name}' sama-sama berisi {known}; sisakan satu.")
        columns[known] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        found = ", ".join(n for n in names if n) or "(tidak ada)"
        raise _FileError(
            f"Kolom wajib tidak ditemukan: {', '.join(missing)}. Kolom yang ada: {found}. "
            "Kolom wajib: code, lat, lon (atau kode, lintang, bujur)."
        )
    return columns


def _read_geojson(data: bytes) -> list[_RawRow]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _FileError("Berkas GeoJSON bukan teks UTF-8 yang valid.") from exc
    except json.JSONDecodeError as exc:
        raise _FileError(f"Berkas GeoJSON bukan JSON yang valid (baris {exc.lineno}, kolom {exc.colno}).") from exc
    except (ValueError, RecursionError) as exc:
        raise _FileError("Berkas GeoJSON bukan JSON yang valid.") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise _FileError("GeoJSON harus berupa FeatureCollection dengan daftar 'features'.")
    features = doc["features"]
    if not features:
        raise _FileError("FeatureCollection tidak berisi fitur.")
    if len(features) > MAX_ROWS:
        raise _FileError(_too_many_rows())
    return [_feature_row(number, feature) for number, feature in enumerate(features, start=1)]


def _feature_row(number: int, feature: Any) -> _RawRow:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problem = ("geometry", f"Fitur {number} bukan objek Feature GeoJSON.")
        return _RawRow(number, {}, problems=[problem], unreadable=True)
    properties = feature.get("properties")
    values: dict[str, Any] = {}
    for key, value in (properties if isinstance(properties, dict) else {}).items():
        known = _ALIAS_TO_FIELD.get(_normalise(str(key)))
        if known is not None and known not in ("lat", "lon") and known not in values:
            values[known] = value
    raw = _RawRow(number, values)
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "Point":
        coords = geometry.get("coordinates")
        if _is_position(coords):
            values["lon"], values["lat"] = coords[0], coords[1]
        else:
            raw.problems.append(("geometry", "Koordinat titik tidak valid; gunakan [bujur, lintang]."))
    elif kind in ("Polygon", "MultiPolygon"):
        point = interior_point(geometry) if _valid_polygons(geometry) else None
        area = geometry_area_km2(geometry) if point else 0.0
        if point is None or area <= 0:
            raw.problems.append(
                (
                    "geometry",
                    "Koordinat poligon tidak valid: setiap cincin perlu minimal 4 titik [bujur, lintang] "
                    "dan poligon harus memiliki luas.",
                )
            )
        else:
            values["lon"], values["lat"] = point
            values["area_km2"] = area
            raw.boundary = {"type": kind, "coordinates": geometry["coordinates"]}
    else:
        found = kind if isinstance(kind, str) else "kosong"
        raw.problems.append(("geometry", f"Geometri fitur harus Polygon, MultiPolygon atau Point; ditemukan {found}."))
    return raw


def _valid_polygons(geometry: dict) -> bool:
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    return (
        isinstance(polygons, list)
        and bool(polygons)
        and all(
            isinstance(polygon, list)
            and bool(polygon)
            and all(isinstance(ring, list) and len(ring) >= 4 and all(map(_is_position, ring)) for ring in polygon)
            for polygon in polygons
        )
    )


def _is_position(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) >= 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value[:2])
    )


# --- validation ---------------------------------------------------------------------------------


def _validate_all(raws: list[_RawRow], ctx: RegionContext, bounds: Bounds, fmt: str) -> ImportResult:
    unit = "fitur" if fmt == "geojson" else "baris"
    where = f"{ctx.regency_name} ({ctx.regency_code})" if ctx.regency_name else f"kabupaten {ctx.regency_code}"
    first_seen: dict[str, int] = {}
    rows: list[LocationRow] = []
    errors: list[RowError] = []
    for raw in raws:
        row, row_errors = _validate_row(raw, ctx, bounds, where)
        code = _text(raw.values.get("code"))
        if code and code in first_seen:
            row_errors.append(
                RowError(raw.line, code, "code", f"Kode desa {code} ganda: sudah ada di {unit} {first_seen[code]}.")
            )
        elif code:
            first_seen[code] = raw.line
        errors.extend(row_errors)
        if row is not None and not row_errors:
            rows.append(row)
    return ImportResult(rows=tuple(rows), errors=tuple(errors), fmt=fmt)


def _validate_row(
    raw: _RawRow, ctx: RegionContext, bounds: Bounds, where: str
) -> tuple[LocationRow | None, list[RowError]]:
    code = _text(raw.values.get("code"))
    problems = list(raw.problems)
    if raw.unreadable:
        return None, [RowError(raw.line, None, name, message) for name, message in problems]
    if not code:
        problems.append(("code", "Kode desa kosong."))
    elif code not in ctx.desa_kecamatan:
        problems.append(("code", f"Kode desa {code} tidak dikenal di {where}."))

    coords: dict[str, float | None] = {"lat": None, "lon": None}
    if not any(f == "geometry" for f, _ in raw.problems):
        for name in coords:
            value, problem = _parse_float(raw.values.get(name), LABELS[name], raw.decimal_comma)
            if problem or value is None:
                problems.append((name, problem or f"{LABELS[name]} kosong."))
            coords[name] = value
    lat, lon = coords["lat"], coords["lon"]
    problems.extend(_coordinate_problems(lat, lon, bounds, where))

    area, problem = _parse_float(raw.values.get("area_km2"), LABELS["area_km2"], raw.decimal_comma)
    if problem:
        problems.append(("area_km2", problem))
    elif area is not None and area < 0:
        problems.append(("area_km2", f"Luas {_fmt(area)} km² tidak boleh negatif."))

    counts: dict[str, int | None] = {}
    for name in COUNT_FIELDS:
        counts[name], problem = _parse_count(raw.values.get(name), LABELS[name])
        if problem:
            problems.append((name, problem))
    population, households, poor = counts["population"], counts["households"], counts["poor_households"]
    if poor is not None and households is not None and poor > households:
        problems.append(
            (
                "poor_households",
                f"Jumlah rumah tangga miskin ({poor}) melebihi jumlah rumah tangga ({households}).",
            )
        )
    if households is not None and population is not None and households > population:
        problems.append(("households", f"Jumlah rumah tangga ({households}) melebihi jumlah penduduk ({population})."))

    errors = [RowError(raw.line, code or None, name, message) for name, message in problems]
    if errors or lat is None or lon is None:
        return None, errors
    row = LocationRow(
        line=raw.line,
        code=code,
        lat=lat,
        lon=lon,
        area_km2=area,
        boundary=raw.boundary,
        population=population,
        households=households,
        poor_households=poor,
    )
    return row, []


def _coordinate_problems(lat: float | None, lon: float | None, bounds: Bounds, where: str) -> list[tuple[str, str]]:
    """Outside the world, outside the regency, or (most helpful) the two columns swapped."""
    min_lat, max_lat, min_lon, max_lon = bounds
    if lat is not None and lon is not None:
        if min_lat <= lat <= max_lat and min_lon <= lon <= max_lon:
            return []
        if min_lat <= lon <= max_lat and min_lon <= lat <= max_lon:
            return [
                (
                    "lat",
                    f"Lintang {_fmt(lat)} dan bujur {_fmt(lon)} tampaknya tertukar: "
                    f"jika ditukar, titiknya berada di {where}.",
                )
            ]
    problems = []
    for name, value, world, low, high in (
        ("lat", lat, 90, min_lat, max_lat),
        ("lon", lon, 180, min_lon, max_lon),
    ):
        label = LABELS[name]
        if value is None:
            continue
        if not -world <= value <= world:
            problems.append((name, f"{label} {_fmt(value)} di luar rentang -{world} s.d. {world}."))
        elif not low <= value <= high:
            problems.append(
                (
                    name,
                    f"{label} {_fmt(value)} di luar wilayah {where} "
                    f"({label.lower()} {_fmt(low, 3)} s.d. {_fmt(high, 3)}).",
                )
            )
    return problems


# --- cell values --------------------------------------------------------------------------------


def _parse_float(value: Any, label: str, decimal_comma: bool) -> tuple[float | None, str | None]:
    """(number, None), (None, None) for a blank cell, or (None, Indonesian message)."""
    if _blank(value):
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        text = str(value)
    else:
        text = str(value).strip()
        candidate = text.replace(",", ".") if decimal_comma and text.count(",") == 1 and "." not in text else text
        if not _NUMBER.fullmatch(candidate):
            hint = " (gunakan titik sebagai pemisah desimal)" if "," in text else ""
            return None, f"{label} '{text}' bukan angka{hint}."
        number = float(candidate)
    if not math.isfinite(number):
        return None, f"{label} '{text}' bukan angka."
    return number, None


def _parse_count(value: Any, label: str) -> tuple[int | None, str | None]:
    """A whole, non-negative number; "12.0" and 12.0 from spreadsheets are fine, "12.5" is not."""
    if _blank(value):
        return None, None
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    else:
        text = str(value).strip()
        if isinstance(value, str) and _THOUSANDS.fullmatch(text):
            return None, f"{label} '{text}' ambigu; tulis bilangan bulat tanpa pemisah ribuan."
        if isinstance(value, bool) or not _NUMBER.fullmatch(text):
            return None, f"{label} '{text}' bukan angka."
        number = float(text)
        if not math.isfinite(number):
            return None, f"{label} '{text}' bukan angka."
        if not number.is_integer():
            return None, f"{label} '{text}' harus bilangan bulat."
        count = int(text) if text.lstrip("+-").isdigit() else int(number)
    if count < 0:
        return None, f"{label} {count} tidak boleh negatif."
    return count, None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _fmt(value: float, decimals: int = 6) -> str:
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _too_many_rows() -> str:
    return f"Berkas berisi lebih dari {MAX_ROWS:,} baris data; bagi menjadi beberapa berkas.".replace(",", ".")
