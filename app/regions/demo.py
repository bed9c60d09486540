"""Demo data for Banyuwangi: approximate locations, demo figures, the Pendopo and users for every role.

Everything made here is labelled as demo data (figures_source "DEMO …", users.is_demo, location "approximate"),
so nobody mistakes it for official figures.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.auth.passwords import hash_password
from app.core.audit import record_audit
from app.core.errors import DomainError
from app.core.services import unit_of_work
from app.extensions import db
from app.regions.models import Desa, Kecamatan, Place, PovertyFigure, PovertyImport, Regency
from app.regions.poverty import DEMO_SOURCE
from app.regions.reference_points import KECAMATAN_REFERENCE_POINTS, PENDOPO

DEMO_REGENCY = "35.10"
DEMO_FIGURES_SOURCE = "DEMO — angka contoh, bukan data resmi"
DEMO_EMAIL_DOMAIN = "demo.bunga-desa.test"
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

STAFF = [
    ("admin", "Admin Bunga Desa", "admin", None),
    ("perencana", "Perencana Kantor Bupati", "planner", None),
    ("dprd", "Anggota DPRD (demo)", "dprd", None),
    ("opd.adminduk", "Petugas Dispendukcapil", "opd", "adminduk"),
    ("opd.kesehatan", "Petugas Dinas Kesehatan", "opd", "kesehatan"),
    ("opd.pendidikan", "Petugas Dinas Pendidikan", "opd", "pendidikan"),
    ("opd.sosial", "Petugas Dinas Sosial", "opd", "sosial"),
]

LODGING = [  # overnight stays for tours in the far south and north (demo places)
    ("Penginapan Pesanggaran (demo)", "35.10.01"),
    ("Penginapan Wongsorejo (demo)", "35.10.18"),
]


@dataclass
class DemoResult:
    """What the demo command made, for the printed summary."""

    users_created: int = 0
    places_created: int = 0
    approximate_located: int = 0
    figures_set: int = 0
    poverty_deciles: int = 0  # desa given demo decile figures (recorded as an import with source "data contoh")
    logins: list[tuple[str, str]] = field(default_factory=list)


def _unit(code: str, salt: str) -> float:
    """A stable pseudo-random number in [0, 1) from a code, so the demo is the same on every machine."""
    digest = hashlib.sha256(f"{salt}:{code}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def approximate_position(ref: tuple[float, float], index: int) -> tuple[float, float]:
    """Spread a kecamatan's desa on a sunflower spiral 1.5–5 km around its reference point."""
    radius_km = 1.5 + 1.2 * math.sqrt(index)
    angle = index * _GOLDEN_ANGLE
    dlat = radius_km * math.sin(angle) / 111.0
    dlon = radius_km * math.cos(angle) / (111.0 * math.cos(math.radians(ref[0])))
    return round(ref[0] + dlat, 5), round(ref[1] + dlon, 5)


def demo_figures(code: str, kind: str) -> tuple[int, int, int]:
    """Population, households and poor households of a plausible size (kelurahan are larger, less poor)."""
    base = 9000 if kind == "kelurahan" else 5500
    population = int(base * (0.45 + 1.3 * _unit(code, "pop")))
    households = int(population / (3.1 + 0.6 * _unit(code, "hh")))
    share = (0.04 + 0.14 * _unit(code, "poor")) if kind == "kelurahan" else (0.07 + 0.28 * _unit(code, "poor"))
    return population, households, int(households * share)


PRODUCTION_REFUSAL = ("Data demo tidak dibuat: BUNGA_ENV=production. Perintah demo membuat akun untuk setiap peran, "
                      "termasuk admin, dengan kata sandi yang tercantum di README; di produksi buat akun dengan "
                      "'flask --app wsgi users create-admin'. Tidak ada yang diubah.")


def demo_forbidden() -> bool:
    """True in production: demo accounts with the published password must never exist there."""
    return current_app.config.get("BUNGA_ENV") == "production"


@unit_of_work
def seed_demo(regency: Regency, password: str, *, place_approximately: bool = True) -> DemoResult:
    """Add demo places, approximate locations, demo figures and demo users (idempotent; never in production).

    :raise DomainError: in production.
    """
    if demo_forbidden():
        raise DomainError(PRODUCTION_REFUSAL)
    from app.aspirations.seed import ensure_catalogue
    from app.visits.services import ensure_service_types

    ensure_catalogue()  # already there after the migrations; needed on a schema made without them
    ensure_service_types()
    result = DemoResult()
    kecamatan = list(db.session.scalars(select(Kecamatan).where(Kecamatan.regency_id == regency.id)
                                        .order_by(Kecamatan.code)))
    for kec in kecamatan:
        ref = (kec.ref_lat, kec.ref_lon) if kec.ref_lat is not None else KECAMATAN_REFERENCE_POINTS.get(kec.code)
        for index, desa in enumerate(kec.desa):
            if place_approximately and desa.lat is None and ref is not None:
                desa.lat, desa.lon = approximate_position(ref, index)
                desa.location_source = "approximate"
                result.approximate_located += 1
            if desa.population is None:
                desa.population, desa.households, desa.poor_households = demo_figures(desa.code, desa.kind)
                desa.figures_source = DEMO_FIGURES_SOURCE
                result.figures_set += 1
    _seed_poverty(regency, result)
    _seed_places(regency, result)
    _seed_users(regency, kecamatan, password, result)
    record_audit("demo_seeded", "regency", regency.code,
                 after={"users": result.users_created, "approximate": result.approximate_located,
                        "figures": result.figures_set, "poverty_deciles": result.poverty_deciles})
    return result


def demo_deciles(code: str, poor: int) -> tuple[int, int, int, int]:
    """Split demo poor households into welfare deciles 1–4 (the poorest decile the smallest), summing to `poor`."""
    d1 = int(poor * (0.12 + 0.1 * _unit(code, "d1")))
    d2 = int(poor * (0.2 + 0.06 * _unit(code, "d2")))
    d3 = int(poor * 0.27)
    return d1, d2, d3, poor - d1 - d2 - d3


def _seed_poverty(regency: Regency, result: DemoResult) -> None:
    """Demo decile figures for the desa with demo counts, recorded as the import "data contoh" (is_demo), unless
    the regency already has its own poverty data."""
    imports = list(db.session.scalars(select(PovertyImport).where(PovertyImport.regency_id == regency.id)))
    if any(not imp.is_demo for imp in imports):
        return
    covered = set(db.session.scalars(select(PovertyFigure.desa_id).where(PovertyFigure.current.is_(True))
                                     .join(Desa, Desa.id == PovertyFigure.desa_id)
                                     .where(Desa.regency_id == regency.id)))
    todo = [d for d in db.session.scalars(select(Desa).where(Desa.regency_id == regency.id).order_by(Desa.code))
            if d.figures_are_demo and d.households is not None and d.poor_households is not None
            and d.id not in covered]
    if not todo:
        return
    demo = imports[0] if imports else PovertyImport(regency_id=regency.id, source=DEMO_SOURCE, is_demo=True,
                                                    file_name=None, row_count=0)
    db.session.add(demo)
    db.session.flush()
    for desa in todo:
        d1, d2, d3, d4 = demo_deciles(desa.code, desa.poor_households)
        db.session.add(PovertyFigure(import_id=demo.id, desa_id=desa.id, households=desa.households, desil_1=d1,
                                     desil_2=d2, desil_3=d3, desil_4=d4, current=True))
    demo.row_count += len(todo)
    result.poverty_deciles = len(todo)


def _seed_places(regency: Regency, result: DemoResult) -> None:
    existing = set(db.session.scalars(select(Place.name).where(Place.regency_id == regency.id)))
    wanted = [("Pendopo Sabha Swagata Blambangan", "office", PENDOPO)]
    for name, kec_code in LODGING:
        ref = KECAMATAN_REFERENCE_POINTS.get(kec_code)
        if ref:
            wanted.append((name, "lodging", ref))
    for name, kind, (lat, lon) in wanted:
        if name not in existing:
            db.session.add(Place(regency_id=regency.id, name=name, kind=kind, lat=lat, lon=lon))
            result.places_created += 1


def _seed_users(regency: Regency, kecamatan: list[Kecamatan], password: str, result: DemoResult) -> None:
    # One scrypt hash shared by every demo account keeps seeding fast; demo accounts are never production users.
    password_hash = hash_password(password)
    existing = set(db.session.scalars(select(User.username)))
    wanted: list[dict[str, Any]] = [
        {"username": u, "full_name": n, "role": r, "sector": s} for u, n, r, s in STAFF
    ]
    for kec in kecamatan:
        wanted.append({"username": f"camat.{kec.code}", "full_name": f"Camat {kec.name}", "role": "camat",
                       "kecamatan_id": kec.id})
        for desa in kec.desa:
            title = "Lurah" if desa.kind == "kelurahan" else "Kepala Desa"
            wanted.append({"username": f"kades.{desa.code}", "full_name": f"{title} {desa.name}",
                           "role": "kepala_desa", "desa_id": desa.id})
    for spec in wanted:
        result.logins.append((spec["username"], spec["role"]))
        if spec["username"] in existing:
            continue
        db.session.add(User(regency_id=regency.id, password_hash=password_hash, is_demo=True,
                            email=f"{spec['username']}@{DEMO_EMAIL_DOMAIN}", **spec))
        result.users_created += 1



def has_imported_places(regency: Any) -> bool:
    """Whether any desa of the regency has imported (not approximate) coordinates: the demo then leaves them be."""
    return db.session.scalar(select(Desa.id).where(Desa.regency_id == regency.id,
                                                   Desa.location_source == "imported").limit(1)) is not None
