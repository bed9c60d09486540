"""How far the programme has reached: desa visited so far, those never visited, the poorest fifth and the desa with
overdue aspirations, and when the last desa will be reached at the current pace.

The programme's real question is the term of office: "110 of 189 desa reached" says nothing about when the last one
will be. Held visits count as reached; published visits still ahead shorten the wait; the pace is the number of desa
reached for the first time in the last twelve months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.aspirations.models import Aspiration
from app.aspirations.queries import overdue_clause
from app.core.clock import today_local
from app.extensions import db
from app.regions.models import Desa
from app.visits.models import Visit

PACE_DAYS = 365


@dataclass(frozen=True)
class Share:
    total: int
    visited: int


@dataclass(frozen=True)
class Coverage:
    desa_total: int
    visited_ever: int
    never_visited: list[str]  # desa codes, by code
    scheduled_first: int  # never-visited desa with a published visit ahead
    poorest_fifth: Share
    overdue_aspirations_desa: Share
    pace_per_month: float  # desa reached for the first time per month, over the last twelve months
    projected_complete: date | None  # first day of the month the last desa would be reached; None: no pace

    def as_json(self) -> dict:
        return {"desa_total": self.desa_total, "visited_ever": self.visited_ever,
                "never_visited": self.never_visited,
                "poorest_fifth": {"total": self.poorest_fifth.total, "visited": self.poorest_fifth.visited},
                "overdue_aspirations_desa": {"total": self.overdue_aspirations_desa.total,
                                             "visited": self.overdue_aspirations_desa.visited},
                "projected_complete": (self.projected_complete.strftime("%Y-%m") if self.projected_complete
                                       else None)}


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def coverage(regency_id: int, as_of: date | None = None) -> Coverage:
    """The regency's coverage on ``as_of`` (today by default)."""
    as_of = as_of or today_local()
    desa = list(db.session.execute(select(Desa.id, Desa.code, Desa.households, Desa.poor_households)
                                   .where(Desa.regency_id == regency_id).order_by(Desa.code)).all())
    first_held = dict(db.session.execute(
        select(Visit.desa_id, func.min(Visit.day)).where(Visit.regency_id == regency_id, Visit.status == "selesai",
                                                         Visit.day <= as_of).group_by(Visit.desa_id)).all())
    ahead = dict(db.session.execute(
        select(Visit.desa_id, func.min(Visit.day)).where(Visit.regency_id == regency_id,
                                                         Visit.status == "dijadwalkan", Visit.day >= as_of)
        .group_by(Visit.desa_id)).all())
    never = [(i, code) for i, code, *_ in desa if i not in first_held]
    shares = sorted(((poor / total, i) for i, _, total, poor in desa if total and poor is not None), reverse=True)
    poorest = {i for _, i in shares[: max(1, len(shares) // 5)]} if shares else set()
    overdue = set(db.session.scalars(select(Aspiration.desa_id).where(
        Aspiration.regency_id == regency_id, overdue_clause(as_of)).distinct()))
    recent = sum(1 for day in first_held.values() if day > as_of - timedelta(days=PACE_DAYS))
    pace = recent / 12.0
    scheduled = [ahead[i] for i, _ in never if i in ahead]
    left = len(never) - len(scheduled)
    base = max([as_of, *scheduled])
    if left <= 0:
        projected = date(base.year, base.month, 1)
    elif pace > 0:
        projected = _add_months(base, math.ceil(left / pace))
    else:
        projected = None
    return Coverage(len(desa), len(first_held), [code for _, code in never], len(scheduled),
                    Share(len(poorest), len(poorest & first_held.keys())),
                    Share(len(overdue), len(overdue & first_held.keys())), round(pace, 2), projected)


def named(codes: list[str]) -> list[tuple[str, str, str]]:
    """(kecamatan, desa name, code) of ``codes``, by kecamatan then name: the list a planner reads."""
    from app.regions.models import Kecamatan

    if not codes:
        return []
    rows = db.session.execute(select(Kecamatan.name, Desa.name, Desa.code).join(Kecamatan, Desa.kecamatan_id ==
                                                                              Kecamatan.id)
                              .where(Desa.code.in_(codes)).order_by(Kecamatan.name, Desa.name)).all()
    return [tuple(r) for r in rows]
