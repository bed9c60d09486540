"""The seeded category list and deadline rules (the first migration inserts the same rows)."""

from __future__ import annotations

from sqlalchemy import select

from app.aspirations.models import AspirationCategory, DeadlineRule
from app.extensions import db

DEFAULT_CATEGORIES = (
    ("adminduk", "Administrasi kependudukan", "adminduk"),
    ("kesehatan", "Kesehatan", "kesehatan"),
    ("pendidikan", "Pendidikan", "pendidikan"),
    ("sosial", "Sosial/bansos", "sosial"),
    ("infrastruktur", "Infrastruktur", "infrastruktur"),
    ("ekonomi", "Ekonomi/UMKM", "ekonomi"),
    ("lainnya", "Lainnya", None),
)
# (urgency, verify working days, follow-up working days); other urgencies use the 3/5 defaults.
DEFAULT_DEADLINE_RULES = (("darurat", 1, 2), ("tinggi", 2, 4))


def ensure_catalogue() -> None:
    """Insert missing default categories and rules (idempotent; the caller commits)."""
    existing = set(db.session.scalars(select(AspirationCategory.code)))
    for code, name, sector in DEFAULT_CATEGORIES:
        if code not in existing:
            db.session.add(AspirationCategory(code=code, name=name, sector=sector))
    rules = set(db.session.scalars(select(DeadlineRule.urgency).where(DeadlineRule.category_id.is_(None))))
    for urgency, verify, followup in DEFAULT_DEADLINE_RULES:
        if urgency not in rules:
            db.session.add(DeadlineRule(category_id=None, urgency=urgency, verify_days=verify,
                                        followup_days=followup))
    db.session.flush()
