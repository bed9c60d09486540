"""Notifications: in-app messages (the bell), an e-mail/WhatsApp outbox with retries, and user preferences.

Other packages notify through `app.notifications.services.notify`; the scheduler delivers with `deliver_due`.
"""

from flask import Blueprint

bp = Blueprint("notifications", __name__, template_folder="templates")

from app.notifications import routes  # noqa: E402,F401
