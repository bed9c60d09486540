"""Views of the aspirations blueprint: thin wrappers around queries and services."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.aspirations import bp, lifecycle, queries, services
from app.aspirations.forms import (
    AspirationForm,
    AttachmentForm,
    CommentForm,
    ImportAspirationsForm,
    TransitionForm,
)
from app.aspirations.models import STATUS_LABELS, URGENCY_LABELS
from app.core.clock import today_local
from app.core.errors import DomainError
from app.core.permissions import SECTORS, Permission
from app.core.security import current_actor, require
from app.regions import queries as region_queries


def _filter() -> queries.AspirationFilter:
    args = request.args
    page = args.get("hal", "1")
    status = args.get("status") or None
    return queries.AspirationFilter(
        status=status if status in (*STATUS_LABELS, "terbuka") else None,
        kecamatan=args.get("kecamatan") or None, desa=args.get("desa") or None,
        category=args.get("kategori") or None,
        urgency=args.get("urgensi") if args.get("urgensi") in URGENCY_LABELS else None,
        overdue=args.get("terlambat") == "1", q=(args.get("q") or "").strip()[:80] or None,
        page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
    )


@bp.get("", endpoint="list_aspirations")
@require(Permission.ASPIRATION_VIEW)
def list_aspirations():
    """Inbox (office), queue (OPD), own desa or kecamatan (kepala desa, camat)."""
    actor = current_actor()
    flt = _filter()
    items, total = queries.list_aspirations(actor, flt)
    return render_template("aspirations/list.html", items=items, total=total, flt=flt,
                           kecamatan=region_queries.kecamatan_options(actor), categories=queries.categories(),
                           today=today_local(), sectors=SECTORS)


def _form_input(form: AspirationForm, actor) -> services.AspirationInput:
    lines = [(line.code.data, line.quantity.data) for line in form.services if line.code.data and line.quantity.data]
    desa_code = actor.desa.code if actor.role == "kepala_desa" else (form.desa_code.data or "")
    return services.AspirationInput(
        desa_code=desa_code, category=form.category.data or "", title=form.title.data or "",
        description=form.description.data or "", urgency=form.urgency.data, affected=form.affected.data,
        services=lines, anonymous=form.anonymous.data, confidential=form.confidential.data,
        channel="portal" if actor.role == "kepala_desa" else form.channel.data)


@bp.route("/baru", methods=["GET", "POST"], endpoint="create_aspiration")
@require(Permission.ASPIRATION_SUBMIT)
def create_aspiration():
    """Submission form; what was typed is kept when something is wrong."""
    actor = current_actor()
    form = AspirationForm()
    form.category.choices = [(c.code, c.name) for c in queries.categories()]
    if request.method == "GET":  # from the visit-day screen: the visited desa, channel "on_site"
        form.desa_code.data = (request.args.get("desa") or "")[:13] or None
        if request.args.get("saluran") in ("on_site", "assisted", "portal"):
            form.channel.data = request.args["saluran"]
    status = 200
    if form.validate_on_submit():
        try:
            item = services.submit_aspiration(actor, _form_input(form, actor))
        except services.FieldErrors as err:
            for name, message in err.errors.items():
                getattr(form, {"village_code": "desa_code"}.get(name, name), form.title).errors.append(message)
            status = 422
        except DomainError as err:
            flash(err.message, "error")
            status = err.status_code
        else:
            flash(_("Aspirasi %(ref)s diajukan.", ref=item.reference), "success")
            return redirect(url_for("aspirations.show_aspiration", reference=item.reference))
    elif request.method == "POST":
        status = 422
    open_items = (queries.open_in_desa(actor.regency_id, actor.desa_id) if actor.role == "kepala_desa" else [])
    return render_template("aspirations/form.html", form=form, open_items=open_items), status


@bp.get("/mirip", endpoint="similar_aspirations")
@require(Permission.ASPIRATION_SUBMIT)
def similar():
    """Open aspirations of the same desa that look like what is being typed (JSON for the form)."""
    from app.aspirations.similarity import Candidate, similar_aspirations

    actor = current_actor()
    code = actor.desa.code if actor.role == "kepala_desa" else request.args.get("desa", "")
    try:
        desa = region_queries.get_village(actor, code)
    except DomainError:
        return jsonify({"items": []})
    candidates = [Candidate(a.reference, a.title, a.description)
                  for a in queries.open_in_desa(actor.regency_id, desa.id)]
    matches = similar_aspirations(request.args.get("judul", "")[:200], request.args.get("uraian", "")[:2000],
                                  candidates)
    return jsonify({"items": [{"reference": m.reference, "title": m.title, "score": round(m.score, 3),
                               "url": url_for("aspirations.show_aspiration", reference=m.reference)}
                              for m in matches]})


@bp.get("/ringkasan", endpoint="aspiration_stats")
@require(Permission.ASPIRATION_STATS)
def stats():
    """Counts by status, category, kecamatan and urgency — no titles, no names."""
    return render_template("aspirations/stats.html", agg=queries.aggregates(current_actor()))


@bp.route("/impor", methods=["GET", "POST"], endpoint="import_aspirations")
@require(Permission.ASPIRATION_MANAGE)
def import_aspirations():
    """Aspirations collected on paper: all or nothing, with a row-by-row report."""
    form = ImportAspirationsForm()
    result = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        result = services.import_aspirations(current_actor(), upload.filename or "berkas", upload.read())
        if result.ok:
            flash(_("%(n)s aspirasi diimpor.", n=len(result.rows)), "success")
        else:
            flash(_("Berkas tidak diimpor: ditemukan %(n)s kesalahan. Tidak ada data yang diubah.",
                    n=len(result.errors)), "error")
            status = 422
    elif request.method == "POST":
        status = 422
    return render_template("aspirations/import.html", form=form, result=result), status


@bp.post("/massal", endpoint="bulk_update")
@require(Permission.ASPIRATION_MANAGE)
def bulk_update():
    """Verify or dispatch the ticked aspirations together."""
    actor = current_actor()
    refs = request.form.getlist("ref")[:200]
    action = request.form.get("action")
    try:
        items = [queries.get_aspiration(actor, ref) for ref in refs]
        if action == "verify":
            count = services.bulk_transition(actor, items, "diverifikasi")
        elif action == "dispatch":
            count = services.bulk_transition(actor, items, "didisposisikan", opd=request.form.get("opd"))
        else:
            raise DomainError("Pilih tindakan: verifikasi atau disposisi.")
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(_("%(n)s aspirasi diperbarui.", n=count), "success")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                    else url_for("aspirations.list_aspirations"))


@bp.get("/<reference>", endpoint="show_aspiration")
@require(Permission.ASPIRATION_VIEW)
def show(reference: str):
    """Detail with history, actions and attachments.

    :raise 404: unknown or outside the actor's scope.
    """
    actor = current_actor()
    item = queries.get_aspiration(actor, reference)
    return _render_detail(item, actor)


def _render_detail(item, actor, status: int = 200, transition_form: TransitionForm | None = None):
    from app.planning.services import next_visit

    transitions = lifecycle.available_transitions(actor, item)
    upcoming = next_visit(item.desa_id)
    return render_template(
        "aspirations/detail.html", item=item, transitions=transitions,
        transition_form=transition_form or TransitionForm(version=item.version),
        comment_form=CommentForm(), attachment_form=AttachmentForm(), today=today_local(),
        show_submitter=(not item.anonymous) or actor.role == "admin", next_visit=upcoming,
        on_agenda=bool(upcoming and any(a.aspiration_id == item.id for a in upcoming.agenda)),
    ), status


@bp.post("/<reference>/agenda", endpoint="add_to_agenda")
@require(Permission.ASPIRATION_MANAGE)
def add_to_agenda(reference: str):
    """Put the aspiration on the agenda of its desa's next scheduled visit."""
    from app.planning.services import add_to_agenda as add
    from app.planning.services import next_visit

    actor = current_actor()
    item = queries.get_aspiration(actor, reference)
    visit = next_visit(item.desa_id)
    try:
        if visit is None:
            raise DomainError("Belum ada kunjungan terjadwal untuk desa ini.")
        add(actor, item, visit)
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(_("Aspirasi masuk agenda kunjungan %(day)s.", day=visit.day.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("aspirations.show_aspiration", reference=item.reference))


@bp.post("/<reference>/status", endpoint="change_status")
@require(Permission.ASPIRATION_VIEW)
def change_status(reference: str):
    """Take a lifecycle step (the lifecycle decides whether this role may)."""
    actor = current_actor()
    item = queries.get_aspiration(actor, reference)
    form = TransitionForm()
    if not form.validate_on_submit():
        flash(_("Isian tidak lengkap."), "error")
        return _render_detail(item, actor, 422, form)
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        services.transition(actor, item, form.to.data, note=form.note.data, opd=form.opd.data or None,
                            merge_into=form.merge_into.data or None, due_on=form.due_on.data,
                            expected_version=version)
    except DomainError as err:
        flash(err.message, "error")
        item = queries.get_aspiration(actor, reference)  # reload after the rollback
        return _render_detail(item, actor, err.status_code, form)
    flash(_("Status diperbarui: %(s)s.", s=STATUS_LABELS[form.to.data]), "success")
    return redirect(url_for("aspirations.show_aspiration", reference=item.reference))


@bp.post("/<reference>/komentar", endpoint="add_comment")
@require(Permission.ASPIRATION_VIEW)
def add_comment(reference: str):
    """Add a comment to the history."""
    actor = current_actor()
    item = queries.get_aspiration(actor, reference)
    form = CommentForm()
    try:
        services.add_comment(actor, item, form.body.data or "")
    except DomainError as err:
        flash(err.message, "error")
    return redirect(url_for("aspirations.show_aspiration", reference=item.reference) + "#riwayat")


@bp.post("/<reference>/dukung", endpoint="support_aspiration")
@require(Permission.ASPIRATION_SUBMIT)
def support(reference: str):
    """ "Saya juga": support an existing aspiration instead of filing a copy."""
    actor = current_actor()
    item = queries.get_aspiration(actor, reference)
    try:
        counted = services.support(actor, item)
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(_("Dukungan Anda dicatat.") if counted else _("Anda sudah mendukung aspirasi ini."), "success")
    return redirect(url_for("aspirations.show_aspiration", reference=item.reference))


@bp.post("/<reference>/lampiran", endpoint="upload_attachment")
@require(Permission.ASPIRATION_VIEW)
def upload_attachment(reference: str):
    """Attach an image or PDF."""
    actor = current_actor()
    item = queries.get_aspiration(actor, reference)
    form = AttachmentForm()
    if not form.validate_on_submit():
        flash(_("Pilih berkas lampiran."), "error")
        return _render_detail(item, actor, 422)
    try:
        services.add_attachment(actor, item, form.file.data.read(), form.file.data.filename or "lampiran")
    except DomainError as err:
        flash(err.message, "error")
        return _render_detail(queries.get_aspiration(actor, reference), actor, err.status_code)
    flash(_("Lampiran ditambahkan."), "success")
    return redirect(url_for("aspirations.show_aspiration", reference=item.reference))


@bp.get("/<reference>/lampiran/<int:attachment_id>", endpoint="download_attachment")
@require(Permission.ASPIRATION_VIEW)
def download_attachment(reference: str, attachment_id: int):
    """Serve an attachment as a download, only to users who may see the aspiration."""
    import io

    item = queries.get_aspiration(current_actor(), reference)
    attachment, data = services.attachment_bytes(item, attachment_id)
    response = send_file(io.BytesIO(data), mimetype=attachment.mime_type, as_attachment=True,
                         download_name=attachment.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
