"""Parse and validate service records collected offline (on paper or a laptop) and typed into a CSV or XLSX file.

No database and no Flask: the visit's import service builds a `ServiceImportContext` (the services the uploader
may record, our regency), calls `parse_service_records`, shows `errors` and `warnings` row by row, and writes the
records only when `ok` (all or nothing: one bad row means nothing is recorded, so a file can simply be fixed and
uploaded again without creating half a set of duplicates). Bad input never raises; every problem becomes a
`RowError` with an Indonesian message. Same philosophy and file conventions as `app.aspirations.importer`.

Columns (header row, case-insensitive; spaces and hyphens count as "_"; other columns are ignored):
    service   service, layanan, kode_layanan       required  service code or name (case-insensitive)
    nik       nik, no_nik, nomor_nik               one of    16-digit NIK: one record for one resident
    count     count, jumlah                        one of    whole number 1–10.000: an anonymous tally
    note      note, catatan, keterangan            optional  at most 200 characters

Each row fills EITHER `nik` OR `count`. A resident from another regency is accepted with a warning; the same
service for the same NIK twice in one file is refused (naming the first line). The database still refuses a
NIK already recorded for that service at the visit: this module only sees the file.

Privacy (UU PDP): no message or warning ever contains a full NIK. Messages name a NIK only through `mask_nik`,
and every message goes through `_redact` as a last line of defence, because cell values are quoted back to the
user and a NIK typed into the wrong column would otherwise be echoed in full. `ServiceRow.__repr__` masks too.

CSV: UTF-8 (with or without BOM), delimiter `,`, `;` or tab (taken from the header line). XLSX: the first sheet.
Line numbers are those of the file (header = line 1 when it is the first line); `RowError.field` is the column
name as written in the file, and `str(error)` reads "Baris 3, kolom nik: <message>".
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from app.core.nik import NikError, mask_nik, parse_nik
from app.core.tabular import FileError as _FileError
from app.core.tabular import RowError, columns_found, csv_rows, match_header, xlsx_rows

log = logging.getLogger(__name__)

MAX_ROWS = 20_000
MAX_COUNT = 10_000
MAX_NOTE = 200
MAX_BLANK_RUN = 1_000  # consecutive blank spreadsheet rows after which the rest of the sheet is ignored

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "service": ("service", "layanan", "kode_layanan"),
    "nik": ("nik", "no_nik", "nomor_nik"),
    "count": ("count", "jumlah"),
    "note": ("note", "catatan", "keterangan"),
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
_INTEGER = re.compile(r"[+-]?\d+(?:\.0+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{3})+")
_SCIENTIFIC = re.compile(r"\s*\d(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+\s*")  # 3,51009E+15: Excel's rendering of a number
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: A run of 8+ digits, possibly split by spaces, dots or dashes: a NIK (or most of one) to keep out of messages.
_LONG_NUMBER = re.compile(r"\d(?:[ .\-\u00a0]?\d){7,}")


@dataclass(frozen=True)
class ServiceImportContext:
    """What the import service knows from the database and the uploader's role."""

    service_codes: Mapping[str, str]  # code -> name of every service the uploader may record
    regency_code: str = "35.10"  # our regency (Kemendagri); a NIK from elsewhere is accepted with a warning
    today: date | None = None  # for the NIK birth-date checks; None = today in Asia/Jakarta


@dataclass(frozen=True)
class ServiceRow:
    """One valid record: `nik` (normalized 16 digits, an individual) or `count` (an anonymous tally), never both.

    `service_code` is the code even when the file gave the service's name.
    """

    line: int
    service_code: str
    nik: str | None
    count: int | None
    note: str | None

    def __repr__(self) -> str:  # the dataclass repr would print the full NIK into logs and tracebacks
        nik = None if self.nik is None else mask_nik(self.nik)
        return (f"ServiceRow(line={self.line!r}, service_code={self.service_code!r}, nik={nik!r}, "
                f"count={self.count!r}, note={self.note!r})")


@dataclass(frozen=True)
class ServiceImportResult:
    rows: tuple[ServiceRow, ...]
    errors: tuple[RowError, ...]
    warnings: tuple[RowError, ...]  # accepted but worth a look (a resident from another regency)
    fmt: str  # "csv" | "xlsx" | "unknown"

    @property
    def ok(self) -> bool:
        """True when the whole file may be written."""
        return bool(self.rows) and not self.errors

    def totals(self) -> dict[str, int]:
        """Services delivered per service code (one per NIK record plus the tallies), for the confirmation screen."""
        totals: dict[str, int] = {}
        for row in self.rows:
            totals[row.service_code] = totals.get(row.service_code, 0) + (row.count if row.count is not None else 1)
        return dict(sorted(totals.items()))


@dataclass(frozen=True)
class _Header:
    columns: dict[str, int]  # field -> cell index
    names: dict[str, str]  # field -> column name as written


def parse_service_records(filename: str, data: bytes, ctx: ServiceImportContext) -> ServiceImportResult:
    """Read and validate an upload; never raises on bad input."""
    name = PurePath(filename or "").name or "(tanpa nama)"
    fmt = _FORMATS.get(PurePath(filename or "").suffix.lower(), "unknown")
    if fmt == "unknown":
        return _file_error(fmt, f"Format berkas tidak didukung: {name}. Gunakan CSV (UTF-8) atau XLSX.")
    if not data or not data.strip():
        return _file_error(fmt, "Berkas kosong.")
    try:
        header, raw_rows = _read_csv(data) if fmt == "csv" else _read_xlsx(data)
        return _validate_all(header, raw_rows, ctx, fmt)
    except _FileError as exc:
        return _file_error(fmt, exc.message, exc.line)
    except Exception:  # last resort: an unexpected bug must not turn an upload into a 500
        log.exception("unexpected error while parsing service records from %s", name)
        return _file_error(fmt, "Berkas tidak dapat diproses karena kesalahan tak terduga.")


def _file_error(fmt: str, message: str, line: int = 1) -> ServiceImportResult:
    return ServiceImportResult(rows=(), errors=(RowError(line, None, _redact(message)),), warnings=(), fmt=fmt)


# --- readers ------------------------------------------------------------------------------------


def _read_csv(data: bytes) -> tuple[_Header, list[tuple[int, list[Any]]]]:
    return _tabular(csv_rows(data))


def _read_xlsx(data: bytes) -> tuple[_Header, list[tuple[int, list[Any]]]]:
    return _tabular(xlsx_rows(data), spreadsheet=True)


def _tabular(
    rows: Iterable[tuple[int, list[Any]]], *, spreadsheet: bool = False
) -> tuple[_Header, list[tuple[int, list[Any]]]]:
    """Header row, then data rows.

    A data row counts as empty when the columns we read are empty: forms often carry a pre-numbered "No" column
    down a page that was only partly filled in, and those rows must not become "service is empty" errors.
    """
    header: _Header | None = None
    data_rows: list[tuple[int, list[Any]]] = []
    blank_run = 0
    for line, cells in rows:
        if header is None:
            if all(_blank(c) for c in cells):
                continue
            header = _map_header(cells)
            continue
        if all(_blank(cells[i]) for i in header.columns.values() if i < len(cells)):
            blank_run += 1
            if spreadsheet and blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
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
    columns, written, names = match_header(cells, _ALIAS_TO_FIELD, _text)
    missing = []
    if "service" not in columns:
        missing.append("service (atau layanan, kode_layanan)")
    if "nik" not in columns and "count" not in columns:
        missing.append("nik atau count (jumlah)")
    if missing:
        # A file without a header row puts its first record here: _redact (in _file_error) masks any NIK in it.
        found = columns_found(names)
        raise _FileError(
            f"Kolom wajib tidak ditemukan: {'; '.join(missing)}. Kolom yang ada: {found}. Baris pertama harus "
            "berisi judul kolom: service, lalu nik untuk catatan per orang dan/atau count untuk jumlah tanpa nama "
            "(atau layanan, nik, jumlah)."
        )
    return _Header(columns, written)


# --- validation ---------------------------------------------------------------------------------


def _validate_all(
    header: _Header, raw_rows: list[tuple[int, list[Any]]], ctx: ServiceImportContext, fmt: str
) -> ServiceImportResult:
    services = _service_lookup(ctx.service_codes)
    first_seen: dict[tuple[str, str], int] = {}  # (service code, NIK) -> line
    rows: list[ServiceRow] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    for line, cells in raw_rows:
        values = {name: cells[i] if i < len(cells) else None for name, i in header.columns.items()}
        row, warning, problems = _validate_row(line, values, ctx, services)
        if row is not None and row.nik is not None:
            key = (row.service_code, row.nik)
            if key in first_seen:
                problems.append(("nik", f"NIK {mask_nik(row.nik)} sudah dicatat untuk layanan {row.service_code} "
                                        f"di baris {first_seen[key]}; satu layanan hanya sekali per orang."))
            else:
                first_seen[key] = line
        column = header.names.get
        errors.extend(RowError(line, column(name, name), _redact(message)) for name, message in problems)
        if row is not None and not problems:
            rows.append(row)
            if warning:
                warnings.append(RowError(line, column("nik", "nik"), _redact(warning)))
    return ServiceImportResult(rows=tuple(rows), errors=tuple(errors), warnings=tuple(warnings), fmt=fmt)


def _validate_row(
    line: int, values: dict[str, Any], ctx: ServiceImportContext, services: Mapping[str, str]
) -> tuple[ServiceRow | None, str | None, list[tuple[str, str]]]:
    """The typed row (None when a value is unusable), an optional warning, and every problem found."""
    problems: list[tuple[str, str]] = []

    service_text = _single_line(values.get("service"))
    service = services.get(_fold(service_text))
    if not service_text:
        problems.append(("service", "Layanan kosong."))
    elif service is None:
        choices = ", ".join(sorted(ctx.service_codes)) or "(belum ada)"
        problems.append(("service", f"Layanan '{_clip(service_text)}' tidak dikenal atau tidak dapat Anda catat. "
                                    f"Gunakan kode atau nama layanan: {choices}."))

    nik_value, count_value = values.get("nik"), values.get("count")
    nik: str | None = None
    count: int | None = None
    warning: str | None = None
    if not _blank(nik_value) and not _blank(count_value):
        problems.append(("nik", "Isi salah satu saja: NIK (catatan per orang) atau jumlah (hitungan tanpa nama), "
                                "bukan keduanya."))
    elif _blank(nik_value) and _blank(count_value):
        which = "nik" if "nik" in values else "count"
        problems.append((which, "NIK dan jumlah kosong; isi NIK untuk catatan per orang atau jumlah untuk hitungan "
                                "tanpa nama."))
    elif not _blank(nik_value):
        nik, warning, problem = _parse_nik_cell(nik_value, ctx)
        if problem:
            problems.append(("nik", problem))
    else:
        count, problem = _parse_count(count_value, "Jumlah")
        if problem:
            problems.append(("count", problem))

    note = _single_line(values.get("note"))
    if len(note) > MAX_NOTE:
        problems.append(("note", f"Catatan terlalu panjang: {len(note)} karakter (maksimal {MAX_NOTE})."))

    if service is None or (nik is None and count is None):
        return None, None, problems
    return ServiceRow(line, service, nik, count, note or None), warning, problems


def _service_lookup(service_codes: Mapping[str, str]) -> dict[str, str]:
    """Folded code or name -> code; codes win over names if they ever collide."""
    lookup = {_fold(name): code for code, name in service_codes.items()}
    lookup.update({_fold(code): code for code in service_codes})
    return lookup


# --- cell values --------------------------------------------------------------------------------


def _parse_nik_cell(value: Any, ctx: ServiceImportContext) -> tuple[str | None, str | None, str | None]:
    """(normalized NIK, warning, problem). Spreadsheet numbers get a check of their own, see below."""
    if isinstance(value, bool):
        return None, None, "NIK harus berupa 16 angka."
    if isinstance(value, int | float):
        # Excel keeps 15 significant digits: a NIK typed into a number cell comes back with its last digit as 0.
        # A last digit other than 0 proves the number is intact; a 0 may be a loss we cannot undo, so refuse it.
        if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
            return None, None, "NIK tersimpan sebagai angka pecahan; format kolom NIK sebagai Teks lalu ketik ulang."
        text = str(int(value))
        if len(text) == 16 and text.endswith("0"):
            return None, None, ("NIK tersimpan sebagai angka di Excel, yang hanya menyimpan 15 angka sehingga angka "
                                "terakhir bisa berubah menjadi 0. Format kolom NIK sebagai Teks lalu ketik ulang NIK.")
    else:
        text = _text(value)
        if _SCIENTIFIC.fullmatch(text):
            return None, None, ("NIK tertulis dalam notasi ilmiah (misalnya 3,51E+15) karena Excel menganggapnya "
                                "angka, dan angka aslinya hilang. Format kolom NIK sebagai Teks lalu ketik ulang NIK.")
        text = text.removeprefix("'")  # Excel's "store as text" apostrophe, typed by hand into a CSV
    try:
        info = parse_nik(text, regency_code=ctx.regency_code, today=ctx.today)
    except NikError as exc:
        return None, None, str(exc)
    warning = f"NIK {mask_nik(info.nik)}: {info.warning}" if info.warning else None
    return info.nik, warning, None


def _parse_count(value: Any, label: str) -> tuple[int | None, str | None]:
    """A whole number 1–10.000; 12.0 from spreadsheets is fine, 12.5 and "1.234" are not."""
    if isinstance(value, bool):
        return None, f"{label} '{value}' bukan angka."
    if isinstance(value, int):
        count = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, f"{label} '{_clip(_text(value))}' harus bilangan bulat."
        count = int(value)
    else:
        text = _text(value)
        if _THOUSANDS.fullmatch(text):
            return None, f"{label} '{text}' ambigu; tulis bilangan bulat tanpa pemisah ribuan."
        if not _INTEGER.fullmatch(text):
            return None, f"{label} '{_clip(text)}' bukan bilangan bulat."
        count = int(float(text)) if "." in text else int(text)
    if not 1 <= count <= MAX_COUNT:
        return None, f"{label} harus 1 sampai {MAX_COUNT:,}".replace(",", ".") + f"; yang diisi {_clip(str(count))}."
    return count, None


def _redact(message: str) -> str:
    """Mask anything that looks like a NIK: 16 digits through `mask_nik`, other long numbers all but 4 digits."""

    def mask(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        return mask_nik(digits) if len(digits) == 16 else digits[:4] + "*" * (len(digits) - 4)

    return _LONG_NUMBER.sub(mask, message)


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


def _clip(text: str, limit: int = 40) -> str:
    """A cell value quoted back in a message: short, so a pasted paragraph does not flood the row report."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
