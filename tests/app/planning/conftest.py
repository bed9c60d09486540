"""Planning fixtures: a world with the Pendopo and a helper that queues and runs a plan."""

from __future__ import annotations

from datetime import date

import pytest

from app.planning import services


@pytest.fixture
def make_plan(world):
    """make_plan(start, end, mode="kunjungan", **kw) → a finished plan (run by the same worker function)."""

    def _make(start=date(2026, 12, 1), end=date(2026, 12, 4), mode="kunjungan", run=True, **kw):
        plan = services.create_plan(world.users["planner"], services.PlanInput(
            start=start, end=end, mode=mode, start_place_id=kw.pop("start_place_id", world.office.id),
            time_limit_s=kw.pop("time_limit_s", 5), **kw))
        return services.run_plan(plan.id) if run else plan

    return _make
