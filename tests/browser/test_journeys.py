"""Real user journeys in a real browser (Chromium through Playwright) against a live server with CSRF on.

Each test is a path a person takes through the Indonesian UI: a village head on a phone, a planner importing
village locations, and signing out on a shared computer.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, audit

pytestmark = pytest.mark.browser

CSV_HEADER = "code,lat,lon,population,households,poor_households\n"


def _path(url: str) -> str:
    return urlsplit(url).path


def test_kepala_desa_on_a_phone_finds_their_own_desa_and_no_other(live_server, page_factory, login_via_form,
                                                                  artifacts: Path):
    """A village head signs in on a 390×844 phone, opens the collapsed menu, sees only their own desa in the list,
    opens it, and any other desa's address answers the 404 page."""
    own = live_server.villages["desa_a"]
    page = page_factory(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login_via_form(page, live_server, live_server.usernames["kepala_desa"])

    nav = page.get_by_role("navigation", name="Navigasi utama")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()  # collapsed behind "Menu" on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "page scrolls sideways"
    audit(page)
    page.screenshot(path=artifacts / "phone-kades-dashboard.png", full_page=True)

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    audit(page)
    page.screenshot(path=artifacts / "phone-kades-menu-open.png")
    nav.get_by_role("link", name="Desa", exact=True).click()
    expect(page).to_have_url(live_server.path("/desa"))

    rows = page.get_by_test_id("village-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(own.code)
    expect(rows.first).to_contain_text(own.name)
    for other in ("desa_a2", "desa_b", "desa_x"):
        expect(page.get_by_test_id("village-table")).not_to_contain_text(live_server.villages[other].name)
    audit(page)
    page.screenshot(path=artifacts / "phone-kades-list.png", full_page=True)

    rows.first.get_by_role("link", name=own.name).click()
    expect(page).to_have_url(live_server.path(f"/desa/{own.code}"))
    expect(page.locator("h1")).to_have_text(f"Desa {own.name}")
    expect(page.locator("main")).to_contain_text(own.code)
    audit(page)
    page.screenshot(path=artifacts / "phone-kades-detail.png", full_page=True)

    # Same kecamatan, another kecamatan, another regency: all answer 404, without leaking the name.
    for other in ("desa_a2", "desa_b", "desa_x"):
        village = live_server.villages[other]
        response = page.goto(live_server.path(f"/desa/{village.code}"))
        assert response is not None and response.status == 404, f"{other}: {response and response.status}"
        expect(page.locator("h1")).to_have_text("Halaman tidak ditemukan")
        expect(page.locator("main")).not_to_contain_text(village.name)
    audit(page)
    page.screenshot(path=artifacts / "phone-kades-404.png", full_page=True)


def _village_coordinates(page, server, code: str) -> str:
    page.goto(server.path(f"/desa/{code}"))
    facts = page.locator("dl.facts")
    return facts.locator("dt:text-is('Koordinat') + dd").inner_text()


def test_planner_import_reports_the_bad_row_and_writes_nothing_then_imports_a_good_file(
        live_server, page_factory, login_via_form, artifacts: Path, tmp_path: Path):
    """A planner uploads a CSV with one bad row (a sign typo in the latitude): the row-by-row error table names
    that row and nothing changes; the corrected file is then imported and the new coordinates show."""
    a, a2, b = (live_server.villages[k] for k in ("desa_a", "desa_a2", "desa_b"))
    good_rows = [
        f"{a.code},-8.3512,114.1523,5100,1510,290\n",
        f"{a2.code},-8.3612,114.1421,8100,2520,110\n",
        f"{b.code},-8.2241,114.3612,9100,3010,440\n",
    ]
    bad = tmp_path / "lokasi-salah.csv"
    bad.write_text(CSV_HEADER + good_rows[0] + good_rows[1] + good_rows[2].replace("-8.2241", "8.2241"))
    good = tmp_path / "lokasi-benar.csv"
    good.write_text(CSV_HEADER + "".join(good_rows))

    page = page_factory()
    login_via_form(page, live_server, live_server.usernames["planner"])
    before = _village_coordinates(page, live_server, a.code)
    assert before.startswith("-8.35000, 114.15000"), before

    page.get_by_role("link", name="Impor lokasi").click()
    expect(page).to_have_url(live_server.path("/desa/impor"))
    audit(page)
    page.set_input_files("#file", str(bad))
    with page.expect_response(lambda r: _path(r.url) == "/desa/impor" and r.request.method == "POST") as posted:
        page.get_by_role("button", name="Periksa dan impor").click()
    assert posted.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("Tidak ada data yang diubah")
    errors = page.get_by_test_id("import-errors").locator("tbody tr")
    expect(errors).to_have_count(1)
    cells = errors.first.locator("td")
    expect(cells.nth(0)).to_have_text("4")  # header is line 1, the bad row is the third data row
    expect(cells.nth(1)).to_have_text(b.code)
    expect(cells.nth(2)).to_contain_text("lat")
    expect(cells.nth(3)).to_contain_text("8.2241")
    audit(page)
    page.screenshot(path=artifacts / "planner-import-errors.png", full_page=True)
    assert _village_coordinates(page, live_server, a.code) == before, "a rejected file must write nothing"

    page.goto(live_server.path("/desa/impor"))
    page.set_input_files("#file", str(good))
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page.get_by_role("status")).to_have_text("3 desa berhasil diperbarui dari lokasi-benar.csv.")
    expect(page).to_have_url(live_server.path("/desa/impor"))  # redirected: a refresh does not upload again
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    audit(page)
    page.screenshot(path=artifacts / "planner-import-ok.png", full_page=True)
    assert _village_coordinates(page, live_server, a2.code).startswith("-8.36120, 114.14210")
    expect(page.locator("dl.facts .tag")).to_have_text("impor")  # was "perkiraan" before the import


def test_after_logout_back_and_refresh_of_a_protected_page_land_on_the_login_page(live_server, page_factory,
                                                                                  login_via_form):
    """On a shared office computer, after "Keluar" neither the Back button nor a refresh shows the village page
    again: the browser is sent to the login page."""
    own = live_server.villages["desa_a"]
    page = page_factory()
    login_via_form(page, live_server, live_server.usernames["kepala_desa"])
    response = page.goto(live_server.path(f"/desa/{own.code}"))
    expect(page.locator("h1")).to_have_text(f"Desa {own.name}")
    assert response is not None and "no-store" in (response.headers.get("cache-control") or ""), \
        "a signed-in page must not be kept in the browser cache"

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(live_server.path("/masuk"))
    expect(page.get_by_role("status")).to_have_text("Anda telah keluar.")
    audit(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/masuk\?next="))
    expect(page.locator("#username")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(own.name)

    page.reload()
    expect(page).to_have_url(re.compile(r"/masuk\?next="))
    expect(page.locator("#password")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(own.name)

    response = page.goto(live_server.path(f"/desa/{own.code}"))
    assert response is not None and _path(response.url) == "/masuk"
    expect(page.locator("main")).not_to_contain_text(own.name)
