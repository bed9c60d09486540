"""A planner's walk through a plan they can shape and trust, in a real browser: day settings → a plan with a
must-visit and an excluded desa → a readable itinerary and week map → a refused edit whose message is in view →
publish → an edit of the published plan with its preview → a re-plan that keeps every announced visit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import audit

pytestmark = pytest.mark.browser


def _days(page) -> dict[str, str]:
    """desa code → ISO day, read off the itineraries."""
    out = {}
    for table in page.locator("table.itinerary").all():
        day = table.get_attribute("data-day")
        for row in table.locator("tr[data-desa]").all():
            out[row.get_attribute("data-desa")] = day
    return out


def _plan(page, live_server, name: str, *, must: str | None = None, exclude: str | None = None) -> None:
    page.goto(live_server.path("/rencana"))
    page.fill("#name", name)
    page.fill("#start", "2026-12-01")
    page.fill("#end", "2026-12-04")
    page.fill("#time_limit_s", "5")
    if must or exclude:
        page.get_by_test_id("plan-options").locator("summary").click()
    if must:
        page.get_by_test_id("must-visit").select_option([must])
    if exclude:
        page.get_by_test_id("exclude").select_option([exclude])
    with page.expect_navigation():
        page.get_by_role("button", name="Susun rencana").click()
    expect(page.get_by_test_id("plan-summary")).to_be_visible(timeout=40_000)  # the page reloads when done


def test_settings_plan_refused_edit_publish_edit_and_replan(live_server, page_factory, login_via_form, clock,
                                                           artifacts: Path):
    clock.set(date(2026, 11, 27), tick=True)  # the Friday before: every day of the plan lies ahead
    live_server.app.config["PLAN_RUNNER"] = "thread"
    a, a2, b = (live_server.villages[k] for k in ("desa_a", "desa_a2", "desa_b"))
    page = page_factory()
    login_via_form(page, live_server, live_server.usernames["planner"])

    # 1. settings: one visit a day, a lunch hour somewhere in 12.00-13.30
    page.goto(live_server.path("/rencana/pengaturan"))
    audit(page)
    page.get_by_test_id("kunjungan-max-visits").fill("1")
    page.get_by_test_id("lunch-start").fill("12:00")
    page.get_by_test_id("lunch-end").fill("13:30")
    page.get_by_test_id("lunch-minutes").fill("60")
    with page.expect_navigation():
        page.get_by_test_id("save-day-settings").click()
    expect(page.locator(".flash-success")).to_be_visible()

    # 2. a plan that must visit b and leaves a2 out this time
    _plan(page, live_server, "Desember minggu pertama", must=b.code, exclude=a2.code)
    expect(page.get_by_test_id("visit-count")).to_have_text("2")
    first = _days(page)
    assert set(first) == {a.code, b.code} and first[a.code] != first[b.code]  # one visit a day

    # 3. readable: departure, legs and return as lines, why b is in, why a2 is out, a week map with numbered stops
    itinerary = page.locator(f"table.itinerary[data-day='{first[b.code]}']")
    expect(itinerary.locator("tr[data-line='depart']")).to_contain_text("Berangkat dari Pendopo")
    expect(itinerary.locator("tr[data-line='return']")).to_contain_text("Tiba kembali di Pendopo")
    expect(itinerary.locator(f"tr[data-desa='{b.code}']").get_by_test_id("why")).to_contain_text(
        "Wajib masuk rencana ini")
    expect(page.locator(f"tr[data-unvisited='{a2.code}']")).to_contain_text("Dikecualikan")
    expect(page.get_by_test_id("plan-map").locator("svg circle[data-number='1']").first).to_be_visible()
    audit(page)
    page.screenshot(path=artifacts / "walkthrough-plan.png", full_page=True)
    audit(page, "plan with must-visit and exclude")

    # 4. a refused edit: b onto a's day, which already holds its one visit; the refusal is where the planner looks
    row = page.locator(f"table.itinerary tr[data-desa='{b.code}']")
    row.locator("select[name='day']").select_option(first[a.code])
    with page.expect_navigation():
        row.get_by_role("button", name="Pindah").click()
    refusal = page.get_by_test_id("edit-message")
    expect(refusal).to_contain_text("batas per hari")
    expect(refusal).to_be_in_viewport()
    assert _days(page) == first  # nothing changed
    audit(page)
    page.screenshot(path=artifacts / "walkthrough-refused.png")
    audit(page, "refused edit")

    # 5. publish
    with page.expect_navigation():
        page.get_by_role("link", name="Terbitkan…").click()
    audit(page)
    page.check("#confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Rencana diterbitkan: 2 kunjungan baru")

    # 6. the published plan is edited with a preview: a to a free day
    free = next(d for d in ("2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04") if d not in first.values())
    row = page.locator(f"table.itinerary tr[data-desa='{a.code}']")
    row.locator("select[name='day']").select_option(free)
    with page.expect_navigation():
        row.get_by_role("button", name="Pindah…").click()
    preview = page.get_by_test_id("edit-preview")
    expect(preview.locator(f"tr[data-desa='{a.code}'][data-change='moved']")).to_be_visible()
    audit(page)
    page.screenshot(path=artifacts / "walkthrough-edit-preview.png")
    audit(page, "edit preview")
    with page.expect_navigation():
        page.get_by_test_id("confirm-edit").click()
    expect(page.get_by_test_id("edit-message")).to_contain_text("jadwal yang diumumkan ikut berubah")
    announced = _days(page)
    assert announced[a.code] == free and announced[b.code] == first[b.code]
    audit(page)

    # 7. re-plan the same days with nothing changed: every announced visit keeps its day
    _plan(page, live_server, "Desember minggu pertama, susun ulang")
    again = _days(page)
    assert {code: again.get(code) for code in announced} == announced
    expect(page.get_by_test_id("announced-changes")).to_contain_text("Tidak ada jadwal terumumkan yang berubah")
    audit(page)
    page.screenshot(path=artifacts / "walkthrough-replan.png", full_page=True)
    audit(page, "re-plan")
    page.goto(live_server.path("/laporan/cakupan"))
    expect(page.get_by_test_id("coverage")).to_be_visible()
    audit(page, "coverage")
