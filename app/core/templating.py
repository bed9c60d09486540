"""Jinja filters and globals: Indonesian number and date formats, role labels, the permission check."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, g
from flask_babel import format_date, format_decimal, get_locale

from app.aspirations.models import CHANNEL_LABELS, STATUS_LABELS, URGENCY_LABELS
from app.core.catalog import SERVICE_TYPES
from app.core.clock import to_local
from app.core.permissions import ROLE_LABELS, SECTORS, Permission, Role


def fmt_number(value: float | int | None, digits: int = 0) -> str:
    """1.234 (id) or 1,234 (en); a dash for missing values."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def fmt_percent(value: float | None, digits: int = 1) -> str:
    """A share as "12,5%"."""
    if value is None:
        return "–"
    return fmt_number(value * 100, digits) + "%"


def fmt_date(value: date | datetime | str | None) -> str:
    """28 November 2026 (also from an ISO string, as stored in JSON history)."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = to_local(value)
    return format_date(value, format="d MMMM y")


def fmt_datetime(value: datetime | None) -> str:
    """28 November 2026 09.15 WIB."""
    if value is None:
        return "–"
    local = to_local(value)
    return f"{format_date(local, format='d MMMM y')} {local:%H.%M} WIB"


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(number=fmt_number, percent=fmt_percent, tanggal=fmt_date, waktu=fmt_datetime)

    @app.context_processor
    def _globals() -> dict:
        actor = getattr(g, "actor", None)
        return {
            "actor": actor,
            "can": (lambda p: actor is not None and actor.can(Permission(p))),
            "ROLE_LABELS": {r.value: label for r, label in ROLE_LABELS.items()},
            "SECTORS": SECTORS,
            "Role": Role,
            "current_locale": str(get_locale() or "id"),
            "STATUS_LABELS": STATUS_LABELS,
            "URGENCY_LABELS": URGENCY_LABELS,
            "CHANNEL_LABELS": CHANNEL_LABELS,
            "SERVICE_TYPES": SERVICE_TYPES,
        }
