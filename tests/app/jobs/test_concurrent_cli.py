"""S13 in small: two `flask jobs run visit_reminders --as-of …` processes started at the same moment → exactly one
ledger row and every reminder notified once (SQLite file, or PostgreSQL with BUNGA_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.jobs.models import JobRun
from tests.app.jobs.conftest import add_visit, notification_keys
from tests.conftest import database_url_for_tests

ROOT = Path(__file__).resolve().parents[3]


def test_two_processes_run_the_job_once(world):
    add_visit(world, date(2026, 12, 8))  # as_of + 7
    add_visit(world, date(2026, 12, 2), desa=world.desa_b)  # as_of + 1
    db.session.commit()
    env = dict(os.environ, BUNGA_DATABASE_URL=database_url_for_tests(), BUNGA_SECRET_KEY="s" * 40,
               BUNGA_PII_KEY="test-pii-key-" + "y" * 32, BUNGA_ENV="testing")
    cmd = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run", "visit_reminders", "--as-of", "2026-12-01"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    lines = sorted(out.strip().splitlines()[-1] for out, _ in outputs)
    assert sum(": ok" in line for line in lines) == 1, lines
    assert sum("skipped" in line for line in lines) == 1, lines
    db.session.expire_all()
    runs = list(db.session.scalars(select(JobRun)))
    assert len(runs) == 1 and runs[0].outcome == "ok" and runs[0].attempts == 1
    keys = notification_keys()
    assert len(keys) == len(set(keys)) == 4  # 2 visits × (kepala desa + adminduk OPD), once each
