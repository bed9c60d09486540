"""Render the two example reports to PDF and PNG previews so reviewers can see the layout.

    .venv/bin/python bench/report_previews.py [--out-pdf /tmp] [--out-png docs/previews]

The data is DEMO data built here with a fixed seed: Banyuwangi kecamatan and desa names (from
``../shared/data/banyuwangi/`` when present, else a built-in list), twelve months of made-up visits,
services and aspirations, invented officials' titles and no personal data (no NIK, no resident names).
PDFs go to /tmp, first pages as PNG (``pdftoppm -r 60``) to ``docs/previews/``; render times are printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import struct
import subprocess
import sys
import time
import zlib
from base64 import b64encode
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports import render_pdf  # noqa: E402
from reports.context import (  # noqa: E402
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
from reports.formatting import MONTH_ABBR, format_number  # noqa: E402
from reports.maps import MapArea, MapPoint, areas_from_geojson, render_map  # noqa: E402

DATA_DIR = ROOT.parent / "shared" / "data" / "banyuwangi"
REGENCY = "Kabupaten Banyuwangi"

SECTORS: dict[str, tuple[str, ...]] = {
    "Administrasi Kependudukan (Dispendukcapil)": (
        "Perekaman KTP-el",
        "Akta kelahiran",
        "Kartu Identitas Anak",
        "Perubahan KK",
    ),
    "Kesehatan (Dinas Kesehatan)": ("Pemeriksaan kesehatan gratis", "Cek gula darah dan tensi", "Imunisasi anak"),
    "Sosial (Dinas Sosial)": ("Pemutakhiran DTKS", "Pendaftaran PBI-JK"),
    "Perizinan (DPMPTSP)": ("Penerbitan NIB usaha mikro", "Konsultasi PBG"),
    "Pertanian (Dinas Pertanian dan Pangan)": ("Vaksinasi ternak", "Pembagian bibit"),
    "Pendapatan Daerah (Bapenda)": ("Layanan PBB-P2",),
    "Tenaga Kerja (Disnaker)": ("Pendaftaran pelatihan kerja",),
}
CATEGORIES = (
    "Infrastruktur jalan dan jembatan",
    "Air bersih dan sanitasi",
    "Pendidikan",
    "Kesehatan",
    "Pertanian dan irigasi",
    "Ekonomi dan UMKM",
    "Sosial",
    "Penerangan jalan",
)
TITLES = {
    "Infrastruktur jalan dan jembatan": (
        "Perbaikan jalan dusun rusak",
        "Jembatan penghubung antardusun",
        "Drainase jalan desa",
    ),
    "Air bersih dan sanitasi": ("Sumur bor untuk dusun", "Pipanisasi air bersih", "Jamban sehat keluarga"),
    "Pendidikan": ("Rehabilitasi ruang kelas SD", "Beasiswa siswa kurang mampu", "Alat peraga PAUD"),
    "Kesehatan": ("Posyandu lansia", "Ambulans desa", "Pemberian makanan tambahan balita"),
    "Pertanian dan irigasi": ("Normalisasi saluran irigasi", "Bantuan pupuk", "Embung desa"),
    "Ekonomi dan UMKM": ("Pelatihan pemasaran daring", "Bantuan alat produksi UMKM", "Pasar desa"),
    "Sosial": ("Rumah tidak layak huni", "Bantuan disabilitas"),
    "Penerangan jalan": ("Lampu penerangan jalan umum", "PJU tenaga surya"),
}
STATUSES = ("Diterima", "Diverifikasi", "Diteruskan ke OPD", "Dalam proses", "Selesai", "Ditolak")
FALLBACK_KECAMATAN = {
    "Genteng": ("Genteng Kulon", "Genteng Wetan", "Kembiritan", "Setail", "Kaligondo"),
    "Glenmore": ("Sepanjang", "Tulungrejo", "Karangharjo", "Margomulyo", "Bumiharjo"),
    "Rogojampi": ("Rogojampi", "Gitik", "Lemahbang Dewo", "Karangbendo", "Mangir"),
    "Kalibaru": ("Kalibaru Wetan", "Kalibaru Kulon", "Banyuanyar", "Kebunrejo"),
    "Muncar": ("Kedungrejo", "Tembokrejo", "Kumendung", "Blambangan", "Sumberberas"),
    "Songgon": ("Songgon", "Sumberbulu", "Bangorejo", "Balak"),
}


def _demo_png(width: int, height: int, seed: int) -> str:
    """A small gradient PNG as a data: URI, standing in for an uploaded, EXIF-free photo thumbnail."""
    rng = random.Random(seed)
    r0, g0, b0 = rng.randrange(60, 200), rng.randrange(90, 200), rng.randrange(60, 160)
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            sky = y < height * 0.45
            k = x / width
            if sky:
                row += bytes((150 + int(60 * k), 190 + int(30 * k), 235))
            else:
                shade = 0.7 + 0.3 * ((x * 7 + y * 3) % 23) / 23
                row += bytes((int(r0 * shade), int(g0 * shade), int(b0 * shade)))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + b64encode(png).decode("ascii")


def _load_geography() -> tuple[list[MapArea], dict[str, list[tuple[str, str, float, float, float]]]]:
    """Kecamatan polygons and desa (code, name, lat, lon, area) by kecamatan; fallback when data is absent."""
    desa: dict[str, list[tuple[str, str, float, float, float]]] = defaultdict(list)
    if (DATA_DIR / "desa.csv").is_file():
        areas = areas_from_geojson(json.loads((DATA_DIR / "kecamatan.geojson").read_text(encoding="utf-8")))
        with (DATA_DIR / "desa.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                desa[row["kecamatan"]].append(
                    (row["code"], row["name"], float(row["lat"]), float(row["lon"]), float(row["area_km2"]))
                )
        return areas, dict(desa)
    for k, (kec, names) in enumerate(FALLBACK_KECAMATAN.items()):
        for i, name in enumerate(names):
            desa[kec].append((f"35.10.{k + 1:02d}.{2001 + i}", name, -8.2 - 0.05 * k, 114.0 + 0.04 * i, 10.0 + i))
    return [], dict(desa)


def example_visit_report(seed: int = 7) -> VisitReport:
    """One visit to Desa Kembiritan (Genteng) with realistic, invented figures."""
    rng = random.Random(seed)
    areas, desa = _load_geography()
    kec = "Genteng"
    candidates = desa.get(kec) or next(iter(desa.values()))
    code, name, _lat, _lon, area = next((d for d in candidates if d[1] == "Kembiritan"), candidates[0])
    services = tuple(
        ServiceLine(sector=sector, service=svc, count=rng.randrange(4, 180), unit="layanan")
        for sector, svcs in SECTORS.items()
        for svc in svcs[: rng.randrange(1, len(svcs) + 1)]
    )
    received = []
    for i in range(9):
        cat = CATEGORIES[i % len(CATEGORIES)]
        received.append(
            AspirationLine(
                reference=f"ASP-2026-{1041 + i:05d}",
                title=rng.choice(TITLES[cat]) + f" Dusun {rng.choice(('Krajan', 'Sukorejo', 'Karanganyar'))}",
                category=cat,
                status=rng.choice(STATUSES[:5]),
            )
        )
    resolved = tuple(
        AspirationLine(reference=a.reference, title=a.title, category=a.category, status="Selesai")
        for a in received[:4]
    )
    agenda = tuple(
        AspirationLine(reference=f"AG-{i + 1:02d}", title=t, category="Agenda", status=s)
        for i, (t, s) in enumerate(
            (
                ("Pembukaan dan sambutan Bupati", "Terlaksana"),
                ("Dialog warga: irigasi dan jalan usaha tani", "Terlaksana"),
                ("Pelayanan terpadu perangkat daerah", "Terlaksana"),
                ("Peninjauan posyandu dan sekolah", "Terlaksana"),
                ("Penandatanganan komitmen tindak lanjut", "Terlaksana"),
            )
        )
    )
    commitments = (
        CommitmentLine(
            "Perbaikan jalan usaha tani 1,2 km Dusun Krajan",
            "Dinas PU Bina Marga, Cipta Karya dan Tata Ruang",
            date(2027, 3, 31),
            "APBD 2027",
            "Direncanakan",
        ),
        CommitmentLine(
            "Normalisasi saluran irigasi tersier",
            "Dinas PU Pengairan",
            date(2027, 1, 15),
            "APBD 2026 (perubahan)",
            "Dalam proses",
        ),
        CommitmentLine(
            "Pendampingan 25 pelaku UMKM pemasaran daring",
            "Dinas Koperasi, Usaha Mikro dan Perdagangan",
            date(2026, 12, 20),
            "APBD 2026",
            "Dalam proses",
        ),
        CommitmentLine(
            "Rehabilitasi 3 rumah tidak layak huni",
            "Dinas Perumahan dan Permukiman",
            date(2027, 6, 30),
            "APBD 2027",
            "Direncanakan",
        ),
    )
    visit_date = date(2026, 11, 28)
    points = [
        MapPoint(code=c, name=n, lat=la, lon=lo, value=None, highlight=(c == code)) for c, n, la, lo, _ in candidates
    ]
    kec_areas = [a for a in areas if a.name == kec]
    map_svg = render_map(kec_areas, points, title=f"Kecamatan {kec}", width=520)
    households = 2_634
    poor = 412
    return VisitReport(
        document_number="400.14/0127/429.011/2026",
        generated_on=date(2026, 11, 30),
        regency_name=REGENCY,
        desa_name=name,
        desa_code=code,
        desa_kind="desa",
        kecamatan_name=kec,
        visit_date=visit_date,
        status="Selesai",
        started="08.15 WIB",
        ended="14.30 WIB",
        population=8_917,
        households=households,
        poor_households=poor,
        poverty_share=poor / households,
        area_km2=area,
        figures_source="Data demo (bukan data resmi), disusun untuk pratinjau tata letak",
        agenda=agenda,
        services=services,
        aspirations_received=tuple(received),
        aspirations_resolved=resolved,
        commitments=commitments,
        officials="Bupati Banyuwangi; Sekretaris Daerah; Camat Genteng; Kepala Dinas Kesehatan; Kepala Dispendukcapil",
        notes="Pelayanan terpadu berlangsung di balai desa dan diikuti warga dari lima dusun. "
        "Tiga aspirasi jalan dan irigasi diteruskan ke dinas teknis untuk dianggarkan.",
        photos=tuple(
            Photo(_demo_png(160, 112, seed + i), cap)
            for i, cap in enumerate(
                ("Pelayanan KTP-el di balai desa", "Dialog dengan warga", "Peninjauan saluran irigasi")
            )
        ),
        map_svg=map_svg,
        prepared_by="Rina Kusumawati, S.IP. (contoh) – Sekretaris Tim Bunga Desa",
        acknowledged_by="Drs. Bambang Setiawan (contoh) – Asisten Pemerintahan dan Kesra",
    )


def example_dprd_report(seed: int = 11) -> DprdReport:
    """A full-year DPRD report over ~40 visits in several kecamatan (invented counts)."""
    rng = random.Random(seed)
    areas, desa = _load_geography()
    kecamatan = sorted(desa)[:25]
    visits: list[VisitRow] = []
    visited: dict[str, tuple[str, str, float, float]] = {}
    by_month: Counter[str] = Counter()
    day = date(2026, 1, 8)
    while day.year == 2026:
        kec = rng.choice(kecamatan)
        code, name, lat, lon, _ = rng.choice(desa[kec])
        held = rng.random() > 0.1
        services = rng.randrange(120, 640) if held else 0
        visits.append(
            VisitRow(
                visit_date=day,
                desa=name,
                kecamatan=kec,
                status="Selesai" if held else "Ditunda",
                services=services,
                aspirations_resolved=rng.randrange(2, 30) if held else 0,
                commitments=rng.randrange(0, 6) if held else 0,
            )
        )
        if held:
            visited[code] = (name, kec, lat, lon)
            by_month[f"{MONTH_ABBR[day.month - 1]} {day.year}"] += services
        day += timedelta(days=rng.choice((7, 7, 8, 9, 10)))
    months = tuple(CountRow(f"{m} 2026", by_month.get(f"{m} 2026", 0)) for m in MONTH_ABBR)
    total_services = sum(r.count for r in months)
    weights = [rng.random() + 0.2 for _ in SECTORS]
    sector_counts = [int(total_services * w / sum(weights)) for w in weights]
    sector_counts[0] += total_services - sum(sector_counts)
    by_sector = tuple(
        sorted((CountRow(s, c) for s, c in zip(SECTORS, sector_counts, strict=True)), key=lambda r: -r.count)
    )
    received = 1_274
    status_counts = (
        ("Selesai", 806),
        ("Dalam proses", 211),
        ("Diteruskan ke OPD", 134),
        ("Diverifikasi", 58),
        ("Diterima", 31),
        ("Ditolak", 34),
    )
    by_category = tuple(sorted((CountRow(c, rng.randrange(40, 260)) for c in CATEGORIES), key=lambda r: -r.count))
    rows = []
    for kec in sorted({v.kecamatan for v in visits}):
        vs = [v for v in visits if v.kecamatan == kec]
        rows.append(
            KecamatanRow(
                name=kec,
                visits_planned=len(vs) + rng.randrange(0, 2),
                visits_held=sum(v.status == "Selesai" for v in vs),
                desa_covered=len({v.desa for v in vs if v.status == "Selesai"}),
                desa_total=len(desa[kec]),
                services=sum(v.services for v in vs),
                aspirations_received=sum(v.aspirations_resolved for v in vs) * 2 + 3,
                aspirations_resolved=sum(v.aspirations_resolved for v in vs),
            )
        )
    held = sum(r.visits_held for r in rows)
    planned = sum(r.visits_planned for r in rows)
    desa_total = sum(len(v) for v in desa.values())
    kpis = (
        Kpi("visits_held", "Kunjungan terlaksana", held, note=f"dari {planned} direncanakan"),
        Kpi("desa_covered", "Desa/kelurahan dikunjungi", len(visited), note=f"dari {desa_total} desa/kelurahan"),
        Kpi("poorest_fifth_share", "Kunjungan ke 20% desa termiskin", 0.4125, kind="percent", note="bagian kunjungan"),
        Kpi("services_total", "Layanan diberikan", total_services, note=f"{len(SECTORS)} sektor"),
        Kpi("aspirations_received", "Aspirasi diterima", received),
        Kpi("aspirations_resolved", "Aspirasi diselesaikan", 806, note="63,3% dari yang diterima"),
        Kpi("aspirations_overdue", "Aspirasi melewati tenggat", 47, note="lebih dari 30 hari kerja"),
        Kpi("median_days", "Median waktu penyelesaian", 12.5, kind="days", note="hari kerja"),
        Kpi("commitments_fulfilled", "Komitmen terpenuhi", 0.682, kind="percent", note="73 dari 107 komitmen"),
    )
    visited_places = list(visited.values())
    resolved_items = tuple(
        ResolvedLine(
            reference=f"ASP-2026-{100 + i * 13:05d}",
            desa=(place := rng.choice(visited_places))[0],
            kecamatan=place[1],
            category=cat,
            working_days=rng.randint(2, 30),
        )
        for i, cat in enumerate(rng.choice(CATEGORIES) for _ in range(40))
    )
    points = [
        MapPoint(code=c, name=n, lat=la, lon=lo, value=float(sum(v.services for v in visits if v.desa == n)))
        for c, (n, _, la, lo) in sorted(visited.items())
    ]
    map_svg = render_map(
        areas,
        points,
        title="Desa/kelurahan yang dikunjungi",
        legend_title="Layanan per desa",
        value_format=lambda v: format_number(round(v)),
        width=640,
    )
    return DprdReport(
        document_number="400.14/0311/429.011/2027",
        generated_on=date(2027, 1, 15),
        regency_name=REGENCY,
        period_label="Tahun 2026",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        scope_label="Seluruh kabupaten",
        kpis=kpis,
        services_by_sector=by_sector,
        services_by_month=months,
        aspirations_by_status=tuple(CountRow(s, c) for s, c in status_counts),
        aspirations_by_category=by_category,
        kecamatan_rows=tuple(rows),
        visit_rows=tuple(visits),
        resolved_items=resolved_items,
        commitments=tuple(
            CommitmentOutcome(visited_places[i % len(visited_places)][0], c.owner, c.due_on, c.budget_source, c.status)
            for i, c in enumerate(example_visit_report().commitments)
        ),
        map_svg=map_svg,
        notes=(
            "Data dalam pratinjau ini adalah data demo yang dibangkitkan acak (bukan data resmi).",
            "Kunjungan terlaksana dihitung dari kunjungan berstatus Selesai dalam rentang tanggal laporan.",
            "Desa termiskin: 20% desa/kelurahan dengan persentase keluarga miskin tertinggi "
            "menurut data DTKS terakhir.",
            "Waktu penyelesaian dihitung dalam hari kerja (Senin–Jumat, di luar hari libur nasional) "
            "sejak aspirasi diterima hingga dinyatakan selesai.",
            "Aspirasi yang bersifat rahasia tidak dicantumkan judulnya; "
            "tidak ada data pribadi (NIK, nama warga) dalam laporan ini.",
        ),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-pdf", type=Path, default=Path("/tmp"))
    parser.add_argument("--out-png", type=Path, default=ROOT / "docs" / "previews")
    args = parser.parse_args()
    args.out_png.mkdir(parents=True, exist_ok=True)
    jobs = (
        ("visit-report", "visit.html", example_visit_report(), 1),
        ("dprd-report", "dprd.html", example_dprd_report(), 2),
    )
    for stem, template, report, pages in jobs:
        render_pdf(template, report)  # warm-up: font loading and template compilation happen once per process
        t0 = time.perf_counter()
        pdf = render_pdf(template, report)
        elapsed = time.perf_counter() - t0
        pdf_path = args.out_pdf / f"{stem}.pdf"
        pdf_path.write_bytes(pdf)
        print(f"{stem}: {len(pdf):,} bytes in {elapsed:.2f} s -> {pdf_path}")
        if shutil.which("pdftoppm") is None:
            print("pdftoppm not found; skipping PNG previews", file=sys.stderr)
            continue
        prefix = args.out_png / f"{stem}-p"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(pages), str(pdf_path), str(prefix)], check=True
        )
        for produced in sorted(args.out_png.glob(f"{stem}-p-*.png")):
            number = int(produced.stem.rsplit("-", 1)[1])
            produced.replace(args.out_png / f"{stem}-p{number}.png")
            print(f"  preview {args.out_png / f'{stem}-p{number}.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
