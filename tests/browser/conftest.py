"""Browser fixtures: a live server with CSRF on (as in production), a seeded database and a Debian Chromium
driven by Playwright.

Browsers are never downloaded: the tests use the system Chromium at /usr/bin/chromium (override with
BUNGA_CHROMIUM). Without it the tests fail in CI (CI=true) and are skipped only on a developer machine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app.extensions import db
from tests.conftest import make_app
from tests.factories import PASSWORD, World

CHROMIUM = os.environ.get("BUNGA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str) -> None:
    """Fail in CI, skip only on a developer machine: a CI run must never pass without the browser tests."""
    message = (f"Browser tests cannot run: {reason}. Install Debian's chromium (apt-get install -y chromium) "
               f"or point BUNGA_CHROMIUM at a Chromium binary; never download browsers with playwright install.")
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium executable at {CHROMIUM}")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class Village:
    code: str
    name: str


@dataclass
class LiveServer:
    """The running server and plain facts about the seeded World (no ORM objects cross into the tests)."""

    app: Flask
    url: str
    villages: dict[str, Village]  # World attribute name → code and name, e.g. villages["desa_a"]
    usernames: dict[str, str]  # role → username, e.g. usernames["kepala_desa"] (scoped to desa_a)

    def path(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def live_server(app_ctx: Flask) -> Iterator[LiveServer]:
    """A real HTTP server in a daemon thread on a free port, CSRF on, over a database holding a `World`.

    `app_ctx` (tests/conftest.py) has emptied the shared test database; the World is committed there, and the
    live app (a second app object on the same database URL) serves it.
    """
    world = World()
    villages = {name: Village(getattr(world, name).code, getattr(world, name).name)
                for name in ("desa_a", "desa_a2", "desa_b", "desa_x")}
    usernames = {role: user.username for role, user in world.users.items()}
    db.session.rollback()  # close the read transaction: from here on the live server owns the database
    live = make_app(WTF_CSRF_ENABLED=True)
    assert live.config["WTF_CSRF_ENABLED"] is True
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="bunga-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=live, url=f"http://127.0.0.1:{server.server_port}", villages=villages,
                         usernames=usernames)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with live.app_context():
            db.session.remove()
            db.engine.dispose()  # no idle connection may outlive the test (PostgreSQL drops tables at the end)


@pytest.fixture
def page_factory(browser) -> Iterator[object]:
    """new_page(viewport=None) → a page in a fresh browser context (own cookies); all closed afterwards."""
    contexts = []

    def new_page(viewport: dict[str, int] | None = None, **kw: object):
        ctx = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="id-ID",
                                  timezone_id="Asia/Jakarta", **kw)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield new_page
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def login_via_form():
    """login_via_form(page, server, username) → fills /masuk like a person and waits for the dashboard."""

    def _login(page, server: LiveServer, username: str, password: str = PASSWORD) -> None:
        page.goto(server.path("/masuk"))
        page.fill("#username", username)
        page.fill("#password", password)
        with page.expect_navigation():
            page.get_by_role("button", name="Masuk").click()
        assert not page.url.startswith(server.path("/masuk")), f"login of {username} failed: {page.url}"

    return _login


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
