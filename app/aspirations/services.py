"""Aspiration business rules: submission, status transitions with deadlines, comments, support, attachments."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from app.aspirations import lifecycle
from app.aspirations.models import (
    CHANNELS,
    STATUS_LABELS,
    URGENCIES,
    Aspiration,
    AspirationCategory,
    AspirationEvent,
    AspirationService,
    AspirationSupport,
    Attachment,
    DeadlineRule,
)
from app.aspirations.queries import regency_days_off
from app.core.audit import record_audit
from app.core.catalog import SERVICE_TYPES
from app.core.clock import today_local, utcnow
from app.core.errors import Conflict, DomainError, FieldErrors, Forbidden, NotFound
from app.core.permissions import SECTORS
from app.core.pii import scrub_text
from app.core.services import unit_of_work
from app.core.workdays import add_working_days
from app.extensions import db
from app.regions.models import Desa

_REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read out over the phone
CONFLICT_MESSAGE = ("Aspirasi ini baru saja diubah oleh pengguna lain. Muat ulang halaman untuk melihat perubahan "
                    "terbaru, lalu ulangi tindakan Anda.")


@dataclass
class AspirationInput:
    """What a form, the API or an import row supplies."""

    desa_code: str
    category: str
    title: str
    description: str
    urgency: str
    affected: int | None = None
    services: Sequence[tuple[str, int]] = field(default_factory=list)
    anonymous: bool = False
    confidential: bool = False
    channel: str | None = None
    submitted_on: date | None = None


def _new_reference(year: int) -> str:
    while True:
        ref = f"ASP-{year}-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(5))
        if not db.session.scalar(select(Aspiration.id).where(Aspiration.reference == ref)):
            return ref


def deadline_days(category: AspirationCategory, urgency: str) -> tuple[int, int]:
    """(verify, follow-up) working days: category+urgency rule, then urgency rule, then category, then defaults."""
    cfg = current_app.config
    rules = {r.category_id: r for r in db.session.scalars(select(DeadlineRule).where(DeadlineRule.urgency == urgency))}
    rule = rules.get(category.id) or rules.get(None)
    if rule is not None:
        return rule.verify_days, rule.followup_days
    return (category.verify_days or cfg["ASPIRATION_VERIFY_DAYS"],
            category.followup_days or cfg["ASPIRATION_FOLLOWUP_DAYS"])


def _category(value: str) -> AspirationCategory | None:
    value = (value or "").strip()
    return db.session.scalar(select(AspirationCategory).where(
        AspirationCategory.active.is_(True),
        (AspirationCategory.code == value) | (db.func.lower(AspirationCategory.name) == value.lower())))


def validate_input(actor: Any, data: AspirationInput) -> tuple[Desa, AspirationCategory]:
    """Check every field and the actor's right to submit for the desa.

    :raise FieldErrors: invalid fields (422). :raise Forbidden: a desa outside the actor's scope (403).
    """
    errors: dict[str, str] = {}
    desa = db.session.scalar(select(Desa).where(Desa.code == (data.desa_code or "").strip(),
                                                Desa.regency_id == actor.regency_id))
    if desa is None:
        errors["village_code"] = "Kode desa tidak dikenal."
    elif actor.role == "kepala_desa" and desa.id != actor.desa_id:
        raise Forbidden("Kepala desa hanya dapat mengajukan aspirasi untuk desanya sendiri.")
    elif actor.role not in ("kepala_desa", "planner", "admin"):
        raise Forbidden("Peran Anda tidak dapat mengajukan aspirasi.")
    category = _category(data.category)
    if category is None:
        errors["category"] = "Kategori tidak dikenal."
    title = (data.title or "").strip()
    if len(title) < 5:
        errors["title"] = "Judul minimal 5 karakter."
    elif len(title) > 200:
        errors["title"] = "Judul maksimal 200 karakter."
    description = (data.description or "").strip()
    if len(description) < 10:
        errors["description"] = "Uraian minimal 10 karakter."
    elif len(description) > 5000:
        errors["description"] = "Uraian maksimal 5.000 karakter."
    if data.urgency not in URGENCIES:
        errors["urgency"] = "Urgensi harus salah satu dari: " + ", ".join(URGENCIES) + "."
    if data.affected is not None and (not isinstance(data.affected, int) or data.affected < 0
                                      or data.affected > 10_000_000):
        errors["affected"] = "Jumlah warga terdampak harus bilangan bulat 0 atau lebih."
    seen: set[str] = set()
    for code, qty in data.services:
        if code not in SERVICE_TYPES:
            errors["services"] = f"Jenis layanan {code!r} tidak dikenal."
        elif code in seen:
            errors["services"] = f"Jenis layanan {code} tercantum dua kali."
        elif not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0 or qty > 100_000:
            errors["services"] = f"Jumlah layanan {code} harus bilangan bulat positif."
        seen.add(code)
    if data.channel is not None and data.channel not in CHANNELS:
        errors["channel"] = "Saluran tidak dikenal."
    if data.submitted_on is not None and data.submitted_on > today_local():
        errors["submitted_on"] = "Tanggal pengajuan tidak boleh di masa depan."
    if errors:
        raise FieldErrors(errors)
    return desa, category


def _create(actor: Any, data: AspirationInput, desa: Desa, category: AspirationCategory) -> Aspiration:
    submitted_on = data.submitted_on or today_local()
    verify_days, _ = deadline_days(category, data.urgency)
    channel = data.channel or ("portal" if actor.role == "kepala_desa" else "assisted")
    item = Aspiration(
        reference=_new_reference(submitted_on.year), regency_id=desa.regency_id, desa_id=desa.id,
        submitted_by_id=actor.id, channel=channel, category_id=category.id, title=scrub_text(data.title.strip()),
        description=scrub_text(data.description.strip()), urgency=data.urgency, affected=data.affected,
        anonymous=bool(data.anonymous), confidential=bool(data.confidential), status="diajukan",
        submitted_on=submitted_on,
        due_on=add_working_days(submitted_on, verify_days, regency_days_off(desa.regency_id)),
        services=[AspirationService(service_code=c, quantity=q) for c, q in data.services],
    )
    db.session.add(item)
    db.session.flush()
    item.events.append(AspirationEvent(actor_id=actor.id, kind="created", to_status="diajukan",
                                       data={"channel": channel}))
    record_audit("aspiration_submitted", "aspiration", item.reference, actor=actor,
                 after={"desa": desa.code, "category": category.code, "urgency": item.urgency, "channel": channel})
    return item


@unit_of_work
def submit_aspiration(actor: Any, data: AspirationInput) -> Aspiration:
    """Create an aspiration in status `diajukan` with its verification deadline."""
    desa, category = validate_input(actor, data)
    return _create(actor, data, desa, category)


def _two_person_rule(item: Aspiration, actor: Any) -> None:
    reporter = next((e.actor_id for e in reversed(item.events)
                     if e.kind == "transition" and e.to_status == "menunggu_verifikasi"), None)
    if reporter is not None and reporter == actor.id:
        raise DomainError("Penyelesaian harus diverifikasi oleh orang lain daripada yang melaporkannya selesai "
                          "(aturan dua orang).")


def _check_on_site(item: Aspiration, visit: Any) -> None:
    """:raise DomainError: the visit is not one in progress at the aspiration's desa."""
    if visit.regency_id != item.regency_id or visit.desa_id != item.desa_id:
        raise DomainError("Aspirasi ini bukan dari desa yang dikunjungi.")
    if visit.status != "berlangsung":
        raise DomainError("Penyelesaian di tempat hanya dicatat selama kunjungan berlangsung (sesudah check-in, "
                          "sebelum check-out).")


def on_site_transitions(actor: Any, item: Aspiration, visit: Any) -> list[lifecycle.Transition]:
    """The on-site steps the visit-day screen offers for this item: none unless the visit is in progress there."""
    try:
        _check_on_site(item, visit)
    except DomainError:
        return []
    return lifecycle.available_transitions(actor, item, on_site=True)


@unit_of_work
def transition(actor: Any, item: Aspiration, to: str, *, note: str | None = None, opd: str | None = None,
               merge_into: str | None = None, due_on: date | None = None,
               expected_version: int | None = None, visit: Any | None = None) -> Aspiration:
    """Take one lifecycle step: the one place that enforces the lifecycle and the two-person rule, for every path.

    On-site steps (closing on the spot at a visit) are taken only with `visit`, a visit in progress at the
    aspiration's desa; without it, the direct jump to `selesai` is illegal. With `visit`, only on-site steps.

    :raise Conflict: the item changed since the caller loaded it (expected_version) or concurrently.
    :raise DomainError: an illegal step, a role that may not take it, or a missing required field.
    """
    if expected_version is not None and expected_version != item.version:
        raise Conflict(CONFLICT_MESSAGE)
    step = lifecycle.find_transition(item.status, to)
    source_label = STATUS_LABELS.get(item.status, item.status)
    target_label = STATUS_LABELS.get(to, to)
    if step is None:
        raise DomainError(f"Status tidak dapat diubah dari {source_label} ke {target_label}.")
    if step.on_site and visit is None:
        raise DomainError(f"Status tidak dapat diubah dari {source_label} ke {target_label} di sini: "
                          "penyelesaian di tempat hanya dicatat dari layar kunjungan yang sedang berlangsung "
                          "di desa aspirasi ini.")
    if visit is not None:
        if not step.on_site:
            raise DomainError("Dari layar kunjungan hanya penyelesaian di tempat yang dapat dicatat; langkah lain "
                              "dilakukan dari halaman aspirasi.")
        _check_on_site(item, visit)
    if not lifecycle.may_take(step, actor, item):
        raise Forbidden(f"Peran Anda tidak dapat mengubah status dari {source_label} ke {target_label}.")
    note = scrub_text((note or "").strip()) or None
    if step.needs_note and not note:
        raise FieldErrors({"note": "Catatan wajib diisi untuk langkah ini."})
    if note and len(note) > 5000:
        raise FieldErrors({"note": "Catatan maksimal 5.000 karakter."})
    data: dict[str, Any] = {}
    today = today_local()
    days_off = regency_days_off(item.regency_id)
    before = {"status": item.status, "opd": item.opd_sector, "due_on": item.due_on}
    if step.target == "selesai":
        _two_person_rule(item, actor)
    if step.needs_opd:
        if opd not in SECTORS:
            raise FieldErrors({"opd": "Pilih OPD tujuan: " + ", ".join(SECTORS) + "."})
        if due_on is not None and due_on < today:
            raise FieldErrors({"due_on": "Tenggat tidak boleh sebelum hari ini."})
        _, followup_days = deadline_days(item.category, item.urgency)
        item.opd_sector = opd
        item.dispatched_on = today
        item.due_on = due_on or add_working_days(today, followup_days, days_off)
        data.update(opd=opd, due_on=item.due_on.isoformat())
    if step.needs_merge_target:
        target = db.session.scalar(select(Aspiration).where(Aspiration.reference == (merge_into or "").upper(),
                                                            Aspiration.regency_id == item.regency_id))
        if target is None or target.id == item.id:
            raise FieldErrors({"merge_into": "Pilih aspirasi tujuan penggabungan yang ada (nomor ASP-…)."})
        if not target.is_open:
            raise FieldErrors({"merge_into": f"Aspirasi {target.reference} sudah ditutup; pilih yang masih terbuka."})
        item.merged_into_id = target.id
        db.session.execute(update(Aspiration).where(Aspiration.id == target.id)
                           .values(supporters=Aspiration.supporters + 1 + (item.supporters or 0)))
        data["merged_into"] = target.reference
    if step.target in ("diverifikasi", "menunggu_verifikasi", "ditolak", "digabung", "selesai"):
        item.due_on = None  # no running deadline: the office's own next step or closed
    if step.target == "ditindaklanjuti" and item.status == "menunggu_verifikasi":
        _, followup_days = deadline_days(item.category, item.urgency)
        item.due_on = add_working_days(today, followup_days, days_off)
    if step.target == "selesai":
        item.resolved_on = today
    source = item.status
    item.status = step.target
    item.status_changed_at = utcnow()
    if visit is not None:
        data["visit"] = visit.id
    item.events.append(AspirationEvent(actor_id=actor.id, kind="transition", from_status=source,
                                       to_status=step.target, note=note, data=data or None))
    record_audit("aspiration_status_changed", "aspiration", item.reference, actor=actor, before=before,
                 after={"status": item.status, "opd": item.opd_sector, "due_on": item.due_on})
    try:
        db.session.flush()
    except StaleDataError as err:
        raise Conflict(CONFLICT_MESSAGE) from err
    return item


@unit_of_work
def add_comment(actor: Any, item: Aspiration, body: str) -> AspirationEvent:
    """A comment in the history (not a status change)."""
    body = scrub_text((body or "").strip()) or ""
    if not body:
        raise FieldErrors({"body": "Komentar tidak boleh kosong."})
    if len(body) > 2000:
        raise FieldErrors({"body": "Komentar maksimal 2.000 karakter."})
    event = AspirationEvent(actor_id=actor.id, kind="comment", note=body)
    item.events.append(event)
    record_audit("aspiration_commented", "aspiration", item.reference, actor=actor)
    return event


@unit_of_work
def support(actor: Any, item: Aspiration) -> bool:
    """ "Saya juga": count the actor once; an atomic increment that does not clash with a planner's edit."""
    if actor.role != "kepala_desa":
        raise Forbidden("Dukungan \"saya juga\" diberikan oleh kepala desa.")
    if not item.is_open:
        raise DomainError("Aspirasi ini sudah ditutup; dukungan tidak lagi dicatat.")
    exists = db.session.scalar(select(AspirationSupport.id).where(AspirationSupport.aspiration_id == item.id,
                                                                  AspirationSupport.user_id == actor.id))
    if exists or item.submitted_by_id == actor.id:
        return False
    db.session.add(AspirationSupport(aspiration_id=item.id, user_id=actor.id))
    db.session.execute(update(Aspiration).where(Aspiration.id == item.id)
                       .values(supporters=Aspiration.supporters + 1))
    db.session.add(AspirationEvent(aspiration_id=item.id, actor_id=actor.id, kind="support"))
    record_audit("aspiration_supported", "aspiration", item.reference, actor=actor)
    return True


def upload_dir() -> Path:
    return Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")


@unit_of_work
def add_attachment(actor: Any, item: Aspiration, data: bytes, filename: str) -> Attachment:
    """Store a checked image or PDF under a random name and link it to the aspiration."""
    from app.aspirations.attachments import store_attachment

    if len(item.attachments) >= 10:
        raise DomainError("Maksimal 10 lampiran per aspirasi.")
    stored = store_attachment(data, scrub_text(filename) or "", upload_dir())
    attachment = Attachment(aspiration_id=item.id, stored_name=stored.stored_name,
                            original_name=stored.original_name, mime_type=stored.mime_type, size=stored.size,
                            sha256=stored.sha256, uploaded_by_id=actor.id)
    item.attachments.append(attachment)
    item.events.append(AspirationEvent(actor_id=actor.id, kind="attachment", data={"file": stored.original_name}))
    record_audit("aspiration_attachment_added", "aspiration", item.reference, actor=actor,
                 after={"file": stored.original_name, "size": stored.size, "sha256": stored.sha256})
    return attachment


def attachment_bytes(item: Aspiration, attachment_id: int) -> tuple[Attachment, bytes]:
    """:raise NotFound: the attachment does not belong to this (already scope-checked) aspiration."""
    from app.aspirations.attachments import load_attachment

    attachment = next((a for a in item.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound("Lampiran tidak ditemukan.")
    return attachment, load_attachment(attachment.stored_name, upload_dir())


@unit_of_work
def bulk_transition(actor: Any, items: Sequence[Aspiration], to: str, *, opd: str | None = None,
                    note: str | None = None) -> int:
    """Verify or dispatch several at once: all or none (a failure names the reference and changes nothing)."""
    if not items:
        raise DomainError("Pilih minimal satu aspirasi.")
    for item in items:
        try:
            transition.__wrapped__(actor, item, to, note=note, opd=opd)
        except DomainError as err:
            raise DomainError(f"{item.reference}: {err.message} Tidak ada yang diubah.") from err
    return len(items)


def _import_context(actor: Any):
    from app.aspirations.importer import AspirationImportContext
    from app.regions.queries import all_villages

    in_scope = {d.code: d.name for d in all_villages(actor)}
    regency_codes = frozenset(db.session.scalars(select(Desa.code).where(Desa.regency_id == actor.regency_id)))
    categories = {c.code: c.name for c in db.session.scalars(select(AspirationCategory)
                                                              .where(AspirationCategory.active.is_(True)))}
    return AspirationImportContext(desa_codes=in_scope, categories=categories, regency_desa_codes=regency_codes,
                                   today=today_local())


@unit_of_work
def import_aspirations(actor: Any, filename: str, data: bytes):
    """Paper forms from a CSV/XLSX file: validate every row, then create all aspirations or none."""
    from app.aspirations.importer import parse_aspirations

    result = parse_aspirations(filename, data, _import_context(actor))
    if not result.ok:
        return result
    for row in result.rows:
        item_input = AspirationInput(
            desa_code=row.village_code, category=row.category, title=row.title, description=row.description,
            urgency=row.urgency, affected=row.affected,
            services=[(s.service_code, s.quantity) for s in row.services], anonymous=row.anonymous,
            confidential=row.confidential, channel="import", submitted_on=row.submitted_on)
        desa, category = validate_input(actor, item_input)
        _create(actor, item_input, desa, category)
    record_audit("aspirations_imported", "aspiration", None, actor=actor,
                 after={"file": filename, "rows": len(result.rows)})
    return result
