"""Regions (Kemendagri codes) and named places: the master data every other domain hangs on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
