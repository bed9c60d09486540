"""API for reports: a visit's PDF, queue-free DPRD report generation, archived PDFs."""

from __future__ import annotations

import io

from flask import jsonify, send_file

from app.api import bp
from app.api.body import JsonBody
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
    body = JsonBody()
    start, end = body.day("start"), body.day("end")
    kecamatan = body.data.get("kecamatan")
    message = "Kecamatan berupa kode atau daftar kode, mis. \"35.10.09\"."
    codes = [kecamatan] if isinstance(kecamatan, str) else body.texts("kecamatan", message=message)
    body.check()
    row = services.generate_dprd_report(current_actor(), start, end, codes)
    return jsonify({"id": row.id, "sha256": row.pdf_sha256, "title": row.title}), 201


@bp.get("/reports/<int:report_id>.pdf", endpoint="report_pdf")
@require(Permission.REPORT_VIEW)
def report_pdf(report_id: int):
    """An archived report (DPRD members: DPRD reports only)."""
    return _pdf(queries.get_report(current_actor(), report_id))
