"""A year-long plan: on the chosen weekdays only, one desa a day in berkantor mode, the most important desa first."""

from __future__ import annotations

import random
from datetime import date

from app.extensions import db
from tests.factories import create_desa


def test_a_twelve_month_plan_on_tuesdays_and_thursdays_front_loads_the_priorities(world, make_plan):
    rng = random.Random(7)
    for k in range(130):  # more desa than Tuesdays and Thursdays in a year, with very different poverty
        kec = (world.kec_a, world.kec_b)[k % 2]
        households = 1000
        create_desa(kec, f"35.10.{kec.code[-2:]}.{3000 + k}", f"Desa {k}", lat=-8.2 - rng.random() * 0.3,
                    lon=114.0 + rng.random() * 0.35, location_source="imported", population=4000,
                    households=households, poor_households=rng.randint(0, 600))
    db.session.commit()
    plan = make_plan(start=date(2027, 1, 1), end=date(2027, 12, 31), mode="berkantor", weekdays=(2, 4),
                     time_limit_s=10)
    assert plan.status == "done", plan.message
    assert plan.problem["day_discount"] > 0
    visits = [(d.day, v) for d in plan.days for v in d.visits]
    assert len(visits) > 90
    assert all(day.isoweekday() in (2, 4) for day, _ in visits)  # Tuesdays and Thursdays only
    assert all(len(d.visits) <= 1 for d in plan.days)  # berkantor: one desa a day
    score = {p.desa_id: p.score for p in plan.priorities}
    first = [score[v.desa_id] for day, v in visits if day.month <= 3]
    last = [score[v.desa_id] for day, v in visits if day.month >= 10]
    assert first and last
    # clearly, not by chance: without front-loading both quarters measured within a point of each other
    assert sum(first) / len(first) > sum(last) / len(last) + 8
