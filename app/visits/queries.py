"""Scoped reads of visits, follow-ups and service aggregates (no personal data in aggregates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import selectinload

from app.core.errors import NotFound
from app.extensions import db
from app.regions.models import Desa, Kecamatan
from app.visits.models import Commitment, ServiceRecord, ServiceType, Visit, VisitServiceCount


def scope_visits(stmt: Select, actor: Any) -> Select:
    """Office and OPD: the regency; kepala desa: their desa; camat: their kecamatan; DPRD: none (aggregates)."""
    stmt = stmt.where(Visit.regency_id == actor.regency_id)
    if actor.role == "kepala_desa":
        return stmt.where(Visit.desa_id == actor.desa_id)
    if actor.role == "camat":
        return stmt.where(Visit.desa_id.in_(select(Desa.id).where(Desa.kecamatan_id == actor.kecamatan_id)))
    if actor.role in ("admin", "planner", "opd"):
        return stmt
    return stmt.where(false())


def list_visits(actor: Any, start: date | None = None, end: date | None = None, status: str | None = None,
                limit: int = 500) -> list[Visit]:
    stmt = scope_visits(select(Visit), actor)
    if start:
        stmt = stmt.where(Visit.day >= start)
    if end:
        stmt = stmt.where(Visit.day <= end)
    if status:
        stmt = stmt.where(Visit.status == status)
    # the list shows each visit's desa (and its kecamatan): loaded in one go, not one query per visit
    stmt = stmt.options(selectinload(Visit.desa).joinedload(Desa.kecamatan))
    return list(db.session.scalars(stmt.order_by(Visit.day, Visit.id).limit(limit)))


def get_visit(actor: Any, visit_id: int) -> Visit:
    """:raise NotFound: unknown or outside the actor's scope."""
    visit = db.session.scalar(scope_visits(select(Visit), actor).where(Visit.id == visit_id))
    if visit is None:
        raise NotFound("Kunjungan tidak ditemukan.")
    return visit


def scope_records(stmt: Select, actor: Any) -> Select:
    """Individual (NIK) records an actor may see, even masked: an OPD officer only their own sector's services
    (Dispendukcapil does not see Dinkes' stunting screenings); the office and the visit's other viewers all."""
    if actor.role == "opd":
        return stmt.where(ServiceRecord.service_code.in_(
            select(ServiceType.code).where(ServiceType.sector == actor.sector)))
    return stmt


def records(actor: Any, visit: Visit) -> list[ServiceRecord]:
    """The visit's NIK records within the actor's sector scope, newest first."""
    stmt = scope_records(select(ServiceRecord).where(ServiceRecord.visit_id == visit.id), actor)
    return list(db.session.scalars(stmt.order_by(ServiceRecord.id.desc())))


def get_record(actor: Any, visit: Visit, record_id: int) -> ServiceRecord:
    """:raise NotFound: another visit's record, or one of another sector for an OPD officer (both 404)."""
    record = db.session.scalar(scope_records(select(ServiceRecord).where(ServiceRecord.id == record_id,
                                                                         ServiceRecord.visit_id == visit.id), actor))
    if record is None:
        raise NotFound("Catatan layanan tidak ditemukan.")
    return record


def followups(actor: Any, status: str | None = "terbuka") -> list[Commitment]:
    """Commitments: an OPD officer sees their sector's; the office all of the regency."""
    stmt = select(Commitment).join(Visit, Commitment.visit_id == Visit.id).where(Visit.regency_id == actor.regency_id)
    if actor.role == "opd":
        stmt = stmt.where(Commitment.owner_sector == actor.sector)
    elif actor.role not in ("admin", "planner"):
        stmt = scope_visits(stmt, actor)
    if status:
        stmt = stmt.where(Commitment.status == status)
    return list(db.session.scalars(stmt.order_by(Commitment.due_on, Commitment.id)))


def get_commitment(actor: Any, commitment_id: int) -> Commitment:
    item = next((c for c in followups(actor, status=None) if c.id == commitment_id), None)
    if item is None:
        raise NotFound("Komitmen tidak ditemukan.")
    return item


@dataclass(frozen=True)
class ServiceStats:
    by_service: list[tuple[str, str, int]]  # code, name, total
    by_kecamatan: list[tuple[str, int]]
    by_month: list[tuple[str, int]]
    visits_done: int
    aspirations_resolved_at_visits: int


def service_stats(actor: Any, year: int) -> ServiceStats:
    """Services delivered by type, kecamatan and month over a year (counts only)."""
    base = (select(VisitServiceCount.service_code, Kecamatan.name, Visit.day, VisitServiceCount.count)
            .join(Visit, VisitServiceCount.visit_id == Visit.id).join(Desa, Visit.desa_id == Desa.id)
            .join(Kecamatan, Desa.kecamatan_id == Kecamatan.id)
            .where(Visit.regency_id == actor.regency_id, Visit.day.between(date(year, 1, 1), date(year, 12, 31))))
    if actor.role in ("kepala_desa", "camat"):
        base = scope_visits(base, actor)
    rows = db.session.execute(base).all()
    names = dict(db.session.execute(select(ServiceType.code, ServiceType.name)).all())
    by_service: dict[str, int] = {}
    by_kec: dict[str, int] = {}
    by_month: dict[str, int] = {}
    for code, kec, day, count in rows:
        by_service[code] = by_service.get(code, 0) + count
        by_kec[kec] = by_kec.get(kec, 0) + count
        key = f"{day:%Y-%m}"
        by_month[key] = by_month.get(key, 0) + count
    done = scope_visits(select(func.count(Visit.id)), actor) if actor.role in ("kepala_desa", "camat") else \
        select(func.count(Visit.id)).where(Visit.regency_id == actor.regency_id)
    done = done.where(Visit.status == "selesai", Visit.day.between(date(year, 1, 1), date(year, 12, 31)))
    from app.aspirations.models import AspirationEvent
    from app.visits.models import VisitAgendaItem

    resolved = db.session.scalar(
        select(func.count(func.distinct(VisitAgendaItem.aspiration_id)))
        .join(Visit, VisitAgendaItem.visit_id == Visit.id)
        .join(AspirationEvent, AspirationEvent.aspiration_id == VisitAgendaItem.aspiration_id)
        .where(Visit.regency_id == actor.regency_id, AspirationEvent.to_status == "selesai",
               Visit.day.between(date(year, 1, 1), date(year, 12, 31)))) or 0
    return ServiceStats(
        by_service=sorted(((c, names.get(c, c), n) for c, n in by_service.items()), key=lambda r: -r[2]),
        by_kecamatan=sorted(by_kec.items(), key=lambda r: -r[1]), by_month=sorted(by_month.items()),
        visits_done=db.session.scalar(done) or 0, aspirations_resolved_at_visits=resolved)


def desa_history(actor: Any, desa_id: int) -> list[Visit]:
    return list(db.session.scalars(scope_visits(select(Visit), actor).where(Visit.desa_id == desa_id)
                                   .order_by(Visit.day.desc())))
