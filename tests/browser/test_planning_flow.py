"""The planner's journey in a real browser: run a plan, watch progress, open a day, lock a visit, re-optimise
around it and publish."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import audit

pytestmark = pytest.mark.browser


def test_plan_progress_day_lock_reoptimise_publish(live_server, page_factory, login_via_form, artifacts: Path):
    live_server.app.config["PLAN_RUNNER"] = "thread"  # the live server runs plans beside itself
    page = page_factory()
    login_via_form(page, live_server, live_server.usernames["planner"])
    page.goto(live_server.path("/rencana"))
    audit(page)
    page.fill("#name", "Uji Desember")
    page.fill("#start", "2026-12-01")
    page.fill("#end", "2026-12-04")
    page.fill("#time_limit_s", "5")
    with page.expect_navigation():
        page.get_by_role("button", name="Susun rencana").click()
    expect(page.get_by_test_id("plan-progress")).to_be_visible()  # audited in test_accessibility (no reload race)
    page.screenshot(path=artifacts / "plan-progress.png")
    expect(page.get_by_test_id("visit-count")).to_have_text("3", timeout=30_000)  # the page reloads when done
    audit(page)
    first_plan_url = page.url

    with page.expect_navigation():
        page.locator("table.month a").first.click()
    expect(page.get_by_test_id("itinerary")).to_contain_text("Pendopo")
    audit(page)
    page.screenshot(path=artifacts / "plan-day.png", full_page=True)
    page.go_back()

    row = page.locator("table.itinerary tbody tr[data-desa]").first
    desa_code = row.get_attribute("data-desa")
    day = page.locator("table.itinerary").first.get_attribute("data-day")
    with page.expect_navigation():
        row.get_by_role("button", name="Kunci").click()
    locked_row = page.locator(f"table.itinerary tr[data-desa='{desa_code}']")
    expect(locked_row.get_by_test_id("locked")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Optimasi ulang dengan kunjungan terkunci").click()
    assert page.url != first_plan_url
    expect(page.get_by_test_id("visit-count")).to_have_text("3", timeout=30_000)
    kept = page.locator(f"table.itinerary[data-day='{day}'] tr[data-desa='{desa_code}']")
    expect(kept.get_by_test_id("locked")).to_be_visible()  # still on its day after re-optimising

    with page.expect_navigation():
        page.get_by_role("link", name="Terbitkan…").click()
    expect(page.locator("main")).to_contain_text("3 kunjungan baru")
    audit(page)
    page.check("#confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Rencana diterbitkan: 3 kunjungan baru")
    audit(page)
    page.screenshot(path=artifacts / "plan-published.png", full_page=True)
