"""Import of paper aspirations: all or nothing, one precise error per problem, never an exception."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from app.aspirations.importer import (
    MAX_ROWS,
    AspirationImportContext,
    AspirationImportResult,
    AspirationRow,
    RowError,
    ServiceLine,
    parse_aspirations,
)

KEMIREN, OLEHSARI, OUTSIDE = "35.10.01.2001", "35.10.01.2002", "35.10.02.2005"
CTX = AspirationImportContext(
    desa_codes={KEMIREN: "Kemiren", OLEHSARI: "Olehsari"},
    categories={"infrastruktur": "Infrastruktur", "adminduk": "Administrasi kependudukan", "kesehatan": "Kesehatan"},
    regency_desa_codes={KEMIREN, OLEHSARI, OUTSIDE},
    today=date(2026, 3, 17),
)
HEADER = "village_code,category,title,description,urgency,affected,services,anonymous,confidential,submitted_on"
GOOD = f"{KEMIREN},infrastruktur,Jalan rusak di Dusun Krajan,Jalan berlubang sepanjang 2 km,tinggi,120,,tidak,tidak,"


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join((header, *lines)).encode()


def _parse(data: bytes, filename: str = "aspirasi.csv", ctx: AspirationImportContext = CTX) -> AspirationImportResult:
    return parse_aspirations(filename, data, ctx)


def _only_error(result: AspirationImportResult) -> RowError:
    """The file must be refused as a whole (valid rows are listed, but `ok` is False) with one error."""
    assert not result.ok
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- valid files --------------------------------------------------------------------------------


def test_valid_csv_is_parsed_and_typed() -> None:
    data = _csv(
        GOOD,
        f'{OLEHSARI},Administrasi Kependudukan,Perekaman KTP-el lansia,"Banyak lansia belum rekam,\nperlu jemput '
        f'bola",darurat,40,perekaman_ktp_el:40;aktivasi_ikd:25,ya,1,2026-03-01',
        f"{OLEHSARI},KESEHATAN,Posyandu kekurangan timbangan,Timbangan rusak,Rendah,,,,,16/03/2026",
    )
    result = _parse(data)
    assert result.ok and result.errors == () and result.fmt == "csv"
    first, second, third = result.rows
    assert first == AspirationRow(
        line=2, village_code=KEMIREN, category="infrastruktur", title="Jalan rusak di Dusun Krajan",
        description="Jalan berlubang sepanjang 2 km", urgency="tinggi", affected=120,
    )
    assert second.line == 3 and second.category == "adminduk"
    assert second.description == "Banyak lansia belum rekam,\nperlu jemput bola"
    assert second.services == (ServiceLine("perekaman_ktp_el", 40), ServiceLine("aktivasi_ikd", 25))
    assert (second.anonymous, second.confidential, second.submitted_on) == (True, True, date(2026, 3, 1))
    assert third.line == 5, "a quoted cell spanning two lines shifts the next record's line"
    assert (third.category, third.urgency, third.affected, third.submitted_on) == (
        "kesehatan", "rendah", None, date(2026, 3, 16)
    )


def test_valid_xlsx_with_indonesian_headers_and_native_cell_types() -> None:
    data = _xlsx([
        ["No", "Kode Desa", "Kategori", "Judul", "Uraian", "Urgensi", "Jumlah terdampak", "Layanan", "Anonim",
         "Rahasia", "Tanggal"],
        [1, KEMIREN, "Infrastruktur", "Jembatan putus", "Jembatan bambu hanyut", "darurat", 35.0, None, True, False,
         datetime(2026, 3, 2)],
        [],
        [2, OLEHSARI, "adminduk", "Aktivasi IKD", "Perangkat desa belum aktivasi IKD", "sedang", 12,
         "aktivasi_ikd: 12", "tidak", "ya", "2026-03-03"],
    ])
    result = _parse(data, "Aspirasi Maret.XLSX")
    assert result.ok and result.fmt == "xlsx", result.errors
    first, second = result.rows
    assert (first.line, first.affected, first.anonymous, first.submitted_on) == (2, 35, True, date(2026, 3, 2))
    assert (second.line, second.services, second.confidential) == (4, (ServiceLine("aktivasi_ikd", 12),), True)


def test_bom_and_semicolon_delimiter() -> None:
    text = (
        "\ufeffkode_desa;kategori;judul;uraian;urgensi;layanan\r\n"
        f"{KEMIREN};infrastruktur;Lampu jalan mati;PJU mati, rawan;sedang;\r\n"
        f'{OLEHSARI};adminduk;KTP-el lansia;Perlu jemput bola;tinggi;"perekaman_ktp_el:3;kk:2"\r\n'
    )
    result = _parse(text.encode("utf-8"))
    assert result.ok, result.errors
    assert [r.title for r in result.rows] == ["Lampu jalan mati", "KTP-el lansia"]
    assert result.rows[0].description == "PJU mati, rawan"
    assert result.rows[1].services == (ServiceLine("perekaman_ktp_el", 3), ServiceLine("kk", 2))


def test_tab_delimiter_and_blank_lines_are_fine() -> None:
    text = "\n".join(["", "village_code\tcategory\ttitle\tdescription\turgency", "",
                      f"{KEMIREN}\tinfrastruktur\tJalan rusak\tBerlubang\trendah", ""])
    result = _parse(text.encode())
    assert result.ok and result.rows[0].line == 4


def test_three_rows_one_bad_gives_exactly_one_error_with_its_line() -> None:
    data = _csv(
        GOOD,
        f"{KEMIREN},infrastruktur,Drainase tersumbat,Air meluap ke rumah,segera,,,,,",
        f"{OLEHSARI},kesehatan,Posyandu,Timbangan rusak,rendah,,,,,",
    )
    result = _parse(data)
    error = _only_error(result)
    assert [row.line for row in result.rows] == [2, 4], "valid rows are still listed for the report"
    assert (error.line, error.field) == (3, "urgency")
    assert error.message == "Urgensi 'segera' tidak valid. Pilihan: rendah, sedang, tinggi, darurat."
    assert str(error) == "Baris 3, kolom urgency: " + error.message


def test_field_is_named_as_written_in_the_file() -> None:
    text = f"kode_desa,kategori,judul,uraian,urgensi\n{KEMIREN},infrastruktur,,Berlubang,rendah\n"
    error = _only_error(_parse(text.encode()))
    assert (error.line, error.field, error.message) == (2, "judul", "Judul kosong.")


# --- one broken file per row error --------------------------------------------------------------


def _row(**changes: str) -> str:
    values = dict(zip(HEADER.split(","), GOOD.split(","), strict=True))
    values.update(changes)
    return ",".join(values.values())


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"village_code": "35.10.99.9999"}, "village_code", "Kode desa '35.10.99.9999' tidak dikenal."),
        ({"village_code": OUTSIDE}, "village_code",
         f"Desa {OUTSIDE} berada di luar wilayah Anda; Anda tidak dapat mengimpor aspirasi untuk desa ini."),
        ({"village_code": ""}, "village_code", "Kode desa kosong."),
        ({"category": "jalan"}, "category",
         "Kategori 'jalan' tidak dikenal. Gunakan kode atau nama kategori: adminduk, infrastruktur, kesehatan."),
        ({"category": ""}, "category", "Kategori kosong."),
        ({"title": "   "}, "title", "Judul kosong."),
        ({"title": "J" * 201}, "title", "Judul terlalu panjang: 201 karakter (maksimal 200)."),
        ({"description": ""}, "description", "Uraian kosong."),
        ({"description": "u" * 5001}, "description", "Uraian terlalu panjang: 5001 karakter (maksimal 5000)."),
        ({"urgency": ""}, "urgency", "Urgensi kosong. Pilihan: rendah, sedang, tinggi, darurat."),
        ({"urgency": "penting"}, "urgency", "Urgensi 'penting' tidak valid. Pilihan: rendah, sedang, tinggi, darurat."),
        ({"affected": "-3"}, "affected", "Jumlah terdampak -3 tidak boleh negatif."),
        ({"affected": "banyak"}, "affected", "Jumlah terdampak 'banyak' bukan bilangan bulat."),
        ({"affected": "12.5"}, "affected", "Jumlah terdampak '12.5' bukan bilangan bulat."),
        ({"affected": '"1.200"'}, "affected",
         "Jumlah terdampak '1.200' ambigu; tulis bilangan bulat tanpa pemisah ribuan."),
        ({"services": "cetak_sim:5"}, "services", "Kode layanan 'cetak_sim' tidak dikenal."),
        ({"services": "perekaman_ktp_el:0"}, "services",
         "Jumlah untuk layanan perekaman_ktp_el harus bilangan bulat positif, bukan '0'."),
        ({"services": "perekaman_ktp_el:-4"}, "services",
         "Jumlah untuk layanan perekaman_ktp_el harus bilangan bulat positif, bukan '-4'."),
        ({"services": "perekaman_ktp_el:empat"}, "services",
         "Jumlah untuk layanan perekaman_ktp_el harus bilangan bulat positif, bukan 'empat'."),
        ({"services": "perekaman_ktp_el:4;perekaman_ktp_el:6"}, "services",
         "Layanan perekaman_ktp_el ditulis lebih dari sekali; gabungkan jumlahnya."),
        ({"services": "perekaman ktp 40"}, "services",
         "Layanan 'perekaman ktp 40' tidak valid; gunakan kode:jumlah, misalnya perekaman_ktp_el:40;aktivasi_ikd:25."),
        ({"anonymous": "mungkin"}, "anonymous", "Nilai anonim 'mungkin' tidak valid; gunakan ya atau tidak."),
        ({"confidential": "2"}, "confidential", "Nilai rahasia '2' tidak valid; gunakan ya atau tidak."),
        ({"submitted_on": "2026-03-18"}, "submitted_on", "Tanggal 18/03/2026 berada di masa depan."),
        ({"submitted_on": "31/02/2026"}, "submitted_on",
         "Tanggal '31/02/2026' tidak valid; gunakan YYYY-MM-DD atau DD/MM/YYYY (misalnya 2026-03-17)."),
        ({"submitted_on": "17-03-2026"}, "submitted_on",
         "Tanggal '17-03-2026' tidak valid; gunakan YYYY-MM-DD atau DD/MM/YYYY (misalnya 2026-03-17)."),
    ],
)
def test_row_errors(changes: dict[str, str], field: str, message: str) -> None:
    error = _only_error(_parse(_csv(GOOD.replace(KEMIREN, OLEHSARI), _row(**changes))))
    assert (error.line, error.field, error.message) == (3, field, message)


def test_every_problem_of_a_row_is_reported() -> None:
    result = _parse(_csv(_row(category="x", urgency="x", affected="x", services="x:1;kk:0")))
    assert [(e.line, e.field) for e in result.errors] == [
        (2, "category"), (2, "urgency"), (2, "affected"), (2, "services"), (2, "services"),
    ]


def test_exact_duplicate_rows_within_the_file() -> None:
    duplicate = GOOD.replace("Jalan rusak di Dusun Krajan", "jalan  rusak di dusun KRAJAN")
    other_desa = GOOD.replace(KEMIREN, OLEHSARI)
    error = _only_error(_parse(_csv(GOOD, other_desa, duplicate)))
    assert (error.line, error.field) == (4, "title")
    assert error.message == "Baris ganda: desa dan judul sama persis dengan baris 2."


# --- file-level errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("aspirasi.xls", b"\xd0\xcf\x11\xe0",
         "Format berkas tidak didukung: aspirasi.xls. Gunakan CSV (UTF-8) atau XLSX."),
        ("../../aspirasi", b"x", "Format berkas tidak didukung: aspirasi. Gunakan CSV (UTF-8) atau XLSX."),
        ("aspirasi.csv", b"", "Berkas kosong."),
        ("aspirasi.csv", b"\n \n", "Berkas kosong."),
        ("aspirasi.csv", HEADER.encode() + b"\n\n", "Berkas hanya berisi judul kolom, tanpa baris data."),
        ("aspirasi.csv", b"PK\x03\x04rest-of-a-zip",
         "Berkas bernama .csv tetapi isinya lembar kerja Excel. Ganti namanya menjadi .xlsx."),
        ("aspirasi.csv", "judul\n".encode("utf-16"),
         "Berkas disimpan sebagai UTF-16. Simpan ulang sebagai \"CSV UTF-8 (dipisahkan koma)\"."),
        ("aspirasi.xlsx", b"bukan zip", "Berkas XLSX tidak dapat dibuka. Simpan ulang sebagai Excel Workbook (.xlsx)."),
    ],
)
def test_file_errors(filename: str, data: bytes, message: str) -> None:
    error = _only_error(_parse(data, filename))
    assert (error.line, error.field, error.message) == (1, None, message)


def test_bad_encoding_names_the_line() -> None:
    data = _csv(GOOD).replace(b"Dusun Krajan", "Dusun Krajan ke Sumberrejo".encode("cp1252") + b"\xe9")
    data = data + b"\n" + f"{OLEHSARI},kesehatan,Caf\xe9,x,rendah".encode("latin-1")
    error = _only_error(_parse(data))
    assert error.line == 2
    assert error.message.startswith("Berkas bukan teks UTF-8 (byte ke-")
    assert "Simpan ulang sebagai \"CSV UTF-8 (dipisahkan koma)\"." in error.message


def test_missing_required_columns() -> None:
    error = _only_error(_parse(b"kode_desa,judul,keterangan\n35.10.01.2001,Jalan,rusak\n"))
    assert error.message == (
        "Kolom wajib tidak ditemukan: category, description, urgency. Kolom yang ada: kode_desa, judul, keterangan. "
        "Kolom wajib: village_code, category, title, description, urgency "
        "(atau kode_desa, kategori, judul, uraian, urgensi)."
    )


def test_the_same_column_twice() -> None:
    error = _only_error(_parse(_csv(GOOD + ",x", header=HEADER + ",judul")))
    assert error.message == "Kolom 'title' dan 'judul' sama-sama berisi title; sisakan satu."


def test_too_many_rows() -> None:
    lines = [_row(title=f"Aspirasi nomor {i}") for i in range(MAX_ROWS + 1)]
    error = _only_error(_parse(_csv(*lines)))
    assert error.message == "Berkas berisi lebih dari 5.000 baris data; bagi menjadi beberapa berkas."
    assert error.line == MAX_ROWS + 2
    assert _parse(_csv(*lines[:MAX_ROWS])).ok


def test_broken_csv_quoting_is_reported_not_raised() -> None:
    error = _only_error(_parse(_csv(_row(description='"tidak ditutup')) + b"x" * 200_000))
    assert error.line == 2
    assert error.message == (
        'Berkas CSV rusak di baris 2: isi sel terlalu panjang (periksa tanda kutip " yang tidak ditutup).'
    )


def test_xlsx_without_data_rows_and_with_an_empty_sheet() -> None:
    assert _only_error(_parse(_xlsx([HEADER.split(",")]), "a.xlsx")).message == (
        "Berkas hanya berisi judul kolom, tanpa baris data."
    )
    assert _only_error(_parse(_xlsx([]), "a.xlsx")).message == "Berkas kosong."


def test_xlsx_row_error_uses_the_spreadsheet_row_number() -> None:
    data = _xlsx([["kode_desa", "kategori", "judul", "uraian", "urgensi"],
                   [KEMIREN, "infrastruktur", "Jalan", "Rusak", "rendah"],
                   [KEMIREN, "infrastruktur", "Jembatan", "Putus", "sangat"]])
    error = _only_error(_parse(data, "x.xlsx"))
    assert (error.line, error.field) == (3, "urgensi")


def test_never_raises_on_garbage() -> None:
    for filename, data in [("x.csv", bytes(range(256)) * 10), ("x.xlsx", b"PK\x03\x04" + bytes(500)),
                           ("x.csv", b'"' * 1000), ("x.csv", b",,,\n,,,\n")]:
        result = _parse(data, filename)
        assert not result.ok and result.errors
