"""Scheduled visits: what a published plan announces (the visits issue adds delivery records to them)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db

VISIT_STATUSES = ("dijadwalkan", "berlangsung", "selesai", "ditunda", "dibatalkan")
VISIT_STATUS_LABELS = {"dijadwalkan": "Dijadwalkan", "berlangsung": "Berlangsung", "selesai": "Selesai",
                       "ditunda": "Ditunda", "dibatalkan": "Dibatalkan"}


class Visit(db.Model):
    """A Bunga Desa day in one desa, announced to its kepala desa once published."""

    __tablename__ = "visit"
    __table_args__ = (
        CheckConstraint("status IN ('dijadwalkan', 'berlangsung', 'selesai', 'ditunda', 'dibatalkan')",
                        name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    planned_start_min: Mapped[int | None] = mapped_column(Integer)
    planned_end_min: Mapped[int | None] = mapped_column(Integer)
    mode: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="dijadwalkan")
    status_reason: Mapped[str | None] = mapped_column(Text)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    desa = relationship("Desa")
    agenda = relationship("VisitAgendaItem", cascade="all, delete-orphan", order_by="VisitAgendaItem.id")


class VisitAgendaItem(db.Model):
    """An open aspiration put on a visit's agenda (a marker, not an aspiration status)."""

    __tablename__ = "visit_agenda_item"
    __table_args__ = (UniqueConstraint("visit_id", "aspiration_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    aspiration_id: Mapped[int] = mapped_column(ForeignKey("aspiration.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    aspiration = relationship("Aspiration")
