"""Report rendering: Indonesian formats, PDF text and determinism, escaping, and the locked-down URL fetcher.

Pure tests: the reports are built here from the contract dataclasses, no app or database.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import re
import struct
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET  # parsing our own output, not untrusted input
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports import horizontal_bar_chart, render_html, render_pdf, rendering, vertical_bar_chart
from reports.charts import EMPTY_CHART_MESSAGE
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
from reports.formatting import format_date, format_day, format_kpi, format_number, format_percent
from reports.maps import MapPoint, render_map
from reports.rendering import STATIC_DIR, FetchRefused, RestrictedURLFetcher, safe_svg

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
EVIL_TITLE = '<img src="file:///etc/passwd"> <script>alert(1)</script>'
NIK_PATTERN = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _png(width: int = 4, height: int = 3) -> bytes:
    """A minimal valid RGB PNG, so photos exercise the data: path of the fetcher."""
    raw = b"".join(b"\x00" + bytes((40, 120, 200)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PNG_URI = "data:image/png;base64," + base64.b64encode(_png()).decode()


def visit_report(**changes: object) -> VisitReport:
    report = VisitReport(
        document_number="400.14/0001/429.011/2026",
        generated_on=date(2026, 11, 28),
        regency_name="Kabupaten Banyuwangi",
        desa_name="Kembiritan",
        desa_code="35.10.09.2003",
        desa_kind="desa",
        kecamatan_name="Genteng",
        visit_date=date(2026, 11, 28),
        status="Selesai",
        started="08.15 WIB",
        ended="14.30 WIB",
        population=8917,
        households=2634,
        poor_households=412,
        poverty_share=0.125,
        area_km2=15.2,
        figures_source="Data demo",
        agenda=(AspirationLine("AG-01", "Dialog warga", "Agenda", "Terlaksana"),),
        services=(
            ServiceLine("Administrasi Kependudukan (Dispendukcapil)", "Perekaman KTP-el", 1234, "layanan"),
            ServiceLine("Kesehatan (Dinas Kesehatan)", "Cek tensi", 87),
        ),
        aspirations_received=(
            AspirationLine("ASP-1", "Perbaikan jalan dusun", "Infrastruktur", "Diterima"),
            AspirationLine("ASP-2", EVIL_TITLE, "Sosial", "Diterima"),
        ),
        aspirations_resolved=(AspirationLine("ASP-3", "Sumur bor", "Air bersih", "Selesai"),),
        commitments=(CommitmentLine("Jalan usaha tani", "Dinas PU", date(2027, 3, 31), "APBD 2027", "Direncanakan"),),
        officials="Bupati; Camat Genteng",
        notes="Catatan kunjungan.",
        photos=(Photo(PNG_URI, "Pelayanan KTP-el"),),
        map_svg=render_map([], [MapPoint("d1", "Kembiritan", -8.37, 114.15, highlight=True)], width=300),
        prepared_by="Petugas contoh",
        acknowledged_by="Asisten contoh",
    )
    return replace(report, **changes)  # type: ignore[arg-type]


def dprd_report(**changes: object) -> DprdReport:
    months = tuple(CountRow(f"{m} 2026", 100 + i * 37) for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
    ))  # fmt: skip
    report = DprdReport(
        document_number="400.14/0311/429.011/2027",
        generated_on=date(2027, 1, 15),
        regency_name="Kabupaten Banyuwangi",
        period_label="Tahun 2026",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        scope_label="Seluruh kabupaten",
        kpis=(
            Kpi("visits_held", "Kunjungan terlaksana", 35, note="dari 40 direncanakan"),
            Kpi("services_total", "Layanan diberikan", 1234),
            Kpi("poorest_fifth_share", "Kunjungan ke 20% desa termiskin", 0.125, kind="percent"),
            Kpi("median_days", "Median waktu penyelesaian", 12.5, kind="days"),
            Kpi("aspirations_overdue", "Aspirasi melewati tenggat", None),
        ),
        services_by_sector=(CountRow("Administrasi Kependudukan", 900), CountRow("Kesehatan", 334)),
        services_by_month=months,
        aspirations_by_status=(CountRow("Selesai", 806), CountRow("Dalam proses", 211)),
        aspirations_by_category=(CountRow(EVIL_TITLE, 5), CountRow("Pendidikan", 12)),
        kecamatan_rows=(
            KecamatanRow("Genteng", 4, 3, 3, 5, 700, 40, 30),
            KecamatanRow("Glenmore", 2, 2, 2, 7, 534, 20, 11),
        ),
        visit_rows=(VisitRow(date(2026, 11, 28), "Kembiritan", "Genteng", "Selesai", 700, 30, 4),),
        resolved_items=(ResolvedLine("ASP-3", "Kembiritan", "Genteng", EVIL_TITLE, 12),),
        commitments=(CommitmentOutcome("Kembiritan", "Dinas PU", date(2027, 3, 31), "APBD 2027", "Terbuka"),),
        notes=("Data uji.",),
    )
    return replace(report, **changes)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def visit_pdf() -> bytes:
    return render_pdf("visit.html", visit_report())


@pytest.fixture(scope="module")
def dprd_pdf() -> bytes:
    return render_pdf("dprd.html", dprd_report())


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234, "1.234"), (1234567, "1.234.567"), (0, "0"), (12.5, "12,5"), (12.25, "12,2"), (-3.5, "-3,5"), (None, "–")],
)
def test_numbers_use_dot_thousands_and_comma_decimals(value: float | None, expected: str) -> None:
    assert format_number(value) == expected


def test_percent_date_day_and_kpi_formats() -> None:
    assert format_percent(0.125) == "12,5%"
    assert format_percent(1) == "100,0%"
    assert format_date(date(2026, 11, 28)) == "28 November 2026"
    assert [format_date(date(2026, m, 1)).split()[1] for m in (1, 2, 3, 5, 8, 10, 12)] == [
        "Januari", "Februari", "Maret", "Mei", "Agustus", "Oktober", "Desember",
    ]  # fmt: skip
    assert format_day(date(2026, 11, 28)) == "Sabtu"
    assert format_day(date(2026, 11, 30)) == "Senin"
    assert format_kpi(0.125, "percent") == "12,5%"
    assert format_kpi(12.5, "days") == "12,5 hari"
    assert format_kpi(None) == "–"


def test_visit_html_has_indonesian_formats_and_sections() -> None:
    html = render_html("visit.html", visit_report())
    assert "28 November 2026" in html
    assert "Sabtu, 28 November 2026" in html
    assert "1.234" in html  # services count
    assert "12,5%" in html  # poverty share
    assert "Pemerintah Kabupaten Banyuwangi" in html
    for heading in ("Laporan Kunjungan Bunga Desa", "Dibuat oleh", "Mengetahui", "Komitmen", "Dokumentasi"):
        assert heading in html
    assert '<meta name="dcterms.created" content="2026-11-28">' in html


def test_dprd_html_has_kpis_toc_and_charts() -> None:
    html = render_html("dprd.html", dprd_report())
    assert "1.234" in html and "12,5%" in html and "12,5 hari" in html
    assert "15 Januari 2027" in html and "1 Januari 2026" in html and "31 Desember 2026" in html
    assert 'href="#lampiran-a"' in html and 'id="lampiran-a"' in html
    assert html.count("<svg") == 4  # sector, month, status, category charts (no map in this report)


def test_only_report_templates_can_be_rendered() -> None:
    for name in ("_base.html", "../rendering.py", "sub/visit.html"):
        with pytest.raises(ValueError):
            render_html(name, visit_report())


# --------------------------------------------------------------------------- PDF


def test_pdf_has_kpi_values_and_page_footer(visit_pdf: bytes, dprd_pdf: bytes) -> None:
    assert visit_pdf.startswith(b"%PDF-") and dprd_pdf.startswith(b"%PDF-")
    text = pdf_text(dprd_pdf)
    for value in ("35", "1.234", "12,5%", "12,5 hari", "Kunjungan terlaksana", "Halaman 1 dari", "28 November 2026"):
        assert value in text, value
    pages = len(PdfReader(io.BytesIO(dprd_pdf)).pages)
    assert f"Halaman {pages} dari {pages}" in text
    visit_text = pdf_text(visit_pdf)
    assert "Laporan Kunjungan Bunga Desa" in visit_text and "Halaman 1 dari" in visit_text


def test_pdf_metadata_dates_come_from_the_report(visit_pdf: bytes) -> None:
    info = PdfReader(io.BytesIO(visit_pdf)).metadata
    assert info is not None and info.get("/CreationDate", "").startswith("D:20261128")
    assert info.get("/ModDate", "").startswith("D:20261128")


def test_same_data_gives_byte_identical_pdf(visit_pdf: bytes, dprd_pdf: bytes) -> None:
    assert render_pdf("visit.html", visit_report()) == visit_pdf
    assert render_pdf("dprd.html", dprd_report()) == dprd_pdf
    assert render_pdf("visit.html", visit_report(notes="Lain.")) != visit_pdf


def test_pdf_is_identical_across_processes(visit_pdf: bytes) -> None:
    """Font subsets, object order and metadata must not depend on the process (hash seeds, time)."""
    code = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
        "from test_rendering import visit_report; from reports import render_pdf;"
        "print(hashlib.sha256(render_pdf('visit.html', visit_report())).hexdigest())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == hashlib.sha256(visit_pdf).hexdigest()


def test_no_16_digit_numbers_in_outputs(visit_pdf: bytes, dprd_pdf: bytes) -> None:
    for html in (render_html("visit.html", visit_report()), render_html("dprd.html", dprd_report())):
        assert not NIK_PATTERN.search(re.sub(r"<svg.*?</svg>", "", html, flags=re.S))
    for pdf in (visit_pdf, dprd_pdf):
        assert not NIK_PATTERN.search(pdf_text(pdf))


# --------------------------------------------------------------------------- escaping


def test_user_text_is_escaped_in_html() -> None:
    for html in (render_html("visit.html", visit_report()), render_html("dprd.html", dprd_report())):
        assert "<script" not in html
        assert '<img src="file:' not in html
        assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html or "&lt;img src=&quot;file" in html


def test_escaped_title_is_printed_as_text_not_fetched(visit_pdf: bytes) -> None:
    text = pdf_text(visit_pdf)
    assert "file:///etc/passwd" in text.replace("\n", "")  # shown literally, as the harmless text it is
    assert b"root:x:0:0" not in visit_pdf and "root:" not in text


# --------------------------------------------------------------------------- fetcher


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(_png())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request: the fetcher must never reach it."""
    _RecordingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _RecordingHandler.requests
    finally:
        server.shutdown()
        server.server_close()


def _refused_urls(base: str) -> list[str]:
    static = STATIC_DIR.as_uri()
    return [
        "file:///etc/passwd",
        "file:///dev/urandom",
        "file://localhost/etc/passwd",
        f"{static}/../rendering.py",
        f"{static}/%2e%2e/%2e%2e/pyproject.toml",
        f"{static}/../../../../../../etc/passwd",
        f"{base}/admin",
        f"{base}/photo.png",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        "ftp://127.0.0.1/x.png",
        "data:text/html;base64," + base64.b64encode(b"<h1>x</h1>").decode(),
        "data:text/css,body{background:url(file:///etc/passwd)}",
        "data:application/octet-stream;base64,AAAA",
        "data:image/png;base64," + base64.b64encode(b"root:x:0:0 not a png").decode(),
        "upload:1234",
        "javascript:alert(1)",
        static,  # the directory itself
    ]


def test_fetcher_refuses_everything_outside_static_and_image_data(local_server: tuple[str, list[str]]) -> None:
    base, requests = local_server
    fetcher = RestrictedURLFetcher()
    for url in _refused_urls(base):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert requests == []


def test_fetcher_allows_static_files_and_image_data_uris() -> None:
    fetcher = RestrictedURLFetcher()
    css = fetcher.fetch((STATIC_DIR / "report.css").as_uri())
    assert css.content_type == "text/css" and b"@page" in css.read()
    png = fetcher.fetch(PNG_URI)
    assert png.content_type == "image/png" and png.read() == _png()
    svg = fetcher.fetch("data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A//www.w3.org/2000/svg%22/%3E")
    assert svg.content_type == "image/svg+xml" and svg.read().startswith(b"<svg")
    jpeg = fetcher.fetch("data:image/jpeg;base64," + base64.b64encode(b"\xff\xd8\xff\xe0rest").decode())
    assert jpeg.content_type == "image/jpeg"


def test_fetcher_refuses_symlinks_out_of_static(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p{}")
    secret = tmp_path / "secret.css"
    secret.write_text("secret")
    (static / "link.css").symlink_to(secret)
    (static / "passwd.css").symlink_to("/etc/passwd")
    fetcher = RestrictedURLFetcher(static_dir=static)
    assert fetcher.fetch((static / "ok.css").as_uri()).read() == b"p{}"
    for name in ("link.css", "passwd.css"):
        with pytest.raises(FetchRefused):
            fetcher.fetch((static / name).as_uri())


def test_fetcher_caps_size() -> None:
    fetcher = RestrictedURLFetcher(max_bytes=10)
    with pytest.raises(FetchRefused):
        fetcher.fetch("data:image/png;base64," + base64.b64encode(_png(50, 50)).decode())


def test_full_render_fetches_nothing_outside_static(
    local_server: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hostile URLs in URL-carrying fields (photo sources, a map) are refused inside the fetcher in a real render."""
    base, requests = local_server
    seen: list[tuple[str, bool]] = []

    class Spy(RestrictedURLFetcher):
        def fetch(self, url: str, headers: object = None):  # type: ignore[no-untyped-def]
            try:
                response = super().fetch(url, headers)
            except FetchRefused:
                seen.append((url, False))
                raise
            seen.append((url, True))
            return response

    monkeypatch.setattr(rendering, "restricted_fetcher", Spy())
    hostile = (
        "file:///etc/passwd",
        f"{base}/admin",
        f"{STATIC_DIR.as_uri()}/../../pyproject.toml",
        "data:text/html;base64,PHNjcmlwdD4=",
        "../../../../etc/hostname",  # relative: resolved against the static dir, then refused
    )
    report = visit_report(
        photos=(Photo(PNG_URI, "ok"), *(Photo(url, "jahat") for url in hostile)),
        map_svg='<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
    )
    pdf = render_pdf("visit.html", report)
    assert pdf.startswith(b"%PDF-")
    assert requests == []
    assert (PNG_URI, True) in seen
    refused = [url for url, ok in seen if not ok]
    assert len(refused) == len(hostile)
    assert all(ok is False for url, ok in seen if url != PNG_URI)
    assert b"root:x:0:0" not in pdf and "root:" not in pdf_text(pdf)
    assert "Peta tidak dapat ditampilkan" in pdf_text(pdf)


# --------------------------------------------------------------------------- SVG


def test_safe_svg_accepts_our_maps_and_charts_and_refuses_anything_else() -> None:
    chart = horizontal_bar_chart([CountRow("a", 1)], title="t")
    assert safe_svg(chart) == chart
    map_svg = visit_report().map_svg
    assert safe_svg(map_svg) == map_svg
    for bad in (
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(file:///etc/passwd)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect onload="x()"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        '<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        "<p>not svg</p>",
        "<svg unclosed",
    ):
        assert "Peta tidak dapat ditampilkan" in safe_svg(bad)


def test_charts_are_well_formed_escaped_and_deterministic() -> None:
    rows = [CountRow(EVIL_TITLE, 1234), CountRow("Kesehatan & KB", 12), CountRow("Nol", 0)]
    for svg in (horizontal_bar_chart(rows, title="Judul <b>"), vertical_bar_chart(rows, title="Judul <b>")):
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        assert root.tag == f"{SVG}svg"
        assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
        texts = [t.text or "" for t in root.iter(f"{SVG}text")]
        assert "1.234" in texts
        assert any("Kesehatan & KB" in t for t in texts)
        assert not any(el.tag.endswith(("script", "image", "foreignObject", "style")) for el in root.iter())
        assert not any("href" in attr for el in root.iter() for attr in el.attrib)
    assert horizontal_bar_chart(rows, title="x") == horizontal_bar_chart(list(rows), title="x")
    assert vertical_bar_chart(rows, title="x") == vertical_bar_chart(tuple(rows), title="x")


def test_chart_edge_cases() -> None:
    assert EMPTY_CHART_MESSAGE in horizontal_bar_chart([], title="x")
    assert EMPTY_CHART_MESSAGE in vertical_bar_chart([], title="x")
    zeros = vertical_bar_chart([CountRow("Jan 2026", 0), CountRow("Feb 2026", 0)], title="x")
    ET.fromstring(zeros)  # noqa: S314 - our own output
    long = vertical_bar_chart([CountRow(f"Bulan ke-{i} 2026", i * 10) for i in range(24)], title="x", width=400)
    assert "rotate(-45" in long
    many = horizontal_bar_chart([CountRow(f"Kategori {i}", i) for i in range(30)], title="x", max_rows=10)
    root = ET.fromstring(many)  # noqa: S314 - our own output
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "Lainnya" in labels and "Kategori 9" not in labels


def test_sparse_reports_render_without_errors() -> None:
    """Missing figures and empty sections print "–" or a short notice instead of failing (StrictUndefined is on)."""
    visit = visit_report(
        started=None, ended=None, population=None, households=None, poor_households=None, poverty_share=None,
        area_km2=None, figures_source=None, agenda=(), services=(), aspirations_received=(), aspirations_resolved=(),
        commitments=(), officials=None, notes=None, photos=(), map_svg="", prepared_by="", acknowledged_by="",
        desa_kind="kelurahan",
    )  # fmt: skip
    html = render_html("visit.html", visit)
    assert "Kelurahan Kembiritan" in html and "Tidak ada layanan tercatat." in html
    dprd = dprd_report(
        kpis=(), services_by_sector=(), services_by_month=(), aspirations_by_status=(), aspirations_by_category=(),
        kecamatan_rows=(), visit_rows=(), resolved_items=(), notes=(), scope_label="Kecamatan Genteng, Glenmore",
    )  # fmt: skip
    html = render_html("dprd.html", dprd)
    assert "Kecamatan Genteng, Glenmore" in html and EMPTY_CHART_MESSAGE in html
    assert render_pdf("visit.html", visit).startswith(b"%PDF-")
