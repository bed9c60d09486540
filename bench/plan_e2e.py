"""End-to-end planning benchmark: 217 desa of Banyuwangi over 20 working days (4 January – 1 February 2027),
DB → solve → stored, then the plan page render time.

    .venv/bin/python bench/plan_e2e.py [--time-limit 30] [--renders 20] [--database sqlite:///...]
    .venv/bin/python bench/plan_e2e.py --start 2027-01-01 --end 2027-12-31 --mode berkantor --weekdays 2,4 \
        --time-limit 50 --target 60        # a year, two Bunga Desa days a week

Reads village locations from ../shared/data/banyuwangi/desa.csv (beside the checkout). Prints figures; the target
is end-to-end ≤ time limit + 5 s and the plan page in under 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DESA_CSV = ROOT.parent / "shared" / "data" / "banyuwangi" / "desa.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=int, default=30)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--start", default="2027-01-04", help="first day (default: 4 January 2027)")
    parser.add_argument("--end", default="2027-02-01", help="last day (default: 1 February 2027)")
    parser.add_argument("--mode", default="kunjungan", choices=("kunjungan", "berkantor"))
    parser.add_argument("--weekdays", default=None, help="ISO weekdays, e.g. 2,4 (default: the settings)")
    parser.add_argument("--target", type=float, default=None,
                        help="end-to-end target in seconds (default: time limit + 5)")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from app.aspirations import services as aspirations
    from app.auth.models import User
    from app.extensions import db
    from app.planning import services as planning
    from app.regions import demo
    from app.regions import services as regions
    from app.regions.models import Desa, Place

    url = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='bunga-bench-')}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "b" * 40, "PII_KEY": "p" * 40,
                      "WTF_CSRF_ENABLED": False, "PLAN_RUNNER": "manual"})
    with app.app_context():
        upgrade()
        regency = regions.init_regency("35.10").regency
        result = regions.import_locations(regency, "desa.csv", DESA_CSV.read_bytes())
        assert result.ok, result.errors[:3]
        demo.seed_demo(regency, "bench-password-123")
        planner = db.session.scalar(select(User).where(User.username == "perencana"))
        codes = list(db.session.scalars(select(Desa.code).order_by(Desa.code)))
        for k, code in enumerate(codes[::4]):  # open aspirations on a quarter of the desa, varied urgency
            aspirations.submit_aspiration(planner, aspirations.AspirationInput(
                desa_code=code, category="adminduk", title=f"Perekaman KTP-el warga dusun {k}",
                description="Warga lansia belum merekam KTP-el.",
                urgency=("rendah", "sedang", "tinggi", "darurat")[k % 4],
                services=[("perekaman_ktp_el", 10 + k)]))
        office = db.session.scalar(select(Place).where(Place.kind == "office"))
        plan = planning.create_plan(planner, planning.PlanInput(
            start=date.fromisoformat(args.start), end=date.fromisoformat(args.end), mode=args.mode,
            start_place_id=office.id, time_limit_s=args.time_limit,
            weekdays=tuple(int(d) for d in args.weekdays.split(",")) if args.weekdays else None))
        t0 = time.perf_counter()
        plan = planning.run_plan(plan.id)
        e2e = time.perf_counter() - t0
        visits = sum(len(d.visits) for d in plan.days)
        print(f"plan status: {plan.status}  working days: {len(plan.days)}  candidate desa: {len(plan.priorities)}")
        print(f"visits: {visits}  unvisited: {len(plan.unvisited)}  total priority: {plan.total_priority:.1f}  "
              f"travel: {plan.total_travel_min / 60:.1f} h")
        target = args.target if args.target is not None else args.time_limit + 5
        print(f"end to end (priorities → problem → solve → check → store): {e2e:.2f} s "
              f"(time limit {args.time_limit} s, target ≤ {target:g} s): {'MET' if e2e <= target else 'NOT MET'}")
        if plan.problem and plan.problem.get("day_discount"):
            score = {p.desa_id: p.score for p in plan.priorities}
            by_q = {}
            for d in plan.days:
                for v in d.visits:
                    by_q.setdefault((d.day.month - 1) // 3 + 1, []).append(score[v.desa_id])
            print("mean priority of the desa visited per quarter: " + ", ".join(
                f"Q{q} {sum(v) / len(v):.1f} ({len(v)})" for q, v in sorted(by_q.items())))
        plan_id = plan.id
        first_day = next(d.day for d in plan.days if d.visits)
        last_week = max(d.day for d in plan.days)
    from sqlalchemy import event

    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.__setitem__(0, statements[0] + 1))
    client = app.test_client()
    client.post("/masuk", data={"username": "perencana", "password": "bench-password-123"})
    monday = (last_week.toordinal() - last_week.weekday())
    pages = {"plan page (first week on the map)": f"/rencana/{plan_id}",
             "plan page, last week on the map": f"/rencana/{plan_id}?peta={date.fromordinal(monday).isoformat()}",
             "day page": f"/rencana/{plan_id}/hari/{first_day.isoformat()}"}
    for label, path in pages.items():
        client.get(path)  # warm-up (template compilation)
        times = []
        statements[0] = 0
        for _ in range(args.renders):
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label} over {args.renders} requests: median {statistics.median(times):.0f} ms, "
              f"p95 {p95:.0f} ms, {statements[0] / args.renders:.0f} SQL statements, "
              f"size {len(response.data) / 1024:.0f} KB (target < 300 ms): "
              f"{'MET' if statistics.median(times) < 300 else 'NOT MET'}")


if __name__ == "__main__":
    main()
