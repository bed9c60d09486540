"""Views: the report archive, generating visit and DPRD reports, downloads and spreadsheet exports."""

from __future__ import annotations

import io
from datetime import date

from flask import Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.core.errors import DomainError
from app.core.permissions import Permission
from app.core.security import current_actor, require
from app.regions import queries as region_queries
from app.reports import bp, exports, queries, services
from app.visits import queries as visit_queries


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.values.get(name, ""))
    except ValueError:
        return None


def _kecamatan() -> list[str]:
    return [c for c in request.values.getlist("kecamatan") if c][:30]


@bp.get("", endpoint="list_reports")
@require(Permission.REPORT_VIEW)
def list_reports():
    """Archived reports the actor may see, and the DPRD report form for the office."""
    actor = current_actor()
    return render_template("reports/list.html", reports=queries.list_reports(actor),
                           kecamatan=region_queries.kecamatan_options(actor))


@bp.get("/cakupan", endpoint="coverage")
@require(Permission.COVERAGE_VIEW)
def coverage_page():
    """How many desa the programme has reached, which never, and when the last one will be at this pace."""
    from app.planning.coverage import coverage, named
    from app.planning.queries import MONTHS

    actor = current_actor()
    cov = coverage(actor.regency_id)
    return render_template("reports/coverage.html", cov=cov, never=named(cov.never_visited), months=MONTHS)


@bp.post("/dprd", endpoint="generate_dprd")
@require(Permission.REPORT_GENERATE)
def generate_dprd():
    """Generate (or find unchanged in the archive) the DPRD report for a period."""
    try:
        row = services.generate_dprd_report(current_actor(), _date("start"), _date("end"), _kecamatan())
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("reports.list_reports"))
    flash(_("Laporan tersedia: %(t)s.", t=row.title), "success")
    return redirect(url_for("reports.list_reports"))


@bp.post("/kunjungan/<int:visit_id>", endpoint="generate_visit_report")
@require(Permission.REPORT_GENERATE)
def generate_visit_report(visit_id: int):
    """Generate the report of one visit."""
    actor = current_actor()
    try:
        row = services.generate_visit_report(actor, visit_queries.get_visit(actor, visit_id))
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("visits.show_visit", visit_id=visit_id))
    return redirect(url_for("reports.download_report", report_id=row.id))


@bp.get("/<int:report_id>.pdf", endpoint="download_report")
@require(Permission.REPORT_VIEW)
def download_report(report_id: int):
    """The archived PDF."""
    row = queries.get_report(current_actor(), report_id)
    return send_file(io.BytesIO(row.pdf), mimetype="application/pdf", as_attachment=False,
                     download_name=f"{row.document_number.replace('/', '-')}.pdf")


@bp.get("/dprd/ekspor.xlsx", endpoint="export_xlsx")
@require(Permission.REPORT_VIEW)
def export_xlsx():
    """The DPRD report's tables as a workbook."""
    try:
        report = services.dprd_tables(current_actor(), _date("start"), _date("end"), _kecamatan())
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("reports.list_reports"))
    return send_file(io.BytesIO(exports.to_xlsx(report)), as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     download_name=f"laporan-bunga-desa-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx")


@bp.get("/dprd/ekspor.csv", endpoint="export_csv")
@require(Permission.REPORT_VIEW)
def export_csv():
    """One table of the DPRD report as CSV (?tabel=kunjungan|kecamatan|ringkasan|…)."""
    table = request.args.get("tabel", "kunjungan")
    try:
        report = services.dprd_tables(current_actor(), _date("start"), _date("end"), _kecamatan())
        if table not in exports.tables(report):
            raise DomainError("Tabel tidak dikenal.")
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("reports.list_reports"))
    return Response(exports.to_csv(report, table), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=laporan-{table}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.csv"})
