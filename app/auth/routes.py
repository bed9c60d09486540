"""Views for signing in and out, the own-account page and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.auth import bp, services
from app.auth.forms import LoginForm, PasswordForm
from app.core.errors import DomainError
from app.core.permissions import Permission
from app.core.security import current_actor, require, start_session


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("regions.dashboard")


@bp.route("/masuk", methods=["GET", "POST"], endpoint="login")
def login():
    """Sign-in page."""
    form = LoginForm()
    status = 200
    if request.args.get("expired"):
        flash(_("Sesi Anda berakhir karena tidak aktif. Silakan masuk lagi."), "info")
    if form.validate_on_submit():
        outcome = services.authenticate(form.username.data, form.password.data, request.remote_addr or "-")
        if outcome.user is not None:
            lang = session.get("lang")
            session.clear()  # a fresh session on authentication (no fixation)
            if lang:
                session["lang"] = lang  # the language chosen before signing in is kept
            login_user(outcome.user)
            start_session()
            return redirect(_safe_next(request.args.get("next")))
        flash(outcome.message, "error")
        status = outcome.status
    return render_template("auth/login.html", form=form), status


@bp.post("/keluar", endpoint="logout")
@require(Permission.ACCOUNT_SELF)
def logout():
    """Sign out everywhere: the session version is bumped."""
    services.end_session(current_actor())
    logout_user()
    session.clear()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun", methods=["GET", "POST"], endpoint="account")
@require(Permission.ACCOUNT_SELF)
def account():
    """Own profile and password change."""
    form = PasswordForm()
    user = current_actor()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current.data, form.new.data, actor=user)
        except DomainError as err:
            flash(err.message, "error")
        else:
            login_user(user)  # keep this session, with the new version
            flash(_("Kata sandi berhasil diganti. Sesi lain telah diakhiri."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, user=user)


@bp.get("/bahasa/<lang>", endpoint="set_language")
def set_language(lang: str):
    """Switch the interface language (id or en)."""
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(_safe_next(request.args.get("next")))
