"""One place for "now", so tests can reason about time and every stored time is UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    """Aware current time in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone columns; treat them as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    """A stored UTC time as wall-clock time in Asia/Jakarta (WIB)."""
    utc = as_utc(value)
    return utc.astimezone(LOCAL_TZ) if utc else None
