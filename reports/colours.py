"""Colour scales and value classing shared by maps and (later) charts.

Kept separate from the renderers so a chart and a map of the same indicator
use the same classes and colours, which is what readers of a report expect.
All scales are 5-class ColorBrewer / viridis palettes that stay readable for
the common forms of colour blindness and in greyscale print.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable

#: Sequential 5-class scales, light → dark (viridis: dark → light), low → high value.
SEQUENTIAL_SCALES: dict[str, tuple[str, ...]] = {
    # ColorBrewer YlOrRd: "more is worse" indicators such as poverty rates.
    "YlOrRd": ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    # ColorBrewer Blues: neutral quantities (population, visits).
    "Blues": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    # ColorBrewer YlGnBu: neutral alternative with more hue contrast.
    "YlGnBu": ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    # viridis (matplotlib), perceptually uniform.
    "viridis": ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"),
}

DEFAULT_SCALE = "YlOrRd"
#: Fill for "tanpa data" (no value): neutral mid grey, distinct from every scale step.
NO_DATA_COLOUR = "#b4b4b4"
#: Outline used on top of scale colours so the lightest step stays visible on white.
OUTLINE_COLOUR = "#3a3a3a"

CLASSIFICATION_METHODS = ("quantile", "equal")


def scale_colours(name: str, n: int) -> tuple[str, ...]:
    """Return ``n`` colours (1..5) spread evenly over scale ``name``.

    Fewer than five classes happen when many values tie; spreading keeps the
    extremes of the scale so "low" and "high" still look low and high.
    """
    try:
        colours = SEQUENTIAL_SCALES[name]
    except KeyError:
        raise ValueError(f"unknown colour scale {name!r}; choose from {sorted(SEQUENTIAL_SCALES)}") from None
    if n < 1:
        return ()
    if n >= len(colours):
        return colours
    if n == 1:
        return (colours[len(colours) // 2],)
    last = len(colours) - 1
    return tuple(colours[round(i * last / (n - 1))] for i in range(n))


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated quantile (same as ``statistics.quantiles(method="inclusive")``)."""
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    frac = pos - lo
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * frac


def class_breaks(
    values: Iterable[float | None], classes: int = 5, method: str = "quantile"
) -> tuple[float, ...]:
    """Return class boundaries ``(min, b1, …, max)`` for the finite values given.

    ``quantile`` puts roughly the same number of desa in each class (good for
    skewed indicators); ``equal`` uses equal-width intervals (easier to read
    when the numbers themselves matter). Duplicate boundaries caused by ties
    are merged, so the result may describe fewer classes than requested.
    Returns ``()`` when there is no finite value.
    """
    if method not in CLASSIFICATION_METHODS:
        raise ValueError(f"unknown classification {method!r}; choose from {CLASSIFICATION_METHODS}")
    if classes < 1:
        raise ValueError("classes must be at least 1")
    finite = sorted(float(v) for v in values if v is not None and math.isfinite(v))
    if not finite:
        return ()
    lo, hi = finite[0], finite[-1]
    if lo == hi:
        return (lo, hi)
    if method == "quantile":
        raw = [_quantile(finite, i / classes) for i in range(classes + 1)]
    else:
        raw = [lo + (hi - lo) * i / classes for i in range(classes + 1)]
    raw[0], raw[-1] = lo, hi
    breaks: list[float] = []
    for b in raw:
        if not breaks or b > breaks[-1]:
            breaks.append(b)
    return tuple(breaks)


def class_index(value: float, breaks: tuple[float, ...]) -> int:
    """Index of the class holding ``value``: classes are ``[b0, b1]``, ``(b1, b2]``, …"""
    n = max(len(breaks) - 1, 1)
    idx = bisect.bisect_left(breaks, value, 1, len(breaks) - 1) - 1 if len(breaks) > 2 else 0
    return min(max(idx, 0), n - 1)
