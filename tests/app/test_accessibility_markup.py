"""Accessibility in the served markup, without a browser (the browser tests run axe-core on the rendered pages):
the skip link, the menu button, the map's table, labelled fields, and no style attribute that the CSP would refuse."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from app.planning.plan_maps import DAY_COLOURS

ROOT = Path(__file__).resolve().parents[2]
CSS = (ROOT / "app" / "static" / "css" / "app.css").read_text(encoding="utf-8")


class _Tags(HTMLParser):
    """Start tags in document order: (tag, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_no_template_of_the_web_app_uses_a_style_attribute() -> None:
    """The CSP (style-src 'self') refuses style attributes: a colour set that way silently disappears."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.html")
                 if "email" not in p.parts and re.search(r"\sstyle=", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_weekday_classes_carry_the_plan_map_colours() -> None:
    for weekday, colour in enumerate(DAY_COLOURS):
        assert re.search(rf"\.weekday-{weekday} \{{ background: {colour}; \}}", CSS), (weekday, colour)


def test_every_page_starts_with_a_skip_link_and_has_a_real_menu_button(login, world) -> None:
    html = login(world.users["planner"]).get("/").get_data(as_text=True)
    tags = _tags(html)
    body = [t for t in tags if t[0] not in ("html", "head", "meta", "title", "link", "script")]
    assert body[0] == ("body", {})
    assert body[1][0] == "a" and body[1][1]["href"] == "#isi"  # the first Tab stop
    assert any(tag == "main" and a.get("id") == "isi" for tag, a in tags)
    toggle = next(a for tag, a in tags if tag == "button" and "nav-toggle" in (a.get("class") or ""))
    assert toggle["type"] == "button" and toggle["aria-expanded"] == "false"
    assert any(tag == "nav" and a.get("id") == toggle["aria-controls"] for tag, a in tags)
    scripts = [a for tag, a in tags if tag == "script"]
    assert scripts and all(a.get("src", "").startswith("/static/") for a in scripts)  # no inline script
    assert not any(tag == "input" and a.get("type") == "checkbox" for tag, a in tags)  # the old hidden checkbox


def test_the_dashboard_map_is_a_group_with_its_data_as_a_table(login, world) -> None:
    html = login(world.users["planner"]).get("/").get_data(as_text=True)
    tags = _tags(html)
    svg = next(a for tag, a in tags if tag == "svg" and a.get("version") == "1.1")
    assert svg["role"] == "group" and svg["aria-label"]
    assert all(a.get("tabindex") == "-1" for tag, a in tags if tag == "a" and "xlink:href" in a)
    table = html[html.index('data-testid="map-table"'):]
    for desa in (world.desa_a, world.desa_a2, world.desa_b):
        assert f'data-desa="{desa.code}"' in table and desa.name in table
    assert world.desa_x.name not in table  # another regency's desa stays out


def test_visit_day_fields_are_labelled_and_counters_name_what_they_show(login, world) -> None:
    from datetime import date

    from app.extensions import db
    from app.visits.models import Visit

    visit = Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2026, 12, 1), status="berlangsung")
    db.session.add(visit)
    db.session.commit()
    html = login(world.users["planner"]).get(f"/kunjungan/{visit.id}").get_data(as_text=True)
    tags = _tags(html)
    for tag, a in tags:
        if tag == "button" and a.get("name") == "count":
            sign = "+1" if a["value"] == "1" else "−1"
            assert (a.get("aria-label") or "").startswith(sign + " "), a  # WCAG 2.5.3: the visible text first
    labelled = {a["for"] for tag, a in tags if tag == "label" and a.get("for")}
    files = [a for tag, a in tags if tag == "input" and a.get("type") == "file"]
    assert len(files) == 2 and all(a.get("id") in labelled for a in files)
