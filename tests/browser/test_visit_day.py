"""The visit-day screen on a tablet: check in, tap +1 on counters, record a NIK, settle an aspiration, record the
bupati's commitment and close the visit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.aspirations import services as aspirations
from app.auth.models import User
from app.extensions import db
from app.visits.models import Visit
from tests.browser.conftest import audit

pytestmark = pytest.mark.browser


def test_visit_day(live_server, page_factory, login_via_form, artifacts: Path):
    desa = live_server.villages["desa_a"]
    with live_server.app.app_context():
        head = db.session.query(User).filter_by(username=live_server.usernames["kepala_desa"]).one()
        item = aspirations.submit_aspiration(head, aspirations.AspirationInput(
            desa_code=desa.code, category="adminduk", title="KK hilang terbawa banjir",
            description="Beberapa keluarga kehilangan KK saat banjir.", urgency="tinggi"))
        reference = item.reference
        visit = Visit(regency_id=head.regency_id, desa_id=head.desa_id, day=date(2026, 12, 1), status="dijadwalkan")
        db.session.add(visit)
        db.session.commit()
        visit_id = visit.id
        db.session.remove()

    page = page_factory(viewport={"width": 820, "height": 1180}, has_touch=True)  # a tablet
    login_via_form(page, live_server, live_server.usernames["planner"])
    page.goto(live_server.path(f"/kunjungan/{visit_id}"))
    audit(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Mulai kunjungan (check-in)").click()
    expect(page.get_by_test_id("visit-status")).to_have_text("Berlangsung")

    plus = page.get_by_role("button", name="+1 Kartu Keluarga (KK)")
    for _ in range(3):
        plus.click()
    expect(page.get_by_test_id("count-kk")).to_have_text("3")  # background requests, no reload
    page.reload()
    expect(page.get_by_test_id("count-kk")).to_have_text("3")  # stored
    audit(page)

    page.locator("#nik select[name=service]").select_option("kk")
    page.fill("#nik input[name=nik]", "3510090101900001")
    with page.expect_navigation():
        page.locator("#nik").get_by_role("button", name="Catat").click()
    expect(page.locator(".flash-success")).to_contain_text("3510********0001")
    expect(page.locator("main")).not_to_contain_text("3510090101900001")

    row = page.locator(".asp-row", has_text=reference)
    row.locator("form", has_text="Selesai di tempat").locator("input[name=note]").fill("KK dicetak ulang di tempat.")
    with page.expect_navigation():
        row.get_by_role("button", name="Selesai di tempat (kunjungan)").click()
    expect(page.locator(".flash-success")).to_contain_text(reference)

    commitment = page.locator("#komitmen form")
    commitment.locator("textarea[name=description]").fill("Perbaikan jembatan Dusun Krajan")
    commitment.locator("select[name=owner_sector]").select_option("infrastruktur")
    commitment.locator("input[name=due_on]").fill("2027-03-31")
    commitment.locator("select[name=budget_source]").select_option("P-APBD")
    with page.expect_navigation():
        commitment.get_by_role("button", name="Catat komitmen").click()
    expect(page.locator("#komitmen")).to_contain_text("Perbaikan jembatan Dusun Krajan")
    audit(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Selesaikan kunjungan (check-out)").click()
    expect(page.get_by_test_id("visit-status")).to_have_text("Selesai")
    audit(page)
    page.screenshot(path=artifacts / "visit-day-closed.png", full_page=True)
    page.goto(live_server.path(f"/kunjungan/{visit_id}/ringkasan"))
    expect(page.get_by_test_id("summary-services")).to_contain_text("Kartu Keluarga (KK)")
    expect(page.get_by_test_id("summary-services")).to_contain_text("4")  # 3 taps + 1 NIK record
    audit(page)
