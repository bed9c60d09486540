"""Working days: Monday–Friday minus national holidays and cuti bersama (lokal-id) and regency days off.

This is the one business-day function every deadline uses. Years that lokal-id does not cover count weekends only,
and `holiday_years_covered` lets callers warn about that.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta

from lokal.holidays import _DATA as _LOKAL_YEARS
from lokal.holidays import get_holidays

WEEKEND = (5, 6)  # Saturday, Sunday (date.weekday())


@functools.cache
def national_days_off(year: int) -> frozenset[date]:
    """National holidays and cuti bersama of a year; empty for years the package does not know."""
    if year not in _LOKAL_YEARS:
        return frozenset()
    return frozenset(date.fromisoformat(h.date) for h in get_holidays(year).holidays)


@functools.cache
def national_holiday_names(year: int) -> dict[date, str]:
    """Date -> Indonesian name of each national holiday and cuti bersama of a year (empty when not covered)."""
    if year not in _LOKAL_YEARS:
        return {}
    return {date.fromisoformat(h.date): h.name + (" (cuti bersama)" if h.type == "cuti_bersama" else "")
            for h in get_holidays(year).holidays}


def holiday_years_covered() -> tuple[int, ...]:
    return tuple(sorted(_LOKAL_YEARS))


def is_working_day(day: date, extra_days_off: Iterable[date] = ()) -> bool:
    """A weekday that is neither a national holiday, cuti bersama nor a regency day off."""
    if day.weekday() in WEEKEND or day in national_days_off(day.year):
        return False
    return day not in set(extra_days_off)


def add_working_days(start: date, days: int, extra_days_off: Iterable[date] = ()) -> date:
    """The date `days` working days after `start` (start itself does not count); days ≥ 0."""
    if days < 0:
        raise ValueError("days must be zero or more")
    off = frozenset(extra_days_off)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, off):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, extra_days_off: Iterable[date] = ()) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    off = frozenset(extra_days_off)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, off):
            count += 1
    return count
