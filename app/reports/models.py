"""The report archive: every generated PDF with its inputs' hash and its own SHA-256."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db


class ReportArchive(db.Model):
    """One generated report; regenerating over unchanged data finds this row again (same input hash)."""

    __tablename__ = "report_archive"
    __table_args__ = (CheckConstraint("kind IN ('visit', 'dprd')", name="kind_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    document_number: Mapped[str] = mapped_column(String(80))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    scope: Mapped[list | None] = mapped_column(JSON)  # kecamatan codes, or null for the whole regency
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"), index=True)
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"), index=True)
    input_hash: Mapped[str] = mapped_column(String(64), index=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author = relationship("User")
