"""Users, API tokens and login attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.core.db import TimestampMixin
from app.core.permissions import Permission, Role, has_permission
from app.extensions import db

_ROLES = ", ".join(f"'{r.value}'" for r in Role)


class User(TimestampMixin, db.Model):
    """A person who signs in; role plus one scope column says what they may see."""

    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLES})", name="role_known"),
        CheckConstraint("role != 'kepala_desa' OR desa_id IS NOT NULL", name="kades_has_desa"),
        CheckConstraint("role != 'camat' OR kecamatan_id IS NOT NULL", name="camat_has_kecamatan"),
        CheckConstraint("role != 'opd' OR sector IS NOT NULL", name="opd_has_sector"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"), index=True)
    kecamatan_id: Mapped[int | None] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    sector: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on logout, password change and deactivation: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)

    regency = relationship("Regency")
    desa = relationship("Desa")
    kecamatan = relationship("Kecamatan")

    # Flask-Login protocol -------------------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    # Policy -------------------------------------------------------------------------------------------
    def can(self, permission: Permission) -> bool:
        """Role check only; scope filtering happens in the queries."""
        return self.is_active and has_permission(self.role, permission)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user = relationship("User")


class LoginAttempt(db.Model):
    """Failed sign-ins by client address, kept in the database so every worker sees the same count."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    ip: Mapped[str] = mapped_column(String(45), index=True)
    username: Mapped[str] = mapped_column(String(80))
