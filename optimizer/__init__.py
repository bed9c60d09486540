"""Bunga Desa visit planner: multi-day prize-collecting routing on OR-Tools, as a pure library.

No Flask, no database: frozen dataclasses in, frozen dataclasses out. See ``optimizer/README.md``.
"""

from optimizer.io.jsonio import problem_from_dict as problem_from_dict
from optimizer.io.jsonio import problem_to_dict as problem_to_dict
from optimizer.io.jsonio import read_problem as read_problem
from optimizer.io.jsonio import solution_to_dict as solution_to_dict
from optimizer.io.top import read_top as read_top
from optimizer.io.top import top_problem as top_problem
from optimizer.model import REASONS as REASONS
from optimizer.model import Break as Break
from optimizer.model import Day as Day
from optimizer.model import Location as Location
from optimizer.model import Lock as Lock
from optimizer.model import PreviousPlan as PreviousPlan
from optimizer.model import Problem as Problem
from optimizer.model import ProblemError as ProblemError
from optimizer.model import Route as Route
from optimizer.model import Site as Site
from optimizer.model import Solution as Solution
from optimizer.model import Unvisited as Unvisited
from optimizer.model import Visit as Visit
from optimizer.model import Window as Window
from optimizer.params import SolveParams as SolveParams
from optimizer.schedule import Timed as Timed
from optimizer.schedule import time_day as time_day
from optimizer.solver import solve as solve
from optimizer.travel import EuclideanProvider as EuclideanProvider
from optimizer.travel import HaversineProvider as HaversineProvider
from optimizer.travel import MatrixProvider as MatrixProvider
from optimizer.travel import OsrmProvider as OsrmProvider
from optimizer.travel import TravelTimeError as TravelTimeError
from optimizer.travel import TravelTimeProvider as TravelTimeProvider
from optimizer.validate import Violation as Violation
from optimizer.validate import check_solution as check_solution

__all__ = [
    "REASONS",
    "Break",
    "Day",
    "EuclideanProvider",
    "HaversineProvider",
    "Location",
    "Lock",
    "MatrixProvider",
    "OsrmProvider",
    "PreviousPlan",
    "Problem",
    "ProblemError",
    "Route",
    "Site",
    "Solution",
    "SolveParams",
    "Timed",
    "TravelTimeError",
    "TravelTimeProvider",
    "Unvisited",
    "Violation",
    "Visit",
    "Window",
    "check_solution",
    "problem_from_dict",
    "problem_to_dict",
    "read_problem",
    "read_top",
    "solution_to_dict",
    "solve",
    "time_day",
    "top_problem",
]
