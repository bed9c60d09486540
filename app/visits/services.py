"""Visit-day rules: status machine, service counts (atomic), NIK records (encrypted), commitments, photos."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.core.audit import record_audit
from app.core.catalog import SERVICE_TYPES
from app.core.clock import today_local, utcnow
from app.core.errors import Conflict, DomainError, FieldErrors, Forbidden
from app.core.permissions import SECTORS
from app.core.pii import scrub_text
from app.core.services import unit_of_work
from app.extensions import db
from app.regions.models import Desa
from app.visits.models import (
    BUDGET_SOURCES,
    Commitment,
    ServiceRecord,
    ServiceType,
    Visit,
    VisitPhoto,
    VisitServiceCount,
)

STEPS = {
    ("dijadwalkan", "berlangsung"): "Mulai kunjungan (check-in)",
    ("berlangsung", "selesai"): "Selesaikan kunjungan (check-out)",
    ("dijadwalkan", "ditunda"): "Tunda",
    ("dijadwalkan", "dibatalkan"): "Batalkan",
    ("ditunda", "dijadwalkan"): "Jadwalkan ulang",
    ("ditunda", "dibatalkan"): "Batalkan",
}
OFFICE = ("admin", "planner")


def ensure_service_types() -> None:
    """Insert missing catalogue rows (the migration seeds the same list; the caller commits)."""
    existing = set(db.session.scalars(select(ServiceType.code)))
    for code, s in SERVICE_TYPES.items():
        if code not in existing:
            db.session.add(ServiceType(code=code, name=s.name, sector=s.sector, group_name=s.group, unit=s.unit))
    db.session.flush()


def active_services() -> dict[str, ServiceType]:
    return {s.code: s for s in db.session.scalars(select(ServiceType).where(ServiceType.active.is_(True))
                                                  .order_by(ServiceType.id))}


def available_steps(actor: Any, visit: Visit) -> list[tuple[str, str]]:
    if actor.role not in OFFICE:
        return []
    return [(target, label) for (source, target), label in STEPS.items() if source == visit.status]


@unit_of_work
def change_status(actor: Any, visit: Visit, to: str, *, reason: str | None = None, day: date | None = None) -> Visit:
    """dijadwalkan → berlangsung → selesai, or ditunda/dibatalkan with a reason; check-in/out times are kept."""
    if actor.role not in OFFICE:
        raise Forbidden("Hanya kantor bupati yang mengubah status kunjungan.")
    if (visit.status, to) not in STEPS:
        raise DomainError(f"Status kunjungan tidak dapat diubah dari '{visit.status}' ke '{to}'.")
    reason = scrub_text((reason or "").strip()) or None
    if to in ("ditunda", "dibatalkan") and not reason:
        raise FieldErrors({"reason": "Alasan wajib diisi untuk menunda atau membatalkan."})
    before = {"status": visit.status, "day": visit.day}
    if to == "berlangsung":
        visit.started_at = utcnow()
    elif to == "selesai":
        visit.ended_at = utcnow()
    elif to == "dijadwalkan":
        if day is None or day < today_local():
            raise FieldErrors({"day": "Pilih tanggal baru, hari ini atau sesudahnya."})
        visit.day = day
    visit.status, visit.status_reason = to, reason or visit.status_reason
    record_audit("visit_status_changed", "visit", visit.id, actor=actor, before=before,
                 after={"status": to, "day": visit.day, "reason": reason})
    return visit


@unit_of_work
def create_visit(actor: Any, desa_code: str, day: date) -> Visit:
    """An ad hoc visit (not from a plan)."""
    if actor.role not in OFFICE:
        raise Forbidden("Hanya kantor bupati yang membuat kunjungan.")
    desa = db.session.scalar(select(Desa).where(Desa.code == (desa_code or "").strip(),
                                                Desa.regency_id == actor.regency_id))
    errors = {}
    if desa is None:
        errors["desa_code"] = "Kode desa tidak dikenal."
    if day is None:
        errors["day"] = "Isi tanggal kunjungan."
    if errors:
        raise FieldErrors(errors)
    visit = Visit(regency_id=actor.regency_id, desa_id=desa.id, day=day, status="dijadwalkan", created_by_id=actor.id)
    db.session.add(visit)
    db.session.flush()
    record_audit("visit_created", "visit", visit.id, actor=actor, after={"desa": desa.code, "day": day})
    return visit


def _check_recording(actor: Any, visit: Visit, code: str) -> ServiceType:
    """Who may record what, when: OPD officers their own sector's services; after closing only the office."""
    service = active_services().get(code)
    if service is None:
        raise FieldErrors({"service": f"Jenis layanan {code!r} tidak dikenal."})
    if visit.status not in ("berlangsung", "selesai"):
        raise DomainError("Layanan dicatat setelah kunjungan dimulai (check-in).")
    if actor.role == "opd" and actor.sector != service.sector:
        raise Forbidden(f"Layanan {service.name} dicatat oleh OPD sektor {SECTORS.get(service.sector)}.")
    if actor.role not in (*OFFICE, "opd"):
        raise Forbidden("Peran Anda tidak dapat mencatat layanan.")
    if visit.status == "selesai" and actor.role not in OFFICE:
        raise Forbidden("Kunjungan sudah ditutup; perubahan hanya oleh perencana dan tercatat di jejak audit.")
    return service


def _increment(visit_id: int, code: str, amount: int) -> int:
    """Atomic: two devices adding at once both count (UPDATE … SET count = count + n)."""
    changed = db.session.execute(
        update(VisitServiceCount).where(VisitServiceCount.visit_id == visit_id,
                                        VisitServiceCount.service_code == code,
                                        VisitServiceCount.count + amount >= 0)
        .values(count=VisitServiceCount.count + amount)).rowcount
    if changed == 0:
        if amount < 0:
            raise DomainError("Jumlah layanan tidak bisa kurang dari nol.")
        # Create the counter row if no other request did; then add, still in one SQL statement.
        dialect = db.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(insert(VisitServiceCount).values(visit_id=visit_id, service_code=code, count=0)
                           .on_conflict_do_nothing(index_elements=["visit_id", "service_code"]))
        db.session.execute(update(VisitServiceCount).where(VisitServiceCount.visit_id == visit_id,
                                                           VisitServiceCount.service_code == code)
                           .values(count=VisitServiceCount.count + amount))
    return db.session.scalar(select(VisitServiceCount.count).where(VisitServiceCount.visit_id == visit_id,
                                                                   VisitServiceCount.service_code == code))


@unit_of_work
def add_count(actor: Any, visit: Visit, code: str, amount: int = 1) -> int:
    """+n (or a correction −n) to a service counter; returns the new total."""
    _check_recording(actor, visit, code)
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0 or abs(amount) > 10_000:
        raise FieldErrors({"count": "Jumlah harus bilangan bulat 1–10.000 (atau negatif untuk koreksi)."})
    total = _increment(visit.id, code, amount)
    if visit.status == "selesai" or amount < 0:
        record_audit("visit_service_count_changed", "visit", visit.id, actor=actor,
                     after={"service": code, "amount": amount, "total": total})
    return total


def _cipher():
    from app.core.pii import cipher_from_config

    return cipher_from_config(current_app.config)


def _aad(visit_id: int, code: str, index: str) -> str:
    """Binds a ciphertext to its row (table, visit, service, keyed index): it cannot be copied to another record."""
    return f"service_record:{visit_id}:{code}:{index}"


def _regency_code(visit: Visit) -> str:
    return visit.desa.code.rsplit(".", 2)[0]


@unit_of_work
def record_nik(actor: Any, visit: Visit, code: str, nik: str, note: str | None = None) -> ServiceRecord:
    """An individual record: NIK validated, stored encrypted with a keyed index; the same service for the same NIK
    at the same visit is refused (409)."""
    from app.core.nik import NikError, mask_nik, parse_nik

    _check_recording(actor, visit, code)
    try:
        info = parse_nik(nik, regency_code=_regency_code(visit))
    except NikError as err:
        raise FieldErrors({"nik": str(err)}) from err
    cipher = _cipher()
    index = cipher.blind_index(info.nik)
    if db.session.scalar(select(ServiceRecord.id).where(ServiceRecord.visit_id == visit.id,
                                                        ServiceRecord.service_code == code,
                                                        ServiceRecord.nik_index == index)):
        raise Conflict(f"Layanan ini sudah tercatat untuk NIK {mask_nik(info.nik)} pada kunjungan ini.")
    record = ServiceRecord(visit_id=visit.id, service_code=code, nik_index=index, nik_masked=mask_nik(info.nik),
                           nik_encrypted=cipher.encrypt(info.nik, aad=_aad(visit.id, code, index)),
                           from_other_regency=info.from_other_regency,
                           note=scrub_text((note or "").strip()[:200]) or None, recorded_by_id=actor.id)
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError as err:  # a second device recorded the same NIK at the same moment
        raise Conflict(f"Layanan ini sudah tercatat untuk NIK {mask_nik(info.nik)} pada kunjungan ini.") from err
    _increment(visit.id, code, 1)
    record_audit("service_record_added", "visit", visit.id, actor=actor,
                 after={"service": code, "nik": mask_nik(info.nik)})
    return record


@unit_of_work
def reveal_nik(actor: Any, record: ServiceRecord, purpose: str) -> str:
    """The full NIK, only for roles that need it, with a stated purpose; every reveal is audited."""
    if not can_read_full_nik(actor):
        raise Forbidden("Peran Anda hanya dapat melihat NIK tersamar.")
    if not may_read_full_nik(actor, record):
        raise Forbidden("NIK lengkap hanya dapat dibuka untuk layanan sektor Anda sendiri.")
    if len((purpose or "").strip()) < 5:
        raise FieldErrors({"purpose": "Tuliskan keperluan membuka NIK lengkap."})
    value = _cipher().decrypt(record.nik_encrypted, aad=_aad(record.visit_id, record.service_code, record.nik_index))
    record_audit("nik_revealed", "service_record", record.id, actor=actor,
                 after={"purpose": scrub_text(purpose.strip()[:200]), "nik": record.nik_masked})
    return value


FULL_NIK_SECTORS = frozenset({"adminduk"})  # OPD sectors whose officers may open full NIKs (of their own sector)


def can_read_full_nik(actor: Any) -> bool:
    """Full NIK at all: the civil-registry officers (Dispendukcapil) and admins; everybody else sees it masked."""
    return actor.role == "admin" or (actor.role == "opd" and actor.sector in FULL_NIK_SECTORS)


def _record_sector(record: ServiceRecord) -> str | None:
    return db.session.scalar(select(ServiceType.sector).where(ServiceType.code == record.service_code))


def may_read_full_nik(actor: Any, record: ServiceRecord) -> bool:
    """Full NIK of this record: admins; an officer allowed full NIKs only for a service of their own sector."""
    if actor.role == "admin":
        return True
    return can_read_full_nik(actor) and _record_sector(record) == actor.sector


@unit_of_work
def add_commitment(actor: Any, visit: Visit, *, description: str, owner_sector: str, due_on: date | None,
                   budget_source: str, aspiration: Any | None = None) -> Commitment:
    """A promise made at the visit, handed to an OPD with a deadline and a budget source."""
    if actor.role not in OFFICE:
        raise Forbidden("Komitmen dicatat oleh kantor bupati.")
    errors = {}
    if len((description or "").strip()) < 5:
        errors["description"] = "Uraikan komitmen (minimal 5 karakter)."
    if owner_sector not in SECTORS:
        errors["owner_sector"] = "Pilih OPD penanggung jawab."
    if due_on is None or due_on < visit.day:
        errors["due_on"] = "Tenggat wajib diisi dan tidak boleh sebelum tanggal kunjungan."
    if budget_source not in BUDGET_SOURCES:
        errors["budget_source"] = "Pilih sumber anggaran: " + ", ".join(BUDGET_SOURCES) + "."
    if errors:
        raise FieldErrors(errors)
    item = Commitment(visit_id=visit.id, description=scrub_text(description.strip()), owner_sector=owner_sector,
                      due_on=due_on, budget_source=budget_source, aspiration_id=aspiration.id if aspiration else None,
                      created_by_id=actor.id)
    db.session.add(item)
    db.session.flush()
    record_audit("commitment_added", "commitment", item.id, actor=actor,
                 after={"visit": visit.id, "owner": owner_sector, "due_on": due_on, "budget": budget_source})
    return item


@unit_of_work
def complete_commitment(actor: Any, item: Commitment, evidence: str) -> Commitment:
    """The owning OPD (or the office) marks a commitment fulfilled, with evidence."""
    if not (actor.role in OFFICE or (actor.role == "opd" and actor.sector == item.owner_sector)):
        raise Forbidden("Hanya OPD penanggung jawab atau kantor bupati yang dapat menyelesaikan komitmen ini.")
    if item.status != "terbuka":
        raise DomainError("Komitmen ini sudah ditutup.")
    if len((evidence or "").strip()) < 5:
        raise FieldErrors({"evidence": "Tuliskan bukti pelaksanaan (minimal 5 karakter)."})
    item.status, item.evidence, item.done_on = "selesai", scrub_text(evidence.strip()), today_local()
    record_audit("commitment_completed", "commitment", item.id, actor=actor, after={"evidence": item.evidence})
    return item


@unit_of_work
def add_photo(actor: Any, visit: Visit, data: bytes, filename: str) -> VisitPhoto:
    """Photo evidence: checked content, EXIF/GPS removed (see app.aspirations.attachments)."""
    from app.aspirations.attachments import store_attachment
    from app.aspirations.services import upload_dir

    if actor.role not in (*OFFICE, "opd"):
        raise Forbidden("Peran Anda tidak dapat mengunggah foto kunjungan.")
    if len(visit.photos) >= 30:
        raise DomainError("Maksimal 30 foto per kunjungan.")
    stored = store_attachment(data, scrub_text(filename) or "", upload_dir())
    photo = VisitPhoto(visit_id=visit.id, stored_name=stored.stored_name, original_name=stored.original_name,
                       mime_type=stored.mime_type, size=stored.size, sha256=stored.sha256, uploaded_by_id=actor.id)
    visit.photos.append(photo)
    record_audit("visit_photo_added", "visit", visit.id, actor=actor, after={"file": stored.original_name})
    return photo


@unit_of_work
def save_notes(actor: Any, visit: Visit, officials: str | None, notes: str | None) -> Visit:
    if actor.role not in OFFICE:
        raise Forbidden("Catatan kunjungan diisi oleh kantor bupati.")
    visit.officials = scrub_text((officials or "").strip()[:2000]) or None
    visit.notes = scrub_text((notes or "").strip()[:5000]) or None
    record_audit("visit_notes_saved", "visit", visit.id, actor=actor)
    return visit


@unit_of_work
def import_records(actor: Any, visit: Visit, filename: str, data: bytes):
    """Records collected offline: every row is checked (also against records already stored) before any is written."""
    import dataclasses

    from app.visits.importer import RowError, ServiceImportContext, parse_service_records

    allowed = {code: s.name for code, s in active_services().items()
               if actor.role != "opd" or s.sector == actor.sector}
    if visit.status not in ("berlangsung", "selesai"):
        raise DomainError("Layanan dicatat setelah kunjungan dimulai (check-in).")
    if visit.status == "selesai" and actor.role not in OFFICE:
        raise Forbidden("Kunjungan sudah ditutup; perubahan hanya oleh perencana dan tercatat di jejak audit.")
    result = parse_service_records(filename, data, ServiceImportContext(
        service_codes=allowed, regency_code=_regency_code(visit), today=today_local()))
    if not result.ok:
        return result
    from app.core.nik import mask_nik, parse_nik

    cipher = _cipher()
    existing = set(db.session.execute(select(ServiceRecord.service_code, ServiceRecord.nik_index)
                                      .where(ServiceRecord.visit_id == visit.id)).all())
    clashes = []
    prepared = []
    for row in result.rows:
        if row.nik is None:
            continue
        info = parse_nik(row.nik, regency_code=_regency_code(visit))
        index = cipher.blind_index(info.nik)
        if (row.service_code, index) in existing:
            clashes.append(RowError(row.line, "nik", f"Layanan ini sudah tercatat untuk NIK {mask_nik(info.nik)} "
                                                     "pada kunjungan ini."))
        prepared.append((row, info, index))
    if clashes:
        return dataclasses.replace(result, errors=tuple(clashes))
    for row, info, index in prepared:
        db.session.add(ServiceRecord(
            visit_id=visit.id, service_code=row.service_code, nik_index=index, nik_masked=mask_nik(info.nik),
            nik_encrypted=cipher.encrypt(info.nik, aad=_aad(visit.id, row.service_code, index)),
            from_other_regency=info.from_other_regency, note=scrub_text(row.note), recorded_by_id=actor.id))
    db.session.flush()
    for code, total in result.totals().items():
        _increment(visit.id, code, total)
    record_audit("service_records_imported", "visit", visit.id, actor=actor,
                 after={"file": filename, "rows": len(result.rows), "totals": result.totals()})
    return result


@unit_of_work
def export_nik_records(actor: Any, visit: Visit, purpose: str) -> str:
    """CSV of a visit's individual records with full NIKs: only for roles that need them, with a purpose, audited.

    Cells that a spreadsheet would read as a formula are prefixed with a quote (CSV injection).
    """
    import csv
    import io

    if not can_read_full_nik(actor):
        raise Forbidden("Ekspor dengan NIK lengkap hanya untuk petugas Dispendukcapil dan administrator.")
    purpose = scrub_text((purpose or "").strip()) or ""
    if len(purpose) < 5:
        raise FieldErrors({"purpose": "Tuliskan keperluan ekspor NIK lengkap."})
    cipher = _cipher()
    from app.visits.queries import scope_records

    rows = db.session.scalars(scope_records(select(ServiceRecord).where(ServiceRecord.visit_id == visit.id), actor)
                              .order_by(ServiceRecord.id))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["service", "nik", "from_other_regency", "note", "recorded_at"])
    count = 0
    for r in rows:
        nik = cipher.decrypt(r.nik_encrypted, aad=_aad(r.visit_id, r.service_code, r.nik_index))
        note = r.note or ""
        if note[:1] in ("=", "+", "-", "@", "\t", "\r"):
            note = "'" + note
        writer.writerow([r.service_code, nik, "ya" if r.from_other_regency else "tidak", note,
                         r.recorded_at.isoformat()])
        count += 1
    record_audit("nik_exported", "visit", visit.id, actor=actor, after={"purpose": purpose[:200], "rows": count})
    return out.getvalue()


@unit_of_work
def purge_expired_nik_records(as_of: date | None = None) -> int:
    """Retention: individual records older than NIK_RETENTION_DAYS lose their NIK (counts stay). Idempotent."""
    from datetime import timedelta

    days = int(current_app.config.get("NIK_RETENTION_DAYS", 730))
    cutoff = (as_of or today_local()) - timedelta(days=days)
    expired = list(db.session.scalars(
        select(ServiceRecord).join(Visit, ServiceRecord.visit_id == Visit.id)
        .where(Visit.day < cutoff, ServiceRecord.nik_encrypted != "")))
    for record in expired:
        record.nik_encrypted = ""
        record.nik_masked = "****************"
        record.nik_index = f"purged-{record.id}"
    if expired:
        record_audit("nik_records_purged", "service_record", None,
                     after={"records": len(expired), "cutoff": cutoff, "retention_days": days})
    return len(expired)
