"""The whole aspiration flow in a real browser: the kepala desa submits (and is shown a similar open item while
typing), the planner verifies and dispatches, the OPD reports it done, another planner check closes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.aspirations import services
from app.auth.models import User
from app.extensions import db
from tests.browser.conftest import audit

pytestmark = pytest.mark.browser


def _take_step(page, label: str, note: str | None = None, opd: str | None = None) -> None:
    action = page.locator("details.action", has=page.locator("summary", has_text=label))
    action.locator("summary").click()
    if opd:
        action.locator("select[name=opd]").select_option(opd)
    if note:
        action.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        action.get_by_role("button", name=label).click()


def test_kepala_desa_to_resolved(live_server, page_factory, login_via_form, artifacts: Path):
    desa = live_server.villages["desa_a"]
    with live_server.app.app_context():  # an open aspiration that the new one resembles
        planner = db.session.query(User).filter_by(username=live_server.usernames["planner"]).one()
        existing = services.submit_aspiration(planner, services.AspirationInput(
            desa_code=desa.code, category="infrastruktur", title="Jalan rusak di Dusun Krajan",
            description="Jalan dusun berlubang dan licin saat hujan.", urgency="sedang")).reference
        db.session.remove()

    kades = page_factory()
    login_via_form(kades, live_server, live_server.usernames["kepala_desa"])
    kades.goto(live_server.path("/aspirasi/baru"))
    kades.select_option("#category", "adminduk")
    kades.fill("#title", "Perekaman KTP-el untuk lansia Dusun Krajan")
    expect(kades.locator("#similar-list")).to_contain_text(existing)  # while typing: the similar open item
    audit(kades)
    kades.fill("#description", "Sekitar 40 lansia di Dusun Krajan belum merekam KTP-el dan sulit ke kecamatan.")
    kades.select_option("#urgency", "tinggi")
    kades.select_option("select[name='services-0-code']", "perekaman_ktp_el")
    kades.fill("input[name='services-0-quantity']", "40")
    with kades.expect_navigation():
        kades.get_by_role("button", name="Ajukan", exact=True).click()
    expect(kades.locator(".flash-success")).to_contain_text("diajukan")
    reference = kades.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"ASP-\d{4}-[2-9A-Z]{5}", reference)
    audit(kades)
    kades.screenshot(path=artifacts / "aspiration-submitted.png", full_page=True)

    office = page_factory()
    login_via_form(office, live_server, live_server.usernames["planner"])
    office.goto(live_server.path(f"/aspirasi/{reference}"))
    audit(office)
    _take_step(office, "Verifikasi")
    expect(office.locator(".flash-success")).to_contain_text("Diverifikasi")
    _take_step(office, "Disposisikan ke OPD", opd="adminduk")
    expect(office.locator("main")).to_contain_text("Didisposisikan ke OPD")
    audit(office)

    agency = page_factory()
    login_via_form(agency, live_server, live_server.usernames["opd"])  # opd.adminduk
    agency.goto(live_server.path("/aspirasi"))
    expect(agency.get_by_test_id("aspiration-table")).to_contain_text(reference)
    audit(agency)
    agency.get_by_role("link", name=reference).click()
    _take_step(agency, "Laporkan selesai", note="40 lansia direkam saat jemput bola, 12 Desember.")
    expect(agency.locator("main")).to_contain_text("Menunggu verifikasi penyelesaian")

    checker = page_factory()
    login_via_form(checker, live_server, live_server.usernames["admin"])  # a second office person checks
    checker.goto(live_server.path(f"/aspirasi/{reference}"))
    _take_step(checker, "Nyatakan selesai", note="Dicek dengan daftar hadir perekaman.")
    expect(checker.locator(".flash-success")).to_contain_text("Selesai")
    audit(checker)

    kades.reload()
    expect(kades.locator("main")).to_contain_text("Selesai")
    history = kades.locator("#riwayat")
    for step in ("Diverifikasi", "Didisposisikan ke OPD", "Menunggu verifikasi penyelesaian", "Selesai"):
        expect(history).to_contain_text(step)
    audit(kades)
    kades.screenshot(path=artifacts / "aspiration-resolved.png", full_page=True)
