"""Views: the notification list (mark one or all read) and the delivery preferences."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.core.errors import FieldErrors
from app.core.permissions import Permission
from app.core.security import current_actor, require
from app.notifications import bp, services
from app.notifications.forms import PreferenceForm


@bp.app_context_processor
def _bell() -> dict:
    """`unread_notifications()` for the bell in the navigation (counted only when a page shows the bell)."""

    def unread_notifications() -> int:
        actor = getattr(g, "actor", None)
        if actor is None:
            return 0
        if "unread_notifications" not in g:
            try:
                g.unread_notifications = services.unread_count(actor)
            except SQLAlchemyError:  # an error page after a database failure still renders
                g.unread_notifications = 0
        return g.unread_notifications

    return {"unread_notifications": unread_notifications}


def _safe_local(url: str | None) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//") and "\\" not in url


@bp.get("", endpoint="list_notifications")
@require(Permission.NOTIFICATIONS_SELF)
def list_notifications():
    """The actor's notifications, newest first."""
    actor = current_actor()
    return render_template("notifications/list.html", notifications=services.list_notifications(actor),
                           unread=services.unread_count(actor))


@bp.post("/<int:notification_id>/baca", endpoint="mark_read")
@require(Permission.NOTIFICATIONS_SELF)
def mark_read(notification_id: int):
    """Mark one notification read; with `buka=1`, continue to the page it points to."""
    row = services.mark_read(current_actor(), notification_id)
    if request.form.get("buka") and _safe_local(row.url):
        return redirect(row.url)
    return redirect(url_for("notifications.list_notifications"))


@bp.post("/baca-semua", endpoint="mark_all_read")
@require(Permission.NOTIFICATIONS_SELF)
def mark_all_read():
    """Mark every notification of the actor read."""
    count = services.mark_all_read(current_actor())
    flash(_("%(n)s notifikasi ditandai sudah dibaca.", n=count), "success")
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/preferensi", methods=["GET", "POST"], endpoint="preferences")
@require(Permission.NOTIFICATIONS_SELF)
def preferences():
    """Channels (e-mail, WhatsApp) and quiet hours; in-app notifications are always on."""
    actor = current_actor()
    current = services.preferences_for(actor)
    form = PreferenceForm(data={"email": current.email, "whatsapp": current.whatsapp,
                                "quiet_start": services.format_clock(current.quiet_start_min),
                                "quiet_end": services.format_clock(current.quiet_end_min)})
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.save_preferences(actor, email=form.email.data, whatsapp=form.whatsapp.data,
                                      quiet_start=form.quiet_start.data or "", quiet_end=form.quiet_end.data or "")
        except FieldErrors as err:
            for name, message in err.errors.items():
                target = form._fields.get(name)
                if target is None:
                    flash(message, "error")
                else:
                    target.errors = [*target.errors, message]
        else:
            flash(_("Preferensi notifikasi disimpan."), "success")
            return redirect(url_for("notifications.preferences"))
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/preferences.html", form=form, actor_email=actor.email,
                           actor_phone=actor.phone), status
