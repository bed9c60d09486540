"""WCAG 2.1 A/AA on every page: each role signs in and axe-core audits its main pages (the navigation's pages and
the detail pages it reaches from them), the plan pages and the visit day at tablet and phone widths; and the menu
and the visit day work with a keyboard alone."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from app.aspirations import services as aspirations
from app.aspirations.models import AspirationCategory
from app.auth.models import User
from app.extensions import db
from app.planning import services as planning
from app.regions.models import Place
from app.visits.models import Visit
from tests.browser.conftest import PHONE, TABLET, AccessibilityViolation, audit, focus_ring, tab_to
from tests.factories import PASSWORD, create_done_plan

pytestmark = pytest.mark.browser


def _seed(live_server) -> dict[str, object]:
    """An aspiration of desa_a, a visit under way there and a finished plan: the detail pages have content."""
    desa = live_server.villages["desa_a"]
    with live_server.app.app_context():
        users = {role: db.session.query(User).filter_by(username=name).one()
                 for role, name in live_server.usernames.items()}
        item = aspirations.submit_aspiration(users["kepala_desa"], aspirations.AspirationInput(
            desa_code=desa.code, category="adminduk", title="KK hilang terbawa banjir",
            description="Beberapa keluarga kehilangan KK saat banjir.", urgency="tinggi"))
        visit = Visit(regency_id=users["kepala_desa"].regency_id, desa_id=users["kepala_desa"].desa_id,
                      day=date(2026, 12, 1), status="berlangsung")
        db.session.add(visit)
        db.session.commit()
        office = db.session.query(Place).filter_by(regency_id=users["planner"].regency_id, kind="office").one()
        plan = create_done_plan(SimpleNamespace(users=users, office=office))
        queued = planning.create_plan(users["planner"], planning.PlanInput(  # stays queued: its progress page
            start=date(2027, 1, 4), end=date(2027, 1, 8), mode="kunjungan", start_place_id=office.id,
            time_limit_s=5))
        category = db.session.query(AspirationCategory).order_by(AspirationCategory.id).first()
        facts = {"reference": item.reference, "visit": visit.id, "plan": plan.id,
                 "day": plan.days[0].day.isoformat(), "user": users["kepala_desa"].id, "category": category.id,
                 "queued": queued.id}
        db.session.remove()
    return facts


# Pages beyond the navigation's own links, per role ({…} filled from the seeded facts).
EXTRA = {
    "admin": ["/akun", "/notifikasi/preferensi", "/admin/pengguna/baru", "/admin/pengguna/{user}", "/admin/jobs",
              "/admin/pengaturan/aspirasi/kategori/{category}",
              "/aspirasi/{reference}", "/kunjungan/{visit}", "/desa/{desa}"],
    "planner": ["/akun", "/desa/{desa}", "/aspirasi/baru", "/aspirasi/impor", "/aspirasi/{reference}",
                "/kunjungan/{visit}", "/kunjungan/{visit}/ringkasan", "/kunjungan/tindak-lanjut",
                "/rencana/{plan}", "/rencana/{plan}/hari/{day}", "/rencana/{queued}", "/rencana/{plan}/terbitkan",
                "/rencana/pengaturan", "/rencana/kalender"],
    "kepala_desa": ["/akun", "/desa/{desa}", "/aspirasi/baru", "/aspirasi/{reference}", "/kunjungan/{visit}",
                    "/kunjungan/{visit}/ringkasan", "/notifikasi/preferensi"],
    "camat": ["/akun", "/desa/{desa}", "/aspirasi/{reference}"],
    "opd": ["/akun", "/kunjungan/{visit}"],
    "dprd": ["/akun"],
}


@pytest.mark.parametrize("role", list(EXTRA))
def test_every_main_page_of_each_role_passes_axe(role, live_server, page_factory, login_via_form, clock):
    clock.set(date(2026, 11, 27), tick=True)
    facts = _seed(live_server) | {"desa": live_server.villages["desa_a"].code}
    page = page_factory()
    login_via_form(page, live_server, live_server.usernames[role])
    nav = page.get_by_role("navigation", name="Navigasi utama")
    paths = nav.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    paths += [p.format(**facts) for p in EXTRA[role]]
    found = []
    for path in dict.fromkeys(paths):
        response = page.goto(live_server.path(path))
        assert response is not None and response.status == 200, f"{role} {path}: {response and response.status}"
        try:
            audit(page, role)
            # axe checks only what is rendered: open every <details> (plan weeks, map tables, actions) and again
            if page.evaluate("() => { const all = [...document.querySelectorAll('details:not([open])')];"
                             " all.forEach(d => { d.open = true; }); return all.length; }"):
                audit(page, f"{role}, details open")
        except AccessibilityViolation as failure:
            found.append(str(failure))
    assert not found, "\n\n".join(found)


def test_the_audit_fails_on_a_violation_and_names_it(page_factory):
    """The guard itself: a page with an image without alt text and a field without a label does not pass."""
    page = page_factory()
    page.set_content('<html lang="id"><head><title>Uji</title></head><body><main><h1>Uji</h1>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>')
    with pytest.raises(AccessibilityViolation) as failure:
        audit(page, "self-test")
    message = str(failure.value)
    assert "- image-alt (critical)" in message and "- label (critical)" in message
    assert "img" in message and "input" in message  # the offending nodes are listed


def test_pages_without_sign_in_pass_axe_under_the_apps_strict_csp(live_server, page_factory):
    """The audit runs with the app's CSP in force: an inline script stays refused in the test browser."""
    page = page_factory(viewport=PHONE)
    response = page.goto(live_server.path("/masuk"))
    assert response is not None and "script-src 'self';" in response.headers["content-security-policy"]
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1';"
                  " document.head.appendChild(s); }")
    assert page.evaluate("() => window.inlineRan === undefined"), "the test browser must not bypass the CSP"
    audit(page, "anonymous")
    assert page.evaluate("() => typeof window.axe.run") == "function"
    page = page_factory()
    page.goto(live_server.path("/masuk"))
    audit(page, "anonymous")
    response = page.goto(live_server.path("/tidak-ada"))
    assert response is not None and response.status == 404
    audit(page, "anonymous")
    page.goto(live_server.path("/bahasa/en?next=/masuk"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("skip-link")).to_have_text("Skip to main content")
    audit(page, "anonymous, English")


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_visit_day_passes_axe_on_tablet_and_phone(viewport, live_server, page_factory, login_via_form, clock):
    clock.set(date(2026, 11, 27), tick=True)
    facts = _seed(live_server)
    page = page_factory(viewport=viewport, has_touch=True)
    login_via_form(page, live_server, live_server.usernames["planner"])
    page.goto(live_server.path(f"/kunjungan/{facts['visit']}"))
    audit(page, "visit day")
    page.goto(live_server.path(f"/rencana/{facts['plan']}"))
    audit(page, "plan")


def test_menu_on_a_phone_works_with_the_keyboard_alone(live_server, page_factory, login_via_form):
    """390 px: Tab reaches the skip link, then the "Menu" button; Enter opens the menu; Tab reaches every link and
    "Keluar"; Escape closes it and gives the focus back to the button."""
    page = page_factory(viewport=PHONE, is_mobile=True, has_touch=True)
    login_via_form(page, live_server, live_server.usernames["planner"])
    nav = page.get_by_role("navigation", name="Navigasi utama")
    toggle = page.get_by_role("button", name="Menu", exact=True)  # the ▾ arrow stays out of its name
    expect(nav).to_be_hidden()
    page.locator("body").focus()
    tab_to(page, page.get_by_test_id("skip-link"), limit=1)  # the first Tab stop of the page
    expect(page.get_by_test_id("skip-link")).to_be_in_viewport()  # visible once focused
    assert tab_to(page, toggle, limit=3) <= 2
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    audit(page, "menu open")
    links = nav.locator("a")
    for i in range(links.count()):
        tab_to(page, links.nth(i), limit=2)
    logout = nav.get_by_role("button", name="Keluar")
    tab_to(page, logout, limit=2)
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")  # a button: Space works as well as Enter
    expect(nav).to_be_visible()
    tab_to(page, logout)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Anda telah keluar.")


def test_without_javascript_the_menu_stays_open(live_server, page_factory):
    """No script, no hidden menu: on a phone every link stays visible and in the Tab order."""
    page = page_factory(viewport=PHONE, java_script_enabled=False)
    page.goto(live_server.path("/masuk"))
    page.fill("#username", live_server.usernames["kepala_desa"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".nav-toggle")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Navigasi utama")
    expect(nav).to_be_visible()
    tab_to(page, nav.get_by_role("button", name="Keluar"), limit=20)


def test_skip_link_and_the_map_keep_the_tab_path_short(live_server, page_factory, login_via_form):
    """The home map's dots are out of the Tab order (the table under it holds the same data); the skip link jumps
    over the menu."""
    page = page_factory()
    login_via_form(page, live_server, live_server.usernames["planner"])
    page.locator("body").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "isi"
    summary = page.get_by_test_id("map-table").locator("summary")
    assert tab_to(page, summary, limit=10) <= 10  # past the map without a stop on any dot
    page.keyboard.press("Enter")
    table = page.get_by_test_id("map-table").locator("table")
    expect(table).to_be_visible()
    desa = live_server.villages["desa_a"]
    link = table.get_by_role("link", name=f"Desa {desa.name}")
    tab_to(page, link, limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.path(f"/desa/{desa.code}"))


def test_visit_day_main_actions_by_keyboard(live_server, page_factory, login_via_form, clock):
    """A tablet with a keyboard: check in, +1 twice, record a NIK, check out — Tab, Enter and typing only."""
    clock.set(date(2026, 11, 27), tick=True)
    facts = _seed(live_server)
    with live_server.app.app_context():
        db.session.get(Visit, facts["visit"]).status = "dijadwalkan"
        db.session.commit()
        db.session.remove()
    page = page_factory(viewport=TABLET)
    login_via_form(page, live_server, live_server.usernames["planner"])
    page.goto(live_server.path(f"/kunjungan/{facts['visit']}"))
    page.locator("body").focus()
    tab_to(page, page.get_by_role("button", name="Mulai kunjungan (check-in)"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("visit-status")).to_have_text("Berlangsung")
    audit(page, "visit day by keyboard")

    page.locator("body").focus()
    tab_to(page, page.get_by_role("button", name="+1 Kartu Keluarga (KK)"))
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("count-kk")).to_have_text("1")
    page.keyboard.press("Space")
    expect(page.get_by_test_id("count-kk")).to_have_text("2")

    tab_to(page, page.locator("#nik select[name=service]"))
    page.keyboard.type("Kartu")  # type-ahead picks the option
    expect(page.locator("#nik select[name=service]")).to_have_value("kk")
    page.keyboard.press("Tab")
    page.keyboard.type("3510090101900001")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the NIK form
    expect(page.locator(".flash-success")).to_contain_text("3510********0001")
    expect(page.get_by_test_id("count-kk")).to_have_text("3")

    page.locator("body").focus()
    tab_to(page, page.get_by_role("button", name="Selesaikan kunjungan (check-out)"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("visit-status")).to_have_text("Selesai")
    audit(page, "visit day closed")


def test_error_and_result_pages_pass_axe(live_server, page_factory, login_via_form, clock, tmp_path):
    """The pages a mistake leads to: a rejected upload's row report, a form with its errors, a revealed NIK."""
    clock.set(date(2026, 11, 27), tick=True)
    facts = _seed(live_server)
    page = page_factory()
    login_via_form(page, live_server, live_server.usernames["admin"])
    page.goto(live_server.path(f"/kunjungan/{facts['visit']}"))
    bad = tmp_path / "catatan.csv"
    bad.write_text("service,count\nbukan_layanan,3\n")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah", exact=True).click()
    expect(page.get_by_test_id("import-errors")).to_be_visible()
    audit(page, "upload rejected")

    page.goto(live_server.path(f"/kunjungan/{facts['visit']}"))
    page.fill("#nik input[name=nik]", "3510090101900001")
    with page.expect_navigation():
        page.locator("#nik").get_by_role("button", name="Catat").click()
    page.locator("#nik details summary").first.click()
    page.get_by_label("Keperluan membuka NIK 3510********0001").fill("Verifikasi data kependudukan")
    audit(page, "NIK recorded")
    with page.expect_navigation():
        page.locator("#nik").get_by_role("button", name="Buka").click()
    expect(page.locator("main")).to_contain_text("3510090101900001")
    audit(page, "NIK revealed")

    page.goto(live_server.path("/aspirasi/baru"))
    with page.expect_navigation():
        page.get_by_role("button", name="Ajukan", exact=True).click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    audit(page, "form with errors")


@pytest.mark.parametrize("role", ["planner", "kepala_desa"])
def test_pages_reflow_at_320_px(role, live_server, page_factory, login_via_form, clock):
    """WCAG 1.4.10: at 320 CSS px (1280 px zoomed to 400 %) no page scrolls sideways; only a data table may
    scroll inside its own box."""
    clock.set(date(2026, 11, 27), tick=True)
    facts = _seed(live_server) | {"desa": live_server.villages["desa_a"].code}
    page = page_factory(viewport={"width": 320, "height": 640})
    login_via_form(page, live_server, live_server.usernames[role])
    page.get_by_role("button", name="Menu").click()
    paths = page.get_by_role("navigation", name="Navigasi utama").locator("a").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))")
    wide, found = {}, []
    for path in dict.fromkeys(paths + [p.format(**facts) for p in EXTRA[role]]):
        page.goto(live_server.path(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
        try:
            audit(page, f"{role} at 320 px")  # e.g. a table scrolling in its box must be reachable by keyboard
        except AccessibilityViolation as failure:
            found.append(str(failure))
    assert wide == {}
    assert not found, "\n\n".join(found)
