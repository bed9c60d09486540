"""Backup and restore: `backup` then `restore` into an empty database gives the same villages, aspirations and
visits through the API, NIKs still decrypt, uploads come back; a damaged backup or a database holding data is
refused before anything is written."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app.admin.backup import BackupError, backup, restore
from app.aspirations import services as aspiration_services
from app.auth.models import User
from app.extensions import db
from app.visits import services as visit_services
from app.visits.models import ServiceRecord, Visit
from tests.conftest import make_app
from tests.factories import PASSWORD

NIK = "3510094508850012"


@pytest.fixture(autouse=True)
def own_uploads(app, tmp_path, monkeypatch):
    """This test's own uploads folder: other tests leave their files in the shared one."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


def _seed(world, app) -> None:
    aspiration_services.submit_aspiration(world.users["kepala_desa"], aspiration_services.AspirationInput(
        desa_code=world.desa_a.code, category="adminduk", title="Perekaman KTP-el lansia",
        description="Lansia belum merekam KTP-el.", urgency="tinggi"))
    visit = Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2026, 12, 1), status="dijadwalkan")
    db.session.add(visit)
    db.session.commit()
    visit_services.change_status(world.users["planner"], visit, "berlangsung")
    visit_services.record_nik(world.users["opd"], visit, "aktivasi_ikd", NIK)
    uploads = Path(app.config["UPLOAD_DIR"])
    (uploads / "foto").mkdir(parents=True, exist_ok=True)
    (uploads / "foto" / "bukti.jpg").write_bytes(b"\xff\xd8 bukti kunjungan")


def _api(app, path: str) -> object:
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "perencana", "password": PASSWORD}).get_json()
    response = client.get(path, headers={"Authorization": f"Bearer {token['token']}"})
    assert response.status_code == 200, (path, response.status_code)
    return response.get_json()


@pytest.fixture
def empty_database(tmp_path) -> Iterator[str]:
    """A new empty database of the same kind as the suite's (SQLite file, or a new PostgreSQL database)."""
    base = os.environ.get("BUNGA_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path}/restored.sqlite3"
        return
    name = f"bunga_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_backup_then_restore_into_an_empty_database_serves_the_same_data(world, app, tmp_path, empty_database):
    _seed(world, app)
    before = {path: _api(app, path) for path in ("/api/v1/villages", "/api/v1/aspirations", "/api/v1/visits")}
    summary = backup(tmp_path / "cadangan")
    assert summary.tables["desa"] == 4 and summary.tables["service_record"] == 1 and summary.files == 1
    manifest = json.loads((tmp_path / "cadangan" / "manifest.json").read_text())
    assert all(len(t["sha256"]) == 64 for t in manifest["tables"]) and "foto/bukti.jpg" in manifest["uploads"]
    assert NIK not in "".join(p.read_text() for p in (tmp_path / "cadangan" / "db").glob("*.jsonl"))

    regency_id, desa_b_id = world.regency.id, world.desa_b.id  # read here: the world's rows belong to this session
    db.session.commit()
    target = make_app(SQLALCHEMY_DATABASE_URI=empty_database, UPLOAD_DIR=str(tmp_path / "uploads-baru"))
    with target.app_context():
        restored = restore(tmp_path / "cadangan")
        assert restored.tables["desa"] == 4
        for path, body in before.items():
            assert _api(target, path) == body  # the same villages, aspirations and visits through the API
        record = db.session.scalar(select(ServiceRecord))
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        assert visit_services.reveal_nik(admin, record, "uji pemulihan") == NIK
        assert (tmp_path / "uploads-baru" / "foto" / "bukti.jpg").read_bytes() == b"\xff\xd8 bukti kunjungan"
        # new rows get new ids after the restored ones
        db.session.add(Visit(regency_id=regency_id, desa_id=desa_b_id, day=date(2027, 1, 5)))
        db.session.commit()
        with pytest.raises(BackupError, match="sudah berisi data"):
            restore(tmp_path / "cadangan")  # a database holding data is refused
        db.session.remove()
        db.engine.dispose()


def test_a_damaged_backup_is_refused_and_nothing_is_written(world, app, tmp_path, empty_database):
    _seed(world, app)
    backup(tmp_path / "cadangan")
    damaged = tmp_path / "cadangan" / "db" / "aspiration.jsonl"
    damaged.write_text(damaged.read_text().replace("tinggi", "rendah"))
    target = make_app(SQLALCHEMY_DATABASE_URI=empty_database, UPLOAD_DIR=str(tmp_path / "uploads-baru"))
    with target.app_context():
        with pytest.raises(BackupError, match=r"aspiration\.jsonl tidak cocok dengan checksum"):
            restore(tmp_path / "cadangan")
        tables = db.session.execute(text(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            if db.engine.dialect.name == "postgresql" else "SELECT count(*) FROM sqlite_master WHERE type='table'"
        )).scalar()
        assert tables == 0  # refused before the schema was even created
        db.session.remove()
        db.engine.dispose()
    (tmp_path / "cadangan" / "uploads" / "foto" / "bukti.jpg").unlink()
    damaged.write_text(damaged.read_text().replace("rendah", "tinggi"))
    with target.app_context(), pytest.raises(BackupError, match="tidak lengkap"):
        restore(tmp_path / "cadangan")


def test_backup_and_restore_commands(world, app, runner, tmp_path):
    _seed(world, app)
    result = runner.invoke(args=["backup", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0 and "Cadangan dibuat" in result.output
    again = runner.invoke(args=["backup", "--out", str(tmp_path / "c")])
    assert again.exit_code != 0 and "tidak kosong" in again.output
    refused = runner.invoke(args=["restore", str(tmp_path / "c")])
    assert refused.exit_code != 0 and "sudah berisi data" in refused.output
    assert db.session.scalar(select(func.count(Visit.id))) == 1
