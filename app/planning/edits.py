"""Manual plan edits, each checked against the constraints at once (a broken day is refused, never saved).

Every edit recomputes the affected days' times on the stored problem (`optimizer.time_day`) and then
runs the independent checker over the whole plan before anything is written. A published plan can be edited too:
the planner first sees what changes for which desa (``preview_edit``), and saving also updates the announced
visits (``apply_edit``), because announced dates are promises to villages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

import optimizer
from app.core.audit import record_audit
from app.core.clock import today_local
from app.core.errors import Conflict, DomainError, NotFound
from app.core.services import unit_of_work
from app.extensions import db
from app.planning import translate
from app.planning.models import Plan, PlanDay, PlanUnvisited, PlanVisit
from app.regions.models import Desa
from app.visits.models import Visit

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def day_label(day: date) -> str:
    """ "Senin, 7 Desember 2026" — also outside a request (jobs, CLI), so no Babel here."""
    from app.planning.queries import MONTHS

    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def _editable(plan: Plan) -> None:
    if plan.status != "done":
        raise DomainError("Rencana hanya dapat diubah setelah selesai disusun.")


def _announced(plan: Plan) -> dict[int, Visit]:
    """The plan's announced visits still to come, by desa."""
    rows = db.session.scalars(select(Visit).where(Visit.plan_id == plan.id, Visit.status != "dibatalkan"))
    return {v.desa_id: v for v in rows}


def _published_day_open(plan: Plan, day: date) -> None:
    """An announced day that has passed (or is today) is history, not a plan: it cannot be changed."""
    if plan.published_at is not None and day <= today_local():
        raise Conflict(f"{day_label(day)} sudah lewat atau sedang berlangsung; jadwal yang sudah diumumkan untuk "
                       "hari itu tidak dapat diubah.")


def _sequences(plan: Plan) -> dict[date, list[str]]:
    return {d.day: [v.desa.code for v in d.visits] for d in plan.days}


def _timed(problem: optimizer.Problem, day: date, codes: list[str]) -> optimizer.Timed | None:
    sites = problem.site_index()
    if any(c not in sites for c in codes):
        raise DomainError("Desa ini bukan kandidat rencana (tidak punya lokasi saat rencana disusun).")
    return optimizer.time_day(problem, day.isoformat(), codes)


def _why_not(problem: optimizer.Problem, day: date, codes: list[str]) -> str:
    d = problem.days[problem.day_index()[day.isoformat()]]
    if d.max_visits is not None and len(codes) > d.max_visits:
        return f"{day_label(day)} sudah berisi {d.max_visits} kunjungan (batas per hari)."
    last = None
    for k in range(len(codes)):
        if _timed(problem, day, codes[: k + 1]) is None:
            last = codes[k]
            break
    who = f" di Desa {_desa_name(last)}" if last else ""
    return (f"{day_label(day)} tidak cukup waktu{who}: perjalanan, lama kunjungan dan istirahat melewati jam "
            f"kerja {int(d.start_min) // 60:02d}.{int(d.start_min) % 60:02d}–{int(d.end_min) // 60:02d}."
            f"{int(d.end_min) % 60:02d} atau jendela waktu desa.")


def _desa_name(code: str) -> str:
    return db.session.scalar(select(Desa.name).where(Desa.code == code)) or code


def _best_insertion(problem: optimizer.Problem, day: date, codes: list[str], new: str) -> list[str] | None:
    best, best_travel = None, None
    for pos in range(len(codes) + 1):
        candidate = [*codes[:pos], new, *codes[pos:]]
        timed = _timed(problem, day, candidate)
        if timed is not None and (best_travel is None or timed.travel_min < best_travel - 1e-9):
            best, best_travel = candidate, timed.travel_min
    return best


def _check(problem: optimizer.Problem, sequences: dict[date, list[str]],
           changed: list[date]) -> dict[str, optimizer.Timed]:
    """Time every day once and check the whole plan independently; the timed days by day id."""
    timed: dict[str, optimizer.Timed] = {}
    for d in problem.days:
        day = date.fromisoformat(d.id)
        t = _timed(problem, day, sequences.get(day, []))
        if t is None:  # only a changed day can break: the others are as stored
            raise DomainError(_why_not(problem, day, sequences[day]))
        timed[d.id] = t
    routes = [optimizer.Route(day=k, visits=t.visits, depart_min=t.depart_min, return_min=t.return_min,
                              travel_min=t.travel_min) for k, t in timed.items()]
    visited = {v.site for r in routes for v in r.visits}
    check = optimizer.Solution(routes=tuple(routes), unvisited=tuple(
        optimizer.Unvisited(site=s.id, reason="displaced") for s in problem.sites if s.id not in visited))
    # A planner may knowingly drop a mandatory desa or move a previously locked one; totals are recomputed below.
    violations = [v for v in optimizer.check_solution(problem, check) if v.kind not in ("mandatory", "lock", "total")]
    if violations:
        raise DomainError("Perubahan ditolak oleh pemeriksa: " + "; ".join(v.message for v in violations[:3]))
    return timed


def _write(plan: Plan, problem: optimizer.Problem, by_day: dict[str, optimizer.Timed],
           changed: list[date]) -> None:
    """Store the changed days' visits (travel per leg from the optimizer's timing) and the plan's totals."""
    visited = {v.site for t in by_day.values() for v in t.visits}
    desa_ids = dict(db.session.execute(select(Desa.code, Desa.id).where(Desa.code.in_(visited))).all())
    for pd in plan.days:
        if pd.day not in changed:
            continue
        locked = {v.desa.code for v in pd.visits if v.locked}
        pd.visits.clear()
        db.session.flush()
        timed = by_day[pd.day.isoformat()]
        for position, v in enumerate(timed.visits):
            pd.visits.append(PlanVisit(desa_id=desa_ids[v.site], position=position, arrive_min=v.arrive_min,
                                       start_min=v.start_min, end_min=v.end_min,
                                       travel_min=timed.legs[position], locked=v.site in locked))
        pd.return_min = timed.return_min if timed.visits else None
    prizes = {s.id: s.prize for s in problem.sites}
    plan.total_priority = round(sum(prizes[s] for s in visited), 4)
    plan.total_travel_min = round(sum(t.travel_min for t in by_day.values() if t.visits), 2)


def _find_visit(plan: Plan, visit_id: int) -> PlanVisit:
    for d in plan.days:
        for v in d.visits:
            if v.id == visit_id:
                return v
    raise NotFound("Kunjungan tidak ditemukan dalam rencana ini.")


def _find_day(plan: Plan, day: date) -> PlanDay:
    for d in plan.days:
        if d.day == day:
            return d
    raise DomainError("Tanggal ini bukan hari kerja dalam rencana.")


@unit_of_work
def set_lock(actor: Any, plan: Plan, visit_id: int, locked: bool) -> PlanVisit:
    """Lock keeps a visit on its day (and order) when the plan is re-optimised."""
    _editable(plan)
    visit = _find_visit(plan, visit_id)
    visit.locked = locked
    record_audit("plan_visit_locked" if locked else "plan_visit_unlocked", "plan", plan.id, actor=actor,
                 after={"desa": visit.desa.code, "day": visit.plan_day.day})
    return visit


@dataclass(frozen=True)
class Edit:
    """A planner's edit: ``move`` (``visit_id`` to ``day``), ``remove`` (``visit_id``) or ``add`` (``desa_code``
    on ``day``)."""

    kind: str
    visit_id: int | None = None
    desa_code: str | None = None
    day: date | None = None


@dataclass(frozen=True)
class EditChange:
    """What an edit does to one desa: ``moved`` (another day), ``retimed`` (same day, other hours), ``removed``
    or ``added``. Times are minutes after midnight."""

    desa_code: str
    desa_name: str
    kecamatan: str
    kind: str
    old_day: date | None
    old_start: float | None
    old_end: float | None
    new_day: date | None
    new_start: float | None
    new_end: float | None


@dataclass(frozen=True)
class EditPreview:
    changes: tuple[EditChange, ...]
    published: bool

    @property
    def main(self) -> EditChange | None:
        """The desa the planner acted on (moved, added or removed); the others only shift in time."""
        return next((c for c in self.changes if c.kind != "retimed"), None)


@dataclass
class _Draft:
    problem: optimizer.Problem
    sequences: dict[date, list[str]]
    changed: list[date]
    routes: dict[str, optimizer.Timed]  # every day, re-timed
    removed: str | None = None  # desa code taken out of the plan
    added: str | None = None


def _draft(plan: Plan, edit: Edit) -> _Draft:
    """The plan after the edit, checked, nothing written. :raise DomainError: the edit is refused, with why."""
    _editable(plan)
    seqs = _sequences(plan)
    if edit.kind in ("move", "remove"):
        visit = _find_visit(plan, edit.visit_id)
        code, from_day = visit.desa.code, visit.plan_day.day
        _published_day_open(plan, from_day)
        if plan.published_at is not None:
            announced = _announced(plan).get(visit.desa_id)
            if announced is not None and announced.status != "dijadwalkan":
                raise Conflict(f"Kunjungan ke {visit.desa.name} sudah dimulai atau selesai; jadwalnya tidak dapat "
                               "diubah.")
        seqs[from_day] = [c for c in seqs[from_day] if c != code]
        if edit.kind == "remove":
            problem = translate.load_problem(plan)
            return _Draft(problem, seqs, [from_day], _check(problem, seqs, [from_day]), removed=code)
        to_day = edit.day
        if from_day == to_day:
            raise DomainError(f"{visit.desa.name} sudah dijadwalkan pada {day_label(to_day)}.")
        _find_day(plan, to_day)
        _published_day_open(plan, to_day)
        problem = translate.load_problem(plan)
        inserted = _best_insertion(problem, to_day, seqs[to_day], code)
        if inserted is None:
            raise DomainError(_why_not(problem, to_day, [*seqs[to_day], code]))
        seqs[to_day] = inserted
        return _Draft(problem, seqs, [from_day, to_day], _check(problem, seqs, [from_day, to_day]))
    if edit.kind != "add":
        raise DomainError("Jenis perubahan tidak dikenal.")
    to_day, code = edit.day, edit.desa_code
    _find_day(plan, to_day)
    _published_day_open(plan, to_day)
    if any(code in seq for seq in seqs.values()):
        raise DomainError("Desa ini sudah ada dalam rencana; pindahkan kunjungannya bila perlu.")
    problem = translate.load_problem(plan)
    inserted = _best_insertion(problem, to_day, seqs[to_day], code)
    if inserted is None:
        raise DomainError(_why_not(problem, to_day, [*seqs[to_day], code]))
    seqs[to_day] = inserted
    return _Draft(problem, seqs, [to_day], _check(problem, seqs, [to_day]), added=code)


def _changes(plan: Plan, draft: _Draft) -> tuple[EditChange, ...]:
    """Desa whose day or hours differ between the plan as stored and the draft, the acted-on desa first."""
    before = {v.desa.code: (d.day, v.start_min, v.end_min, v.desa) for d in plan.days if d.day in draft.changed
              for v in d.visits}
    after = {v.site: (date.fromisoformat(day), v.start_min, v.end_min) for day, r in draft.routes.items()
             if date.fromisoformat(day) in draft.changed for v in r.visits}
    names = {}
    if draft.added:
        desa = db.session.scalar(select(Desa).where(Desa.code == draft.added))
        names[draft.added] = desa
    changes = []
    for code in dict.fromkeys([*before, *after]):
        old, new = before.get(code), after.get(code)
        desa = old[3] if old else names.get(code)
        if old and new:
            if old[0] != new[0]:
                kind = "moved"
            elif abs(old[1] - new[1]) >= 1 or abs(old[2] - new[2]) >= 1:
                kind = "retimed"
            else:
                continue
        else:
            kind = "removed" if old else "added"
        changes.append(EditChange(code, desa.name if desa else code, desa.kecamatan.name if desa else "", kind,
                                  old[0] if old else None, old[1] if old else None, old[2] if old else None,
                                  new[0] if new else None, new[1] if new else None, new[2] if new else None))
    changes.sort(key=lambda c: (c.kind == "retimed", c.new_day or c.old_day, c.new_start or c.old_start or 0))
    return tuple(changes)


def preview_edit(actor: Any, plan: Plan, edit: Edit) -> EditPreview:
    """What the edit would change, desa by desa; nothing is written. :raise DomainError: refused, with why."""
    draft = _draft(plan, edit)
    return EditPreview(_changes(plan, draft), plan.published_at is not None)


def _sync_announced(plan: Plan, changes: tuple[EditChange, ...]) -> None:
    """Bring the announced visits of a published plan in line with the edit."""
    announced = _announced(plan)
    ids = dict(db.session.execute(select(Desa.code, Desa.id).where(
        Desa.code.in_([c.desa_code for c in changes]))).all())
    from app.visits.announcements import announce

    for c in changes:
        visit = announced.get(ids[c.desa_code])
        if c.kind == "removed":
            if visit is not None:
                visit.status = "dibatalkan"
                visit.status_reason = f"Dihapus dari rencana {plan.name} oleh perencana."
                db.session.flush()
                announce(visit, "visit_cancelled")
            continue
        new = visit is None
        if new:
            visit = Visit(regency_id=plan.regency_id, desa_id=ids[c.desa_code], status="dijadwalkan",
                          plan_id=plan.id, mode=plan.mode)
            db.session.add(visit)
        visit.day, visit.planned_start_min, visit.planned_end_min = c.new_day, round(c.new_start), round(c.new_end)
        db.session.flush()
        announce(visit, "visit_scheduled" if new else "visit_changed", old_day=c.old_day)


@unit_of_work
def apply_edit(actor: Any, plan: Plan, edit: Edit) -> EditPreview:
    """Make the edit; on a published plan the announced visits follow. :raise DomainError: refused, with why."""
    draft = _draft(plan, edit)
    changes = _changes(plan, draft)
    _write(plan, draft.problem, draft.routes, draft.changed)
    if draft.removed:
        desa_id = db.session.scalar(select(Desa.id).where(Desa.code == draft.removed))
        plan.unvisited.append(PlanUnvisited(desa_id=desa_id, reason="manual", detail="Dihapus oleh perencana."))
    if draft.added:
        for row in list(plan.unvisited):
            if row.desa.code == draft.added:
                plan.unvisited.remove(row)
    published = plan.published_at is not None
    if published:
        _sync_announced(plan, changes)
    action = {"move": "plan_visit_moved", "remove": "plan_visit_removed", "add": "plan_visit_added"}[edit.kind]
    record_audit(action, "plan", plan.id, actor=actor, after={
        "published": published, "changes": [{"desa": c.desa_code, "kind": c.kind, "from": c.old_day,
                                             "to": c.new_day} for c in changes]})
    return EditPreview(changes, published)


def move_visit(actor: Any, plan: Plan, visit_id: int, to_day: date) -> EditPreview:
    """Move a visit to another day, at the position with the least travel that keeps the day feasible."""
    return apply_edit(actor, plan, Edit("move", visit_id=visit_id, day=to_day))


def remove_visit(actor: Any, plan: Plan, visit_id: int) -> EditPreview:
    """Take a visit out of the plan; the desa is listed as removed by hand."""
    return apply_edit(actor, plan, Edit("remove", visit_id=visit_id))


def add_visit(actor: Any, plan: Plan, desa_code: str, to_day: date) -> EditPreview:
    """Add a desa to a day at its best feasible position; refused with the reason when the day cannot take it."""
    return apply_edit(actor, plan, Edit("add", desa_code=desa_code, day=to_day))
