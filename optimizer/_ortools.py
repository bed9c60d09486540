"""The only module that imports OR-Tools (9.15: routing ``pywrapcp``, GLOP and CP-SAT).

It builds a routing model from an ``IntModel`` following the canonical call order (index manager → routing
model → transit matrices → dimensions → disjunctions → search parameters → solve) and extracts plain lists.
``pack`` solves the set-packing model of the route pool (``_pool.py``): GLOP's LP relaxation ranks the columns,
CP-SAT picks the best set among the top ones.
"""

from __future__ import annotations

import math
import time

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat.python import cp_model
from ortools.util import optional_boolean_pb2

from optimizer._intmodel import IntModel, IntResult, Search

__all__ = ["Engine", "pack", "solve_int"]


def _build(m: IntModel) -> tuple[pywrapcp.RoutingIndexManager, pywrapcp.RoutingModel, object]:
    n_veh = len(m.starts)
    manager = pywrapcp.RoutingIndexManager(m.n_nodes, n_veh, m.starts, m.ends)
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()

    cost_cb = routing.RegisterTransitMatrix(m.cost)
    if m.vehicle_node_cost is None:
        routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    else:
        for v in range(n_veh):
            extra = m.vehicle_node_cost[v]
            if not extra:
                routing.SetArcCostEvaluatorOfVehicle(cost_cb, v)
                continue
            mat = [row[:] for row in m.cost]
            for node, c in extra.items():
                for i in range(m.n_nodes):
                    if i != node:
                        mat[i][node] += c
            routing.SetArcCostEvaluatorOfVehicle(routing.RegisterTransitMatrix(mat), v)

    time_cb = routing.RegisterTransitMatrix(m.time)
    routing.AddDimension(time_cb, m.horizon, m.horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for v in range(n_veh):
        time_dim.CumulVar(routing.Start(v)).SetRange(m.day_start[v], m.day_end[v])
        time_dim.CumulVar(routing.End(v)).SetRange(m.day_start[v], m.day_end[v])
    for node in range(m.n_sites):
        idx = manager.NodeToIndex(node)
        lo, hi = m.window[node]
        time_dim.CumulVar(idx).SetRange(lo, hi)
        vw = m.vehicle_windows[node]
        if vw:
            lows = [lo] + [vw.get(v, (lo, hi))[0] for v in range(n_veh)]
            highs = [hi] + [vw.get(v, (lo, hi))[1] for v in range(n_veh)]
            vvar = routing.VehicleVar(idx)
            shifted = solver.IntVar(0, n_veh, f"veh1_{node}")
            solver.Add(shifted == vvar + 1)
            cumul = time_dim.CumulVar(idx)
            solver.Add(cumul >= solver.Element(lows, shifted))
            solver.Add(cumul <= solver.Element(highs, shifted))
        allowed = m.allowed[node]
        if allowed is not None:
            # SetAllowedVehiclesForIndex rejects Python lists in the 9.15 wrapper; restricting the vehicle
            # variable is equivalent (-1 keeps "unperformed" possible; every site has a disjunction).
            routing.VehicleVar(idx).SetValues([-1, *allowed])

    if any(b for b in m.breaks):
        visit_transit = [0] * routing.Size()
        for node in range(m.n_sites):
            visit_transit[manager.NodeToIndex(node)] = m.service[node]
        for v, brks in enumerate(m.breaks):
            if not brks:
                continue
            intervals = [
                solver.FixedDurationIntervalVar(lo, hi - dur, dur, False, f"break_{v}_{k}")
                for k, (lo, hi, dur) in enumerate(brks)
            ]
            time_dim.SetBreakIntervalsOfVehicle(intervals, v, visit_transit)

    need_count = any(x is not None for x in m.max_visits) or m.positions
    if need_count:
        count_cb = routing.RegisterUnaryTransitVector([1 if n < m.n_sites else 0 for n in range(m.n_nodes)])
        caps = [m.n_sites if x is None else x for x in m.max_visits]
        routing.AddDimensionWithVehicleCapacity(count_cb, 0, caps, True, "visits")
        count_dim = routing.GetDimensionOrDie("visits")
        for node, pos in m.positions.items():
            count_dim.CumulVar(manager.NodeToIndex(node)).SetValue(pos)

    for node in range(m.n_sites):
        pen = m.penalty[node]
        if pen is not None:
            routing.AddDisjunction([manager.NodeToIndex(node)], pen)
    return manager, routing, time_dim


def _params(s: Search) -> object:
    p = pywrapcp.DefaultRoutingSearchParameters()
    p.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, s.first_solution)
    p.local_search_metaheuristic = getattr(routing_enums_pb2.LocalSearchMetaheuristic, s.metaheuristic)
    p.time_limit.FromMilliseconds(max(1, int(s.time_limit_s * 1000)))
    if s.solution_limit is not None:
        p.solution_limit = s.solution_limit
    if s.lambda_coefficient is not None:
        p.guided_local_search_lambda_coefficient = s.lambda_coefficient
    ops = p.local_search_operators
    for name, on in s.operators.items():
        setattr(ops, name, optional_boolean_pb2.BOOL_TRUE if on else optional_boolean_pb2.BOOL_FALSE)
    p.log_search = s.log
    return p


class Engine:
    """A routing model built once and searched several times (LNS rounds polish through it)."""

    def __init__(self, m: IntModel) -> None:
        self.m = m
        self.manager, self.routing, _ = _build(m)
        self.counter = [0]
        self.routing.AddAtSolutionCallback(lambda: self.counter.__setitem__(0, self.counter[0] + 1))
        self._closed = False

    def solve(self, s: Search) -> IntResult:
        """Search from ``s.initial_routes`` (or a first solution); 'none' status when nothing was found."""
        routing, manager = self.routing, self.manager
        params = _params(s)
        if not self._closed:
            routing.CloseModelWithParameters(params)
            self._closed = True
        self.counter[0] = 0
        solution = None
        if s.initial_routes is not None:
            initial = routing.ReadAssignmentFromRoutes(s.initial_routes, True)
            if initial is not None:
                solution = routing.SolveFromAssignmentWithParameters(initial, params)
        if solution is None:
            solution = routing.SolveWithParameters(params)
        n_veh = len(self.m.starts)
        if solution is None:
            return IntResult([[] for _ in range(n_veh)], 0, self.counter[0], "none")
        routes: list[list[int]] = []
        for v in range(n_veh):
            path: list[int] = []
            idx = solution.Value(routing.NextVar(routing.Start(v)))
            while not routing.IsEnd(idx):
                path.append(manager.IndexToNode(idx))
                idx = solution.Value(routing.NextVar(idx))
            routes.append(path)
        return IntResult(routes, solution.ObjectiveValue(), self.counter[0], str(routing.status()))


def solve_int(m: IntModel, s: Search) -> IntResult:
    """Build and solve the integer model once."""
    return Engine(m).solve(s)


def _incidence(columns: list[tuple[list[int], int, int]], sel: list[int]
               ) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Selected column indices per item and per group."""
    by_item: dict[int, list[int]] = {}
    by_group: dict[int, list[int]] = {}
    for c in sel:
        items, group, _ = columns[c]
        for it in items:
            by_item.setdefault(it, []).append(c)
        by_group.setdefault(group, []).append(c)
    return by_item, by_group


def _lp_rank(columns: list[tuple[list[int], int, int]], group_caps: list[int], time_limit_s: float) -> np.ndarray:
    """Reduced costs of the columns in the LP relaxation of the packing (GLOP, built as a proto: fast). Within
    ``time_limit_s``: without an answer in time every column ranks the same (zeros)."""
    model = linear_solver_pb2.MPModelProto(maximize=True)
    top = max(1, max(abs(v) for _, _, v in columns))
    for _, _, val in columns:
        model.variable.add(lower_bound=0.0, upper_bound=1.0, objective_coefficient=1000.0 * val / top)
    by_item, by_group = _incidence(columns, list(range(len(columns))))
    for cols in by_item.values():
        model.constraint.add(lower_bound=-math.inf, upper_bound=1.0, var_index=cols, coefficient=[1.0] * len(cols))
    for g, cols in by_group.items():
        model.constraint.add(lower_bound=-math.inf, upper_bound=float(group_caps[g]), var_index=cols,
                             coefficient=[1.0] * len(cols))
    request = linear_solver_pb2.MPModelRequest(model=model,
                                               solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING,
                                               solver_time_limit_seconds=max(time_limit_s, 0.01))
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    if len(response.reduced_cost) != len(columns):
        return np.zeros(len(columns))
    return np.asarray(response.reduced_cost, dtype=np.float64)


def pack(columns: list[tuple[list[int], int, int]], group_caps: list[int], hint: list[int], keep: int,
         deterministic_s: float, time_limit_s: float, seed: int) -> list[int] | None:
    """The most valuable set of columns that share no item and respect every group's capacity (CP-SAT).

    Each column is (items, group, value); items have capacity 1. ``hint`` lists the columns of a known feasible
    choice, which CP-SAT starts from. When there are more than ``keep`` columns, only the ``keep`` with the best
    reduced cost in the LP relaxation (and the hint) go to CP-SAT: the exact model on all of them is too slow.
    One worker and a deterministic time budget keep the answer repeatable; ``time_limit_s`` is the wall-clock
    safety cap. Returns the chosen column indices, or None without a solution.
    """
    started = time.monotonic()
    chosen = set(hint)
    sel = list(range(len(columns)))
    if len(columns) > keep:
        rc = _lp_rank(columns, group_caps, time_limit_s / 2)
        order = np.argsort(-rc, kind="stable")[:keep]
        sel = sorted(set(order.tolist()) | chosen)
    time_limit_s -= time.monotonic() - started  # the wall-clock cap covers the LP as well
    if time_limit_s <= 0.01:
        return None
    model = cp_model.CpModel()
    x = {c: model.NewBoolVar("") for c in sel}
    by_item, by_group = _incidence(columns, sel)
    for cols in by_item.values():
        if len(cols) > 1:
            model.AddAtMostOne(x[c] for c in cols)
    for g, cols in by_group.items():
        if len(cols) > group_caps[g]:
            model.Add(sum(x[c] for c in cols) <= group_caps[g])
    model.Maximize(sum(columns[c][2] * x[c] for c in sel))
    for c in sel:
        model.AddHint(x[c], c in chosen)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = deterministic_s
    solver.parameters.max_time_in_seconds = time_limit_s
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [c for c in sel if solver.BooleanValue(x[c])]
