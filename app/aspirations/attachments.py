"""Safe storage of aspiration attachments (ASVS 5.2 file upload, 5.3 file storage).

Pure functions over bytes and paths: no Flask request, no database session. The service calls
`store_attachment` with the uploaded bytes and records the returned `StoredFile`; downloads go through
`load_attachment` after the caller has checked that the user may see the aspiration.

Rules
- At most 5 MB (5 * 1024 * 1024 bytes) per file; empty files are refused.
- The type is detected from the CONTENT (magic bytes), never from the name or the browser's MIME type:
  JPEG, PNG, WebP and PDF only. Everything else (SVG, HTML, executables, archives, GIF, ...) is refused.
- Images are fully decoded by Pillow and RE-ENCODED from their pixels. Location-metadata policy: the
  stored image keeps no EXIF (so no GPS position, camera serial or capture time), no XMP/IPTC and no
  comments; only the ICC colour profile survives (when the colour mode is unchanged). The EXIF
  orientation is applied to the pixels first, so phone photos are not shown sideways. Anything appended
  to the image (a polyglot payload) is dropped. Animated images keep their first frame only.
- Decompression bombs are refused: `Image.MAX_IMAGE_PIXELS` is set process-wide to 40 megapixels and
  every image is checked against it before its pixels are decoded.
- PDFs cannot be re-encoded, so they are checked: they must start with `%PDF-` and end (within the last
  1024 bytes) with `%%EOF`, and are REFUSED when they contain active or embedded content: the names
  `/JavaScript`, `/JS`, `/Launch`, `/EmbeddedFile` or `/EmbeddedFiles`. Names are compared after
  decoding `#xx` escapes (`/J#61vaScript`), and compressed object streams (`/ObjStm`, FlateDecode) are
  inflated (bounded) and checked too. Encrypted PDFs are refused because their objects cannot be checked.
  Downloads must still be served as attachments with `X-Content-Type-Options: nosniff`.
- Files are stored under a random name (uuid4 hex + the extension of the DETECTED type) in `upload_dir`,
  which must not lie under a `static` folder; the directory is created with mode 0o700, files are written
  atomically (temporary file + `os.replace`) with mode 0o600.
- The original name is kept for display only, sanitised: basename only, no control or format characters,
  no characters that Windows forbids in file names, at most 200 characters.

`size` and `sha256` in `StoredFile` describe the bytes actually stored (after re-encoding).
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import struct
import tempfile
import unicodedata
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePath

from PIL import Image, ImageOps

from app.core.errors import DomainError, NotFound

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_NAME_LENGTH = 200
# Pillow warns above this and raises above twice this; we refuse anything above it ourselves.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

MSG_EMPTY = "Berkas kosong."
MSG_TYPE = "Jenis berkas tidak diizinkan: hanya JPG, PNG, WebP atau PDF."
MSG_TYPE_DISGUISED = " Isi berkas ini tidak sesuai dengan namanya."
MSG_IMAGE_BROKEN = "Gambar rusak atau tidak dapat dibaca. Simpan ulang gambar lalu unggah kembali."
MSG_PDF_BROKEN = "PDF rusak atau tidak lengkap (penanda akhir %%EOF tidak ditemukan). Simpan ulang lalu unggah kembali."
MSG_PDF_ACTIVE = (
    "PDF ditolak karena berisi konten aktif atau berkas tersemat (JavaScript, perintah Launch, lampiran di dalam PDF). "
    "Simpan ulang sebagai PDF biasa, misalnya dengan \"Cetak ke PDF\"."
)
MSG_PDF_ENCRYPTED = "PDF terenkripsi atau berkata sandi tidak dapat diperiksa. Kirim PDF tanpa kata sandi."
MSG_PDF_UNCHECKABLE = (
    "PDF memakai kompresi yang tidak dapat diperiksa. Simpan ulang sebagai PDF biasa, misalnya dengan \"Cetak ke PDF\"."
)
MSG_NOT_FOUND = "Lampiran tidak ditemukan."

STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp|pdf)")


@dataclass(frozen=True)
class StoredFile:
    """What the service records in the `attachment` table."""

    stored_name: str  # random, e.g. "3f2a…9c.jpg"; the only name used on disk
    original_name: str  # sanitised, for display and the download's file name
    mime_type: str
    size: int  # bytes stored (after re-encoding)
    sha256: str  # hex digest of the bytes stored


@dataclass(frozen=True)
class _Kind:
    mime_type: str
    extension: str
    pil_formats: tuple[str, ...]  # empty for PDF


JPEG = _Kind("image/jpeg", ".jpg", ("JPEG", "MPO"))
PNG = _Kind("image/png", ".png", ("PNG",))
WEBP = _Kind("image/webp", ".webp", ("WEBP",))
PDF = _Kind("application/pdf", ".pdf", ())
# Extensions a user might give each allowed type; a name with one of these but other content is "disguised".
_CLAIMED_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".pdf"}


def store_attachment(data: bytes, original_name: str, upload_dir: Path) -> StoredFile:
    """Check, clean and store one upload; raises DomainError with an Indonesian message when refused."""
    _check_not_static(upload_dir)
    if not data:
        raise DomainError(MSG_EMPTY)
    if len(data) > MAX_BYTES:
        raise DomainError(_too_large(len(data)))
    kind = detect_kind(data)
    if kind is None:
        claimed = PurePath(sanitise_name(original_name)).suffix.lower() in _CLAIMED_EXTENSIONS
        raise DomainError(MSG_TYPE + (MSG_TYPE_DISGUISED if claimed else ""))
    if kind is PDF:
        _check_pdf(data)
        content = data
    else:
        content = _reencode_image(data, kind)
        if len(content) > MAX_BYTES:
            raise DomainError(_too_large(len(content)) + " (setelah gambar diproses ulang)")
    stored_name = uuid.uuid4().hex + kind.extension
    _write_atomically(upload_dir, stored_name, content)
    return StoredFile(
        stored_name=stored_name,
        original_name=sanitise_name(original_name) or "lampiran" + kind.extension,
        mime_type=kind.mime_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def load_attachment(stored_name: str, upload_dir: Path) -> bytes:
    """The stored bytes; only exact random names are accepted, so no path can be smuggled in (NotFound)."""
    if not isinstance(stored_name, str) or not STORED_NAME.fullmatch(stored_name):
        raise NotFound(MSG_NOT_FOUND)
    path = Path(upload_dir) / stored_name
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:  # missing, a symlink, or unreadable
        raise NotFound(MSG_NOT_FOUND) from exc
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def detect_kind(data: bytes) -> _Kind | None:
    """The allowed type the magic bytes announce, or None. Pillow/PDF checks confirm it afterwards."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    return None


_WINDOWS_FORBIDDEN = str.maketrans({c: "_" for c in '<>:"|?*'})


def sanitise_name(name: str | None) -> str:
    """Basename only, printable, at most 200 characters; "" when nothing usable is left."""
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/")
    # Control (Cc), format (Cf: e.g. right-to-left override that disguises "gpj.exe") and separators.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    text = text.rsplit("/", 1)[-1].translate(_WINDOWS_FORBIDDEN)
    text = " ".join(text.split()).strip(" .")
    if len(text) > MAX_NAME_LENGTH:
        suffix = PurePath(text).suffix
        suffix = suffix if 1 < len(suffix) <= 10 else ""
        text = text[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return text


# --- images -------------------------------------------------------------------------------------


def _reencode_image(data: bytes, kind: _Kind) -> bytes:
    """Decode fully, apply orientation, drop every metadata block, encode again."""
    try:
        with Image.open(io.BytesIO(data), formats=kind.pil_formats) as probe:
            _check_pixels(probe.size)
            probe.verify()
        with Image.open(io.BytesIO(data), formats=kind.pil_formats) as source:
            _check_pixels(source.size)
            if source.format not in kind.pil_formats:
                raise DomainError(MSG_IMAGE_BROKEN)
            source.seek(0)
            source.load()
            icc = source.info.get("icc_profile")
            transparency = source.info.get("transparency")
            image = ImageOps.exif_transpose(source)  # a copy, upright
        image.info = {}  # no EXIF/GPS, XMP, comments or text chunks can reach the encoder
        return _encode(image, kind, icc, transparency)
    except DomainError:
        raise
    except Image.DecompressionBombError as exc:
        raise DomainError(_bomb_message(None)) from exc
    except (OSError, SyntaxError, ValueError, EOFError, TypeError, KeyError, IndexError, struct.error,
            MemoryError, ZeroDivisionError) as exc:  # what Pillow's parsers raise on broken input
        raise DomainError(MSG_IMAGE_BROKEN) from exc


def _encode(image: Image.Image, kind: _Kind, icc: bytes | None, transparency: object) -> bytes:
    out = io.BytesIO()
    original_mode = image.mode
    if kind is JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options: dict = {"quality": 90}
    elif kind is PNG:
        options = {}
        if transparency is not None and image.mode in ("P", "L", "RGB", "1", "I", "I;16"):
            options["transparency"] = transparency
    else:  # WebP
        has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and transparency is not None)
        wanted = "RGBA" if has_alpha else "RGB"
        if image.mode != wanted:
            image = image.convert(wanted)
        options = {"quality": 90}
    if icc and image.mode == original_mode:
        options["icc_profile"] = icc
    image.save(out, format=kind.pil_formats[0], **options)
    return out.getvalue()


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise DomainError(MSG_IMAGE_BROKEN)
    if width * height > MAX_PIXELS:
        raise DomainError(_bomb_message(size))


def _bomb_message(size: tuple[int, int] | None) -> str:
    dims = f": {size[0]} × {size[1]} piksel" if size else ""
    return f"Gambar terlalu besar{dims}. Maksimal {MAX_PIXELS // 1_000_000} megapiksel."


# --- PDF ----------------------------------------------------------------------------------------

_FORBIDDEN_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles"})
# A PDF name: "/" then regular characters up to a delimiter or white space (ISO 32000-1, 7.3.5).
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_INFLATE_LIMIT = 20 * 1024 * 1024  # total bytes of object streams inflated for one file


def _check_pdf(data: bytes) -> None:
    """Structure markers, no encryption, and no active or embedded content (see module docstring)."""
    if b"%%EOF" not in data[-1024:]:
        raise DomainError(MSG_PDF_BROKEN)
    outside, object_streams = _split_streams(data)
    names = _names(outside)
    if b"Encrypt" in names:
        raise DomainError(MSG_PDF_ENCRYPTED)
    if names & _FORBIDDEN_NAMES:
        raise DomainError(MSG_PDF_ACTIVE)
    budget = _INFLATE_LIMIT
    for dictionary, body in object_streams:
        content = _inflate(dictionary, body, budget)
        budget -= len(content)
        if _names(content) & _FORBIDDEN_NAMES:
            raise DomainError(MSG_PDF_ACTIVE)


def _split_streams(data: bytes) -> tuple[bytes, list[tuple[set[bytes], bytes]]]:
    """Text outside stream bodies, and the (dictionary names, raw body) of every object stream.

    Stream bodies (images, fonts, page content) are not scanned as text: binary data would match "/JS"
    by chance. Object streams are the exception, because they hold whole PDF objects.
    """
    outside: list[bytes] = []
    object_streams: list[tuple[set[bytes], bytes]] = []
    position = 0
    while (match := _STREAM_START.search(data, position)) is not None:
        if data[max(0, match.start() - 3):match.start()] == b"end":  # "endstream" is not a start
            outside.append(data[position:match.end()])
            position = match.end()
            continue
        head = data[position:match.start()]
        outside.append(head)
        end = data.find(b"endstream", match.end())
        if end < 0:
            end = len(data)
        body = data[match.end():end]
        dictionary = _names(head[head.rfind(b"obj"):] if b"obj" in head else head[-4096:])
        if b"ObjStm" in dictionary:
            object_streams.append((dictionary, body))
        position = end
    outside.append(data[position:])
    return b"".join(outside), object_streams


def _inflate(dictionary: set[bytes], body: bytes, budget: int) -> bytes:
    """Object stream content; only unfiltered or FlateDecode streams can be checked."""
    filters = dictionary & {b"FlateDecode", b"Fl", b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85",
                            b"LZWDecode", b"LZW", b"RunLengthDecode", b"RL", b"Crypt"}
    if not filters:
        return body
    if filters - {b"FlateDecode", b"Fl"}:
        raise DomainError(MSG_PDF_UNCHECKABLE)
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(body, max(budget, 0) + 1)
    except zlib.error as exc:
        raise DomainError(MSG_PDF_UNCHECKABLE) from exc
    if len(content) > budget:
        raise DomainError(MSG_PDF_UNCHECKABLE)
    return content


def _names(data: bytes) -> set[bytes]:
    """Every PDF name in `data`, with #xx escapes decoded."""
    return {_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) for raw in _NAME.findall(data)}


# --- storage ------------------------------------------------------------------------------------


def _check_not_static(upload_dir: Path) -> None:
    """A configuration mistake, not user input: uploads must never be served as static files."""
    if any(part.lower() == "static" for part in Path(upload_dir).resolve().parts):
        raise ValueError(f"upload_dir must not lie under a static folder: {upload_dir}")


def _write_atomically(upload_dir: Path, stored_name: str, content: bytes) -> None:
    """Temp file in the same directory, fsync, then rename: readers never see a half-written file."""
    directory = Path(upload_dir)
    if not directory.is_dir():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(directory, 0o700)
    fd, temp_path = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")  # mode 0o600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_path, 0o600)
        os.replace(temp_path, directory / stored_name)
    except BaseException:
        Path(temp_path).unlink(missing_ok=True)
        raise


def _too_large(size: int) -> str:
    """One decimal; just over the limit rounds up, so 5 MB + 1 byte reads "5,1 MB", not a puzzling "5,0 MB"."""
    megabytes = size / (1024 * 1024)
    shown = round(megabytes, 1)
    if shown <= MAX_BYTES / (1024 * 1024):
        shown = math.ceil(megabytes * 10) / 10
    decimal_comma = f"{shown:.1f}".replace(".", ",")
    return f"Berkas terlalu besar: {decimal_comma} MB. Maksimal 5 MB per berkas."
