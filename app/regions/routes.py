"""Views: dashboard, village list and detail, location import."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.core.errors import FieldErrors
from app.core.permissions import Permission
from app.core.security import current_actor, require
from app.regions import bp, maps, poverty, queries, services
from app.regions.forms import ImportForm, PovertyImportForm


def _filter_from_args() -> queries.VillageFilter:
    sort = request.args.get("urut", "kode")
    page = request.args.get("hal", "1")
    return queries.VillageFilter(
        kecamatan=request.args.get("kecamatan") or None,
        q=(request.args.get("q") or "").strip()[:80] or None,
        sort=sort if sort in queries.SORTS else "kode",
        page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
    )


@bp.get("/", endpoint="dashboard")
@require(Permission.DASHBOARD_VIEW)
def dashboard():
    """Overview of the actor's area with the regency map."""
    from app.planning.services import next_visit

    actor = current_actor()
    upcoming = next_visit(actor.desa_id) if actor.role == "kepala_desa" else None
    return render_template("regions/dashboard.html", summary=queries.region_summary(actor),
                           regency=queries.regency_of(actor), region_map=maps.region_map(actor), next_visit=upcoming)


@bp.get("/desa", endpoint="list_villages")
@require(Permission.VILLAGE_VIEW)
def list_villages():
    """Village list with filter, search and sort."""
    actor = current_actor()
    flt = _filter_from_args()
    villages, total = queries.list_villages(actor, flt)
    return render_template("regions/list.html", villages=villages, total=total, flt=flt,
                           kecamatan=queries.kecamatan_options(actor), sorts=queries.SORTS)


@bp.get("/desa/<code>", endpoint="show_village")
@require(Permission.VILLAGE_VIEW)
def show_village(code: str):
    """One village: figures, location and its place on the map.

    :raise 404: when the village is unknown or outside the actor's scope.
    """
    from app.visits.queries import desa_history

    actor = current_actor()
    desa = queries.get_village(actor, code)
    history = desa_history(actor, desa.id) if actor.can(Permission.VISIT_VIEW) else []
    priority = None
    if actor.can(Permission.PLAN_VIEW) and desa.lat is not None:
        from app.core.clock import today_local
        from app.planning.priority import COMPONENT_LABELS
        from app.planning.services import current_weights
        from app.planning.translate import compute_for_regency

        weights = current_weights(desa.regency_id)
        result = compute_for_regency(desa.regency_id, weights.as_dict(), today_local()).get(desa.id)
        if result:
            from app.planning import desa_availability
            from app.planning.queries import desa_settings

            priority = {"result": result, "weights": weights, "labels": COMPONENT_LABELS,
                        "settings": desa_settings(desa.id), "availability": desa_availability.as_dict(desa)}
    figure = poverty.current_figure(desa.id)
    return render_template("regions/detail.html", desa=desa, village_map=maps.village_map(actor, desa),
                           visits=history, priority=priority, figure=figure,
                           provenance=poverty.desa_provenance(desa, figure))


@bp.route("/desa/impor", methods=["GET", "POST"], endpoint="import_villages")
@require(Permission.VILLAGE_IMPORT)
def import_villages():
    """Upload page: all-or-nothing import with a row-by-row error report."""
    actor = current_actor()
    form = ImportForm()
    result = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        name, regency = upload.filename or "berkas", queries.regency_of(actor)
        if form.kind.data == "kecamatan":
            result = services.import_kecamatan_boundaries(regency, name, upload.read(), actor)
            done = _("Batas %(n)s kecamatan berhasil disimpan dari %(file)s.", n=len(result.boundaries), file=name)
        else:
            result = services.import_locations(regency, name, upload.read(), actor, source=form.source.data or None)
            done = _("%(n)s desa berhasil diperbarui dari %(file)s.", n=len(result.rows), file=name)
        if result.ok:
            flash(done, "success")
            return redirect(url_for("regions.import_villages"))  # no re-upload on refresh
        else:
            message = _("Berkas tidak diimpor: ditemukan %(n)s kesalahan. Tidak ada data yang diubah.",
                        n=len(result.errors))
            flash(message, "error")
            status = 422
    elif request.method == "POST":
        status = 422
    return render_template("regions/import.html", form=form, result=result), status


@bp.route("/desa/kemiskinan", methods=["GET", "POST"], endpoint="import_poverty")
@require(Permission.VILLAGE_IMPORT)
def import_poverty():
    """Household counts by welfare decile (DTSEN/P3KE): all or nothing, with a row-by-row report and history."""
    actor, form, result = current_actor(), PovertyImportForm(), None
    if form.validate_on_submit():
        try:
            result = services.import_poverty(actor, form.file.data.filename or "berkas", form.file.data.read(),
                                             source=form.source.data, as_of=form.as_of.data)
        except FieldErrors as err:
            for name, message in err.errors.items():
                getattr(form, name).errors.append(message)
        else:
            if result.ok:
                flash(_("Data kemiskinan %(n)s desa berhasil diimpor.", n=len(result.rows)), "success")
                if result.missing:
                    flash(_("%(n)s desa tidak ada dalam berkas; angka kemiskinannya tetap dari sumber sebelumnya.",
                            n=len(result.missing)), "warning")
                return redirect(url_for("regions.import_poverty"))  # no re-upload on refresh
            flash(_("Berkas tidak diimpor: ditemukan %(n)s kesalahan. Tidak ada data yang diubah.",
                    n=len(result.errors)), "error")
    status = 422 if request.method == "POST" else 200
    return render_template("regions/poverty.html", form=form, result=result,
                           history=poverty.import_history(actor.regency_id)), status


@bp.get("/desa/kemiskinan/templat.<fmt>", endpoint="poverty_template")
@require(Permission.VILLAGE_IMPORT)
def poverty_template(fmt: str):
    """The blank template with every desa of the regency, as CSV or XLSX."""
    regency_id = current_actor().regency_id
    if fmt == "csv":
        return send_file(io.BytesIO(poverty.template_csv(regency_id)), mimetype="text/csv",
                         as_attachment=True, download_name="templat-data-kemiskinan.csv")
    if fmt == "xlsx":
        return send_file(io.BytesIO(poverty.template_xlsx(regency_id)), as_attachment=True,
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         download_name="templat-data-kemiskinan.xlsx")
    abort(404)
