"""Event notifications of planning: each desa's people hear when their visit is announced, moved or cancelled, and
whoever started a plan run hears that it finished or failed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.planning import edits, services
from app.visits.models import Visit


def _kinds(user) -> list[str]:
    return [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                               .order_by(Notification.id))]


def test_publication_tells_the_kepala_desa_and_camat_and_is_not_repeated(world, make_plan, clock):
    clock.set(date(2026, 11, 27))
    plan = make_plan()
    assert _kinds(world.users["planner"]) == ["plan_finished"]  # the planner started the run
    services.publish(world.users["planner"], plan)
    kades, camat, kades_b = world.users["kepala_desa"], world.users["camat"], world.kades_b
    assert _kinds(kades) == ["visit_scheduled"] and _kinds(kades_b) == ["visit_scheduled"]
    assert _kinds(camat) == ["visit_scheduled", "visit_scheduled"]  # two desa of kecamatan A
    note = db.session.scalar(select(Notification).where(Notification.user_id == kades.id))
    visit = db.session.scalar(select(Visit).where(Visit.desa_id == world.desa_a.id))
    assert world.desa_a.name in note.title and note.url == f"/kunjungan/{visit.id}"
    assert "Desember 2026" in note.body and "2026-12" not in note.body
    assert _kinds(world.users["dprd"]) == []  # DPRD hears nothing of a single visit

    # a published edit: the moved desa hears the new date, the removed one the cancellation
    visit_a = next(v for d in plan.days for v in d.visits if v.desa_id == world.desa_a.id)
    target = next(d.day for d in plan.days if d.day != visit_a.plan_day.day)
    edits.apply_edit(world.users["planner"], plan, edits.Edit("move", visit_id=visit_a.id, day=target))
    assert _kinds(kades)[-1] == "visit_changed"
    moved = db.session.scalars(select(Notification).where(Notification.user_id == kades.id)).all()[-1]
    assert "sebelumnya" in moved.body
    plan = db.session.get(type(plan), plan.id)
    visit_b = next(v for d in plan.days for v in d.visits if v.desa_id == world.desa_b.id)
    edits.apply_edit(world.users["planner"], plan, edits.Edit("remove", visit_id=visit_b.id))
    assert _kinds(kades_b)[-1] == "visit_cancelled"


def test_a_failed_run_tells_whoever_started_it(world, make_plan):
    for desa in (world.desa_a, world.desa_a2, world.desa_b):
        desa.lat = desa.lon = None
    db.session.commit()
    plan = make_plan()
    assert plan.status == "failed"
    note = db.session.scalar(select(Notification).where(Notification.user_id == world.users["planner"].id))
    assert note.kind == "plan_failed" and "Impor lokasi" in note.body
