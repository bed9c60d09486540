"""iCalendar feeds (RFC 5545) of scheduled visits behind secret, revocable addresses."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import select, update

from app.core.audit import record_audit
from app.core.clock import LOCAL_TZ, utcnow
from app.core.services import unit_of_work
from app.extensions import db
from app.planning.models import CalendarToken
from app.regions.models import Desa
from app.visits.models import VISIT_STATUS_LABELS, Visit


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@unit_of_work
def issue_calendar_token(actor: Any) -> str:
    """A new feed address; any earlier address of the user stops working (one live feed per user)."""
    db.session.execute(update(CalendarToken).where(CalendarToken.user_id == actor.id,
                                                   CalendarToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    token = secrets.token_urlsafe(24)
    db.session.add(CalendarToken(user_id=actor.id, token_hash=_digest(token)))
    record_audit("calendar_token_issued", "user", actor.id, actor=actor)
    return token


@unit_of_work
def revoke_calendar_tokens(actor: Any) -> None:
    db.session.execute(update(CalendarToken).where(CalendarToken.user_id == actor.id,
                                                   CalendarToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    record_audit("calendar_token_revoked", "user", actor.id, actor=actor)


def has_live_token(actor: Any) -> bool:
    return db.session.scalar(select(CalendarToken.id).where(CalendarToken.user_id == actor.id,
                                                            CalendarToken.revoked_at.is_(None))) is not None


def user_for_calendar_token(token: str) -> Any | None:
    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token_hash == _digest(token),
                                                        CalendarToken.revoked_at.is_(None)))
    if row is None:
        return None
    from app.auth.models import User

    user = db.session.get(User, row.user_id)
    return user if user is not None and user.active else None


def visits_for(actor: Any) -> list[Visit]:
    """The office sees every visit of the regency; a kepala desa their desa's; a camat their kecamatan's."""
    stmt = select(Visit).join(Desa, Visit.desa_id == Desa.id).where(Visit.regency_id == actor.regency_id,
                                                                     Visit.status != "dibatalkan")
    if actor.role == "kepala_desa":
        stmt = stmt.where(Visit.desa_id == actor.desa_id)
    elif actor.role == "camat":
        stmt = stmt.where(Desa.kecamatan_id == actor.kecamatan_id)
    return list(db.session.scalars(stmt.order_by(Visit.day)))


def build_calendar(visits: list[Visit], *, name: str, host: str) -> bytes:
    """One VEVENT per visit with a stable UID, local times in Asia/Jakarta."""
    cal = Calendar()
    cal.add("prodid", "-//Pemerintah Kabupaten Banyuwangi//Bunga Desa//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Jakarta")
    stamp = utcnow()
    for visit in visits:
        start_min = visit.planned_start_min if visit.planned_start_min is not None else 8 * 60
        end_min = visit.planned_end_min if visit.planned_end_min is not None else start_min + 120
        base = datetime(visit.day.year, visit.day.month, visit.day.day, tzinfo=LOCAL_TZ)
        event = Event()
        event.add("uid", f"visit-{visit.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", base + timedelta(minutes=start_min))
        event.add("dtend", base + timedelta(minutes=end_min))
        event.add("summary", f"Bunga Desa: {visit.desa.name} (Kec. {visit.desa.kecamatan.name})")
        event.add("location", f"{visit.desa.name}, {visit.desa.kecamatan.name}, Banyuwangi")
        event.add("description", f"Status: {VISIT_STATUS_LABELS[visit.status]}")
        if visit.desa.lat is not None:
            event.add("geo", (visit.desa.lat, visit.desa.lon))
        event.add("status", "CONFIRMED" if visit.status in ("dijadwalkan", "berlangsung", "selesai") else "TENTATIVE")
        cal.add_component(event)
    return cal.to_ical()
