"""The regency's planning settings (working day, breaks, visit modes, weekdays): read and change them.

One representation serves the API and the settings page: ``as_dict`` gives the JSON of the API contract
(times "HH:MM", weekdays as ISO numbers 1 = Monday … 7 = Sunday); ``update`` takes any subset of it, validates
everything against the result (Indonesian messages per field), bumps the version and audits before/after. Later
plans use the new settings; plans already made keep the problem they were solved on.
"""

from __future__ import annotations

import re
from typing import Any

from app.core.audit import record_audit
from app.core.errors import FieldErrors
from app.core.services import unit_of_work
from app.extensions import db
from app.planning.calendar import settings_for
from app.planning.models import PlanningSettings

_HHMM = re.compile(r"^([01]\d|2[0-3])[:.]([0-5]\d)$")
_MODE_LIMITS = {"kunjungan": (15, 480, 1, 10), "berkantor": (60, 600, 1, 3)}  # visit minutes, visits per day


def hhmm(minutes: int | None) -> str | None:
    return None if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def as_dict(row: PlanningSettings) -> dict[str, Any]:
    """The settings as the API returns them."""
    friday = None
    if row.friday_break_start_min is not None and row.friday_break_end_min is not None:
        friday = {"start": hhmm(row.friday_break_start_min), "end": hhmm(row.friday_break_end_min)}
    lunch = None
    if row.lunch_minutes:
        lunch = {"start": hhmm(row.lunch_start_min), "end": hhmm(row.lunch_end_min), "minutes": row.lunch_minutes}
    return {
        "day_start": hhmm(row.day_start_min), "day_end": hhmm(row.day_end_min),
        "friday_break": friday, "lunch_break": lunch,
        "modes": {"kunjungan": {"visit_min": row.kunjungan_min, "max_visits": row.kunjungan_max_visits},
                  "berkantor": {"visit_min": row.berkantor_min, "max_visits": row.berkantor_max_visits}},
        "weekdays": sorted(int(x) + 1 for x in row.working_weekdays.split(",") if x.strip().isdigit()),
        "mandatory_after_months": row.mandatory_after_months,
        "version": row.version or 1,
    }


def parse_hhmm(value: Any, field: str, errors: dict[str, str]) -> int | None:
    if not isinstance(value, str) or not _HHMM.match(value.strip()):
        errors[field] = "Isi jam dengan format JJ:MM, misalnya 07:30."
        return None
    h, m = _HHMM.match(value.strip()).groups()  # type: ignore[union-attr]
    return int(h) * 60 + int(m)


def _whole(value: Any, field: str, lo: int, hi: int, errors: dict[str, str], what: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        errors[field] = f"{what} harus bilangan bulat {lo}–{hi}."
        return None
    return value


def _interval(value: Any, field: str, errors: dict[str, str]) -> tuple[int, int] | None:
    if not isinstance(value, dict):
        errors[field] = "Isi jam mulai dan selesai, atau kosongkan."
        return None
    start, end = parse_hhmm(value.get("start"), f"{field}.start", errors), parse_hhmm(value.get("end"), f"{field}.end",
                                                                                    errors)
    if start is None or end is None:
        return None
    if end <= start:
        errors[f"{field}.end"] = "Jam selesai harus sesudah jam mulai."
        return None
    return start, end


def _apply_times(row: PlanningSettings, changes: dict[str, Any], errors: dict[str, str]) -> None:
    for key, attr in (("day_start", "day_start_min"), ("day_end", "day_end_min")):
        if key in changes:
            value = parse_hhmm(changes[key], key, errors)
            if value is not None:
                setattr(row, attr, value)
    if "friday_break" in changes:
        friday = changes["friday_break"]
        if friday is None:
            row.friday_break_start_min = row.friday_break_end_min = None
        elif (interval := _interval(friday, "friday_break", errors)) is not None:
            row.friday_break_start_min, row.friday_break_end_min = interval
    if "lunch_break" in changes:
        lunch = changes["lunch_break"]
        if lunch is None:
            row.lunch_start_min = row.lunch_end_min = row.lunch_minutes = None
        elif (interval := _interval(lunch, "lunch_break", errors)) is not None:
            minutes = _whole(lunch.get("minutes"), "lunch_break.minutes", 1, 180, errors, "Lama istirahat (menit)")
            if minutes is not None and minutes > interval[1] - interval[0]:
                errors["lunch_break.minutes"] = "Lama istirahat tidak muat di antara jam mulai dan selesainya."
            elif minutes is not None:
                row.lunch_start_min, row.lunch_end_min = interval
                row.lunch_minutes = minutes


def _apply_modes(row: PlanningSettings, changes: dict[str, Any], errors: dict[str, str]) -> None:
    modes = changes.get("modes", {})
    if not isinstance(modes, dict):
        errors["modes"] = "Isi lama kunjungan dan batas kunjungan per mode."
        return
    for mode, values in modes.items():
        if mode not in _MODE_LIMITS or not isinstance(values, dict):
            errors[f"modes.{mode}"] = "Mode tidak dikenal: gunakan kunjungan atau berkantor."
            continue
        lo, hi, cap_lo, cap_hi = _MODE_LIMITS[mode]
        if "visit_min" in values:
            minutes = _whole(values["visit_min"], f"modes.{mode}.visit_min", lo, hi, errors, "Lama kunjungan (menit)")
            if minutes is not None:
                setattr(row, f"{mode}_min", minutes)
        if "max_visits" in values:
            cap = _whole(values["max_visits"], f"modes.{mode}.max_visits", cap_lo, cap_hi, errors,
                         "Batas kunjungan per hari")
            if cap is not None:
                setattr(row, f"{mode}_max_visits", cap)


def _check_day(row: PlanningSettings, errors: dict[str, str]) -> None:
    """Rules across fields, on the settings as they would be saved."""
    if row.day_end_min <= row.day_start_min:
        errors.setdefault("day_end", "Jam selesai hari kerja harus sesudah jam mulainya.")
        return
    span = row.day_end_min - row.day_start_min
    for name, (start, end) in (("friday_break", (row.friday_break_start_min, row.friday_break_end_min)),
                               ("lunch_break", (row.lunch_start_min, row.lunch_end_min))):
        if start is not None and end is not None and (start < row.day_start_min or end > row.day_end_min):
            errors.setdefault(name, "Istirahat harus berada di dalam jam kerja.")
    for mode in _MODE_LIMITS:
        if getattr(row, f"{mode}_min") > span:
            errors.setdefault(f"modes.{mode}.visit_min", "Lama kunjungan melebihi panjang hari kerja.")


@unit_of_work
def update(actor: Any, changes: dict[str, Any]) -> PlanningSettings:
    """Apply any subset of the API's settings JSON; all or nothing.

    :raise FieldErrors: per field (keys as in the JSON, nested with dots, e.g. "lunch_break.minutes").
    """
    if not isinstance(changes, dict):
        raise FieldErrors({"body": "Kirim objek JSON."})
    row = settings_for(actor.regency_id)
    before = as_dict(row) if row.id is not None else None
    errors: dict[str, str] = {}
    unknown = set(changes) - {"day_start", "day_end", "friday_break", "lunch_break", "modes", "weekdays",
                              "mandatory_after_months", "version"}
    for key in sorted(unknown):
        errors[key] = "Pengaturan ini tidak dikenal."
    _apply_times(row, changes, errors)
    _apply_modes(row, changes, errors)
    if "weekdays" in changes:
        days = changes["weekdays"]
        if (not isinstance(days, list) or not days
                or any(isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 7 for d in days)):
            errors["weekdays"] = "Pilih minimal satu hari: 1 = Senin … 7 = Minggu."
        else:
            row.working_weekdays = ",".join(str(d - 1) for d in sorted(set(days)))
    if "mandatory_after_months" in changes:
        months = _whole(changes["mandatory_after_months"], "mandatory_after_months", 1, 120, errors,
                        "Batas bulan tanpa kunjungan")
        if months is not None:
            row.mandatory_after_months = months
    if not errors:
        _check_day(row, errors)
    if errors:
        raise FieldErrors(errors)  # unit_of_work rolls back: nothing of a refused change stays in the session
    row.version = (row.version or 1) + 1
    if row.id is None:
        db.session.add(row)
    db.session.flush()
    record_audit("planning_settings_saved", "planning_settings", row.version, actor=actor, before=before,
                 after=as_dict(row))
    return row
