"""Model registry: importing this module registers every table (for Alembic and test set-up)."""

from app.auth.models import ApiToken, LoginAttempt, User
from app.core.audit import AuditLog
from app.regions.models import Desa, Kecamatan, Place, Regency

__all__ = ["ApiToken", "AuditLog", "Desa", "Kecamatan", "LoginAttempt", "Place", "Regency", "User"]
