"""Views of the planning blueprint."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.core.clock import today_local
from app.core.errors import DomainError, FieldErrors
from app.core.permissions import Permission
from app.core.security import current_actor, require
from app.planning import (
    bp,
    calendar,
    day_settings,
    desa_availability,
    edits,
    explain,
    ics,
    itinerary,
    plan_maps,
    queries,
    services,
    travel_import,
    travel_learning,
)
from app.planning.forms import AddVisitForm, BlockedDateForm, MoveForm, PlanForm, WeightsForm
from app.planning.models import MODE_LABELS, PLAN_STATUS_LABELS
from app.planning.priority import COMPONENT_LABELS


def _plan_form(actor) -> PlanForm:
    form = PlanForm()
    places = queries.places(actor)
    form.start_place.choices = [(p.id, p.name) for p in places]
    form.lodging_place.choices = [(0, "— tanpa menginap —")] + [(p.id, p.name) for p in places if p.kind == "lodging"]
    villages = [SelectChoice(code, label) for code, label in queries.village_choices(actor)]
    form.must_visit.choices = form.exclude.choices = villages
    if request.method == "GET":
        form.keep_published.data = True
    return form


def _unknown_years_ahead(actor) -> list[int]:
    """Years a new plan could reach (today up to the longest horizon) whose national holidays are unknown."""
    today = today_local()
    return calendar.unknown_holiday_years(actor.regency_id, today, today + timedelta(days=calendar.MAX_HORIZON_DAYS))


def _status_payload(plan) -> dict:
    return {"id": plan.id, "status": plan.status, "status_label": PLAN_STATUS_LABELS[plan.status],
            "progress": plan.progress, "message": plan.message}


@bp.get("", endpoint="list_plans")
@require(Permission.PLAN_VIEW)
def list_plans():
    """Plans of the regency and the form for a new one."""
    actor = current_actor()
    return render_template("planning/list.html", plans=queries.list_plans(actor), form=_plan_form(actor),
                           status_labels=PLAN_STATUS_LABELS, unknown_holiday_years=_unknown_years_ahead(actor))


@bp.post("", endpoint="create_plan")
@require(Permission.PLAN_EDIT)
def create_plan():
    """Queue a plan run and start its worker; the page then shows progress."""
    actor = current_actor()
    form = _plan_form(actor)
    if form.validate_on_submit():
        try:
            plan = services.create_plan(actor, services.PlanInput(
                start=form.start.data, end=form.end.data, mode=form.mode.data, start_place_id=form.start_place.data,
                time_limit_s=form.time_limit_s.data, name=form.name.data,
                lodging_place_id=form.lodging_place.data or None, lodging_first=form.lodging_first.data,
                lodging_last=form.lodging_last.data, weekdays=tuple(form.weekdays.data) or None,
                must_visit=tuple(form.must_visit.data or ()), exclude=tuple(form.exclude.data or ()),
                keep_published=bool(form.keep_published.data)))
        except FieldErrors as err:
            for name, message in err.errors.items():
                field = {"start_place_id": "start_place", "lodging_place_id": "lodging_place"}.get(name, name)
                getattr(form, field, form.start).errors.append(message)
        else:
            services.launch(plan)
            flash(_("Rencana sedang disusun."), "success")
            return redirect(url_for("planning.show_plan", plan_id=plan.id))
    return render_template("planning/list.html", plans=queries.list_plans(actor), form=form,
                           status_labels=PLAN_STATUS_LABELS, unknown_holiday_years=_unknown_years_ahead(actor)), 422


@bp.get("/<int:plan_id>", endpoint="show_plan")
@require(Permission.PLAN_VIEW)
def show_plan(plan_id: int):
    """Progress while running; calendar, itineraries, map, leftovers and changes when done.

    :raise 404: unknown or another regency's plan.
    """
    actor = current_actor()
    plan = queries.get_plan_for_page(actor, plan_id)
    context = {"plan": plan, "modes": MODE_LABELS, "status_labels": PLAN_STATUS_LABELS, "hhmm": queries.hhmm,
               "unknown_holiday_years": calendar.unknown_holiday_years(plan.regency_id, plan.start_date,
                                                                       plan.end_date)}
    if plan.status == "done":
        week = plan_maps.pick_week(plan, request.args.get("peta"))
        context.update(months=queries.month_grid(plan), weeks=plan_maps.weeks(plan), map_week=week,
                       map_svg=plan_maps.route_map(plan, week.days if week else (), title=_(
                           "Peta rute minggu %(span)s", span=plan_maps.span_label(week))) if week else "",
                       lines=itinerary.plan_lines(plan), today=today_local(),
                       changes=services.publish_preview(plan), move_form=MoveForm(), add_form=AddVisitForm(),
                       priorities={p.desa_id: p for p in plan.priorities}, component_labels=COMPONENT_LABELS,
                       visit_count=sum(len(d.visits) for d in plan.days), day_label=edits.day_label,
                       short_day=plan_maps.short_day, span_label=plan_maps.span_label,
                       leftovers=queries.leftovers(plan), leftover_message=explain.leftover_message,
                       ranks=queries.priority_ranks(plan), left_by_desa={u.desa_id: u for u in plan.unvisited},
                       summary=queries.plan_summary(plan),
                       visit_why=explain.visit_why, must_visit=set((plan.options or {}).get("must_visit") or []))
    return render_template("planning/show.html", **context)


@bp.get("/<int:plan_id>/status.json", endpoint="plan_status")
@require(Permission.PLAN_VIEW)
def plan_status(plan_id: int):
    """Progress for the polling progress bar."""
    return jsonify(_status_payload(queries.get_plan(current_actor(), plan_id)))


@bp.post("/<int:plan_id>/batal", endpoint="cancel_plan")
@require(Permission.PLAN_EDIT)
def cancel_plan(plan_id: int):
    """Cancel a queued or running plan."""
    actor = current_actor()
    try:
        services.cancel_plan(actor, queries.get_plan(actor, plan_id))
        flash(_("Pembatalan diminta."), "info")
    except DomainError as err:
        flash(err.message, "error")
    return redirect(url_for("planning.show_plan", plan_id=plan_id))


@bp.post("/<int:plan_id>/optimasi-ulang", endpoint="reoptimise_plan")
@require(Permission.PLAN_EDIT)
def reoptimise_plan(plan_id: int):
    """Re-optimise around the locked visits: a new run that keeps them."""
    actor = current_actor()
    try:
        plan = services.reoptimise(actor, queries.get_plan(actor, plan_id))
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("planning.show_plan", plan_id=plan_id))
    services.launch(plan)
    flash(_("Optimasi ulang berjalan; kunjungan yang dikunci tetap di harinya."), "success")
    return redirect(url_for("planning.show_plan", plan_id=plan.id))


@bp.get("/<int:plan_id>/hari/<day>", endpoint="show_day")
@require(Permission.PLAN_VIEW)
def show_day(plan_id: int, day: str):
    """One day's itinerary with travel legs and its map."""
    plan = queries.get_plan(current_actor(), plan_id)
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        abort(404)
    plan_day = next((d for d in plan.days if d.day == wanted), None)
    if plan_day is None:
        abort(404)
    return render_template("planning/day.html", plan=plan, day=plan_day, hhmm=queries.hhmm,
                           lines=itinerary.day_lines(plan, plan_day),
                           map_svg=plan_maps.route_map(plan, [plan_day], title=_(
                               "Peta rute %(day)s", day=edits.day_label(plan_day.day))),
                           day_label=edits.day_label, week=plan_maps.week_of(plan_day.day))


_WHERE = re.compile(r"^(hari-\d{4}-\d{2}-\d{2}|tidak-dikunjungi)$")


def _back(plan_id: int, where: str) -> str:
    """The plan page opened at the section where the planner clicked, with that day's week on the map."""
    args = {}
    if where.startswith("hari-"):
        args["peta"] = plan_maps.week_of(date.fromisoformat(where.removeprefix("hari-"))).isoformat()
    return url_for("planning.show_plan", plan_id=plan_id, **args) + f"#{where or 'jadwal'}"


def _edit(plan_id: int, action) -> Response:
    """Run an edit; its confirmation or refusal is shown where the planner clicked (the day's section, or the
    list of desa left out), and the page opens there."""
    actor = current_actor()
    plan = queries.get_plan(actor, plan_id)
    where = request.form.get("where", "")
    where = where if _WHERE.match(where) else ""
    try:
        message = action(actor, plan)
    except DomainError as err:
        flash(err.message, f"edit-error:{where}" if where else "error")
    else:
        flash(message if isinstance(message, str) else _("Rencana diperbarui."),
              f"edit-success:{where}" if where else "success")
    target = request.form.get("next", "")
    if target.startswith(f"/rencana/{plan_id}"):
        return redirect(target)
    return redirect(_back(plan_id, where))


def _change(plan_id: int, edit: edits.Edit) -> Response | str:
    """Move, remove or add. On a published plan the planner first sees what changes for which desa and saves
    with a second click; unpublished plans change at once."""
    actor = current_actor()
    plan = queries.get_plan(actor, plan_id)
    if plan.published_at is None or request.form.get("confirm") == "1":
        def run(actor, plan) -> str | None:
            result = edits.apply_edit(actor, plan, edit)
            return edit_summary(result) if result.published else None
        return _edit(plan_id, run)
    where = request.form.get("where", "")
    where = where if _WHERE.match(where) else ""
    try:
        preview = edits.preview_edit(actor, plan, edit)
    except DomainError as err:
        flash(err.message, f"edit-error:{where}" if where else "error")
        return redirect(_back(plan_id, where))
    return render_template("planning/edit_preview.html", plan=plan, preview=preview, form=request.form,
                           day_label=edits.day_label, hhmm=queries.hhmm, back=_back(plan_id, where))


def edit_summary(preview: edits.EditPreview) -> str:
    """One sentence for the flash after a published plan's edit."""
    return _("Rencana diperbarui dan jadwal yang diumumkan ikut berubah untuk %(n)s desa; kepala desanya melihat "
             "tanggal dan jam yang baru.", n=len(preview.changes))


@bp.post("/<int:plan_id>/kunjungan/<int:visit_id>/kunci", endpoint="lock_visit")
@require(Permission.PLAN_EDIT)
def lock_visit(plan_id: int, visit_id: int):
    """Lock or unlock a visit."""
    locked = request.form.get("locked") == "1"
    return _edit(plan_id, lambda actor, plan: edits.set_lock(actor, plan, visit_id, locked))


@bp.post("/<int:plan_id>/kunjungan/<int:visit_id>/pindah", endpoint="move_visit")
@require(Permission.PLAN_EDIT)
def move_visit(plan_id: int, visit_id: int):
    """Move a visit to another day (checked at once)."""
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Pilih tanggal tujuan."), "error")
        return redirect(url_for("planning.show_plan", plan_id=plan_id))
    return _change(plan_id, edits.Edit("move", visit_id=visit_id, day=form.day.data))


@bp.post("/<int:plan_id>/kunjungan/<int:visit_id>/hapus", endpoint="remove_visit")
@require(Permission.PLAN_EDIT)
def remove_visit(plan_id: int, visit_id: int):
    """Remove a visit from the plan."""
    return _change(plan_id, edits.Edit("remove", visit_id=visit_id))


@bp.post("/<int:plan_id>/tambah", endpoint="add_visit")
@require(Permission.PLAN_EDIT)
def add_visit(plan_id: int):
    """Add a desa to a day (checked at once)."""
    form = AddVisitForm()
    if not form.validate_on_submit():
        flash(_("Pilih desa dan tanggal."), "error")
        return redirect(url_for("planning.show_plan", plan_id=plan_id))
    return _change(plan_id, edits.Edit("add", desa_code=form.desa_code.data.strip(), day=form.day.data))


@bp.route("/<int:plan_id>/terbitkan", methods=["GET", "POST"], endpoint="publish_plan")
@require(Permission.PLAN_EDIT)
def publish_plan(plan_id: int):
    """Show what publishing changes (affected desa first), then publish on confirmation."""
    actor = current_actor()
    plan = queries.get_plan(actor, plan_id)
    try:
        if request.method == "POST":
            if request.form.get("confirm") != "1":
                raise DomainError("Centang konfirmasi untuk menerbitkan.")
            preview = services.publish(actor, plan)
            flash(_("Rencana diterbitkan: %(n)s kunjungan baru, %(m)s dipindah, %(c)s dibatalkan.",
                    n=len(preview.new), m=len(preview.moved), c=len(preview.cancelled)), "success")
            return redirect(url_for("planning.show_plan", plan_id=plan.id))
        preview = services.publish_preview(plan)
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("planning.show_plan", plan_id=plan.id))
    return render_template("planning/publish.html", plan=plan, preview=preview)


@bp.route("/pengaturan", methods=["GET", "POST"], endpoint="planning_settings")
@require(Permission.PLAN_EDIT)
def planning_settings():
    """Priority weights (versioned) and blocked dates."""
    actor = current_actor()
    weights = services.current_weights(actor.regency_id)
    weights_form = WeightsForm(data=weights.as_dict()) if request.method == "GET" else WeightsForm()
    blocked_form = BlockedDateForm(prefix="blokir")
    day_errors: dict[str, str] = {}
    day = day_settings.as_dict(calendar.settings_for(actor.regency_id))
    if request.method == "POST" and request.form.get("action") == "day":
        changes = _day_settings_from_form(request.form)
        try:
            row = day_settings.update(actor, changes)
        except FieldErrors as err:
            day_errors = err.errors
            day = {**day, **_shown(changes)}
        else:
            flash(_("Pengaturan hari kerja versi %(v)s disimpan.", v=row.version), "success")
            return redirect(url_for("planning.planning_settings") + "#hari-kerja")
    elif request.method == "POST":
        try:
            if request.form.get("action") == "weights" and weights_form.validate():
                row = services.save_weights(actor, {k: weights_form[k].data for k in weights.as_dict()})
                flash(_("Bobot versi %(v)s disimpan.", v=row.version), "success")
                return redirect(url_for("planning.planning_settings"))
            if request.form.get("action") == "block" and blocked_form.validate():
                services.add_blocked_date(actor, blocked_form.day.data, blocked_form.reason.data)
                flash(_("Tanggal diblokir."), "success")
                return redirect(url_for("planning.planning_settings"))
            if request.form.get("action") == "unblock":
                services.remove_blocked_date(actor, int(request.form.get("blocked_id", "0") or 0))
                flash(_("Blokir tanggal dihapus."), "success")
                return redirect(url_for("planning.planning_settings"))
        except FieldErrors as err:
            for name, message in err.errors.items():
                getattr(blocked_form, name, blocked_form.day).errors.append(message)
        except DomainError as err:
            flash(err.message, "error")
    status = 422 if request.method == "POST" else 200
    return render_template("planning/settings.html", weights=weights, weights_form=weights_form,
                           blocked_form=blocked_form, blocked=queries.blocked_dates(actor),
                           labels=COMPONENT_LABELS, places=queries.places(actor), day=day,
                           day_errors=day_errors, travel_pairs=travel_import.stored_count(actor.regency_id),
                           speed_fits=travel_learning.fit_speeds(actor.regency_id),
                           osrm_url=current_app.config.get("OSRM_URL")), status


@bp.post("/pengaturan/waktu-tempuh", endpoint="import_travel_times")
@require(Permission.PLAN_EDIT)
def import_travel_times():
    """Measured travel times between desa (CSV/XLSX): all or nothing, errors by line."""
    actor = current_actor()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Pilih berkas CSV atau XLSX."), "error")
        return redirect(url_for("planning.planning_settings") + "#waktu-tempuh")
    result = travel_import.import_travel_times(actor, upload.filename, upload.read())
    if result.ok:
        flash(_("%(n)s waktu tempuh terukur disimpan; rencana berikutnya memakainya.", n=result.saved), "success")
        return redirect(url_for("planning.planning_settings") + "#waktu-tempuh")
    return render_template("planning/travel_import_errors.html", errors=result.errors,
                           filename=upload.filename), 422


@bp.post("/pengaturan/kecepatan", endpoint="apply_speeds")
@require(Permission.PLAN_EDIT)
def apply_speeds():
    """Use the road speeds learnt from held visits for the straight-line model (one click)."""
    changed = travel_learning.apply_speeds(current_actor())
    if changed:
        flash(_("Kecepatan tempuh %(n)s kecamatan diterapkan; rencana berikutnya memakainya.", n=changed), "success")
    else:
        flash(_("Belum ada kecamatan dengan cukup perjalanan terukur (paling sedikit 3)."), "info")
    return redirect(url_for("planning.planning_settings") + "#waktu-tempuh")


def _day_settings_from_form(form) -> dict:
    """The settings form as the API's JSON (empty break fields = no break; numbers stay text when not numbers,
    so the service reports them)."""
    def number(name: str):
        raw = (form.get(name) or "").strip()
        return int(raw) if raw.lstrip("-").isdigit() else raw

    def interval(prefix: str, minutes: bool = False):
        keys = [f"{prefix}_start", f"{prefix}_end"] + ([f"{prefix}_minutes"] if minutes else [])
        if not any((form.get(k) or "").strip() for k in keys):
            return None
        out = {"start": (form.get(f"{prefix}_start") or "").strip(), "end": (form.get(f"{prefix}_end") or "").strip()}
        if minutes:
            out["minutes"] = number(f"{prefix}_minutes")
        return out

    return {
        "day_start": (form.get("day_start") or "").strip(), "day_end": (form.get("day_end") or "").strip(),
        "friday_break": interval("friday"), "lunch_break": interval("lunch", minutes=True),
        "modes": {"kunjungan": {"visit_min": number("kunjungan_visit_min"),
                                "max_visits": number("kunjungan_max_visits")},
                  "berkantor": {"visit_min": number("berkantor_visit_min")}},
        "weekdays": [int(x) for x in form.getlist("weekdays") if x.isdigit()],
        "mandatory_after_months": number("mandatory_after_months"),
    }


def _shown(changes: dict) -> dict:
    """What the planner typed, to show again next to the messages (nothing is lost on a refused save)."""
    shown = dict(changes)
    modes = changes.get("modes") or {}
    shown["modes"] = {m: {"visit_min": (modes.get(m) or {}).get("visit_min", ""),
                          "max_visits": (modes.get(m) or {}).get("max_visits", "")} for m in ("kunjungan", "berkantor")}
    return shown


@bp.route("/kalender", methods=["GET", "POST"], endpoint="calendar_feed_page")
@require(Permission.ACCOUNT_SELF)
def calendar_feed_page():
    """Create or revoke the secret address of one's own visit calendar."""
    actor = current_actor()
    feed_url = None
    if request.method == "POST":
        if request.form.get("action") == "revoke":
            ics.revoke_calendar_tokens(actor)
            flash(_("Alamat kalender lama tidak berlaku lagi."), "success")
            return redirect(url_for("planning.calendar_feed_page"))
        token = ics.issue_calendar_token(actor)
        feed_url = url_for("planning.calendar_feed", token=token, _external=True)
    return render_template("planning/calendar.html", feed_url=feed_url, has_token=ics.has_live_token(actor))


@bp.get("/kalender/<token>.ics", endpoint="calendar_feed")
def calendar_feed(token: str):
    """The iCalendar feed: public URL, authenticated by its secret token (404 when unknown or revoked)."""
    user = ics.user_for_calendar_token(token)
    if user is None:
        abort(404)
    body = ics.build_calendar(ics.visits_for(user), name=f"Bunga Desa — {user.full_name}", host=request.host)
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store",
                                                             "Content-Disposition": "inline; filename=bunga-desa.ics"})


@bp.post("/desa/<code>", endpoint="save_desa_planning")
@require(Permission.PLAN_EDIT)
def save_desa_planning(code: str):
    """Per-desa service time overrides, extra travel minutes and closed months (from the village page)."""
    from app.regions import queries as region_queries

    actor = current_actor()
    desa = region_queries.get_village(actor, code)

    def number(name: str) -> int | None:
        value = (request.form.get(name) or "").strip()
        return int(value) if value.lstrip("-").isdigit() else None

    try:
        months = [int(m) for m in request.form.getlist("closed_months") if m.isdigit()]
        services.save_desa_planning(actor, desa, berkantor_min=number("berkantor_min"),
                                    kunjungan_min=number("kunjungan_min"),
                                    extra_travel_min=number("extra_travel_min") or 0, closed_months=months)
        flash(_("Pengaturan perencanaan desa disimpan."), "success")
    except DomainError as err:
        flash(err.message, "error")
    return redirect(url_for("regions.show_village", code=desa.code) + "#perencanaan")


@bp.post("/desa/<code>/jendela", endpoint="save_desa_windows")
@require(Permission.PLAN_EDIT)
def save_desa_windows(code: str):
    """The weekdays and hours a desa can receive the bupati (dated windows stay as they are)."""
    from app.regions import queries as region_queries

    actor = current_actor()
    desa = region_queries.get_village(actor, code)
    dated = [w for w in desa_availability.as_dict(desa)["windows"] if "date" in w]
    weekly = [{"weekday": n, "start": (request.form.get(f"start_{n}") or "").strip(),
               "end": (request.form.get(f"end_{n}") or "").strip()} for n in range(1, 8)
              if (request.form.get(f"start_{n}") or "").strip() or (request.form.get(f"end_{n}") or "").strip()]
    try:
        desa_availability.update(actor, desa, {"windows": weekly + dated})
        flash(_("Jendela waktu desa disimpan."), "success")
    except FieldErrors as err:
        flash(_("Jendela waktu belum disimpan: %(why)s", why="; ".join(err.errors.values())), "error")
    return redirect(url_for("regions.show_village", code=desa.code) + "#jendela")


@bp.post("/tempat", endpoint="add_place")
@require(Permission.PLAN_EDIT)
def add_place():
    """A lodging place or another start/end point."""
    def coordinate(name: str) -> float | None:
        try:
            return float((request.form.get(name) or "").replace(",", "."))
        except ValueError:
            return None

    try:
        services.add_place(current_actor(), name=request.form.get("name", ""), kind=request.form.get("kind", ""),
                           lat=coordinate("lat"), lon=coordinate("lon"))
        flash(_("Tempat ditambahkan."), "success")
    except DomainError as err:
        flash(err.message, "error")
    return redirect(url_for("planning.planning_settings") + "#tempat")
