"""Reference points of Kabupaten Banyuwangi (35.10): one (lat, lon) per kecamatan and the regent's office.

Approximate kecamatan centres, used to seed the demo, to place desa that have no imported
location yet, and (in tests) to derive the regency's area for import validation.
"""

from __future__ import annotations

KECAMATAN_REFERENCE_POINTS: dict[str, tuple[float, float]] = {
    "35.10.01": (-8.520, 113.972),
    "35.10.02": (-8.537, 114.175),
    "35.10.03": (-8.535, 114.241),
    "35.10.04": (-8.648, 114.427),
    "35.10.05": (-8.448, 114.322),
    "35.10.06": (-8.436, 114.235),
    "35.10.07": (-8.412, 114.167),
    "35.10.08": (-8.379, 114.261),
    "35.10.09": (-8.348, 114.148),
    "35.10.10": (-8.314, 114.048),
    "35.10.11": (-8.270, 113.981),
    "35.10.12": (-8.304, 114.231),
    "35.10.13": (-8.325, 114.289),
    "35.10.14": (-8.266, 114.304),
    "35.10.15": (-8.194, 114.300),
    "35.10.16": (-8.228, 114.368),
    "35.10.17": (-8.192, 114.334),
    "35.10.18": (-7.989, 114.333),
    "35.10.19": (-8.185, 114.156),
    "35.10.20": (-8.282, 114.152),
    "35.10.21": (-8.116, 114.334),
    "35.10.22": (-8.512, 114.097),
    "35.10.23": (-8.424, 114.126),
    "35.10.24": (-8.159, 114.237),
    "35.10.25": (-8.331, 114.336),
}

# Pendopo Sabha Swagata Blambangan, the regent's office in Banyuwangi town: start and end of every tour.
PENDOPO: tuple[float, float] = (-8.2147, 114.3686)
