"""Parse and validate per-desa household counts by welfare decile, as exported from DTSEN or P3KE.

No database and no Flask: the import service builds a `PovertyContext` from the database, calls `parse_poverty`,
shows `errors` row by row, and writes the rows only when `ok` (all or nothing). Bad input never raises; every
problem becomes a `RowError` with an Indonesian message. Same file conventions as the other importers
(`app.core.tabular`).

Template (header row, case-insensitive; spaces and hyphens count as "_"; other columns such as `nama_desa` are
ignored):
    kode_desa   kode_desa, kode, kode_wilayah, code     required  Kemendagri desa code, 35.10.09.2001 or 3510092001
    jumlah_kk   jumlah_kk, kk, jumlah_keluarga,         required  all households of the desa (every decile): the
                jumlah_rumah_tangga, households                   denominator of the poverty share
    desil_1     desil_1, d1                             required  households in welfare decile 1 (poorest 10 %)
    desil_2     desil_2, d2                             required  decile 2
    desil_3     desil_3, d3                             required  decile 3
    desil_4     desil_4, d4                             required  decile 4

Counts are whole numbers 0–200.000 (no thousands separators); desil 1–4 together may not exceed jumlah_kk; a desa
appears once. The app calls the households in desil 1–4 "poor households" (P3KE's scope; desil 1 is the extreme
poor), see `PovertyRow.poor`.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from app.core.tabular import FileError, RowError, columns_found, csv_rows, match_header, xlsx_rows

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024  # a regency has a few hundred desa: some 20 kB of CSV
MAX_ROWS = 5_000
MAX_COUNT = 200_000
COUNT_FIELDS = ("jumlah_kk", "desil_1", "desil_2", "desil_3", "desil_4")
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "kode_desa": ("kode_desa", "kode", "kode_wilayah", "code"),
    "jumlah_kk": ("jumlah_kk", "kk", "jumlah_keluarga", "jumlah_rumah_tangga", "households"),
    "desil_1": ("desil_1", "d1"),
    "desil_2": ("desil_2", "d2"),
    "desil_3": ("desil_3", "d3"),
    "desil_4": ("desil_4", "d4"),
}
TEMPLATE_COLUMNS = ("kode_desa", "nama_desa", "jumlah_kk", "desil_1", "desil_2", "desil_3", "desil_4")
_ALIAS_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
_DOTTED = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_DIGITS = re.compile(r"\d{10}")
_INTEGER = re.compile(r"[+-]?\d+(?:\.0+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{3})+")


@dataclass(frozen=True)
class PovertyContext:
    """What the import service knows from the database."""

    regency_code: str  # "35.10"
    regency_name: str  # "Kabupaten Banyuwangi"
    desa: Mapping[str, str]  # code -> name of every desa of the regency
    # code -> "Padomasan, Kabupaten Jember" when the code is a desa of another regency, else None
    elsewhere: Callable[[str], str | None] = lambda code: None


@dataclass(frozen=True)
class PovertyRow:
    """One valid desa: all households and those in deciles 1–4."""

    line: int
    code: str
    households: int
    desil_1: int
    desil_2: int
    desil_3: int
    desil_4: int

    @property
    def poor(self) -> int:
        return self.desil_1 + self.desil_2 + self.desil_3 + self.desil_4


@dataclass(frozen=True)
class PovertyImportResult:
    rows: tuple[PovertyRow, ...]
    errors: tuple[RowError, ...]
    fmt: str  # "csv" | "xlsx" | "unknown"
    missing: tuple[str, ...] = ()  # desa of the regency not in the file (their figures stay as they are)

    @property
    def ok(self) -> bool:
        """True when the whole file may be written."""
        return bool(self.rows) and not self.errors


def parse_poverty(filename: str, data: bytes, ctx: PovertyContext) -> PovertyImportResult:
    """Read and validate an upload; never raises on bad input."""
    name = PurePath(filename or "").name or "(tanpa nama)"
    fmt = _FORMATS.get(PurePath(filename or "").suffix.lower(), "unknown")
    if fmt == "unknown":
        return _file_error(fmt, f"Format berkas tidak didukung: {name}. Gunakan CSV (UTF-8) atau XLSX.")
    if len(data) > MAX_BYTES:
        return _file_error(fmt, f"Berkas terlalu besar ({len(data) / 1024 / 1024:.1f} MB); batasnya "
                                f"{MAX_BYTES // 1024 // 1024} MB.".replace(".", ",", 1))
    if not data or not data.strip():
        return _file_error(fmt, "Berkas kosong.")
    try:
        rows = csv_rows(data, MAX_ROWS) if fmt == "csv" else xlsx_rows(data, MAX_ROWS)
        columns, names, data_rows = _tabular(rows)
        return _validate_all(columns, names, data_rows, ctx, fmt)
    except FileError as exc:
        return _file_error(fmt, exc.message, exc.line)
    except Exception:  # last resort: an unexpected bug must not turn an upload into a 500
        log.exception("unexpected error while parsing poverty figures from %s", name)
        return _file_error(fmt, "Berkas tidak dapat diproses karena kesalahan tak terduga.")


def _file_error(fmt: str, message: str, line: int = 1) -> PovertyImportResult:
    return PovertyImportResult(rows=(), errors=(RowError(line, None, message),), fmt=fmt)


def _tabular(rows: Iterable[tuple[int, list[Any]]]) -> tuple[dict[str, int], dict[str, str], list]:
    columns: dict[str, int] | None = None
    names: dict[str, str] = {}
    data_rows: list[tuple[int, list[Any]]] = []
    for line, cells in rows:
        if columns is None:
            if all(_blank(c) for c in cells):
                continue
            columns, names = _map_header(cells)
            continue
        if all(_blank(cells[i]) for i in columns.values() if i < len(cells)):
            continue
        data_rows.append((line, cells))
    if columns is None:
        raise FileError("Berkas kosong.")
    if not data_rows:
        raise FileError("Berkas hanya berisi judul kolom, tanpa baris data.")
    return columns, names, data_rows


def _map_header(cells: Sequence[Any]) -> tuple[dict[str, int], dict[str, str]]:
    columns, names, written = match_header(cells, _ALIAS_TO_FIELD)
    missing = [f for f in FIELD_ALIASES if f not in columns]
    if missing:
        raise FileError(f"Kolom wajib tidak ditemukan: {', '.join(missing)}. Kolom yang ada: {columns_found(written)}. "
                        "Baris pertama harus berisi judul kolom: kode_desa, jumlah_kk, desil_1, desil_2, desil_3, "
                        "desil_4.")
    return columns, names


def _validate_all(columns: dict[str, int], names: dict[str, str], data_rows: list, ctx: PovertyContext,
                  fmt: str) -> PovertyImportResult:
    rows: list[PovertyRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for line, cells in data_rows:
        values = {f: cells[i] if i < len(cells) else None for f, i in columns.items()}
        problems: list[tuple[str, str]] = []
        code = _code(values["kode_desa"])
        if not code:
            problems.append(("kode_desa", "Kode desa kosong."))
        elif code in first_seen:
            problems.append(("kode_desa", f"Desa {code} ganda: sudah ada di baris {first_seen[code]}."))
        elif code not in ctx.desa:
            other = ctx.elsewhere(code)
            if other:
                problems.append(("kode_desa", f"Desa {code} ({other}) bukan desa {ctx.regency_name}."))
            elif _DOTTED.fullmatch(code) and code.startswith(ctx.regency_code + "."):
                problems.append(("kode_desa", f"Kode desa {code} tidak terdaftar di {ctx.regency_name}."))
            else:
                problems.append(("kode_desa", f"Kode desa '{code}' tidak dikenal; tulis kode Kemendagri seperti "
                                              f"{ctx.regency_code}.09.2001."))
        if code and code not in first_seen:
            first_seen[code] = line
        counts: dict[str, int | None] = {}
        for f in COUNT_FIELDS:
            counts[f], problem = _count(values[f])
            if problem:
                problems.append((f, problem))
        kk = counts["jumlah_kk"]
        deciles = [counts[f] for f in COUNT_FIELDS[1:]]
        if kk is not None and all(d is not None for d in deciles) and sum(deciles) > kk:
            problems.append(("desil_4", f"Jumlah desil 1–4 ({sum(deciles)}) melebihi jumlah KK ({kk})."))
        if problems:
            errors.extend(RowError(line, names.get(f, f), message) for f, message in problems)
            continue
        rows.append(PovertyRow(line, code, kk, *deciles))  # type: ignore[arg-type]
    missing = tuple(sorted(set(ctx.desa) - {r.code for r in rows})) if not errors else ()
    return PovertyImportResult(rows=tuple(rows), errors=tuple(errors), fmt=fmt, missing=missing)


def _code(value: Any) -> str:
    """A desa code with dots; 10 digits (as DTSEN and spreadsheets write it) gain them."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    if _DIGITS.fullmatch(text):
        return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    return text[:40]


def _count(value: Any) -> tuple[int | None, str | None]:
    """A whole number 0–MAX_COUNT: (count, None) or (None, Indonesian message)."""
    if _blank(value):
        return None, "Wajib diisi (tulis 0 bila tidak ada)."
    if isinstance(value, bool):
        return None, f"'{value}' bukan angka."
    if isinstance(value, int):
        count = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, f"{value:g} harus bilangan bulat.".replace(".", ",")
        count = int(value)
    else:
        text = str(value).strip()
        if _THOUSANDS.fullmatch(text):
            return None, f"'{text}' ambigu; tulis bilangan bulat tanpa pemisah ribuan."
        if not _INTEGER.fullmatch(text):
            if re.fullmatch(r"[+-]?\d*[.,]\d+", text):
                return None, f"'{text}' harus bilangan bulat."
            return None, f"'{text[:40]}' bukan angka."
        count = int(float(text))
    if count < 0:
        return None, f"{count} tidak boleh negatif."
    if count > MAX_COUNT:
        return None, f"{count} terlalu besar untuk satu desa (paling banyak {MAX_COUNT:,}).".replace(",", ".")
    return count, None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
