"""Regions (Kemendagri codes) and named places: the master data every other domain hangs on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.core.db import TimestampMixin
from app.extensions import db


class Regency(TimestampMixin, db.Model):
    """A kabupaten or kota; one deployment may hold several (national roll-out)."""

    __tablename__ = "regency"
    __table_args__ = (CheckConstraint("kind IN ('kabupaten', 'kota')", name="kind_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(5), unique=True)  # "35.10"
    name: Mapped[str] = mapped_column(String(120))  # "Kabupaten Banyuwangi"
    kind: Mapped[str] = mapped_column(String(10))
    province_name: Mapped[str | None] = mapped_column(String(120))

    kecamatan = relationship("Kecamatan", back_populates="regency", order_by="Kecamatan.code")


class Kecamatan(TimestampMixin, db.Model):
    """A district; its reference point places demo desa and bounds imports."""

    __tablename__ = "kecamatan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)  # "35.10.09"
    name: Mapped[str] = mapped_column(String(120))
    ref_lat: Mapped[float | None] = mapped_column(Float)
    ref_lon: Mapped[float | None] = mapped_column(Float)
    boundary: Mapped[dict | None] = mapped_column(JSON)  # GeoJSON geometry

    regency = relationship("Regency", back_populates="kecamatan")
    desa = relationship("Desa", back_populates="kecamatan", order_by="Desa.code")


class Desa(TimestampMixin, db.Model):
    """A desa or kelurahan with its location and the figures that drive visit priorities."""

    __tablename__ = "desa"
    __table_args__ = (
        CheckConstraint("kind IN ('desa', 'kelurahan')", name="kind_known"),
        CheckConstraint("location_source IN ('imported', 'approximate')", name="location_source_known"),
        CheckConstraint("population IS NULL OR population >= 0", name="population_non_negative"),
        CheckConstraint("households IS NULL OR households >= 0", name="households_non_negative"),
        CheckConstraint("poor_households IS NULL OR poor_households >= 0", name="poor_non_negative"),
        CheckConstraint("area_km2 IS NULL OR area_km2 >= 0", name="area_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    code: Mapped[str] = mapped_column(String(13), unique=True)  # "35.10.09.2001"
    name: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    location_source: Mapped[str | None] = mapped_column(String(12))
    area_km2: Mapped[float | None] = mapped_column(Float)
    boundary: Mapped[dict | None] = mapped_column(JSON)  # GeoJSON geometry
    population: Mapped[int | None] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    poor_households: Mapped[int | None] = mapped_column(Integer)
    figures_source: Mapped[str | None] = mapped_column(String(200))
    figures_date: Mapped[date | None] = mapped_column(Date)

    regency = relationship("Regency")
    kecamatan = relationship("Kecamatan", back_populates="desa")

    @property
    def poverty_share(self) -> float | None:
        """Share of households that are poor, or None without figures."""
        if not self.households or self.poor_households is None:
            return None
        return self.poor_households / self.households

    @property
    def is_approximate(self) -> bool:
        return self.location_source == "approximate"

    @property
    def figures_are_demo(self) -> bool:
        return bool(self.figures_source and self.figures_source.startswith("DEMO"))


class PovertyImport(db.Model):
    """One import of household counts by welfare decile (DTSEN, P3KE, …), or the demo's made-up figures.

    Imports are never deleted: a newer one supersedes the older (``superseded_at``), which stays for the audit, and
    plans keep pointing at the one their priority used.
    """

    __tablename__ = "poverty_import"
    __table_args__ = (CheckConstraint("row_count >= 0", name="row_count_non_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    source: Mapped[str] = mapped_column(String(60))  # "DTSEN", "P3KE", free text; "data contoh" for the demo
    as_of: Mapped[date | None] = mapped_column(Date)  # the export's date; None for the demo
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    file_name: Mapped[str | None] = mapped_column(String(200))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    imported_by = relationship("User", foreign_keys=[imported_by_id])


class PovertyFigure(db.Model):
    """One desa's households in an import: all households and those in welfare deciles 1–4 (1 = poorest 10 %).

    ``current`` marks the figure that `Desa.households` and `Desa.poor_households` (= desil 1–4) were last set from;
    a newer import of the desa, or a location import that brings its own figures, clears it. At most one per desa.
    """

    __tablename__ = "poverty_figure"
    __table_args__ = (
        UniqueConstraint("import_id", "desa_id"),
        CheckConstraint("households >= 0 AND desil_1 >= 0 AND desil_2 >= 0 AND desil_3 >= 0 AND desil_4 >= 0",
                        name="counts_non_negative"),
        CheckConstraint("desil_1 + desil_2 + desil_3 + desil_4 <= households", name="deciles_within_households"),
        Index("uq_poverty_figure_current_desa", "desa_id", unique=True, sqlite_where=text("current"),
              postgresql_where=text("current")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("poverty_import.id", ondelete="CASCADE"), index=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id", ondelete="CASCADE"), index=True)
    households: Mapped[int] = mapped_column(Integer)
    desil_1: Mapped[int] = mapped_column(Integer)
    desil_2: Mapped[int] = mapped_column(Integer)
    desil_3: Mapped[int] = mapped_column(Integer)
    desil_4: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)

    poverty_import = relationship("PovertyImport")

    @property
    def poor(self) -> int:
        """Households in desil 1–4: the app's "poor households"."""
        return self.desil_1 + self.desil_2 + self.desil_3 + self.desil_4


class Place(TimestampMixin, db.Model):
    """A named start or end of a day: the regent's office (Pendopo) or a lodging place."""

    __tablename__ = "place"
    __table_args__ = (CheckConstraint("kind IN ('office', 'lodging', 'other')", name="kind_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regency_id: Mapped[int] = mapped_column(ForeignKey("regency.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"))
