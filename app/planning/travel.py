"""Travel minutes between a plan's places: road durations from the regency's OSRM server when
``BUNGA_OSRM_URL`` is set, the straight-line model otherwise, and the office's measured pair times over both.

A plan built on wrong travel times looks fine and fails on the road, so an OSRM server that fails makes the run
fail with a message naming the server — never a silent fallback to straight lines. Road matrices are cached in
the database per server and ordered set of coordinates.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

import optimizer
from app.core.errors import DomainError
from app.extensions import db
from app.planning.models import TravelMatrixCache, TravelOverride
from app.regions.models import Desa

HAVERSINE = optimizer.HaversineProvider()  # × 1.35 detour at 40 km/h + 10 minutes a leg


@dataclass(frozen=True)
class TravelMatrix:
    minutes: list[list[float]]
    model: str  # "osrm", "matrix" (measured times for every pair) or "haversine"
    overrides: int  # measured pair times used


def _cache_key(server: str, locations: list[optimizer.Location]) -> str:
    text = server + "|" + ";".join(f"{loc.lat:.6f},{loc.lon:.6f}" for loc in locations)
    return hashlib.sha256(text.encode()).hexdigest()


def _osrm_message(err: optimizer.TravelTimeError, server: str) -> str:
    """The failure in Indonesian, naming the server (the planner has to tell IT which one) and, for a missing road,
    the desa by name rather than by code."""
    p = err.params
    names = dict(db.session.execute(select(Desa.code, Desa.name).where(
        Desa.code.in_([c for c in (p.get("origin"), p.get("destination")) if c]))).all())
    detail = {
        "http": f"menjawab dengan kode HTTP {p.get('status')}",
        "timeout": f"tidak menjawab dalam {p.get('seconds')} detik",
        "unreachable": "tidak dapat dihubungi",
        "not_json": "mengirim jawaban yang bukan JSON",
        "refused": "menolak permintaan tabel waktu tempuh",
        "shape": "mengirim tabel yang ukurannya tidak sesuai",
        "no_route": f"tidak menemukan jalan dari {names.get(p.get('origin'), 'salah satu tempat')} ke "
                    f"{names.get(p.get('destination'), 'tempat lain')}",
        "bad_url": "alamatnya harus diawali http:// atau https://",
    }.get(err.reason, "gagal memberi waktu tempuh")
    return (f"Waktu tempuh jalan tidak dapat diambil: server OSRM {server} {detail}. Rencana tidak disusun dengan "
            "perkiraan garis lurus; periksa server itu (BUNGA_OSRM_URL) lalu susun ulang.")


def _osrm(server: str, locations: list[optimizer.Location]) -> list[list[float]]:
    """Whole minutes, rounded up, from the cache or the server."""
    key = _cache_key(server, locations)
    cached = db.session.scalar(select(TravelMatrixCache).where(TravelMatrixCache.key == key))
    if cached is not None and cached.size == len(locations):
        return [[float(m) for m in row] for row in cached.minutes]
    try:
        provider = optimizer.OsrmProvider(server, timeout_s=current_app.config.get("OSRM_TIMEOUT_S", 30.0),
                                          block=current_app.config.get("OSRM_MAX_TABLE", 100))
        raw = provider.matrix(locations)
    except optimizer.TravelTimeError as err:
        raise DomainError(_osrm_message(err, server)) from err
    minutes = [[0 if i == j else math.ceil(m - 1e-9) for j, m in enumerate(row)] for i, row in enumerate(raw)]
    db.session.add(TravelMatrixCache(key=key, server=server, size=len(locations), minutes=minutes))
    db.session.flush()
    return [[float(m) for m in row] for row in minutes]


def _straight_lines(locations: list[optimizer.Location]) -> list[list[float]]:
    """The straight-line model; legs into or out of a kecamatan with a learnt speed use it (the mean of both ends'
    speeds when both have one), the rest 40 km/h."""
    from app.planning.travel_learning import speeds_by_code

    speeds = speeds_by_code([loc.id for loc in locations])
    if not speeds:
        return HAVERSINE.matrix(locations)
    providers: dict[float, optimizer.HaversineProvider] = {}
    out = []
    for a in locations:
        row = []
        for b in locations:
            ends = [speeds[x.id] for x in (a, b) if x.id in speeds]
            speed = sum(ends) / len(ends) if ends else HAVERSINE.speed_kmh
            if speed not in providers:
                providers[speed] = optimizer.HaversineProvider(HAVERSINE.detour, speed, HAVERSINE.fixed_min)
            row.append(providers[speed].minutes(a, b))
        out.append(row)
    return out


def travel_matrix(regency_id: int, locations: list[optimizer.Location]) -> TravelMatrix:
    """Minutes between every pair of ``locations`` (desa are located by their code as ``id``)."""
    server = current_app.config.get("OSRM_URL") or ""
    if server:
        minutes, model = _osrm(server, locations), "osrm"
    else:
        minutes, model = _straight_lines(locations), "haversine"
    index = {loc.id: i for i, loc in enumerate(locations)}
    rows = db.session.execute(
        select(TravelOverride.minutes, Desa.code, TravelOverride.to_desa_id, TravelOverride.from_desa_id)
        .join(Desa, Desa.id == TravelOverride.from_desa_id).where(TravelOverride.regency_id == regency_id)).all()
    to_codes = dict(db.session.execute(select(Desa.id, Desa.code).where(
        Desa.id.in_({r.to_desa_id for r in rows}))).all()) if rows else {}
    measured: dict[tuple[int, int], float] = {}
    for value, from_code, to_id, _from_id in rows:
        i, j = index.get(from_code), index.get(to_codes.get(to_id))
        if i is not None and j is not None and i != j:
            measured[(i, j)] = float(value)
    for (i, j), value in list(measured.items()):  # a pair measured one way only counts for both directions
        measured.setdefault((j, i), value)
    for (i, j), value in measured.items():
        minutes[i][j] = value
    n = len(locations)
    if n > 1 and len(measured) == n * (n - 1):
        model = "matrix"
    return TravelMatrix(minutes, model, len(measured))
