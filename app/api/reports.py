"""API for reports: a visit's PDF, queue-free DPRD report generation, archived PDFs."""

from __future__ import annotations

import io
from datetime import date

from flask import jsonify, request, send_file

from app.api import bp
from app.core.errors import FieldErrors
from app.core.permissions import Permission
from app.core.security import current_actor, require
from app.reports import queries, services
from app.visits import queries as visit_queries


def _pdf(row):
    return send_file(io.BytesIO(row.pdf), mimetype="application/pdf",
                     download_name=f"{row.document_number.replace('/', '-')}.pdf")


@bp.get("/reports/visit/<int:visit_id>.pdf", endpoint="visit_report_pdf")
@require(Permission.REPORT_GENERATE)
def visit_report_pdf(visit_id: int):
    """The visit report (from the archive when the data did not change)."""
    actor = current_actor()
    return _pdf(services.generate_visit_report(actor, visit_queries.get_visit(actor, visit_id)))


@bp.post("/reports/dprd", endpoint="create_dprd_report")
@require(Permission.REPORT_GENERATE)
def create_dprd_report():
    """{"start", "end", "kecamatan"?: [codes] | code} → {"id"} of the archived report."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise FieldErrors({"body": "Kirim objek JSON dengan start dan end."})

    def parse(key: str) -> date | None:
        try:
            return date.fromisoformat(str(body.get(key)))
        except ValueError:
            return None

    kecamatan = body.get("kecamatan")
    codes = [kecamatan] if isinstance(kecamatan, str) else kecamatan if isinstance(kecamatan, list) else None
    if codes is not None and not all(isinstance(c, str) for c in codes):
        raise FieldErrors({"kecamatan": "Kecamatan berupa kode atau daftar kode, mis. \"35.10.09\"."})
    row = services.generate_dprd_report(current_actor(), parse("start"), parse("end"), codes)
    return jsonify({"id": row.id, "sha256": row.pdf_sha256, "title": row.title}), 201


@bp.get("/reports/<int:report_id>.pdf", endpoint="report_pdf")
@require(Permission.REPORT_VIEW)
def report_pdf(report_id: int):
    """An archived report (DPRD members: DPRD reports only)."""
    return _pdf(queries.get_report(current_actor(), report_id))
