"""Road travel times: with BUNGA_OSRM_URL every leg of a plan is the OSRM server's duration (rounded up to whole
minutes), cached per set of coordinates; a failing server fails the run with a message naming it; measured pair
times win over both; the plan records and shows its travel model."""

from __future__ import annotations

import math
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.planning.models import TravelMatrixCache, TravelOverride
from tests.fake_osrm import fake_osrm, seconds


@pytest.fixture
def osrm(app, monkeypatch):
    with fake_osrm() as (url, server):
        monkeypatch.setitem(app.config, "OSRM_URL", url)
        yield url, server


def _coords(plan) -> dict[str, tuple[float, float]]:
    problem = plan.problem
    return {loc["id"]: (loc["lon"], loc["lat"]) for loc in problem["locations"]}


def test_every_leg_is_the_osrm_servers_duration_and_the_matrix_is_cached(world, make_plan, osrm):
    _url, server = osrm
    plan = make_plan()
    assert plan.status == "done" and plan.travel_model == "osrm" and plan.travel_overrides == 0
    coords = _coords(plan)
    legs = 0
    for day in plan.days:
        previous = coords[f"place-{day.start_place_id}"]
        for v in day.visits:
            here = coords[v.desa.code]
            assert v.travel_min == math.ceil(seconds(previous, here) / 60)  # nothing added, rounded up
            previous, legs = here, legs + 1
        if day.visits:
            home = coords[f"place-{day.end_place_id}"]
            assert day.return_min == pytest.approx(day.visits[-1].end_min + math.ceil(seconds(previous, home) / 60))
    assert legs > 0 and len(server.requests) == 1
    again = make_plan()
    assert again.status == "done" and len(server.requests) == 1  # same places: the cached matrix
    assert db.session.scalar(select(func.count(TravelMatrixCache.id))) == 1


def test_an_osrm_server_that_is_down_fails_the_run_and_names_the_server(world, make_plan, osrm):
    url, server = osrm
    server.down = True
    plan = make_plan()
    assert plan.status == "failed"
    assert url in plan.message and "OSRM" in plan.message and "garis lurus" in plan.message
    assert plan.days == []


def test_measured_pair_times_win_over_the_road_durations(world, make_plan, osrm):
    db.session.add(TravelOverride(regency_id=world.regency.id, from_desa_id=world.desa_a.id,
                                  to_desa_id=world.desa_b.id, minutes=95))
    db.session.commit()
    plan = make_plan()
    ids = [loc["id"] for loc in plan.problem["locations"]]
    a, b = ids.index(world.desa_a.code), ids.index(world.desa_b.code)
    matrix = plan.problem["travel_min"]
    assert matrix[a][b] == 95 and matrix[b][a] == 95  # one direction measured: both ways
    assert plan.travel_model == "osrm" and plan.travel_overrides == 2


def test_without_osrm_the_plan_says_it_used_straight_lines(world, make_plan, login, token, client):
    plan = make_plan(start=date(2026, 12, 1), end=date(2026, 12, 2))
    assert plan.travel_model == "haversine"
    html = login(world.users["planner"]).get(f"/rencana/{plan.id}").get_data(as_text=True)
    assert 'data-model="haversine"' in html and "perkiraan garis lurus" in html
    body = client.get(f"/api/v1/plans/{plan.id}", headers=token(world.users["planner"])).get_json()
    assert body["travel_model"] == "haversine"
    visits = [v for d in body["days"] for v in d["visits"]]
    assert visits and all(isinstance(v["priority"], float) and v["priority"] > 0 for v in visits)


def test_measured_travel_times_import_all_or_nothing_through_the_settings_page(world, login):
    import io

    client = login(world.users["planner"])
    good = (f"from_code,to_code,minutes\n{world.desa_a.code},{world.desa_b.code},75\n"
            f"{world.desa_a2.code.replace('.', '')},{world.desa_a.code},20\n").encode()
    bad = (f"kode_asal;kode_tujuan;menit\n{world.desa_a.code};{world.desa_b.code};75\n"
           f"{world.desa_x.code};{world.desa_a.code};20\n{world.desa_a.code};{world.desa_a.code};5\n"
           f"{world.desa_b.code};99.99;abc\n").encode()
    response = client.post("/rencana/pengaturan/waktu-tempuh", data={"file": (io.BytesIO(bad), "ukur.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-testid="import-errors"' in html
    assert "tidak ada di kabupaten ini" in html and "asal dan tujuan sama" in html and "bilangan bulat" in html
    assert "bukan kode desa" in html and "Tidak ada yang disimpan" in html
    assert db.session.scalar(select(func.count(TravelOverride.id))) == 0  # one bad row: nothing saved
    response = client.post("/rencana/pengaturan/waktu-tempuh", data={"file": (io.BytesIO(good), "ukur.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    pairs = {(o.from_desa_id, o.to_desa_id): o.minutes for o in db.session.scalars(select(TravelOverride))}
    assert pairs == {(world.desa_a.id, world.desa_b.id): 75, (world.desa_a2.id, world.desa_a.id): 20}
    page = client.get("/rencana/pengaturan").get_data(as_text=True)
    assert "Tersimpan: 2 pasangan" in page
    kades = login(world.users["kepala_desa"])
    denied = kades.post("/rencana/pengaturan/waktu-tempuh", data={"file": (io.BytesIO(good), "ukur.csv")},
                        content_type="multipart/form-data")
    assert denied.status_code == 403


def test_the_import_service_refuses_other_roles(world):
    from app.core.errors import Forbidden
    from app.planning.travel_import import import_travel_times

    with pytest.raises(Forbidden):
        import_travel_times(world.users["kepala_desa"], "a.csv", b"from_code,to_code,minutes\n")
