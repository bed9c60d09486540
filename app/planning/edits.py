"""Manual plan edits, each checked against the constraints at once (a broken day is refused, never saved).

Every edit recomputes the affected days' times on the stored problem (`optimizer.time_day`) and then
runs the independent checker over the whole plan before anything is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

import optimizer
from app.core.audit import record_audit
from app.core.errors import Conflict, DomainError, NotFound
from app.core.services import unit_of_work
from app.extensions import db
from app.planning import translate
from app.planning.models import Plan, PlanDay, PlanUnvisited, PlanVisit
from app.regions.models import Desa

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def day_label(day: date) -> str:
    """ "Senin, 7 Desember 2026" — also outside a request (jobs, CLI), so no Babel here."""
    from app.planning.queries import MONTHS

    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def _editable(plan: Plan) -> None:
    if plan.status != "done":
        raise DomainError("Rencana hanya dapat diubah setelah selesai disusun.")
    if plan.published_at is not None:
        raise Conflict("Rencana ini sudah diterbitkan. Jalankan optimasi ulang untuk mengubah jadwal.")


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


def _apply(plan: Plan, problem: optimizer.Problem, sequences: dict[date, list[str]],
           changed: list[date]) -> None:
    """Write new sequences for the changed days after checking the whole plan independently."""
    for day in changed:
        d = problem.days[problem.day_index()[day.isoformat()]]
        if d.max_visits is not None and len(sequences[day]) > d.max_visits:
            raise DomainError(_why_not(problem, day, sequences[day]))
        if _timed(problem, day, sequences[day]) is None:
            raise DomainError(_why_not(problem, day, sequences[day]))
    routes = []
    for d in problem.days:
        timed = _timed(problem, date.fromisoformat(d.id), sequences.get(date.fromisoformat(d.id), []))
        routes.append(optimizer.Route(day=d.id, visits=timed.visits, depart_min=timed.depart_min,
                                      return_min=timed.return_min, travel_min=timed.travel_min))
    visited = {v.site for r in routes for v in r.visits}
    check = optimizer.Solution(routes=tuple(routes), unvisited=tuple(
        optimizer.Unvisited(site=s.id, reason="displaced") for s in problem.sites if s.id not in visited))
    # A planner may knowingly drop a mandatory desa or move a previously locked one; totals are recomputed below.
    violations = [v for v in optimizer.check_solution(problem, check) if v.kind not in ("mandatory", "lock", "total")]
    if violations:
        raise DomainError("Perubahan ditolak oleh pemeriksa: " + "; ".join(v.message for v in violations[:3]))
    desa_ids = dict(db.session.execute(select(Desa.code, Desa.id).where(Desa.code.in_(visited | {
        s for seq in sequences.values() for s in seq}))).all())
    by_route = {r.day: r for r in routes}
    for pd in plan.days:
        if pd.day not in changed:
            continue
        locked = {v.desa.code for v in pd.visits if v.locked}
        pd.visits.clear()
        db.session.flush()
        route = by_route[pd.day.isoformat()]
        previous_end = problem.days[problem.day_index()[pd.day.isoformat()]].start_min
        for position, v in enumerate(route.visits):
            pd.visits.append(PlanVisit(desa_id=desa_ids[v.site], position=position, arrive_min=v.arrive_min,
                                       start_min=v.start_min, end_min=v.end_min,
                                       travel_min=max(v.arrive_min - previous_end, 0.0), locked=v.site in locked))
            previous_end = v.end_min
        pd.return_min = route.return_min if route.visits else None
    prizes = {s.id: s.prize for s in problem.sites}
    plan.total_priority = round(sum(prizes[s] for s in visited), 4)
    plan.total_travel_min = round(sum(r.travel_min for r in routes if r.visits), 2)


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


@unit_of_work
def move_visit(actor: Any, plan: Plan, visit_id: int, to_day: date) -> None:
    """Move a visit to another day, at the position with the least travel that keeps the day feasible."""
    _editable(plan)
    visit = _find_visit(plan, visit_id)
    code, from_day = visit.desa.code, visit.plan_day.day
    if from_day == to_day:
        return
    _find_day(plan, to_day)
    problem = translate.load_problem(plan)
    seqs = _sequences(plan)
    seqs[from_day] = [c for c in seqs[from_day] if c != code]
    inserted = _best_insertion(problem, to_day, seqs[to_day], code)
    if inserted is None:
        raise DomainError(_why_not(problem, to_day, [*seqs[to_day], code]))
    seqs[to_day] = inserted
    _apply(plan, problem, seqs, [from_day, to_day])
    record_audit("plan_visit_moved", "plan", plan.id, actor=actor,
                 after={"desa": code, "from": from_day, "to": to_day})


@unit_of_work
def remove_visit(actor: Any, plan: Plan, visit_id: int) -> None:
    """Take a visit out of the plan; the desa is listed as removed by hand."""
    _editable(plan)
    visit = _find_visit(plan, visit_id)
    code, day, desa_id = visit.desa.code, visit.plan_day.day, visit.desa_id
    problem = translate.load_problem(plan)
    seqs = _sequences(plan)
    seqs[day] = [c for c in seqs[day] if c != code]
    _apply(plan, problem, seqs, [day])
    plan.unvisited.append(PlanUnvisited(desa_id=desa_id, reason="manual", detail="Dihapus oleh perencana."))
    record_audit("plan_visit_removed", "plan", plan.id, actor=actor, after={"desa": code, "day": day})


@unit_of_work
def add_visit(actor: Any, plan: Plan, desa_code: str, to_day: date) -> None:
    """Add a desa to a day at its best feasible position; refused with the reason when the day cannot take it."""
    _editable(plan)
    _find_day(plan, to_day)
    seqs = _sequences(plan)
    if any(desa_code in seq for seq in seqs.values()):
        raise DomainError("Desa ini sudah ada dalam rencana; pindahkan kunjungannya bila perlu.")
    problem = translate.load_problem(plan)
    inserted = _best_insertion(problem, to_day, seqs[to_day], desa_code)
    if inserted is None:
        raise DomainError(_why_not(problem, to_day, [*seqs[to_day], desa_code]))
    seqs[to_day] = inserted
    _apply(plan, problem, seqs, [to_day])
    for row in list(plan.unvisited):
        if row.desa.code == desa_code:
            plan.unvisited.remove(row)
    record_audit("plan_visit_added", "plan", plan.id, actor=actor, after={"desa": desa_code, "day": to_day})
