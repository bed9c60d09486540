"""The scheduler process (`flask --app wsgi scheduler run`): APScheduler 3 with its job store on the app database.

Only this CLI starts it, never a web worker (RELIABILITY P1). A process first becomes the leader (PostgreSQL
advisory lock, or the SQLite lease) and only then starts APScheduler, so the job store is never shared by two
running schedulers; a standby process waits for the lock. Every run still goes through `run_job`, whose ledger
makes it exactly-once even if two schedulers ever overlap.
"""

from __future__ import annotations

import logging
import signal
import sys
import time

from flask import Flask

from app.jobs.tasks import JOBS

logger = logging.getLogger(__name__)

TIMEZONE = "Asia/Jakarta"
LEASE_RENEW_SECONDS = 20
STANDBY_POLL_SECONDS = 15

_state: dict = {}


def fire(name: str) -> None:
    """The APScheduler job function: module-level, with a primitive argument (pickled by the job store)."""
    from app.jobs.runner import run_job, slot

    app, leader = _state["app"], _state["leader"]
    with app.app_context():
        try:
            result = run_job(name, slot(name), leader=leader)
            logger.info("Job %s %s: %s %s", name, result.scheduled_for.isoformat(), result.outcome,
                        result.detail or "")
        except Exception:  # never crash the scheduler thread
            logger.exception("Job %s could not run", name)


def renew_lease() -> None:
    app, leader = _state["app"], _state["leader"]
    with app.app_context():
        if not leader.acquire():
            logger.error("Scheduler lease lost; stopping so that the new leader alone runs jobs")
            _state["scheduler"].shutdown(wait=False)


def build_scheduler(app: Flask, *, blocking: bool = True):
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    from app.extensions import db

    with app.app_context():
        engine = db.engine
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone=TIMEZONE, jobstores={"default": SQLAlchemyJobStore(engine=engine)},
                     executors={"default": ThreadPoolExecutor(len(JOBS) + 1)},
                     job_defaults={"coalesce": True, "max_instances": 1})
    for spec in JOBS.values():
        scheduler.add_job("app.jobs.scheduler:fire", "cron", args=[spec.name], id=spec.name, name=spec.description,
                          replace_existing=True, coalesce=True, max_instances=1,
                          misfire_grace_time=spec.misfire_grace_s, **spec.trigger)
    return scheduler


def run_forever(app: Flask) -> None:
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED
    from apscheduler.jobstores.memory import MemoryJobStore

    from app.jobs.locks import LeaderLock

    leader = LeaderLock()
    _state.update(app=app, leader=leader)
    with app.app_context():
        while not leader.acquire():
            logger.warning("Another scheduler is the leader; standing by")
            time.sleep(STANDBY_POLL_SECONDS)
    logger.warning("Scheduler %s is the leader", leader.holder)
    scheduler = build_scheduler(app)
    _state["scheduler"] = scheduler
    scheduler.add_jobstore(MemoryJobStore(), "local")
    if not leader.postgres:
        scheduler.add_job(renew_lease, "interval", seconds=LEASE_RENEW_SECONDS, id="renew_lease",
                          jobstore="local", misfire_grace_time=LEASE_RENEW_SECONDS)
    scheduler.add_listener(lambda event: logger.warning("Job %s missed or failed: %s", event.job_id,
                                                        getattr(event, "exception", None) or "missed"),
                           EVENT_JOB_MISSED | EVENT_JOB_ERROR)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # systemd stop / make run's trap: release the lock
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        with app.app_context():
            leader.release()
