"""Planning: the working calendar, versioned priority weights, plan runs and their days, visits and leftovers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.extensions import db

MODES = ("berkantor", "kunjungan")
MODE_LABELS = {"berkantor": "Berkantor (4–6 jam di satu desa)", "kunjungan": "Kunjungan (1–2 jam per desa)"}
PLAN_STATUSES = ("queued", "running", "done", "failed", "cancelled")
PLAN_STATUS_LABELS = {"queued": "Menunggu", "running": "Berjalan", "done": "Selesai", "failed": "Gagal",
                      "cancelled": "Dibatalkan"}


class PlanningSettings(db.Model):
    """The regency's working calendar and visit modes (one row per regency; defaults when absent)."""

    __tablename__ = "planning_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), unique=True)
    working_weekdays: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4")  # Monday = 0
    day_start_min: Mapped[int] = mapped_column(Integer, default=7 * 60 + 30)
    day_end_min: Mapped[int] = mapped_column(Integer, default=16 * 60)
    friday_break_start_min: Mapped[int | None] = mapped_column(Integer, default=11 * 60 + 30)
    friday_break_end_min: Mapped[int | None] = mapped_column(Integer, default=13 * 60)
    berkantor_min: Mapped[int] = mapped_column(Integer, default=300)
    kunjungan_min: Mapped[int] = mapped_column(Integer, default=90)
    berkantor_max_visits: Mapped[int] = mapped_column(Integer, default=1)
    kunjungan_max_visits: Mapped[int] = mapped_column(Integer, default=4)
    mandatory_after_months: Mapped[int] = mapped_column(Integer, default=24)
    # A flexible lunch: `lunch_minutes` taken somewhere in [lunch_start_min, lunch_end_min] (None = no lunch break);
    # on Fridays the prayer break takes its place.
    lunch_start_min: Mapped[int | None] = mapped_column(Integer, default=None)
    lunch_end_min: Mapped[int | None] = mapped_column(Integer, default=None)
    lunch_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)  # +1 on every save (audited with before/after)


class PriorityWeights(db.Model):
    """A version of the priority weights; a plan keeps the version it used."""

    __tablename__ = "priority_weights"
    __table_args__ = (UniqueConstraint("regency_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    aspirations: Mapped[float] = mapped_column(Float, default=0.35)
    poverty: Mapped[float] = mapped_column(Float, default=0.30)
    since_visit: Mapped[float] = mapped_column(Float, default=0.15)
    services: Mapped[float] = mapped_column(Float, default=0.10)
    coverage: Mapped[float] = mapped_column(Float, default=0.10)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("aspirations", "poverty", "since_visit", "services", "coverage")}


class BlockedDate(db.Model):
    """A date the bupati is not available (another agenda): no visit is planned on it."""

    __tablename__ = "blocked_date"
    __table_args__ = (UniqueConstraint("regency_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))


class DesaPlanning(db.Model):
    """Per-desa planning overrides: service minutes per mode, extra travel minutes (river, 4×4 track)."""

    __tablename__ = "desa_planning"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id", ondelete="CASCADE"), unique=True)
    berkantor_min: Mapped[int | None] = mapped_column(Integer)
    kunjungan_min: Mapped[int | None] = mapped_column(Integer)
    extra_travel_min: Mapped[int] = mapped_column(Integer, default=0)
    closed_months: Mapped[str | None] = mapped_column(String(40))  # "1,2,12" (rainy season)


class DesaWindow(db.Model):
    """When a desa can receive the bupati: on a weekday (ISO 1 = Monday … 7 = Sunday) or on one date, between two
    times (its market day, the kepala desa's office hours). A desa with windows is planned only inside them."""

    __tablename__ = "desa_window"
    __table_args__ = (CheckConstraint("(weekday IS NULL) <> (day IS NULL)", name="weekday_or_day"),
                      CheckConstraint("end_min > start_min", name="ends_after_start"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[date | None] = mapped_column(Date)
    start_min: Mapped[int] = mapped_column(Integer)
    end_min: Mapped[int] = mapped_column(Integer)


class Plan(db.Model):
    """One plan run: its inputs (weights, data hash, seed), progress, and the result rows."""

    __tablename__ = "plan"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="status_known"),
        CheckConstraint("mode IN ('berkantor', 'kunjungan')", name="mode_known"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(10))
    start_place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    time_limit_s: Mapped[int] = mapped_column(Integer, default=30)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(Text)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    weights_id: Mapped[int] = mapped_column(ForeignKey("priority_weights.id"))
    weights: Mapped[dict] = mapped_column(JSON)
    data_hash: Mapped[str | None] = mapped_column(String(64))
    problem: Mapped[dict | None] = mapped_column(JSON)  # the optimizer input, to reproduce the run
    # Per-plan choices: {"weekdays": [ISO 1-7] | None, "must_visit": [codes], "exclude": [codes],
    # "keep_published": bool}; None = the regency's settings, nothing forced, announced visits kept.
    options: Mapped[dict | None] = mapped_column(JSON)
    # Which poverty figures the priority rested on, recorded when the plan runs (`regions.poverty.plan_provenance`):
    # {"import_id", "source", "demo", "as_of", "imported_on", "desa", "other_desa"}; None for older plans.
    poverty_data: Mapped[dict | None] = mapped_column(JSON)
    base_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    lodging_place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    lodging_first: Mapped[date | None] = mapped_column(Date)
    lodging_last: Mapped[date | None] = mapped_column(Date)
    total_priority: Mapped[float | None] = mapped_column(Float)
    total_travel_min: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # How its travel minutes were obtained: "osrm" (road durations), "matrix" (measured times for every pair)
    # or "haversine" (straight line × detour at a set speed); None for plans from before it was recorded.
    travel_model: Mapped[str | None] = mapped_column(String(12))
    travel_overrides: Mapped[int | None] = mapped_column(Integer)  # measured pair times that were used
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    start_place = relationship("Place", foreign_keys=[start_place_id])
    lodging_place = relationship("Place", foreign_keys=[lodging_place_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    days = relationship("PlanDay", cascade="all, delete-orphan", order_by="PlanDay.day",
                        back_populates="plan")
    unvisited = relationship("PlanUnvisited", cascade="all, delete-orphan", order_by="PlanUnvisited.id")
    priorities = relationship("PlanPriority", cascade="all, delete-orphan")

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "cancelled")


class PlanDay(db.Model):
    """One working day of a plan."""

    __tablename__ = "plan_day"
    __table_args__ = (UniqueConstraint("plan_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    start_place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    end_place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    start_min: Mapped[int] = mapped_column(Integer)
    end_min: Mapped[int] = mapped_column(Integer)
    max_visits: Mapped[int | None] = mapped_column(Integer)
    return_min: Mapped[float | None] = mapped_column(Float)  # arrival back at the end place

    plan = relationship("Plan", back_populates="days")
    start_place = relationship("Place", foreign_keys=[start_place_id])
    end_place = relationship("Place", foreign_keys=[end_place_id])
    visits = relationship("PlanVisit", cascade="all, delete-orphan", order_by="PlanVisit.position",
                          back_populates="plan_day")


class PlanVisit(db.Model):
    """A desa visit on a plan day, with the times the solver (or a manual edit) computed."""

    __tablename__ = "plan_visit"
    __table_args__ = (UniqueConstraint("plan_day_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_day_id: Mapped[int] = mapped_column(ForeignKey("plan_day.id", ondelete="CASCADE"), index=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    arrive_min: Mapped[float] = mapped_column(Float)
    start_min: Mapped[float] = mapped_column(Float)
    end_min: Mapped[float] = mapped_column(Float)
    travel_min: Mapped[float] = mapped_column(Float, default=0.0)  # the leg that leads here
    locked: Mapped[bool] = mapped_column(Boolean, default=False)

    plan_day = relationship("PlanDay", back_populates="visits")
    desa = relationship("Desa")


class PlanUnvisited(db.Model):
    """A candidate desa the plan does not visit, with the optimizer's reason."""

    __tablename__ = "plan_unvisited"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id"))
    reason: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)  # the optimizer's English sentence, for logs and the CLI only
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    # For "displaced": where the desa would fit most cheaply (day, 1-based position, added minutes of travel and
    # visit); the page says it in Indonesian.
    best_day: Mapped[date | None] = mapped_column(Date)
    best_position: Mapped[int | None] = mapped_column(Integer)
    added_min: Mapped[float | None] = mapped_column(Float)

    desa = relationship("Desa")


class PlanPriority(db.Model):
    """The priority of each candidate desa when the plan ran, with its breakdown ("why this desa")."""

    __tablename__ = "plan_priority"
    __table_args__ = (UniqueConstraint("plan_id", "desa_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id"))
    score: Mapped[float] = mapped_column(Float)
    components: Mapped[dict] = mapped_column(JSON)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)


class CalendarToken(db.Model):
    """A secret, revocable address for a user's iCalendar feed; only its SHA-256 is stored."""

    __tablename__ = "calendar_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TravelMatrixCache(db.Model):
    """OSRM durations (whole minutes, rounded up) for one ordered set of coordinates on one server, so the same
    candidate set does not ask the server again."""

    __tablename__ = "travel_matrix_cache"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of server, profile and coordinates
    server: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TravelOverride(db.Model):
    """A travel time measured by the office between two desa (minutes, one direction); wins over OSRM and the
    straight-line model."""

    __tablename__ = "travel_override"
    __table_args__ = (UniqueConstraint("regency_id", "from_desa_id", "to_desa_id"),
                      CheckConstraint("minutes >= 0", name="minutes_non_negative"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    from_desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id", ondelete="CASCADE"))
    to_desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id", ondelete="CASCADE"))
    minutes: Mapped[int] = mapped_column(Integer)
    source_file: Mapped[str | None] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class KecamatanTravel(db.Model):
    """A kecamatan's road speed learnt from held visits (check-out to the next check-in), applied by a planner: the
    straight-line model then times legs into and out of its desa at this speed instead of 40 km/h."""

    __tablename__ = "kecamatan_travel"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id", ondelete="CASCADE"), unique=True)
    speed_kmh: Mapped[float] = mapped_column(Float)
    legs: Mapped[int] = mapped_column(Integer)  # measured legs the speed was fitted on
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
