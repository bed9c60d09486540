"""Browser fixtures: a live server with CSRF on (as in production), a seeded database, a Debian Chromium
driven by Playwright, and `audit(page)`: axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now.

Browsers are never downloaded: the tests use the system Chromium at /usr/bin/chromium (override with
BUNGA_CHROMIUM). Without it the tests fail in CI (CI=true) and are skipped only on a developer machine.
"""

from __future__ import annotations

import json
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
TABLET = {"width": 768, "height": 1024}

# axe-core, vendored for the tests only (never served by the app): see vendor/axe-core/README.md.
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AUDIT_LOG = ARTIFACTS / "axe-audit.txt"


def tab_to(page, target, limit: int = 150, key: str = "Tab") -> int:
    """Press Tab (or `key`, e.g. "Shift+Tab") until `target` (a locator) has the focus; the number of presses.

    Keyboard-only tests: what a person without a mouse must do to reach a control."""
    handle = target.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if handle.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{target} not reached with {limit} × {key}; focus on "
                         + page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)"))


def focus_ring(page) -> str:
    """The focused element's outline ("solid 3px" …): our own focus style must show (WCAG 2.4.7)."""
    return page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return s.outlineStyle + ' ' + s.outlineWidth; }")


class AccessibilityViolation(AssertionError):
    """axe-core found WCAG 2.1 A/AA violations on a page."""


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        wcag = ", ".join(t for t in v["tags"] if t.startswith("wcag"))
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} [{wcag}]")
        for node in v["nodes"][:8]:
            target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
            summary = (node.get("failureSummary") or "").splitlines()
            lines.append(f"    {target}: {summary[1].strip() if len(summary) > 1 else ''}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def audit(page, label: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now; fail listing every violation.

    axe is injected with `page.evaluate`, which Chromium runs through the DevTools protocol: the app's strict CSP
    (`script-src 'self'`, no inline scripts, no eval) stays in force — the test browser does not bypass it. Each
    audited page is appended to test-artifacts/axe-audit.txt (URL, viewport, violations).
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """tags => window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
            .then(r => ({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags,
              nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))}))}))""",
        WCAG_TAGS)
    violations = result["violations"]
    viewport = page.viewport_size or {}
    where = f"{label + ' ' if label else ''}{page.url} at {viewport.get('width')}×{viewport.get('height')}"
    ARTIFACTS.mkdir(exist_ok=True)
    with AUDIT_LOG.open("a", encoding="utf-8") as log:
        log.write(f"{where}: {len(violations)} violation(s)\n")
    if violations:
        raise AccessibilityViolation(f"axe: {len(violations)} WCAG 2.1 A/AA violation(s) on {where}\n"
                                     + _describe(violations))


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
