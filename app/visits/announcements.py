"""Telling the people of a desa when their Bunga Desa day is announced, moved or cancelled.

Announced dates are promises to villages: the kepala desa prepares the hall and the residents, the camat joins, the
OPD whose services are on the agenda bring their equipment. So every announced change reaches them (in-app, and by
e-mail or WhatsApp by their preferences) as ``visit_scheduled``, ``visit_changed`` or ``visit_cancelled``. The key
names the event and the new date, so a retried publication notifies nobody twice.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from app.auth.models import User
from app.extensions import db
from app.notifications.services import notify
from app.regions.models import Desa
from app.visits.models import ServiceType, Visit


def _day(day: date) -> str:
    """ "Kamis, 7 Januari 2027": the planning pages' wording (no request needed, so usable from the worker)."""
    from app.planning.edits import day_label  # planning calls this module; imported here to keep the layers acyclic

    return day_label(day)


def _hours(visit: Visit) -> str:
    if visit.planned_start_min is None:
        return ""
    s, e = visit.planned_start_min, visit.planned_end_min or visit.planned_start_min
    return f", pukul {s // 60:02d}.{s % 60:02d}–{e // 60:02d}.{e % 60:02d}"


def recipients(visit: Visit) -> list[User]:
    """The kepala desa of the desa, the camat of its kecamatan, and OPD officers whose sector has services asked
    for by the aspirations on the visit's agenda."""
    desa = db.session.get(Desa, visit.desa_id)
    sectors = set()
    for entry in visit.agenda:
        for line in entry.aspiration.services:
            st = db.session.scalar(select(ServiceType).where(ServiceType.code == line.service_code))
            if st is not None:
                sectors.add(st.sector)
    conditions = [(User.role == "kepala_desa") & (User.desa_id == desa.id),
                  (User.role == "camat") & (User.kecamatan_id == desa.kecamatan_id)]
    if sectors:
        conditions.append((User.role == "opd") & User.sector.in_(sectors))
    return list(db.session.scalars(select(User).where(User.regency_id == visit.regency_id, User.active.is_(True),
                                                      or_(*conditions)).order_by(User.id)))


def announce(visit: Visit, kind: str, *, old_day: date | None = None) -> int:
    """Notify the visit's people of ``kind`` (``visit_scheduled``, ``visit_changed``, ``visit_cancelled``);
    flushes only (the caller's unit of work commits). Returns how many were notified."""
    desa = db.session.get(Desa, visit.desa_id)
    place = f"{desa.kind.capitalize()} {desa.name}"
    if kind == "visit_scheduled":
        title = f"Bunga Desa di {place}: {_day(visit.day)}"
        body = f"Bupati dijadwalkan berkantor/berkunjung di {place} pada {_day(visit.day)}{_hours(visit)}."
        key = f"visit_scheduled:visit:{visit.id}:{visit.day.isoformat()}"
    elif kind == "visit_changed":
        title = f"Jadwal Bunga Desa di {place} berubah"
        was = f" (sebelumnya {_day(old_day)})" if old_day and old_day != visit.day else ""
        body = f"Kunjungan bupati ke {place} kini pada {_day(visit.day)}{_hours(visit)}{was}."
        key = f"visit_changed:visit:{visit.id}:{visit.day.isoformat()}:{visit.planned_start_min}"
    elif kind == "visit_cancelled":
        title = f"Bunga Desa di {place} dibatalkan"
        body = f"Kunjungan bupati ke {place} pada {_day(visit.day)} dibatalkan."
        if visit.status_reason:
            body += f" Alasan: {visit.status_reason}"
        key = f"visit_cancelled:visit:{visit.id}"
    else:
        raise ValueError(f"unknown announcement {kind!r}")
    url = f"/kunjungan/{visit.id}"
    return sum(bool(notify(user, kind=kind, title=title, body=body, key=key, url=url,
                           payload={"visit_id": visit.id, "date": visit.day.isoformat()}))
               for user in recipients(visit))
