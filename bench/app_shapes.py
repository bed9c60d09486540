"""App-shaped Banyuwangi problems: our solver on what the app really sends, against a relaxation as reference.

    .venv/bin/python bench/app_shapes.py --time-limit 10 [--scenario NAME ...] [--seed 0] [--workers 2] [--no-pyvrp]

``bench/banyuwangi.py`` compares solvers on plain problems that every solver can take. The app sends more:
Friday prayer breaks, dated days, a previous plan to stay close to, locked visits. PyVRP cannot take those, so
each problem here is compared with its **relaxation**, solved by our optimizer and by PyVRP 0.14 (best of
``--workers`` seeds in parallel, as banyuwangi.py does) with the same time limit. The reference is the best
relaxed prize; the table gives our prize on the real problem as a share of it.

Problems are built as ``app/planning/translate.py:build_problem`` builds them with the default
``PlanningSettings`` (app/planning/models.py) in "kunjungan" mode: 217 desa of ``../shared/data/banyuwangi``,
days 07:30-16:00 from and to the Pendopo, at most 4 visits a day, 90 minutes a visit, Friday prayer
``Break(11:30, 13:00)`` on Fridays, haversine travel with the provider's defaults (×1.35, 40 km/h, +10 min),
day ids and dates in ISO form, group = kecamatan code, previous-plan penalty 5 (``STABILITY_PENALTY``), locks
without position, no ``DesaPlanning`` overrides (no extra travel minutes, no closed months).
Prizes are the DEMO prizes of banyuwangi.py (seeded integers 1-10, no public poverty data); national
holidays are ignored (the working days are Mon-Fri from Monday 2027-02-01).

Scenarios
- ``month_friday``: 22 working days, Friday prayer breaks.
- ``month_lunch``: the same, plus a flexible lunch ``Break(12:00, 13:30, duration 60)`` on every other day.
- ``quarter_windows``: 60 working days, the mandatory desa and market-day windows of banyuwangi.py's ``quarter``,
  Friday prayer breaks.
- ``replan_urgent``: ``month_friday``'s plan (ours, same seed) becomes the previous plan; 5 desa it left out become
  urgent (prize = 3 × the highest prize); solved again.
- ``replan_unchanged``: the same previous plan, nothing changed: solved again (ideally nothing moves).
- ``locked10``: ``month_friday`` with 10 visits of its plan locked to their day and order, as "Optimasi ulang"
  does (the locked visits open their day in their order).

Relaxation: each break is folded into a shorter day (the day ends ``duration`` minutes earlier: 90 minutes on
Fridays, 60 on lunch days), the previous plan and the locks are dropped; mandatory desa and windows stay. Any
plan of the real problem, with its break removed and the rest of the day pulled forward, fits the relaxed day
(exactly so without windows; with the 09:00-12:00 market windows a visit after a Friday break cannot be in its
window anyway), and dropping locks and the stability penalty only frees the search. So the relaxed optimum is an
upper bound of the real prize; the reference is only "upper-bound-ish" because both solvers are heuristics.
``month_friday``, ``replan_unchanged`` and ``locked10`` have the same relaxation: it is solved once and shared.

That relaxation is loose for a flexible lunch: a 90-minute visit may not straddle the lunch, so a day 07:30-16:00
with a lunch of 60 min within 12:00-13:30 holds 2 visits before it and 1 after, never 4. The **tight relaxation**
(``relax(tight=True)``) also caps each day with one break at the count ``break_cap`` proves (see its docstring;
tests/optimizer/test_bench_relaxation.py checks it against every route of small days), so it is still a
relaxation. ``count_bound`` is a proven upper bound: the largest prizes, as many as those caps allow.
``--exact-s S`` adds the **best known plan of the exact model**: ours given S seconds and OR-Tools guided local
search on the same integer model with its native break intervals (``SetBreakIntervalsOfVehicle``) for S seconds.

Every plan (real and relaxed, ours and PyVRP's) is re-checked by ``check_solution`` against the problem it
answers; the "infeasible" column counts plans the checker rejects (or PyVRP routes our timing cannot time).
Moved = previous desa planned on another day, cancelled = previous desa not in the new plan, both computed here
from the previous assignments and the new routes (the solver's ``moved_visits`` counts both).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from _common import DESA_CSV  # noqa: F401  (puts the repository on sys.path before `optimizer` is imported)
from banyuwangi import _desa, run_pyvrp, scenario

from optimizer import (
    Break,
    Day,
    Lock,
    PreviousPlan,
    Problem,
    Solution,
    SolveParams,
    check_solution,
    solve,
)

# --- The app's choices (app/planning/translate.py:build_problem with PlanningSettings defaults) -------------------
DAY_START_MIN = 7 * 60 + 30  # PlanningSettings.day_start_min
DAY_END_MIN = 16 * 60  # PlanningSettings.day_end_min
FRIDAY_BREAK = (11 * 60 + 30, 13 * 60)  # friday_break_start_min/end_min, a fixed Break on weekday() == 4
SERVICE_MIN = 90  # PlanningSettings.kunjungan_min ("kunjungan" mode; berkantor is 300 min, 1 visit)
MAX_VISITS = 4  # PlanningSettings.kunjungan_max_visits
STABILITY_PENALTY = 5.0  # translate.STABILITY_PENALTY: PreviousPlan(assignments, penalty=5.0)
LUNCH_BREAK = Break(12 * 60, 13 * 60 + 30, duration_min=60)  # not in the app (yet): a flexible lunch hour
FIRST_DAY = dt.date(2027, 2, 1)  # a Monday, so weekday() == 4 days are real Fridays

N_URGENT = 5
N_LOCKED = 10
SCENARIOS = ("month_friday", "month_lunch", "quarter_windows", "replan_urgent", "replan_unchanged", "locked10")


def working_days(n: int, first: dt.date = FIRST_DAY) -> list[dt.date]:
    """The first ``n`` Mon-Fri dates from ``first`` (the app also drops holidays; the benchmark does not)."""
    out, d = [], first
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def app_days(n: int, *, lunch: bool = False) -> tuple[Day, ...]:
    """Days as translate.py builds them: ISO id and date, Pendopo both ends, app hours and cap, Friday prayer."""
    days = []
    for day in working_days(n):
        if day.weekday() == 4:
            breaks: tuple[Break, ...] = (Break(*FRIDAY_BREAK),)
        else:
            breaks = (LUNCH_BREAK,) if lunch else ()
        days.append(Day(id=day.isoformat(), start_location=0, end_location=0, start_min=DAY_START_MIN,
                        end_min=DAY_END_MIN, max_visits=MAX_VISITS, breaks=breaks, date=day.isoformat()))
    return tuple(days)


def base_problem(kind: str, seed: int = 0, service_min: float = SERVICE_MIN) -> Problem:
    """``month_friday``, ``month_lunch`` or ``quarter_windows``: banyuwangi.py's locations, travel and demo prizes
    (and the quarter's mandatory desa and windows), with the app's service time, group, days and breaks."""
    base = scenario("quarter" if kind == "quarter_windows" else "month_75min", seed)
    kecamatan = [r["kecamatan_code"] for r in _desa()]
    sites = tuple(dataclasses.replace(s, service_min=float(service_min), group=kecamatan[i])
                  for i, s in enumerate(base.sites))
    n_days = 60 if kind == "quarter_windows" else 22
    days = app_days(n_days, lunch=kind == "month_lunch")
    return Problem(base.locations, base.travel_min, sites, days, name=kind)


def previous_of(solution: Solution, penalty: float = STABILITY_PENALTY) -> PreviousPlan:
    """The plan as the app passes it on re-planning: site -> day of every visit, with the app's penalty."""
    return PreviousPlan(assignments=tuple((v.site, r.day) for r in solution.routes for v in r.visits),
                        penalty=penalty)


def make_urgent(problem: Problem, solution: Solution, seed: int, n: int = N_URGENT) -> tuple[Problem, list[str]]:
    """``n`` desa the plan left out become urgent: prize = 3 × the highest prize (a seeded pick)."""
    visited = set(solution.visited_sites())
    left_out = sorted(s.id for s in problem.sites if s.id not in visited)
    urgent = sorted(random.Random(2000 + seed).sample(left_out, min(n, len(left_out))))
    top = 3 * max(s.prize for s in problem.sites)
    sites = tuple(dataclasses.replace(s, prize=top) if s.id in urgent else s for s in problem.sites)
    return dataclasses.replace(problem, sites=sites), urgent


def lock_some(solution: Solution, seed: int, n: int = N_LOCKED) -> tuple[Lock, ...]:
    """``n`` visits of the plan locked to their day and order, as "Optimasi ulang" does (a seeded pick): the locked
    visits of a day open it in the order they had (positions 1, 2, …; ``services._base_locks``)."""
    visits = [(v.site, r.day) for r in solution.routes for v in r.visits]
    picked = set(random.Random(3000 + seed).sample(visits, min(n, len(visits))))
    locks, rank = [], {}
    for site, day in visits:  # route order
        if (site, day) in picked:
            rank[day] = rank.get(day, 0) + 1
            locks.append(Lock(site=site, day=day, position=rank[day]))
    return tuple(locks)


def relax(problem: Problem, *, tight: bool = False) -> Problem:
    """Fold every break into a shorter day and drop the previous plan and the locks (see module docstring);
    with ``tight``, a day with one break also gets the visit cap ``break_cap`` proves."""
    days = tuple(dataclasses.replace(d, end_min=d.end_min - sum(b.duration for b in d.breaks), breaks=(),
                                     max_visits=break_cap(problem, k) if tight else d.max_visits)
                 for k, d in enumerate(problem.days))
    return dataclasses.replace(problem, days=days, locks=(), previous=None,
                               name="relaxed_tight" if tight else "relaxed")


def break_cap(problem: Problem, k: int) -> int | None:
    """A visit cap that every plan of day ``k`` obeys when the day has exactly one break (else its own cap).

    Proof. Let the break ``(lo, hi, dur)`` start at ``b``: ``lo <= b <= L = hi - dur``. No service overlaps
    ``[b, b + dur]``, so each service ends by ``b <= L`` (a *morning* visit) or starts at ``b + dur >= E = lo + dur``
    or later (an *afternoon* visit). Let ``s`` be the shortest service of any site, ``t_in`` / ``t_out`` the
    shortest trip from the day's start place to any site / from any site to its end place, ``t_site`` the shortest
    trip between two different sites (all with extra travel minutes). ``n`` morning visits need
    ``start + t_in + n·s + (n-1)·t_site <= L`` (the first service starts after a trip from the start place, two
    consecutive services are a trip apart, the last ends by ``L``); ``n`` afternoon visits need
    ``E + n·s + (n-1)·t_site + t_out <= end``. The largest such morning and afternoon counts add up to the cap.
    Windows, caps and the cheaper pulling-forward of ``relax`` do not touch this count, so ``relax(tight=True)``
    is still a relaxation: every plan of the real problem, break removed, fits it.
    With the app's shapes (07:30-16:00, 90-minute visits, trips >= 10.56 min) both the Friday prayer
    (11:30-13:00) and a lunch of 60 min within 12:00-13:30 allow 2 + 1 = 3 visits instead of the cap 4.
    """
    d = problem.days[k]
    if len(d.breaks) != 1 or not problem.sites:
        return d.max_visits
    b = d.breaks[0]
    last_start, first_end = b.end_min - b.duration, b.start_min + b.duration
    sites = problem.sites
    svc = min(s.service_min for s in sites)

    def arc(a_loc: int, a_extra: float, b_loc: int, b_extra: float) -> float:
        return problem.travel_min[a_loc][b_loc] + a_extra + b_extra

    t_in = min(arc(d.start_location, 0.0, s.location, s.extra_travel_min) for s in sites)
    t_out = min(arc(s.location, s.extra_travel_min, d.end_location, 0.0) for s in sites)
    t_site = min((arc(a.location, a.extra_travel_min, c.location, c.extra_travel_min)
                  for i, a in enumerate(sites) for j, c in enumerate(sites) if i != j), default=0.0)

    def most(begin: float, end: float, lead: float, tail: float) -> int:
        n = 0
        while begin + lead + (n + 1) * svc + n * t_site + tail <= end + 1e-9 and n < len(sites):
            n += 1
        return n

    cap = most(d.start_min, last_start, t_in, 0.0) + most(first_end, d.end_min, 0.0, t_out)
    return cap if d.max_visits is None else min(cap, d.max_visits)


def moved_cancelled(previous: PreviousPlan | None, solution: Solution) -> tuple[int, int]:
    """(moved, cancelled) visits of the previous plan, from the new routes alone."""
    if previous is None:
        return 0, 0
    new_day = {v.site: r.day for r in solution.routes for v in r.visits}
    prev = previous.as_dict()
    moved = sum(1 for s, d in prev.items() if s in new_day and new_day[s] != d)
    cancelled = sum(1 for s in prev if s not in new_day)
    return moved, cancelled


@dataclass
class Checked:
    """A plan with its verdict: checker violations, untimeable PyVRP days, mandatory desa missing."""

    label: str
    solution: Solution | None
    status: str
    violations: int = 0
    untimeable: int = 0
    missing_mandatory: int = 0

    @property
    def feasible(self) -> bool:
        return self.solution is not None and not self.violations and not self.untimeable

    @property
    def usable(self) -> bool:
        """Fit to be the reference: checked feasible and every mandatory desa placed."""
        return self.feasible and not self.missing_mandatory


def judge(label: str, problem: Problem, solution: Solution | None, status: str = "ok") -> Checked:
    """Check ``solution`` against ``problem`` with the independent checker."""
    if solution is None:
        return Checked(label, None, status)
    violations = check_solution(problem, solution)
    for v in violations[:3]:
        print(f"    ! {label}: {v.kind}: {v.message}", flush=True)
    placed = set(solution.visited_sites())
    missing = sum(1 for s in problem.sites if s.mandatory and s.id not in placed)
    return Checked(label, solution, status, len(violations), int(solution.stats.get("untimeable_days", 0)), missing)


def _pyvrp_job(problem: Problem, time_limit: float, seed: int) -> tuple[Solution | None, str]:
    return run_pyvrp(problem, time_limit, seed)


def pyvrp_best(problem: Problem, time_limit: float, seed: int, workers: int) -> tuple[Checked, list[Checked]]:
    """PyVRP 0.14 via banyuwangi.run_pyvrp, ``workers`` seeds at once (one per core), best usable plan kept;
    every seed's plan is returned too, so that all of them are counted as checked."""
    t0 = time.monotonic()
    seeds = [seed * 1000 + k for k in range(workers)]
    if workers == 1:
        outs = [run_pyvrp(problem, time_limit, seeds[0])]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            outs = list(pool.map(_pyvrp_job, [problem] * workers, [time_limit] * workers, seeds))
    judged = [judge(f"pyvrp seed {s}", problem, sol, status) for s, (sol, status) in zip(seeds, outs, strict=True)]
    ok = [c for c in judged if c.usable] or [c for c in judged if c.feasible] or judged
    best = max(ok, key=lambda c: (c.solution.total_prize, -c.solution.total_travel_min) if c.solution else (-1, 0))
    best = dataclasses.replace(best, label="pyvrp",
                               status=f"best of {workers} seed(s) in {time.monotonic() - t0:.1f}s: {best.status}")
    return best, judged


@dataclass
class Row:
    """One scenario's results, for the table."""

    name: str
    problem: Problem
    ours: Checked
    relaxed: list[Checked] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)  # every plan judged for this row (all PyVRP seeds)
    moved: tuple[int, int] | None = None
    note: str = ""
    tight: list[Checked] = field(default_factory=list)  # the tight relaxation (``relax(tight=True)``)
    exact: list[Checked] = field(default_factory=list)  # longer runs on the real problem (``--exact-s``)

    def reference(self, which: str = "relaxed") -> Checked | None:
        """The best usable plan of the relaxation (``relaxed``/``tight``) or of the longer real runs (``exact``;
        our 10-s plan counts there too: the best known plan of the real problem)."""
        pool = {"relaxed": self.relaxed, "tight": self.tight, "exact": [*self.exact, self.ours]}[which]
        usable = [c for c in pool if c.usable]
        return max(usable, key=lambda c: c.solution.total_prize) if usable else None


class Runner:
    """Builds and solves the scenarios, sharing the month plan and identical relaxations between rows."""

    def __init__(self, time_limit: float, seed: int, workers: int, use_pyvrp: bool, service_min: float,
                 exact_s: float = 0.0) -> None:
        self.time_limit, self.seed, self.workers = time_limit, seed, workers
        self.use_pyvrp, self.service_min, self.exact_s = use_pyvrp, service_min, exact_s
        self._month: tuple[Problem, Solution] | None = None
        self._relaxed: dict[Problem, tuple[list[Checked], list[Checked]]] = {}

    def params(self) -> SolveParams:
        return SolveParams(time_limit_s=self.time_limit, seed=self.seed, workers=self.workers)

    def month_plan(self) -> tuple[Problem, Solution]:
        """``month_friday`` and our plan for it (solved once, reused as previous plan and for the locks)."""
        if self._month is None:
            p = base_problem("month_friday", self.seed, self.service_min)
            self._month = (p, solve(p, self.params()))
        return self._month

    def relaxed(self, problem: Problem, tight: bool = False) -> tuple[list[Checked], list[Checked]]:
        """Ours and PyVRP on the relaxation, and every plan checked on the way (cached: rows share relaxations)."""
        r = relax(problem, tight=tight)
        if r not in self._relaxed:
            ours = judge("ours", r, solve(r, self.params()))
            best, every = [ours], [ours]
            if self.use_pyvrp:
                vrp, seeds = pyvrp_best(r, self.time_limit, self.seed, self.workers)
                best.append(vrp)
                every.extend(seeds)
            self._relaxed[r] = (best, every)
        return self._relaxed[r]

    def exact(self, problem: Problem) -> list[Checked]:
        """The real problem given ``exact_s`` seconds: ours, and OR-Tools guided local search on the same integer
        model, where breaks are OR-Tools' own break intervals (``SetBreakIntervalsOfVehicle``): a search that
        shares nothing with ours but the model, as an independent reference on the exact break rules."""
        ours = judge(f"ours {self.exact_s:g}s", problem,
                     solve(problem, SolveParams(time_limit_s=self.exact_s, seed=self.seed, workers=self.workers)))
        sol, status = run_ortools_gls(problem, self.exact_s)
        return [ours, judge(f"OR-Tools GLS {self.exact_s:g}s", problem, sol, status)]

    def run(self, name: str) -> Row:
        """Solve one scenario and its relaxation; every plan is checked."""
        note = ""
        if name in ("month_friday", "month_lunch", "quarter_windows"):
            if name == "month_friday":
                problem, sol = self.month_plan()
            else:
                problem = base_problem(name, self.seed, self.service_min)
                sol = solve(problem, self.params())
        else:
            month, plan = self.month_plan()
            if name == "replan_urgent":
                problem, urgent = make_urgent(month, plan, self.seed)
                problem = dataclasses.replace(problem, previous=previous_of(plan), name=name)
            elif name == "replan_unchanged":
                problem = dataclasses.replace(month, previous=previous_of(plan), name=name)
            else:
                problem = dataclasses.replace(month, locks=lock_some(plan, self.seed), name=name)
            sol = solve(problem, self.params())
            if name == "replan_urgent":
                placed = set(sol.visited_sites())
                note = f"urgent placed {sum(u in placed for u in urgent)}/{len(urgent)}"
        real = judge("ours", problem, sol)
        relaxed, every = self.relaxed(problem)
        row = Row(name, problem, real, relaxed, [real, *every])
        if relax(problem, tight=True) != relax(problem):
            row.tight, every = self.relaxed(problem, tight=True)
            row.checked.extend(every)
        else:
            row.tight = relaxed
        if self.exact_s > 0:
            row.exact = self.exact(problem)
            row.checked.extend(row.exact)
        if problem.previous is not None:
            row.moved = moved_cancelled(problem.previous, sol)
            note = ", ".join(x for x in (note, f"prev {len(problem.previous.assignments)} visits") if x)
        row.note = note
        return row


def run_ortools_gls(problem: Problem, time_limit: float) -> tuple[Solution | None, str]:
    """OR-Tools alone on our integer model (parallel cheapest insertion + guided local search, native break
    intervals, mandatory and locked desa as large penalties), timed by our float schedule."""
    from banyuwangi import _plan_from_routes

    from optimizer import _ortools
    from optimizer._intmodel import Search
    from optimizer.solver import _build, _prefilter, _routes_from

    t0 = time.monotonic()
    params = SolveParams(time_limit_s=time_limit)
    built = _build(problem, _prefilter(problem, params.scale), params, 0)
    if built is None:
        return None, "no usable day"
    res = _ortools.solve_int(built.model, Search(time_limit_s=time_limit, operators={
        "use_relocate_and_make_active": True, "use_extended_swap_active": True,
        "use_exchange_and_make_active": True}))
    if res.status == "none":
        return None, "no plan found"
    return _plan_from_routes(problem, _routes_from(built, res.routes), time.monotonic() - t0), \
        f"{res.solutions} solutions"


def _fmt(c: Checked | None) -> str:
    return "-" if c is None or c.solution is None else f"{c.solution.total_prize:.0f}"


_STATS = ("workers", "restarts", "solutions", "lns_iterations", "pool_routes", "clock_stops")


def detail(row: Row) -> str:
    """A line per scenario with what does not fit in the table (stats, solver's own counters, statuses)."""
    s = row.ours.solution
    assert s is not None
    parts = [f"{row.name}: {len(row.problem.days)} days, {sum(x.mandatory for x in row.problem.sites)} mandatory, "
             f"{len(row.problem.locks)} locks; ours prize {s.total_prize:.0f} travel {s.total_travel_min:.0f} min "
             f"visits {len(s.visited_sites())} in {s.seconds:.1f}s, search={s.stats.get('search')!r} "
             + " ".join(f"{k}={s.stats.get(k, '-'):.0f}" if isinstance(s.stats.get(k), float) else
                        f"{k}={s.stats.get(k, '-')}" for k in _STATS)]
    if row.problem.previous is not None:
        parts.append(f"moved_visits={s.moved_visits} cancelled_visits={getattr(s, 'cancelled_visits', None)!r}")
    for kind, plans in (("relaxed", row.relaxed), ("tight relaxed", row.tight if row.tight is not row.relaxed
                                                     else []), ("real", row.exact)):
        for c in plans:
            lns = (f", lns_iterations {c.solution.stats.get('lns_iterations')}"
                   if c.label.startswith("ours") and c.solution else "")
            parts.append(f"{kind} {c.label}: {_fmt(c)} ({c.status}, violations {c.violations}, "
                         f"untimeable {c.untimeable}, mandatory missing {c.missing_mandatory}{lns})")
    parts.append(f"count bound {count_bound(row.problem):.0f} (the best prizes, as many as the tight caps allow)")
    return "\n    ".join(parts)


def count_bound(problem: Problem) -> float:
    """A proven upper bound of any plan's prize: the largest prizes, as many as the days' proven caps
    (``break_cap``; a day without a cap counts every site) allow in all."""
    caps = [break_cap(problem, k) for k in range(len(problem.days))]
    n = len(problem.sites) if any(c is None for c in caps) else sum(c for c in caps if c is not None)
    return sum(sorted((s.prize for s in problem.sites), reverse=True)[:n])


def _share(ours: Solution, ref: Checked | None) -> str:
    if ref is None or ref.solution is None or not ref.solution.total_prize:
        return "-"
    return f"{100 * ours.total_prize / ref.solution.total_prize:.1f} %"


def table(rows: Sequence[Row], use_pyvrp: bool) -> list[str]:
    """The Markdown table for docs/BENCHMARKS.md."""
    out = ["| scenario | days | ours (real) | relaxed ours | relaxed PyVRP | reference | share | tight relaxed "
           "ours / PyVRP | share of tight | best known real | share of best known | count bound "
           "| infeasible plans | moved / cancelled | search | notes |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"]
    for r in rows:
        ours = r.ours.solution
        assert ours is not None
        ref = r.reference()
        rel_ours = next((c for c in r.relaxed if c.label == "ours"), None)
        rel_vrp = next((c for c in r.relaxed if c.label == "pyvrp"), None)
        share = f"{100 * ours.total_prize / ref.solution.total_prize:.1f} %" if ref and ref.solution.total_prize \
            else "-"
        ref_txt = f"{_fmt(ref)} ({ref.label})" if ref else "-"
        bad = sum(1 for c in r.checked if c.solution is not None and not c.feasible)
        checked = sum(1 for c in r.checked if c.solution is not None)
        notes = [r.note] if r.note else []
        if r.ours.missing_mandatory:
            notes.append(f"{r.ours.missing_mandatory} mandatory unplaced")
        mc = f"{r.moved[0]} / {r.moved[1]}" if r.moved is not None else "-"
        tight = " / ".join(_fmt(next((c for c in r.tight if c.label == lb), None)) for lb in ("ours", "pyvrp"))
        exact = r.reference("exact") if r.exact else None
        exact_txt = f"{_fmt(exact)} ({exact.label})" if exact else "-"
        out.append(f"| {r.name} | {len(r.problem.days)} | {ours.total_prize:.0f} | {_fmt(rel_ours)} | "
                   f"{_fmt(rel_vrp) if use_pyvrp else 'n/a'} | {ref_txt} | {share} | {tight} | "
                   f"{_share(ours, r.reference('tight'))} | {exact_txt} | {_share(ours, exact)} | "
                   f"{count_bound(r.problem):.0f} | {bad} of {checked} | {mc} | "
                   f"{ours.stats.get('search', '-')} | {'; '.join(notes)} |")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scenario", choices=SCENARIOS, action="append")
    ap.add_argument("--workers", type=int, default=2, help="cores for our solver and PyVRP seeds run in parallel")
    ap.add_argument("--no-pyvrp", action="store_true", help="reference from our relaxed plan only")
    ap.add_argument("--service-min", type=float, default=SERVICE_MIN,
                    help="minutes per visit (default: the app's kunjungan default)")
    ap.add_argument("--exact-s", type=float, default=0.0,
                    help="also solve the real problem for this many seconds by ours and by OR-Tools GLS with "
                         "native break intervals: the best known plan of the exact model")
    args = ap.parse_args(argv)
    runner = Runner(args.time_limit, args.seed, args.workers, not args.no_pyvrp, args.service_min, args.exact_s)
    rows = []
    for name in args.scenario or SCENARIOS:
        row = runner.run(name)
        print(detail(row), flush=True)
        rows.append(row)
    try:
        ncpu = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        ncpu = os.cpu_count() or 0
    cmd = " ".join([".venv/bin/python", "bench/app_shapes.py", *(argv if argv is not None else sys.argv[1:])])
    print()
    print(f"`{cmd}` — nproc {ncpu} ({platform.machine()}), {dt.date.today().isoformat()}, "
          f"{args.service_min:g}-min visits, {args.workers} worker(s)")
    print()
    print("\n".join(table(rows, not args.no_pyvrp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
