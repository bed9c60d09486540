"""NIK (Nomor Induk Kependudukan) validation and masking: pure functions, no Flask request, no database.

A NIK is ``PP KK CC DDMMYY SSSS``: province, regency, kecamatan (Kemendagri codes), date of birth with +40 on the
day for women, and a serial. Digits 7–12 therefore disclose date of birth and sex, which is why every screen and
export shows the NIK through :func:`mask_nik` (RELIABILITY.md, "NIK masking and storage design").

Why not ``lokal.nik.parse_nik`` (lokal-id 0.7.2)? Its structure checks are close, but it does not fit:

* its century rule (``yy <= today.year % 100`` → 20yy) accepts a birth date later this year as *this* year, i.e.
  in the future (``…011226…`` on 28 Nov 2026 decodes to 1 Dec 2026), and it has no future / 120-year check;
* an unknown regency or kecamatan code is only a warning (``valid`` stays True), and we need it to be an error;
* it has a single generic message per category ("NIK harus terdiri dari 16 digit angka.", "Tanggal lahir di NIK
  tidak valid.") where a petugas needs to know *which* part is wrong (day, month, 31 Feb, how many digits);
* it returns a mutable result object instead of raising, and knows nothing of "our" regency.

We do reuse lokal-id's Kemendagri region list (``lokal.wilayah.get_wilayah``) for the region codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from lokal.wilayah import get_wilayah

from app.core.clock import today_local

__all__ = [
    "NikError",
    "NikInfo",
    "mask_nik",
    "mask_nik_strict",
    "normalize_nik",
    "parse_nik",
]

Sex = Literal["L", "P"]

#: Separators people type or paste: whitespace (incl. NBSP), dots, hyphen-minus and Unicode dashes / minus.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")
_SIXTEEN = re.compile(r"[0-9]{16}")  # ASCII only: str.isdigit() would accept "²" or Arabic-Indic digits
_DIGIT = re.compile(r"[0-9]")
_MAX_AGE_YEARS = 120

_MONTHS_ID = (
    "", "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)


class NikError(ValueError):
    """A NIK that cannot be valid; ``str(err)`` is an Indonesian sentence fit for a form or a 422 response.

    ``code`` names the failed check for programs (row reports, API clients): ``format``, ``panjang``, ``provinsi``,
    ``kabupaten``, ``kecamatan``, ``tanggal``, ``bulan``, ``tanggal_tidak_ada``, ``masa_depan``, ``terlalu_tua``,
    ``nomor_urut``. The message never contains the full NIK (it may end up in logs or audit events).
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class NikInfo:
    """What a structurally valid NIK says. ``nik`` is the normalized 16 digits: store it only encrypted."""

    nik: str
    birth_date: date
    sex: Sex
    province_code: str  # "35"
    regency_code: str  # "35.10"
    kecamatan_code: str  # "35.10.09"
    serial: str  # "0001"
    from_other_regency: bool = False
    #: Indonesian sentence for the petugas when the resident is from another regency (allowed, but flagged).
    warning: str | None = None

    def __repr__(self) -> str:  # the dataclass repr would print the full NIK into tracebacks and debuggers
        return (f"NikInfo(nik={mask_nik(self.nik)!r}, regency_code={self.regency_code!r}, "
                f"from_other_regency={self.from_other_regency!r})")

    @property
    def masked(self) -> str:
        """The display form, ``3510********0001``."""
        return mask_nik(self.nik)


def normalize_nik(value: str) -> str:
    """The 16 digits of a NIK typed with spaces, dots or dashes; ``NikError`` when it is not 16 digits."""
    cleaned = _SEPARATORS.sub("", str(value))
    if _SIXTEEN.fullmatch(cleaned):
        return cleaned
    if any(not _DIGIT.fullmatch(ch) for ch in cleaned):
        raise NikError("NIK hanya boleh berisi angka (spasi, titik, dan tanda hubung diabaikan).", "format")
    raise NikError(f"NIK harus 16 angka; yang diisi {len(cleaned)} angka.", "panjang")


def _regency_code(code: str) -> str:
    digits = re.sub(r"[^0-9]", "", code)
    if len(digits) != 4:
        raise ValueError(f"regency_code must be a 4-digit Kemendagri code like '35.10', got {code!r}")
    return f"{digits[:2]}.{digits[2:]}"


def _format_date(day: int, month: int, year: int) -> str:
    return f"{day} {_MONTHS_ID[month]} {year}"


def _birth_date(digits: str, today: date) -> tuple[date, Sex]:
    """Decode DDMMYY (+40 on DD for women) and check it is a real, plausible date."""
    raw_day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if 1 <= raw_day <= 31:
        day, sex = raw_day, "L"
    elif 41 <= raw_day <= 71:
        day, sex = raw_day - 40, "P"
    else:
        raise NikError(
            "Tanggal lahir pada NIK (angka ke-7 dan ke-8) harus 01–31 untuk laki-laki atau 41–71 untuk perempuan; "
            f"yang diisi {digits[6:8]}.",
            "tanggal",
        )
    if not 1 <= month <= 12:
        raise NikError(f"Bulan lahir pada NIK (angka ke-9 dan ke-10) harus 01–12; yang diisi {digits[8:10]}.", "bulan")

    # Two-digit year: 20yy unless that is still in the future, then 19yy. Living NIK holders were born in one of
    # these two centuries; so this picks the century that makes the date not in the future.
    year = 2000 + yy if (2000 + yy, month, day) <= (today.year, today.month, today.day) else 1900 + yy
    try:
        born = date(year, month, day)
    except ValueError:
        leap = "" if month != 2 or day != 29 else f" ({year} bukan tahun kabisat)"
        raise NikError(f"Tanggal lahir {_format_date(day, month, year)} pada NIK tidak ada{leap}.",
                       "tanggal_tidak_ada") from None
    if born > today:  # only reachable when today is before 2000 (or injected so in tests)
        raise NikError(f"Tanggal lahir pada NIK ({_format_date(day, month, year)}) ada di masa depan.", "masa_depan")
    if (today.year - born.year) - ((today.month, today.day) < (born.month, born.day)) > _MAX_AGE_YEARS:
        raise NikError(
            f"Tanggal lahir pada NIK ({_format_date(day, month, year)}) lebih dari {_MAX_AGE_YEARS} tahun yang lalu.",
            "terlalu_tua",
        )
    return born, sex


def parse_nik(value: str, *, regency_code: str = "35.10", today: date | None = None) -> NikInfo:
    """Validate a NIK by its structure and decode it; raise ``NikError`` with an Indonesian sentence otherwise.

    ``regency_code`` is our own regency (Kemendagri "35.10" = Kabupaten Banyuwangi): a resident from elsewhere is
    accepted with ``from_other_regency=True`` and a ``warning``. ``today`` defaults to today's date in WIB. A
    structurally valid NIK is not proof of registration at Dukcapil.
    """
    home = _regency_code(regency_code)
    today = today or today_local()
    digits = normalize_nik(value)

    pp, kk, cc = digits[0:2], digits[2:4], digits[4:6]
    province_code, reg_code, kec_code = pp, f"{pp}.{kk}", f"{pp}.{kk}.{cc}"
    if get_wilayah(province_code) is None:
        raise NikError(f"Kode provinsi {pp} pada NIK (angka ke-1 dan ke-2) tidak dikenal.", "provinsi")
    regency = get_wilayah(reg_code)
    if regency is None:
        raise NikError(
            f"Kode kabupaten/kota {reg_code} pada NIK (angka ke-1 sampai ke-4) tidak ada dalam kode wilayah "
            "Kemendagri.",
            "kabupaten",
        )
    if get_wilayah(kec_code) is None:
        raise NikError(
            f"Kode kecamatan {kec_code} pada NIK (angka ke-1 sampai ke-6) tidak ada dalam kode wilayah Kemendagri.",
            "kecamatan",
        )

    born, sex = _birth_date(digits, today)
    serial = digits[12:]
    if serial == "0000":
        raise NikError("Nomor urut pada NIK (4 angka terakhir) tidak boleh 0000.", "nomor_urut")

    other = reg_code != home
    warning = None
    if other:
        home_region = get_wilayah(home)
        home_name = home_region.name if home_region else home
        warning = (f"NIK ini terdaftar di {regency.name}, {regency.path.split(', ')[-1]} ({reg_code}), bukan di "
                   f"{home_name}; data tetap diterima dan ditandai sebagai warga dari luar kabupaten.")
    return NikInfo(
        nik=digits,
        birth_date=born,
        sex=sex,
        province_code=province_code,
        regency_code=reg_code,
        kecamatan_code=kec_code,
        serial=serial,
        from_other_regency=other,
        warning=warning,
    )


def _masked(nik: str, keep_serial: bool) -> str:
    try:
        digits = normalize_nik(nik)
    except NikError:
        # Never raise from a mask (it runs in templates and exports) and never show a value we cannot vouch for.
        return "*" * 16
    return digits[:4] + "*" * 8 + (digits[12:] if keep_serial else "*" * 4)


def mask_nik(nik: str) -> str:
    """``3510********0001``: the one display mask. Hides digits 5–12 (kecamatan, birth date, sex).

    Digits 1–4 (province + regency, shared by most residents) and 13–16 (serial) stay so a petugas can tell records
    apart. Input that is not a 16-digit NIK comes back fully masked rather than raising.
    """
    return _masked(nik, keep_serial=True)


def mask_nik_strict(nik: str) -> str:
    """``3510************``: for DPRD and public documents, where even the serial is not needed."""
    return _masked(nik, keep_serial=False)
