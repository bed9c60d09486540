"""Plain, frozen data the report templates render (never ORM objects): the contract between app and renderer.

Numbers stay numbers here; the templates format them the Indonesian way ("1.234", "12,5%", "28 November 2026").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Kpi:
    key: str  # stable id, e.g. "visits_held"
    label: str  # "Kunjungan terlaksana"
    value: float | int | None
    kind: str = "number"  # number | percent (value is a share 0..1) | days
    note: str | None = None  # e.g. "dari 20 direncanakan"


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int


@dataclass(frozen=True)
class ServiceLine:
    sector: str  # "Administrasi Kependudukan (Dispendukcapil)"
    service: str  # "Perekaman KTP-el"
    count: int
    unit: str = ""


@dataclass(frozen=True)
class AspirationLine:
    reference: str
    title: str  # only non-confidential titles ever reach a report
    category: str
    status: str  # label, e.g. "Selesai"


@dataclass(frozen=True)
class CommitmentLine:
    description: str
    owner: str
    due_on: date
    budget_source: str
    status: str  # label


@dataclass(frozen=True)
class ResolvedLine:
    """A resolved aspiration in the DPRD report: where, what kind, how long. Never its free-text title, which could
    name a resident (issue 21)."""

    reference: str
    desa: str
    kecamatan: str
    category: str
    working_days: int | None  # from submission to resolution


@dataclass(frozen=True)
class CommitmentOutcome:
    """A commitment in the DPRD report: where, who, by when, funded how, and the outcome; never its free-text
    description."""

    desa: str
    owner: str
    due_on: date
    budget_source: str
    status: str  # label


@dataclass(frozen=True)
class Photo:
    """A thumbnail embedded as a data: URI (made by the app from a checked, EXIF-free upload)."""

    data_uri: str
    caption: str


@dataclass(frozen=True)
class VisitReport:
    document_number: str
    generated_on: date
    regency_name: str  # "Kabupaten Banyuwangi"
    desa_name: str
    desa_code: str
    desa_kind: str  # desa | kelurahan
    kecamatan_name: str
    visit_date: date
    status: str  # label
    started: str | None  # "08.15 WIB"
    ended: str | None
    population: int | None
    households: int | None
    poor_households: int | None
    poverty_share: float | None
    area_km2: float | None
    figures_source: str | None
    agenda: tuple[AspirationLine, ...]
    services: tuple[ServiceLine, ...]
    aspirations_received: tuple[AspirationLine, ...]
    aspirations_resolved: tuple[AspirationLine, ...]
    commitments: tuple[CommitmentLine, ...]
    officials: str | None
    notes: str | None
    photos: tuple[Photo, ...] = ()
    map_svg: str = ""
    prepared_by: str = ""  # "Dibuat oleh" (name, role)
    acknowledged_by: str = ""  # "Mengetahui"


@dataclass(frozen=True)
class KecamatanRow:
    name: str
    visits_planned: int
    visits_held: int
    desa_covered: int
    desa_total: int
    services: int
    aspirations_received: int
    aspirations_resolved: int


@dataclass(frozen=True)
class VisitRow:
    visit_date: date
    desa: str
    kecamatan: str
    status: str
    services: int
    aspirations_resolved: int
    commitments: int


@dataclass(frozen=True)
class DprdReport:
    document_number: str
    generated_on: date
    regency_name: str
    period_label: str  # "Triwulan IV 2026" / "1 Oktober – 31 Desember 2026"
    start: date
    end: date
    scope_label: str  # "Seluruh kabupaten" or "Kecamatan Genteng, Glenmore"
    kpis: tuple[Kpi, ...]
    services_by_sector: tuple[CountRow, ...]
    services_by_month: tuple[CountRow, ...]  # label "Jan 2026"
    aspirations_by_status: tuple[CountRow, ...]
    aspirations_by_category: tuple[CountRow, ...]
    kecamatan_rows: tuple[KecamatanRow, ...]
    visit_rows: tuple[VisitRow, ...]
    resolved_items: tuple[ResolvedLine, ...] = ()  # counts and outcome fields only: no free text reaches DPRD
    commitments: tuple[CommitmentOutcome, ...] = ()
    map_svg: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)  # methodology notes for the appendix
