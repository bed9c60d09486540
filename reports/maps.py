"""Server-side SVG maps of kecamatan areas and desa points.

One renderer serves both the web UI (SVG inlined in HTML) and the WeasyPrint
PDF reports, so the output sticks to what both understand: presentation
attributes only (no ``<style>``, which would leak into the host page when
inlined), no ids (several maps may share a page), no scripts, no external
fonts or images. Input is plain data (the dataclasses below) so this module
never touches the database or Flask.

Projection: equirectangular with the longitude axis scaled by
``cos(latitude at the middle of the extent)``, which is accurate to well under
1 % across a kabupaten. Output is deterministic: the same input gives a
byte-identical string (useful for caching and for report diffing).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reports.colours import (
    DEFAULT_SCALE,
    NO_DATA_COLOUR,
    OUTLINE_COLOUR,
    class_breaks,
    class_index,
    scale_colours,
)

__all__ = [
    "EMPTY_MESSAGE",
    "MapArea",
    "MapPoint",
    "MapRoute",
    "MapStyle",
    "areas_from_geojson",
    "format_number_id",
    "render_map",
]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
EMPTY_MESSAGE = "Belum ada data lokasi"
LABEL_NO_DATA = "tanpa data"
LABEL_APPROXIMATE = "lokasi perkiraan"

Ring = tuple[tuple[float, float], ...]


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class MapArea:
    """A kecamatan (or any region): ``polygons`` are rings of ``(lon, lat)`` in GeoJSON order.

    Several rings express a MultiPolygon; holes may be included and are cut
    out because areas are filled with the even-odd rule.
    """

    code: str
    name: str
    polygons: tuple[Ring, ...]


@dataclass(frozen=True)
class MapPoint:
    """A desa marker. ``value`` drives the colour (None → "tanpa data").

    ``label`` is extra hover text (e.g. "23,4 %"); ``approximate`` marks a
    location that was estimated (e.g. kecamatan centroid) and is drawn dashed;
    ``highlight`` draws a larger marker with its name written beside it.
    ``number`` writes a stop number inside a larger marker and the name beside it (an itinerary's stops);
    ``fill`` overrides the value colour (e.g. the colour of the stop's day); ``shape="square"`` marks a place
    that is not a desa (the Pendopo a route starts from), drawn with its name.
    """

    code: str
    name: str
    lat: float
    lon: float
    value: float | None = None
    label: str | None = None
    href: str | None = None
    approximate: bool = False
    highlight: bool = False
    number: str | None = None
    fill: str | None = None
    shape: str = "circle"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and -90 <= self.lat <= 90):
            raise ValueError(f"invalid latitude {self.lat!r} for {self.code!r}")
        if not (math.isfinite(self.lon) and -180 <= self.lon <= 180):
            raise ValueError(f"invalid longitude {self.lon!r} for {self.code!r}")


@dataclass(frozen=True)
class MapRoute:
    """A polyline through ``(lat, lon)`` points, e.g. one day of the regent's itinerary."""

    points: tuple[tuple[float, float], ...]
    label: str | None = None
    colour: str = "#1f5fa8"


@dataclass(frozen=True)
class MapStyle:
    """Layout and look that rarely changes between maps (width, titles and format are arguments)."""

    padding: float = 16.0
    scale: str = DEFAULT_SCALE
    classification: str = "quantile"  # or "equal"
    classes: int = 5
    point_radius: float | None = None  # None: derived from the width
    area_fill: str = "#f1f0e8"
    area_stroke: str = "#8d8d80"
    area_labels: bool = True
    font_family: str = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
    max_aspect: float = 1.6  # map height may not exceed max_aspect × map width
    min_span_deg: float = 0.04  # extent smaller than this (e.g. one point) is widened


def format_number_id(value: float) -> str:
    """Indonesian number style with one decimal: 1234.56 → "1.234,6"."""
    text = f"{value:,.1f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# --------------------------------------------------------------------------- escaping

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SAFE_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$")
_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def _text(value: object) -> str:
    """Escape for XML character data; drops characters XML 1.0 cannot carry at all."""
    s = _INVALID_XML.sub("", str(value))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: object) -> str:
    """Escape for a double-quoted attribute (newlines kept as character references)."""
    return (
        _text(value)
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _safe_href(href: str | None) -> str | None:
    """Keep relative and http(s)/mailto links; drop javascript:, data: and friends."""
    if href is None:
        return None
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", href)
    if not cleaned:
        return None
    match = _URL_SCHEME.match(cleaned)
    if match and match.group(1).lower() not in _ALLOWED_SCHEMES:
        return None
    return href.strip()


def _colour(value: str, fallback: str) -> str:
    return value if _SAFE_COLOUR.match(value) else fallback


def _n(v: float) -> str:
    """Pixel coordinate with one decimal, no trailing ".0", no "-0"."""
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Projection:
    lon0: float
    lat1: float
    kx: float  # px per degree of longitude
    ky: float  # px per degree of latitude
    ox: float
    oy: float

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        return self.ox + (lon - self.lon0) * self.kx, self.oy + (self.lat1 - lat) * self.ky


def _extent(
    areas: Sequence[MapArea], points: Sequence[MapPoint], routes: Sequence[MapRoute]
) -> tuple[float, float, float, float] | None:
    lats: list[float] = []
    lons: list[float] = []
    for area in areas:
        for ring in area.polygons:
            for lon, lat in ring:
                lons.append(lon)
                lats.append(lat)
    for p in points:
        lats.append(p.lat)
        lons.append(p.lon)
    for r in routes:
        for lat, lon in r.points:
            lats.append(lat)
            lons.append(lon)
    pairs = [(a, o) for a, o in zip(lats, lons, strict=True) if math.isfinite(a) and math.isfinite(o)]
    if not pairs:
        return None
    return (
        min(a for a, _ in pairs),
        max(a for a, _ in pairs),
        min(o for _, o in pairs),
        max(o for _, o in pairs),
    )


def _ring_area_centroid(ring: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed shoelace area and centroid of a ring in projected px."""
    a = cx = cy = 0.0
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if abs(a) < 1e-9:
        xs = [x for x, _ in ring]
        ys = [y for _, y in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a, cx / (6 * a), cy / (6 * a)


def _inside(x: float, y: float, rings: Sequence[Sequence[tuple[float, float]]]) -> bool:
    """Even-odd point-in-polygon over all rings (so holes count as outside)."""
    inside = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            x0, y0 = ring[i]
            x1, y1 = ring[(i + 1) % n]
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def _runs_at(ring: Sequence[tuple[float, float]], y: float) -> list[tuple[float, float]]:
    """Inside intervals ``(x0, x1)`` of a horizontal line through a ring."""
    xs: list[float] = []
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % n]
        if (y0 > y) != (y1 > y):
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    return [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]


def _label_anchor(
    rings: Sequence[Sequence[tuple[float, float]]], needed: float
) -> tuple[float, float] | None:
    """Where to write an area's name, or None when it does not fit.

    Starts at the centroid of the largest ring and, when the label would not fit
    there (narrow or crescent-shaped kecamatan), tries horizontal lines a little
    above and below, taking the middle of the first inside run wide enough.
    """
    usable = [r for r in rings if len(r) >= 3]
    if not usable:
        return None
    _, best = max((abs(_ring_area_centroid(r)[0]), i) for i, r in enumerate(usable))
    ring = usable[best]
    _, cx, cy = _ring_area_centroid(ring)
    ys = [y for _, y in ring]
    step = (max(ys) - min(ys)) / 10
    for k in (0, -1, 1, -2, 2, -3, 3):
        y = cy + k * step
        for x0, x1 in _runs_at(ring, y):
            if x1 - x0 < needed:
                continue
            x = min(max(cx, x0 + needed / 2), x1 - needed / 2)
            if _inside(x, y, rings):
                return x, y
    return None


def _text_width(text: str, size: float) -> float:
    """Rough advance width for a sans-serif font; only used for layout decisions."""
    return len(text) * size * 0.56


# --------------------------------------------------------------------------- GeoJSON


def areas_from_geojson(
    feature_collection: dict[str, Any], code_key: str = "code", name_key: str = "name"
) -> list[MapArea]:
    """Turn a parsed GeoJSON FeatureCollection of (Multi)Polygons into MapAreas.

    Holes are kept as extra rings (drawn even-odd); the closing vertex that
    GeoJSON repeats is dropped. Features without a polygon geometry are
    skipped rather than failing the whole map.
    """
    if not isinstance(feature_collection, dict) or feature_collection.get("type") != "FeatureCollection":
        raise ValueError("expected a GeoJSON FeatureCollection")
    areas: list[MapArea] = []
    for index, feature in enumerate(feature_collection.get("features") or ()):
        if not isinstance(feature, dict):
            continue
        geometry = feature.get("geometry") or {}
        props = feature.get("properties") or {}
        gtype = geometry.get("type")
        coords = geometry.get("coordinates") or []
        if gtype == "Polygon":
            polygons = [coords]
        elif gtype == "MultiPolygon":
            polygons = coords
        else:
            continue
        rings: list[Ring] = []
        for polygon in polygons:
            for ring in polygon:
                pts = tuple((float(pt[0]), float(pt[1])) for pt in ring)
                if len(pts) > 1 and pts[0] == pts[-1]:
                    pts = pts[:-1]
                if len(pts) >= 3:
                    rings.append(pts)
        if not rings:
            continue
        code = props.get(code_key, feature.get("id", index))
        name = props.get(name_key, code)
        areas.append(MapArea(code=str(code), name=str(name), polygons=tuple(rings)))
    return areas


# --------------------------------------------------------------------------- rendering


def render_map(
    areas: Iterable[MapArea],
    points: Iterable[MapPoint],
    *,
    routes: Iterable[MapRoute] = (),
    title: str | None = None,
    legend_title: str | None = None,
    width: int = 800,
    value_format: Callable[[float], str] = format_number_id,
    style: MapStyle | None = None,
    aria_label: str | None = None,
    description: str | None = None,
) -> str:
    """Render areas, desa points and routes as one standalone ``<svg>`` string.

    Accessibility: the SVG is named by ``aria_label`` (else the title or legend title) and described by
    ``description`` (else a sentence summing up its points, routes and value range) in ``<title>``/``<desc>``.
    A map without links is one image (``role="img"``); a map whose points link to pages is a ``role="group"``
    whose links stay out of the Tab order (``tabindex="-1"``): a keyboard user does not Tab through hundreds of
    dots, and the page shows the same data as a list or table beside the map.

    Points are coloured by ``value`` in 5 **quantile** classes by default
    (``MapStyle(classification="equal")`` for equal intervals); ties may merge
    classes. The legend lists the classes plus "tanpa data" and "lokasi
    perkiraan" entries when such points are present, and one entry per
    labelled route. With no located data at all the map says
    "Belum ada data lokasi".
    """
    st = style or MapStyle()
    areas = list(areas)
    points = list(points)
    routes = [r for r in routes if len(r.points) >= 2]
    width = max(int(width), 200)
    pad = st.padding
    font = _attr(st.font_family)
    label = title or legend_title or "Peta lokasi desa"
    if aria_label:
        label = aria_label

    body: list[str] = []
    y = pad
    if title:
        body.append(
            f'<text x="{_n(pad)}" y="{_n(y + 15)}" font-size="16" font-weight="bold" '
            f'fill="#222">{_text(title)}</text>'
        )
        y += 28

    ext = _extent(areas, points, routes)
    if ext is None:
        h = max(width * 0.5, y + 60)
        body.append(
            f'<rect x="{_n(pad)}" y="{_n(y)}" width="{_n(width - 2 * pad)}" height="{_n(h - y - pad)}" '
            f'fill="#f7f7f4" stroke="#cccccc" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{_n(width / 2)}" y="{_n((y + h - pad) / 2 + 5)}" font-size="14" '
            f'text-anchor="middle" fill="#666">{_text(EMPTY_MESSAGE)}</text>'
        )
        return _wrap(width, h, label, font, body, description=description or EMPTY_MESSAGE)

    lat0, lat1, lon0, lon1 = ext
    mid_lat = (lat0 + lat1) / 2
    kcos = max(math.cos(math.radians(mid_lat)), 0.05)
    # Widen degenerate extents (a single point, a straight line) around their centre.
    if (lon1 - lon0) * kcos < st.min_span_deg:
        c = (lon0 + lon1) / 2
        half = st.min_span_deg / kcos / 2
        lon0, lon1 = c - half, c + half
    if lat1 - lat0 < st.min_span_deg:
        c = (lat0 + lat1) / 2
        lat0, lat1 = c - st.min_span_deg / 2, c + st.min_span_deg / 2

    radius = st.point_radius or max(2.5, width / 190)
    inner = radius * 2 + 2  # keep edge markers inside the frame
    map_w = width - 2 * pad - 2 * inner
    span_x = (lon1 - lon0) * kcos
    span_y = lat1 - lat0
    scale = map_w / span_x
    if span_y * scale > map_w * st.max_aspect:
        scale = map_w * st.max_aspect / span_y
    draw_w, draw_h = span_x * scale, span_y * scale
    ox = pad + inner + (map_w - draw_w) / 2
    oy = y + inner
    proj = _Projection(lon0=lon0, lat1=lat1, kx=scale * kcos, ky=scale, ox=ox, oy=oy)
    map_bottom = oy + draw_h + inner

    # --- areas
    area_rings: list[tuple[MapArea, list[list[tuple[float, float]]]]] = []
    for area in areas:
        rings = [[proj(lat, lon) for lon, lat in ring] for ring in area.polygons if len(ring) >= 3]
        if rings:
            area_rings.append((area, rings))
    if area_rings:
        body.append(
            f'<g data-layer="areas" fill="{_attr(_colour(st.area_fill, "#f1f0e8"))}" '
            f'stroke="{_attr(_colour(st.area_stroke, "#8d8d80"))}" stroke-width="0.8" '
            f'stroke-linejoin="round" fill-rule="evenodd">'
        )
        for area, rings in area_rings:
            body.append(
                f'<path data-code="{_attr(area.code)}" d="{_path(rings)}">'
                f"<title>{_text(area.name)}</title></path>"
            )
        body.append("</g>")

    # --- routes (below points so markers stay clickable)
    for route in routes:
        colour = _attr(_colour(route.colour, "#1f5fa8"))
        coords = " ".join(f"{_n(x)},{_n(yy)}" for x, yy in (proj(lat, lon) for lat, lon in route.points))
        title_el = f"<title>{_text(route.label)}</title>" if route.label else ""
        body.append(
            f'<polyline data-layer="route" points="{coords}" fill="none" stroke="{colour}" '
            f'stroke-width="2.2" stroke-linejoin="round" stroke-linecap="round" '
            f'stroke-opacity="0.85">{title_el}</polyline>'
        )

    # --- area labels (white halo drawn first, then the text)
    if st.area_labels and area_rings:
        # Larger areas get their label first; a label overlapping one already placed is
        # skipped, so the dense town kecamatan do not turn into a smudge.
        candidates: list[tuple[float, int, float, float, str]] = []
        for index, (area, rings) in enumerate(area_rings):
            anchor = _label_anchor(rings, _text_width(area.name, 9) + 4)
            if anchor is None:
                continue
            ax, ay = anchor
            size = max(abs(_ring_area_centroid(r)[0]) for r in rings)
            candidates.append((-size, index, ax, ay, area.name))
        placed: list[tuple[float, float, float, float, int, str]] = []
        for _, index, ax, ay, name in sorted(candidates):
            half = _text_width(name, 9) / 2 + 2
            box = (ax - half, ay - 6, ax + half, ay + 6)
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                continue
            placed.append((*box, index, f'<text x="{_n(ax)}" y="{_n(ay + 3)}">{_text(name)}</text>'))
        texts = [el for *_, el in sorted(placed, key=lambda b: b[4])]
        halo = texts
        if texts:
            body.append(
                '<g data-layer="area-labels" font-size="9" text-anchor="middle">'
                '<g fill="#ffffff" stroke="#ffffff" stroke-width="2.5" stroke-linejoin="round" '
                f'stroke-opacity="0.8" fill-opacity="0.8">{"".join(halo)}</g>'
                f'<g fill="#5d5d55">{"".join(texts)}</g></g>'
            )

    # --- points
    values = [p.value for p in points]
    breaks = class_breaks(values, st.classes, st.classification)
    colours = scale_colours(st.scale, max(len(breaks) - 1, 1)) if breaks else ()

    def colour_of(v: float | None) -> str:
        if v is None or not math.isfinite(v) or not colours:
            return NO_DATA_COLOUR
        return colours[class_index(v, breaks)]

    # Draw order: no-data under coloured, highlighted and numbered on top; stable otherwise.
    ordered = sorted(points, key=lambda p: (p.highlight or p.number is not None or p.shape == "square",
                                            p.value is not None and math.isfinite(p.value)))
    if ordered:
        body.append(f'<g data-layer="points" stroke="{OUTLINE_COLOUR}" stroke-width="0.7">')
        name_labels: list[tuple[float, float, float, str]] = []  # (x, y, marker radius, name)
        numbers: list[str] = []
        for p in ordered:
            x, yy = proj(p.lat, p.lon)
            numbered = p.number is not None
            r = max(radius * 1.9, 7.5) if numbered else radius * 1.6 if p.highlight or p.shape == "square" else radius
            fill = _colour(p.fill, colour_of(p.value)) if p.fill else colour_of(p.value)
            if p.shape == "square":
                attrs = (
                    f'data-code="{_attr(p.code)}" x="{_n(x - r)}" y="{_n(yy - r)}" width="{_n(2 * r)}" '
                    f'height="{_n(2 * r)}" fill="{_attr(fill)}" stroke-width="1.5" stroke="#000000"'
                )
                tag = "rect"
            else:
                attrs = (
                    f'data-code="{_attr(p.code)}" cx="{_n(x)}" cy="{_n(yy)}" r="{_n(r)}" '
                    f'fill="{_attr(fill)}"'
                )
                tag = "circle"
                if numbered:
                    attrs += f' data-number="{_attr(p.number)}" stroke="#ffffff" stroke-width="1.5"'
            if p.approximate:
                attrs += ' fill-opacity="0.45" stroke-width="1.1" stroke-dasharray="2,1.5"'
            elif p.highlight and not numbered and p.shape != "square":
                attrs += ' stroke-width="2" stroke="#000000"'
            hover = [f"{p.number}. {p.name}" if numbered else p.name]
            if p.label:
                hover.append(p.label)
            elif p.value is not None and math.isfinite(p.value):
                hover.append(value_format(p.value))
            if p.approximate:
                hover.append(f"({LABEL_APPROXIMATE})")
            marker = f"<{tag} {attrs}><title>{_text(chr(10).join(hover))}</title></{tag}>"
            href = _safe_href(p.href)
            if href is not None:
                h = _attr(href)
                marker = f'<a href="{h}" xlink:href="{h}" tabindex="-1">{marker}</a>'
            body.append(marker)
            if numbered:
                numbers.append(f'<text x="{_n(x)}" y="{_n(yy + 3.5)}">{_text(p.number)}</text>')
            if p.shape == "square":  # the start place is named first: the other names make room for it
                name_labels.insert(0, (x, yy, r, p.name))
            elif p.highlight or numbered:
                name_labels.append((x, yy, r, p.name))
        body.append("</g>")
        if numbers:
            body.append(
                '<g data-layer="point-numbers" font-size="10" font-weight="bold" text-anchor="middle" '
                f'fill="#ffffff">{"".join(numbers)}</g>'
            )
        labels = _place_labels(name_labels, (pad, width - pad))
        if labels:
            body.append(
                '<g data-layer="point-labels" font-size="11" font-weight="bold">'
                '<g fill="#ffffff" stroke="#ffffff" stroke-width="3" stroke-linejoin="round">'
                f'{"".join(labels)}</g><g fill="#111111">{"".join(labels)}</g></g>'
            )

    # --- legend
    legend, legend_h = _legend(
        breaks=breaks,
        colours=colours,
        points=points,
        routes=routes,
        legend_title=legend_title,
        value_format=value_format,
        x=pad,
        y=map_bottom + 6,
        width=width - 2 * pad,
        radius=min(radius, 5.0),
        scale_px_per_km=scale / 111.32,
    )
    body.extend(legend)
    height = map_bottom + 6 + legend_h + pad
    if description is None:
        description = _summary(points, routes, legend_title, values, value_format)
    return _wrap(width, height, label, font, body, description=description,
                 interactive=any(_safe_href(p.href) is not None for p in points))


def _summary(
    points: Sequence[MapPoint],
    routes: Sequence[MapRoute],
    legend_title: str | None,
    values: Sequence[float | None],
    value_format: Callable[[float], str],
) -> str:
    """The map in one sentence, for readers who cannot see it: how many desa, routes and places, the value range."""
    desa = [p for p in points if p.shape != "square"]
    parts = [f"{len(desa)} titik desa/kelurahan"]
    if routes:
        parts.append(f"{len(routes)} rute")
    places = list(dict.fromkeys(p.name for p in points if p.shape == "square"))
    if places:
        parts.append("tempat berangkat dan kembali: " + ", ".join(places))
    sentence = "Peta dengan " + "; ".join(parts) + "."
    known = [v for v in values if v is not None and math.isfinite(v)]
    if legend_title and known:
        sentence += f" {legend_title}: dari {value_format(min(known))} sampai {value_format(max(known))}."
    approximate = sum(1 for p in desa if p.approximate)
    if approximate:
        sentence += f" {approximate} titik memakai {LABEL_APPROXIMATE}."
    return sentence


def _place_labels(items: Sequence[tuple[float, float, float, str]], bounds: tuple[float, float]) -> list[str]:
    """Names beside their markers: right of the marker, else left of it, inside the frame; a name that would
    overlap one already placed is left out (the marker keeps its hover title, and itineraries list every stop in
    words)."""
    placed: list[tuple[float, float, float, float]] = []
    out: list[str] = []
    for x, y, r, name in items:
        w = _text_width(name, 11)
        for x0, anchor in ((x + r + 3, "start"), (x - r - 3 - w, "end")):
            box = (x0 - 1, y - 8, x0 + w + 1, y + 6)
            if box[0] < bounds[0] or box[2] > bounds[1]:
                continue
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                placed.append(box)
                tx = x0 if anchor == "start" else x0 + w
                extra = "" if anchor == "start" else ' text-anchor="end"'
                out.append(f'<text x="{_n(tx)}" y="{_n(y + 4)}"{extra}>{_text(name)}</text>')
                break
    return out


def _path(rings: Sequence[Sequence[tuple[float, float]]]) -> str:
    """Compact path data: rounded vertices, consecutive duplicates dropped."""
    parts: list[str] = []
    for ring in rings:
        pts: list[str] = []
        for x, y in ring:
            s = f"{_n(x)},{_n(y)}"
            if not pts or pts[-1] != s:
                pts.append(s)
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        if len(pts) >= 3:
            parts.append("M" + " ".join(pts) + "Z")
    return "".join(parts)


def _nice_km(max_km: float) -> float:
    for step in (100, 50, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1):
        if step <= max_km:
            return step
    return 0.1


def _legend(
    *,
    breaks: tuple[float, ...],
    colours: tuple[str, ...],
    points: Sequence[MapPoint],
    routes: Sequence[MapRoute],
    legend_title: str | None,
    value_format: Callable[[float], str],
    x: float,
    y: float,
    width: float,
    radius: float,
    scale_px_per_km: float,
) -> tuple[list[str], float]:
    """Legend band under the map: title + scale bar on one line, entries flowing below."""
    out: list[str] = ['<g data-layer="legend" font-size="11" fill="#333333">']
    line_h = 18.0
    cy = y + 12
    if legend_title:
        out.append(f'<text x="{_n(x)}" y="{_n(cy + 4)}" font-weight="bold">{_text(legend_title)}</text>')

    # Scale bar, right-aligned on the title line.
    km = _nice_km(width * 0.2 / scale_px_per_km)
    bar = km * scale_px_per_km
    bx1 = x + width
    bx0 = bx1 - bar
    km_text = f"{km:g} km"
    out.append(
        f'<path d="M{_n(bx0)},{_n(cy - 3)}V{_n(cy + 2)}H{_n(bx1)}V{_n(cy - 3)}" fill="none" '
        f'stroke="#333333" stroke-width="1.2"/>'
        f'<text x="{_n(bx0 - 5)}" y="{_n(cy + 4)}" text-anchor="end">{_text(km_text)}</text>'
    )

    entries: list[tuple[str, str]] = []  # (swatch svg with {x},{y} placeholders resolved later, label)
    for i, colour in enumerate(colours):
        lo, hi = breaks[i], breaks[i + 1]
        text = value_format(lo) if lo == hi else f"{value_format(lo)} – {value_format(hi)}"
        entries.append((f'fill="{colour}" stroke="{OUTLINE_COLOUR}" stroke-width="0.7"', text))
    if any((p.value is None or not math.isfinite(p.value)) and p.fill is None and p.shape == "circle"
           for p in points):
        entries.append(
            (f'fill="{NO_DATA_COLOUR}" stroke="{OUTLINE_COLOUR}" stroke-width="0.7"', LABEL_NO_DATA)
        )
    if any(p.approximate for p in points):
        entries.append(
            (
                f'fill="{NO_DATA_COLOUR}" fill-opacity="0.45" stroke="{OUTLINE_COLOUR}" '
                f'stroke-width="1.1" stroke-dasharray="2,1.5"',
                LABEL_APPROXIMATE,
            ),
        )

    # (swatch width, swatch drawn at (x, row y), label): value classes, the start places, then the routes
    items: list[tuple[float, Callable[[float, float], str], str]] = []
    for swatch, text in entries:
        items.append((radius * 2, lambda sx, sy, sw=swatch: f'<circle cx="{_n(sx + radius)}" cy="{_n(sy)}" '
                      f'r="{_n(radius)}" {sw}/>', text))
    for place in dict.fromkeys(p.name for p in points if p.shape == "square"):
        items.append((radius * 2, lambda sx, sy: f'<rect x="{_n(sx)}" y="{_n(sy - radius)}" width="{_n(radius * 2)}" '
                      f'height="{_n(radius * 2)}" fill="#ffffff" stroke="#000000" stroke-width="1.5"/>', place))
    for route in routes:
        if route.label:
            colour = _attr(_colour(route.colour, "#1f5fa8"))
            items.append((22, lambda sx, sy, c=colour: f'<path d="M{_n(sx)},{_n(sy)}H{_n(sx + 22)}" stroke="{c}" '
                          f'stroke-width="2.2" stroke-linecap="round"/>', route.label))
    cx = x
    row_y = cy + line_h
    rows = 1
    for swatch_w, draw, text in items:  # entries flow left to right and wrap to a new row
        w = swatch_w + 5 + _text_width(text, 11) + 16
        if cx > x and cx + w > x + width:
            cx = x
            row_y += line_h
            rows += 1
        out.append(draw(cx, row_y) + f'<text x="{_n(cx + swatch_w + 5)}" y="{_n(row_y + 4)}">{_text(text)}</text>')
        cx += w
    out.append("</g>")
    has_entries = bool(entries) or any(r.label for r in routes) or any(p.shape == "square" for p in points)
    height = (cy - y) + 8 + (rows * line_h if has_entries else 0)
    return out, height


def _wrap(width: float, height: float, label: str, font: str, body: list[str], *, description: str,
          interactive: bool = False) -> str:
    w, h = _n(width), _n(math.ceil(height))
    role = "group" if interactive else "img"  # an image may not hold links (WCAG 4.1.2)
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" version="1.1" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="{role}" aria-label="{_attr(label)}" font-family="{font}">'
        f"<title>{_text(label)}</title><desc>{_text(description)}</desc>"
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )
