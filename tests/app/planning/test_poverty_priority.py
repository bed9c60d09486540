"""The priority rests on the regency's own poverty data (welfare deciles from DTSEN/P3KE), and a plan says which."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.extensions import db
from app.planning import translate
from app.planning.models import Plan
from app.planning.priority import PriorityInput, compute_priorities
from app.regions import demo, services

WEIGHTS = {"aspirations": 0.0, "poverty": 1.0, "since_visit": 0.0, "services": 0.0, "coverage": 0.0}


@pytest.fixture
def now(clock):
    return clock.set(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))


def _import(world, rows: list[str], source: str = "DTSEN", as_of: date = date(2026, 10, 31)):
    data = ("kode_desa,jumlah_kk,desil_1,desil_2,desil_3,desil_4\n" + "\n".join(rows) + "\n").encode()
    result = services.import_poverty(world.users["planner"], "dtsen.csv", data, source=source, as_of=as_of)
    assert result.ok, result.errors
    return result


def _ranking(world) -> list[int]:
    scores = translate.compute_for_regency(world.regency.id, WEIGHTS, date(2026, 12, 1))
    return sorted(scores, key=lambda i: -scores[i].score)


def test_desil_1_counts_twice_in_the_poverty_component():
    same_poor = [PriorityInput(1, 1000, 200, None, 0.0, 0, None, False, poorest_households=150),
                 PriorityInput(2, 1000, 200, None, 0.0, 0, None, False, poorest_households=20),
                 PriorityInput(3, 1000, 200, None, 0.0, 0, None, False)]  # no deciles: counted once
    out = compute_priorities(same_poor, WEIGHTS, date(2026, 12, 1), 24)
    assert out[1].components["poverty"] == 1.0
    assert out[2].components["poverty"] == pytest.approx(220 / 350, abs=1e-4)
    assert out[3].components["poverty"] == pytest.approx(200 / 350, abs=1e-4)
    assert out[1].score > out[2].score > out[3].score


def test_density_uses_the_weighted_poor_households_too():
    rows = [PriorityInput(1, 1000, 100, 10.0, 0.0, 0, None, False, poorest_households=100),
            PriorityInput(2, 1000, 100, 1.0, 0.0, 0, None, False, poorest_households=0)]
    out = compute_priorities(rows, WEIGHTS, date(2026, 12, 1), 24)
    # share: 0.2 vs 0.1 (max 0.2); density: 20/km² vs 100/km² (max 100)
    assert out[1].components["poverty"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.2, abs=1e-4)
    assert out[2].components["poverty"] == pytest.approx(0.5 * 0.5 + 0.5 * 1.0, abs=1e-4)


def test_an_import_changes_the_ranking(world, now):
    # demo-style counts: Kembiritan 20 %, Pakis 15 %, Genteng Kulon 4 % poor
    assert _ranking(world) == [world.desa_a.id, world.desa_b.id, world.desa_a2.id]
    _import(world, [f"{world.desa_a.code},1500,10,20,30,40",   # 6,7 % in desil 1–4
                    f"{world.desa_a2.code},2500,400,300,200,100",  # 40 %, many in desil 1
                    f"{world.desa_b.code},3000,100,200,300,400"])  # 33 %
    assert _ranking(world) == [world.desa_a2.id, world.desa_b.id, world.desa_a.id]


def test_the_same_share_ranks_higher_with_more_households_in_desil_1(world, now):
    _import(world, [f"{world.desa_a.code},1000,50,50,50,50",
                    f"{world.desa_a2.code},1000,20,60,60,60",
                    f"{world.desa_b.code},1000,150,20,15,15"])
    assert _ranking(world) == [world.desa_b.id, world.desa_a.id, world.desa_a2.id]


def test_plan_records_the_poverty_data_it_used_and_keeps_it_after_a_later_import(world, now, make_plan, login,
                                                                                  token, client):
    _import(world, [f"{world.desa_a.code},1500,10,20,30,40", f"{world.desa_a2.code},2500,400,300,200,100"])
    plan = make_plan()
    assert plan.status == "done"
    assert plan.poverty_data == {"import_id": plan.poverty_data["import_id"], "source": "DTSEN", "demo": False,
                                 "as_of": "2026-10-31", "imported_on": "2026-12-01", "desa": 2, "other_desa": 1}
    _import(world, [f"{world.desa_a.code},1500,100,20,30,40"], source="P3KE", as_of=date(2026, 11, 30))
    html = login(world.users["planner"]).get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert 'data-testid="plan-poverty-data"' in html
    assert ("Prioritas kemiskinan memakai data DTSEN, per 31 Oktober 2026 (diimpor 1 Desember 2026); "
            "1 desa memakai sumber lain atau belum punya data.") in html
    body = client.get(f"/api/v1/plans/{plan.id}", headers=token(world.users["planner"])).get_json()
    assert body["poverty_data"]["source"] == "DTSEN" and body["poverty_data"]["as_of"] == "2026-10-31"
    again = make_plan()
    assert again.poverty_data["source"] == "P3KE" and again.poverty_data["desa"] == 1


def test_plan_on_demo_figures_says_data_contoh(world, now, make_plan, login):
    for d in (world.desa_a, world.desa_a2, world.desa_b):
        d.figures_source = demo.DEMO_FIGURES_SOURCE
    db.session.commit()
    demo.seed_demo(world.regency, "kata-sandi-demo-123", place_approximately=False)
    plan = make_plan()
    assert plan.poverty_data["demo"] and plan.poverty_data["source"] == "data contoh"
    assert plan.poverty_data["other_desa"] == 0
    html = login(world.users["planner"]).get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert "Prioritas kemiskinan memakai data data contoh (bukan data resmi)." not in html
    assert "Prioritas kemiskinan memakai data contoh (bukan data resmi)." in html


def test_older_plans_without_a_record_say_nothing(world, now, make_plan, login):
    plan = make_plan()
    db.session.get(Plan, plan.id).poverty_data = None
    db.session.commit()
    html = login(world.users["planner"]).get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert 'data-testid="plan-poverty-data"' not in html


def test_plan_summary_keeps_the_shares_of_the_data_the_plan_used(world, now, make_plan):
    from app.planning.queries import plan_summary
    from app.regions.poverty import poverty_shares

    _import(world, [f"{world.desa_a.code},1000,10,10,10,10", f"{world.desa_a2.code},1000,100,100,100,100"])
    plan = make_plan()
    before = plan_summary(plan)
    _import(world, [f"{world.desa_a.code},1000,200,200,200,200"], source="P3KE", as_of=date(2026, 11, 30))
    ids = [world.desa_a.id, world.desa_a2.id, world.desa_b.id]
    assert poverty_shares(ids)[world.desa_a.id] == 0.8  # today's figures
    recorded = poverty_shares(ids, plan.poverty_data["import_id"])
    assert recorded == {world.desa_a.id: 0.04, world.desa_a2.id: 0.4, world.desa_b.id: 0.15}
    assert plan_summary(plan) == before
