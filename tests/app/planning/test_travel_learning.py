"""Travel learnt from the visit log, on synthetic logs with known true speeds: the fit recovers each kecamatan's
speed, one click applies it, the straight-line model then uses it, and the visit summary shows planned vs actual."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import optimizer
from app.extensions import db
from app.planning import travel_learning
from app.planning.models import KecamatanTravel
from app.planning.travel import travel_matrix
from app.visits.models import Visit
from optimizer.travel import haversine_km
from tests.factories import create_desa

TRUE_SPEED = {"35.10.09": 25.0, "35.10.16": 50.0}  # Genteng slow (hills), Banyuwangi town fast


def _true_minutes(a, b) -> float:
    km = haversine_km(a.lat, a.lon, b.lat, b.lon) * 1.35
    return 10 + km / TRUE_SPEED[b.kecamatan.code] * 60


def _log(world) -> list:
    extra = [create_desa(world.kec_a, f"35.10.09.20{k:02d}", f"Genteng {k}", lat=-8.33 - k * 0.01,
                         lon=114.12 + k * 0.01) for k in range(3, 6)]
    extra += [create_desa(world.kec_b, f"35.10.16.10{k:02d}", f"Kota {k}", lat=-8.20 - k * 0.01,
                          lon=114.34 + k * 0.01) for k in range(2, 5)]
    db.session.flush()
    a_side = [world.desa_a, *extra[:3]]
    b_side = [world.desa_b, *extra[3:]]
    pairs = [(b_side[k], a_side[k]) for k in range(3)] + [(a_side[k], b_side[k + 1]) for k in range(3)]
    for n, (origin, destination) in enumerate(pairs):
        day = date(2027, 3, 1) + timedelta(days=n)
        out = datetime(2027, 3, 1, 3, 0, tzinfo=UTC) + timedelta(days=n)  # 10.00 WIB check-out
        arrive = out + timedelta(minutes=_true_minutes(origin, destination))
        db.session.add_all([
            Visit(regency_id=world.regency.id, desa_id=origin.id, day=day, status="selesai",
                  started_at=out - timedelta(minutes=90), ended_at=out),
            Visit(regency_id=world.regency.id, desa_id=destination.id, day=day, status="selesai",
                  started_at=arrive, ended_at=arrive + timedelta(minutes=90))])
    db.session.commit()
    return pairs


def test_the_fit_recovers_each_kecamatans_true_speed_and_one_click_applies_it(world):
    pairs = _log(world)
    fits = {f.kecamatan.code: f for f in travel_learning.fit_speeds(world.regency.id)}
    assert fits["35.10.09"].legs == 3 and fits["35.10.16"].legs == 3
    for code, speed in TRUE_SPEED.items():
        assert fits[code].speed_kmh == pytest.approx(speed, rel=0.01)
        assert fits[code].applied_kmh is None
    assert travel_learning.apply_speeds(world.users["planner"]) == 2
    assert sorted(row.speed_kmh for row in db.session.scalars(db.select(KecamatanTravel))) == \
        pytest.approx([25.0, 50.0], rel=0.01)
    # the straight-line model now times a leg between two Genteng desa at Genteng's speed
    a, a3 = world.desa_a, pairs[1][1]
    locations = [optimizer.Location(d.code, d.lat, d.lon) for d in (a, a3)]
    minutes = travel_matrix(world.regency.id, locations).minutes
    km = haversine_km(a.lat, a.lon, a3.lat, a3.lon) * 1.35
    assert minutes[0][1] == pytest.approx(10 + km / 25.0 * 60, rel=0.01)


def test_too_few_legs_give_no_speed_and_other_roles_cannot_apply(world):
    from app.core.errors import Forbidden

    fits = travel_learning.fit_speeds(world.regency.id)
    assert fits == []  # nothing measured yet
    with pytest.raises(Forbidden):
        travel_learning.apply_speeds(world.users["kepala_desa"])


def test_settings_page_lists_the_fits_and_the_visit_summary_shows_the_real_leg(world, login):
    pairs = _log(world)
    client = login(world.users["planner"])
    page = client.get("/rencana/pengaturan").get_data(as_text=True)
    assert 'data-testid="speed-fits"' in page and "km/jam" in page
    assert client.post("/rencana/pengaturan/kecepatan").status_code == 302
    assert db.session.scalar(db.select(db.func.count(KecamatanTravel.id))) == 2
    origin, destination = pairs[0]
    visit = db.session.scalar(db.select(Visit).where(Visit.desa_id == destination.id))
    summary = client.get(f"/kunjungan/{visit.id}/ringkasan").get_data(as_text=True)
    assert 'data-testid="leg"' in summary and origin.name in summary
    assert f"nyata {round(_true_minutes(origin, destination))} menit" in summary
