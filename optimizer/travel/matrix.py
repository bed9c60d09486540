"""An explicit travel matrix, e.g. measured by the district's drivers, read from JSON or CSV."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from pathlib import Path

from optimizer.model import Location, ProblemError

__all__ = ["MatrixProvider"]


class MatrixProvider:
    """Looks travel minutes up in a given matrix.

    With ``ids`` the matrix rows/columns are matched to locations by id (so the matrix may list more places, in
    any order); without, it must be exactly as long as the location list, in the same order.
    """

    def __init__(self, minutes: Sequence[Sequence[float]], ids: Sequence[str] | None = None) -> None:
        rows = [[float(x) for x in row] for row in minutes]
        n = len(rows)
        for i, row in enumerate(rows):
            if len(row) != n:
                raise ProblemError(f"Row {i} of the travel matrix has {len(row)} entries; expected {n}.")
            for j, x in enumerate(row):
                if not math.isfinite(x) or x < 0:
                    raise ProblemError(f"The travel matrix entry [{i}][{j}] is {x}; it must be a finite number >= 0.")
        if ids is not None:
            ids = [str(i) for i in ids]
            if len(ids) != n:
                raise ProblemError(f"The travel matrix has {n} rows but {len(ids)} ids.")
            if len(set(ids)) != n:
                raise ProblemError("The travel matrix lists the same id twice.")
        self.rows, self.ids = rows, ids

    @classmethod
    def from_json(cls, path: str | Path) -> MatrixProvider:
        """``[[...]]`` or ``{"ids": [...], "minutes": [[...]]}``."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, dict):
            if "minutes" not in data:
                raise ProblemError(f"{path} must hold a list of rows or an object with a 'minutes' key.")
            return cls(data["minutes"], data.get("ids"))
        return cls(data)

    @classmethod
    def from_csv(cls, path: str | Path) -> MatrixProvider:
        """A square table whose header row and first column are location ids (first header cell ignored)."""
        with Path(path).open(newline="", encoding="utf-8") as fh:
            table = [row for row in csv.reader(fh) if row]
        if not table:
            raise ProblemError(f"{path} is empty; expected a header row of location ids.")
        header, body = table[0][1:], table[1:]
        if [r[0] for r in body] != header:
            raise ProblemError(f"In {path} the first column must list the same ids, in the same order, as the header.")
        try:
            minutes = [[float(x) for x in r[1:]] for r in body]
        except ValueError as exc:
            raise ProblemError(f"{path} holds a value that is not a number ({exc}).") from None
        return cls(minutes, header)

    def matrix(self, locations: Sequence[Location]) -> list[list[float]]:
        """The sub-matrix for ``locations``."""
        if self.ids is None:
            if len(locations) != len(self.rows):
                raise ProblemError(
                    f"The travel matrix has {len(self.rows)} rows but there are {len(locations)} locations; "
                    "give ids to match them."
                )
            return [list(r) for r in self.rows]
        pos = {k: i for i, k in enumerate(self.ids)}
        missing = [loc.id for loc in locations if loc.id not in pos]
        if missing:
            raise ProblemError(f"The travel matrix has no row for location {missing[0]!r}.")
        idx = [pos[loc.id] for loc in locations]
        return [[self.rows[i][j] for j in idx] for i in idx]
