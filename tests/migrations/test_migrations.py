"""Alembic under test: the schema from `upgrade head` equals the models, and every revision goes down again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db
from tests.conftest import database_url_for_tests, make_app


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """A brand-new empty database of the same kind as the test database."""
    base = make_url(database_url_for_tests())
    if base.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path}/migrations.sqlite3"
        return
    name = f"bunga_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _ignore_external(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name == "alembic_version")


def test_upgrade_head_matches_the_models_and_downgrade_removes_everything(empty_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _ignore_external})
            diff = compare_metadata(ctx, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        tables = set(inspect(db.engine).get_table_names())
        assert {"regency", "kecamatan", "desa", "place", "user", "api_token", "audit_log"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and up again: downgrade left nothing behind that blocks a re-run
        db.engine.dispose()


def test_every_revision_has_a_real_downgrade():
    from pathlib import Path

    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    files = sorted(versions.glob("*.py"))
    assert files, "no migrations found"
    for path in files:
        source = path.read_text()
        body = source.split("def downgrade():", 1)[1]
        assert "pass" not in body.split("\n", 2)[1], f"{path.name} has an empty downgrade()"
