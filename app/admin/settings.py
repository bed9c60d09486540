"""Aspiration settings: categories, working-day deadline rules and the regency's own days off (admin only).

Changes apply to deadlines computed afterwards (new submissions, later dispatches); running deadlines stay as they
were set. National holidays and cuti bersama come from lokal-id (app.core.workdays) for the years it covers; for
later years the office enters them here as days off of kind "nasional" / "cuti_bersama".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.aspirations.models import DAY_OFF_KINDS, URGENCIES, AspirationCategory, DeadlineRule, RegencyDayOff
from app.aspirations.services import deadline_days
from app.core.audit import changes, record_audit
from app.core.clock import today_local
from app.core.errors import FieldErrors, NotFound
from app.core.permissions import SECTORS
from app.core.pii import scrub_text
from app.core.services import unit_of_work
from app.core.templating import fmt_date
from app.core.workdays import holiday_years_covered, national_days_off
from app.extensions import db

_CODE = re.compile(r"^[a-z0-9_]{2,40}$")
MIN_DAYS, MAX_DAYS = 1, 60
_CATEGORY_FIELDS = ["code", "name", "sector", "verify_days", "followup_days", "active"]
_RULE_FIELDS = ["category_id", "urgency", "verify_days", "followup_days"]


@dataclass(frozen=True)
class CategoryInput:
    """What the category form supplies; `code` is only read when creating."""

    name: str
    code: str = ""
    sector: str | None = None
    verify_days: int | None = None
    followup_days: int | None = None
    active: bool = True


def _days_problem(value: int | None, label: str, *, required: bool = False) -> str | None:
    if value is None:
        return f"Isi {label}." if required else None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_DAYS <= value <= MAX_DAYS:
        return f"{label[0].upper()}{label[1:]} harus bilangan bulat {MIN_DAYS}–{MAX_DAYS} hari kerja."
    return None


def _check_category(data: CategoryInput, current: AspirationCategory | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = "Nama kategori wajib diisi."
    elif len(name) > 120:
        errors["name"] = "Nama kategori maksimal 120 karakter."
    else:
        same = select(AspirationCategory.id).where(func.lower(AspirationCategory.name) == name.lower())
        if current is not None:
            same = same.where(AspirationCategory.id != current.id)
        if db.session.scalar(same) is not None:
            errors["name"] = f"Nama kategori {name!r} sudah dipakai kategori lain."
    if data.sector and data.sector not in SECTORS:
        errors["sector"] = "Sektor tidak dikenal; pilih salah satu dari: " + ", ".join(SECTORS) + "."
    for key, label in (("verify_days", "batas verifikasi"), ("followup_days", "batas tindak lanjut")):
        problem = _days_problem(getattr(data, key), label)
        if problem:
            errors[key] = problem
    return errors


def list_categories() -> list[AspirationCategory]:
    """Every category, active ones first."""
    return list(db.session.scalars(select(AspirationCategory)
                                   .order_by(AspirationCategory.active.desc(), AspirationCategory.name)))


def get_category(category_id: int) -> AspirationCategory:
    """:raise NotFound: unknown category."""
    category = db.session.get(AspirationCategory, category_id)
    if category is None:
        raise NotFound("Kategori tidak ditemukan.")
    return category


@unit_of_work
def create_category(actor: Any, data: CategoryInput) -> AspirationCategory:
    """A new (active) category.

    :raise FieldErrors: invalid or taken code, missing or taken name, unknown sector, days outside 1–60.
    """
    code = data.code.strip()
    errors = {}
    if not _CODE.match(code):
        errors["code"] = "Kode kategori 2–40 karakter: huruf kecil, angka atau garis bawah (contoh: air_bersih)."
    elif db.session.scalar(select(AspirationCategory.id).where(AspirationCategory.code == code)) is not None:
        errors["code"] = f"Kode kategori {code!r} sudah dipakai."
    errors.update(_check_category(data, None))
    if errors:
        raise FieldErrors(errors)
    category = AspirationCategory(code=code, name=data.name.strip(), sector=data.sector or None,
                                  verify_days=data.verify_days, followup_days=data.followup_days, active=True)
    db.session.add(category)
    db.session.flush()
    record_audit("aspiration_category_created", "aspiration_category", category.code, actor=actor,
                 after=changes(category, _CATEGORY_FIELDS))
    return category


@unit_of_work
def update_category(actor: Any, category: AspirationCategory, data: CategoryInput) -> AspirationCategory:
    """Change name, sector, day overrides and the active flag (the code stays: imports and the API use it).

    A category is deactivated rather than deleted: existing aspirations keep it, new ones cannot choose it.
    :raise FieldErrors: as for create_category.
    """
    errors = _check_category(data, category)
    if errors:
        raise FieldErrors(errors)
    before = changes(category, _CATEGORY_FIELDS)
    category.name = data.name.strip()
    category.sector = data.sector or None
    category.verify_days, category.followup_days = data.verify_days, data.followup_days
    category.active = data.active
    record_audit("aspiration_category_updated", "aspiration_category", category.code, actor=actor,
                 before=before, after=changes(category, _CATEGORY_FIELDS))
    return category


def list_rules() -> list[DeadlineRule]:
    """Rules for all categories first, then per category; within each by urgency."""
    rules = list(db.session.scalars(select(DeadlineRule)))
    names = {c.id: c.name for c in db.session.scalars(select(AspirationCategory))}
    return sorted(rules, key=lambda r: (r.category_id is not None, names.get(r.category_id, ""),
                                        URGENCIES.index(r.urgency) if r.urgency in URGENCIES else 99))


@unit_of_work
def save_rule(actor: Any, category_id: int | None, urgency: str, verify_days: int | None,
              followup_days: int | None) -> DeadlineRule:
    """Set or replace the rule for an urgency, for all categories (category_id None) or one category.

    :raise FieldErrors: unknown urgency or category, days outside 1–60.
    """
    errors: dict[str, str] = {}
    if urgency not in URGENCIES:
        errors["urgency"] = "Urgensi harus salah satu dari: " + ", ".join(URGENCIES) + "."
    if category_id is not None and db.session.get(AspirationCategory, category_id) is None:
        errors["category_id"] = "Kategori tidak dikenal."
    for key, value, label in (("verify_days", verify_days, "batas verifikasi"),
                              ("followup_days", followup_days, "batas tindak lanjut")):
        problem = _days_problem(value, label, required=True)
        if problem:
            errors[key] = problem
    if errors:
        raise FieldErrors(errors)
    rule = db.session.scalar(select(DeadlineRule).where(
        DeadlineRule.urgency == urgency,
        DeadlineRule.category_id.is_(None) if category_id is None else DeadlineRule.category_id == category_id))
    before = changes(rule, _RULE_FIELDS) if rule is not None else None
    if rule is None:
        rule = DeadlineRule(category_id=category_id, urgency=urgency)
        db.session.add(rule)
    rule.verify_days, rule.followup_days = verify_days, followup_days
    db.session.flush()
    record_audit("deadline_rule_saved", "deadline_rule", rule.id, actor=actor, before=before,
                 after=changes(rule, _RULE_FIELDS))
    return rule


@unit_of_work
def delete_rule(actor: Any, rule_id: int) -> None:
    """Remove a rule; the next less specific rule or default applies again.

    :raise NotFound: unknown rule.
    """
    rule = db.session.get(DeadlineRule, rule_id)
    if rule is None:
        raise NotFound("Aturan tenggat tidak ditemukan.")
    record_audit("deadline_rule_deleted", "deadline_rule", rule.id, actor=actor, before=changes(rule, _RULE_FIELDS))
    db.session.delete(rule)


def effective_days() -> list[tuple[AspirationCategory, list[tuple[int, int]]]]:
    """Per active category, the (verify, follow-up) working days each urgency gets now."""
    return [(c, [deadline_days(c, u) for u in URGENCIES])
            for c in list_categories() if c.active]


def defaults() -> tuple[int, int]:
    cfg = current_app.config
    return cfg["ASPIRATION_VERIFY_DAYS"], cfg["ASPIRATION_FOLLOWUP_DAYS"]


def days_off(actor: Any) -> tuple[list[RegencyDayOff], list[RegencyDayOff]]:
    """(upcoming from today, ascending; past, latest first) days off of the actor's regency."""
    today = today_local()
    rows = list(db.session.scalars(select(RegencyDayOff).where(RegencyDayOff.regency_id == actor.regency_id)
                                   .order_by(RegencyDayOff.day)))
    return [r for r in rows if r.day >= today], [r for r in reversed(rows) if r.day < today]


def holiday_coverage() -> tuple[tuple[int, ...], list[int]]:
    """(years lokal-id covers, this or next year when not covered: the office enters their national holidays)."""
    covered = holiday_years_covered()
    year = today_local().year
    return covered, [y for y in (year, year + 1) if y not in covered]


@unit_of_work
def add_day_off(actor: Any, day: date | None, reason: str, kind: str = "daerah") -> RegencyDayOff:
    """A day off for the actor's regency: its own (e.g. Hari Jadi Banyuwangi), or a national holiday / cuti
    bersama of a year that lokal-id does not cover yet.

    :raise FieldErrors: missing date or reason, unknown kind, a date already recorded.
    """
    errors: dict[str, str] = {}
    reason = scrub_text((reason or "").strip()) or ""
    if kind not in DAY_OFF_KINDS:
        errors["kind"] = "Pilih jenis hari libur: libur daerah, libur nasional atau cuti bersama."
    if day is None:
        errors["day"] = "Isi tanggal libur (TTTT-BB-HH)."
    else:
        existing = db.session.scalar(select(RegencyDayOff).where(RegencyDayOff.regency_id == actor.regency_id,
                                                                 RegencyDayOff.day == day))
        if existing is not None:
            errors["day"] = (f"Tanggal {fmt_date(day)} sudah tercatat sebagai {existing.kind_label.lower()} "
                             f"({existing.reason}). Hapus yang lama dulu bila ingin mengganti keterangannya.")
        elif kind != "daerah" and day in national_days_off(day.year):
            errors["day"] = (f"Tanggal {fmt_date(day)} sudah dikenal aplikasi sebagai libur nasional atau cuti "
                             f"bersama; tidak perlu dicatat lagi.")
    if not reason:
        errors["reason"] = "Isi keterangan hari libur."
    elif len(reason) > 200:
        errors["reason"] = "Keterangan maksimal 200 karakter."
    if errors:
        raise FieldErrors(errors)
    row = RegencyDayOff(regency_id=actor.regency_id, day=day, reason=reason, kind=kind)
    db.session.add(row)
    db.session.flush()
    record_audit("regency_day_off_added", "regency_day_off", row.id, actor=actor,
                 after={"day": day, "reason": reason, "kind": kind})
    return row


@unit_of_work
def remove_day_off(actor: Any, day_off_id: int) -> RegencyDayOff:
    """Remove one of the actor's regency days off.

    :raise NotFound: unknown or another regency's (404).
    """
    row = db.session.scalar(select(RegencyDayOff).where(RegencyDayOff.id == day_off_id,
                                                        RegencyDayOff.regency_id == actor.regency_id))
    if row is None:
        raise NotFound("Hari libur daerah tidak ditemukan.")
    record_audit("regency_day_off_removed", "regency_day_off", row.id, actor=actor,
                 before={"day": row.day, "reason": row.reason})
    db.session.delete(row)
    return row

