"""Generating and archiving reports: render from plain data, hash the inputs and the PDF, never duplicate."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import select

from app.core.audit import record_audit
from app.core.clock import today_local
from app.core.errors import DomainError, FieldErrors, Forbidden
from app.core.permissions import ROLE_LABELS, Role
from app.core.services import unit_of_work
from app.extensions import db
from app.regions.models import Kecamatan
from app.reports import builders
from app.reports.models import ReportArchive
from app.visits.models import Visit

MAX_PERIOD_DAYS = 366 * 2


def input_hash(report: Any) -> str:
    """SHA-256 of the report data without its generation date: unchanged data ⇒ the same hash."""
    data = dataclasses.asdict(report)
    data.pop("generated_on", None)
    payload = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _render(template: str, report: Any) -> bytes:
    from reports.rendering import render_pdf

    return render_pdf(template, report)


def _archive(actor: Any, kind: str, title: str, report: Any, template: str, **fields: Any) -> ReportArchive:
    digest = input_hash(report)
    existing = db.session.scalar(select(ReportArchive).where(ReportArchive.regency_id == actor.regency_id,
                                                             ReportArchive.kind == kind,
                                                             ReportArchive.input_hash == digest))
    if existing is not None:
        return existing  # same data: the archived PDF is the answer
    pdf = _render(template, report)
    row = ReportArchive(regency_id=actor.regency_id, kind=kind, title=title[:200],
                        document_number=report.document_number, input_hash=digest,
                        pdf_sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pdf=pdf,
                        author_id=getattr(actor, "id", None), **fields)
    db.session.add(row)
    db.session.flush()
    record_audit("report_generated", "report_archive", row.id, actor=actor,
                 after={"kind": kind, "title": row.title, "input_hash": digest, "pdf_sha256": row.pdf_sha256})
    return row


@unit_of_work
def generate_visit_report(actor: Any, visit: Visit) -> ReportArchive:
    """The visit report of a held or ongoing visit (archived)."""
    if visit.status not in ("berlangsung", "selesai"):
        raise DomainError("Laporan kunjungan dibuat untuk kunjungan yang sedang atau sudah berlangsung.")
    prepared = f"{actor.full_name}, {ROLE_LABELS[Role(actor.role)]}" if hasattr(actor, "full_name") else "Sistem"
    report = builders.visit_report(visit, generated_on=today_local(), prepared_by=prepared)
    return _archive(actor, "visit", f"Laporan Kunjungan {visit.desa.name} {visit.day:%d-%m-%Y}", report,
                    "visit.html", visit_id=visit.id, desa_id=visit.desa_id, period_start=visit.day,
                    period_end=visit.day)


def validate_period(actor: Any, start: date | None, end: date | None, kecamatan: list[str] | None) -> list[str]:
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = "Tanggal mulai wajib berformat YYYY-MM-DD."
    if end is None:
        errors["end"] = "Tanggal akhir wajib berformat YYYY-MM-DD."
    if start and end and end < start:
        errors["end"] = "Tanggal akhir tidak boleh sebelum tanggal mulai."
    elif start and end and (end - start).days > MAX_PERIOD_DAYS:
        errors["end"] = "Periode laporan maksimal dua tahun."
    codes = sorted(set(kecamatan or []))
    if codes:
        known = set(db.session.scalars(select(Kecamatan.code).where(Kecamatan.regency_id == actor.regency_id)))
        unknown = [c for c in codes if c not in known]
        if unknown:
            errors["kecamatan"] = "Kode kecamatan tidak dikenal: " + ", ".join(unknown) + "."
    if errors:
        raise FieldErrors(errors)
    return codes


@unit_of_work
def generate_dprd_report(actor: Any, start: date | None, end: date | None,
                         kecamatan: list[str] | None = None) -> ReportArchive:
    """The DPRD report for a period and scope (archived; unchanged data returns the archived one)."""
    if actor.role not in ("admin", "planner") and not getattr(actor, "system", False):
        raise Forbidden("Laporan DPRD disusun oleh kantor bupati.")
    codes = validate_period(actor, start, end, kecamatan)
    report = builders.dprd_report(actor.regency_id, start, end, codes or None, generated_on=today_local(),
                                  as_of=today_local())
    return _archive(actor, "dprd", f"Laporan Bunga Desa untuk DPRD — {report.period_label}", report, "dprd.html",
                    period_start=start, period_end=end, scope=codes or None)


def dprd_tables(actor: Any, start: date, end: date, kecamatan: list[str] | None):
    """The report's data for the spreadsheet export (the same builder as the PDF)."""
    codes = validate_period(actor, start, end, kecamatan)
    return builders.dprd_report(actor.regency_id, start, end, codes or None, generated_on=today_local(),
                                as_of=today_local())
