"""Who may see which archived report: DPRD reports for every role; visit reports within the visit's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from app.core.errors import NotFound
from app.extensions import db
from app.regions.models import Desa
from app.reports.models import ReportArchive


def scope_reports(stmt, actor: Any):
    stmt = stmt.where(ReportArchive.regency_id == actor.regency_id)
    if actor.role in ("admin", "planner", "opd"):
        return stmt
    if actor.role == "kepala_desa":
        return stmt.where(or_(ReportArchive.kind == "dprd", ReportArchive.desa_id == actor.desa_id))
    if actor.role == "camat":
        in_kec = select(Desa.id).where(Desa.kecamatan_id == actor.kecamatan_id)
        return stmt.where(or_(ReportArchive.kind == "dprd", ReportArchive.desa_id.in_(in_kec)))
    return stmt.where(ReportArchive.kind == "dprd")  # DPRD: aggregates only


def list_reports(actor: Any, limit: int = 200) -> list[ReportArchive]:
    return list(db.session.scalars(scope_reports(select(ReportArchive), actor)
                                   .order_by(ReportArchive.id.desc()).limit(limit)))


def get_report(actor: Any, report_id: int) -> ReportArchive:
    """:raise NotFound: unknown or not visible to the actor."""
    row = db.session.scalar(scope_reports(select(ReportArchive), actor).where(ReportArchive.id == report_id))
    if row is None:
        raise NotFound("Laporan tidak ditemukan.")
    return row
