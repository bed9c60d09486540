"""Views: user list, create and edit; the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin import bp, services
from app.admin.forms import UserForm
from app.auth.models import User
from app.core.audit import AuditLog
from app.core.errors import DomainError
from app.core.permissions import ROLE_LABELS, Permission
from app.core.security import current_actor, require
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
