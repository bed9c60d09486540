"""Indonesian number, percent and date formats shared by templates and charts.

Kept locale-free on purpose (no ``locale.setlocale``, no Babel): reports are
rendered from jobs and tests where the process locale is unknown, and the
same data must always give the same bytes.
"""

from __future__ import annotations

import math
from datetime import date

__all__ = [
    "DAY_NAMES",
    "MONTH_ABBR",
    "MONTH_NAMES",
    "format_date",
    "format_date_long",
    "format_day",
    "format_kpi",
    "format_number",
    "format_percent",
]

MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
#: Monday first, like ``date.weekday()``.
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

#: What an empty value looks like in a table cell or KPI tile.
EMPTY = "–"


def format_number(value: float | int | None, decimals: int | None = None) -> str:
    """``1234`` → ``"1.234"``, ``12.5`` → ``"12,5"`` (floats get one decimal unless told otherwise).

    Integers never get decimals so counts read as counts; ``None``/NaN become "–"
    instead of raising, because a missing figure must not break a whole report.
    """
    if value is None or isinstance(value, bool):
        return EMPTY if value is None else str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return EMPTY
    if decimals is None:
        decimals = 0 if isinstance(value, int) else 1
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and text.strip("-0.,") == "":
        text = text[1:]  # no "-0,0"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(share: float | None, decimals: int = 1) -> str:
    """A share 0..1 as ``"12,5%"`` (Indonesian decimal comma, no space before %)."""
    if share is None or (isinstance(share, float) and not math.isfinite(share)):
        return EMPTY
    return format_number(float(share) * 100, decimals) + "%"


def format_date(value: date | None) -> str:
    """``date(2026, 11, 28)`` → ``"28 November 2026"``."""
    if value is None:
        return EMPTY
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def format_day(value: date | None) -> str:
    """Day name: ``date(2026, 11, 28)`` → ``"Sabtu"``."""
    if value is None:
        return EMPTY
    return DAY_NAMES[value.weekday()]


def format_date_long(value: date | None) -> str:
    """``"Sabtu, 28 November 2026"``: the form used on letters and signature blocks."""
    if value is None:
        return EMPTY
    return f"{format_day(value)}, {format_date(value)}"


def format_kpi(value: float | int | None, kind: str = "number") -> str:
    """Format a KPI by its kind: ``percent`` (share), ``days`` (one decimal + "hari") or a plain number."""
    if value is None:
        return EMPTY
    if kind == "percent":
        return format_percent(value)
    if kind == "days":
        return f"{format_number(float(value), 1)} hari"
    return format_number(value)
