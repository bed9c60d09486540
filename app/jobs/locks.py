"""Leader lock: only one scheduler process runs jobs (RELIABILITY P1).

PostgreSQL: `pg_try_advisory_lock` on a dedicated connection held for the process lifetime (the lock goes away
with the connection if the process dies). SQLite: a lease row that the holder renews; another process takes it
over only once it has expired, with one atomic UPDATE.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError

from app.core.clock import utcnow
from app.extensions import db
from app.jobs.models import SchedulerLease

ADVISORY_KEY = 0x42554E47  # "BUNG"
LEASE_NAME = "scheduler"
LEASE_SECONDS = 60


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def try_lease(holder: str, *, name: str = LEASE_NAME, seconds: int = LEASE_SECONDS, now=None) -> bool:
    """Take or renew the lease: succeed when it is free, expired, or already ours. Commits its own change."""
    now = now or utcnow()
    expires = now + timedelta(seconds=seconds)
    result = db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, (SchedulerLease.expires_at < now) | (SchedulerLease.holder == holder))
        .values(holder=holder, expires_at=expires)
        .execution_options(synchronize_session=False))
    if result.rowcount == 1:
        db.session.commit()
        return True
    db.session.rollback()
    if db.session.scalar(select(SchedulerLease.id).where(SchedulerLease.name == name)) is not None:
        return False
    try:
        db.session.execute(insert(SchedulerLease).values(name=name, holder=holder, expires_at=expires))
        db.session.commit()
        return True
    except IntegrityError:  # another process created it first
        db.session.rollback()
        return False


def release_lease(holder: str, *, name: str = LEASE_NAME) -> None:
    db.session.execute(update(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder)
                       .values(expires_at=utcnow() - timedelta(seconds=1)).execution_options(synchronize_session=False))
    db.session.commit()


class LeaderLock:
    """Process-wide leadership. `acquire()` is cheap to call repeatedly (it renews the SQLite lease)."""

    def __init__(self) -> None:
        self.holder = holder_id()
        self._conn = None

    @property
    def postgres(self) -> bool:
        return db.engine.dialect.name == "postgresql"

    def acquire(self) -> bool:
        if not self.postgres:
            return try_lease(self.holder)
        if self._conn is not None:
            return True
        conn = db.engine.connect()
        if conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar():
            conn.commit()
            self._conn = conn  # held for the process lifetime
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self.postgres:
            if self._conn is not None:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                self._conn.close()
                self._conn = None
        else:
            release_lease(self.holder)
