"""Poverty data by welfare decile: where each desa's figures come from, the import history, the blank template.

Reads only (the import itself is `services.import_poverty`). "Poor households" in this app are the households in
welfare deciles 1–4 of DTSEN/P3KE; an import sets `Desa.households` (jumlah KK) and `Desa.poor_households`
(desil 1–4) and keeps the decile figures in `PovertyFigure`, so every page, report and the priority agree.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import openpyxl
from sqlalchemy import select

from app.core.clock import to_local
from app.extensions import db
from app.regions.models import Desa, PovertyFigure, PovertyImport
from app.regions.poverty_importer import TEMPLATE_COLUMNS

DEMO_SOURCE = "data contoh"


@dataclass(frozen=True)
class Provenance:
    """Where a desa's poverty figures come from; `source` None means there are none."""

    source: str | None
    demo: bool = False
    as_of: date | None = None  # the export's date
    imported_on: date | None = None  # the day of the import (Asia/Jakarta)
    import_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"import_id": self.import_id, "source": self.source, "demo": self.demo,
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "imported_on": self.imported_on.isoformat() if self.imported_on else None}


def _of_import(imp: PovertyImport) -> Provenance:
    return Provenance(source=DEMO_SOURCE if imp.is_demo else imp.source, demo=imp.is_demo, as_of=imp.as_of,
                      imported_on=to_local(imp.imported_at).date() if imp.imported_at else None, import_id=imp.id)


def _of_desa(desa: Desa) -> Provenance:
    """Figures not from a decile import: the demo's, a location import's, or none."""
    if desa.poor_households is None or not desa.households:
        return Provenance(source=None)
    if desa.figures_are_demo:
        return Provenance(source=DEMO_SOURCE, demo=True)
    return Provenance(source=desa.figures_source or None, as_of=desa.figures_date)


def current_figure(desa_id: int) -> PovertyFigure | None:
    """The decile figures behind the desa's household counts, or None."""
    return db.session.scalar(select(PovertyFigure).where(PovertyFigure.desa_id == desa_id,
                                                         PovertyFigure.current.is_(True)))


def desa_provenance(desa: Desa, figure: PovertyFigure | None = None) -> Provenance:
    figure = figure or current_figure(desa.id)
    return _of_import(figure.poverty_import) if figure is not None else _of_desa(desa)


def poorest_by_desa(regency_id: int) -> dict[int, int]:
    """desa id → households in desil 1 of its current figures: the priority counts them twice."""
    return dict(db.session.execute(
        select(PovertyFigure.desa_id, PovertyFigure.desil_1).join(Desa, Desa.id == PovertyFigure.desa_id)
        .where(Desa.regency_id == regency_id, PovertyFigure.current.is_(True))).all())


def plan_provenance(desa_ids: list[int]) -> dict[str, Any]:
    """The poverty data a plan's priority rests on: the source most of its candidate desa use, and how many use
    another (or none). Stored in `Plan.poverty_data` so the plan says it even after a later import."""
    if not desa_ids:
        return {**Provenance(source=None).as_dict(), "desa": 0, "other_desa": 0}
    figures = {f.desa_id: f for f in db.session.scalars(
        select(PovertyFigure).where(PovertyFigure.desa_id.in_(desa_ids), PovertyFigure.current.is_(True)))}
    per_desa = [desa_provenance(d, figures.get(d.id)) if d.id in figures else _of_desa(d)
                for d in db.session.scalars(select(Desa).where(Desa.id.in_(desa_ids)))]
    counts = Counter(per_desa)
    # a source with figures beats "no data", then the most desa, then the newest import
    main, n = max(counts.items(), key=lambda kv: (kv[0].source is not None, kv[1], kv[0].import_id or 0))
    return {**main.as_dict(), "desa": n, "other_desa": len(per_desa) - n}


def poverty_shares(desa_ids: list[int], import_id: int | None = None) -> dict[int, float | None]:
    """desa id → share of poor households (desil 1–4). With `import_id` (a plan's recorded data), the desa in that
    import use its figures even after a later import, so what a plan reports stays what it was planned on."""
    shares = {d.id: d.poverty_share for d in db.session.scalars(select(Desa).where(Desa.id.in_(desa_ids)))}
    if import_id is not None and desa_ids:
        for f in db.session.scalars(select(PovertyFigure).where(PovertyFigure.import_id == import_id,
                                                                PovertyFigure.desa_id.in_(desa_ids))):
            shares[f.desa_id] = f.poor / f.households if f.households else None
    return shares


def import_history(regency_id: int, limit: int = 20) -> list[PovertyImport]:
    """The regency's decile imports, newest first (the first is current unless it has been superseded)."""
    return list(db.session.scalars(select(PovertyImport).where(PovertyImport.regency_id == regency_id)
                                   .order_by(PovertyImport.id.desc()).limit(limit)))


def template_rows(regency_id: int) -> list[list[Any]]:
    """The template: the header, then one row per desa of the regency with its code and name, counts blank."""
    desa = db.session.execute(select(Desa.code, Desa.name).where(Desa.regency_id == regency_id)
                              .order_by(Desa.code)).all()
    return [list(TEMPLATE_COLUMNS)] + [[code, name, None, None, None, None, None] for code, name in desa]


def template_csv(regency_id: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in template_rows(regency_id):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel open it as UTF-8


TEMPLATE_NOTES = (
    "Petunjuk pengisian",
    "kode_desa: kode Kemendagri desa, mis. 35.10.09.2001 (boleh tanpa titik: 3510092001).",
    "nama_desa: hanya pengingat; tidak dibaca saat impor.",
    "jumlah_kk: jumlah seluruh keluarga/rumah tangga di desa (semua desil); penyebut persentase kemiskinan.",
    "desil_1 … desil_4: jumlah keluarga pada desil kesejahteraan 1–4 menurut DTSEN/P3KE (desil 1 = 10% termiskin).",
    "Semua angka bilangan bulat tanpa pemisah ribuan; tulis 0 bila tidak ada. desil_1 + … + desil_4 ≤ jumlah_kk.",
    "Rumah tangga miskin = desil 1–4; dalam skor prioritas desil 1 dihitung dua kali.",
    "Seluruh berkas diperiksa lebih dulu: satu baris salah berarti tidak ada data yang diubah.",
)


def template_xlsx(regency_id: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "data"
    for row in template_rows(regency_id):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 28
    notes = workbook.create_sheet("petunjuk")
    for line in TEMPLATE_NOTES:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
