"""Query counts of the main pages: the number of SQL statements a page issues must not grow with its rows (one
query per row is what makes a page slow at a regency's scale). Each page is measured with few rows and with many;
the counts must be equal and under a ceiling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.aspirations import services as aspiration_services
from app.extensions import db
from app.visits.models import Visit


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)  # every engine: the web app under test has its own
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def statements_of(get: Callable[[], object]) -> int:
    get()  # warm-up: first-request work (templates, catalogue caches) is not what is measured
    with counting() as statements:
        response = get()
    assert response.status_code == 200
    assert statements, "no SQL statement was counted"
    return len(statements)


def _add_visits(world, n: int, start: date) -> None:
    """n visits, each to a desa of its own (a desa seen once is cached by the session, which would hide a query
    per row)."""
    from tests.factories import create_desa

    desa = [create_desa((world.kec_a, world.kec_b)[k % 2], f"35.10.{('09', '16')[k % 2]}.{4 + start.month}{k:03d}",
                        f"Desa uji {start.month}-{k}", lat=-8.3, lon=114.2) for k in range(n)]
    db.session.flush()
    for k in range(n):
        db.session.add(Visit(regency_id=world.regency.id, desa_id=desa[k % 3].id, day=start + timedelta(days=k),
                             status="dijadwalkan"))
    db.session.commit()


def _add_aspirations(world, n: int, batch: int) -> None:
    from tests.factories import create_desa

    desa = [create_desa(world.kec_a, f"35.10.09.{batch}{k:03d}", f"Desa aspirasi {batch}-{k}") for k in range(n)]
    db.session.commit()
    for k in range(n):
        aspiration_services.submit_aspiration(world.users["planner"], aspiration_services.AspirationInput(
            desa_code=desa[k].code, category="infrastruktur",
            title=f"Jalan dusun {k} rusak", description="Jalan utama dusun rusak berat sejak musim hujan.",
            urgency="sedang"))


@pytest.mark.parametrize("page, ceiling", [("/api/v1/visits", 12), ("/kunjungan", 20)])
def test_visit_lists_do_not_query_per_visit(world, login, token, client, page, ceiling):
    headers = token(world.users["planner"])
    web = login(world.users["planner"])

    def get():
        return client.get(page, headers=headers) if page.startswith("/api") else web.get(page)

    _add_visits(world, 3, date(2027, 1, 4))
    few = statements_of(get)
    _add_visits(world, 30, date(2027, 2, 1))
    many = statements_of(get)
    assert many == few and many <= ceiling, (few, many)


def test_aspiration_list_does_not_query_per_row(world, login):
    web = login(world.users["planner"])
    _add_aspirations(world, 2, 7)
    few = statements_of(lambda: web.get("/aspirasi"))
    _add_aspirations(world, 20, 8)
    many = statements_of(lambda: web.get("/aspirasi"))
    assert many == few and many <= 25, (few, many)
