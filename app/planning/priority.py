"""Explainable priority per desa: five normalised components, weighted by a versioned set of weights.

Components (each 0..1, normalised against the regency's maximum where it is a count):
- aspirations: open aspirations weighted by urgency × age (`aspirations.queries.open_aspiration_weights`);
- poverty: half the share of poor households, half the poor households per km² (share only without an area).
  Poor households are those in welfare deciles 1–4 (DTSEN/P3KE, `regions.poverty`); where the decile figures are
  known, the households of desil 1 (the extreme poor) count twice. Without decile figures (demo data, a location
  import's counts) the poor households count once;
- since_visit: months since the last Bunga Desa visit ÷ the mandatory threshold, capped at 1; never visited = 1;
- services: requested service volume on open aspirations;
- coverage: 1 when the desa's kecamatan had no visit this calendar year.
Score = 100 × Σ weight × component, with the weights normalised to sum to 1.
A desa whose last visit is more than `mandatory_after_months` ago becomes mandatory. A desa never visited is not made
mandatory (in a new deployment that would be every desa); its since-visit component is already the maximum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

DESIL_1_EXTRA = 1.0  # desil 1 households count 1 + this in the poverty component

COMPONENTS = ("aspirations", "poverty", "since_visit", "services", "coverage")
COMPONENT_LABELS = {
    "aspirations": "Aspirasi terbuka (urgensi × umur)",
    "poverty": "Kemiskinan (persentase dan kepadatan RT miskin)",
    "since_visit": "Lama sejak kunjungan terakhir",
    "services": "Volume layanan yang diminta",
    "coverage": "Kecamatan belum dikunjungi tahun ini",
}


@dataclass(frozen=True)
class PriorityInput:
    desa_id: int
    households: int | None
    poor_households: int | None
    area_km2: float | None
    open_weight: float
    requested_services: int
    last_visit: date | None
    kecamatan_visited_this_year: bool
    poorest_households: int | None = None  # desil 1, when decile figures are known


@dataclass(frozen=True)
class PriorityResult:
    desa_id: int
    score: float
    components: dict[str, float]
    mandatory: bool


def _months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / 30.44


def _weighted_poor(r: PriorityInput) -> float | None:
    """Poor households with desil 1 counted extra (never more extra than there are poor households)."""
    if r.poor_households is None:
        return None
    extra = min(r.poorest_households or 0, r.poor_households)
    return r.poor_households + DESIL_1_EXTRA * extra


def compute_priorities(inputs: Iterable[PriorityInput], weights: Mapping[str, float], as_of: date,
                       mandatory_after_months: int) -> dict[int, PriorityResult]:
    """Scores with their breakdown; pure, so the same inputs always give the same plan input."""
    rows = list(inputs)
    total_weight = sum(max(weights.get(c, 0.0), 0.0) for c in COMPONENTS) or 1.0
    norm = {c: max(weights.get(c, 0.0), 0.0) / total_weight for c in COMPONENTS}
    max_open = max((r.open_weight for r in rows), default=0.0) or 1.0
    max_services = max((r.requested_services for r in rows), default=0) or 1
    poor = {r.desa_id: _weighted_poor(r) for r in rows}
    shares = {r.desa_id: (poor[r.desa_id] / r.households) if r.households and poor[r.desa_id] is not None
              else None for r in rows}
    densities = {r.desa_id: (poor[r.desa_id] / r.area_km2) if r.area_km2 and poor[r.desa_id] is not None
                 else None for r in rows}
    max_share = max((s for s in shares.values() if s is not None), default=0.0) or 1.0
    max_density = max((d for d in densities.values() if d is not None), default=0.0) or 1.0
    results: dict[int, PriorityResult] = {}
    for r in rows:
        share, density = shares[r.desa_id], densities[r.desa_id]
        if share is None:
            poverty = 0.0
        elif density is None:
            poverty = share / max_share
        else:
            poverty = 0.5 * share / max_share + 0.5 * density / max_density
        if r.last_visit is None:
            since = 1.0
            mandatory = False
        else:
            months = _months_between(r.last_visit, as_of)
            since = min(months / max(mandatory_after_months, 1), 1.0)
            mandatory = months > mandatory_after_months
        components = {
            "aspirations": r.open_weight / max_open,
            "poverty": poverty,
            "since_visit": since,
            "services": r.requested_services / max_services,
            "coverage": 0.0 if r.kecamatan_visited_this_year else 1.0,
        }
        score = 100.0 * sum(norm[c] * components[c] for c in COMPONENTS)
        results[r.desa_id] = PriorityResult(r.desa_id, round(score, 4),
                                            {c: round(v, 4) for c, v in components.items()}, mandatory)
    return results
