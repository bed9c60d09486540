"""Recombine the day routes the search has seen: pick the most valuable compatible set (set packing).

Why: the ruin-and-recreate search meets thousands of good day routes but keeps only one plan. A plan made of
routes from *different* moments of the search (each site at most once, each day used once) is often better than
any plan the search held, and a set-packing model finds it exactly: measured on the Banyuwangi month of
75-minute visits, the routes one 10-second search had seen pack into a plan worth +14 prize points. This is the
"route pool + set partitioning" step of matheuristics for vehicle routing (e.g. Subramanian, Uchoa & Ochi 2013).

Days are interchangeable when they share start, end, hours and visit cap and the route's sites have the same
windows on them; such a route may take any of those days. A route through a site whose windows differ between
those days is tied to the days where its windows are the same as where it was found; each day is taken once.
"""

from __future__ import annotations

import time

import numpy as np

from optimizer._intmodel import IntModel
from optimizer._lns import _State

__all__ = ["RoutePool"]

#: Columns handed to the exact packing model: the best by reduced cost in the LP relaxation (plus the current
#: plan's routes). CP-SAT solves a few hundred in a fraction of a second; the full pool would take minutes.
_KEEP = 400


class RoutePool:
    """Distinct day routes with the cheapest sequence seen for each set of sites."""

    def __init__(self, m: IntModel) -> None:
        self.st = st = _State(m)
        sig: dict[tuple[int, ...], int] = {}
        self.cls = []
        for v in range(st.V):
            key = (m.starts[v], m.ends[v], m.day_start[v], m.day_end[v], st.cap[v], tuple(st.brk[v]))
            self.cls.append(sig.setdefault(key, len(sig)))
        self.members: list[list[int]] = [[] for _ in sig]
        for v, c in enumerate(self.cls):
            self.members[c].append(v)
        # Sites whose windows or allowed days differ among a class's days: only routes through them are tied.
        self.varying: list[frozenset[int]] = []
        for b in self.members:
            diff = ((st.LO[b] != st.LO[b[0]]) | (st.HI[b] != st.HI[b[0]]) | (st.allowed[b] != st.allowed[b[0]])
                    | (st.ncost[b] != st.ncost[b[0]]))
            self.varying.append(frozenset(np.flatnonzero(diff.any(axis=0)).tolist()))
        self.pen = [0 if x is None else int(x) for x in m.penalty]
        self.entries: dict[tuple, list] = {}  # (sites, class, tied days or None) -> [cost, sequence, value]

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, v: int, r: list[int], cost: int) -> None:
        """Remember route ``r`` found on vehicle ``v`` (at travel cost ``cost``)."""
        fs = frozenset(r)
        c = self.cls[v]
        tied = None
        if not fs.isdisjoint(self.varying[c]):
            st, b = self.st, self.members[c]
            arr = np.fromiter(fs & self.varying[c], dtype=np.int64)
            same = (st.allowed[b][:, arr].all(1) & (st.LO[b][:, arr] == st.LO[v, arr]).all(1)
                    & (st.HI[b][:, arr] == st.HI[v, arr]).all(1) & (st.ncost[b][:, arr] == st.ncost[v, arr]).all(1))
            tied = tuple(w for w, ok in zip(b, same.tolist(), strict=True) if ok)
        key = (fs, c, tied)
        old = self.entries.get(key)
        if old is None:
            pen = self.pen
            self.entries[key] = [cost, tuple(r), sum(pen[u] for u in r) - cost]
        elif cost < old[0]:
            old[2] += old[0] - cost
            old[0], old[1] = cost, tuple(r)

    def export(self, vehicle_day: list[int], node_site: list[int]) -> list[tuple[int, list[int]]]:
        """The pool as (day, site indices) pairs: what another process's model can read back (``add``)."""
        out = []
        for (_, c, tied), (_, seq, _) in self.entries.items():
            v = self.members[c][0] if tied is None else tied[0]
            out.append((vehicle_day[v], [node_site[n] for n in seq]))
        return out

    def recombine(self, incumbent: list[list[int]], deterministic_s: float, deadline: float, seed: int
                  ) -> list[list[int]] | None:
        """The best plan made of pooled routes (and the incumbent's), or None if none was found in time."""
        from optimizer import _ortools

        st = self.st
        for v, r in enumerate(incumbent):
            if r:
                self.add(v, r, st.route_cost(v, r))
        ns = st.ns
        columns: list[tuple[list[int], int, int]] = []
        meta: list[tuple[tuple[int, ...], int, int | None]] = []  # (sequence, class, fixed vehicle)
        index: dict[tuple, int] = {}
        for (fs, c, tied), (_, seq, value) in self.entries.items():
            if tied is None:
                index[(fs, c, None)] = len(columns)
                columns.append((list(seq), c, value))
                meta.append((seq, c, None))
            else:
                for w in tied:
                    index[(fs, c, w)] = len(columns)
                    columns.append(([*seq, ns + w], c, value))
                    meta.append((seq, c, w))
        hint = []
        for v, r in enumerate(incumbent):
            if r:
                fs, c = frozenset(r), self.cls[v]
                col = index.get((fs, c, None), index.get((fs, c, v)))
                if col is not None:
                    hint.append(col)
        left = deadline - time.monotonic()
        if left <= 0.05:
            return None
        chosen = _ortools.pack(columns, [len(b) for b in self.members], hint, _KEEP, deterministic_s, left, seed)
        if chosen is None:
            return None
        routes: list[list[int]] = [[] for _ in range(st.V)]
        taken = {meta[col][2] for col in chosen} - {None}
        free = [[w for w in b if w not in taken] for b in self.members]
        for col in chosen:
            seq, c, w = meta[col]
            routes[free[c].pop(0) if w is None else w] = list(seq)
        if any((r and st.times(v, r) is None) or r[: st.fixed[v]] != st.prefix[v] for v, r in enumerate(routes)):
            return None
        return routes
