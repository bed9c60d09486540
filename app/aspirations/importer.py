"""Parse and validate aspirations collected on paper and typed into a CSV or XLSX file.

No database and no Flask: the import service builds an `AspirationImportContext` from the database and the
importer's scope, calls `parse_aspirations`, shows `errors` row by row, and creates the aspirations only
when `ok` (all or nothing: one bad row means nothing is imported). Bad input never raises; every problem
becomes a `RowError` with an Indonesian message.

Columns (header row, case-insensitive; spaces and hyphens count as "_"; other columns are ignored):
    village_code   village_code, kode_desa, kode                   required  desa code within the importer's scope
    category       category, kategori                              required  category code or name
    title          title, judul                                    required  at most 200 characters
    description    description, uraian, deskripsi                  required  at most 5000 characters
    urgency        urgency, urgensi                                required  rendah | sedang | tinggi | darurat
    affected       affected, jumlah_terdampak, terdampak           optional  whole number >= 0
    services       services, layanan                               optional  perekaman_ktp_el:40;aktivasi_ikd:25
    anonymous      anonymous, anonim                               optional  ya/tidak, true/false, 1/0 (blank = tidak)
    confidential   confidential, rahasia                           optional  idem
    submitted_on   submitted_on, tanggal, tanggal_pengajuan        optional  YYYY-MM-DD or DD/MM/YYYY, not in the future

CSV: UTF-8 (with or without BOM), delimiter `,`, `;` or tab (taken from the header line). XLSX: the first
sheet. Line numbers are those of the file (header = line 1 when it is the first line), so they match
what the user sees in a text editor or Excel. `RowError.field` is the column name as written in the file.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from app.aspirations.models import URGENCIES
from app.core.catalog import SERVICE_TYPES
from app.core.clock import today_local
from app.core.tabular import FileError as _FileError
from app.core.tabular import RowError, columns_found, csv_rows, match_header, xlsx_rows

log = logging.getLogger(__name__)

MAX_ROWS = 5_000
MAX_TITLE = 200
MAX_DESCRIPTION = 5_000
MAX_BLANK_RUN = 1_000  # consecutive blank spreadsheet rows after which the rest of the sheet is ignored

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "village_code": ("village_code", "kode_desa", "kode"),
    "category": ("category", "kategori"),
    "title": ("title", "judul"),
    "description": ("description", "uraian", "deskripsi"),
    "urgency": ("urgency", "urgensi"),
    "affected": ("affected", "jumlah_terdampak", "terdampak"),
    "services": ("services", "layanan"),
    "anonymous": ("anonymous", "anonim"),
    "confidential": ("confidential", "rahasia"),
    "submitted_on": ("submitted_on", "tanggal", "tanggal_pengajuan"),
}
REQUIRED_COLUMNS = ("village_code", "category", "title", "description", "urgency")
LABELS = {
    "village_code": "Kode desa",
    "category": "Kategori",
    "title": "Judul",
    "description": "Uraian",
    "urgency": "Urgensi",
    "affected": "Jumlah terdampak",
    "services": "Layanan",
    "anonymous": "Anonim",
    "confidential": "Rahasia",
    "submitted_on": "Tanggal",
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
_TRUE = frozenset({"ya", "y", "true", "1", "benar", "yes"})
_FALSE = frozenset({"tidak", "t", "false", "0", "salah", "no", "bukan"})
_INTEGER = re.compile(r"[+-]?\d+(?:\.0+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{3})+")
_SERVICE_LINE = re.compile(r"\s*([A-Za-z0-9_]+)\s*:\s*(\S.*?)\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class AspirationImportContext:
    """What the import service knows from the database and the importer's scope."""

    desa_codes: Mapping[str, str]  # code -> name of every desa the importer may write to
    categories: Mapping[str, str]  # active category code -> name
    service_codes: Collection[str] = field(default_factory=lambda: frozenset(SERVICE_TYPES))
    regency_desa_codes: Collection[str] = frozenset()  # all desa of the regency: tells "outside your area" apart
    today: date | None = None  # local (WIB) date for "not in the future"; None = today in Asia/Jakarta


@dataclass(frozen=True)
class ServiceLine:
    service_code: str
    quantity: int


@dataclass(frozen=True)
class AspirationRow:
    """One valid aspiration, typed; `category` is the category code even when the file gave its name."""

    line: int
    village_code: str
    category: str
    title: str
    description: str
    urgency: str
    affected: int | None = None
    services: tuple[ServiceLine, ...] = ()
    anonymous: bool = False
    confidential: bool = False
    submitted_on: date | None = None


@dataclass(frozen=True)
class AspirationImportResult:
    rows: tuple[AspirationRow, ...]
    errors: tuple[RowError, ...]
    fmt: str  # "csv" | "xlsx" | "unknown"

    @property
    def ok(self) -> bool:
        """True when the whole file may be written."""
        return bool(self.rows) and not self.errors


@dataclass(frozen=True)
class _Header:
    columns: dict[str, int]  # field -> cell index
    names: dict[str, str]  # field -> column name as written


def parse_aspirations(filename: str, data: bytes, ctx: AspirationImportContext) -> AspirationImportResult:
    """Read and validate an upload; never raises on bad input."""
    name = PurePath(filename or "").name or "(tanpa nama)"
    fmt = _FORMATS.get(PurePath(filename or "").suffix.lower(), "unknown")
    if fmt == "unknown":
        return _file_error(fmt, f"Format berkas tidak didukung: {name}. Gunakan CSV (UTF-8) atau XLSX.")
    if not data or not data.strip():
        return _file_error(fmt, "Berkas kosong.")
    try:
        header, raw_rows = _read_csv(data) if fmt == "csv" else _read_xlsx(data)
        today = ctx.today or today_local()
        return _validate_all(header, raw_rows, ctx, today, fmt)
    except _FileError as exc:
        return _file_error(fmt, exc.message, exc.line)
    except Exception:  # last resort: an unexpected bug must not turn an upload into a 500
        log.exception("unexpected error while parsing aspirations from %s", name)
        return _file_error(fmt, "Berkas tidak dapat diproses karena kesalahan tak terduga.")


def _file_error(fmt: str, message: str, line: int = 1) -> AspirationImportResult:
    return AspirationImportResult(rows=(), errors=(RowError(line, None, message),), fmt=fmt)


# --- readers ------------------------------------------------------------------------------------


def _read_csv(data: bytes) -> tuple[_Header, list[tuple[int, list[Any]]]]:
    return _tabular(csv_rows(data))


def _read_xlsx(data: bytes) -> tuple[_Header, list[tuple[int, list[Any]]]]:
    return _tabular(xlsx_rows(data), spreadsheet=True)


def _tabular(
    rows: Iterable[tuple[int, list[Any]]], *, spreadsheet: bool = False
) -> tuple[_Header, list[tuple[int, list[Any]]]]:
    """Header row, then data rows; blank rows are skipped (spreadsheets and hand-typed files leave them)."""
    header: _Header | None = None
    data_rows: list[tuple[int, list[Any]]] = []
    blank_run = 0
    for line, cells in rows:
        if all(_blank(c) for c in cells):
            blank_run += 1
            if spreadsheet and blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if header is None:
            header = _map_header(cells)
            continue
        if len(data_rows) >= MAX_ROWS:
            raise _FileError(
                f"Berkas berisi lebih dari {MAX_ROWS:,} baris data; bagi menjadi beberapa berkas.".replace(",", "."),
                line,
            )
        data_rows.append((line, cells))
    if header is None:
        raise _FileError("Berkas kosong.")
    if not data_rows:
        raise _FileError("Berkas hanya berisi judul kolom, tanpa baris data.")
    return header, data_rows


def _map_header(cells: Sequence[Any]) -> _Header:
    columns, written, names = match_header(cells, _ALIAS_TO_FIELD)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        found = columns_found(names)
        raise _FileError(
            f"Kolom wajib tidak ditemukan: {', '.join(missing)}. Kolom yang ada: {found}. Kolom wajib: "
            "village_code, category, title, description, urgency (atau kode_desa, kategori, judul, uraian, urgensi)."
        )
    return _Header(columns, written)


# --- validation ---------------------------------------------------------------------------------


def _validate_all(
    header: _Header, raw_rows: list[tuple[int, list[Any]]], ctx: AspirationImportContext, today: date, fmt: str
) -> AspirationImportResult:
    categories = _category_lookup(ctx.categories)
    first_seen: dict[tuple[str, str], int] = {}
    rows: list[AspirationRow] = []
    errors: list[RowError] = []
    for line, cells in raw_rows:
        values = {name: cells[i] if i < len(cells) else None for name, i in header.columns.items()}
        row, problems = _validate_row(line, values, ctx, categories, today)
        key = (_text(values.get("village_code")), _fold(_single_line(values.get("title"))))
        if all(key) and key in first_seen:
            problems.append(("title", f"Baris ganda: desa dan judul sama persis dengan baris {first_seen[key]}."))
        elif all(key):
            first_seen[key] = line
        errors.extend(RowError(line, header.names.get(name, name), message) for name, message in problems)
        if row is not None and not problems:
            rows.append(row)
    return AspirationImportResult(rows=tuple(rows), errors=tuple(errors), fmt=fmt)


def _validate_row(
    line: int,
    values: dict[str, Any],
    ctx: AspirationImportContext,
    categories: Mapping[str, str],
    today: date,
) -> tuple[AspirationRow | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []

    village = _text(values.get("village_code"))
    if not village:
        problems.append(("village_code", "Kode desa kosong."))
    elif village not in ctx.desa_codes:
        if village in ctx.regency_desa_codes:
            problems.append(("village_code", f"Desa {village} berada di luar wilayah Anda; Anda tidak dapat "
                                             "mengimpor aspirasi untuk desa ini."))
        else:
            problems.append(("village_code", f"Kode desa '{village}' tidak dikenal."))

    category_text = _single_line(values.get("category"))
    category = categories.get(_fold(category_text))
    if not category_text:
        problems.append(("category", "Kategori kosong."))
    elif category is None:
        choices = ", ".join(sorted(ctx.categories)) or "(belum ada)"
        problems.append(("category", f"Kategori '{category_text}' tidak dikenal. Gunakan kode atau nama kategori: "
                                     f"{choices}."))

    title = _single_line(values.get("title"))
    problems.extend(("title", p) for p in _length_problems(title, "Judul", MAX_TITLE))
    description = _multi_line(values.get("description"))
    problems.extend(("description", p) for p in _length_problems(description, "Uraian", MAX_DESCRIPTION))

    urgency = _text(values.get("urgency")).lower()
    if not urgency:
        problems.append(("urgency", "Urgensi kosong. Pilihan: " + ", ".join(URGENCIES) + "."))
    elif urgency not in URGENCIES:
        problems.append(("urgency", f"Urgensi '{_text(values.get('urgency'))}' tidak valid. Pilihan: "
                                    + ", ".join(URGENCIES) + "."))

    affected, problem = _parse_count(values.get("affected"), "Jumlah terdampak")
    if problem:
        problems.append(("affected", problem))
    services, service_problems = _parse_services(values.get("services"), ctx.service_codes)
    problems.extend(("services", p) for p in service_problems)
    flags: dict[str, bool] = {}
    for name in ("anonymous", "confidential"):
        flags[name], problem = _parse_flag(values.get(name), LABELS[name])
        if problem:
            problems.append((name, problem))
    submitted_on, problem = _parse_date(values.get("submitted_on"), today)
    if problem:
        problems.append(("submitted_on", problem))

    if problems or category is None:
        return None, problems
    return AspirationRow(
        line=line,
        village_code=village,
        category=category,
        title=title,
        description=description,
        urgency=urgency,
        affected=affected,
        services=services,
        anonymous=flags["anonymous"],
        confidential=flags["confidential"],
        submitted_on=submitted_on,
    ), []


def _category_lookup(categories: Mapping[str, str]) -> dict[str, str]:
    """Folded code or name -> code; codes win over names if they ever collide."""
    lookup = {_fold(name): code for code, name in categories.items()}
    lookup.update({_fold(code): code for code in categories})
    return lookup


def _length_problems(value: str, label: str, maximum: int) -> list[str]:
    if not value:
        return [f"{label} kosong."]
    if len(value) > maximum:
        return [f"{label} terlalu panjang: {len(value)} karakter (maksimal {maximum})."]
    return []


# --- cell values --------------------------------------------------------------------------------


def _parse_count(value: Any, label: str) -> tuple[int | None, str | None]:
    """A whole, non-negative number; 12.0 from spreadsheets is fine, 12.5 and "1.234" are not."""
    if _blank(value):
        return None, None
    if isinstance(value, bool):
        return None, f"{label} '{value}' bukan angka."
    if isinstance(value, int):
        count = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, f"{label} '{_text(value)}' harus bilangan bulat."
        count = int(value)
    else:
        text = str(value).strip()
        if _THOUSANDS.fullmatch(text):
            return None, f"{label} '{text}' ambigu; tulis bilangan bulat tanpa pemisah ribuan."
        if not _INTEGER.fullmatch(text):
            return None, f"{label} '{text}' bukan bilangan bulat."
        count = int(float(text)) if "." in text else int(text)
    if count < 0:
        return None, f"{label} {count} tidak boleh negatif."
    return count, None


def _parse_services(value: Any, known: Collection[str]) -> tuple[tuple[ServiceLine, ...], list[str]]:
    """`kode:jumlah` lines separated by `;` (or `,` / new lines); every problem is reported."""
    if _blank(value):
        return (), []
    lines: list[ServiceLine] = []
    problems: list[str] = []
    seen: set[str] = set()
    example = "gunakan kode:jumlah, misalnya perekaman_ktp_el:40;aktivasi_ikd:25"
    for part in re.split(r"[;,\n]", str(value)):
        if not part.strip():
            continue
        match = _SERVICE_LINE.fullmatch(part)
        if match is None:
            problems.append(f"Layanan '{part.strip()}' tidak valid; {example}.")
            continue
        code, amount = match.group(1).lower(), match.group(2)
        if code not in known:
            problems.append(f"Kode layanan '{code}' tidak dikenal.")
        elif code in seen:
            problems.append(f"Layanan {code} ditulis lebih dari sekali; gabungkan jumlahnya.")
        seen.add(code)
        if not amount.isdigit() or int(amount) <= 0:
            problems.append(f"Jumlah untuk layanan {code} harus bilangan bulat positif, bukan '{amount}'.")
            continue
        lines.append(ServiceLine(code, int(amount)))
    return (tuple(lines) if not problems else ()), problems


def _parse_flag(value: Any, label: str) -> tuple[bool, str | None]:
    if _blank(value):
        return False, None
    if isinstance(value, bool):
        return value, None
    text = _text(value).lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return False, f"Nilai {label.lower()} '{_text(value)}' tidak valid; gunakan ya atau tidak."


def _parse_date(value: Any, today: date) -> tuple[date | None, str | None]:
    if _blank(value):
        return None, None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = str(value).strip()
        day = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                day = datetime.strptime(text, pattern).date()  # a calendar date, no time zone
                break
            except ValueError:
                continue
        if day is None:
            return None, f"Tanggal '{text}' tidak valid; gunakan YYYY-MM-DD atau DD/MM/YYYY (misalnya 2026-03-17)."
    if day > today:
        return None, f"Tanggal {day:%d/%m/%Y} berada di masa depan."
    return day, None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    """A cell as stripped text; 12.0 from a spreadsheet reads "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(value))).strip()


def _single_line(value: Any) -> str:
    return " ".join(_text(value).split())


def _multi_line(value: Any) -> str:
    lines = _text(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
