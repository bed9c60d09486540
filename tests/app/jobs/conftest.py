"""Helpers for the job tests: a world with an overdue aspiration and a visit whose agenda requests a service."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.aspirations.models import Aspiration, AspirationCategory, AspirationService
from app.extensions import db
from app.notifications.models import Notification
from app.visits.models import ServiceType, Visit, VisitAgendaItem
from tests.factories import World

_counter = {"n": 0}


def add_aspiration(world: World, *, due_on: date, sector: str | None = "adminduk", status: str = "didisposisikan",
                   desa=None) -> Aspiration:
    _counter["n"] += 1
    category = db.session.scalar(select(AspirationCategory).order_by(AspirationCategory.id).limit(1))
    asp = Aspiration(reference=f"ASP-JOB-{_counter['n']:04d}", regency_id=world.regency.id,
                     desa_id=(desa or world.desa_a).id, channel="portal", category_id=category.id, title="Jalan rusak",
                     description="Perlu perbaikan.", urgency="sedang", status=status, submitted_on=due_on,
                     due_on=due_on, opd_sector=sector)
    db.session.add(asp)
    db.session.flush()
    return asp


def add_visit(world: World, day: date, *, desa=None, service_sector: str = "adminduk") -> Visit:
    desa = desa or world.desa_a
    visit = Visit(regency_id=world.regency.id, desa_id=desa.id, day=day, status="dijadwalkan")
    db.session.add(visit)
    db.session.flush()
    asp = add_aspiration(world, due_on=day, desa=desa, status="diajukan")
    code = db.session.scalar(select(ServiceType.code).where(ServiceType.sector == service_sector).limit(1))
    db.session.add(AspirationService(aspiration_id=asp.id, service_code=code, quantity=5))
    db.session.add(VisitAgendaItem(visit_id=visit.id, aspiration_id=asp.id))
    db.session.flush()
    return visit


def notification_keys(kind: str | None = None) -> list[str]:
    stmt = select(Notification.key).order_by(Notification.key)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def world(app_ctx) -> World:
    return World()
