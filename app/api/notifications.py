"""API for the caller's own notifications: the list with the unread count, and marking one read."""

from __future__ import annotations

from flask import jsonify, request

from app.api import bp
from app.core.clock import as_utc
from app.core.permissions import Permission
from app.core.security import current_actor, require
from app.notifications import services


def _notification(row) -> dict:
    return {"id": row.id, "kind": row.kind, "title": row.title, "body": row.body, "url": row.url,
            "created_at": as_utc(row.created_at).isoformat(), "read": row.read_at is not None}


@bp.get("/notifications", endpoint="list_notifications")
@require(Permission.NOTIFICATIONS_SELF)
def list_notifications():
    """The token user's notifications, newest first (`limit`, default 50, at most 200), and the unread count."""
    actor = current_actor()
    try:
        limit = min(max(int(request.args.get("limit", 50)), 1), 200)
    except ValueError:
        limit = 50
    rows = services.list_notifications(actor, limit=limit)
    return jsonify({"items": [_notification(r) for r in rows], "unread": services.unread_count(actor)})


@bp.post("/notifications/<int:notification_id>/read", endpoint="read_notification")
@require(Permission.NOTIFICATIONS_SELF)
def read_notification(notification_id: int):
    """Mark one of the token user's notifications read; another user's answers 404."""
    row = services.mark_read(current_actor(), notification_id)
    return jsonify(_notification(row))
