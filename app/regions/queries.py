"""Scoped reads: every query is limited to the actor's regency and, for kepala desa and camat, their area.

A record outside the actor's scope is indistinguishable from a missing one (404), so codes cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, or_, select

from app.core.errors import NotFound
from app.core.permissions import Role
from app.extensions import db
from app.regions.models import Desa, Kecamatan, Place, Regency

SORTS = {
    "nama": (Desa.name.asc(),),
    "kode": (Desa.code.asc(),),
    "kemiskinan": (),  # filled in below: needs a computed expression
    "penduduk": (Desa.population.desc().nulls_last(), Desa.name.asc()),
}


def _poverty_share():
    return case((Desa.households > 0, Desa.poor_households * 1.0 / Desa.households), else_=None)


def scope_desa(stmt: Select, actor: Any) -> Select:
    """Limit a Desa query to what the actor may see."""
    stmt = stmt.where(Desa.regency_id == actor.regency_id)
    if actor.role == Role.KEPALA_DESA:
        stmt = stmt.where(Desa.id == actor.desa_id)
    elif actor.role == Role.CAMAT:
        stmt = stmt.where(Desa.kecamatan_id == actor.kecamatan_id)
    return stmt


def scope_kecamatan(stmt: Select, actor: Any) -> Select:
    """Limit a Kecamatan query to what the actor may see."""
    stmt = stmt.where(Kecamatan.regency_id == actor.regency_id)
    if actor.role == Role.KEPALA_DESA:
        stmt = stmt.where(Kecamatan.id == select(Desa.kecamatan_id).where(Desa.id == actor.desa_id)
                          .scalar_subquery())
    elif actor.role == Role.CAMAT:
        stmt = stmt.where(Kecamatan.id == actor.kecamatan_id)
    return stmt


@dataclass(frozen=True)
class VillageFilter:
    """Parsed list filters; unknown values fall back to defaults rather than erroring."""

    kecamatan: str | None = None
    q: str | None = None
    sort: str = "kode"
    page: int = 1
    per_page: int = 50


def list_villages(actor: Any, flt: VillageFilter) -> tuple[list[Desa], int]:
    """One page of the actor's villages and the total count."""
    stmt = scope_desa(select(Desa).join(Desa.kecamatan), actor)
    if flt.kecamatan:
        stmt = stmt.where(Kecamatan.code == flt.kecamatan)
    if flt.q:
        needle = f"%{flt.q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Desa.name).like(needle), Desa.code.like(needle),
                              func.lower(Kecamatan.name).like(needle)))
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if flt.sort == "kemiskinan":
        order = (_poverty_share().desc().nulls_last(), Desa.name.asc())
    else:
        order = SORTS.get(flt.sort) or SORTS["kode"]
    stmt = stmt.order_by(*order).limit(flt.per_page).offset((max(flt.page, 1) - 1) * flt.per_page)
    return list(db.session.scalars(stmt)), total


def all_villages(actor: Any) -> list[Desa]:
    """Every village the actor may see (maps, API)."""
    return list(db.session.scalars(scope_desa(select(Desa), actor).order_by(Desa.code)))


def get_village(actor: Any, code: str) -> Desa:
    """One village by code.

    :raise NotFound: when it does not exist or lies outside the actor's scope.
    """
    desa = db.session.scalar(scope_desa(select(Desa), actor).where(Desa.code == code))
    if desa is None:
        raise NotFound("Desa tidak ditemukan.")
    return desa


def kecamatan_options(actor: Any) -> list[Kecamatan]:
    """The kecamatan the actor may filter by."""
    return list(db.session.scalars(scope_kecamatan(select(Kecamatan), actor).order_by(Kecamatan.code)))


def regency_of(actor: Any) -> Regency:
    return db.session.get(Regency, actor.regency_id)


def places(actor: Any) -> list[Place]:
    return list(db.session.scalars(select(Place).where(Place.regency_id == actor.regency_id).order_by(Place.name)))


@dataclass(frozen=True)
class RegionSummary:
    """Counts for the dashboard."""

    kecamatan: int
    desa: int
    kelurahan: int
    approximate: int
    without_location: int
    population: int
    households: int
    poor_households: int
    demo_figures: int


def region_summary(actor: Any) -> RegionSummary:
    """Aggregates over the actor's villages (no personal data)."""
    stmt = scope_desa(select(
        func.count(func.distinct(Desa.kecamatan_id)),
        func.sum(case((Desa.kind == "desa", 1), else_=0)),
        func.sum(case((Desa.kind == "kelurahan", 1), else_=0)),
        func.sum(case((Desa.location_source == "approximate", 1), else_=0)),
        func.sum(case((Desa.lat.is_(None), 1), else_=0)),
        func.coalesce(func.sum(Desa.population), 0),
        func.coalesce(func.sum(Desa.households), 0),
        func.coalesce(func.sum(Desa.poor_households), 0),
        func.sum(case((Desa.figures_source.like("DEMO%"), 1), else_=0)),
    ), actor)
    row = db.session.execute(stmt).one()
    return RegionSummary(*(int(v or 0) for v in row))
