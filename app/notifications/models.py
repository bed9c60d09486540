"""In-app notifications, the delivery outbox and per-user channel preferences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db

OUTBOX_CHANNELS = ("email", "whatsapp")
OUTBOX_STATUSES = ("pending", "sent", "dead")
DEFAULT_QUIET_START_MIN = 21 * 60  # 21:00 WIB
DEFAULT_QUIET_END_MIN = 6 * 60  # 06:00 WIB


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Notification(db.Model):
    """One in-app notification (the bell); `key` makes a retried job's second call a no-op."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user = relationship("User")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxMessage(db.Model):
    """One message to deliver over e-mail or WhatsApp; `idempotency_key` is unique, so nothing is sent twice."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(f"channel IN ({_in(OUTBOX_CHANNELS)})", name="channel_known"),
        CheckConstraint(f"status IN ({_in(OUTBOX_STATUSES)})", name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    template: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(220), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user = relationship("User")


class NotificationPreference(db.Model):
    """A user's delivery channels and quiet hours (WIB minutes since midnight); in-app is always on."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        CheckConstraint("quiet_start_min >= 0 AND quiet_start_min < 1440", name="quiet_start_in_day"),
        CheckConstraint("quiet_end_min >= 0 AND quiet_end_min < 1440", name="quiet_end_in_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    whatsapp: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_start_min: Mapped[int] = mapped_column(Integer, default=DEFAULT_QUIET_START_MIN)
    quiet_end_min: Mapped[int] = mapped_column(Integer, default=DEFAULT_QUIET_END_MIN)

    user = relationship("User")
