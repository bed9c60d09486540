"""Views of the visits blueprint."""

from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.aspirations import queries as aspiration_queries
from app.aspirations import services as aspiration_services
from app.core.clock import today_local
from app.core.errors import DomainError, FieldErrors
from app.core.permissions import SECTORS, Permission
from app.core.security import current_actor, require
from app.planning.travel_learning import leg_into
from app.visits import bp, queries, services
from app.visits.models import BUDGET_SOURCES, VISIT_STATUS_LABELS


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


def _back(visit_id: int, anchor: str = ""):
    return redirect(url_for("visits.show_visit", visit_id=visit_id) + anchor)


@bp.get("", endpoint="list_visits")
@require(Permission.VISIT_VIEW)
def list_visits():
    """Visits in scope: upcoming first, then the past."""
    actor = current_actor()
    return render_template("visits/list.html", visits=queries.list_visits(actor), labels=VISIT_STATUS_LABELS,
                           today=today_local())


@bp.post("", endpoint="create_visit")
@require(Permission.VISIT_MANAGE)
def create_visit():
    """An ad hoc visit (not from a plan)."""
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        day = None
    try:
        visit = services.create_visit(current_actor(), request.form.get("desa_code", ""), day)
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("visits.list_visits"))
    flash(_("Kunjungan dibuat."), "success")
    return _back(visit.id)


@bp.get("/<int:visit_id>", endpoint="show_visit")
@require(Permission.VISIT_VIEW)
def show_visit(visit_id: int):
    """The visit-day screen: status, counters, NIK records, agenda aspirations, commitments, photos, notes.

    :raise 404: unknown or outside the actor's scope.
    """
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    catalogue = services.active_services()
    counts = {c.service_code: c.count for c in visit.counts}
    mine = {code: s for code, s in catalogue.items() if actor.role != "opd" or s.sector == actor.sector}
    open_items = [a for a in aspiration_queries.open_in_desa(visit.regency_id, visit.desa_id)]
    agenda_ids = {a.aspiration_id for a in visit.agenda}
    on_site = {a.id: aspiration_services.on_site_transitions(actor, a, visit) for a in open_items}
    requested: dict[str, int] = {}  # services requested by the aspirations on the agenda, for preparation
    for entry in visit.agenda:
        for line in entry.aspiration.services:
            requested[line.service_code] = requested.get(line.service_code, 0) + line.quantity
    opd_units = sorted({catalogue[c].sector for c in requested if c in catalogue})
    return render_template(
        "visits/show.html", visit=visit, catalogue=catalogue, recordable=mine, counts=counts,
        records=queries.records(actor, visit), can_reveal=services.can_read_full_nik(actor),
        steps=services.available_steps(actor, visit), labels=VISIT_STATUS_LABELS,
        open_items=open_items, agenda_ids=agenda_ids, on_site=on_site, sectors=SECTORS, budgets=BUDGET_SOURCES,
        can_record=actor.can(Permission.SERVICE_RECORD) and visit.status in ("berlangsung", "selesai"),
        requested=requested, opd_units=opd_units)


@bp.post("/<int:visit_id>/status", endpoint="change_visit_status")
@require(Permission.VISIT_MANAGE)
def change_visit_status(visit_id: int):
    """Check in, check out, postpone, cancel, reschedule."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    try:
        day = date.fromisoformat(request.form["day"]) if request.form.get("day") else None
        services.change_status(actor, visit, request.form.get("to", ""), reason=request.form.get("reason"), day=day)
        flash(_("Status kunjungan: %(s)s.", s=VISIT_STATUS_LABELS[visit.status]), "success")
    except (DomainError, ValueError) as err:
        flash(getattr(err, "message", _("Tanggal tidak valid.")), "error")
    return _back(visit_id)


@bp.post("/<int:visit_id>/layanan", endpoint="add_service")
@require(Permission.SERVICE_RECORD)
def add_service(visit_id: int):
    """+1 (or +n) on a counter; answers JSON to the counter buttons, a redirect to plain forms."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    raw = request.get_json(silent=True) if request.is_json else request.form
    code = str((raw or {}).get("service", ""))
    try:
        amount = int((raw or {}).get("count", 1))
        total = services.add_count(actor, visit, code, amount)
    except (ValueError, TypeError):
        if _wants_json():
            return jsonify({"message": "Jumlah harus bilangan bulat."}), 422
        flash(_("Jumlah harus bilangan bulat."), "error")
        return _back(visit_id, "#layanan")
    except DomainError as err:
        if _wants_json():
            return jsonify({"message": err.message}), err.status_code
        flash(err.message, "error")
        return _back(visit_id, "#layanan")
    if _wants_json():
        return jsonify({"service": code, "count": total})
    return _back(visit_id, "#layanan")


@bp.post("/<int:visit_id>/nik", endpoint="record_service_nik")
@require(Permission.SERVICE_RECORD)
def record_service_nik(visit_id: int):
    """An individual record by NIK (the NIK travels in the form body, never in the URL)."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    try:
        record = services.record_nik(actor, visit, request.form.get("service", ""), request.form.get("nik", ""),
                                     request.form.get("note"))
        flash(_("Tercatat untuk NIK %(nik)s.", nik=record.nik_masked), "success")
    except DomainError as err:
        flash(err.message, "error")
    return _back(visit_id, "#nik")


@bp.post("/<int:visit_id>/unggah", endpoint="upload_records")
@require(Permission.SERVICE_RECORD)
def upload_records(visit_id: int):
    """Records collected offline (CSV/XLSX): all or nothing, with a row report."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Pilih berkas yang akan diunggah."), "error")
        return _back(visit_id, "#unggah")
    result = services.import_records(actor, visit, upload.filename, upload.read())
    if result.ok:
        flash(_("%(n)s baris layanan tercatat.", n=len(result.rows)), "success")
        return _back(visit_id, "#unggah")
    flash(_("Berkas tidak diunggah: %(n)s kesalahan. Tidak ada yang dicatat.", n=len(result.errors)), "error")
    return render_template("visits/upload_errors.html", visit=visit, result=result), 422


@bp.post("/<int:visit_id>/nik/<int:record_id>/buka", endpoint="reveal_nik")
@require(Permission.SERVICE_RECORD)
def reveal_nik(visit_id: int, record_id: int):
    """Show one full NIK to a role that needs it, with a purpose; audited."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    record = queries.get_record(actor, visit, record_id)  # 404 for another visit's or another sector's record
    try:
        full = services.reveal_nik(actor, record, request.form.get("purpose", ""))
    except DomainError as err:
        flash(err.message, "error")
        return _back(visit_id, "#nik")
    return render_template("visits/reveal.html", visit=visit, nik=full)


@bp.post("/<int:visit_id>/komitmen", endpoint="add_commitment")
@require(Permission.VISIT_MANAGE)
def add_commitment(visit_id: int):
    """Record the bupati's commitment (owner OPD, deadline, budget source)."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    try:
        due = date.fromisoformat(request.form["due_on"]) if request.form.get("due_on") else None
        ref = request.form.get("aspiration") or None
        aspiration = aspiration_queries.get_aspiration(actor, ref) if ref else None
        services.add_commitment(actor, visit, description=request.form.get("description", ""),
                                owner_sector=request.form.get("owner_sector", ""), due_on=due,
                                budget_source=request.form.get("budget_source", ""), aspiration=aspiration)
        flash(_("Komitmen dicatat."), "success")
    except ValueError:
        flash(_("Tanggal tidak valid."), "error")
    except FieldErrors as err:
        flash(err.message, "error")
    except DomainError as err:
        flash(err.message, "error")
    return _back(visit_id, "#komitmen")


@bp.post("/<int:visit_id>/aspirasi/<reference>", endpoint="resolve_aspiration")
@require(Permission.VISIT_MANAGE)
def resolve_aspiration(visit_id: int, reference: str):
    """Settle an aspiration of this desa on the spot (→ selesai or menunggu_verifikasi, with a note)."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    item = aspiration_queries.get_aspiration(actor, reference)
    try:
        aspiration_services.transition(actor, item, request.form.get("to", ""), note=request.form.get("note"),
                                       visit=visit)
        flash(_("Aspirasi %(ref)s diperbarui.", ref=item.reference), "success")
    except DomainError as err:
        flash(err.message, "error")
    return _back(visit_id, "#aspirasi")


@bp.post("/<int:visit_id>/catatan", endpoint="save_notes")
@require(Permission.VISIT_MANAGE)
def save_notes(visit_id: int):
    """Officials present and notes."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    try:
        services.save_notes(actor, visit, request.form.get("officials"), request.form.get("notes"))
        flash(_("Catatan disimpan."), "success")
    except DomainError as err:
        flash(err.message, "error")
    return _back(visit_id, "#catatan")


@bp.post("/<int:visit_id>/foto", endpoint="upload_photo")
@require(Permission.SERVICE_RECORD)
def upload_photo(visit_id: int):
    """Photo evidence (JPG/PNG/WebP, ≤ 5 MB; location metadata removed)."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise DomainError("Pilih foto.")
        services.add_photo(actor, visit, upload.read(), upload.filename)
        flash(_("Foto ditambahkan."), "success")
    except DomainError as err:
        flash(err.message, "error")
    return _back(visit_id, "#foto")


@bp.get("/<int:visit_id>/foto/<int:photo_id>", endpoint="download_photo")
@require(Permission.VISIT_VIEW)
def download_photo(visit_id: int, photo_id: int):
    """A photo, only for users who may see the visit."""
    from app.aspirations.attachments import load_attachment
    from app.aspirations.services import upload_dir

    visit = queries.get_visit(current_actor(), visit_id)
    photo = next((p for p in visit.photos if p.id == photo_id), None)
    if photo is None:
        abort(404)
    response = send_file(io.BytesIO(load_attachment(photo.stored_name, upload_dir())), mimetype=photo.mime_type,
                         download_name=photo.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<int:visit_id>/ringkasan", endpoint="visit_summary")
@require(Permission.VISIT_VIEW)
def visit_summary(visit_id: int):
    """What the visit delivered: services, aspirations settled, commitments."""
    visit = queries.get_visit(current_actor(), visit_id)
    return render_template("visits/summary.html", leg=leg_into(visit), visit=visit,
                           catalogue=services.active_services(), labels=VISIT_STATUS_LABELS, sectors=SECTORS)


@bp.get("/tindak-lanjut", endpoint="list_followups")
@require(Permission.VISIT_VIEW)
def list_followups():
    """Commitments to follow up: an OPD sees its own, the office all."""
    actor = current_actor()
    status = request.args.get("status", "terbuka")
    status = status if status in ("terbuka", "selesai", "dibatalkan") else None
    return render_template("visits/followups.html", items=queries.followups(actor, status), status=status,
                           sectors=SECTORS, today=today_local())


@bp.post("/tindak-lanjut/<int:commitment_id>/selesai", endpoint="complete_followup")
@require(Permission.VISIT_VIEW)
def complete_followup(commitment_id: int):
    """The owning OPD reports a commitment fulfilled, with evidence."""
    actor = current_actor()
    try:
        services.complete_commitment(actor, queries.get_commitment(actor, commitment_id),
                                     request.form.get("evidence", ""))
        flash(_("Komitmen dinyatakan selesai."), "success")
    except DomainError as err:
        flash(err.message, "error")
    return redirect(url_for("visits.list_followups"))


@bp.get("/layanan", endpoint="service_dashboard")
@require(Permission.SERVICE_STATS)
def service_dashboard():
    """Services delivered by type, kecamatan and month; aspirations resolved at visits (counts only)."""
    year = request.args.get("tahun", "")
    year = int(year) if year.isdigit() and 2000 < int(year) < 2100 else today_local().year
    return render_template("visits/dashboard.html", stats=queries.service_stats(current_actor(), year), year=year)


@bp.post("/<int:visit_id>/ekspor-nik", endpoint="export_nik")
@require(Permission.SERVICE_RECORD)
def export_nik(visit_id: int):
    """CSV with full NIKs for the civil-registry office: purpose required, audited."""
    from flask import Response

    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    try:
        body = services.export_nik_records(actor, visit, request.form.get("purpose", ""))
    except DomainError as err:
        flash(err.message, "error")
        return _back(visit_id, "#nik")
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=layanan-nik-kunjungan-{visit.id}.csv",
        "Cache-Control": "no-store"})
