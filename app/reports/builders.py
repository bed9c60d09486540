"""Database rows → `reports.context` dataclasses (plain data only; no personal data in DPRD reports)."""

from __future__ import annotations

import base64
import io
import statistics
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select

from app.aspirations.models import STATUS_LABELS, Aspiration, AspirationEvent
from app.aspirations.queries import regency_days_off
from app.core.clock import to_local
from app.core.permissions import SECTORS
from app.core.workdays import working_days_between
from app.extensions import db
from app.regions.models import Desa, Kecamatan, Regency
from app.visits.models import VISIT_STATUS_LABELS, Commitment, ServiceType, Visit, VisitServiceCount
from reports.context import (
    AspirationLine,
    CommitmentLine,
    CommitmentOutcome,
    CountRow,
    DprdReport,
    KecamatanRow,
    Kpi,
    Photo,
    ResolvedLine,
    ServiceLine,
    VisitReport,
    VisitRow,
)
from reports.maps import MapArea, MapPoint, render_map

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
COMMITMENT_LABELS = {"terbuka": "Terbuka", "selesai": "Terpenuhi", "dibatalkan": "Dibatalkan"}


def _aspiration_line(a: Aspiration) -> AspirationLine:
    return AspirationLine(a.reference, a.title, a.category.name, STATUS_LABELS[a.status])


def _commitment_line(c: Commitment) -> CommitmentLine:
    return CommitmentLine(c.description, SECTORS.get(c.owner_sector, c.owner_sector), c.due_on, c.budget_source,
                          COMMITMENT_LABELS.get(c.status, c.status))


def _service_types() -> dict[str, ServiceType]:
    return {s.code: s for s in db.session.scalars(select(ServiceType))}


def _hhmm(value) -> str | None:
    local = to_local(value)
    return f"{local:%H.%M} WIB" if local else None


def _thumbnail(photo: Any) -> Photo | None:
    """A small JPEG data URI from a stored (already EXIF-free) photo."""
    from PIL import Image

    from app.aspirations.attachments import load_attachment
    from app.aspirations.services import upload_dir

    try:
        image = Image.open(io.BytesIO(load_attachment(photo.stored_name, upload_dir()))).convert("RGB")
    except Exception:
        return None
    image.thumbnail((360, 270))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return Photo("data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode(), photo.original_name)


def _desa_map(desa: Desa) -> str:
    kec = desa.kecamatan
    areas = []
    geom = kec.boundary or {}
    if geom.get("type") in ("Polygon", "MultiPolygon"):
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings = tuple(tuple((float(x), float(y)) for x, y, *_ in poly[0]) for poly in polygons)
        areas.append(MapArea(kec.code, kec.name, rings))
    points = [MapPoint(code=d.code, name=d.name, lat=d.lat, lon=d.lon, highlight=d.id == desa.id,
                       approximate=d.location_source == "approximate")
              for d in kec.desa if d.lat is not None]
    return render_map(areas, points, width=520)


def visit_report(visit: Visit, *, generated_on: date, prepared_by: str) -> VisitReport:
    """Everything the visit delivered, for the PDF."""
    desa = visit.desa
    types = _service_types()
    services = tuple(sorted(
        (ServiceLine(SECTORS.get(types[c.service_code].sector, "") if c.service_code in types else "",
                     types[c.service_code].name if c.service_code in types else c.service_code, c.count,
                     types[c.service_code].unit if c.service_code in types else "")
         for c in visit.counts if c.count), key=lambda s: (s.sector, s.service)))
    public = [a.aspiration for a in visit.agenda if not a.aspiration.confidential]
    received = db.session.scalars(select(Aspiration).where(
        Aspiration.desa_id == desa.id, Aspiration.channel == "on_site", Aspiration.submitted_on == visit.day,
        Aspiration.confidential.is_(False)).order_by(Aspiration.id))
    resolved_ids = set(db.session.scalars(select(AspirationEvent.aspiration_id).join(Aspiration).where(
        Aspiration.desa_id == desa.id, AspirationEvent.to_status.in_(("selesai", "menunggu_verifikasi")),
        AspirationEvent.kind == "transition")))
    resolved = [a for a in public if a.id in resolved_ids]
    photos = tuple(p for p in (_thumbnail(ph) for ph in visit.photos[:6]) if p is not None)
    return VisitReport(
        document_number=f"BD-LK/{visit.day.year}/{visit.id:05d}", generated_on=generated_on,
        regency_name=db.session.get(Regency, visit.regency_id).name, desa_name=desa.name, desa_code=desa.code,
        desa_kind=desa.kind, kecamatan_name=desa.kecamatan.name, visit_date=visit.day,
        status=VISIT_STATUS_LABELS[visit.status], started=_hhmm(visit.started_at), ended=_hhmm(visit.ended_at),
        population=desa.population, households=desa.households, poor_households=desa.poor_households,
        poverty_share=desa.poverty_share, area_km2=desa.area_km2, figures_source=desa.figures_source,
        agenda=tuple(_aspiration_line(a) for a in public), services=services,
        aspirations_received=tuple(_aspiration_line(a) for a in received),
        aspirations_resolved=tuple(_aspiration_line(a) for a in resolved),
        commitments=tuple(_commitment_line(c) for c in visit.commitments), officials=visit.officials,
        notes=visit.notes, photos=photos, map_svg=_desa_map(desa) if desa.lat is not None else "",
        prepared_by=prepared_by, acknowledged_by="Bupati Banyuwangi")


def period_label(start: date, end: date) -> str:
    if start.day == 1 and end.month == 12 and end.day == 31 and start.month == 1 and start.year == end.year:
        return f"Tahun {start.year}"
    quarters = {(1, 3): "I", (4, 6): "II", (7, 9): "III", (10, 12): "IV"}
    last_day = (date(end.year + (end.month == 12), end.month % 12 + 1, 1) - date.resolution).day
    if start.year == end.year and start.day == 1 and end.day == last_day:
        if start.month == end.month:
            return f"Bulan {MONTHS[start.month - 1]} {start.year}"
        if (start.month, end.month) in quarters:
            return f"Triwulan {quarters[(start.month, end.month)]} {start.year}"
        if (start.month, end.month) in ((1, 6), (7, 12)):
            return f"Semester {'I' if start.month == 1 else 'II'} {start.year}"
    return f"{start.day} {MONTHS[start.month - 1]} {start.year} – {end.day} {MONTHS[end.month - 1]} {end.year}"


def _coverage_kpis(regency_id: int, as_of: date, *, whole_regency: bool) -> tuple[Kpi, ...]:
    """The programme's reach since its start (whole regency only): desa ever visited and when the last one will be
    reached at the current pace."""
    if not whole_regency:
        return ()
    from app.planning.coverage import coverage
    from app.planning.queries import MONTHS

    cov = coverage(regency_id, as_of)
    when = (f"{MONTHS[cov.projected_complete.month - 1]} {cov.projected_complete.year}" if cov.projected_complete
            else "belum dapat diperkirakan")
    return (Kpi("coverage_ever", "Desa pernah dikunjungi sejak program dimulai", cov.visited_ever,
                note=f"dari {cov.desa_total}; perkiraan desa terakhir terjangkau: {when}"),)


def dprd_report(regency_id: int, start: date, end: date, kecamatan_codes: list[str] | None, *,
                generated_on: date, as_of: date) -> DprdReport:
    """KPIs and tables over a period for the regency or chosen kecamatan.

    Built from counts, categories, places and outcome fields only: no free text (titles, descriptions, notes), since
    any of it may name a resident or hold a NIK (issue 21).
    """
    regency = db.session.get(Regency, regency_id)
    kec_rows = list(db.session.scalars(select(Kecamatan).where(Kecamatan.regency_id == regency_id)
                                       .order_by(Kecamatan.code)))
    if kecamatan_codes:
        kec_rows = [k for k in kec_rows if k.code in set(kecamatan_codes)]
    kec_ids = {k.id for k in kec_rows}
    desa = [d for d in db.session.scalars(select(Desa).where(Desa.regency_id == regency_id))
            if d.kecamatan_id in kec_ids]
    desa_ids = {d.id for d in desa}
    visits = [v for v in db.session.scalars(select(Visit).where(Visit.regency_id == regency_id,
                                                                Visit.day.between(start, end)).order_by(Visit.day))
              if v.desa_id in desa_ids]
    held = [v for v in visits if v.status == "selesai"]
    planned = [v for v in visits if v.status != "dibatalkan" or v.plan_id is not None]
    held_ids = {v.id for v in held}
    counts = [c for c in db.session.scalars(select(VisitServiceCount).where(VisitServiceCount.visit_id.in_(
        [v.id for v in visits] or [-1])))]
    types = _service_types()
    by_sector: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    by_visit: Counter[int] = Counter()
    visit_by_id = {v.id: v for v in visits}
    for c in counts:
        sector = types[c.service_code].sector if c.service_code in types else "lainnya"
        by_sector[SECTORS.get(sector, sector)] += c.count
        day = visit_by_id[c.visit_id].day
        by_month[f"{day:%Y-%m}"] += c.count
        by_visit[c.visit_id] += c.count
    month_rows, cursor = [], date(start.year, start.month, 1)
    while cursor <= end:
        month_rows.append(CountRow(f"{MONTHS_SHORT[cursor.month - 1]} {cursor.year}", by_month[f"{cursor:%Y-%m}"]))
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    aspirations = [a for a in db.session.scalars(select(Aspiration).where(Aspiration.regency_id == regency_id))
                   if a.desa_id in desa_ids]
    received = [a for a in aspirations if start <= a.submitted_on <= end]
    resolved = [a for a in aspirations if a.resolved_on and start <= a.resolved_on <= end]
    cutoff = min(end, as_of)
    overdue = [a for a in aspirations if a.status in ("diajukan", "didisposisikan", "ditindaklanjuti")
               and a.due_on is not None and a.due_on < cutoff and a.submitted_on <= end]
    days_off = regency_days_off(regency_id)
    durations = [working_days_between(a.submitted_on, a.resolved_on, days_off) for a in resolved]
    visited_desa = {v.desa_id for v in held}
    with_share = sorted((d for d in desa if d.poverty_share is not None), key=lambda d: -d.poverty_share)
    poorest = with_share[: max(1, len(with_share) // 5)] if with_share else []
    commitments = [c for v in visits for c in v.commitments]
    fulfilled = [c for c in commitments if c.status == "selesai"]
    kpis = (
        Kpi("visits_held", "Kunjungan terlaksana", len(held), note=f"dari {len(planned)} direncanakan"),
        Kpi("visits_planned", "Kunjungan direncanakan", len(planned)),
        Kpi("desa_covered", "Desa terkunjungi", len(visited_desa), note=f"dari {len(desa)} desa/kelurahan"),
        Kpi("poorest_fifth_visited", "Seperlima desa termiskin yang dikunjungi",
            (len([d for d in poorest if d.id in visited_desa]) / len(poorest)) if poorest else None, kind="percent"),
        Kpi("services_delivered", "Layanan diberikan", sum(by_sector.values())),
        Kpi("aspirations_received", "Aspirasi diterima", len(received)),
        Kpi("aspirations_resolved", "Aspirasi selesai", len(resolved)),
        Kpi("aspirations_overdue", "Aspirasi melewati tenggat", len(overdue)),
        Kpi("median_days_to_resolution", "Median hari kerja sampai selesai",
            statistics.median(durations) if durations else None, kind="days"),
        Kpi("commitments_fulfilled", "Komitmen terpenuhi", len(fulfilled), note=f"dari {len(commitments)} komitmen"),
        *_coverage_kpis(regency_id, min(end, as_of), whole_regency=not kecamatan_codes),
    )
    kec_table = []
    for k in kec_rows:
        k_desa = {d.id for d in desa if d.kecamatan_id == k.id}
        k_visits = [v for v in visits if v.desa_id in k_desa]
        kec_table.append(KecamatanRow(
            name=k.name, visits_planned=len([v for v in k_visits if v in planned]),
            visits_held=len([v for v in k_visits if v.id in held_ids]),
            desa_covered=len({v.desa_id for v in k_visits if v.id in held_ids}), desa_total=len(k_desa),
            services=sum(by_visit[v.id] for v in k_visits),
            aspirations_received=len([a for a in received if a.desa_id in k_desa]),
            aspirations_resolved=len([a for a in resolved if a.desa_id in k_desa])))
    desa_by_id = {d.id: d for d in desa}
    kec_name = {k.id: k.name for k in kec_rows}
    resolved_at = Counter(a.desa_id for a in resolved)
    visit_rows = tuple(VisitRow(v.day, desa_by_id[v.desa_id].name, kec_name[desa_by_id[v.desa_id].kecamatan_id],
                                VISIT_STATUS_LABELS[v.status], by_visit[v.id], resolved_at[v.desa_id],
                                len(v.commitments)) for v in visits)
    status_counts = Counter(a.status for a in received)
    category_counts = Counter(a.category.name for a in received)
    points = [MapPoint(code=d.code, name=d.name, lat=d.lat, lon=d.lon, value=1.0 if d.id in visited_desa else 0.0,
                       highlight=d.id in visited_desa) for d in desa if d.lat is not None]
    areas = []
    for k in kec_rows:
        geom = k.boundary or {}
        if geom.get("type") in ("Polygon", "MultiPolygon"):
            polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            areas.append(MapArea(k.code, k.name, tuple(tuple((float(x), float(y)) for x, y, *_ in p[0])
                                                        for p in polygons)))
    scope = "Seluruh kabupaten" if not kecamatan_codes else "Kecamatan " + ", ".join(k.name for k in kec_rows)
    return DprdReport(
        document_number=f"BD-DPRD/{start:%Y%m%d}-{end:%Y%m%d}" + (f"/{len(kec_rows)}kec" if kecamatan_codes else ""),
        generated_on=generated_on, regency_name=regency.name, period_label=period_label(start, end), start=start,
        end=end, scope_label=scope, kpis=kpis,
        services_by_sector=tuple(CountRow(k, v) for k, v in sorted(by_sector.items(), key=lambda r: (-r[1], r[0]))),
        services_by_month=tuple(month_rows),
        aspirations_by_status=tuple(CountRow(STATUS_LABELS[s], n) for s, n in sorted(status_counts.items())),
        aspirations_by_category=tuple(CountRow(c, n) for c, n in sorted(category_counts.items())),
        kecamatan_rows=tuple(kec_table), visit_rows=visit_rows,
        resolved_items=tuple(ResolvedLine(a.reference, desa_by_id[a.desa_id].name,
                                          kec_name[desa_by_id[a.desa_id].kecamatan_id], a.category.name, days)
                             for a, days in sorted(zip(resolved, durations, strict=True),
                                                   key=lambda pair: pair[0].reference)),
        commitments=tuple(CommitmentOutcome(desa_by_id[v.desa_id].name, SECTORS.get(c.owner_sector, c.owner_sector),
                                            c.due_on, c.budget_source, COMMITMENT_LABELS.get(c.status, c.status))
                          for v in visits for c in v.commitments),
        map_svg=render_map(areas, points, legend_title="Desa dikunjungi (1) / belum (0)", width=640)
        if points else "",
        notes=("Kunjungan terlaksana: kunjungan berstatus selesai dalam periode; direncanakan: semua kunjungan "
               "terjadwal dalam periode kecuali yang dibatalkan di luar rencana.",
               "Seperlima desa termiskin: 20% desa dengan persentase rumah tangga miskin tertinggi dalam cakupan.",
               "Hari kerja: Senin–Jumat di luar libur nasional, cuti bersama dan libur kabupaten.",
               "Laporan ini tidak memuat NIK, nama warga, judul aspirasi, atau uraian komitmen: hanya jumlah, "
               "kategori, wilayah, dan hasil."),
    )


