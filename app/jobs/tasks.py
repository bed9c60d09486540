"""The jobs: each is an idempotent function of (regency id, as-of date) that calls the domain services.

Notifications go through `notify(..., key=...)`, whose key makes a second call for the same event a no-op, so a job
that is retried after failing half-way completes the missing work without notifying anyone twice. Work is committed
in small units (one visit, one aspiration, one regency) for the same reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import delete, func, select

from app.aspirations.models import Aspiration, AspirationService
from app.aspirations.queries import overdue_clause, regency_days_off
from app.auth.models import User
from app.core.clock import utcnow
from app.core.services import unit_of_work
from app.core.workdays import working_days_between
from app.extensions import db
from app.jobs.models import PrioritySnapshot
from app.notifications.services import deliver_due, notify
from app.planning.models import Plan
from app.regions.models import Regency
from app.visits.models import ServiceType, Visit, VisitAgendaItem

logger = logging.getLogger(__name__)

ESCALATION_THRESHOLDS = (1, 3)  # working days overdue
REMINDER_DAYS = {7: "visit_reminder_7d", 1: "visit_reminder_1d"}
SNAPSHOT_KEEP_DAYS = 14
QUEUED_GRACE_SECONDS = 30


def regency_ids() -> list[int]:
    return list(db.session.scalars(select(Regency.id).order_by(Regency.id)))


def _users(regency_id: int, *conditions) -> list[User]:
    return list(db.session.scalars(select(User).where(User.regency_id == regency_id, User.active.is_(True),
                                                      *conditions).order_by(User.id)))


def _planners(regency_id: int) -> list[User]:
    return _users(regency_id, User.role == "planner")


def _notify_all(users: list[User], **kwargs) -> int:
    seen: set[int] = set()
    created = 0
    for user in users:
        if user.id not in seen:
            seen.add(user.id)
            created += bool(notify(user, **kwargs))
    return created


# priority_recompute -------------------------------------------------------------------------------------------------

@unit_of_work
def priority_recompute(regency_id: int, as_of: date) -> int:
    """Store today's desa priorities (replacing a snapshot of the same day); keep two weeks."""
    from app.planning import services as planning
    from app.planning import translate

    weights = planning.current_weights(regency_id)
    values = {c: getattr(weights, c) for c in ("aspirations", "poverty", "since_visit", "services", "coverage")}
    results = translate.compute_for_regency(regency_id, values, as_of)
    db.session.execute(delete(PrioritySnapshot).where(
        PrioritySnapshot.regency_id == regency_id,
        (PrioritySnapshot.as_of == as_of) | (PrioritySnapshot.as_of < as_of - timedelta(days=SNAPSHOT_KEEP_DAYS))))
    for result in results.values():
        db.session.add(PrioritySnapshot(regency_id=regency_id, as_of=as_of, desa_id=result.desa_id,
                                        score=round(result.score, 4), components=dict(result.components)))
    return len(results)


def latest_snapshot(regency_id: int) -> list[PrioritySnapshot]:
    day = db.session.scalar(select(func.max(PrioritySnapshot.as_of)).where(PrioritySnapshot.regency_id == regency_id))
    if day is None:
        return []
    return list(db.session.scalars(select(PrioritySnapshot).where(PrioritySnapshot.regency_id == regency_id,
                                                                  PrioritySnapshot.as_of == day)
                                   .order_by(PrioritySnapshot.score.desc())))


# deadline_check -----------------------------------------------------------------------------------------------------


@unit_of_work
def _escalate(aspiration_id: int, as_of: date, days_off: frozenset[date]) -> int:
    asp = db.session.get(Aspiration, aspiration_id)
    late = working_days_between(asp.due_on, as_of, days_off)
    recipients = _planners(asp.regency_id)
    if asp.opd_sector:
        recipients = _users(asp.regency_id, User.role == "opd", User.sector == asp.opd_sector) + recipients
    created = 0
    for threshold in ESCALATION_THRESHOLDS:
        if late < threshold:
            continue
        created += _notify_all(
            recipients, kind="aspiration_overdue", key=f"overdue:{asp.reference}:{threshold}",
            title=f"Aspirasi {asp.reference} terlambat {threshold} hari kerja",
            body=f"Aspirasi \"{asp.title}\" (status {asp.status}) melewati tenggat {asp.due_on:%d-%m-%Y}.",
            url=f"/aspirasi/{asp.reference}",
            payload={"reference": asp.reference, "threshold": threshold, "due_on": asp.due_on.isoformat()})
    return created


def deadline_check(regency_id: int, as_of: date) -> int:
    """One escalation per overdue aspiration and threshold (working days overdue, holidays excluded)."""
    days_off = regency_days_off(regency_id)
    ids = list(db.session.scalars(select(Aspiration.id).where(Aspiration.regency_id == regency_id,
                                                              overdue_clause(as_of)).order_by(Aspiration.id)))
    return sum(_escalate(aspiration_id, as_of, days_off) for aspiration_id in ids)


# visit_reminders ----------------------------------------------------------------------------------------------------

def visit_sectors(visit_id: int) -> list[str]:
    """Sectors of the services requested by the aspirations on a visit's agenda."""
    return list(db.session.scalars(
        select(ServiceType.sector).distinct()
        .join(AspirationService, AspirationService.service_code == ServiceType.code)
        .join(VisitAgendaItem, VisitAgendaItem.aspiration_id == AspirationService.aspiration_id)
        .where(VisitAgendaItem.visit_id == visit_id).order_by(ServiceType.sector)))


@unit_of_work
def _remind(visit_id: int, days: int) -> int:
    visit = db.session.get(Visit, visit_id)
    kind = REMINDER_DAYS[days]
    recipients = _users(visit.regency_id, User.role == "kepala_desa", User.desa_id == visit.desa_id)
    sectors = visit_sectors(visit_id)
    if sectors:
        recipients += _users(visit.regency_id, User.role == "opd", User.sector.in_(sectors))
    when = "besok" if days == 1 else f"{days} hari lagi"
    return _notify_all(recipients, kind=kind, key=f"{kind}:visit:{visit.id}",
                       title=f"Kunjungan Bunga Desa {when}: {visit.desa.name}",
                       body=f"Kunjungan Bupati ke {visit.desa.name} dijadwalkan {visit.day:%d-%m-%Y}.",
                       url=f"/kunjungan/{visit.id}",
                       payload={"visit_id": visit.id, "day": visit.day.isoformat(), "sectors": sectors})


def visit_reminders(regency_id: int, as_of: date) -> int:
    """Remind the kepala desa and the OPD of requested services 7 days and 1 day before each scheduled visit."""
    created = 0
    for days in REMINDER_DAYS:
        ids = list(db.session.scalars(select(Visit.id).where(Visit.regency_id == regency_id,
                                                             Visit.status == "dijadwalkan",
                                                             Visit.day == as_of + timedelta(days=days))
                                      .order_by(Visit.id)))
        created += sum(_remind(visit_id, days) for visit_id in ids)
    return created


# monthly_dprd_report ------------------------------------------------------------------------------------------------

def previous_month(as_of: date) -> tuple[date, date]:
    end = as_of.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def system_actor(regency_id: int) -> SimpleNamespace:
    return SimpleNamespace(id=None, username="system:scheduler", role="system", system=True, regency_id=regency_id,
                           sector=None, desa_id=None, kecamatan_id=None)


@unit_of_work
def _report_ready(regency_id: int, archive_id: int, title: str, month: str) -> int:
    recipients = _users(regency_id, User.role.in_(("planner", "dprd")))
    return _notify_all(recipients, kind="report_ready", key=f"report_ready:dprd:{regency_id}:{month}",
                       title="Laporan DPRD bulanan siap", body=title, url=f"/laporan/{archive_id}.pdf",
                       payload={"archive_id": archive_id, "month": month})


def monthly_dprd_report(regency_id: int, as_of: date) -> int:
    """The previous month's DPRD report, archived (unchanged data reuses the archive), then planners/DPRD told."""
    from app.reports.services import generate_dprd_report

    start, end = previous_month(as_of)
    archive = generate_dprd_report(system_actor(regency_id), start, end, None)
    return _report_ready(regency_id, archive.id, archive.title, f"{start:%Y-%m}")


# weekly_digest ------------------------------------------------------------------------------------------------------

@unit_of_work
def weekly_digest(regency_id: int, as_of: date) -> int:
    """Planners: new aspirations of the past week, overdue ones now, and visits of the coming week."""
    week_ago = as_of - timedelta(days=7)
    new = db.session.scalar(select(func.count(Aspiration.id)).where(
        Aspiration.regency_id == regency_id, Aspiration.submitted_on >= week_ago, Aspiration.submitted_on < as_of))
    overdue = db.session.scalar(select(func.count(Aspiration.id)).where(Aspiration.regency_id == regency_id,
                                                                        overdue_clause(as_of)))
    upcoming = db.session.scalar(select(func.count(Visit.id)).where(
        Visit.regency_id == regency_id, Visit.status == "dijadwalkan", Visit.day >= as_of,
        Visit.day < as_of + timedelta(days=7)))
    return _notify_all(_planners(regency_id), kind="weekly_digest", key=f"weekly_digest:{regency_id}:{as_of}",
                       title=f"Ringkasan mingguan {as_of:%d-%m-%Y}",
                       body=(f"Aspirasi baru minggu lalu: {new}. Aspirasi terlambat: {overdue}. "
                             f"Kunjungan 7 hari ke depan: {upcoming}."),
                       url="/", payload={"new": new, "overdue": overdue, "upcoming_visits": upcoming})


# queued_plans and deliver_notifications (regency-independent) -------------------------------------------------------

def queued_plans(as_of: date | None = None) -> int:
    """Run plans still queued 30 s after they were created (the web's worker process did not start)."""
    from app.planning.services import run_plan

    cutoff = utcnow() - timedelta(seconds=QUEUED_GRACE_SECONDS)
    ids = list(db.session.scalars(select(Plan.id).where(Plan.status == "queued", Plan.created_at < cutoff)
                                  .order_by(Plan.id)))
    db.session.rollback()
    for plan_id in ids:
        run_plan(plan_id)  # claims the plan atomically (queued → running), so a racing worker is harmless
    return len(ids)


def deliver_notifications(as_of: date | None = None) -> int:
    report = deliver_due()
    return len(report.sent)


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[..., int]
    per_regency: bool
    trigger: dict  # APScheduler cron fields (Asia/Jakarta)
    misfire_grace_s: int
    description: str


# Misfire grace: how late (after a scheduler restart or a busy moment) a run may still start. Daily and monthly
# work matters hours later too; minute jobs are simply picked up by the next minute. Coalescing is on for all,
# so missed runs of the same job become one run.
JOBS: dict[str, JobSpec] = {spec.name: spec for spec in (
    JobSpec("priority_recompute", priority_recompute, True, {"hour": 2, "minute": 0}, 4 * 3600,
            "Nightly desa priority snapshot (02:00)"),
    JobSpec("deadline_check", deadline_check, True, {"minute": 5}, 30 * 60,
            "Hourly overdue escalations (1 and 3 working days)"),
    JobSpec("visit_reminders", visit_reminders, True, {"hour": 7, "minute": 0}, 6 * 3600,
            "Visit reminders 7 days and 1 day before (07:00)"),
    JobSpec("monthly_dprd_report", monthly_dprd_report, True, {"day": 1, "hour": 6, "minute": 0}, 12 * 3600,
            "Previous month's DPRD report (1st, 06:00)"),
    JobSpec("weekly_digest", weekly_digest, True, {"day_of_week": "mon", "hour": 7, "minute": 0}, 6 * 3600,
            "Planners' weekly digest (Monday 07:00)"),
    JobSpec("queued_plans", queued_plans, False, {"minute": "*"}, 50,
            "Run plans left queued for 30 s (every minute)"),
    JobSpec("deliver_notifications", deliver_notifications, False, {"minute": "*"}, 50,
            "Send due e-mail/WhatsApp messages (every minute)"),
)}
