"""The JSON contract of ``python -m optimizer solve``: problem in, solution out.

Problem::

    {"name", "locations": [{"id","lat","lon"}], "travel_min": [[...]]  (or "travel": {...}),
     "sites": [{"id","location","prize","service_min","mandatory"?,"windows"?:[{"day","start_min","end_min"}],
                "group"?, "extra_travel_min"?, "closed_months"?}],
     "days": [{"id","start_location","end_location","start_min","end_min","max_visits"?,
               "breaks"?: [{"start_min","end_min","duration_min"?}], "date"?}],
     "locks"?: [{"site","day","position"?}], "previous"?: {"penalty", "routes": [{"day","sites":[...]}]},
     "day_discount"?: 0.001}

``travel`` selects a provider when no matrix is given: ``{"model": "haversine", "detour"?, "speed_kmh"?,
"fixed_min"?}``, ``{"model": "osrm", "url"?, "timeout_s"?}`` or ``{"model": "matrix", "path": "file.json|csv"}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from optimizer.model import Break, Day, Location, Lock, PreviousPlan, Problem, ProblemError, Site, Solution, Window
from optimizer.travel import HaversineProvider, MatrixProvider, OsrmProvider

__all__ = ["problem_from_dict", "read_problem", "solution_to_dict"]


def _req(obj: dict[str, Any], key: str, where: str) -> Any:
    if not isinstance(obj, dict):
        raise ProblemError(f"{where} must be a JSON object.")
    if key not in obj:
        raise ProblemError(f"{where} is missing the required key {key!r}.")
    return obj[key]


def _provider(spec: dict[str, Any], base: Path | None) -> Any:
    model = _req(spec, "model", "The travel model")
    opts = {k: v for k, v in spec.items() if k != "model"}
    try:
        if model == "haversine":
            return HaversineProvider(**opts)
        if model == "osrm":
            return OsrmProvider(**opts)
        if model == "matrix":
            path = Path(_req(spec, "path", "The matrix travel model"))
            if base is not None and not path.is_absolute():
                path = base / path
            return MatrixProvider.from_csv(path) if path.suffix.lower() == ".csv" else MatrixProvider.from_json(path)
    except TypeError as exc:
        raise ProblemError(f"The {model!r} travel model got an unknown option ({exc}).") from None
    raise ProblemError(f"Unknown travel model {model!r}; use 'haversine', 'osrm' or 'matrix'.")


def problem_from_dict(data: dict[str, Any], base: Path | None = None) -> Problem:
    """Build a validated ``Problem`` from the JSON structure (``base`` resolves relative matrix paths)."""
    if not isinstance(data, dict):
        raise ProblemError("The problem must be a JSON object.")
    locs = []
    for k, loc in enumerate(_req(data, "locations", "The problem")):
        where = f"Location {k}"
        locs.append(Location(str(_req(loc, "id", where)), float(loc.get("lat", 0.0)), float(loc.get("lon", 0.0))))
    sites = []
    for k, s in enumerate(_req(data, "sites", "The problem")):
        where = f"Site {s.get('id', k)!r}" if isinstance(s, dict) else f"Site {k}"
        windows = tuple(
            Window(int(_req(w, "day", f"A window of {where.lower()}")), float(_req(w, "start_min", where)),
                   float(_req(w, "end_min", where)))
            for w in s.get("windows", []) or []
        )
        sites.append(Site(
            id=str(_req(s, "id", where)),
            location=_req(s, "location", where),
            prize=float(_req(s, "prize", where)),
            service_min=float(s.get("service_min", 0)),
            mandatory=bool(s.get("mandatory", False)),
            windows=windows,
            group=s.get("group"),
            extra_travel_min=float(s.get("extra_travel_min", 0)),
            closed_months=frozenset(s.get("closed_months", []) or []),
        ))
    days = []
    for k, d in enumerate(_req(data, "days", "The problem")):
        where = f"Day {d.get('id', k)!r}" if isinstance(d, dict) else f"Day {k}"
        breaks = tuple(
            Break(float(_req(b, "start_min", f"A break of {where.lower()}")), float(_req(b, "end_min", where)),
                  None if b.get("duration_min") is None else float(b["duration_min"]))
            for b in d.get("breaks", []) or []
        )
        days.append(Day(
            id=str(_req(d, "id", where)),
            start_location=_req(d, "start_location", where),
            end_location=_req(d, "end_location", where),
            start_min=float(_req(d, "start_min", where)),
            end_min=float(_req(d, "end_min", where)),
            max_visits=d.get("max_visits"),
            breaks=breaks,
            date=d.get("date"),
        ))
    locks = tuple(
        Lock(str(_req(lk, "site", "A lock")), str(_req(lk, "day", "A lock")), lk.get("position"))
        for lk in data.get("locks", []) or []
    )
    previous = None
    if data.get("previous"):
        prev = data["previous"]
        pairs = []
        for r in _req(prev, "routes", "The previous plan"):
            day = str(_req(r, "day", "A route of the previous plan"))
            pairs.extend((str(s), day) for s in _req(r, "sites", "A route of the previous plan"))
        cancel = prev.get("cancel_penalty")
        previous = PreviousPlan(tuple(pairs), float(prev.get("penalty", 1.0)),
                                None if cancel is None else float(cancel))
    if data.get("travel_min") is not None:
        matrix = data["travel_min"]
    elif data.get("travel") is not None:
        matrix = _provider(data["travel"], base).matrix(locs)
    else:
        raise ProblemError("The problem needs either a 'travel_min' matrix or a 'travel' model.")
    return Problem(tuple(locs), matrix, tuple(sites), tuple(days), locks, previous, str(data.get("name", "problem")),
                   float(data.get("day_discount", 0.0) or 0.0))


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The problem as the JSON structure ``problem_from_dict`` reads: every field, so that a round trip gives an
    equal problem (windows, a break's ``duration_min``, lock positions and the previous plan in visit order)."""
    previous = None
    if problem.previous is not None:
        by_day: dict[str, list[str]] = {}
        for site, day in problem.previous.assignments:
            by_day.setdefault(day, []).append(site)
        previous = {"penalty": problem.previous.penalty, "cancel_penalty": problem.previous.cancel_penalty,
                    "routes": [{"day": d, "sites": s} for d, s in by_day.items()]}
    return {
        "name": problem.name,
        "locations": [{"id": loc.id, "lat": loc.lat, "lon": loc.lon} for loc in problem.locations],
        "travel_min": [list(row) for row in problem.travel_min],
        "sites": [{"id": s.id, "location": s.location, "prize": s.prize, "service_min": s.service_min,
                   "mandatory": s.mandatory, "group": s.group, "extra_travel_min": s.extra_travel_min,
                   "closed_months": sorted(s.closed_months),
                   "windows": [{"day": w.day, "start_min": w.start_min, "end_min": w.end_min} for w in s.windows]}
                  for s in problem.sites],
        "days": [{"id": d.id, "date": d.date, "start_location": d.start_location, "end_location": d.end_location,
                  "start_min": d.start_min, "end_min": d.end_min, "max_visits": d.max_visits,
                  "breaks": [{"start_min": b.start_min, "end_min": b.end_min, "duration_min": b.duration}
                             for b in d.breaks]}
                 for d in problem.days],
        "locks": [{"site": lk.site, "day": lk.day, "position": lk.position} for lk in problem.locks],
        "previous": previous,
        "day_discount": problem.day_discount,
    }


def read_problem(path: str | Path) -> Problem:
    """Read a problem JSON file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ProblemError(f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}.") from None
    return problem_from_dict(data, path.parent)


def _num(x: float) -> float | int:
    r = round(x, 3)
    return int(r) if r == int(r) else r


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """The solution JSON of the CLI contract (times rounded to 1/1000 minute)."""
    unvisited = []
    for u in solution.unvisited:
        item: dict[str, Any] = {"site": u.site, "reason": u.reason}
        if u.mandatory:
            item["mandatory"] = True
        if u.day is not None:
            item["day"], item["position"], item["added_min"] = u.day, u.position, u.added_min
        item["detail"] = u.detail
        unvisited.append(item)
    return {
        "routes": [
            {
                "day": r.day,
                "visits": [
                    {"site": v.site, "arrive_min": _num(v.arrive_min), "start_min": _num(v.start_min),
                     "end_min": _num(v.end_min)}
                    for v in r.visits
                ],
                "depart_min": _num(r.depart_min),
                "return_min": _num(r.return_min),
                "travel_min": _num(r.travel_min),
                **({} if r.usable else {"usable": False, "reason": r.reason}),
            }
            for r in solution.routes
        ],
        "unvisited": unvisited,
        "unplaced_mandatory": [u.site for u in solution.unplaced_mandatory],
        "total_prize": _num(solution.total_prize),
        "total_travel_min": _num(solution.total_travel_min),
        "moved_visits": solution.moved_visits,
        "cancelled_visits": solution.cancelled_visits,
        "search": solution.stats.get("search", "none"),
        "seconds": solution.seconds,
    }
