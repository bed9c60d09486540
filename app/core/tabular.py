"""Reading CSV and XLSX uploads into numbered rows, shared by every importer (all-or-nothing imports).

Problems with the file as a whole raise `FileError` with an Indonesian sentence and the line it concerns; the
importers turn it into a single row-report entry and never let it escape.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import openpyxl

MAX_COLUMNS = 100  # columns read from an XLSX sheet; a stray cell in column XFD must not cost 16 384 cells a row

Rows = list[tuple[int, list[Any]]]


@dataclass(frozen=True)
class RowError:
    """One problem (or warning) of an import. File-level problems have no field; `field` is the column name as
    written in the file."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"Baris {self.line}" + (f", kolom {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class FileError(Exception):
    """A problem with the file as a whole; becomes a single RowError, never escapes an importer."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def _too_many(max_rows: int, line: int) -> FileError:
    return FileError(f"Berkas berisi lebih dari {max_rows:,} baris data; bagi menjadi beberapa berkas."
                     .replace(",", "."), line)


def _blank_row(cells: Any) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def csv_rows(data: bytes, max_rows: int | None = None) -> Rows:
    """(line where the record starts, cells) for a UTF-8 CSV separated by comma, semicolon or tab.

    With `max_rows` (data rows; the first non-blank row is the header), reading stops with a FileError at the first
    non-blank row beyond it, so a huge file is refused before it is all in memory.
    """
    if data.startswith(b"PK\x03\x04"):
        raise FileError("Berkas bernama .csv tetapi isinya lembar kerja Excel. Ganti namanya menjadi .xlsx.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError("Berkas disimpan sebagai UTF-16. Simpan ulang sebagai \"CSV UTF-8 (dipisahkan koma)\".")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileError(
            f"Berkas bukan teks UTF-8 (byte ke-{exc.start + 1}, baris {line}, tidak valid). "
            "Simpan ulang sebagai \"CSV UTF-8 (dipisahkan koma)\".",
            line,
        ) from exc
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)  # ties go to ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    start = 1
    filled = 0
    try:
        for cells in reader:
            if max_rows is not None and not _blank_row(cells):
                filled += 1
                if filled > max_rows + 1:
                    raise _too_many(max_rows, start)
            rows.append((start, cells))
            start = reader.line_num + 1  # a quoted cell may span lines: report where the record starts
    except csv.Error as exc:
        hint = "isi sel terlalu panjang" if "field limit" in str(exc) else "format tidak dapat dibaca"
        raise FileError(
            f"Berkas CSV rusak di baris {reader.line_num}: {hint} (periksa tanda kutip \" yang tidak ditutup).",
            reader.line_num,
        ) from exc
    return rows


MAX_BLANK_RUN = 1_000  # with `max_rows`: consecutive blank sheet rows after which the rest of the sheet is ignored


def xlsx_rows(data: bytes, max_rows: int | None = None) -> Rows:
    """(row number, cells) of the first worksheet, values not formulas.

    With `max_rows` (data rows, after the header): a FileError at the first non-blank row beyond it, and reading
    stops after a long run of blank
    rows (formatting that reaches far down a sheet), so a huge sheet is never read whole.
    """
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike
        raise FileError("Berkas XLSX tidak dapat dibuka. Simpan ulang sebagai Excel Workbook (.xlsx).") from exc
    try:
        if not workbook.worksheets:
            raise FileError("Berkas XLSX tidak memiliki lembar kerja.")
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        if max_rows is None:
            return [(line, list(cells)) for line, cells in enumerate(rows, start=1)]
        out: Rows = []
        filled = blank_run = 0
        for line, cells in enumerate(rows, start=1):
            if _blank_row(cells):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            filled += 1
            if filled > max_rows + 1:
                raise _too_many(max_rows, line)
            out.append((line, list(cells)))
        return out
    except FileError:
        raise
    except Exception as exc:
        raise FileError("Isi berkas XLSX rusak dan tidak dapat dibaca.") from exc
    finally:
        workbook.close()


def match_header(cells: Any, alias_to_field: dict[str, str],
                 text: Any = lambda cell: str(cell).strip()) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """(field → column index, field → column name as written, every name as written) of a header row.

    Names match case-insensitively with spaces and hyphens read as "_"; unknown columns are ignored. Two columns
    for one field raise `FileError`. Each importer decides which fields are required (see `columns_found`).
    """
    import re

    names = ["" if c is None else text(c).lstrip("\ufeff").strip() for c in cells]
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    for index, name in enumerate(names):
        known = alias_to_field.get(re.sub(r"[\s\-]+", "_", name.lower()))
        if known is None:
            continue
        if known in columns:
            raise FileError(f"Kolom '{written[known]}' dan '{name}' sama-sama berisi {known}; sisakan satu.")
        columns[known], written[known] = index, name
    return columns, written, names


def columns_found(names: list[str]) -> str:
    """The header's columns for a "required column missing" message: at most 20, each cut to 40 characters."""
    present = [n if len(n) <= 40 else n[:39] + "…" for n in names if n]
    return ", ".join(present[:20]) + (", …" if len(present) > 20 else "") or "(tidak ada)"
