"""Planning business rules: plan runs (queued, run by a worker process), edits, publication, weights."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select, update

import optimizer
from app.core.audit import record_audit
from app.core.clock import today_local, utcnow
from app.core.errors import Conflict, DomainError, FieldErrors, NotFound
from app.core.pii import scrub_text
from app.core.services import unit_of_work
from app.extensions import db
from app.planning import translate
from app.planning.calendar import MAX_HORIZON_DAYS, planning_dates
from app.planning.models import MODES, Plan, PlanDay, PlanVisit, PriorityWeights
from app.planning.priority import COMPONENTS
from app.regions.models import Desa, Place
from app.regions.poverty import plan_provenance
from app.visits.models import Visit

logger = logging.getLogger(__name__)

MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S = 5, 600


# --- weights ------------------------------------------------------------------------------------------------

def current_weights(regency_id: int) -> PriorityWeights:
    """The newest weights version; version 1 with the defaults is created on first use (flush only)."""
    row = db.session.scalar(select(PriorityWeights).where(PriorityWeights.regency_id == regency_id)
                            .order_by(PriorityWeights.version.desc()).limit(1))
    if row is None:
        row = PriorityWeights(regency_id=regency_id, version=1)
        db.session.add(row)
        db.session.flush()
    return row


@unit_of_work
def save_weights(actor: Any, values: dict[str, float]) -> PriorityWeights:
    """Store a new version of the weights; old plans keep the version they used."""
    errors = [c for c in COMPONENTS if not isinstance(values.get(c), int | float) or not 0 <= values[c] <= 10]
    if errors:
        raise DomainError("Bobot harus angka 0–10 untuk: " + ", ".join(errors) + ".")
    if sum(values[c] for c in COMPONENTS) <= 0:
        raise DomainError("Minimal satu bobot harus lebih dari nol.")
    latest = current_weights(actor.regency_id)
    row = PriorityWeights(regency_id=actor.regency_id, version=latest.version + 1, created_by_id=actor.id,
                          **{c: float(values[c]) for c in COMPONENTS})
    db.session.add(row)
    db.session.flush()
    record_audit("priority_weights_saved", "priority_weights", row.version, actor=actor, after=row.as_dict())
    return row


# --- creating and running plans -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanInput:
    start: date
    end: date
    mode: str
    start_place_id: int
    time_limit_s: int = 30
    name: str | None = None
    lodging_place_id: int | None = None
    lodging_first: date | None = None
    lodging_last: date | None = None
    seed: int = 0
    weekdays: tuple[int, ...] | None = None  # ISO 1 = Monday … 7 = Sunday; None = the regency's settings
    must_visit: tuple[str, ...] = ()  # desa codes that must be in this plan
    exclude: tuple[str, ...] = ()  # desa codes left out of this plan
    keep_published: bool = True  # announced visits stay unless the gain justifies a change

    def options(self) -> dict:
        return {"weekdays": sorted(set(self.weekdays)) if self.weekdays else None,
                "must_visit": sorted(set(self.must_visit)), "exclude": sorted(set(self.exclude)),
                "keep_published": bool(self.keep_published)}


def _validate(actor: Any, data: PlanInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.end < data.start:
        errors["end"] = "Tanggal akhir tidak boleh sebelum tanggal mulai."
    elif (data.end - data.start).days + 1 > MAX_HORIZON_DAYS:
        errors["end"] = f"Rentang rencana maksimal {MAX_HORIZON_DAYS} hari."
    elif data.weekdays is not None and (not data.weekdays or any(
            isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 7 for d in data.weekdays)):
        errors["weekdays"] = "Pilih minimal satu hari: 1 = Senin … 7 = Minggu."
    elif not planning_dates(actor.regency_id, data.start, data.end, list(data.weekdays or ()) or None):
        errors["start"] = "Tidak ada hari kerja yang tersedia dalam rentang ini (libur atau diblokir)."
    named = set(data.must_visit) | set(data.exclude)
    known = set(db.session.scalars(select(Desa.code).where(Desa.regency_id == actor.regency_id,
                                                           Desa.code.in_(named)))) if named else set()
    for field in ("must_visit", "exclude"):
        unknown = sorted(c for c in getattr(data, field) if c not in known)
        if unknown:
            errors[field] = "Kode desa tidak dikenal: " + ", ".join(unknown[:5]) + "."
    both = sorted(set(data.must_visit) & set(data.exclude))
    if both and "exclude" not in errors:
        errors["exclude"] = "Desa tidak bisa sekaligus wajib dan dikecualikan: " + ", ".join(both[:5]) + "."
    if data.mode not in MODES:
        errors["mode"] = "Pilih mode berkantor atau kunjungan."
    if not isinstance(data.time_limit_s, int) or not MIN_TIME_LIMIT_S <= data.time_limit_s <= MAX_TIME_LIMIT_S:
        errors["time_limit_s"] = f"Batas waktu {MIN_TIME_LIMIT_S}–{MAX_TIME_LIMIT_S} detik."
    place = db.session.get(Place, data.start_place_id) if data.start_place_id else None
    if place is None or place.regency_id != actor.regency_id:
        errors["start_place_id"] = "Pilih tempat mulai yang terdaftar."
    if data.lodging_place_id:
        lodge = db.session.get(Place, data.lodging_place_id)
        if lodge is None or lodge.regency_id != actor.regency_id:
            errors["lodging_place_id"] = "Pilih tempat menginap yang terdaftar."
        elif not (data.lodging_first and data.lodging_last and data.start <= data.lodging_first
                  <= data.lodging_last <= data.end):
            errors["lodging_first"] = "Tanggal tur menginap harus di dalam rentang rencana (awal ≤ akhir)."
    if errors:
        raise FieldErrors(errors)
    return errors


def _desa_ids(regency_id: int, codes: list[str]) -> set[int]:
    if not codes:
        return set()
    return set(db.session.scalars(select(Desa.id).where(Desa.regency_id == regency_id, Desa.code.in_(codes))))


def announced_visits(regency_id: int, start: date, end: date) -> dict[str, str]:
    """Desa code → ISO date of scheduled (announced) visits in the horizon: the stability reference, in visit order
    (day, then planned start), which the optimizer takes as its starting plan."""
    rows = db.session.execute(select(Desa.code, Visit.day).join(Visit, Visit.desa_id == Desa.id).where(
        Visit.regency_id == regency_id, Visit.status == "dijadwalkan", Visit.day.between(start, end))
        .order_by(Visit.day, Visit.planned_start_min, Desa.code)).all()
    return {code: day.isoformat() for code, day in rows}


@unit_of_work
def create_plan(actor: Any, data: PlanInput, *, base: Plan | None = None) -> Plan:
    """Queue a plan run; the inputs (weights version, seed) are recorded now, the data hash when it runs."""
    _validate(actor, data)
    weights = current_weights(actor.regency_id)
    name = scrub_text((data.name or "").strip()) or f"Rencana {data.start:%d/%m/%Y}–{data.end:%d/%m/%Y}"
    plan = Plan(regency_id=actor.regency_id, name=name[:120], start_date=data.start, end_date=data.end,
                mode=data.mode, start_place_id=data.start_place_id, time_limit_s=data.time_limit_s,
                seed=data.seed, status="queued", progress=0.0, weights_id=weights.id, weights=weights.as_dict(),
                created_by_id=actor.id, base_plan_id=base.id if base else None,
                lodging_place_id=data.lodging_place_id or None, lodging_first=data.lodging_first,
                lodging_last=data.lodging_last, options=data.options())
    db.session.add(plan)
    db.session.flush()
    record_audit("plan_queued", "plan", plan.id, actor=actor,
                 after={"start": data.start, "end": data.end, "mode": data.mode, "time_limit_s": data.time_limit_s,
                        "weights_version": weights.version, "base_plan": plan.base_plan_id, **data.options()})
    return plan


def launch(plan: Plan) -> None:
    """Start the worker for a queued plan in its own process (never inside the web request).

    PLAN_RUNNER = "process" (default): a detached `flask planning run ID` on the same database;
    "thread": a background thread in this process (development servers without a process table);
    "manual": leave it queued (tests call `run_plan` themselves, or the scheduler picks it up).
    """
    mode = current_app.config.get("PLAN_RUNNER", "process")
    if mode == "manual":
        return
    if mode == "thread":
        app = current_app._get_current_object()
        threading.Thread(target=_run_in_app, args=(app, plan.id), daemon=True, name=f"plan-{plan.id}").start()
        return
    env = {**os.environ, "BUNGA_DATABASE_URL": current_app.config["SQLALCHEMY_DATABASE_URI"]}
    wsgi_dir = str(current_app.root_path.rsplit("/", 1)[0])
    subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-m", "flask", "--app", "wsgi", "planning", "run", str(plan.id)],
        cwd=wsgi_dir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)


def _run_in_app(app, plan_id: int) -> None:
    with app.app_context():
        run_plan(plan_id)


def _set(plan_id: int, **values: Any) -> None:
    """Progress and status updates bypass the version check: the web may set the cancel flag meanwhile."""
    db.session.execute(update(Plan).where(Plan.id == plan_id).values(**values))
    db.session.commit()


class _Progress(threading.Thread):
    """Reports elapsed/limit as progress every second and notices a cancel request."""

    def __init__(self, app, plan_id: int, limit_s: float) -> None:
        super().__init__(daemon=True, name=f"plan-{plan_id}-progress")
        self.app, self.plan_id, self.limit_s = app, plan_id, limit_s
        self.stop = threading.Event()
        self.cancelled = False

    def run(self) -> None:
        t0 = time.monotonic()
        with self.app.app_context():
            while not self.stop.wait(1.0):
                fraction = min(0.05 + 0.9 * (time.monotonic() - t0) / self.limit_s, 0.95)
                db.session.execute(update(Plan).where(Plan.id == self.plan_id, Plan.status == "running")
                                   .values(progress=round(fraction, 3)))
                db.session.commit()
                if db.session.scalar(select(Plan.cancel_requested).where(Plan.id == self.plan_id)):
                    self.cancelled = True
                    _set(self.plan_id, status="cancelled", finished_at=utcnow(),
                         message="Dibatalkan oleh perencana.")
                    if current_app.config.get("PLAN_RUNNER", "process") == "process":
                        os._exit(0)  # the worker process ends at once; the solver holds no database state
                    return
            db.session.remove()


def run_plan(plan_id: int) -> Plan:
    """The worker: translate the database into a problem, solve, check, store. Safe to call once per plan."""
    claimed = db.session.execute(update(Plan).where(Plan.id == plan_id, Plan.status == "queued")
                                 .values(status="running", started_at=utcnow(), progress=0.02,
                                         worker_pid=os.getpid()))
    db.session.commit()
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("Rencana tidak ditemukan.")
    if claimed.rowcount != 1:
        return plan  # already taken by another worker, or cancelled before it started
    progress = None
    try:
        priorities = translate.compute_for_regency(plan.regency_id, plan.weights, plan.start_date)
        if not priorities:
            raise DomainError("Belum ada desa dengan lokasi. Impor lokasi desa terlebih dahulu.")
        poverty_data = plan_provenance(list(priorities))
        options = plan.options or {}
        excluded = _desa_ids(plan.regency_id, options.get("exclude") or [])
        must = _desa_ids(plan.regency_id, options.get("must_visit") or [])
        candidates = {k: (dataclasses.replace(v, mandatory=True) if k in must else v)
                      for k, v in priorities.items() if k not in excluded}
        locks = _base_locks(plan)
        lodging = (translate.Lodging(plan.lodging_place_id, plan.lodging_first, plan.lodging_last)
                   if plan.lodging_place_id else None)
        previous = (announced_visits(plan.regency_id, plan.start_date, plan.end_date)
                    if options.get("keep_published", True) else None)
        problem = translate.build_problem(plan, candidates, lodging=lodging, locks=locks, previous=previous)
        digest = translate.problem_digest(problem)
        _set(plan_id, data_hash=digest, problem=translate.problem_snapshot(problem), progress=0.05,
             travel_model=plan.travel_model, travel_overrides=plan.travel_overrides)
        progress = _Progress(current_app._get_current_object(), plan_id, plan.time_limit_s)
        progress.start()
        solution = optimizer.solve(problem, optimizer.SolveParams(
            time_limit_s=plan.time_limit_s, seed=plan.seed, workers=current_app.config.get("PLAN_WORKERS", 2)))
        progress.stop.set()
        progress.join(5)
        if progress.cancelled:
            db.session.expire_all()
            return db.session.get(Plan, plan_id)
        violations = optimizer.check_solution(problem, solution)
        if violations:
            raise DomainError("Pemeriksa independen menolak hasil solver: " + "; ".join(map(str, violations[:3])))
        db.session.expire_all()
        plan = db.session.get(Plan, plan_id)
        translate.store_solution(plan, problem, solution, {**priorities, **candidates},
                                 keep_locks={(site, day) for site, day, _ in locks}, excluded=excluded)
        plan.poverty_data = poverty_data
        plan.status, plan.progress, plan.finished_at = "done", 1.0, utcnow()
        unplaced = solution.unplaced_mandatory
        plan.message = (f"{len(unplaced)} desa wajib tidak dapat dijadwalkan." if unplaced else None)
        _tell_creator(plan, "plan_finished")
        db.session.commit()
        logger.info("Plan %s solved: %s visits, prize %.1f", plan_id, len(solution.visited_sites()),
                    solution.total_prize)
        return plan
    except Exception as err:  # the run fails visibly; the web shows a controlled "failed, retry" state
        db.session.rollback()
        if progress is not None:
            progress.stop.set()
        message = err.message if isinstance(err, DomainError) else "Terjadi kesalahan saat menyusun rencana."
        logger.exception("Plan %s failed", plan_id)
        _set(plan_id, status="failed", finished_at=utcnow(), message=message)
        failed = db.session.get(Plan, plan_id)
        _tell_creator(failed, "plan_failed")
        db.session.commit()
        return failed


def _tell_creator(plan: Plan, kind: str) -> None:
    """``plan_finished`` / ``plan_failed`` to whoever started the run (flushes; the caller commits)."""
    from app.auth.models import User
    from app.notifications.services import notify

    user = db.session.get(User, plan.created_by_id) if plan.created_by_id else None
    if user is None:
        return
    if kind == "plan_finished":
        visits = sum(len(d.visits) for d in plan.days)
        title = f"Rencana {plan.name} selesai disusun"
        body = f"{visits} kunjungan, {len(plan.unvisited)} desa tidak masuk. Periksa lalu terbitkan."
    else:
        title = f"Rencana {plan.name} gagal disusun"
        body = plan.message or "Penyusunan rencana gagal."
    notify(user, kind=kind, title=title, body=body, key=f"{kind}:plan:{plan.id}", url=f"/rencana/{plan.id}")


def _base_locks(plan: Plan) -> list[tuple[str, str, int | None]]:
    """Locked visits of the plan this run re-optimises: (desa code, ISO date, position).

    A lock keeps the day and the order: the locked visits of a day open it, in the order they had (1, 2, …), and
    the optimizer fills the rest of the day around them.
    """
    if not plan.base_plan_id:
        return []
    rows = db.session.execute(
        select(Desa.code, PlanDay.day, PlanVisit.position).join(PlanVisit, PlanVisit.desa_id == Desa.id)
        .join(PlanDay, PlanVisit.plan_day_id == PlanDay.id)
        .where(PlanDay.plan_id == plan.base_plan_id, PlanVisit.locked.is_(True))
        .order_by(PlanDay.day, PlanVisit.position)).all()
    rank: dict[date, int] = {}
    out = []
    for code, day, _ in rows:
        rank[day] = rank.get(day, 0) + 1
        out.append((code, day.isoformat(), rank[day]))
    return out


@unit_of_work
def cancel_plan(actor: Any, plan: Plan) -> Plan:
    """A queued plan is cancelled at once; a running one when its worker next checks (within a second)."""
    if plan.finished:
        raise DomainError("Rencana ini sudah selesai diproses dan tidak dapat dibatalkan.")
    values: dict[str, Any] = {"cancel_requested": True}
    if plan.status == "queued":
        values.update(status="cancelled", finished_at=utcnow(), message="Dibatalkan sebelum dimulai.")
    db.session.execute(update(Plan).where(Plan.id == plan.id).values(**values))
    record_audit("plan_cancel_requested", "plan", plan.id, actor=actor)
    return plan


@unit_of_work
def reoptimise(actor: Any, plan: Plan) -> Plan:
    """A new run over the same horizon and settings that keeps this plan's locked visits in place."""
    if plan.status != "done":
        raise DomainError("Hanya rencana yang sudah selesai dapat dioptimasi ulang.")
    data = PlanInput(start=plan.start_date, end=plan.end_date, mode=plan.mode, start_place_id=plan.start_place_id,
                     time_limit_s=plan.time_limit_s, name=f"{plan.name} (optimasi ulang)"[:120],
                     lodging_place_id=plan.lodging_place_id, lodging_first=plan.lodging_first,
                     lodging_last=plan.lodging_last, seed=plan.seed, **_options_input(plan.options))
    return create_plan.__wrapped__(actor, data, base=plan)


def _options_input(options: dict | None) -> dict:
    """A plan's stored options as PlanInput fields (a re-optimisation keeps them)."""
    options = options or {}
    return {"weekdays": tuple(options["weekdays"]) if options.get("weekdays") else None,
            "must_visit": tuple(options.get("must_visit") or ()), "exclude": tuple(options.get("exclude") or ()),
            "keep_published": bool(options.get("keep_published", True))}


def _conflict_if_published(plan: Plan) -> None:
    if plan.published_at is not None:
        raise Conflict("Rencana ini sudah diterbitkan. Buat rencana baru (optimasi ulang) untuk mengubahnya.")


# --- publication ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    desa_id: int
    desa_code: str
    desa_name: str
    kecamatan: str
    old_day: date | None
    new_day: date | None


@dataclass(frozen=True)
class PublishPreview:
    """What publishing would announce: new visits, moved dates, cancelled visits, and unchanged ones."""

    new: list[Change]
    moved: list[Change]
    cancelled: list[Change]
    unchanged: list[Change]

    @property
    def affected(self) -> list[Change]:
        return [*self.moved, *self.cancelled]


def _scheduled(plan: Plan) -> dict[int, Visit]:
    rows = db.session.scalars(select(Visit).where(Visit.regency_id == plan.regency_id,
                                                  Visit.status == "dijadwalkan",
                                                  Visit.day.between(plan.start_date, plan.end_date)))
    return {v.desa_id: v for v in rows}


def publish_preview(plan: Plan) -> PublishPreview:
    """Compare the plan with the visits already announced in its horizon."""
    if plan.status != "done":
        raise DomainError("Hanya rencana yang sudah selesai disusun yang dapat diterbitkan.")
    scheduled = _scheduled(plan)
    new, moved, unchanged, cancelled = [], [], [], []
    planned: set[int] = set()
    for day in plan.days:
        for v in day.visits:
            planned.add(v.desa_id)
            old = scheduled.get(v.desa_id)
            change = Change(v.desa_id, v.desa.code, v.desa.name, v.desa.kecamatan.name, old.day if old else None,
                            day.day)
            (new if old is None else unchanged if old.day == day.day else moved).append(change)
    for desa_id, visit in scheduled.items():
        if desa_id not in planned:
            cancelled.append(Change(desa_id, visit.desa.code, visit.desa.name, visit.desa.kecamatan.name,
                                    visit.day, None))
    return PublishPreview(new, moved, cancelled, unchanged)


@unit_of_work
def publish(actor: Any, plan: Plan) -> PublishPreview:
    """Announce the plan: create, move or cancel scheduled visits. A named officer approves (UU PDP Art. 10)."""
    _conflict_if_published(plan)
    preview = publish_preview(plan)
    scheduled = _scheduled(plan)
    times = {v.desa_id: (day.day, v) for day in plan.days for v in day.visits}
    news = []  # (visit, kind, old day): what each desa's people are told
    for change in [*preview.new, *preview.moved, *preview.unchanged]:
        day, pv = times[change.desa_id]
        visit = scheduled.get(change.desa_id)
        if visit is None:
            visit = Visit(regency_id=plan.regency_id, desa_id=change.desa_id, status="dijadwalkan")
            db.session.add(visit)
        visit.day, visit.mode, visit.plan_id = day, plan.mode, plan.id
        visit.planned_start_min, visit.planned_end_min = round(pv.start_min), round(pv.end_min)
        if change in preview.new:
            news.append((visit, "visit_scheduled", None))
        elif change in preview.moved:
            news.append((visit, "visit_changed", change.old_day))
    for change in preview.cancelled:
        visit = scheduled[change.desa_id]
        visit.status = "dibatalkan"
        visit.status_reason = f"Tidak ada dalam rencana yang diterbitkan {plan.name}."
        news.append((visit, "visit_cancelled", None))
    db.session.flush()
    from app.visits.announcements import announce

    for visit, kind, old_day in news:
        announce(visit, kind, old_day=old_day)
    plan.published_at, plan.published_by_id = utcnow(), actor.id
    record_audit("plan_published", "plan", plan.id, actor=actor, after={
        "new": len(preview.new), "moved": [c.desa_code for c in preview.moved],
        "cancelled": [c.desa_code for c in preview.cancelled], "unchanged": len(preview.unchanged)})
    return preview


def next_visit(desa_id: int, as_of: date | None = None) -> Visit | None:
    """The next announced visit of a desa (what its kepala desa sees)."""
    return db.session.scalar(select(Visit).where(Visit.desa_id == desa_id, Visit.status == "dijadwalkan",
                                                 Visit.day >= (as_of or today_local())).order_by(Visit.day).limit(1))


@unit_of_work
def add_to_agenda(actor: Any, aspiration: Any, visit: Visit) -> None:
    """Put an open aspiration of the visit's desa on the visit's agenda (a marker, not a status)."""
    from app.visits.models import VisitAgendaItem

    if aspiration.desa_id != visit.desa_id or not aspiration.is_open:
        raise DomainError("Hanya aspirasi terbuka dari desa yang sama yang dapat masuk agenda kunjungan.")
    if any(item.aspiration_id == aspiration.id for item in visit.agenda):
        return
    visit.agenda.append(VisitAgendaItem(aspiration_id=aspiration.id, added_by_id=actor.id))
    record_audit("visit_agenda_added", "visit", visit.id, actor=actor, after={"aspiration": aspiration.reference})


# --- calendar settings -----------------------------------------------------------------------------------------

@unit_of_work
def add_blocked_date(actor: Any, day: date, reason: str) -> None:
    """Block a date for the bupati's other agenda; plans skip it."""
    from app.planning.models import BlockedDate

    reason = scrub_text((reason or "").strip()) or ""
    if not reason:
        raise FieldErrors({"reason": "Isi alasan."})
    exists = db.session.scalar(select(BlockedDate.id).where(BlockedDate.regency_id == actor.regency_id,
                                                            BlockedDate.day == day))
    if exists:
        raise FieldErrors({"day": "Tanggal ini sudah diblokir."})
    db.session.add(BlockedDate(regency_id=actor.regency_id, day=day, reason=reason[:200]))
    record_audit("blocked_date_added", "blocked_date", day.isoformat(), actor=actor, after={"reason": reason})


@unit_of_work
def remove_blocked_date(actor: Any, blocked_id: int) -> None:
    from app.planning.models import BlockedDate

    row = db.session.get(BlockedDate, blocked_id)
    if row is None or row.regency_id != actor.regency_id:
        raise NotFound("Tanggal blokir tidak ditemukan.")
    db.session.delete(row)
    record_audit("blocked_date_removed", "blocked_date", row.day.isoformat(), actor=actor)


@unit_of_work
def save_desa_planning(actor: Any, desa: Desa, *, berkantor_min: int | None, kunjungan_min: int | None,
                       extra_travel_min: int, closed_months: list[int]) -> None:
    """Per-desa overrides: service minutes per mode, extra travel minutes (river, 4×4 track), closed months."""
    from app.planning.models import DesaPlanning

    errors: dict[str, str] = {}
    if berkantor_min is not None and not 60 <= berkantor_min <= 480:
        errors["berkantor_min"] = "Lama berkantor 60–480 menit."
    if kunjungan_min is not None and not 15 <= kunjungan_min <= 240:
        errors["kunjungan_min"] = "Lama kunjungan 15–240 menit."
    if not 0 <= extra_travel_min <= 240:
        errors["extra_travel_min"] = "Tambahan waktu tempuh 0–240 menit."
    if any(m < 1 or m > 12 for m in closed_months):
        errors["closed_months"] = "Bulan tertutup berupa angka 1–12."
    if errors:
        raise FieldErrors(errors)
    row = db.session.scalar(select(DesaPlanning).where(DesaPlanning.desa_id == desa.id))
    if row is None:
        row = DesaPlanning(desa_id=desa.id)
        db.session.add(row)
    row.berkantor_min, row.kunjungan_min, row.extra_travel_min = berkantor_min, kunjungan_min, extra_travel_min
    row.closed_months = ",".join(str(m) for m in sorted(set(closed_months))) or None
    record_audit("desa_planning_saved", "desa", desa.code, actor=actor,
                 after={"berkantor_min": berkantor_min, "kunjungan_min": kunjungan_min,
                        "extra_travel_min": extra_travel_min, "closed_months": row.closed_months})


@unit_of_work
def add_place(actor: Any, *, name: str, kind: str, lat: float | None, lon: float | None) -> Place:
    """A named start or end of a day (a lodging place for overnight tours, another office)."""
    errors: dict[str, str] = {}
    if len((name or "").strip()) < 3:
        errors["name"] = "Nama tempat minimal 3 karakter."
    if kind not in ("office", "lodging", "other"):
        errors["kind"] = "Jenis tempat: kantor, penginapan atau lainnya."
    if lat is None or lon is None or not (-11.5 <= lat <= 6.5 and 94.5 <= lon <= 141.5):
        errors["lat"] = "Koordinat harus di wilayah Indonesia (lintang −11,5…6,5; bujur 94,5…141,5)."
    if errors:
        raise FieldErrors(errors)
    place = Place(regency_id=actor.regency_id, name=scrub_text(name.strip()[:120]), kind=kind, lat=lat, lon=lon)
    db.session.add(place)
    db.session.flush()
    record_audit("place_added", "place", place.id, actor=actor, after={"name": place.name, "kind": kind})
    return place
