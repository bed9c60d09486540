"""Frozen, validated data model of the visit-planning problem and its solution.

Everything here is plain data: the solver never mutates it, the app builds it from ORM rows and the CLI
builds it from JSON. Validation happens in ``__post_init__`` so that an invalid object cannot exist, and every
error message names the offending item in a sentence.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field

__all__ = [
    "REASONS",
    "Break",
    "Day",
    "Location",
    "Lock",
    "PreviousPlan",
    "Problem",
    "ProblemError",
    "Route",
    "Site",
    "Solution",
    "Unvisited",
    "Visit",
    "Window",
]

#: Why a site is not in the plan (see ``Unvisited``).
REASONS = ("unreachable", "no_window", "closed", "displaced")


class ProblemError(ValueError):
    """An input does not describe a valid planning problem; the message says which item and why."""


def _finite(value: float, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProblemError(f"{what} must be a finite number, not {value!r}.")


def _nonneg(value: float, what: str) -> None:
    _finite(value, what)
    if value < 0:
        raise ProblemError(f"{what} must not be negative, but it is {value}.")


@dataclass(frozen=True, slots=True)
class Location:
    """A point on the map (a desa, the Pendopo, a lodging place); ``lat``/``lon`` in degrees."""

    id: str
    lat: float = 0.0
    lon: float = 0.0

    def __post_init__(self) -> None:
        if not str(self.id):
            raise ProblemError("Every location needs a non-empty id.")
        _finite(self.lat, f"The latitude of location {self.id!r}")
        _finite(self.lon, f"The longitude of location {self.id!r}")


@dataclass(frozen=True, slots=True)
class Window:
    """Site may be visited on ``day`` (index into ``Problem.days``) with its whole service in [start, end]."""

    day: int
    start_min: float
    end_min: float

    def __post_init__(self) -> None:
        _nonneg(self.start_min, "A window's start_min")
        _nonneg(self.end_min, "A window's end_min")
        if self.end_min < self.start_min:
            raise ProblemError(
                f"A window on day {self.day} ends at minute {self.end_min}, before it starts at {self.start_min}."
            )


@dataclass(frozen=True, slots=True)
class Break:
    """A pause of ``duration_min`` taken inside [start_min, end_min]; no service may overlap it.

    Travel may be interrupted by it (a prayer stop on the way). ``duration_min`` defaults to the whole interval,
    i.e. a fixed break such as Friday prayer 11:30-13:00.
    """

    start_min: float
    end_min: float
    duration_min: float | None = None

    def __post_init__(self) -> None:
        _nonneg(self.start_min, "A break's start_min")
        _nonneg(self.end_min, "A break's end_min")
        if self.end_min < self.start_min:
            raise ProblemError(f"A break ends at minute {self.end_min}, before it starts at {self.start_min}.")
        if self.duration_min is None:
            object.__setattr__(self, "duration_min", self.end_min - self.start_min)
        _nonneg(self.duration_min, "A break's duration_min")
        if self.duration_min > self.end_min - self.start_min + 1e-9:
            raise ProblemError(
                f"A break of {self.duration_min} minutes does not fit between minute {self.start_min} "
                f"and minute {self.end_min}."
            )

    @property
    def duration(self) -> float:
        """Duration in minutes (never None after construction)."""
        return float(self.duration_min or 0.0)


@dataclass(frozen=True, slots=True)
class Site:
    """A desa to visit: its prize (priority) is collected when the bupati stays ``service_min`` minutes there.

    ``extra_travel_min`` is added to every trip into and every trip out of the site (river crossing, 4x4 track);
    ``closed_months`` (1-12) are months in which the site cannot be visited (rainy season).
    """

    id: str
    location: int
    prize: float
    service_min: float = 0.0
    mandatory: bool = False
    windows: tuple[Window, ...] = ()
    group: str | None = None
    extra_travel_min: float = 0.0
    closed_months: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if not str(self.id):
            raise ProblemError("Every site needs a non-empty id.")
        _finite(self.prize, f"The prize of site {self.id!r}")
        if self.prize < 0:
            raise ProblemError(f"Site {self.id!r} has a negative prize ({self.prize}); prizes must be >= 0.")
        _nonneg(self.service_min, f"The service time of site {self.id!r}")
        _nonneg(self.extra_travel_min, f"The extra travel minutes of site {self.id!r}")
        object.__setattr__(self, "windows", tuple(self.windows))
        object.__setattr__(self, "closed_months", frozenset(self.closed_months))
        days = [w.day for w in self.windows]
        if len(days) != len(set(days)):
            raise ProblemError(f"Site {self.id!r} has more than one window on the same day; give one per day.")
        for w in self.windows:
            if w.end_min - w.start_min < self.service_min:
                raise ProblemError(
                    f"Site {self.id!r} has a window on day {w.day} of {w.end_min - w.start_min} minutes, "
                    f"shorter than its service time of {self.service_min} minutes."
                )
        for m in self.closed_months:
            if not (isinstance(m, int) and 1 <= m <= 12):
                raise ProblemError(f"Site {self.id!r} has closed month {m!r}; months are numbered 1 to 12.")


@dataclass(frozen=True, slots=True)
class Day:
    """One working day (one 'vehicle'): leaves ``start_location`` no earlier than ``start_min`` and reaches
    ``end_location`` by ``end_min``. ``date`` (ISO) is only needed for closed months."""

    id: str
    start_location: int
    end_location: int
    start_min: float
    end_min: float
    max_visits: int | None = None
    breaks: tuple[Break, ...] = ()
    date: str | None = None

    def __post_init__(self) -> None:
        if not str(self.id):
            raise ProblemError("Every day needs a non-empty id.")
        _nonneg(self.start_min, f"The start_min of day {self.id!r}")
        _nonneg(self.end_min, f"The end_min of day {self.id!r}")
        if self.end_min < self.start_min:
            raise ProblemError(
                f"Day {self.id!r} ends at minute {self.end_min}, before it starts at minute {self.start_min}."
            )
        if self.max_visits is not None and (
            isinstance(self.max_visits, bool) or not isinstance(self.max_visits, int) or self.max_visits < 0
        ):
            raise ProblemError(f"Day {self.id!r} has max_visits {self.max_visits!r}; give a whole number >= 0.")
        object.__setattr__(self, "breaks", tuple(self.breaks))
        for b in self.breaks:
            if b.start_min < self.start_min or b.end_min > self.end_min:
                raise ProblemError(
                    f"Day {self.id!r} has a break from minute {b.start_min} to {b.end_min}, outside its hours "
                    f"({self.start_min} to {self.end_min})."
                )
        if self.date is not None:
            try:
                _dt.date.fromisoformat(self.date)
            except (TypeError, ValueError):
                raise ProblemError(f"Day {self.id!r} has date {self.date!r}; use the ISO form YYYY-MM-DD.") from None

    @property
    def month(self) -> int | None:
        """Calendar month of the day, or None when no date is given."""
        return None if self.date is None else _dt.date.fromisoformat(self.date).month


@dataclass(frozen=True, slots=True)
class Lock:
    """Pins ``site`` (id) to ``day`` (id), optionally at a 1-based ``position`` in that day."""

    site: str
    day: str
    position: int | None = None

    def __post_init__(self) -> None:
        if self.position is not None and (
            isinstance(self.position, bool) or not isinstance(self.position, int) or self.position < 1
        ):
            raise ProblemError(
                f"The lock of site {self.site!r} has position {self.position!r}; positions start at 1."
            )


@dataclass(frozen=True, slots=True)
class PreviousPlan:
    """The plan being revised: site id -> day id, in visit order within each day.

    The trade-off between a better plan and the promises already made is explicit, in prize units: each visit
    moved to another day costs ``penalty``; each visit dropped costs ``cancel_penalty`` (default 1.5 times
    ``penalty``) on top of its prize. A re-plan therefore moves or cancels an announced visit only when the
    gain elsewhere is larger.
    """

    assignments: tuple[tuple[str, str], ...]
    penalty: float = 1.0
    cancel_penalty: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "assignments", tuple((str(s), str(d)) for s, d in self.assignments))
        _nonneg(self.penalty, "The stability penalty of the previous plan")
        if self.cancel_penalty is None:
            object.__setattr__(self, "cancel_penalty", 1.5 * self.penalty)
        _nonneg(self.cancel_penalty, "The cancellation penalty of the previous plan")
        sites = [s for s, _ in self.assignments]
        if len(sites) != len(set(sites)):
            dup = next(s for s in sites if sites.count(s) > 1)
            raise ProblemError(f"The previous plan visits site {dup!r} more than once.")

    def as_dict(self) -> dict[str, str]:
        """Site id -> day id."""
        return dict(self.assignments)


@dataclass(frozen=True, slots=True)
class Problem:
    """A complete planning problem with its travel-time matrix (minutes between locations, float).

    Build the matrix with a ``TravelTimeProvider`` (see ``optimizer.travel``); the solver only reads it.

    ``day_discount`` makes earlier days worth more: a site visited on the k-th day (0-based, in ``days`` order)
    counts ``prize × (1 − day_discount × k)`` in the objective, so over a long horizon the most valuable sites come
    first while routes stay efficient. The reported ``total_prize`` stays the plain sum of prizes.
    """

    locations: tuple[Location, ...]
    travel_min: tuple[tuple[float, ...], ...]
    sites: tuple[Site, ...]
    days: tuple[Day, ...]
    locks: tuple[Lock, ...] = ()
    previous: PreviousPlan | None = None
    name: str = "problem"
    day_discount: float = 0.0

    def __post_init__(self) -> None:
        _nonneg(self.day_discount, "day_discount")
        if self.day_discount * max(len(self.days) - 1, 0) >= 1.0:
            raise ProblemError(f"day_discount {self.day_discount} leaves the last of {len(self.days)} days worth "
                               "nothing; it must be below 1 / (number of days - 1).")
        for attr in ("locations", "sites", "days", "locks"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        object.__setattr__(self, "travel_min", tuple(tuple(float(x) for x in row) for row in self.travel_min))
        n = len(self.locations)
        if n == 0:
            raise ProblemError(f"Problem {self.name!r} has no locations.")
        if len({loc.id for loc in self.locations}) != n:
            raise ProblemError(f"Problem {self.name!r} has two locations with the same id.")
        if len(self.travel_min) != n or any(len(row) != n for row in self.travel_min):
            raise ProblemError(
                f"The travel matrix of problem {self.name!r} must be {n} x {n} (one row and column per location)."
            )
        for i, row in enumerate(self.travel_min):
            for j, t in enumerate(row):
                if not math.isfinite(t) or t < 0:
                    raise ProblemError(
                        f"The travel time from location {self.locations[i].id!r} to {self.locations[j].id!r} "
                        f"is {t}; it must be a finite number >= 0."
                    )
        if not self.days:
            raise ProblemError(f"Problem {self.name!r} has no days to plan.")
        ids = [s.id for s in self.sites]
        if len(ids) != len(set(ids)):
            dup = next(s for s in ids if ids.count(s) > 1)
            raise ProblemError(f"Site id {dup!r} appears more than once.")
        day_ids = [d.id for d in self.days]
        if len(day_ids) != len(set(day_ids)):
            dup = next(d for d in day_ids if day_ids.count(d) > 1)
            raise ProblemError(f"Day id {dup!r} appears more than once.")
        for s in self.sites:
            if not (isinstance(s.location, int) and 0 <= s.location < n):
                raise ProblemError(f"Site {s.id!r} points at location {s.location!r}, but there are {n} locations.")
            for w in s.windows:
                if not (isinstance(w.day, int) and 0 <= w.day < len(self.days)):
                    raise ProblemError(
                        f"Site {s.id!r} has a window on day index {w.day!r}, but there are {len(self.days)} days."
                    )
        for d in self.days:
            for where in (d.start_location, d.end_location):
                if not (isinstance(where, int) and 0 <= where < n):
                    raise ProblemError(f"Day {d.id!r} points at location {where!r}, but there are {n} locations.")
        site_set, day_set = set(ids), set(day_ids)
        locked: set[str] = set()
        for lock in self.locks:
            if lock.site not in site_set:
                raise ProblemError(f"A lock names site {lock.site!r}, which is not in the problem.")
            if lock.day not in day_set:
                raise ProblemError(
                    f"The lock of site {lock.site!r} names day {lock.day!r}, which is not in the problem."
                )
            if lock.site in locked:
                raise ProblemError(f"Site {lock.site!r} is locked more than once.")
            locked.add(lock.site)
        if self.previous is not None:
            for s, d in self.previous.assignments:
                if s not in site_set:
                    raise ProblemError(f"The previous plan names site {s!r}, which is not in the problem.")
                if d not in day_set:
                    raise ProblemError(f"The previous plan puts site {s!r} on day {d!r}, which is not in the problem.")

    def site_index(self) -> dict[str, int]:
        """Site id -> position in ``sites``."""
        return {s.id: i for i, s in enumerate(self.sites)}

    def day_index(self) -> dict[str, int]:
        """Day id -> position in ``days``."""
        return {d.id: i for i, d in enumerate(self.days)}

    def travel(self, a: int, b: int) -> float:
        """Travel minutes between two locations."""
        return self.travel_min[a][b]


@dataclass(frozen=True, slots=True)
class Visit:
    """One stop of a route: arrival, start and end of service, in minutes after midnight."""

    site: str
    arrive_min: float
    start_min: float
    end_min: float


@dataclass(frozen=True, slots=True)
class Route:
    """The visits of one day in order; ``depart_min``/``return_min`` are at the day's start and end places.

    ``usable`` is False for a day whose trip from its start to its end place alone does not fit its hours: it gets
    no route at all (not even start -> end), and the day's ``reason`` is ``"no_time"``.
    """

    day: str
    visits: tuple[Visit, ...] = ()
    depart_min: float = 0.0
    return_min: float = 0.0
    travel_min: float = 0.0
    usable: bool = True

    @property
    def reason(self) -> str | None:
        """Why the day has no route (``"no_time"``), or None."""
        return None if self.usable else "no_time"


@dataclass(frozen=True, slots=True)
class Unvisited:
    """A site left out of the plan and why (one of ``REASONS``).

    For ``displaced`` sites, ``day``/``position``/``added_min`` give the cheapest insertion into the plan
    (extra travel + service minutes it would need there); ``detail`` is a sentence for people.
    """

    site: str
    reason: str
    mandatory: bool = False
    detail: str = ""
    day: str | None = None
    position: int | None = None
    added_min: float | None = None

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ProblemError(f"Unvisited site {self.site!r} has reason {self.reason!r}; expected one of {REASONS}.")


@dataclass(frozen=True, slots=True)
class Solution:
    """A plan: one route per day (possibly empty), the unvisited sites with reasons, and totals."""

    routes: tuple[Route, ...]
    unvisited: tuple[Unvisited, ...] = ()
    total_prize: float = 0.0
    total_travel_min: float = 0.0
    seconds: float = 0.0
    moved_visits: int = 0  # visits of the previous plan now on another day
    cancelled_visits: int = 0  # visits of the previous plan no longer in the plan
    stats: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    @property
    def unplaced_mandatory(self) -> tuple[Unvisited, ...]:
        """Mandatory sites the plan could not place (empty when all are in the plan)."""
        return tuple(u for u in self.unvisited if u.mandatory)

    def visited_sites(self) -> list[str]:
        """Site ids in plan order."""
        return [v.site for r in self.routes for v in r.visits]
