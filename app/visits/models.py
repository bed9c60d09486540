"""Scheduled visits: what a published plan announces (the visits issue adds delivery records to them)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.core.db import StoredFileMixin
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
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # check-in
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # check-out
    officials: Mapped[str | None] = mapped_column(Text)  # officials present
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    desa = relationship("Desa")
    agenda = relationship("VisitAgendaItem", cascade="all, delete-orphan", order_by="VisitAgendaItem.id")
    counts = relationship("VisitServiceCount", cascade="all, delete-orphan", order_by="VisitServiceCount.service_code")
    commitments = relationship("Commitment", cascade="all, delete-orphan", order_by="Commitment.id",
                               back_populates="visit")
    photos = relationship("VisitPhoto", cascade="all, delete-orphan", order_by="VisitPhoto.id")

    @property
    def ad_hoc(self) -> bool:
        return self.plan_id is None

    @property
    def closed(self) -> bool:
        return self.status in ("selesai", "dibatalkan")


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


class ServiceType(db.Model):
    """The configurable service catalogue; codes are stable (the API uses them)."""

    __tablename__ = "service_type"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    sector: Mapped[str] = mapped_column(String(30))
    group_name: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VisitServiceCount(db.Model):
    """How many times a service was delivered at a visit; incremented atomically in SQL."""

    __tablename__ = "visit_service_count"
    __table_args__ = (UniqueConstraint("visit_id", "service_code"),
                      CheckConstraint("count >= 0", name="count_non_negative"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    service_code: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)


class ServiceRecord(db.Model):
    """One service for one resident, by NIK: encrypted, with a keyed index for look-up and de-duplication."""

    __tablename__ = "service_record"
    __table_args__ = (UniqueConstraint("visit_id", "service_code", "nik_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    service_code: Mapped[str] = mapped_column(String(40))
    nik_encrypted: Mapped[str] = mapped_column(String(200))
    nik_index: Mapped[str] = mapped_column(String(64), index=True)
    nik_masked: Mapped[str] = mapped_column(String(16))
    from_other_regency: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


BUDGET_SOURCES = ("APBD", "P-APBD", "Dana Desa", "APBN", "CSR", "Lainnya")
COMMITMENT_STATUSES = ("terbuka", "selesai", "dibatalkan")


class Commitment(db.Model):
    """A promise made at a visit (e.g. the bupati commits a road repair), owned by an OPD with a deadline."""

    __tablename__ = "commitment"
    __table_args__ = (CheckConstraint("status IN ('terbuka', 'selesai', 'dibatalkan')", name="status_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    aspiration_id: Mapped[int | None] = mapped_column(ForeignKey("aspiration.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text)
    owner_sector: Mapped[str] = mapped_column(String(30), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    budget_source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="terbuka")
    evidence: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    visit = relationship("Visit", back_populates="commitments")
    aspiration = relationship("Aspiration")


class VisitPhoto(StoredFileMixin, db.Model):
    """Photo evidence, stored like aspiration attachments (checked content, EXIF/GPS stripped)."""

    __tablename__ = "visit_photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
