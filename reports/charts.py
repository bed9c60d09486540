"""Small deterministic SVG bar charts for the web pages and the PDF reports.

Same rules as :mod:`reports.maps` so one string works inlined in HTML and in
WeasyPrint: presentation attributes only (no ``<style>``, no ids, no script,
no external fonts or images), every label escaped, and the same rows always
give a byte-identical string. Numbers are written the Indonesian way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reports.colours import OUTLINE_COLOUR, SEQUENTIAL_SCALES
from reports.context import CountRow
from reports.formatting import format_number

# Escaping and coordinate helpers are shared with the map renderer so both treat text alike.
from reports.maps import SVG_NS, _attr, _colour, _n, _text

__all__ = ["BAR_COLOUR", "EMPTY_CHART_MESSAGE", "horizontal_bar_chart", "vertical_bar_chart"]

#: Default bar fill: a mid-dark step of the neutral "Blues" scale (readable in greyscale print).
BAR_COLOUR = SEQUENTIAL_SCALES["Blues"][3]
EMPTY_CHART_MESSAGE = "Belum ada data"
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#666666"
GRID_COLOUR = "#dddddd"


def _text_width(text: str, size: float) -> float:
    """Rough advance width in DejaVu Sans (wide font): only used for layout decisions."""
    return len(text) * size * 0.6


def _fit(text: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis so it fits in ``width`` px (full text stays in ``<title>``)."""
    if _text_width(text, size) <= width:
        return text
    keep = max(int(width / (size * 0.6)) - 1, 1)
    return text[:keep].rstrip() + "…"


def _nice_step(maximum: float, ticks: int = 4) -> float:
    """A 1-2-5 step so gridlines land on round numbers (0, 50, 100 … not 0, 37, 74)."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            step = factor * power
            return max(step, 1)  # counts: never a fractional step
    return 10 * power  # pragma: no cover - loop always returns


def _wrap(width: float, height: float, title: str, body: list[str]) -> str:
    w, h = _n(width), _n(math.ceil(height))
    return (
        f'<svg xmlns="{SVG_NS}" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'role="img" aria-label="{_attr(title)}" font-family="{_attr(FONT)}">'
        f"<title>{_text(title)}</title>"
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _title(title: str, width: float, pad: float) -> str:
    return (
        f'<text x="{_n(pad)}" y="{_n(pad + 12)}" font-size="13" font-weight="bold" '
        f'fill="{TEXT_COLOUR}">{_text(_fit(title, 13, width - 2 * pad))}</text>'
    )


def _empty(width: float, title: str, pad: float) -> str:
    height = 90.0
    body = [
        _title(title, width, pad),
        f'<text x="{_n(width / 2)}" y="{_n(height / 2 + 14)}" font-size="11" text-anchor="middle" '
        f'fill="{MUTED_COLOUR}">{_text(EMPTY_CHART_MESSAGE)}</text>',
    ]
    return _wrap(width, height, title, body)


def horizontal_bar_chart(
    rows: Sequence[CountRow],
    *,
    title: str,
    width: int = 640,
    colour: str = BAR_COLOUR,
    max_rows: int = 15,
) -> str:
    """Horizontal bars, one per category, in the order given (callers sort by meaning or count).

    Categories beyond ``max_rows`` are summed into "Lainnya" so a long tail of
    categories cannot push the chart off the page.
    """
    width = max(int(width), 240)
    pad = 8.0
    rows = list(rows)
    if not rows:
        return _empty(width, title, pad)
    if len(rows) > max_rows:
        rest = sum(r.count for r in rows[max_rows - 1 :])
        rows = [*rows[: max_rows - 1], CountRow(label="Lainnya", count=rest)]
    fill = _attr(_colour(colour, BAR_COLOUR))
    size = 10.0
    row_h, bar_h = 20.0, 13.0
    top = pad + 24
    label_w = min(max(_text_width(r.label, size) for r in rows) + 6, width * 0.42)
    value_w = max(_text_width(format_number(r.count), size) for r in rows) + 8
    x0 = pad + label_w
    bar_space = max(width - x0 - pad - value_w, 20)
    maximum = max((r.count for r in rows), default=0)
    body = [_title(title, width, pad)]
    for i, row in enumerate(rows):
        y = top + i * row_h
        length = bar_space * row.count / maximum if maximum > 0 else 0
        label = _fit(row.label, size, label_w - 6)
        value = format_number(row.count)
        body.append(
            f"<g><title>{_text(row.label)}: {_text(value)}</title>"
            f'<text x="{_n(x0 - 6)}" y="{_n(y + bar_h - 3)}" font-size="{_n(size)}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{_text(label)}</text>'
            f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(length)}" height="{_n(bar_h)}" fill="{fill}"/>'
            f'<text x="{_n(x0 + length + 4)}" y="{_n(y + bar_h - 3)}" font-size="{_n(size)}" '
            f'fill="{TEXT_COLOUR}">{_text(value)}</text></g>'
        )
    bottom = top + len(rows) * row_h - (row_h - bar_h)
    body.append(
        f'<line x1="{_n(x0)}" y1="{_n(top - 3)}" x2="{_n(x0)}" y2="{_n(bottom + 3)}" '
        f'stroke="{OUTLINE_COLOUR}" stroke-width="1"/>'
    )
    return _wrap(width, bottom + pad + 3, title, body)


def vertical_bar_chart(
    rows: Sequence[CountRow],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
    colour: str = BAR_COLOUR,
) -> str:
    """Vertical bars in the order given, meant for months ("Jan 2026" … "Des 2026").

    A y axis with round gridlines gives the scale; each bar also carries its
    value when there is room. Labels turn 45° when they would overlap.
    """
    width = max(int(width), 240)
    height = max(int(height), 140)
    pad = 8.0
    rows = list(rows)
    if not rows:
        return _empty(width, title, pad)
    fill = _attr(_colour(colour, BAR_COLOUR))
    size = 9.0
    maximum = max((r.count for r in rows), default=0)
    step = _nice_step(maximum)
    top_value = max(step * math.ceil(maximum / step), step)
    axis_w = _text_width(format_number(top_value), size) + 8
    x0 = pad + axis_w
    slot = (width - x0 - pad) / len(rows)
    rotate = max(_text_width(r.label, size) for r in rows) > slot - 4
    label_h = (max(_text_width(r.label, size) for r in rows) * 0.72 + 8) if rotate else size + 8
    top = pad + 24 + 12  # title, then room for the value over the tallest bar
    plot_bottom = height - pad - label_h
    if plot_bottom - top < 60:  # long rotated labels: grow instead of squashing the bars
        plot_bottom = top + 60
        height = math.ceil(plot_bottom + label_h + pad)
    plot_h = plot_bottom - top
    body = [_title(title, width, pad)]
    ticks = round(top_value / step)
    for t in range(ticks + 1):
        value = step * t
        y = plot_bottom - plot_h * value / top_value
        body.append(
            f'<line x1="{_n(x0)}" y1="{_n(y)}" x2="{_n(width - pad)}" y2="{_n(y)}" '
            f'stroke="{GRID_COLOUR if t else OUTLINE_COLOUR}" stroke-width="1"/>'
            f'<text x="{_n(x0 - 4)}" y="{_n(y + 3)}" font-size="{_n(size)}" text-anchor="end" '
            f'fill="{MUTED_COLOUR}">{_text(format_number(int(value)))}</text>'
        )
    bar_w = max(slot * 0.68, 1)
    for i, row in enumerate(rows):
        cx = x0 + slot * (i + 0.5)
        bar_h = plot_h * row.count / top_value if top_value else 0
        value = format_number(row.count)
        parts = [
            f"<g><title>{_text(row.label)}: {_text(value)}</title>",
            f'<rect x="{_n(cx - bar_w / 2)}" y="{_n(plot_bottom - bar_h)}" width="{_n(bar_w)}" '
            f'height="{_n(bar_h)}" fill="{fill}"/>',
        ]
        if _text_width(value, size) <= slot:
            parts.append(
                f'<text x="{_n(cx)}" y="{_n(plot_bottom - bar_h - 3)}" font-size="{_n(size)}" '
                f'text-anchor="middle" fill="{TEXT_COLOUR}">{_text(value)}</text>'
            )
        ly = plot_bottom + size + 4
        if rotate:
            parts.append(
                f'<text x="{_n(cx)}" y="{_n(ly)}" font-size="{_n(size)}" text-anchor="end" '
                f'transform="rotate(-45 {_n(cx)} {_n(ly)})" fill="{TEXT_COLOUR}">{_text(row.label)}</text>'
            )
        else:
            parts.append(
                f'<text x="{_n(cx)}" y="{_n(ly)}" font-size="{_n(size)}" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}">{_text(row.label)}</text>'
            )
        parts.append("</g>")
        body.append("".join(parts))
    return _wrap(width, height, title, body)
