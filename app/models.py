"""Model registry: importing this module registers every table (for Alembic and test set-up)."""

from app.aspirations.models import (
    Aspiration,
    AspirationCategory,
    AspirationEvent,
    AspirationService,
    AspirationSupport,
    Attachment,
    DeadlineRule,
    RegencyDayOff,
)
from app.auth.models import ApiToken, LoginAttempt, User
from app.core.audit import AuditLog
from app.regions.models import Desa, Kecamatan, Place, Regency

__all__ = [
    "ApiToken",
    "Aspiration",
    "AspirationCategory",
    "AspirationEvent",
    "AspirationService",
    "AspirationSupport",
    "Attachment",
    "AuditLog",
    "DeadlineRule",
    "Desa",
    "Kecamatan",
    "LoginAttempt",
    "Place",
    "Regency",
    "RegencyDayOff",
    "User",
]
