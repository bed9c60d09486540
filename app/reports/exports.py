"""The DPRD report's tables as XLSX and CSV for DPRD staff (cells that look like formulas are neutralised)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from reports.context import DprdReport

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    """A text cell starting like a formula is prefixed with a quote (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def tables(report: DprdReport) -> dict[str, tuple[Sequence[str], Iterable[Sequence[object]]]]:
    return {
        "ringkasan": (("Indikator", "Nilai", "Keterangan"),
                      [(k.label, k.value, k.note or "") for k in report.kpis]),
        "kecamatan": (("Kecamatan", "Kunjungan direncanakan", "Kunjungan terlaksana", "Desa terkunjungi",
                       "Jumlah desa", "Layanan", "Aspirasi diterima", "Aspirasi selesai"),
                      [(r.name, r.visits_planned, r.visits_held, r.desa_covered, r.desa_total, r.services,
                        r.aspirations_received, r.aspirations_resolved) for r in report.kecamatan_rows]),
        "kunjungan": (("Tanggal", "Desa", "Kecamatan", "Status", "Layanan", "Aspirasi selesai", "Komitmen"),
                      [(r.visit_date.isoformat(), r.desa, r.kecamatan, r.status, r.services,
                        r.aspirations_resolved, r.commitments) for r in report.visit_rows]),
        "layanan_sektor": (("Sektor", "Layanan"), [(r.label, r.count) for r in report.services_by_sector]),
        "layanan_bulan": (("Bulan", "Layanan"), [(r.label, r.count) for r in report.services_by_month]),
        "aspirasi_status": (("Status", "Jumlah"), [(r.label, r.count) for r in report.aspirations_by_status]),
        "aspirasi_kategori": (("Kategori", "Jumlah"), [(r.label, r.count) for r in report.aspirations_by_category]),
    }


def to_xlsx(report: DprdReport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in tables(report).items():
        sheet = book.create_sheet(name[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([_safe(v) for v in row])
    book.properties.title = f"Laporan Bunga Desa {report.period_label}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(report: DprdReport, table: str) -> str:
    header, rows = tables(report)[table]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()
