"""Render report dataclasses to HTML and PDF (WeasyPrint) without the app.

Own Jinja environment (autoescape, StrictUndefined) so a report renders the
same from a request, a job, the CLI or a test (ARCHITECTURE rule 9). WeasyPrint
only ever sees server-owned templates, and its URL fetcher is locked down to
``reports/static/`` plus inline image ``data:`` URIs (RELIABILITY P6 / S10):
user text can make it fetch nothing else — no ``file:`` outside the static
directory, no ``http(s)``/``ftp``, no redirects.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
import re
import xml.etree.ElementTree as ET  # only parses SVG the app itself produced; DOCTYPEs are refused first
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

import jinja2
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.charts import horizontal_bar_chart, vertical_bar_chart
from reports.formatting import (
    format_date,
    format_date_long,
    format_day,
    format_kpi,
    format_number,
    format_percent,
)

__all__ = [
    "STATIC_DIR",
    "TEMPLATE_DIR",
    "FetchRefused",
    "RestrictedURLFetcher",
    "environment",
    "render_html",
    "render_pdf",
    "restricted_fetcher",
    "safe_svg",
]

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

#: Largest resource the fetcher hands to WeasyPrint (a photo thumbnail is far smaller).
MAX_RESOURCE_BYTES = 5 * 1024 * 1024
ALLOWED_DATA_TYPES = frozenset({"image/png", "image/jpeg", "image/svg+xml"})
ALLOWED_STATIC_SUFFIXES = frozenset({".css", ".png", ".jpg", ".jpeg", ".svg", ".ttf", ".otf", ".woff", ".woff2"})
_MAGIC = {"image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",)}

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- URL fetcher


class FetchRefused(ValueError):
    """Raised inside the fetcher for every URL outside the allow-list; WeasyPrint logs it and skips the resource."""


class RestrictedURLFetcher(URLFetcher):
    """A WeasyPrint ≥70 fetcher that reads only ``static_dir`` files and inline image ``data:`` URIs.

    It never opens a socket and never calls urllib's openers, so redirects,
    ``http(s)``, ``ftp`` and ``file:`` outside ``static_dir`` are impossible
    rather than filtered. Symlinks are resolved before the containment check,
    so a link pointing out of the directory is refused too.
    """

    def __init__(self, static_dir: Path = STATIC_DIR, max_bytes: int = MAX_RESOURCE_BYTES) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=False)
        self.static_dir = Path(static_dir).resolve()
        self.max_bytes = max_bytes

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the resource for an allowed URL, raise :class:`FetchRefused` for anything else."""
        scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
        if scheme == "data":
            return self._fetch_data(url)
        if scheme == "file":
            return self._fetch_static(url)
        raise FetchRefused(f"scheme not allowed in reports: {url[:80]!r}")

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        header, sep, payload = url[5:].partition(",")
        if not sep:
            raise FetchRefused("malformed data: URI")
        params = [p.strip().lower() for p in header.split(";")]
        mime = params[0]
        if mime not in ALLOWED_DATA_TYPES:
            raise FetchRefused(f"data: URI type not allowed: {mime[:40]!r}")
        if len(payload) > self.max_bytes * 4 // 3 + 4:
            raise FetchRefused("data: URI too large")
        try:
            body = base64.b64decode(payload, validate=False) if "base64" in params[1:] else unquote_to_bytes(payload)
        except (binascii.Error, ValueError) as exc:
            raise FetchRefused("undecodable data: URI") from exc
        if len(body) > self.max_bytes:
            raise FetchRefused("data: URI too large")
        magic = _MAGIC.get(mime)
        if magic and not body.startswith(magic):
            raise FetchRefused(f"data: URI content is not {mime}")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    def _fetch_static(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"remote file URL refused: {url[:80]!r}")
        raw = url2pathname(parts.path)
        try:
            path = Path(raw).resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            raise FetchRefused(f"no such static file: {url[:80]!r}") from exc
        if not path.is_relative_to(self.static_dir) or path == self.static_dir:
            raise FetchRefused(f"file outside reports/static refused: {url[:80]!r}")
        if not path.is_file() or path.suffix.lower() not in ALLOWED_STATIC_SUFFIXES:
            raise FetchRefused(f"not an allowed static file: {url[:80]!r}")
        if path.stat().st_size > self.max_bytes:
            raise FetchRefused("static file too large")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime})


#: The fetcher every render uses (stateless apart from a per-request scratch slot WeasyPrint never fills here).
restricted_fetcher = RestrictedURLFetcher()


# --------------------------------------------------------------------------- SVG guard

_SVG_ELEMENTS = frozenset(
    ("svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "title", "desc")
) | {"a"}
_SVG_PLACEHOLDER = "Peta tidak dapat ditampilkan"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def safe_svg(svg: str | None) -> Markup:
    """Mark an app-made SVG (map or chart) safe to inline, after checking it really is harmless.

    The SVG comes from :func:`reports.maps.render_map` or :mod:`reports.charts`,
    which escape every label; this check is a second line of defence so a
    contract field can never smuggle markup, scripts or resource URLs into the
    PDF. Anything unexpected is replaced by a short notice instead of failing.
    """
    if not svg:
        return Markup("")
    text = svg.strip()
    if not text.startswith("<svg") or "<!" in text or "<?" in text:
        return _svg_refused("not a bare <svg> element")
    try:
        root = ET.fromstring(text)  # noqa: S314 - app-made SVG, DOCTYPE/entities refused above
    except ET.ParseError:
        return _svg_refused("not well-formed")
    for element in root.iter():
        if _local(element.tag) not in _SVG_ELEMENTS:
            return _svg_refused(f"element {_local(element.tag)!r}")
        for name, value in element.attrib.items():
            local = _local(name).lower()
            if local.startswith("on") or local == "style":
                return _svg_refused(f"attribute {local!r}")
            if "url(" in value.replace(" ", "").lower() and not re.fullmatch(r"\s*url\(#[\w.-]+\)\s*", value):
                return _svg_refused("url() reference")
            if local == "href" and _local(element.tag) != "a":
                return _svg_refused("href outside a link")
    return Markup(text)  # noqa: S704 - checked above: only inert SVG elements, no handlers or URLs


def _svg_refused(reason: str) -> Markup:
    log.warning("refused to inline SVG in report: %s", reason)
    return Markup('<p class="svg-refused">') + _SVG_PLACEHOLDER + Markup("</p>")


# --------------------------------------------------------------------------- Jinja


def _chart_h(rows: Any, title: str, width: int = 640) -> Markup:
    return safe_svg(horizontal_bar_chart(rows, title=title, width=width))


def _chart_v(rows: Any, title: str, width: int = 640, height: int = 240) -> Markup:
    return safe_svg(vertical_bar_chart(rows, title=title, width=width, height=height))


def _w3c_date(value: date | datetime) -> str:
    """W3C date for ``dcterms.created``: the report's own date, never "now", so PDFs are reproducible."""
    return value.isoformat()


@cache
def _stylesheet() -> Markup:
    """``report.css`` inlined, so the HTML preview is self-contained and PDF rendering needs no fetch for it."""
    return Markup((STATIC_DIR / "report.css").read_text(encoding="utf-8"))  # noqa: S704 - our own file


@cache
def environment() -> jinja2.Environment:
    """The reports' Jinja environment: autoescape on, undefined names fail loudly, Indonesian filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        angka=format_number,
        persen=format_percent,
        tanggal=format_date,
        tanggal_lengkap=format_date_long,
        hari=format_day,
        nilai_kpi=format_kpi,
        w3c_date=_w3c_date,
        safe_svg=safe_svg,
    )
    env.globals.update(chart_h=_chart_h, chart_v=_chart_v, stylesheet=_stylesheet)
    return env


def render_html(template_name: str, report: Any) -> str:
    """Render a report dataclass with one of the package's own templates (e.g. ``"visit.html"``)."""
    if template_name.startswith("_") or "/" in template_name or "\\" in template_name:
        raise ValueError(f"not a report template: {template_name!r}")
    return environment().get_template(template_name).render(report=report)


def render_pdf(template_name: str, report: Any) -> bytes:
    """Render to PDF bytes; the same report data always gives the same bytes.

    Determinism: the PDF dates come from ``report.generated_on`` via
    ``dcterms.created``/``dcterms.modified`` in the template, WeasyPrint 70
    writes no ``/ID`` unless asked (``pdf_identifier`` stays off), and font
    subsets are named from their content.
    """
    html = render_html(template_name, report)
    document = HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=restricted_fetcher)
    pdf = document.write_pdf(pdf_identifier=False, uncompressed_pdf=False)
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf
