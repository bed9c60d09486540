"""Backup and restore: every table's rows and the uploaded files, with a manifest of checksums.

A regency's server must be restorable after a disk failure, onto SQLite or PostgreSQL alike, so the backup is the
database's content (not a file copy of one engine): one JSON-lines file per table, values tagged by column type,
in foreign-key order, plus the uploads folder. NIKs stay encrypted as stored; the same ``BUNGA_PII_KEY`` decrypts
them after a restore. ``restore`` refuses a damaged or incomplete backup (a checksum that does not match, a file
missing) and a database that is not empty, before writing anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import Date, DateTime, LargeBinary, MetaData, Table, func, insert, select, text

from app.core.clock import utcnow
from app.extensions import db

FORMAT = "bunga-desa-backup"
FORMAT_VERSION = 1
BATCH = 500


class BackupError(Exception):
    """Why a backup cannot be made or restored, in Indonesian."""


@dataclass(frozen=True)
class BackupSummary:
    directory: Path
    tables: dict[str, int]
    files: int
    revision: str | None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode(column: Any, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value  # numbers, text, booleans and JSON documents come back as they were


def _revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _tables() -> list[Table]:
    """The database's tables as they are (reflected), parents before children; Alembic's own table left out."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def _rows(table: Table) -> Iterator[dict[str, Any]]:
    key = list(table.primary_key.columns) or list(table.columns)
    with db.engine.connect() as conn:
        for row in conn.execute(select(table).order_by(*key)).mappings():
            yield {k: _encode(v) for k, v in row.items()}


def backup(out: Path) -> BackupSummary:
    """Write the database and the uploads to ``out`` (created; must be empty)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"Folder {out} tidak kosong; pilih folder baru untuk cadangan.")
    (out / "db").mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION, "created_at": utcnow().isoformat(),
                                "revision": _revision(), "dialect": db.engine.dialect.name, "tables": [],
                                "uploads": {}}
    counts = {}
    for table in _tables():
        path = out / "db" / f"{table.name}.jsonl"
        n = 0
        with path.open("w", encoding="utf-8") as fh:
            for row in _rows(table):
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
        counts[table.name] = n
        manifest["tables"].append({"name": table.name, "rows": n, "file": f"db/{table.name}.jsonl",
                                   "sha256": _sha256(path)})
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if uploads.is_dir():
        for src in sorted(p for p in uploads.rglob("*") if p.is_file()):
            rel = src.relative_to(uploads).as_posix()
            dst = out / "uploads" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            manifest["uploads"][rel] = _sha256(dst)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return BackupSummary(out, counts, len(manifest["uploads"]), manifest["revision"])


def _verified_manifest(source: Path) -> dict[str, Any]:
    """The manifest, once every file it names is present with its checksum. :raise BackupError: otherwise."""
    path = source / "manifest.json"
    if not path.is_file():
        raise BackupError(f"{source} bukan folder cadangan Bunga Desa: manifest.json tidak ada.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError("manifest.json rusak (bukan JSON yang sah).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("manifest.json bukan manifest cadangan Bunga Desa.")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"Format cadangan versi {manifest.get('version')} tidak dikenal aplikasi ini.")
    entries = [(t["file"], t["sha256"]) for t in manifest.get("tables", [])]
    entries += [(f"uploads/{rel}", digest) for rel, digest in (manifest.get("uploads") or {}).items()]
    for rel, digest in entries:
        parts = Path(rel).parts
        if Path(rel).is_absolute() or ".." in parts:
            raise BackupError(f"manifest.json menyebut berkas di luar folder cadangan ({rel}).")
        file = source / rel
        if not file.is_file():
            raise BackupError(f"Cadangan tidak lengkap: berkas {rel} tidak ada. Tidak ada yang dipulihkan.")
        if _sha256(file) != digest:
            raise BackupError(f"Cadangan rusak: isi berkas {rel} tidak cocok dengan checksum di manifest. "
                              "Tidak ada yang dipulihkan.")
    return manifest


USER_DATA = ("user", "regency", "desa", "aspiration", "visit", "plan")  # empty = none of these holds a row


def _database_is_empty() -> bool:
    """No users, regions, aspirations, visits or plans (the reference rows migrations seed do not count)."""
    meta = MetaData()
    meta.reflect(bind=db.engine, only=lambda name, _meta: name in USER_DATA)
    with db.engine.connect() as conn:
        return not any(conn.execute(select(func.count()).select_from(t)).scalar() for t in meta.sorted_tables)


def restore(source: Path) -> BackupSummary:
    """Migrate the (empty) database to the backup's schema, load every row and the uploads, then migrate to the
    newest schema. :raise BackupError: damaged backup or a database that already holds data (nothing written)."""
    source = Path(source)
    manifest = _verified_manifest(source)
    if not _database_is_empty():
        raise BackupError("Basis data tujuan sudah berisi data. Pulihkan hanya ke basis data kosong.")
    revision = manifest.get("revision")
    upgrade(revision=revision or "head")
    tables = {t.name: t for t in _tables()}
    missing = [t["name"] for t in manifest["tables"] if t["name"] not in tables]
    if missing:
        raise BackupError(f"Tabel {', '.join(missing)} dari cadangan tidak ada pada skema versi {revision}.")
    counts = {}
    with db.engine.begin() as conn:
        for table in reversed(list(tables.values())):  # the reference rows the migrations seeded are in the backup
            conn.execute(table.delete())
        for entry in manifest["tables"]:
            table = tables[entry["name"]]
            batch, n = [], 0
            with (source / entry["file"]).open(encoding="utf-8") as fh:
                for line in fh:
                    raw = json.loads(line)
                    batch.append({k: _decode(table.c[k], v) for k, v in raw.items() if k in table.c})
                    if len(batch) >= BATCH:
                        conn.execute(insert(table), batch)
                        n, batch = n + len(batch), []
            if batch:
                conn.execute(insert(table), batch)
                n += len(batch)
            counts[table.name] = n
        if conn.dialect.name == "postgresql":  # the next id after the restored ones
            for table in tables.values():
                if "id" in table.c and counts.get(table.name):
                    # table names come from the reflected schema, not from the backup's files
                    top = conn.execute(select(func.max(table.c.id))).scalar()
                    conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                                 {"t": f'"{table.name}"', "v": top})
    upgrade()
    uploads = Path(current_app.config["UPLOAD_DIR"])
    for rel in manifest.get("uploads") or {}:
        dst = uploads / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "uploads" / rel, dst)
    return BackupSummary(source, counts, len(manifest.get("uploads") or {}), revision)
