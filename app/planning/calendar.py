"""The planning calendar: which dates in a horizon the bupati can spend in a village."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.aspirations.models import RegencyDayOff
from app.core.workdays import national_days_off
from app.extensions import db
from app.planning.models import BlockedDate, PlanningSettings

MAX_HORIZON_DAYS = 190  # about six months


def settings_for(regency_id: int) -> PlanningSettings:
    """The regency's settings row, or an unsaved one carrying the defaults."""
    row = db.session.scalar(select(PlanningSettings).where(PlanningSettings.regency_id == regency_id))
    if row is not None:
        return row
    defaults = {c.name: c.default.arg for c in PlanningSettings.__table__.columns if c.default is not None}
    return PlanningSettings(regency_id=regency_id, **defaults)


def excluded_dates(regency_id: int, start: date, end: date) -> dict[date, str]:
    """Dates in [start, end] that are not available, with the reason shown to the planner."""
    out: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day in national_days_off(year):
            if start <= day <= end:
                out[day] = "Libur nasional / cuti bersama"
    for row in db.session.scalars(select(RegencyDayOff).where(RegencyDayOff.regency_id == regency_id,
                                                              RegencyDayOff.day.between(start, end))):
        out[row.day] = f"Libur kabupaten: {row.reason}"
    for row in db.session.scalars(select(BlockedDate).where(BlockedDate.regency_id == regency_id,
                                                            BlockedDate.day.between(start, end))):
        out[row.day] = f"Agenda lain bupati: {row.reason}"
    return out


def planning_dates(regency_id: int, start: date, end: date) -> list[date]:
    """Working weekdays of the regency in [start, end], minus holidays, days off and blocked dates."""
    settings = settings_for(regency_id)
    weekdays = {int(x) for x in settings.working_weekdays.split(",") if x.strip().isdigit()}
    excluded = excluded_dates(regency_id, start, end)
    days, current = [], start
    while current <= end:
        if current.weekday() in weekdays and current not in excluded:
            days.append(current)
        current += timedelta(days=1)
    return days
