"""Plain-dict views of models for the API; explicit fields, never a whole-model dump."""

from __future__ import annotations

from typing import Any

from app.regions.models import Desa


def village(desa: Desa) -> dict[str, Any]:
    return {
        "code": desa.code,
        "name": desa.name,
        "kind": desa.kind,
        "kecamatan_code": desa.kecamatan.code,
        "kecamatan": desa.kecamatan.name,
        "lat": desa.lat,
        "lon": desa.lon,
        "location_source": desa.location_source,
        "area_km2": desa.area_km2,
        "figures": {
            "population": desa.population,
            "households": desa.households,
            "poor_households": desa.poor_households,
            "poverty_share": None if desa.poverty_share is None else round(desa.poverty_share, 4),
            "source": desa.figures_source,
            "date": desa.figures_date.isoformat() if desa.figures_date else None,
            "demo": desa.figures_are_demo,
        },
    }


def village_poverty(desa: Desa) -> dict[str, Any]:
    """The desa's welfare-decile figures (None without a decile import) and where its poverty figures come from."""
    from app.regions.poverty import current_figure, desa_provenance

    figure = current_figure(desa.id)
    deciles = None if figure is None else {"households": figure.households, "desil_1": figure.desil_1,
                                           "desil_2": figure.desil_2, "desil_3": figure.desil_3,
                                           "desil_4": figure.desil_4}
    return {"deciles": deciles, "data": desa_provenance(desa, figure).as_dict()}
