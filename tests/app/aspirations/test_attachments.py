"""Attachment uploads: type from content, metadata stripped, sizes bounded, names that cannot escape."""

from __future__ import annotations

import io
import re
import stat
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from app.aspirations.attachments import (
    MAX_BYTES,
    STORED_NAME,
    StoredFile,
    load_attachment,
    sanitise_name,
    store_attachment,
)
from app.core.errors import DomainError, NotFound

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _jpeg(size: tuple[int, int] = (64, 32), *, gps: bool = False, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"  # Make
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        location = exif.get_ifd(GPS_IFD)
        location[1] = "S"
        location[2] = (8.0, 13.0, 12.5)
        location[3] = "E"
        location[4] = (114.0, 22.0, 7.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"lokasi rumah pelapor")
    return out.getvalue()


def _image(fmt: str, mode: str = "RGB", size: tuple[int, int] = (40, 30), **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128 if mode in ("L", "1", "P") else (10, 120, 200, 255)[: len(mode)]).save(
        out, fmt, **options
    )
    return out.getvalue()


def _pdf(*objects: bytes, tail: bytes = b"") -> bytes:
    """A small, well-formed PDF with a catalog, one page and any extra objects."""
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref)
    return bytes(out) + tail


def _png_header(width: int, height: int) -> bytes:
    """A PNG that only claims its size: enough for Pillow to open it lazily (a decompression bomb)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(
        b"IEND", b""
    )


@pytest.fixture
def upload_dir(tmp_path: Path) -> Path:
    return tmp_path / "instance" / "uploads"


def _refused(data: bytes, name: str, upload_dir: Path) -> str:
    with pytest.raises(DomainError) as info:
        store_attachment(data, name, upload_dir)
    assert not upload_dir.exists() or not any(upload_dir.iterdir()), "nothing may be written for a refused file"
    return info.value.message


# --- accepted files -----------------------------------------------------------------------------


def test_jpeg_with_gps_is_stored_without_any_metadata(upload_dir: Path) -> None:
    data = _jpeg(gps=True)
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD), "the fixture must carry a GPS position"

    stored = store_attachment(data, "foto jalan.jpg", upload_dir)

    assert isinstance(stored, StoredFile)
    assert STORED_NAME.fullmatch(stored.stored_name) and stored.stored_name.endswith(".jpg")
    assert (stored.original_name, stored.mime_type) == ("foto jalan.jpg", "image/jpeg")
    content = (upload_dir / stored.stored_name).read_bytes()
    assert stored.size == len(content)
    assert re.fullmatch(r"[0-9a-f]{64}", stored.sha256)
    with Image.open(io.BytesIO(content)) as clean:
        assert clean.format == "JPEG"
        assert not clean.getexif()
        assert "exif" not in clean.info and "comment" not in clean.info
    assert b"Exif" not in content and b"KameraHP" not in content and b"lokasi rumah" not in content


def test_exif_orientation_is_applied_before_it_is_stripped(upload_dir: Path) -> None:
    stored = store_attachment(_jpeg((64, 32), orientation=6), "hp.jpg", upload_dir)  # 6 = rotate 90° clockwise
    with Image.open(upload_dir / stored.stored_name) as clean:
        assert clean.size == (32, 64)
        assert not clean.getexif()


def test_png_is_reencoded_without_text_chunks(upload_dir: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "alamat: Jl. Mawar 3")
    stored = store_attachment(_image("PNG", "RGBA", pnginfo=info), "denah.PNG", upload_dir)
    assert stored.mime_type == "image/png" and stored.stored_name.endswith(".png")
    content = (upload_dir / stored.stored_name).read_bytes()
    assert b"Jl. Mawar" not in content
    with Image.open(io.BytesIO(content)) as clean:
        assert clean.format == "PNG" and clean.mode == "RGBA" and clean.size == (40, 30)


def test_webp_is_accepted(upload_dir: Path) -> None:
    stored = store_attachment(_image("WEBP", "RGB"), "gambar.webp", upload_dir)
    assert stored.mime_type == "image/webp" and stored.stored_name.endswith(".webp")
    with Image.open(upload_dir / stored.stored_name) as clean:
        assert clean.format == "WEBP"


def test_pdf_is_stored_unchanged(upload_dir: Path) -> None:
    data = _pdf()
    stored = store_attachment(data, "surat pengantar.pdf", upload_dir)
    assert stored.mime_type == "application/pdf" and stored.stored_name.endswith(".pdf")
    assert (upload_dir / stored.stored_name).read_bytes() == data
    assert load_attachment(stored.stored_name, upload_dir) == data


def test_type_comes_from_content_not_from_name(upload_dir: Path) -> None:
    stored = store_attachment(_image("PNG"), "sebenarnya-png.jpg", upload_dir)
    assert stored.mime_type == "image/png" and stored.stored_name.endswith(".png")
    assert stored.original_name == "sebenarnya-png.jpg"


def test_exactly_five_megabytes_is_allowed(upload_dir: Path) -> None:
    data = _pdf(tail=b"")
    padded = data[:-7] + b"%" + b"x" * (MAX_BYTES - len(data) - 1) + data[-7:]  # a long comment, same ending
    assert len(padded) == MAX_BYTES
    assert store_attachment(padded, "besar.pdf", upload_dir).size == MAX_BYTES


def test_storage_is_private_random_and_outside_static(upload_dir: Path) -> None:
    first = store_attachment(_image("PNG"), "a.png", upload_dir)
    second = store_attachment(_image("PNG"), "a.png", upload_dir)
    assert first.stored_name != second.stored_name
    assert first.sha256 == second.sha256
    assert stat.S_IMODE(upload_dir.stat().st_mode) == 0o700
    for stored in (first, second):
        path = upload_dir / stored.stored_name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "static" not in [part.lower() for part in path.resolve().parts]
    assert sorted(p.name for p in upload_dir.iterdir()) == sorted([first.stored_name, second.stored_name])


def test_upload_dir_under_static_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="static"):
        store_attachment(_image("PNG"), "a.png", tmp_path / "app" / "static" / "uploads")


# --- refused files ------------------------------------------------------------------------------


def test_too_large(upload_dir: Path) -> None:
    data = _pdf() + b" " * int(7.2 * 1024 * 1024)
    assert _refused(data, "scan.pdf", upload_dir) == "Berkas terlalu besar: 7,2 MB. Maksimal 5 MB per berkas."
    assert "5,1 MB" in _refused(b"%PDF-" + b"x" * MAX_BYTES, "x.pdf", upload_dir)


def test_empty(upload_dir: Path) -> None:
    assert _refused(b"", "kosong.jpg", upload_dir) == "Berkas kosong."


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "foto.jpg"),  # Windows .exe
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "foto.jpeg"),  # Linux executable
        (b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "foto.jpg"),
        (b"<html><body onload=alert(1)>%PDF-1.7 %%EOF</body></html>", "surat.pdf"),  # %PDF- not at the start
        (b"PK\x03\x04" + b"\x00" * 100, "dokumen.pdf"),  # zip
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "animasi.png"),  # GIF: not on the list
    ],
)
def test_disguised_files_are_refused_with_a_clear_message(data: bytes, name: str, upload_dir: Path) -> None:
    assert _refused(data, name, upload_dir) == (
        "Jenis berkas tidak diizinkan: hanya JPG, PNG, WebP atau PDF. Isi berkas ini tidak sesuai dengan namanya."
    )


def test_svg_is_refused(upload_dir: Path) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert _refused(svg, "logo.svg", upload_dir) == "Jenis berkas tidak diizinkan: hanya JPG, PNG, WebP atau PDF."
    assert "tidak sesuai dengan namanya" in _refused(svg, "logo.png", upload_dir)


def test_image_magic_followed_by_html_is_refused(upload_dir: Path) -> None:
    polyglot = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    assert "Gambar rusak" in _refused(polyglot, "x.png", upload_dir)
    assert "Gambar rusak" in _refused(b"\xff\xd8\xff\xe0<html><script>alert(1)</script>", "x.jpg", upload_dir)


def test_payload_appended_to_a_real_image_is_dropped(upload_dir: Path) -> None:
    payload = b"PK\x03\x04<html><script>alert(1)</script></html>"
    stored = store_attachment(_jpeg() + payload, "x.jpg", upload_dir)
    content = (upload_dir / stored.stored_name).read_bytes()
    assert b"<script>" not in content and b"PK\x03\x04" not in content


def test_truncated_image_is_refused(upload_dir: Path) -> None:
    data = _image("PNG", size=(200, 200))
    assert "Gambar rusak" in _refused(data[: len(data) // 2], "x.png", upload_dir)


@pytest.mark.parametrize(
    "extra",
    [
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>",
        b"<< /S /JS (x) >>",
        b"<< /Type /Action /S /Launch /F (cmd.exe) >>",
        b"<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream",
        b"<< /Names << /EmbeddedFiles 9 0 R >> >>",
        b"<< /S /J#61vaScript /JS (app.alert\\(1\\)) >>",  # the same name, hex-escaped
    ],
)
def test_pdf_with_active_content_is_refused(extra: bytes, upload_dir: Path) -> None:
    assert "konten aktif" in _refused(_pdf(extra), "surat.pdf", upload_dir)


def test_pdf_javascript_hidden_in_a_compressed_object_stream_is_refused(upload_dir: Path) -> None:
    hidden = zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>")
    objstm = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%b\nendstream" % (
        len(hidden),
        hidden,
    )
    assert "konten aktif" in _refused(_pdf(objstm), "surat.pdf", upload_dir)


def test_pdf_binary_streams_do_not_cause_false_alarms(upload_dir: Path) -> None:
    binary = b"\x00\xff/JS /Launch\x00" * 10  # inside an image stream this is pixel data, not a name
    image = b"<< /Type /XObject /Subtype /Image /Length %d >>\nstream\n%b\nendstream" % (len(binary), binary)
    assert store_attachment(_pdf(image), "scan.pdf", upload_dir).mime_type == "application/pdf"


def test_pdf_without_end_marker_or_encrypted_is_refused(upload_dir: Path) -> None:
    assert "%%EOF" in _refused(_pdf()[:-7], "potong.pdf", upload_dir)
    encrypted = _pdf().replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter /Standard /V 2 >>")
    assert "terenkripsi" in _refused(encrypted, "rahasia.pdf", upload_dir)


def test_decompression_bomb_is_refused(upload_dir: Path) -> None:
    # 50 000 × 50 000 pixels in a few hundred bytes: Pillow itself would refuse (over twice the limit).
    assert "Maksimal 40 megapiksel" in _refused(_png_header(50_000, 50_000), "bom.png", upload_dir)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_just_over_the_pixel_limit_is_refused(upload_dir: Path) -> None:
    # 9 000 × 5 000 = 45 MP: Pillow only warns here, the module refuses before decoding.
    assert _refused(_png_header(9_000, 5_000), "besar.png", upload_dir) == (
        "Gambar terlalu besar: 9000 × 5000 piksel. Maksimal 40 megapiksel."
    )


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("../../x.png", "x.png"),
        ("..\\..\\x.png", "x.png"),
        ("C:\\Users\\kades\\Foto Jalan.jpg", "Foto Jalan.jpg"),
        ("x.png\x00.exe", "x.png.exe"),
        ("laporan\r\nSet-Cookie: a=b.pdf", "laporanSet-Cookie_ a=b.pdf"),
        ("foto\u202egpj.exe", "fotogpj.exe"),  # right-to-left override removed
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("..", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_names_are_sanitised(name: str | None, expected: str) -> None:
    assert sanitise_name(name) == expected


def test_long_names_keep_their_extension() -> None:
    name = sanitise_name("a" * 500 + ".jpeg")
    assert len(name) == 200 and name.endswith(".jpeg")


def test_traversal_names_never_leave_the_upload_dir(upload_dir: Path) -> None:
    for name in ("../../x.png", "..\\..\\x.png", "/tmp/x.png", "x\x00.png"):
        stored = store_attachment(_image("PNG"), name, upload_dir)
        assert "/" not in stored.original_name and "\\" not in stored.original_name and "\0" not in stored.original_name
    assert len(list(upload_dir.iterdir())) == 4
    assert not (upload_dir.parent.parent / "x.png").exists()


def test_unusable_name_falls_back_to_a_neutral_one(upload_dir: Path) -> None:
    assert store_attachment(_pdf(), "../..", upload_dir).original_name == "lampiran.pdf"


# --- loading ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../secret",
        "../" + "a" * 32 + ".png",
        "/etc/passwd",
        "/" + "a" * 32 + ".png",
        "A" * 32 + ".png",  # upper case is not what we generate
        "a" * 32 + ".exe",
        "a" * 32 + ".png\x00",
        "a" * 31 + ".png",
        "",
    ],
)
def test_load_refuses_anything_but_a_random_name(name: str, upload_dir: Path) -> None:
    upload_dir.mkdir(parents=True)
    (upload_dir.parent / "secret").write_text("rahasia")
    with pytest.raises(NotFound, match="Lampiran tidak ditemukan"):
        load_attachment(name, upload_dir)


def test_load_refuses_unknown_names_and_symlinks(upload_dir: Path, tmp_path: Path) -> None:
    upload_dir.mkdir(parents=True)
    with pytest.raises(NotFound):
        load_attachment("0" * 32 + ".png", upload_dir)
    secret = tmp_path / "secret.txt"
    secret.write_text("rahasia")
    (upload_dir / ("1" * 32 + ".pdf")).symlink_to(secret)
    with pytest.raises(NotFound):
        load_attachment("1" * 32 + ".pdf", upload_dir)


def test_load_returns_the_stored_bytes(upload_dir: Path) -> None:
    stored = store_attachment(_image("WEBP"), "x.webp", upload_dir)
    assert load_attachment(stored.stored_name, upload_dir) == (upload_dir / stored.stored_name).read_bytes()
