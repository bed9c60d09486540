"""ORM rows → the shared SVG map renderer in `reports.maps` (the PDF reports use the same renderer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.regions import queries
from app.regions.models import Desa, Kecamatan
from reports.maps import MapArea, MapPoint, render_map


@dataclass(frozen=True)
class MapWithTable:
    """A map and its villages: the page shows the same data as a table beside the map (WCAG 1.1.1, 2.1.1)."""

    svg: str
    villages: list[Desa]


def _table_order(villages: list[Desa]) -> list[Desa]:
    return sorted(villages, key=lambda d: (d.kecamatan.name, d.name, d.code))


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%".replace(".", ",")


def kecamatan_areas(kecamatan: list[Kecamatan]) -> list[MapArea]:
    areas = []
    for kec in kecamatan:
        geom = kec.boundary or {}
        if geom.get("type") == "Polygon":
            polygons = [geom["coordinates"]]
        elif geom.get("type") == "MultiPolygon":
            polygons = geom["coordinates"]
        else:
            continue
        rings = tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for poly in polygons for ring in poly[:1])
        areas.append(MapArea(code=kec.code, name=kec.name, polygons=rings))
    return areas


def _point(desa: Desa, *, highlight: bool = False, link: bool = True) -> MapPoint:
    share = desa.poverty_share
    label = f"Kec. {desa.kecamatan.name}"
    if share is not None:
        label += f" · RT miskin {share * 100:.1f}%".replace(".", ",")
    if desa.is_approximate:
        label += " · lokasi perkiraan"
    return MapPoint(code=desa.code, name=f"{desa.kind.capitalize()} {desa.name}", lat=desa.lat, lon=desa.lon,
                    value=share, label=label, approximate=desa.is_approximate, highlight=highlight,
                    href=url_for("regions.show_village", code=desa.code) if link else None)


def region_map(actor: Any) -> MapWithTable:
    """The regency map for the dashboard: the actor's villages coloured by poverty share."""
    villages = [d for d in queries.all_villages(actor) if d.lat is not None]
    svg = render_map(kecamatan_areas(queries.kecamatan_options(actor)), [_point(d) for d in villages],
                     legend_title="Rumah tangga miskin", value_format=_percent)
    return MapWithTable(svg=svg, villages=_table_order(villages))


def village_map(actor: Any, desa: Desa) -> MapWithTable:
    """The village's kecamatan with the village highlighted among its neighbours."""
    kec = desa.kecamatan
    neighbours = list(db.session.scalars(queries.scope_desa(select(Desa), actor).where(
        Desa.kecamatan_id == kec.id, Desa.lat.is_not(None))))
    points = [_point(d, highlight=d.id == desa.id) for d in neighbours]
    svg = render_map(kecamatan_areas([kec]), points, legend_title="Rumah tangga miskin", value_format=_percent)
    return MapWithTable(svg=svg, villages=_table_order(neighbours))
