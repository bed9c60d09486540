"""The job ledger (one row per job and scheduled time), the SQLite leader lease and the nightly priority snapshot."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

JOB_OUTCOMES = ("running", "ok", "failed", "skipped")


class JobRun(db.Model):
    """One run of a job for one scheduled time; the unique (job, scheduled_for) makes a run happen once."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "scheduled_for"),
                      CheckConstraint("outcome IN ('running', 'ok', 'failed', 'skipped')", name="outcome_known"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40), index=True)
    scheduled_for: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # UTC
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(10), default="running")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    detail: Mapped[str | None] = mapped_column(String(500))


class SchedulerLease(db.Model):
    """Leadership on SQLite (no advisory locks): the holder renews `expires_at`; others wait until it lapses."""

    __tablename__ = "scheduler_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PrioritySnapshot(db.Model):
    """The nightly desa priority (score and breakdown) of a regency, kept for a few days for planners."""

    __tablename__ = "priority_snapshot"
    __table_args__ = (UniqueConstraint("regency_id", "as_of", "desa_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id", ondelete="CASCADE"), index=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    components: Mapped[dict] = mapped_column(JSON)
