"""Ruin-and-recreate large-neighbourhood search on the integer model (numpy, no OR-Tools).

Why it exists: on prize-collecting problems OR-Tools' local search gets stuck once the days are full, because
swapping a cheap site for a valuable one needs several coordinated moves. Removing a handful of related sites and
re-inserting greedily by prize per added minute (with noise) makes those moves in one step. Measured on the TOP
benchmark it lifts the mean score from ~90-95 % (OR-Tools alone) to the figures in ``docs/BENCHMARKS.md``.

Supported model features: time windows (per vehicle), allowed vehicles, visit caps, disjunction penalties,
breaks (fixed such as the Friday prayer, or flexible such as a lunch of 60 minutes somewhere in 12:00-13:30;
service never overlaps a break, travel may be interrupted by it) and per-vehicle node costs (the stability cost
of moving an announced visit to another day), and position locks that fill a day's first positions (the route
keeps them as its prefix; nothing is inserted before them). Position locks with a gap are left to OR-Tools
(``supports()`` says so).

Breaks are timed exactly as ``schedule.time_route`` does (a break is taken in the gap before the first service
that would end after the break's latest start), so a day with breaks is checked by simulating its route; the
insertion of every candidate at every position is simulated at once with numpy.
Deterministic: all randomness comes from ``random.Random(seed)`` and the effort is an iteration count; the
clock is only a safety cap.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING

import numpy as np

from optimizer._intmodel import IntModel

if TYPE_CHECKING:
    from optimizer._pool import RoutePool

__all__ = ["lns", "objective", "supports"]

#: Tuned on TOP subsets and the Banyuwangi scenarios (docs/BENCHMARKS.md): default acceptance temperature
#: (× median prize), the largest ruin, and the share of visits a ruin may remove.
_T0 = 0.3
_MAXR = 30
_RFRAC = 0.5
_BIG = np.iinfo(np.int64).max // 4
#: Probability that a step re-inserts previously unvisited sites before the ones it just removed.
_FORCE_NEW = 0.5
#: Exponents of the added time in the greedy score prize / (added time + 1) ** alpha, drawn per step.
_ALPHAS = (1.0, 2.0, 3.0)
#: Share of ruin steps aimed at one unvisited site (see ``_target_removal``).
#: Measured on the hardest TOP instances (2 seeds × 16): 0 → 97.95 %, 0.2 → 98.29 %, 0.4 → 98.79 %, 0.7 → 98.50 %.
DEFAULT_P_TARGET = 0.4
#: Share of targeted steps that empty a whole day and restart it at the target site (see ``_target_removal``).
#: Measured on the three TOP instances whose seeds split between basins (p4.3.m, p4.2.i, p4.2.n × 4 seeds):
#: 0 → 97.41 %, 0.05 → 98.96 %, 0.1 → 99.48 %, 0.15 → 99.60 %, 0.3 → 99.02 %.
_P_NEW_ROUTE = 0.15
#: Work units per (position x candidate) of one simulation step on a day with breaks: calibrated so that runs on
#: the app's shapes (Friday prayer, a lunch) end by effort before the time limit, like break-free ones (at
#: 0.05 the clock cut in on 3-6 of the ~14 rounds of a 10 s run on bench/app_shapes.py; 0.5 ends month_lunch
#: by effort; month_friday 634 -> 633 prize, quarter_windows is still cut by the clock in its polish-heavy rounds).
_BREAK_WORK = 0.5


def lock_prefixes(m: IntModel) -> list[list[int]] | None:
    """Per vehicle, the sites locked to its first positions, in order; None when some vehicle's position locks
    leave a gap (a lock at position 3 with nothing locked at 1 or 2), which this search cannot fill."""
    at: list[dict[int, int]] = [{} for _ in m.starts]
    for node, pos in m.positions.items():
        vs = m.allowed[node]
        if not vs or len(vs) != 1:
            continue  # an impossible lock: the site is out of the model (see solver._build)
        at[vs[0]][pos] = node
    prefixes = []
    for locks in at:
        if sorted(locks) != list(range(len(locks))):
            return None
        prefixes.append([locks[p] for p in range(len(locks))])
    return prefixes


def supports(m: IntModel) -> bool:
    """Whether the model uses only features this search understands."""
    return m.n_sites > 0 and lock_prefixes(m) is not None


class _State:
    def __init__(self, m: IntModel) -> None:
        self.m = m
        self.T = np.asarray(m.time, dtype=np.int64)
        self.C = np.asarray(m.cost, dtype=np.int64)
        self.pen = np.asarray(m.penalty, dtype=np.float64)
        self.V = len(m.starts)
        ns = m.n_sites
        self.ns = ns
        lo = np.array([w[0] for w in m.window], dtype=np.int64)
        hi = np.array([w[1] for w in m.window], dtype=np.int64)
        self.LO = np.tile(lo, (self.V, 1))
        self.HI = np.tile(hi, (self.V, 1))
        self.allowed = np.ones((self.V, ns), dtype=bool)
        for j in range(ns):
            al = m.allowed[j]
            if al is not None:
                self.allowed[:, j] = False
                self.allowed[al, j] = True
            vw = m.vehicle_windows[j]
            if vw:
                for v, (a, b) in vw.items():
                    self.LO[v, j], self.HI[v, j] = a, b
        self.cap = [ns if x is None else x for x in m.max_visits]
        self.Tl, self.Cl = m.time, m.cost
        self.all_sites = np.arange(ns, dtype=np.int64)
        self.cache: dict[tuple[int, tuple[int, ...]], tuple[np.ndarray, np.ndarray]] = {}
        self._dummy = (np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64))
        self.work = 0.0
        self.ls_cache: dict[tuple[int, tuple[int, ...]], tuple[int, ...]] = {}
        self.alphas = _ALPHAS + ((0.0, 0.5) if any(x is not None for x in m.max_visits) else ())
        self.LOl = self.LO.tolist()
        self.HIl = self.HI.tolist()
        self.symmetric = bool(np.array_equal(self.C, self.C.T))
        self.svc = list(m.service)
        self.SVC = np.asarray(m.service, dtype=np.int64)
        # Breaks per vehicle as (earliest start, latest start, duration), in the order they must be taken.
        self.brk: list[list[tuple[int, int, int]]] = [
            sorted(((lo, hi - d, d) for lo, hi, d in (m.breaks[v] if v < len(m.breaks) else ())),
                   key=lambda b: (b[1], b[0]))
            for v in range(self.V)
        ]
        # Extra cost of visiting a site on a vehicle (a previous plan's day moved): (V, sites), 0 when none.
        self.ncost = np.zeros((self.V, ns), dtype=np.int64)
        if m.vehicle_node_cost is not None:
            for v, extra in enumerate(m.vehicle_node_cost):
                for j, c in extra.items():
                    self.ncost[v, j] = c
        self.ncl = self.ncost.tolist()
        self.has_ncost = bool(self.ncost.any())
        # Position locks: each vehicle's route starts with its locked sites in order; nothing is inserted there.
        self.prefix = lock_prefixes(m) or [[] for _ in range(self.V)]
        self.fixed = [len(p) for p in self.prefix]
        # Windows that never bind let 2-opt judge a route by its length alone.
        self.free_windows = all(
            (self.LO[v] <= m.day_start[v]).all() and (self.HI[v] >= m.day_end[v]).all() for v in range(self.V)
        )
        for v in range(self.V):  # locks that cannot all hold on their day: those sites stay out
            if self.fixed[v] and (self.fixed[v] > self.cap[v] or self.times(v, self.prefix[v]) is None):
                self.pen[self.prefix[v]] = 0.0
                self.prefix[v], self.fixed[v] = [], 0
        self.locked_vehicles = [v for v in range(self.V) if self.fixed[v]]

    # ----- route timing -------------------------------------------------------------------------------
    def times(self, v: int, r: list[int]) -> tuple[np.ndarray, np.ndarray] | None:
        """Earliest (a) and latest (z) service starts along start + r + end, or None if infeasible.

        On a day with breaks, ``z`` holds instead the number of breaks taken before each stop (see
        ``_break_times``); ``insertion`` knows which is which.
        """
        if self.brk[v]:
            return self._break_times(v, r)
        m, T = self.m, self.Tl
        lo, hi = self.LOl[v], self.HIl[v]
        seq = [m.starts[v], *r, m.ends[v]]
        k = len(seq)
        self.work += k
        a = [0] * k
        z = [0] * k
        t = m.day_start[v]
        a[0] = t
        for i in range(1, k - 1):
            u = seq[i]
            t = t + T[seq[i - 1]][u]
            if t < lo[u]:
                t = lo[u]
            if t > hi[u]:
                return None
            a[i] = t
        t = t + T[seq[k - 2]][seq[k - 1]]
        if t > m.day_end[v]:
            return None
        a[k - 1] = t
        t = m.day_end[v]
        z[k - 1] = t
        for i in range(k - 2, 0, -1):
            t = t - T[seq[i]][seq[i + 1]]
            h = hi[seq[i]]
            if h < t:
                t = h
            z[i] = t
        z[0] = t - T[seq[0]][seq[1]]
        return np.array(a, dtype=np.int64), np.array(z, dtype=np.int64)

    def _break_times(self, v: int, r: list[int]) -> tuple[np.ndarray, np.ndarray] | None:
        """Earliest service starts along start + r + end on a day with breaks, and the breaks taken before each
        stop; None if infeasible. The integer twin of ``schedule.time_route``."""
        m, T, svc = self.m, self.Tl, self.svc
        lo, hi = self.LOl[v], self.HIl[v]
        brk = self.brk[v]
        seq = [m.starts[v], *r, m.ends[v]]
        k = len(seq)
        self.work += 2 * k
        a = [0] * k
        taken = [0] * k
        t = m.day_start[v]
        a[0] = t
        nb = 0
        for i in range(1, k):
            p, u = seq[i - 1], seq[i]
            gap = t + svc[p]
            left = T[p][u] - svc[p]
            if i < k - 1:
                lo_u, hi_u, s_u = lo[u], hi[u], svc[u]
            else:
                lo_u, hi_u, s_u = 0, m.day_end[v], 0
            while True:
                start = gap + left
                if start < lo_u:
                    start = lo_u
                if nb == len(brk):
                    break
                b_lo, b_last, b_dur = brk[nb]
                if start + s_u <= b_last:
                    break
                bs = gap if gap > b_lo else b_lo
                if bs > b_last:
                    return None
                done = min(left, bs - gap)
                left -= done
                gap = bs + b_dur
                nb += 1
            if start > hi_u:
                return None
            a[i] = start
            taken[i] = nb
            t = start
        return np.array(a, dtype=np.int64), np.array(taken, dtype=np.int64)

    def _break_insertion(self, v: int, r: list[int], a: np.ndarray, taken: np.ndarray, cand: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray]:
        """``insertion`` on a day with breaks: every candidate at every position, simulated exactly, all positions
        and candidates at once (step s moves each position's schedule s stops past the candidate); a schedule
        that comes back to the current route's times and breaks is settled (the rest of the day is unchanged)."""
        m = self.m
        n_c = len(cand)
        brk = self.brk[v]
        seq = np.array([m.starts[v], *r, m.ends[v]], dtype=np.int64)
        k = len(seq)
        npos = k - 1
        T, SVC = self.T, self.SVC
        P, N = seq[:-1], seq[1:]
        # Per stop of the route: window and service (the end place: arrive by the day's end).
        inner = seq[1:-1]
        lo_seq = np.concatenate(([0], self.LO[v, inner], [0]))
        hi_seq = np.concatenate(([0], self.HI[v, inner], [m.day_end[v]]))
        svc_seq = SVC[seq].copy()
        svc_seq[-1] = 0
        TPc, TcN = T[P][:, cand], T[cand][:, N].T  # (npos, n_c)
        dt = (TPc + TcN - T[P, N][:, None]).astype(np.float64)
        s_c = SVC[cand][None, :]
        start, nb, ok = self._gap((a[:-1] + SVC[P])[:, None] + np.zeros((1, n_c), dtype=np.int64),
                                  TPc - SVC[P][:, None], self.LO[v, cand][None, :], s_c,
                                  np.broadcast_to(taken[:-1][:, None], (npos, n_c)), brk)
        ok &= start <= self.HI[v, cand][None, :]
        if self.fixed[v]:
            ok[: self.fixed[v]] = False  # the locked first positions stay as they are
        self.work += _BREAK_WORK * npos * n_c + 30
        active = ok.copy()
        prev_end, left = start + s_c, TcN - s_c
        rows = np.arange(npos)
        for step in range(1, k):
            jj = np.minimum(rows + step, k - 1)  # the stop this step reaches, per position
            col = jj[:, None]
            t_new, nb_new, fine = self._gap(prev_end, left, lo_seq[col], svc_seq[col], nb, brk)
            ok = np.where(active, ok & fine & (t_new <= hi_seq[col]), ok)
            self.work += _BREAK_WORK * npos * n_c + 30
            last = (jj == k - 1)[:, None]
            same = (t_new == a[col]) & (nb_new == taken[col])
            active = active & ok & ~same & ~last
            if not active.any():
                break
            nxt = np.minimum(jj + 1, k - 1)
            prev_end = t_new + svc_seq[col]
            left = np.broadcast_to((T[seq[jj], seq[nxt]] - svc_seq[jj])[:, None], (npos, n_c))
            nb = nb_new
        dtf = np.where(ok, dt, np.inf)
        pos = dtf.argmin(axis=0)
        best = dtf[pos, np.arange(n_c)]
        found = np.isfinite(best)
        return np.where(found, best, np.inf), np.where(found, pos, -1)

    @staticmethod
    def _gap(gap: np.ndarray, left: np.ndarray, lo: np.ndarray, svc: np.ndarray, nb: np.ndarray,
             brk: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Service start after a gap (travel ``left`` from ``gap``), taking the pending breaks that the service
        would otherwise overrun; also the breaks taken so far and whether every break could start in time."""
        gap = np.array(gap, dtype=np.int64, copy=True)
        left = np.array(np.broadcast_to(left, gap.shape), dtype=np.int64, copy=True)
        nb = np.array(nb, dtype=np.int64, copy=True)
        ok = np.ones(gap.shape, dtype=bool)
        start = np.maximum(gap + left, lo)
        for b, (b_lo, b_last, b_dur) in enumerate(brk):
            need = (nb == b) & (start + svc > b_last)
            if not need.any():
                continue
            bs = np.maximum(gap, b_lo)
            ok &= ~(need & (bs > b_last))
            done = np.minimum(left, bs - gap)
            left = np.where(need, left - done, left)
            gap = np.where(need, bs + b_dur, gap)
            nb = np.where(need, b + 1, nb)
            start = np.maximum(gap + left, lo)
        return start, nb, ok

    def timing(self, v: int, r: list[int]) -> tuple[np.ndarray, np.ndarray] | None:
        """``times`` through the insertion cache: an unchanged route needs no timing at all."""
        if (v, tuple(r)) in self.cache:
            return self._dummy
        return self.times(v, r)

    def route_cost(self, v: int, r: list[int]) -> int:
        """Travel cost of the route, plus the node costs of its visits on this vehicle (previous plan)."""
        C = self.Cl
        seq = [self.m.starts[v], *r, self.m.ends[v]]
        cost = sum(C[seq[i]][seq[i + 1]] for i in range(len(seq) - 1))
        if self.has_ncost:
            nc = self.ncl[v]
            cost += sum(nc[u] for u in r)
        return cost

    def insertion(self, v: int, r: list[int], a: np.ndarray, z: np.ndarray, cand: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
        """For each candidate: best added time and position (-1 if it does not fit anywhere)."""
        m = self.m
        n_c = len(cand)
        if n_c == 0 or len(r) >= self.cap[v]:
            return np.full(n_c, np.inf), np.full(n_c, -1)
        if self.brk[v]:
            return self._break_insertion(v, r, a, z, cand)
        seq = np.array([m.starts[v], *r, m.ends[v]], dtype=np.int64)
        P, N = seq[:-1], seq[1:]
        self.work += 0.05 * len(P) * n_c + 20
        TP = self.T[P[:, None], cand[None, :]]  # (k, c)
        TN = self.T[cand[None, :], N[:, None]]  # (k, c): from candidate to next
        tu = np.maximum(a[:-1, None] + TP, self.LO[v, cand][None, :])
        feas = (tu <= self.HI[v, cand][None, :]) & (tu + TN <= z[1:, None])
        if self.fixed[v]:
            feas[: self.fixed[v]] = False  # the locked first positions stay as they are
        dt = TP + TN - self.T[P, N][:, None]
        dtf = np.where(feas, dt, _BIG)
        pos = dtf.argmin(axis=0)
        best = dtf[pos, np.arange(n_c)]
        ok = best < _BIG
        return np.where(ok, best, np.inf).astype(np.float64), np.where(ok, pos, -1)

    def two_opt(self, v: int, r: list[int]) -> list[int]:
        """Shorten a route by segment reversals (only when windows do not bind and costs are symmetric)."""
        if not (self.symmetric and self.free_windows) or len(r) < 3 or self.fixed[v]:
            return r
        key = (v, tuple(r))
        done = self.ls_cache.get(key)
        if done is not None:  # routes untouched by the ruin step are already locally optimal
            self.work += len(r)
            return list(done)
        if len(self.ls_cache) > 20000:
            self.ls_cache.clear()
        out = self._two_opt(v, r)
        self.ls_cache[key] = tuple(out)
        self.ls_cache[(v, tuple(out))] = tuple(out)
        return out

    def _two_opt(self, v: int, r: list[int]) -> list[int]:
        C = self.Cl
        seq = [self.m.starts[v], *r, self.m.ends[v]]
        self.work += len(seq) ** 2
        improved = True
        while improved:
            improved = False
            k = len(seq)
            for i in range(0, k - 3):
                a, b = seq[i], seq[i + 1]
                for j in range(i + 2, k - 1):
                    c, d = seq[j], seq[j + 1]
                    if C[a][c] + C[b][d] < C[a][b] + C[c][d]:
                        cand = seq[: i + 1] + seq[i + 1 : j + 1][::-1] + seq[j + 1 :]
                        if self.times(v, cand[1:-1]) is not None:
                            seq = cand
                            improved = True
                            break
                if improved:
                    break
            if not improved:
                seq, improved = self._or_opt(v, seq)
        return seq[1:-1]

    def _or_opt(self, v: int, seq: list[int]) -> tuple[list[int], bool]:
        """Move one segment of 1-3 visits elsewhere in the route (either direction) if that shortens it."""
        C = self.Cl
        k = len(seq)
        self.work += 3 * k * k
        for length in (1, 2, 3):
            for i in range(1, k - length):
                j = i + length - 1  # segment seq[i..j]
                prev, nxt = seq[i - 1], seq[j + 1]
                s0, s1 = seq[i], seq[j]
                gain = C[prev][s0] + C[s1][nxt] - C[prev][nxt]
                if gain <= 0:
                    continue
                rest = seq[:i] + seq[j + 1 :]
                seg = seq[i : j + 1]
                for p in range(len(rest) - 1):
                    if p == i - 1:
                        continue
                    a, b = rest[p], rest[p + 1]
                    fwd = C[a][s0] + C[s1][b] - C[a][b]
                    rev = C[a][s1] + C[s0][b] - C[a][b]
                    if fwd < gain or rev < gain:
                        ins = seg if fwd <= rev else seg[::-1]
                        cand = rest[: p + 1] + ins + rest[p + 1 :]
                        if self.times(v, cand[1:-1]) is not None:
                            return cand, True
        return seq, False


def _objective(st: _State, routes: list[list[int]]) -> float:
    visited = np.zeros(st.ns, dtype=bool)
    cost = 0
    for v, r in enumerate(routes):
        visited[r] = True
        cost += st.route_cost(v, r)
    return float(st.pen[~visited].sum()) + cost


def objective(m: IntModel, routes: list[list[int]]) -> float:
    """The integer objective (penalties of unvisited sites + travel cost), as OR-Tools computes it."""
    return _objective(_State(m), routes)


def _recreate(st: _State, routes: list[list[int]], rng: random.Random, noise: float, blink: float,
              alpha: float = 1.0, exclude: list[int] | None = None) -> None:
    visited = np.zeros(st.ns, dtype=bool)
    for r in routes:
        visited[r] = True
    if exclude:
        visited[exclude] = True
    cand = np.flatnonzero(~visited & (st.pen > 0))
    if len(cand) == 0:
        return
    V = st.V
    timing = [st.timing(v, r) for v, r in enumerate(routes)]
    score = np.full((V, len(cand)), -np.inf)
    posm = np.full((V, len(cand)), -1, dtype=np.int64)
    alive = np.ones(len(cand), dtype=bool)
    pen = st.pen[cand]
    nprng = np.random.default_rng(rng.randrange(2**32))

    def refresh(v: int) -> None:
        tm = timing[v]
        if tm is None:
            score[v] = -np.inf
            return
        st.work += 50 + 0.01 * len(cand)
        key = (v, tuple(routes[v]))
        hit = st.cache.get(key)
        if hit is None:
            if tm is st._dummy:  # the cache was cleared since this route was timed
                tm = st.times(v, routes[v])
                if tm is None:
                    score[v] = -np.inf
                    return
            if len(st.cache) > 20000:
                st.cache.clear()
            hit = st.insertion(v, routes[v], tm[0], tm[1], st.all_sites)
            st.cache[key] = hit
        bt, pos = hit[0][cand], hit[1][cand]
        ok = (pos >= 0) & st.allowed[v, cand] & alive
        gain = np.maximum(pen - st.ncost[v, cand], 1e-9) if st.has_ncost else pen
        s = gain / (bt + 1.0) ** alpha
        if noise > 0:
            s = s * (1.0 + noise * nprng.random(len(cand)))
        score[v] = np.where(ok, s, -np.inf)
        posm[v] = pos

    for v in range(V):
        refresh(v)
    while True:
        st.work += 0.1 * score.size
        flat = int(score.argmax())
        v, c = divmod(flat, len(cand))
        if score[v, c] == -np.inf:
            return
        if blink > 0 and rng.random() < blink:
            score[v, c] = -np.inf  # skip this option once: diversifies the greedy order
            continue
        u = int(cand[c])
        routes[v].insert(int(posm[v, c]), u)
        alive[c] = False
        score[:, c] = -np.inf
        timing[v] = st.timing(v, routes[v])
        refresh(v)


def _ruin(st: _State, routes: list[list[int]], rng: random.Random, max_remove: int, p_target: float = 0.0
          ) -> int | None:
    """Remove visits in place; returns an unvisited site to insert first when the ruin was aimed at it.

    -1 means the ruin was aimed at a site and has already placed it (a day restarted there).
    """
    visited = [u for r in routes for u in r]
    if not visited:
        return None
    q = rng.randint(1, max(1, min(max_remove, len(visited))))
    if p_target > 0 and rng.random() < p_target:
        target = _target_removal(st, routes, visited, rng, q)
        if target is not None:
            return target
    kind = rng.random()
    seed = rng.choice(visited)
    if kind < 0.1:
        # A whole route: lets the search rebuild a day from scratch (decisive on small instances).
        v = rng.randrange(len(routes))
        remove = set(routes[v])
        if len(routes) > 1 and rng.random() < 0.5:
            remove.update(routes[rng.randrange(len(routes))])
    elif kind < 0.5:
        # Spatially related removal: the seed and its nearest visited neighbours.
        arr = np.array(visited)
        d = st.C[seed, arr] + st.C[arr, seed]
        remove = set(arr[np.argsort(d, kind="stable")[:q]].tolist())
    elif kind < 0.8:
        # A string around the seed in its route, plus strings in routes passing nearby.
        remove = set()
        for r in routes:
            if seed in r:
                i = r.index(seed)
                length = rng.randint(1, max(1, min(q, len(r))))
                s = max(0, min(i - rng.randint(0, length - 1), len(r) - length))
                remove.update(r[s : s + length])
        near = [u for u in visited if u not in remove]
        if near and len(remove) < q:
            arr = np.array(near)
            d = st.C[seed, arr]
            other = int(arr[int(np.argmin(d))])
            for r in routes:
                if other in r:
                    i = r.index(other)
                    length = min(q - len(remove), len(r))
                    s = max(0, min(i, len(r) - length))
                    remove.update(r[s : s + length])
    else:
        remove = set(rng.sample(visited, q))
    for v in range(len(routes)):
        routes[v] = [u for u in routes[v] if u not in remove]
    return None


def _target_removal(st: _State, routes: list[list[int]], visited: list[int], rng: random.Random, q: int
                    ) -> int | None:
    """Make room for one valuable unvisited site: remove the visits nearest to it that are worth less.

    A 1-for-k exchange (a site that does not fit in, cheaper neighbours out) is what a greedy re-insertion
    almost never finds by itself once the days are full. Sometimes (``_P_NEW_ROUTE``) a whole day is emptied
    and restarted at the site instead: when a valuable region lies far from every current route, no small
    exchange reaches it, and the search stays in its basin (TOP p4.3.m: 1,021 instead of 1,063).
    """
    mask = np.ones(st.ns, dtype=bool)
    mask[visited] = False
    mask &= st.pen > 0
    out = np.flatnonzero(mask)
    if len(out) == 0:
        return None
    w = st.pen[out]
    u = int(out[min(len(out) - 1, int(np.searchsorted(np.cumsum(w), rng.random() * w.sum())))])
    if rng.random() < _P_NEW_ROUTE:
        # Send a whole day to the site's region: empty one of its days, start it there, let the greedy fill it.
        days = [v for v in range(len(routes)) if st.allowed[v, u] and not st.fixed[v]]
        if days:
            v = rng.choice(days)
            routes[v] = []
            if _insert_one(st, routes, u, only=v):
                return -1
    arr = np.array(visited)
    arr = arr[st.pen[arr] < st.pen[u]] if rng.random() < 0.5 else arr
    if len(arr) == 0:
        return None
    d = st.C[u, arr] + st.C[arr, u]
    remove = set(arr[np.argsort(d, kind="stable")[: max(1, min(q, 8))]].tolist())
    for v in range(len(routes)):
        routes[v] = [x for x in routes[v] if x not in remove]
    return u


def _insert_one(st: _State, routes: list[list[int]], u: int, only: int | None = None) -> bool:
    """Insert site ``u`` at its cheapest feasible place (on day ``only`` if given), if it has one."""
    best = None
    cand = np.array([u], dtype=np.int64)
    for v, r in enumerate(routes):
        if not st.allowed[v, u] or (only is not None and v != only):
            continue
        tm = st.times(v, r)
        if tm is None:
            continue
        bt, pos = st.insertion(v, r, tm[0], tm[1], cand)
        if pos[0] >= 0 and (best is None or bt[0] < best[0]):
            best = (float(bt[0]), v, int(pos[0]))
    if best is None:
        return False
    routes[best[1]].insert(best[2], u)
    return True


def _repair(st: _State, v: int, r: list[int]) -> list[int]:
    """``r`` if it is feasible on vehicle ``v``, else its longest feasible subsequence kept greedily in order; a
    vehicle with position locks starts with its locked sites (when they fit at all)."""
    prefix = st.prefix[v]
    if prefix and r[: len(prefix)] != prefix:
        r = prefix + [u for u in r if u not in prefix]
    if all(st.allowed[v, u] for u in r) and len(r) <= st.cap[v] and st.times(v, r) is not None:
        return list(r)
    kept: list[int] = []
    if prefix:
        if len(prefix) > st.cap[v] or st.times(v, prefix) is None:
            return []  # the locks cannot all be kept on this day: they are reported as left out
        kept = list(prefix)
        r = r[len(prefix):]
    for u in r:
        if st.allowed[v, u] and len(kept) < st.cap[v] and st.times(v, [*kept, u]) is not None:
            kept.append(u)
    return kept


def lns(m: IntModel, seed: int, work: float, deadline: float,
        initial: list[list[int]] | None = None, clock: bool = False, t0_factor: float | None = None,
        p_target: float = DEFAULT_P_TARGET, pool: RoutePool | None = None) -> tuple[list[list[int]], dict[str, float]]:
    """Best routes found by ruin-and-recreate steps until ``work`` units are spent (or ``deadline``).

    Work units count the elementary operations of the search (insertion evaluations, route re-timings and
    local-search checks), so an effort budget means the same on short and long routes and, unlike seconds,
    does not depend on the machine: that is what makes the result deterministic. With ``clock`` the
    acceptance temperature cools with elapsed time instead (time-limited runs).
    """
    st = _State(m)
    rng = random.Random(seed)
    routes = [_repair(st, v, r) for v, r in enumerate(initial or [[] for _ in range(st.V)])]
    _recreate(st, routes, rng, 0.0, 0.0)
    routes = [st.two_opt(v, r) for v, r in enumerate(routes)]
    _recreate(st, routes, rng, 0.0, 0.0)
    cur, cur_f = routes, _objective(st, routes)
    best, best_f = [list(r) for r in routes], cur_f
    n_vis = max(1, sum(len(r) for r in routes))
    max_remove = max(4, min(_MAXR, int(_RFRAC * n_vis) + 1))
    positive = st.pen[st.pen > 0]
    mean_pen = float(np.median(positive)) if len(positive) else 1.0
    t0 = (_T0 if t0_factor is None else t0_factor) * mean_pen
    done = 0
    start = time.monotonic()
    span = max(1e-9, deadline - start)
    frac = 0.0
    it = -1
    clock_stop = 0
    while True:
        it += 1
        if st.work >= work:
            break
        if (it & 15) == 0:
            now = time.monotonic()
            if now > deadline:
                clock_stop = 1
                break
            if clock:
                frac = max(st.work / work, (now - start) / span)
        if not clock:
            frac = st.work / work
        done = it + 1
        st.work += 1500  # ruin, objective and bookkeeping of one step (calibrated: small instances)
        temp = t0 * (1.0 - frac)
        cand = [list(r) for r in cur]
        before = {u for r in cand for u in r}
        target = _ruin(st, cand, rng, max_remove, p_target)
        if target is not None and target >= 0:
            _insert_one(st, cand, target)
        for v in st.locked_vehicles:  # a ruin never moves a locked first position
            cand[v] = _repair(st, v, cand[v])
        noise, blink, alpha = rng.choice((0.0, 0.3, 1.0)), rng.choice((0.0, 0.01, 0.05)), rng.choice(st.alphas)
        if rng.random() < _FORCE_NEW:
            # Sites just removed wait until the previously unvisited ones had their chance: otherwise the
            # greedy re-inserts what it removed and the search never leaves its region.
            removed = sorted(before - {u for r in cand for u in r})
            _recreate(st, cand, rng, noise=noise, blink=blink, alpha=alpha, exclude=removed)
        _recreate(st, cand, rng, noise=noise, blink=blink, alpha=alpha)
        changed = [st.two_opt(v, r) for v, r in enumerate(cand)]
        if changed != cand:
            cand = changed
            _recreate(st, cand, rng, 0.0, 0.0)
        f = _objective(st, cand)
        if pool is not None:
            for v, r in enumerate(cand):
                if r and r != cur[v]:  # routes the step left unchanged are in the pool already
                    pool.add(v, r, st.route_cost(v, r))
        if f < cur_f + temp * rng.random() or f <= cur_f:
            cur, cur_f = cand, f
            if f < best_f:
                best, best_f = [list(r) for r in cand], f
    return best, {"lns_iterations": done, "lns_objective": best_f, "lns_work": st.work, "clock_stop": clock_stop}
