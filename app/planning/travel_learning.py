"""Travel learnt from the visit log: the time between one visit's check-out and the next visit's check-in on the
same day is a real leg. Planners see planned against actual per leg, and a per-kecamatan road speed is fitted for
the straight-line model, so a regency without an OSRM server still gets better times every month.

Model (as the straight-line model): minutes = 10 + km × 1.35 ÷ speed × 60. For the legs into a kecamatan's desa,
least squares on minutes − 10 against km × 1.35 × 60 gives 1 ÷ speed. Gaps over four hours are not travel (the day
was interrupted) and are left out; gaps that hold a break are a known bias, small against a whole kecamatan's legs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.core.audit import record_audit
from app.core.clock import utcnow
from app.core.errors import Forbidden
from app.core.permissions import Permission, has_permission
from app.core.services import unit_of_work
from app.extensions import db
from app.planning.models import KecamatanTravel, PlanDay, PlanVisit
from app.planning.travel import HAVERSINE
from app.regions.models import Desa, Kecamatan
from app.visits.models import Visit
from optimizer.travel import haversine_km

DETOUR, FIXED_MIN = HAVERSINE.detour, HAVERSINE.fixed_min  # the straight-line model whose speed is fitted
MAX_GAP_MIN = 240
MIN_LEGS = 3
SPEED_RANGE = (5.0, 90.0)


@dataclass(frozen=True)
class Leg:
    """A held leg: from one visit's check-out to the next visit's check-in; ``planned_min`` (what the plan expected)
    is filled for a single visit's summary only."""

    day: date
    origin: Desa
    destination: Desa
    actual_min: float
    planned_min: float | None
    km: float


def _minutes(a, b) -> float:
    return (b - a).total_seconds() / 60.0


def _planned(visit: Visit) -> float | None:
    """The plan's travel minutes into this visit (from the published plan it came from)."""
    if visit.plan_id is None:
        return None
    return db.session.scalar(select(PlanVisit.travel_min).join(PlanDay, PlanVisit.plan_day_id == PlanDay.id)
                             .where(PlanDay.plan_id == visit.plan_id, PlanDay.day == visit.day,
                                    PlanVisit.desa_id == visit.desa_id))


def _legs_of_days(held: list[Visit]) -> list[Leg]:
    by_day: dict[date, list[Visit]] = {}
    for v in held:
        by_day.setdefault(v.day, []).append(v)
    legs = []
    for day, visits in by_day.items():
        visits.sort(key=lambda v: v.started_at)
        for prev, nxt in itertools.pairwise(visits):
            gap = _minutes(prev.ended_at, nxt.started_at)
            if not 0 < gap <= MAX_GAP_MIN or prev.desa.lat is None or nxt.desa.lat is None:
                continue
            km = haversine_km(prev.desa.lat, prev.desa.lon, nxt.desa.lat, nxt.desa.lon)
            legs.append(Leg(day, prev.desa, nxt.desa, gap, None, km))  # the fit needs no plan: no query per leg
    return legs


def held_legs(regency_id: int) -> list[Leg]:
    """Every measured leg of the regency's held visits (without the planned minutes)."""
    held = list(db.session.scalars(select(Visit).where(
        Visit.regency_id == regency_id, Visit.status == "selesai", Visit.started_at.is_not(None),
        Visit.ended_at.is_not(None))))
    return _legs_of_days(held)


def leg_into(visit: Visit) -> Leg | None:
    """The leg that led to this visit, when the visit before it that day was held with check-in and check-out."""
    if visit.started_at is None:
        return None
    same_day = list(db.session.scalars(select(Visit).where(
        Visit.regency_id == visit.regency_id, Visit.day == visit.day, Visit.status.in_(("selesai", "berlangsung")),
        Visit.started_at.is_not(None), Visit.ended_at.is_not(None), Visit.id != visit.id)))
    before = [v for v in same_day if v.ended_at <= visit.started_at]
    if not before:
        return None
    prev = max(before, key=lambda v: v.ended_at)
    gap = _minutes(prev.ended_at, visit.started_at)
    if not 0 < gap <= MAX_GAP_MIN or prev.desa.lat is None or visit.desa.lat is None:
        return None
    return Leg(visit.day, prev.desa, visit.desa, gap, _planned(visit),
               haversine_km(prev.desa.lat, prev.desa.lon, visit.desa.lat, visit.desa.lon))


@dataclass(frozen=True)
class KecamatanFit:
    kecamatan: Kecamatan
    legs: int
    speed_kmh: float | None  # fitted; None with too few legs or an implausible result
    applied_kmh: float | None  # in use now


def fit_speeds(regency_id: int) -> list[KecamatanFit]:
    """Per kecamatan of destination: measured legs and the fitted speed."""
    legs = held_legs(regency_id)
    applied = {row.kecamatan_id: row.speed_kmh for row in db.session.scalars(select(KecamatanTravel))}
    by_kec: dict[int, list[Leg]] = {}
    for leg in legs:
        by_kec.setdefault(leg.destination.kecamatan_id, []).append(leg)
    fits = []
    for kec in db.session.scalars(select(Kecamatan).where(Kecamatan.regency_id == regency_id)
                                  .order_by(Kecamatan.name)):
        rows = by_kec.get(kec.id, [])
        speed = None
        if len(rows) >= MIN_LEGS:
            xs = [leg.km * DETOUR * 60.0 for leg in rows]
            ys = [leg.actual_min - FIXED_MIN for leg in rows]
            sxx = sum(x * x for x in xs)
            sxy = sum(x * y for x, y in zip(xs, ys, strict=True))
            if sxx > 0 and sxy > 0:
                candidate = sxx / sxy
                speed = round(candidate, 1) if SPEED_RANGE[0] <= candidate <= SPEED_RANGE[1] else None
        if rows or kec.id in applied:
            fits.append(KecamatanFit(kec, len(rows), speed, applied.get(kec.id)))
    return fits


@unit_of_work
def apply_speeds(actor: Any) -> int:
    """Use every fitted speed from now on (one click); returns how many kecamatan changed."""
    if not has_permission(actor.role, Permission.PLAN_EDIT):
        raise Forbidden("Hanya perencana yang dapat menerapkan kecepatan tempuh.")
    stored = {row.kecamatan_id: row for row in db.session.scalars(select(KecamatanTravel))}
    changed = []
    for fit in fit_speeds(actor.regency_id):
        if fit.speed_kmh is None:
            continue
        row = stored.get(fit.kecamatan.id) or KecamatanTravel(kecamatan_id=fit.kecamatan.id)
        if row.id is None:
            db.session.add(row)
        row.speed_kmh, row.legs, row.applied_at, row.applied_by_id = fit.speed_kmh, fit.legs, utcnow(), actor.id
        changed.append({"kecamatan": fit.kecamatan.code, "speed_kmh": fit.speed_kmh, "legs": fit.legs})
    if changed:
        record_audit("kecamatan_speeds_applied", "regency", actor.regency_id, actor=actor, after={"speeds": changed})
    return len(changed)


def speeds_by_code(codes: list[str]) -> dict[str, float]:
    """Applied speed of each desa's kecamatan (desa without one are left out)."""
    if not codes:
        return {}
    rows = db.session.execute(select(Desa.code, KecamatanTravel.speed_kmh)
                              .join(KecamatanTravel, KecamatanTravel.kecamatan_id == Desa.kecamatan_id)
                              .where(Desa.code.in_(codes))).all()
    return dict(rows)
