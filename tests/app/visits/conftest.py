"""Visit fixtures: a scheduled visit to desa A."""

from datetime import date

import pytest

from app.extensions import db
from app.visits.models import Visit


@pytest.fixture
def visit(world) -> Visit:
    row = Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2026, 12, 1), status="dijadwalkan")
    db.session.add(row)
    db.session.commit()
    return row


def nik(day: int = 1, month: int = 1, year: int = 90, serial: int = 1, kec: str = "09", woman: bool = False) -> str:
    """A structurally valid Banyuwangi NIK (test data only)."""
    return f"3510{kec}{day + (40 if woman else 0):02d}{month:02d}{year:02d}{serial:04d}"
