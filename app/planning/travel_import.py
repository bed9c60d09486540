"""Import of measured travel times between desa (CSV or XLSX), for roads a router or the straight-line model gets
wrong: all or nothing, every problem reported by line.

Columns (header row, case-insensitive; spaces and hyphens count as "_"; other columns are ignored):
    from_code   from_code, kode_asal, dari       required  Kemendagri code of the desa the trip starts in
    to_code     to_code, kode_tujuan, ke         required  code of the desa it ends in
    minutes     minutes, menit                   required  whole minutes, 1–600

A pair given in one direction only counts for both; a pair already stored gets the new value (other stored
pairs stay). Codes with or without dots are accepted (3510092001 = 35.10.09.2001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import select

from app.core.audit import record_audit
from app.core.clock import utcnow
from app.core.errors import Forbidden
from app.core.permissions import Permission, has_permission
from app.core.services import unit_of_work
from app.core.tabular import FileError, RowError, csv_rows, match_header, xlsx_rows
from app.extensions import db
from app.planning.models import TravelOverride
from app.regions.models import Desa

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_MINUTES = 600
ALIASES = {"from_code": ("from_code", "kode_asal", "dari"), "to_code": ("to_code", "kode_tujuan", "ke"),
           "minutes": ("minutes", "menit")}
_FIELD = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_CODE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})$")


@dataclass
class TravelImportResult:
    pairs: list[tuple[int, int, int]] = field(default_factory=list)  # (from desa id, to desa id, minutes)
    errors: list[RowError] = field(default_factory=list)
    saved: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.pairs)


def _code(value: Any) -> str | None:
    match = _CODE.match(str(value or "").strip())
    return ".".join(match.groups()) if match else None


def _minutes(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else None
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"\d+", text) else None


def parse_travel_times(filename: str, data: bytes, desa_ids: dict[str, int]) -> TravelImportResult:
    """Rows → pairs, or errors by line (``desa_ids``: code → id of the importing regency's desa)."""
    result = TravelImportResult()
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        result.errors.append(RowError(1, None, "Unggah berkas .csv atau .xlsx."))
        return result
    if len(data) > MAX_BYTES:
        result.errors.append(RowError(1, None, f"Berkas lebih dari {MAX_BYTES // (1024 * 1024)} MB; pecah menjadi "
                                               "beberapa berkas."))
        return result
    try:
        rows = csv_rows(data) if suffix == ".csv" else xlsx_rows(data)
    except FileError as err:
        result.errors.append(RowError(err.line, None, err.message))
        return result
    rows = [(line, cells) for line, cells in rows if any(str(c or "").strip() for c in cells)]
    if not rows:
        result.errors.append(RowError(1, None, "Berkas kosong."))
        return result
    header_line, header = rows[0]
    try:
        columns, _written, header = match_header(header, _FIELD)
    except FileError as err:
        result.errors.append(RowError(header_line, None, err.message))
        return result
    missing = [name for name in ALIASES if name not in columns]
    if missing:
        result.errors.append(RowError(header_line, None, "Baris judul harus memuat kolom from_code, to_code dan "
                                                         f"minutes (belum ada: {', '.join(missing)})."))
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append(RowError(header_line, None, f"Paling banyak {MAX_ROWS} baris per berkas."))
        return result
    seen: dict[tuple[int, int], int] = {}
    for line, cells in rows[1:]:
        def cell(name: str, cells=cells) -> Any:
            k = columns[name]
            return cells[k] if k < len(cells) else None

        ids = []
        for name in ("from_code", "to_code"):
            raw = cell(name)
            code = _code(raw)
            if code is None:
                result.errors.append(RowError(line, header[columns[name]],
                                              f"\"{str(raw or '').strip()[:20]}\" bukan kode desa (contoh "
                                              "35.10.09.2001)."))
            elif code not in desa_ids:
                result.errors.append(RowError(line, header[columns[name]],
                                              f"Desa {code} tidak ada di kabupaten ini."))
            else:
                ids.append(desa_ids[code])
        minutes = _minutes(cell("minutes"))
        if minutes is None or not 1 <= minutes <= MAX_MINUTES:
            result.errors.append(RowError(line, header[columns["minutes"]],
                                          f"Isi menit dengan bilangan bulat 1–{MAX_MINUTES}."))
        if len(ids) != 2 or minutes is None or not 1 <= minutes <= MAX_MINUTES:
            continue
        if ids[0] == ids[1]:
            result.errors.append(RowError(line, None, "Desa asal dan tujuan sama."))
            continue
        if (ids[0], ids[1]) in seen:
            first = seen[(ids[0], ids[1])]
            result.errors.append(RowError(line, None, f"Pasangan desa ini sudah ada di baris {first}."))
            continue
        seen[(ids[0], ids[1])] = line
        result.pairs.append((ids[0], ids[1], minutes))
    if not result.pairs and not result.errors:
        result.errors.append(RowError(header_line, None, "Berkas tidak berisi baris data."))
    return result


@unit_of_work
def import_travel_times(actor: Any, filename: str, data: bytes) -> TravelImportResult:
    """Store the measured times when every row is valid; otherwise store nothing and return the errors."""
    if not has_permission(actor.role, Permission.PLAN_EDIT):
        raise Forbidden("Hanya perencana yang dapat mengimpor waktu tempuh.")
    desa_ids = dict(db.session.execute(select(Desa.code, Desa.id).where(Desa.regency_id == actor.regency_id)).all())
    result = parse_travel_times(filename, data, desa_ids)
    if not result.ok:
        return result
    stored = {(o.from_desa_id, o.to_desa_id): o for o in db.session.scalars(
        select(TravelOverride).where(TravelOverride.regency_id == actor.regency_id))}
    now = utcnow()
    name = PurePath(filename).name[:200]
    for a, b, minutes in result.pairs:
        row = stored.get((a, b))
        if row is None:
            row = TravelOverride(regency_id=actor.regency_id, from_desa_id=a, to_desa_id=b)
            db.session.add(row)
        row.minutes, row.source_file, row.imported_at, row.imported_by_id = minutes, name, now, actor.id
    result.saved = len(result.pairs)
    record_audit("travel_times_imported", "regency", actor.regency_id, actor=actor,
                 after={"file": name, "pairs": result.saved})
    return result


def stored_count(regency_id: int) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(TravelOverride.id)).where(TravelOverride.regency_id == regency_id))
