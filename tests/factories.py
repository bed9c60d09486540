"""Factory helpers (Indico style): small, explicit records for each test."""

from __future__ import annotations

import functools
from typing import Any

from app.auth.models import User
from app.auth.passwords import hash_password
from app.extensions import db
from app.regions.models import Desa, Kecamatan, Place, Regency

PASSWORD = "kata-sandi-uji-coba-123"


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def create_regency(code: str = "35.10", name: str = "Kabupaten Banyuwangi") -> Regency:
    regency = Regency(code=code, name=name, kind="kabupaten", province_name="Jawa Timur")
    db.session.add(regency)
    db.session.flush()
    return regency


def create_kecamatan(regency: Regency, code: str, name: str, ref: tuple[float, float] | None = None) -> Kecamatan:
    kec = Kecamatan(regency_id=regency.id, code=code, name=name,
                    ref_lat=ref[0] if ref else None, ref_lon=ref[1] if ref else None)
    db.session.add(kec)
    db.session.flush()
    return kec


def create_desa(kec: Kecamatan, code: str, name: str, **kw: Any) -> Desa:
    values: dict[str, Any] = {"kind": "desa", "lat": None, "lon": None}
    values.update(kw)
    desa = Desa(regency_id=kec.regency_id, kecamatan_id=kec.id, code=code, name=name, **values)
    db.session.add(desa)
    db.session.flush()
    return desa


def create_user(role: str, regency: Regency, username: str | None = None, **kw: Any) -> User:
    user = User(username=username or f"{role}.{db.session.query(User).count() + 1}", full_name=f"Uji {role}",
                password_hash=_password_hash(), role=role, regency_id=regency.id, **kw)
    db.session.add(user)
    db.session.flush()
    return user


class World:
    """Two kecamatan with two desa each, one user per role scoped to the first desa/kecamatan, and a second
    regency with its own desa to prove regency scoping."""

    def __init__(self) -> None:
        from app.aspirations.seed import ensure_catalogue
        from app.visits.services import ensure_service_types

        ensure_catalogue()
        ensure_service_types()
        self.regency = create_regency()
        self.kec_a = create_kecamatan(self.regency, "35.10.09", "Genteng", (-8.348, 114.148))
        self.kec_b = create_kecamatan(self.regency, "35.10.16", "Banyuwangi", (-8.228, 114.368))
        self.desa_a = create_desa(self.kec_a, "35.10.09.2001", "Kembiritan", lat=-8.35, lon=114.15,
                                  location_source="imported", population=5000, households=1500,
                                  poor_households=300)
        self.desa_a2 = create_desa(self.kec_a, "35.10.09.2002", "Genteng Kulon", lat=-8.36, lon=114.14,
                                   location_source="approximate", population=8000, households=2500,
                                   poor_households=100)
        self.desa_b = create_desa(self.kec_b, "35.10.16.1001", "Pakis", kind="kelurahan", lat=-8.22,
                                  lon=114.36, location_source="imported", population=9000, households=3000,
                                  poor_households=450)
        self.office = Place(regency_id=self.regency.id, name="Pendopo", kind="office", lat=-8.2147, lon=114.3686)
        db.session.add(self.office)
        self.other_regency = create_regency("35.09", "Kabupaten Jember")
        kec_x = create_kecamatan(self.other_regency, "35.09.01", "Kencong")
        self.desa_x = create_desa(kec_x, "35.09.01.2001", "Wonorejo", lat=-8.28, lon=113.37)
        r = self.regency
        self.users = {
            "admin": create_user("admin", r, "admin"),
            "planner": create_user("planner", r, "perencana"),
            "kepala_desa": create_user("kepala_desa", r, "kades.a", desa_id=self.desa_a.id),
            "camat": create_user("camat", r, "camat.a", kecamatan_id=self.kec_a.id),
            "opd": create_user("opd", r, "opd.adminduk", sector="adminduk"),
            "dprd": create_user("dprd", r, "dprd"),
        }
        self.kades_b = create_user("kepala_desa", r, "kades.b", desa_id=self.desa_b.id)
        db.session.commit()


def create_done_plan(world: World, start: str = "2026-12-01", end: str = "2026-12-04"):
    """A finished plan without running the solver: each desa alone on its own day, timed exactly.

    For tests about access and pages, where a real search would only cost time.
    """
    from datetime import date

    import optimizer
    from app.planning import services, translate
    from app.planning.models import Plan
    from optimizer.schedule import time_route

    actor = world.users["planner"]
    plan = services.create_plan(actor, services.PlanInput(start=date.fromisoformat(start), end=date.fromisoformat(end),
                                                          mode="kunjungan", start_place_id=world.office.id,
                                                          time_limit_s=5))
    plan = db.session.get(Plan, plan.id)
    priorities = translate.compute_for_regency(plan.regency_id, plan.weights, plan.start_date)
    problem = translate.build_problem(plan, priorities)
    routes = []
    for k, day in enumerate(problem.days):
        seq = [k] if k < len(problem.sites) else []
        timed = time_route(problem, k, seq)
        routes.append(optimizer.Route(day=day.id, visits=timed.visits, depart_min=timed.depart_min,
                                      return_min=timed.return_min, travel_min=timed.travel_min))
    solution = optimizer.Solution(routes=tuple(routes), total_prize=sum(s.prize for s in problem.sites[:len(routes)]))
    plan.problem = translate.problem_snapshot(problem)
    plan.data_hash = translate.problem_digest(problem)
    translate.store_solution(plan, problem, solution, priorities)
    plan.status, plan.progress = "done", 1.0
    db.session.commit()
    return plan
