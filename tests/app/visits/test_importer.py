"""Bulk upload of service records collected offline: all or nothing, one precise error per problem, never an
exception, and never a full NIK in any message."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest

from app.visits.importer import (
    MAX_ROWS,
    RowError,
    ServiceImportContext,
    ServiceImportResult,
    ServiceRow,
    parse_service_records,
)

CTX = ServiceImportContext(
    service_codes={
        "perekaman_ktp_el": "Perekaman KTP-el",
        "aktivasi_ikd": "Aktivasi IKD",
        "imunisasi": "Imunisasi",
    },
    regency_code="35.10",
    today=date(2026, 3, 17),
)
# 35 10 09 (Genteng, Banyuwangi) DD MM YY serial; women's day + 40.
MAN = "3510090101900001"  # man born 1 Jan 1990
WOMAN = "3510094101900002"  # woman born 1 Jan 1990
CHILD = "3510091503240003"  # boy born 15 Mar 2024
JEMBER = "3509011207850004"  # 35.09 = Kabupaten Jember: accepted, with a warning
BAD_DATE = "3510093102900005"  # 31 February
HEADER = "service,nik,count,note"
SIXTEEN_DIGITS = re.compile(r"\d{16}")


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join((header, *lines)).encode()


def _parse(data: bytes, filename: str = "layanan.csv", ctx: ServiceImportContext = CTX) -> ServiceImportResult:
    return parse_service_records(filename, data, ctx)


def _only_error(result: ServiceImportResult) -> RowError:
    """The file must be refused as a whole (`ok` is False) with exactly one error."""
    assert not result.ok
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def _messages(result: ServiceImportResult) -> list[str]:
    return [str(item) for item in (*result.errors, *result.warnings)]


def _assert_no_full_nik(result: ServiceImportResult) -> None:
    for message in _messages(result):
        assert not SIXTEEN_DIGITS.search(message), message
        assert not SIXTEEN_DIGITS.search(re.sub(r"[\s.\-]", "", message)), message


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- valid files --------------------------------------------------------------------------------


def test_valid_csv_with_nik_and_count_rows() -> None:
    result = _parse(_csv(
        f"perekaman_ktp_el,{MAN},,",
        f"Aktivasi IKD,{WOMAN},,dibantu operator desa",
        "imunisasi,,25,posyandu Melati",
        f"IMUNISASI,{CHILD},,",
        "perekaman_ktp_el,,3,",
    ))
    assert result.ok and result.errors == () and result.warnings == () and result.fmt == "csv"
    assert result.rows[0] == ServiceRow(line=2, service_code="perekaman_ktp_el", nik=MAN, count=None, note=None)
    assert result.rows[1] == ServiceRow(3, "aktivasi_ikd", WOMAN, None, "dibantu operator desa")
    assert result.rows[2] == ServiceRow(4, "imunisasi", None, 25, "posyandu Melati")
    assert (result.rows[3].service_code, result.rows[3].nik) == ("imunisasi", CHILD)
    assert result.totals() == {"aktivasi_ikd": 1, "imunisasi": 26, "perekaman_ktp_el": 4}
    assert MAN not in repr(result.rows[0]) and "3510********0001" in repr(result.rows[0])


def test_valid_xlsx_with_indonesian_headers() -> None:
    data = _xlsx([
        ["No", "Kode Layanan", "NIK", "Jumlah", "Catatan"],
        [1, "aktivasi_ikd", "3510 0901 0190 0001", None, None],
        [2, "Imunisasi", None, 12.0, "balita"],
        [3, None, None, None, None],  # pre-numbered, never filled in: skipped
        [],
        [4, "imunisasi", int(CHILD), None, None],  # a number cell whose last digit proves it was not truncated
    ])
    result = _parse(data, "Rekap Layanan.XLSX")
    assert result.ok and result.fmt == "xlsx", result.errors
    assert [(r.line, r.service_code, r.nik, r.count, r.note) for r in result.rows] == [
        (2, "aktivasi_ikd", MAN, None, None),
        (3, "imunisasi", None, 12, "balita"),
        (6, "imunisasi", CHILD, None, None),
    ]
    assert result.totals() == {"aktivasi_ikd": 1, "imunisasi": 13}


def test_semicolon_delimiter_bom_alias_headers_and_blank_lines() -> None:
    text = f"\ufeffLayanan;NIK\r\n\r\nperekaman_ktp_el;{MAN}\r\n;\r\naktivasi_ikd;'{WOMAN}\r\n"
    result = _parse(text.encode("utf-8"))
    assert result.ok, result.errors
    assert [(r.line, r.nik) for r in result.rows] == [(3, MAN), (5, WOMAN)]


def test_count_only_file() -> None:
    result = _parse(_csv("imunisasi,10000", "aktivasi_ikd,1", header="layanan,jumlah"))
    assert result.ok and [r.count for r in result.rows] == [10_000, 1]


# --- rows ---------------------------------------------------------------------------------------


def test_three_rows_one_bad_gives_exactly_one_error_with_its_line() -> None:
    result = _parse(_csv(f"perekaman_ktp_el,{MAN},,", "imunisasi,,-4,", f"aktivasi_ikd,{WOMAN},,"))
    error = _only_error(result)
    assert [row.line for row in result.rows] == [2, 4], "valid rows are still listed for the report"
    assert (error.line, error.field, error.message) == (3, "count", "Jumlah harus 1 sampai 10.000; yang diisi -4.")
    assert str(error) == "Baris 3, kolom count: " + error.message


def test_unknown_service_lists_the_choices() -> None:
    error = _only_error(_parse(_csv("cetak_ktp_el,,4,")))
    assert (error.line, error.field) == (2, "service")
    assert error.message.startswith("Layanan 'cetak_ktp_el' tidak dikenal atau tidak dapat Anda catat.")
    assert "aktivasi_ikd, imunisasi, perekaman_ktp_el" in error.message


def test_empty_service() -> None:
    error = _only_error(_parse(_csv(",,4,")))
    assert (error.line, error.field, error.message) == (2, "service", "Layanan kosong.")


def test_invalid_nik_carries_the_nik_error_message_and_its_line() -> None:
    result = _parse(_csv(f"imunisasi,{MAN},,", f"imunisasi,{BAD_DATE},,", "imunisasi,35100901019,,"))
    first, second = result.errors
    assert not result.ok
    assert (first.line, first.field, first.message) == (
        3, "nik", "Tanggal lahir 31 Februari 1990 pada NIK tidak ada.")
    assert str(first).startswith("Baris 3, kolom nik: ")
    assert (second.line, second.message) == (4, "NIK harus 16 angka; yang diisi 11 angka.")


def test_nik_and_count_both_or_neither() -> None:
    result = _parse(_csv(f"imunisasi,{MAN},2,", "imunisasi,,,catatan saja"))
    both, neither = result.errors
    assert (both.line, both.field) == (2, "nik") and "bukan keduanya" in both.message
    assert (neither.line, neither.field) == (3, "nik") and "NIK dan jumlah kosong" in neither.message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Jumlah harus 1 sampai 10.000; yang diisi 0."),
        ("10001", "Jumlah harus 1 sampai 10.000; yang diisi 10001."),
        ("2.5", "Jumlah '2.5' bukan bilangan bulat."),
        ("1.000", "Jumlah '1.000' ambigu; tulis bilangan bulat tanpa pemisah ribuan."),
        ("lima", "Jumlah 'lima' bukan bilangan bulat."),
    ],
)
def test_count_must_be_a_whole_number_from_1_to_10000(value: str, message: str) -> None:
    error = _only_error(_parse(_csv(f"imunisasi,,{value},")))
    assert (error.line, error.field, error.message) == (2, "count", message)


def test_note_at_most_200_characters() -> None:
    assert _parse(_csv("imunisasi,,1," + "a" * 200)).ok
    error = _only_error(_parse(_csv("imunisasi,,1," + "a" * 201)))
    assert (error.field, error.message) == ("note", "Catatan terlalu panjang: 201 karakter (maksimal 200).")


def test_same_service_and_nik_twice_names_the_first_line() -> None:
    result = _parse(_csv(
        f"imunisasi,{MAN},,",
        f"aktivasi_ikd,{MAN},,",  # another service for the same person is fine
        "imunisasi,,5,",
        f"Imunisasi,{MAN.replace('3510', '3510 ')},,",  # same person, typed differently, service by name
    ))
    error = _only_error(result)
    assert (error.line, error.field) == (5, "nik")
    assert error.message == ("NIK 3510********0001 sudah dicatat untuk layanan imunisasi di baris 2; satu layanan "
                             "hanya sekali per orang.")
    assert _parse(_csv("imunisasi,,5,", "imunisasi,,7,")).ok, "tallies of one service may be split over rows"


def test_nik_from_another_regency_is_accepted_with_a_warning() -> None:
    result = _parse(_csv(f"perekaman_ktp_el,{JEMBER},,", f"perekaman_ktp_el,{MAN},,"))
    assert result.ok and result.errors == ()
    assert [r.nik for r in result.rows] == [JEMBER, MAN]
    (warning,) = result.warnings
    assert (warning.line, warning.field) == (2, "nik")
    assert warning.message.startswith("NIK 3509********0004: NIK ini terdaftar di Kabupaten Jember")
    _assert_no_full_nik(result)


def test_excel_number_cells_that_may_have_lost_the_last_digit_are_refused() -> None:
    truncated = int(MAN[:-1] + "0")  # what Excel keeps of 3510090101900001 typed into a number cell
    error = _only_error(_parse(_xlsx([["layanan", "nik"], ["imunisasi", truncated]]), "a.xlsx"))
    assert (error.line, error.field) == (2, "nik") and "Format kolom NIK sebagai Teks" in error.message
    error = _only_error(_parse(_csv("imunisasi,3.51009E+15", header="layanan,nik")))
    assert "notasi ilmiah" in error.message


# --- privacy ------------------------------------------------------------------------------------


def test_no_message_ever_contains_a_full_nik() -> None:
    result = _parse(_csv(
        f"imunisasi,{MAN},,",
        f"imunisasi,{MAN},,",  # duplicate
        f"imunisasi,{BAD_DATE},,",  # invalid
        f"{WOMAN},,4,",  # NIK typed into the service column
        f"imunisasi,,{CHILD},",  # NIK typed into the count column
        "imunisasi,,'3510 0941 0190 0002',",  # spaced NIK in the count column
        f"imunisasi,{MAN}9,,",  # 17 digits
        f"aktivasi_ikd,{JEMBER},,",  # warning
    ))
    assert len(result.errors) == 6 and not result.ok
    _assert_no_full_nik(result)
    assert any("3510********0002" in message for message in _messages(result))
    headerless = _parse(f"imunisasi,{MAN},,\nimunisasi,{WOMAN},,\n".encode())
    assert "Kolom wajib tidak ditemukan" in _only_error(headerless).message
    _assert_no_full_nik(headerless)


# --- the file as a whole ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("layanan.xls", b"\xd0\xcf\x11\xe0", "Format berkas tidak didukung: layanan.xls. Gunakan CSV (UTF-8)"),
        ("layanan.csv", b"", "Berkas kosong."),
        ("layanan.csv", b"\n \n", "Berkas kosong."),
        ("layanan.csv", HEADER.encode() + b"\n\n", "Berkas hanya berisi judul kolom, tanpa baris data."),
        ("layanan.xlsx", b"service,nik\nimunisasi,1\n", "Berkas XLSX tidak dapat dibuka."),
    ],
)
def test_file_level_errors(filename: str, data: bytes, message: str) -> None:
    result = _parse(data, filename)
    error = _only_error(result)
    assert result.rows == () and error.field is None and error.line == 1
    assert error.message.startswith(message)


def test_bad_encoding_names_the_line() -> None:
    data = _csv("imunisasi,,2,Posyandu", "imunisasi,,3,Bidan desa Sri Rahayu \xe9".replace("\xe9", "é"))
    data = data.replace("é".encode(), b"\xe9")  # latin-1, as saved by an old spreadsheet
    error = _only_error(_parse(data))
    assert error.line == 3 and error.message.startswith("Berkas bukan teks UTF-8")


def test_utf16_and_renamed_xlsx_are_explained() -> None:
    utf16 = _parse(_csv("imunisasi,,2,").decode().encode("utf-16"))
    assert "UTF-16" in _only_error(utf16).message
    renamed = _parse(_xlsx([["layanan", "jumlah"], ["imunisasi", 2]]), "layanan.csv")
    assert "Ganti namanya menjadi .xlsx" in _only_error(renamed).message


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("nik,count,note", "service (atau layanan, kode_layanan)"),
        ("layanan,catatan", "nik atau count (jumlah)"),
    ],
)
def test_missing_columns(header: str, missing: str) -> None:
    error = _only_error(_parse(_csv("imunisasi,2,x", header=header)))
    assert error.field is None and error.message.startswith(f"Kolom wajib tidak ditemukan: {missing}.")


def test_duplicate_column_aliases_are_refused() -> None:
    error = _only_error(_parse(_csv("imunisasi,,2,3", header="layanan,nik,count,jumlah")))
    assert error.message == "Kolom 'count' dan 'jumlah' sama-sama berisi count; sisakan satu."


def test_more_than_max_rows_is_refused_before_validation() -> None:
    data = _csv(*(["imunisasi,,1,"] * (MAX_ROWS + 1)))
    error = _only_error(_parse(data))
    assert error.line == MAX_ROWS + 2
    assert error.message == "Berkas berisi lebih dari 20.000 baris data; bagi menjadi beberapa berkas."
    assert _parse(_csv(*(["imunisasi,,1,"] * MAX_ROWS))).ok


def test_garbage_never_raises() -> None:
    for data in (b"\x00\x01\x02", b'service,count\n"imunisasi,2\n', b"PK\x03\x04garbage", bytes(range(256))):
        for filename in ("x.csv", "x.xlsx"):
            result = _parse(data, filename)
            assert not result.ok and result.errors
