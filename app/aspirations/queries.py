"""Scoped reads of aspirations. Out-of-scope items are indistinguishable from missing ones (404).

Who sees what: admin and planners everything in their regency; a kepala desa their desa; a camat their kecamatan;
an OPD officer what was dispatched to their sector; DPRD members no items at all, only aggregates. A confidential
(`rahasia`) item is visible only to admins, planners, the responsible OPD and its submitter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import contains_eager

from app.aspirations.models import (
    OPEN_STATUSES,
    URGENCIES,
    Aspiration,
    AspirationCategory,
    RegencyDayOff,
)
from app.core.clock import today_local
from app.core.errors import NotFound
from app.extensions import db
from app.regions.models import Desa, Kecamatan

# Steps whose deadline can run out; after verification the office dispatches without a deadline of its own.
DEADLINE_STATUSES = ("diajukan", "didisposisikan", "ditindaklanjuti")
URGENCY_WEIGHTS = {"rendah": 1.0, "sedang": 2.0, "tinggi": 3.0, "darurat": 5.0}




def regency_days_off(regency_id: int) -> frozenset[date]:
    """Every day off the regency entered (its own, and national holidays / cuti bersama of uncovered years)."""
    return frozenset(db.session.scalars(select(RegencyDayOff.day).where(RegencyDayOff.regency_id == regency_id)))


def scope_aspirations(stmt: Select, actor: Any) -> Select:
    """Limit an Aspiration query to what the actor may see."""
    stmt = stmt.where(Aspiration.regency_id == actor.regency_id)
    role = actor.role
    if role in ("admin", "planner"):
        return stmt
    if role == "opd":
        return stmt.where(Aspiration.opd_sector == actor.sector)
    not_secret = or_(Aspiration.confidential.is_(False), Aspiration.submitted_by_id == actor.id)
    if role == "kepala_desa":
        return stmt.where(Aspiration.desa_id == actor.desa_id, not_secret)
    if role == "camat":
        in_kecamatan = select(Desa.id).where(Desa.kecamatan_id == actor.kecamatan_id)
        return stmt.where(Aspiration.desa_id.in_(in_kecamatan), not_secret)
    return stmt.where(false())  # dprd and anyone else: aggregates only


@dataclass(frozen=True)
class AspirationFilter:
    status: str | None = None
    kecamatan: str | None = None
    desa: str | None = None
    category: str | None = None
    urgency: str | None = None
    overdue: bool = False
    q: str | None = None
    page: int = 1
    per_page: int = 50


def overdue_clause(as_of: date):
    return and_(Aspiration.status.in_(DEADLINE_STATUSES), Aspiration.due_on < as_of)


def list_aspirations(actor: Any, flt: AspirationFilter) -> tuple[list[Aspiration], int]:
    """One page of the actor's aspirations, most urgent deadlines first, and the total count."""
    stmt = scope_aspirations(select(Aspiration).join(Aspiration.desa).join(Desa.kecamatan), actor)
    if flt.status == "terbuka":
        stmt = stmt.where(Aspiration.status.in_(OPEN_STATUSES))
    elif flt.status:
        stmt = stmt.where(Aspiration.status == flt.status)
    if flt.kecamatan:
        stmt = stmt.where(Kecamatan.code == flt.kecamatan)
    if flt.desa:
        stmt = stmt.where(Desa.code == flt.desa)
    if flt.category:
        stmt = stmt.where(Aspiration.category.has(AspirationCategory.code == flt.category))
    if flt.urgency:
        stmt = stmt.where(Aspiration.urgency == flt.urgency)
    if flt.overdue:
        stmt = stmt.where(overdue_clause(today_local()))
    if flt.q:
        needle = f"%{flt.q.lower()}%"
        stmt = stmt.where(or_(func.lower(Aspiration.title).like(needle), Aspiration.reference.like(needle.upper())))
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    stmt = stmt.order_by(Aspiration.due_on.asc().nulls_last(), Aspiration.id.desc())
    stmt = stmt.limit(flt.per_page).offset((max(flt.page, 1) - 1) * flt.per_page)
    # each row shows its desa and kecamatan: loaded with the page, not one query per row
    stmt = stmt.options(contains_eager(Aspiration.desa).contains_eager(Desa.kecamatan))
    return list(db.session.scalars(stmt)), total


def get_aspiration(actor: Any, reference: str) -> Aspiration:
    """:raise NotFound: unknown reference or outside the actor's scope."""
    item = db.session.scalar(scope_aspirations(select(Aspiration), actor)
                             .where(Aspiration.reference == (reference or "").upper()))
    if item is None:
        raise NotFound("Aspirasi tidak ditemukan.")
    return item


def open_in_desa(regency_id: int, desa_id: int) -> list[Aspiration]:
    """Open, non-confidential aspirations of one desa (duplicate candidates)."""
    stmt = select(Aspiration).where(Aspiration.regency_id == regency_id, Aspiration.desa_id == desa_id,
                                    Aspiration.status.in_(OPEN_STATUSES), Aspiration.confidential.is_(False))
    return list(db.session.scalars(stmt.order_by(Aspiration.id.desc()).limit(200)))


@dataclass(frozen=True)
class Aggregates:
    """Counts only: what DPRD members see (no titles, no names)."""

    total: int
    open: int
    overdue: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    by_kecamatan: dict[str, int]
    by_urgency: dict[str, int]


def aggregates(actor: Any) -> Aggregates:
    """Counts over the regency for office roles and DPRD, over the own area for kepala desa and camat."""
    base = select(Aspiration.status, AspirationCategory.name, Kecamatan.name, Aspiration.urgency,
                  Aspiration.due_on).join(Aspiration.category).join(Aspiration.desa).join(Desa.kecamatan)
    if actor.role == "dprd":
        base = base.where(Aspiration.regency_id == actor.regency_id)
    else:
        base = scope_aspirations(base, actor)
    rows = db.session.execute(base).all()
    today = today_local()
    return Aggregates(
        total=len(rows),
        open=sum(1 for r in rows if r[0] in OPEN_STATUSES),
        overdue=sum(1 for r in rows if r[0] in DEADLINE_STATUSES and r[4] is not None and r[4] < today),
        by_status=dict(Counter(r[0] for r in rows)),
        by_category=dict(sorted(Counter(r[1] for r in rows).items())),
        by_kecamatan=dict(sorted(Counter(r[2] for r in rows).items())),
        by_urgency={u: c for u in URGENCIES if (c := sum(1 for r in rows if r[3] == u))},
    )


def open_aspiration_weights(regency_id: int, as_of: date | None = None) -> dict[int, float]:
    """Per desa id: Σ urgency weight × age factor over open aspirations — the planning priority input.

    Weights: rendah 1, sedang 2, tinggi 3, darurat 5. Age factor 1 + days open / 90, capped at 3 (after 180 days),
    so an old unresolved complaint counts up to three times a new one. "Saya juga" supporters add 10 % each, up to
    double.
    """
    as_of = as_of or today_local()
    rows = db.session.execute(
        select(Aspiration.desa_id, Aspiration.urgency, Aspiration.submitted_on, Aspiration.supporters)
        .where(Aspiration.regency_id == regency_id, Aspiration.status.in_(OPEN_STATUSES))
    ).all()
    weights: dict[int, float] = {}
    for desa_id, urgency, submitted_on, supporters in rows:
        age = max((as_of - submitted_on).days, 0)
        value = URGENCY_WEIGHTS[urgency] * min(1 + age / 90, 3.0) * min(1 + 0.1 * (supporters or 0), 2.0)
        weights[desa_id] = weights.get(desa_id, 0.0) + value
    return weights


def categories() -> list[AspirationCategory]:
    return list(db.session.scalars(select(AspirationCategory).where(AspirationCategory.active.is_(True))
                                   .order_by(AspirationCategory.id)))
