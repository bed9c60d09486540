"""Shared fixtures: the app on the test database (SQLite by default, PostgreSQL when BUNGA_TEST_DATABASE_URL
is set), a clean database for every test, clients and sign-in helpers, and the clock.

Time: the whole run can happen at another moment with `BUNGA_TEST_NOW=<ISO date-time>` (see app/core/clock.py:
pytest, the app under test and every process the tests start move together; the header prints `clock: …`). A test
that depends on *which* day it is uses the `clock` fixture to set the moment it needs — never the wall clock next to
a constant date.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.core import clock as app_clock
from app.extensions import db

# The shared reference data lies beside the checkout; BUNGA_SHARED_DATA points elsewhere (e.g. a CI clone in /tmp).
_BESIDE_CHECKOUT = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SHARED_DATA = Path(os.environ.get("BUNGA_SHARED_DATA") or _BESIDE_CHECKOUT)
_TMP = tempfile.mkdtemp(prefix="bunga-test-")


def pytest_configure(config: pytest.Config) -> None:
    """BUNGA_TEST_NOW moves this process (and, through the environment, every process it starts) before collection."""
    app_clock.travel_to_test_now(testing=True)


def pytest_report_header(config: pytest.Config) -> str:
    start = app_clock.test_now()
    if start is None:
        return "clock: real time (set BUNGA_TEST_NOW=<ISO date-time> to run the suite at another moment)"
    local = start.astimezone(app_clock.LOCAL_TZ)
    return (f"clock: {start:%Y-%m-%d %H:%M:%S} UTC ({local:%Y-%m-%d %H:%M} WIB), from "
            f"{app_clock.TEST_NOW_VARIABLE}; the clock ticks on from there")


class Clock:
    """The `clock` fixture: puts the test at a moment of its choosing (time-machine, nested in BUNGA_TEST_NOW).

    `clock.set(moment)` stops time at `moment` (an aware datetime, or a date = 09:00 WIB that day); `tick=True`
    lets it run on from there; `clock.advance(timedelta)` moves it. Everything reads the moved clock: the app's
    `app.core.clock`, `datetime.now()`, `date.today()` and `time.time()` (not `time.monotonic()`, so timeouts work).
    """

    def __init__(self) -> None:
        self._traveller: object | None = None
        self._coordinates: object | None = None

    def set(self, moment: datetime | date, *, tick: bool = False) -> datetime:
        import time_machine

        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(9, 0), tzinfo=app_clock.LOCAL_TZ)
        if moment.tzinfo is None:
            raise ValueError("clock.set needs an aware datetime (UTC or WIB)")
        self.stop()
        self._traveller = time_machine.travel(moment, tick=tick)
        self._coordinates = self._traveller.start()
        return moment

    def advance(self, delta: timedelta) -> None:
        if self._coordinates is None:
            raise RuntimeError("clock.advance needs clock.set first")
        self._coordinates.shift(delta)

    def stop(self) -> None:
        if self._traveller is not None:
            self._traveller.stop()
            self._traveller = self._coordinates = None


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Control "now" for one test; released at its end."""
    controlled = Clock()
    yield controlled
    controlled.stop()


def database_url_for_tests() -> str:
    """PostgreSQL in CI (BUNGA_TEST_DATABASE_URL), otherwise a throw-away SQLite file."""
    return os.environ.get("BUNGA_TEST_DATABASE_URL") or f"sqlite:///{_TMP}/test.sqlite3"


def make_app(**overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url_for_tests(),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "PII_KEY": "test-pii-key-" + "y" * 32,
        "WTF_CSRF_ENABLED": False,
        "DEMO_PASSWORD": "demo-password-for-tests",
        "SERVER_NAME": None,
        "UPLOAD_DIR": f"{_TMP}/uploads",
        "PLAN_RUNNER": "manual",  # tests run queued plans themselves with run_plan()
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    """One app per session; the schema is created once (tests only) and emptied after every test."""
    application = make_app()
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.drop_all()
        db.engine.dispose()


def _empty_tables(application: Flask) -> None:
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An application context on an empty database."""
    _empty_tables(app)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture(scope="session")
def web_app(app: Flask) -> Flask:
    """A second app on the same database that serves the test clients.

    Requests through it get their own app context, session and `g` (as in production), instead of sharing the
    test's context, where Flask-Login's cached user and the identity map would leak from one request to the next.
    Tests therefore commit what requests should see, and re-query after a request to see its effect.
    """
    return make_app()


@pytest.fixture
def client(app_ctx: Flask, web_app: Flask) -> FlaskClient:
    return web_app.test_client()


@pytest.fixture
def runner(app_ctx: Flask, web_app: Flask):
    return web_app.test_cli_runner()


@pytest.fixture
def login(app_ctx: Flask, web_app: Flask):
    """login(user) → a test client signed in as that user through the real login form."""
    from tests.factories import PASSWORD

    def _login(user, client: FlaskClient | None = None) -> FlaskClient:
        c = client or web_app.test_client()
        response = c.post("/masuk", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, f"login of {user.username} failed: {response.status_code}"
        return c

    return _login


@pytest.fixture
def token(app_ctx: Flask, web_app: Flask):
    """token(user) → an Authorization header dict for the API."""
    from tests.factories import PASSWORD

    def _token(user) -> dict[str, str]:
        response = web_app.test_client().post("/api/v1/auth/token",
                                              json={"username": user.username, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return _token
