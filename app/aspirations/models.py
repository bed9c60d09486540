"""Aspirations (complaints, requests, service needs) with an SP4N-LAPOR!-compatible lifecycle."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
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
from app.core.db import StoredFileMixin, TimestampMixin
from app.core.errors import _N
from app.extensions import db

URGENCIES = ("rendah", "sedang", "tinggi", "darurat")
URGENCY_LABELS = {"rendah": "Rendah", "sedang": "Sedang", "tinggi": "Tinggi", "darurat": "Darurat"}
CHANNELS = ("portal", "on_site", "assisted", "import")
CHANNEL_LABELS = {"portal": "Portal kepala desa", "on_site": "Langsung saat kunjungan",
                  "assisted": "Dibantu petugas", "import": "Impor berkas"}
STATUSES = ("diajukan", "diverifikasi", "ditolak", "digabung", "didisposisikan", "ditindaklanjuti",
            "menunggu_verifikasi", "selesai")
STATUS_LABELS = {
    "diajukan": "Diajukan", "diverifikasi": "Diverifikasi", "ditolak": "Ditolak", "digabung": "Digabung",
    "didisposisikan": "Didisposisikan ke OPD", "ditindaklanjuti": "Ditindaklanjuti OPD",
    "menunggu_verifikasi": "Menunggu verifikasi penyelesaian", "selesai": "Selesai",
}
OPEN_STATUSES = ("diajukan", "diverifikasi", "didisposisikan", "ditindaklanjuti", "menunggu_verifikasi")
CLOSED_STATUSES = ("ditolak", "digabung", "selesai")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class AspirationCategory(db.Model):
    """A configurable category; its deadlines override the defaults when set."""

    __tablename__ = "aspiration_category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    sector: Mapped[str | None] = mapped_column(String(30))  # the OPD usually responsible (a suggestion)
    verify_days: Mapped[int | None] = mapped_column(Integer)
    followup_days: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DeadlineRule(db.Model):
    """Working-day deadlines for an urgency (optionally within one category); the most specific rule wins."""

    __tablename__ = "deadline_rule"
    __table_args__ = (UniqueConstraint("category_id", "urgency"),
                      CheckConstraint(f"urgency IN ({_in(URGENCIES)})", name="urgency_known"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("aspiration_category.id"))
    urgency: Mapped[str] = mapped_column(String(10))
    verify_days: Mapped[int] = mapped_column(Integer)
    followup_days: Mapped[int] = mapped_column(Integer)


# What kind of day off a row records. National holidays and cuti bersama come from lokal-id for the years it covers;
# for later years the office enters them here (kind "nasional" / "cuti_bersama") until the package is updated.
DAY_OFF_KINDS = ("daerah", "nasional", "cuti_bersama")
DAY_OFF_KIND_LABELS = {"daerah": _N("Libur daerah"), "nasional": _N("Libur nasional"),
                       "cuti_bersama": _N("Cuti bersama")}


class RegencyDayOff(db.Model):
    """A day off entered by the regency: its own (e.g. Hari Jadi Banyuwangi), or a national holiday / cuti bersama
    of a year lokal-id does not cover yet. Not a working day for deadlines, not a planning day."""

    __tablename__ = "regency_day_off"
    __table_args__ = (UniqueConstraint("regency_id", "day"),
                      CheckConstraint(f"kind IN ({_in(DAY_OFF_KINDS)})", name="kind_known"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="daerah", server_default="daerah")

    @property
    def kind_label(self) -> str:
        return DAY_OFF_KIND_LABELS.get(self.kind, self.kind)


class Aspiration(TimestampMixin, db.Model):
    """One aspiration. `reference` is public and unguessable; the numeric id stays internal."""

    __tablename__ = "aspiration"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(STATUSES)})", name="status_known"),
        CheckConstraint(f"urgency IN ({_in(URGENCIES)})", name="urgency_known"),
        CheckConstraint(f"channel IN ({_in(CHANNELS)})", name="channel_known"),
        CheckConstraint("affected IS NULL OR affected >= 0", name="affected_non_negative"),
        CheckConstraint("supporters >= 0", name="supporters_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(10))
    category_id: Mapped[int] = mapped_column(ForeignKey("aspiration_category.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(10))
    affected: Mapped[int | None] = mapped_column(Integer)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="diajukan", index=True)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_on: Mapped[date] = mapped_column(Date)  # local (WIB) date the deadlines count from
    due_on: Mapped[date | None] = mapped_column(Date, index=True)  # the current step's deadline
    opd_sector: Mapped[str | None] = mapped_column(String(30), index=True)
    dispatched_on: Mapped[date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("aspiration.id"))
    supporters: Mapped[int] = mapped_column(Integer, default=0)  # "saya juga"
    resolved_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    desa = relationship("Desa")
    category = relationship("AspirationCategory")
    submitted_by = relationship("User")
    merged_into = relationship("Aspiration", remote_side=[id])
    services = relationship("AspirationService", cascade="all, delete-orphan", order_by="AspirationService.id")
    events = relationship("AspirationEvent", cascade="all, delete-orphan", order_by="AspirationEvent.id")
    attachments = relationship("Attachment", cascade="all, delete-orphan", order_by="Attachment.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AspirationService(db.Model):
    """A requested service line (e.g. 40 × perekaman_ktp_el) that feeds visit preparation."""

    __tablename__ = "aspiration_service"
    __table_args__ = (UniqueConstraint("aspiration_id", "service_code"),
                      CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aspiration_id: Mapped[int] = mapped_column(ForeignKey("aspiration.id", ondelete="CASCADE"), index=True)
    service_code: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)


class AspirationEvent(db.Model):
    """History: every transition, comment, support and attachment, with actor and time."""

    __tablename__ = "aspiration_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aspiration_id: Mapped[int] = mapped_column(ForeignKey("aspiration.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # transition | comment | support | attachment | created
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)

    actor = relationship("User")


class AspirationSupport(db.Model):
    """One "saya juga" per user and aspiration."""

    __tablename__ = "aspiration_support"
    __table_args__ = (UniqueConstraint("aspiration_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aspiration_id: Mapped[int] = mapped_column(ForeignKey("aspiration.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Attachment(StoredFileMixin, db.Model):
    """A stored file (image or PDF) under a random name outside the static folder."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aspiration_id: Mapped[int] = mapped_column(ForeignKey("aspiration.id", ondelete="CASCADE"), index=True)
