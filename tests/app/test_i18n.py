"""The English catalogue: language switching on real pages, a complete and current .po, a .mo in sync with it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "app" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


# --- pages switch language -------------------------------------------------------------------------------------------

def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.get_data(as_text=True)


def _switch(client, lang: str) -> None:
    response = client.get(f"/bahasa/{lang}")
    assert response.status_code == 302


ID_LABELS = {
    # (the map SVG is drawn in Python with its own Indonesian labels, so "Rumah tangga miskin" is not checked)
    "/": ["Beranda", "Ringkasan wilayah", "Penduduk", "Peta desa menurut persentase rumah tangga miskin"],
    "/desa": ["Daftar desa dan kelurahan", "Semua kecamatan", "Urutkan", "RT miskin", "Keluar"],
}
EN_LABELS = {
    "/": ["Home", "Area summary", "Population", "Map of villages by share of poor households"],
    "/desa": ["Villages and urban villages", "All districts", "Sort by", "Poor households", "Sign out"],
}


def _assert_indonesian(page: str, path: str) -> None:
    assert '<html lang="id">' in page
    for label in ID_LABELS[path]:
        assert label in page, f"{path}: {label!r} missing"
    for label in EN_LABELS[path]:
        assert label not in page, f"{path}: English {label!r} shown in Indonesian"


def _assert_english(page: str, path: str) -> None:
    assert '<html lang="en">' in page
    for label in EN_LABELS[path]:
        assert label in page, f"{path}: {label!r} missing"
    for label in ID_LABELS[path]:
        assert label not in page, f"{path}: Indonesian {label!r} still shown in English"


@pytest.mark.parametrize("path", ["/", "/desa"])
def test_pages_are_indonesian_by_default(world, login, path):
    client = login(world.users["planner"])
    _assert_indonesian(_page(client, path), path)


@pytest.mark.parametrize("path", ["/", "/desa"])
def test_switching_to_english_and_back(world, login, path):
    client = login(world.users["planner"])
    _switch(client, "en")
    _assert_english(_page(client, path), path)
    _switch(client, "id")
    _assert_indonesian(_page(client, path), path)


def test_language_switch_returns_to_the_page_it_came_from(world, login):
    client = login(world.users["planner"])
    response = client.get("/bahasa/en", query_string={"next": "/desa?kecamatan=35.10.09"})
    assert response.status_code == 302 and response.location == "/desa?kecamatan=35.10.09"


def test_unknown_language_is_ignored(world, login):
    client = login(world.users["planner"])
    _switch(client, "fr")
    _assert_indonesian(_page(client, "/desa"), "/desa")


def test_login_page_in_both_languages(client):
    page = _page(client, "/masuk")
    assert '<html lang="id">' in page and "Masuk ke Bunga Desa" in page and "Sign in to Bunga Desa" not in page
    _switch(client, "en")
    page = _page(client, "/masuk")
    assert '<html lang="en">' in page and "Sign in to Bunga Desa" in page and "Masuk ke Bunga Desa" not in page
    assert "Banyuwangi Regency Government" in page
    _switch(client, "id")
    page = _page(client, "/masuk")
    assert '<html lang="id">' in page and "Masuk ke Bunga Desa" in page


def test_flash_messages_follow_the_language(client):
    _switch(client, "en")
    page = _page(client, "/masuk?expired=1")
    assert "Your session expired because of inactivity. Please sign in again." in page


def test_error_page_titles_are_translated(world, login):
    """The titles in app/core/errors.py are marked with _N() for extraction and translated where they are shown."""
    client = login(world.users["planner"])
    assert "Halaman tidak ditemukan" in client.get("/desa/99.99.99.9999").get_data(as_text=True)
    _switch(client, "en")
    response = client.get("/desa/99.99.99.9999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and "Halaman tidak ditemukan" not in page


# --- the catalogue ---------------------------------------------------------------------------------------------------

def _only_app(dirpath: str) -> bool:
    """babel.cfg only matches files under app/, so skip the rest of the repository; like Babel's default filter,
    skip dot- and underscore-directories (.venv, __pycache__)."""
    path = Path(dirpath).resolve()
    return not path.name.startswith((".", "_")) and path.is_relative_to(ROOT / "app")


def _extract_current_messages(tmp_path: Path) -> Catalog:
    """What `pybabel extract -F babel.cfg -k _ -k gettext -k lazy_gettext .` would write, through a temporary .pot."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(BABEL_CFG))
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_N": None}
    template = Catalog(project="Bunga Desa")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords, comment_tags=(), directory_filter=_only_app
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    pot = tmp_path / "messages.pot"
    with pot.open("wb") as fh:
        write_po(fh, template)
    with pot.open("rb") as fh:
        return read_po(fh)


def _read_en_po() -> Catalog:
    with EN_PO.open("rb") as fh:
        return read_po(fh, locale="en")


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_extraction_finds_the_ui(tmp_path):
    """Guards the completeness test itself: the config must reach templates in both places and the Python routes."""
    ids = {m.id for m in _extract_current_messages(tmp_path) if m.id}
    assert {"Daftar desa dan kelurahan", "Masuk ke Bunga Desa", "Beranda", "Anda telah keluar."} <= ids
    assert len(ids) > 100


def test_every_message_has_an_english_translation(tmp_path):
    template = _extract_current_messages(tmp_path)
    po = _read_en_po()
    assert not po.fuzzy, "the .po header is marked fuzzy: pybabel compile would skip it"
    problems = []
    for message in template:
        if not message.id:
            continue
        key = message.id if message.context is None else (message.id, message.context)
        translated = po.get(*key) if isinstance(key, tuple) else po.get(key)
        shown = message.id if isinstance(message.id, str) else message.id[0]
        if translated is None:
            problems.append(f"missing: {shown!r}")
            continue
        strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        if not all(s and s.strip() for s in strings):
            problems.append(f"empty: {shown!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {shown!r}")
        else:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            for s in strings:
                if _placeholders(s) != _placeholders(ids[0]):
                    problems.append(f"placeholders differ: {shown!r} -> {s!r}")
    assert not problems, "run the commands in app/translations/README.md:\n" + "\n".join(problems)


def test_every_translation_keeps_the_placeholders_and_python_format():
    problems = []
    for message in _read_en_po():
        if not message.id or not message.string:
            continue
        if _placeholders(message.string) != _placeholders(message.id):
            problems.append(f"{message.id!r} -> {message.string!r}")
        problems.extend(f"{message.id!r}: {error}" for error in message.check())
    assert not problems, "\n".join(map(str, problems))


def test_compiled_mo_matches_the_po():
    po = _read_en_po()
    with EN_MO.open("rb") as fh:
        mo = read_mo(fh)
    expected = {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}
    compiled = {m.id: m.string for m in mo if m.id}
    assert compiled == expected, "the .mo is stale: run `pybabel compile -d app/translations`"
