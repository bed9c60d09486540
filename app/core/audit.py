"""Audit log: who changed what and when, with before/after values, for every change made through a service."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import utcnow
from app.extensions import db

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_SECRET_KEYS = {"password", "password_hash", "token", "token_hash", "csrf_token"}


class AuditLog(db.Model):
    """One audited action; rows are only ever inserted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(45))


def _clean(value: Any) -> Any:
    """JSON-safe copy without secrets, with any 16-digit number (a NIK) masked."""
    if isinstance(value, dict):
        return {k: ("***" if k in _SECRET_KEYS else _clean(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return _NIK.sub(lambda m: m.group()[:4] + "*" * 8 + m.group()[-4:], value)
    return value


def record_audit(
    action: str,
    entity: str,
    entity_id: object | None = None,
    *,
    actor: Any | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    """Add an audit row to the current unit of work (committed with it)."""
    if actor is None and has_request_context():
        actor = getattr(g, "actor", None)
    entry = AuditLog(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=_clean(before) if before else None,
        after=_clean(after) if after else None,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def changes(obj: Any, fields: list[str]) -> dict[str, Any]:
    """Snapshot of the named attributes, for before/after values."""
    return {f: getattr(obj, f) for f in fields}
