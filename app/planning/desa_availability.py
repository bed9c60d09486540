"""A desa's planning constraints: availability windows (weekday or date, with hours), closed months and extra
travel minutes — read, changed all or nothing, and turned into optimizer windows for a plan's days."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app.core.audit import record_audit
from app.core.errors import FieldErrors
from app.core.services import unit_of_work
from app.extensions import db
from app.planning.day_settings import hhmm, parse_hhmm
from app.planning.models import DesaPlanning, DesaWindow
from app.regions.models import Desa

MAX_WINDOWS = 14


def windows_of(desa_ids: list[int]) -> dict[int, list[DesaWindow]]:
    """Desa id → its windows (only desa that have any)."""
    out: dict[int, list[DesaWindow]] = {}
    for row in db.session.scalars(select(DesaWindow).where(DesaWindow.desa_id.in_(desa_ids))
                                  .order_by(DesaWindow.day, DesaWindow.weekday, DesaWindow.start_min)):
        out.setdefault(row.desa_id, []).append(row)
    return out


def window_on(windows: list[DesaWindow], day: date) -> tuple[int, int] | None:
    """The hours a desa can be visited on ``day`` (a window for that date wins over its weekday's), or None."""
    dated = next((w for w in windows if w.day == day), None)
    chosen = dated or next((w for w in windows if w.weekday == day.isoweekday()), None)
    return None if chosen is None else (chosen.start_min, chosen.end_min)


def as_dict(desa: Desa) -> dict[str, Any]:
    """The desa's planning constraints as the API returns them."""
    row = db.session.scalar(select(DesaPlanning).where(DesaPlanning.desa_id == desa.id))
    windows = windows_of([desa.id]).get(desa.id, [])
    return {
        "village_code": desa.code,
        "windows": [{**({"weekday": w.weekday} if w.weekday else {"date": w.day.isoformat()}),
                     "start": hhmm(w.start_min), "end": hhmm(w.end_min)} for w in windows],
        "closed_months": sorted(int(m) for m in (row.closed_months or "").split(",") if m.strip().isdigit())
        if row else [],
        "extra_travel_min": row.extra_travel_min if row else 0,
    }


def _parse_windows(value: Any, errors: dict[str, str]) -> list[DesaWindow]:
    if not isinstance(value, list) or len(value) > MAX_WINDOWS:
        errors["windows"] = f"Isi daftar jendela waktu (paling banyak {MAX_WINDOWS})."
        return []
    out, seen = [], set()
    for k, w in enumerate(value):
        where = f"windows.{k}"
        if not isinstance(w, dict):
            errors[where] = "Setiap jendela waktu berisi hari (weekday) atau tanggal (date), jam mulai dan selesai."
            continue
        weekday, day = w.get("weekday"), None
        if w.get("date") is not None:
            try:
                day = date.fromisoformat(str(w["date"]))
            except ValueError:
                errors[f"{where}.date"] = "Tanggal wajib berformat YYYY-MM-DD."
                continue
        if (weekday is None) == (day is None):
            errors[where] = "Isi salah satu: hari (1 = Senin … 7 = Minggu) atau tanggal."
            continue
        if weekday is not None and (isinstance(weekday, bool) or not isinstance(weekday, int)
                                    or not 1 <= weekday <= 7):
            errors[f"{where}.weekday"] = "Hari berupa angka 1 (Senin) sampai 7 (Minggu)."
            continue
        start = parse_hhmm(w.get("start"), f"{where}.start", errors)
        end = parse_hhmm(w.get("end"), f"{where}.end", errors)
        if start is None or end is None:
            continue
        if end <= start:
            errors[f"{where}.end"] = "Jam selesai harus sesudah jam mulai."
            continue
        key = weekday or day
        if key in seen:
            errors[where] = "Hari atau tanggal ini sudah punya jendela waktu; satu jendela per hari."
            continue
        seen.add(key)
        out.append(DesaWindow(weekday=weekday, day=day, start_min=start, end_min=end))
    return out


@unit_of_work
def update(actor: Any, desa: Desa, changes: dict[str, Any]) -> Desa:
    """Change any of windows (replaced whole), closed_months and extra_travel_min; all or nothing.

    :raise FieldErrors: per field (e.g. "windows.0.start").
    """
    if not isinstance(changes, dict):
        raise FieldErrors({"body": "Kirim objek JSON."})
    errors: dict[str, str] = {}
    for key in sorted(set(changes) - {"windows", "closed_months", "extra_travel_min"}):
        errors[key] = "Pengaturan ini tidak dikenal."
    windows = _parse_windows(changes["windows"], errors) if "windows" in changes else None
    months = changes.get("closed_months")
    if "closed_months" in changes and (not isinstance(months, list) or any(
            isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12 for m in months)):
        errors["closed_months"] = "Bulan tertutup berupa daftar angka 1–12."
    extra = changes.get("extra_travel_min")
    if "extra_travel_min" in changes and (isinstance(extra, bool) or not isinstance(extra, int)
                                          or not 0 <= extra <= 240):
        errors["extra_travel_min"] = "Tambahan waktu tempuh 0–240 menit."
    if errors:
        raise FieldErrors(errors)
    before = as_dict(desa)
    row = db.session.scalar(select(DesaPlanning).where(DesaPlanning.desa_id == desa.id))
    if row is None and ("closed_months" in changes or "extra_travel_min" in changes):
        row = DesaPlanning(desa_id=desa.id, extra_travel_min=0)
        db.session.add(row)
    if "closed_months" in changes:
        row.closed_months = ",".join(str(m) for m in sorted(set(months))) or None
    if "extra_travel_min" in changes:
        row.extra_travel_min = extra
    if windows is not None:
        for old in db.session.scalars(select(DesaWindow).where(DesaWindow.desa_id == desa.id)):
            db.session.delete(old)
        db.session.flush()
        for w in windows:
            w.desa_id = desa.id
            db.session.add(w)
    db.session.flush()
    record_audit("desa_planning_saved", "desa", desa.code, actor=actor, before=before, after=as_dict(desa))
    return desa
