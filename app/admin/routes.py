"""Views: user list, create and edit; the audit log; aspiration settings (categories, deadlines, days off)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.admin import bp, services, settings
from app.admin.forms import CategoryForm, DayOffForm, DeadlineRuleForm, UserForm
from app.auth.models import User
from app.core.audit import AuditLog
from app.core.errors import DomainError, FieldErrors
from app.core.permissions import ROLE_LABELS, Permission
from app.core.security import current_actor, require
from app.core.templating import fmt_date
from app.extensions import db


def _input(form: UserForm, username: str | None = None) -> services.UserInput:
    return services.UserInput(
        username=username or form.username.data or "", full_name=form.full_name.data or "", role=form.role.data,
        email=form.email.data, phone=form.phone.data, desa_code=form.desa_code.data,
        kecamatan_code=form.kecamatan_code.data, sector=form.sector.data or None, active=form.active.data,
        password=form.password.data or None,
    )


@bp.get("/pengguna", endpoint="list_users")
@require(Permission.USER_ADMIN)
def list_users():
    """All users of the regency."""
    role = request.args.get("peran") if request.args.get("peran") in {r.value for r in ROLE_LABELS} else None
    users = services.list_users(current_actor(), role=role, q=(request.args.get("q") or "")[:80] or None)
    return render_template("admin/users.html", users=users, role=role, q=request.args.get("q", ""))


@bp.route("/pengguna/baru", methods=["GET", "POST"], endpoint="create_user")
@require(Permission.USER_ADMIN)
def create_user():
    """New user."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(_input(form), current_actor())
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(_("Pengguna %(name)s dibuat.", name=user.username), "success")
            return redirect(url_for("admin.list_users"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"], endpoint="edit_user")
@require(Permission.USER_ADMIN)
def edit_user(user_id: int):
    """Edit a user.

    :raise 404: unknown user or another regency's.
    """
    user = services.get_user(current_actor(), user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.desa_code.data = user.desa.code if user.desa else ""
        form.kecamatan_code.data = user.kecamatan.code if user.kecamatan else ""
    if form.validate_on_submit():
        try:
            services.update_user(user, _input(form, username=user.username), current_actor())
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(_("Perubahan pada %(name)s disimpan.", name=user.username), "success")
            return redirect(url_for("admin.list_users"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.get("/audit", endpoint="list_audit")
@require(Permission.AUDIT_VIEW)
def list_audit():
    """The latest audit entries of the regency's users."""
    actor = current_actor()
    stmt = (select(AuditLog).outerjoin(User, AuditLog.actor_id == User.id)
            .where((User.regency_id == actor.regency_id) | AuditLog.actor_id.is_(None))
            .order_by(AuditLog.id.desc()).limit(200))
    return render_template("admin/audit.html", entries=list(db.session.scalars(stmt)))


@bp.get("/jobs", endpoint="list_jobs")
@require(Permission.JOBS_VIEW)
def list_jobs():
    """The background jobs and their latest runs (the ledger)."""
    from app.jobs.ledger import last_runs, recent
    from app.jobs.tasks import JOBS

    return render_template("admin/jobs.html", jobs=JOBS, last=last_runs(), runs=recent(100))


# --- aspiration settings ---------------------------------------------------------------------------------------------

SETTINGS_URL = "admin.aspiration_settings"


def _field_errors(form, err: FieldErrors) -> None:
    """Show a service's per-field messages next to the fields (a message without a field is flashed)."""
    for name, message in err.errors.items():
        target = form._fields.get(name)
        if target is None:
            flash(message, "error")
        else:
            target.errors = [*target.errors, message]


def _category_input(form: CategoryForm) -> settings.CategoryInput:
    return settings.CategoryInput(code=form.code.data or "", name=form.name.data or "", sector=form.sector.data or None,
                                  verify_days=form.verify_days.data, followup_days=form.followup_days.data,
                                  active=bool(form.active.data))


def _rule_form() -> DeadlineRuleForm:
    form = DeadlineRuleForm(prefix="aturan")
    form.category_id.choices = [SelectChoice("", _("Semua kategori")),
                                *(SelectChoice(str(c.id), c.name) for c in settings.list_categories())]
    return form


def _settings_page(*, category_form: CategoryForm | None = None, rule_form: DeadlineRuleForm | None = None,
                   day_off_form: DayOffForm | None = None, status: int = 200):
    upcoming, past = settings.days_off(current_actor())
    covered, uncovered = settings.holiday_coverage()
    categories = settings.list_categories()
    return render_template(
        "admin/aspiration_settings.html", categories=categories, names={c.id: c.name for c in categories},
        rules=settings.list_rules(), effective=settings.effective_days(), defaults=settings.defaults(),
        upcoming=upcoming, past=past, covered=covered, uncovered=uncovered,
        category_form=category_form or CategoryForm(prefix="kategori"), rule_form=rule_form or _rule_form(),
        day_off_form=day_off_form or DayOffForm(prefix="libur"),
    ), status


@bp.get("/pengaturan/aspirasi", endpoint="aspiration_settings")
@require(Permission.SETTINGS_ADMIN)
def aspiration_settings():
    """Categories, deadline rules and regency days off."""
    return _settings_page()


@bp.post("/pengaturan/aspirasi/kategori", endpoint="create_category")
@require(Permission.SETTINGS_ADMIN)
def create_category():
    """Add a category (errors re-show the page with the input kept)."""
    form = CategoryForm(prefix="kategori")
    if form.validate():
        try:
            category = settings.create_category(current_actor(), _category_input(form))
        except FieldErrors as err:
            _field_errors(form, err)
        else:
            flash(_("Kategori %(name)s ditambahkan.", name=category.name), "success")
            return redirect(url_for(SETTINGS_URL) + "#kategori")
    return _settings_page(category_form=form, status=422)


@bp.route("/pengaturan/aspirasi/kategori/<int:category_id>", methods=["GET", "POST"], endpoint="edit_category")
@require(Permission.SETTINGS_ADMIN)
def edit_category(category_id: int):
    """Edit name, sector, day overrides and active flag (categories are deactivated, never deleted).

    :raise 404: unknown category.
    """
    category = settings.get_category(category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            settings.update_category(current_actor(), category, _category_input(form))
        except FieldErrors as err:
            _field_errors(form, err)
        else:
            flash(_("Perubahan pada kategori %(name)s disimpan.", name=category.name), "success")
            return redirect(url_for(SETTINGS_URL) + "#kategori")
    status = 422 if request.method == "POST" else 200
    return render_template("admin/category_form.html", form=form, category=category), status


@bp.post("/pengaturan/aspirasi/aturan", endpoint="save_deadline_rule")
@require(Permission.SETTINGS_ADMIN)
def save_deadline_rule():
    """Set or replace the deadline rule of an urgency (for all categories or one)."""
    form = _rule_form()
    if form.validate():
        raw = form.category_id.data or ""
        try:
            settings.save_rule(current_actor(), int(raw) if raw.isdigit() else None, form.urgency.data,
                               form.verify_days.data, form.followup_days.data)
        except FieldErrors as err:
            _field_errors(form, err)
        else:
            flash(_("Aturan tenggat disimpan."), "success")
            return redirect(url_for(SETTINGS_URL) + "#aturan")
    return _settings_page(rule_form=form, status=422)


@bp.post("/pengaturan/aspirasi/aturan/<int:rule_id>/hapus", endpoint="delete_deadline_rule")
@require(Permission.SETTINGS_ADMIN)
def delete_deadline_rule(rule_id: int):
    """Remove a deadline rule.

    :raise 404: unknown rule.
    """
    settings.delete_rule(current_actor(), rule_id)
    flash(_("Aturan tenggat dihapus."), "success")
    return redirect(url_for(SETTINGS_URL) + "#aturan")


@bp.post("/pengaturan/aspirasi/libur", endpoint="add_day_off")
@require(Permission.SETTINGS_ADMIN)
def add_day_off():
    """Add a day off: regency, national or cuti bersama (a duplicate date is refused with a clear message)."""
    form = DayOffForm(prefix="libur")
    if form.validate():
        try:
            row = settings.add_day_off(current_actor(), form.day.data, form.reason.data or "", form.kind.data)
        except FieldErrors as err:
            _field_errors(form, err)
        else:
            flash(_("%(kind)s %(reason)s pada %(day)s ditambahkan.", kind=_(row.kind_label), reason=row.reason,
                    day=fmt_date(row.day)), "success")
            return redirect(url_for(SETTINGS_URL) + "#libur")
    return _settings_page(day_off_form=form, status=422)


@bp.post("/pengaturan/aspirasi/libur/<int:day_off_id>/hapus", endpoint="remove_day_off")
@require(Permission.SETTINGS_ADMIN)
def remove_day_off(day_off_id: int):
    """Remove a regency day off.

    :raise 404: unknown or another regency's.
    """
    row = settings.remove_day_off(current_actor(), day_off_id)
    flash(_("%(kind)s %(reason)s dihapus.", kind=_(row.kind_label), reason=row.reason), "success")
    return redirect(url_for(SETTINGS_URL) + "#libur")
