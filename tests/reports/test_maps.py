"""Tests for the server-side SVG map renderer (reports.maps)."""

from __future__ import annotations

import csv
import json
import random
import xml.etree.ElementTree as ET  # parsing our own output, not untrusted input
from pathlib import Path

import pytest

from reports.colours import SEQUENTIAL_SCALES, class_breaks, class_index, scale_colours
from reports.maps import (
    EMPTY_MESSAGE,
    MapArea,
    MapPoint,
    MapRoute,
    MapStyle,
    areas_from_geojson,
    format_number_id,
    render_map,
)

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "banyuwangi"

SQUARE = MapArea(
    code="35.10.99",
    name="Kecamatan Uji",
    polygons=(((114.0, -8.0), (114.2, -8.0), (114.2, -8.2), (114.0, -8.2)),),
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def layer(root: ET.Element, name: str) -> ET.Element | None:
    return root.find(f".//{SVG}g[@data-layer='{name}']")


def point_circles(root: ET.Element) -> list[ET.Element]:
    group = layer(root, "points")
    return [] if group is None else list(group.iter(f"{SVG}circle"))


def sample_points(n: int = 12) -> list[MapPoint]:
    return [
        MapPoint(
            code=f"35.10.99.{2000 + i}",
            name=f"Desa {i}",
            lat=-8.0 - 0.015 * i,
            lon=114.0 + 0.013 * i,
            value=None if i == 3 else float(i * 2),
            label=None if i == 3 else f"{i * 2} %",
            href=f"/desa/{i}" if i % 2 == 0 else None,
            approximate=i == 5,
        )
        for i in range(n)
    ]


def test_well_formed_standalone_svg() -> None:
    svg = render_map(
        [SQUARE], sample_points(), title="Peta uji", legend_title="Persentase rumah tangga miskin"
    )
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "group"  # its points link to pages: a group, never an image holding links
    assert root.get("aria-label") == "Peta uji"
    assert root.get("viewBox", "").startswith("0 0 800 ")
    assert "<script" not in svg and "<style" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "").replace(
        "http://www.w3.org/1999/xlink", ""
    )
    assert len(root.findall(f".//{SVG}g[@data-layer='areas']/{SVG}path")) == 1


def test_point_count_matches_input() -> None:
    pts = sample_points(12)
    root = parse(render_map([SQUARE], pts))
    circles = point_circles(root)
    assert len(circles) == len(pts)
    assert sorted(c.get("data-code") for c in circles) == sorted(p.code for p in pts)


def test_hostile_names_are_escaped() -> None:
    evil = "<script>alert('x')</script> \"Desa\" & <b>"
    pts = [
        MapPoint(code='c"1', name=evil, lat=-8.1, lon=114.1, value=1.0, label=evil, href='/d?a=1&b="x"'),
        MapPoint(code="c2", name="Nul\x00byte\x1f", lat=-8.15, lon=114.15, value=2.0),
    ]
    area = MapArea(code="<k>", name=evil, polygons=SQUARE.polygons)
    route = MapRoute(points=((-8.1, 114.1), (-8.15, 114.15)), label=evil, colour='red" onload="x')
    svg = render_map([area], pts, routes=[route], title=evil, legend_title=evil)
    assert "<script>" not in svg
    assert "onload" not in svg
    root = parse(svg)  # would raise on broken escaping
    assert root.get("aria-label") == evil
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert any(t is not None and t.startswith(evil) for t in titles)
    assert any(
        t is not None and t.startswith("Nulbyte\n") for t in titles
    )  # control characters XML cannot carry are dropped
    link = root.find(f".//{SVG}a")
    assert link is not None and link.get("href") == '/d?a=1&b="x"'


def test_hrefs_present_with_svg2_and_xlink() -> None:
    pts = sample_points()
    root = parse(render_map([SQUARE], pts))
    links = root.findall(f".//{SVG}g[@data-layer='points']/{SVG}a")
    expected = {p.href for p in pts if p.href}
    assert {a.get("href") for a in links} == expected
    assert {a.get(XLINK_HREF) for a in links} == expected
    for a in links:
        assert a.find(f"{SVG}circle") is not None


def test_a_map_with_links_is_a_group_whose_links_stay_out_of_the_tab_order() -> None:
    """WCAG 4.1.2/2.1.1: no links inside role="img"; a keyboard user does not Tab through every dot."""
    pts = sample_points()
    root = parse(render_map([SQUARE], pts, legend_title="Rumah tangga miskin"))
    assert root.get("role") == "group"
    links = root.findall(f".//{SVG}a")
    assert links and all(a.get("tabindex") == "-1" for a in links)
    plain = parse(render_map([SQUARE], [MapPoint(code="a", name="A", lat=-8.1, lon=114.1, value=1.0)]))
    assert plain.get("role") == "img" and plain.find(f".//{SVG}a") is None


def test_text_alternative_sums_up_the_map_or_takes_the_callers_words() -> None:
    pts = sample_points(12)
    root = parse(render_map([SQUARE], pts, legend_title="Rumah tangga miskin", aria_label="Peta desa"))
    assert root[0].tag == f"{SVG}title" and root[0].text == "Peta desa"
    desc = root[1]
    assert desc.tag == f"{SVG}desc"
    assert desc.text == ("Peta dengan 12 titik desa/kelurahan. Rumah tangga miskin: dari 0,0 sampai 22,0. "
                         "1 titik memakai lokasi perkiraan.")
    route = MapRoute(points=((-8.1, 114.1), (-8.15, 114.15)), label="Sen 7 Des")
    square = MapPoint(code="place-1", name="Pendopo", lat=-8.2, lon=114.2, shape="square")
    desc = parse(render_map([], [*pts[:2], square], routes=[route]))[1].text
    assert desc == "Peta dengan 2 titik desa/kelurahan; 1 rute; tempat berangkat dan kembali: Pendopo."
    given = parse(render_map([SQUARE], pts, description="Tabel di bawah peta memuat data yang sama."))
    assert given[1].text == "Tabel di bawah peta memuat data yang sama."
    assert parse(render_map([], []))[1].text == EMPTY_MESSAGE


def test_unsafe_href_schemes_dropped() -> None:
    pts = [
        MapPoint(code="a", name="A", lat=-8.1, lon=114.1, href="javascript:alert(1)"),
        MapPoint(code="b", name="B", lat=-8.2, lon=114.2, href=" java\tscript:alert(1)"),
        MapPoint(code="c", name="C", lat=-8.3, lon=114.3, href="data:text/html,<b>"),
        MapPoint(code="d", name="D", lat=-8.4, lon=114.4, href="https://example.org/desa/d"),
    ]
    root = parse(render_map([], pts))
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["https://example.org/desa/d"]
    assert len(point_circles(root)) == 4


def test_approximate_points_styled_differently() -> None:
    pts = sample_points()
    root = parse(render_map([SQUARE], pts))
    by_code = {c.get("data-code"): c for c in point_circles(root)}
    approx = by_code[pts[5].code]
    exact = by_code[pts[6].code]
    assert approx.get("stroke-dasharray")
    assert approx.get("fill-opacity")
    assert exact.get("stroke-dasharray") is None
    title = approx.find(f"{SVG}title")
    assert title is not None and "lokasi perkiraan" in (title.text or "")
    legend = layer(root, "legend")
    assert legend is not None
    legend_texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert "lokasi perkiraan" in legend_texts
    assert "tanpa data" in legend_texts


def test_no_value_is_grey_and_values_use_scale() -> None:
    pts = sample_points()
    root = parse(render_map([SQUARE], pts, style=MapStyle(scale="Blues")))
    by_code = {c.get("data-code"): c for c in point_circles(root)}
    assert by_code[pts[3].code].get("fill") == "#b4b4b4"
    fills = {by_code[p.code].get("fill") for p in pts if p.value is not None}
    assert fills <= set(SEQUENTIAL_SCALES["Blues"])
    assert len(fills) == 5
    # highest value gets the darkest class
    assert by_code[pts[-1].code].get("fill") == SEQUENTIAL_SCALES["Blues"][-1]


def test_legend_has_five_classes_with_indonesian_numbers() -> None:
    pts = [
        MapPoint(code=str(i), name=str(i), lat=-8 - i / 100, lon=114 + i / 100, value=i * 1.25)
        for i in range(20)
    ]
    root = parse(render_map([], pts, legend_title="Persentase rumah tangga miskin"))
    legend = layer(root, "legend")
    assert legend is not None
    texts = [t.text or "" for t in legend.iter(f"{SVG}text")]
    assert "Persentase rumah tangga miskin" in texts
    class_labels = [t for t in texts if " – " in t]
    assert len(class_labels) == 5
    assert class_labels[0].startswith("0,0 – ")
    assert class_labels[-1].endswith(" – 23,8")
    assert "tanpa data" not in texts and "lokasi perkiraan" not in texts


def test_deterministic_output() -> None:
    pts = sample_points()
    route = MapRoute(points=((-8.0, 114.0), (-8.1, 114.1), (-8.2, 114.0)), label="Hari 1")
    first = render_map([SQUARE], pts, routes=[route], title="Peta")
    second = render_map([SQUARE], list(pts), routes=(route,), title="Peta")
    assert first == second


def test_empty_input_renders_message() -> None:
    svg = render_map([], [], title="Kosong")
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert EMPTY_MESSAGE in texts
    assert not point_circles(root)


def test_single_point_has_sane_extent() -> None:
    pt = MapPoint(code="x", name="Satu", lat=-8.2147, lon=114.3686, value=5.0, highlight=True)
    root = parse(render_map([], [pt]))
    (circle,) = point_circles(root)
    w, h = float(root.get("width", 0)), float(root.get("height", 0))
    cx, cy = float(circle.get("cx", -1)), float(circle.get("cy", -1))
    assert 0 < cx < w and 0 < cy < h
    assert abs(cx - w / 2) < 2  # centred
    labels = layer(root, "point-labels")
    assert labels is not None and "Satu" in [t.text for t in labels.iter(f"{SVG}text")]


def test_routes_drawn_and_in_legend() -> None:
    route = MapRoute(points=((-8.0, 114.0), (-8.1, 114.1)), label="Hari 2", colour="#aa0000")
    root = parse(render_map([SQUARE], [], routes=[route]))
    (line,) = root.findall(f".//{SVG}polyline")
    assert line.get("stroke") == "#aa0000"
    assert len((line.get("points") or "").split()) == 2
    legend = layer(root, "legend")
    assert legend is not None and "Hari 2" in [t.text for t in legend.iter(f"{SVG}text")]


def test_invalid_coordinates_rejected() -> None:
    with pytest.raises(ValueError):
        MapPoint(code="x", name="x", lat=float("nan"), lon=114.0)
    with pytest.raises(ValueError):
        MapPoint(code="x", name="x", lat=-8.0, lon=214.0)


def test_areas_from_geojson_polygon_and_multipolygon() -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kode": "A", "nama": "Satu"},
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
            },
            {
                "type": "Feature",
                "properties": {"kode": "B", "nama": "Dua"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                        [[[2, 2], [3, 2], [3, 3], [2, 2]], [[2.2, 2.1], [2.8, 2.1], [2.8, 2.5], [2.2, 2.1]]],
                    ],
                },
            },
            {
                "type": "Feature",
                "properties": {"kode": "C"},
                "geometry": {"type": "Point", "coordinates": [0, 0]},
            },
            {"type": "Feature", "properties": {}, "geometry": None},
        ],
    }
    areas = areas_from_geojson(fc, code_key="kode", name_key="nama")
    assert [(a.code, a.name, len(a.polygons)) for a in areas] == [("A", "Satu", 1), ("B", "Dua", 3)]
    assert areas[0].polygons[0] == ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0))  # closing vertex dropped
    with pytest.raises(ValueError):
        areas_from_geojson({"type": "Feature"})


def test_colour_helpers() -> None:
    assert class_breaks([None, None]) == ()
    assert class_breaks([3.0, 3.0, None]) == (3.0, 3.0)
    assert class_breaks(range(11), method="equal") == (0, 2, 4, 6, 8, 10)
    breaks = class_breaks([1, 1, 1, 1, 1, 1, 1, 1, 2, 3])  # ties merge quantile classes
    assert breaks[0] == 1 and breaks[-1] == 3 and len(breaks) < 6
    b = (0.0, 10.0, 20.0, 30.0)
    assert [class_index(v, b) for v in (0, 10, 10.1, 20, 30, 99, -1)] == [0, 0, 1, 1, 2, 2, 0]
    assert scale_colours("YlOrRd", 2) == ("#ffffb2", "#bd0026")
    assert len(scale_colours("viridis", 5)) == 5
    with pytest.raises(ValueError):
        scale_colours("rainbow", 5)
    assert format_number_id(1234.56) == "1.234,6"


# --------------------------------------------------------------------------- real data


def banyuwangi_map() -> tuple[str, int]:
    if not DATA_DIR.is_dir():
        pytest.skip(f"Banyuwangi reference data not found at {DATA_DIR}")
    areas = areas_from_geojson(json.loads((DATA_DIR / "kecamatan.geojson").read_text(encoding="utf-8")))
    rng = random.Random(20240817)  # demo values: no real poverty figures are available
    points: list[MapPoint] = []
    with (DATA_DIR / "desa.csv").open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            value = None if i % 29 == 0 else round(rng.uniform(3, 28), 1)
            points.append(
                MapPoint(
                    code=row["code"],
                    name=row["name"],
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                    value=value,
                    label=None if value is None else f"{format_number_id(value)} % (data demo)",
                    href=f"/desa/{row['code']}",
                    approximate=i % 37 == 7,
                    highlight=row["name"] == "Kemiren",
                )
            )
    assert len(areas) == 25
    svg = render_map(
        areas,
        points,
        routes=[MapRoute(points=((-8.2147, 114.3686), (points[100].lat, points[100].lon)), label="Hari 1")],
        title="Persentase rumah tangga miskin per desa (data demo)",
        legend_title="Persentase rumah tangga miskin",
    )
    return svg, len(points)


def test_real_banyuwangi_map_is_valid_and_small() -> None:
    svg, n = banyuwangi_map()
    assert n == 217
    root = parse(svg)
    assert len(point_circles(root)) == 217
    assert len(root.findall(f".//{SVG}g[@data-layer='areas']/{SVG}path")) == 25
    size = len(svg.encode("utf-8"))
    assert size < 150_000, size
    # Banyuwangi is taller than wide; the aspect ratio must follow the data.
    assert float(root.get("height", 0)) > float(root.get("width", 0))
    labels = layer(root, "area-labels")
    assert labels is not None and len(list(labels.iter(f"{SVG}text"))) >= 2 * 15


def test_weasyprint_renders_inline_svg_to_pdf() -> None:
    weasyprint = pytest.importorskip("weasyprint")
    svg = render_map([SQUARE], sample_points(), title='Peta <uji> & "PDF"', legend_title="Persentase")
    html = f"<!doctype html><html lang='id'><body><h1>Laporan</h1>{svg}</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None and pdf.startswith(b"%PDF-")


def test_numbered_stops_named_start_square_and_labels_inside_the_frame() -> None:
    """An itinerary map: numbers in the markers, names beside them, the start place as a labelled square (also
    in the legend), no "tanpa data" entry for stops coloured by their day, and no name cut off at the edge."""
    import re

    stops = [MapPoint(code=f"s{k}", name=f"Desa Nomor {k}", lat=-8.2 - k * 0.05, lon=114.0 + k * 0.1,
                      number=str(k), fill="#1f5fa8") for k in (1, 2)]
    office = MapPoint(code="place-1", name="Pendopo Sabha Swagata", lat=-8.2147, lon=114.3686, shape="square",
                      fill="#ffffff")
    svg = render_map([], [*stops, office], routes=[MapRoute(points=((-8.2147, 114.3686), (-8.25, 114.1),
                                                                    (-8.3, 114.2)), label="Sen 4 Jan")])
    assert re.findall(r'data-number="(\d)"', svg) == ["1", "2"]
    assert 'data-layer="point-numbers"' in svg and "Desa Nomor 1" in svg
    assert svg.count("Pendopo Sabha Swagata") >= 2 and "<rect" in svg  # on the map and in the legend
    assert "tanpa data" not in svg
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))
    labels = svg[svg.index('data-layer="point-labels"'):]
    for x, _anchor in re.findall(r'<text x="([\d.]+)" y="[\d.]+"( text-anchor="end")?>', labels):
        assert 0 <= float(x) <= width
