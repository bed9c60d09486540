"""Report benchmark: an annual DPRD report over a realistic year (250 visits, 5,000 aspirations, 100,000 service
records) and one visit report, each generated end to end (DB → data → PDF → archive) in a fresh process so its peak
memory is its own.

    .venv/bin/python bench/report_e2e.py [--database sqlite:///...]

Targets (issue 7): DPRD report < 10 s and < 600 MB peak; visit report < 2 s.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DESA_CSV = ROOT.parent / "shared" / "data" / "banyuwangi" / "desa.csv"
CONFIG = {"TESTING": True, "SECRET_KEY": "b" * 40, "PII_KEY": "p" * 40, "WTF_CSRF_ENABLED": False,
          "PLAN_RUNNER": "manual"}


def seed(url: str) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from app import create_app
    from app.aspirations.models import Aspiration, AspirationCategory
    from app.auth.models import User
    from app.core.catalog import SERVICE_TYPES
    from app.core.nik import mask_nik
    from app.core.pii import cipher_from_config
    from app.extensions import db
    from app.regions import demo
    from app.regions import services as regions
    from app.regions.models import Desa
    from app.visits.models import Commitment, ServiceRecord, Visit, VisitServiceCount

    rng = random.Random(2026)
    app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        regency = regions.init_regency("35.10").regency
        assert regions.import_locations(regency, "desa.csv", DESA_CSV.read_bytes()).ok
        demo.seed_demo(regency, "bench-password-123")
        planner = db.session.scalar(select(User).where(User.username == "perencana"))
        desa = list(db.session.scalars(select(Desa).order_by(Desa.code)))
        categories = list(db.session.scalars(select(AspirationCategory)))
        days = [date(2026, 1, 5) + timedelta(days=k) for k in range(360)]
        workdays = [d for d in days if d.weekday() < 5]
        visit_rows = [{"regency_id": regency.id, "desa_id": rng.choice(desa).id, "day": rng.choice(workdays),
                       "status": "selesai" if k < 235 else "dijadwalkan", "mode": "kunjungan"} for k in range(250)]
        db.session.execute(insert(Visit), visit_rows)
        visits = list(db.session.scalars(select(Visit)))
        statuses = ("diajukan", "diverifikasi", "didisposisikan", "ditindaklanjuti", "selesai", "selesai", "ditolak")
        aspiration_rows = []
        for k in range(5000):
            submitted = rng.choice(days)
            status = rng.choice(statuses)
            aspiration_rows.append({
                "reference": f"ASP-2026-B{k:05d}", "regency_id": regency.id, "desa_id": rng.choice(desa).id,
                "submitted_by_id": planner.id, "channel": "assisted", "category_id": rng.choice(categories).id,
                "title": f"Aspirasi contoh nomor {k}", "description": "Data uji benchmark.",
                "urgency": rng.choice(("rendah", "sedang", "tinggi", "darurat")), "status": status,
                "submitted_on": submitted, "due_on": submitted + timedelta(days=5),
                "resolved_on": submitted + timedelta(days=rng.randint(3, 40)) if status == "selesai" else None,
                "confidential": k % 50 == 0, "supporters": 0, "version": 1, "anonymous": False})
        db.session.execute(insert(Aspiration), aspiration_rows)
        cipher = cipher_from_config(app.config)
        codes = list(SERVICE_TYPES)
        records, counts = [], {}
        held = [v for v in visits if v.status == "selesai"]
        for k in range(100_000):
            v = held[k % len(held)]
            code = codes[k % len(codes)]
            nik = (f"3510{k % 25 + 1:02d}{(k // 25) % 28 + 1:02d}{(k // 700) % 12 + 1:02d}"
                   f"{70 + (k // 8400) % 30:02d}{k // 252000 + 1:04d}")  # unique synthetic NIKs, not real people
            index = cipher.blind_index(nik)
            records.append({"visit_id": v.id, "service_code": code, "nik_index": index, "nik_masked": mask_nik(nik),
                            "nik_encrypted": cipher.encrypt(nik, aad=f"service_record:{v.id}:{code}:{index}"),
                            "from_other_regency": False})
            counts[(v.id, code)] = counts.get((v.id, code), 0) + 1
        db.session.execute(insert(ServiceRecord), records)
        db.session.execute(insert(VisitServiceCount), [{"visit_id": v, "service_code": c, "count": n}
                                                       for (v, c), n in counts.items()])
        db.session.execute(insert(Commitment), [{"visit_id": v.id, "description": "Komitmen contoh",
                                                 "owner_sector": "infrastruktur", "due_on": v.day + timedelta(days=60),
                                                 "budget_source": "APBD", "status": "terbuka"} for v in held[:80]])
        db.session.commit()
        print(f"seeded: {len(visits)} visits, {len(aspiration_rows)} aspirations, {len(records)} service records")


def measure(url: str, kind: str) -> None:
    from sqlalchemy import select

    from app import create_app
    from app.auth.models import User
    from app.extensions import db
    from app.reports import services
    from app.visits.models import Visit

    app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        planner = db.session.scalar(select(User).where(User.username == "perencana"))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        if kind == "dprd":
            row = services.generate_dprd_report(planner, date(2026, 1, 1), date(2026, 12, 31))
        else:
            visit = db.session.scalar(select(Visit).where(Visit.status == "selesai").order_by(Visit.id))
            row = services.generate_visit_report(planner, visit)
        seconds = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{kind}: {seconds:.2f} s, peak RSS {peak:.0f} MB (process start {before / 1024:.0f} MB), "
              f"PDF {row.size / 1024:.0f} KB, sha256 {row.pdf_sha256[:12]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--measure", choices=("dprd", "visit"), default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.database, args.measure)
        return
    url = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='bunga-report-bench-')}/bench.sqlite3"
    seed(url)
    for kind in ("dprd", "visit"):
        subprocess.run([sys.executable, __file__, "--database", url, "--measure", kind], check=True)


if __name__ == "__main__":
    main()
