"""NIK protection: encryption at rest, a keyed blind index, and the one scrubber for NIKs in free text.

Free text (issue 21): a NIK typed into a title, a note or a commitment would otherwise be stored, shown and reported
in plain. :func:`scrub_text` masks every NIK-shaped number (16 digits, also written in groups with spaces, dots or
dashes) when a service stores free text, and notes it so the edge can tell the writer (``NIK_MASKED_NOTICE``); the
log filter and the notification texts use the same pattern (:func:`mask_niks_in_text`).

Encryption at rest and the blind index (ASVS 11.3; RELIABILITY.md, "NIK masking and storage design"):

* ``nik_encrypted`` = ``v1|<key_id>|<nonce b64>|<ciphertext b64>``: AES-256-GCM, a fresh random 96-bit nonce per
  write, and an AAD naming where the value lives (``f"{table}:{row_id}:nik"``) so a ciphertext copied to another
  row does not decrypt. The header (version and key id) is authenticated too.
* ``nik_index`` = hex HMAC-SHA256 of the normalized NIK, for exact-match look-up and de-duplication. A plain hash
  would not do: the NIK space of one regency is about 2³⁴ and an unkeyed SHA-256 falls to a GPU in seconds.

Both keys are derived with HKDF-SHA256 from the configured key material (``PII_KEY`` ← ``BUNGA_PII_KEY``) under
different labels, so the encryption key and the index key are independent. The material must be random (e.g.
``python -c "import secrets; print(secrets.token_urlsafe(32))"``): HKDF is not a password hash. Keys never come
from the database; a backup without them reveals no NIK.

Rotation: ``PiiCipher(new_key, old_keys=[old_key])`` decrypts tokens written under any listed key and encrypts
under the new one; a job re-encrypts every token for which ``needs_reencrypt`` is true, and recomputes the blind
index (``blind_index_candidates`` lets look-ups find rows not yet re-indexed meanwhile).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import g, has_app_context

from app.core.nik import normalize_nik

__all__ = ["NIK_MASKED_NOTICE", "DerivedKeys", "PiiCipher", "PiiError", "cipher_from_config", "derive_keys",
           "mask_niks_in_text", "niks_masked_in_request", "scrub_text"]

VERSION = "v1"
MIN_KEY_CHARS = 32
_NONCE_BYTES = 12  # 96 bits, the GCM standard nonce size
_SALT = b"bunga-desa/pii"
_LABEL_ENC = b"bunga-desa pii v1: aes-256-gcm encryption key"
_LABEL_IDX = b"bunga-desa pii v1: hmac-sha256 blind index key"
_LABEL_KEY_ID = b"bunga-desa pii v1: key-id"


class PiiError(Exception):
    """Encryption or decryption failed; the Indonesian message never contains plaintext or key material."""


@dataclass(frozen=True, slots=True, repr=False)
class DerivedKeys:
    """The two independent keys derived from one key material, and the public id that names them."""

    enc_key: bytes
    idx_key: bytes
    key_id: str

    def __repr__(self) -> str:  # never print key bytes
        return f"DerivedKeys(key_id={self.key_id!r})"


def _hkdf(material: bytes, label: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=_SALT, info=label).derive(material)


def derive_keys(material: str | bytes) -> DerivedKeys:
    """HKDF-SHA256 with three labels: encryption key, index key and a 4-byte key id (8 hex digits)."""
    raw = material.encode("utf-8") if isinstance(material, str) else bytes(material)
    if len(raw) < MIN_KEY_CHARS:
        raise PiiError(f"Kunci PII terlalu pendek: gunakan minimal {MIN_KEY_CHARS} karakter acak (BUNGA_PII_KEY).")
    return DerivedKeys(
        enc_key=_hkdf(raw, _LABEL_ENC, 32),
        idx_key=_hkdf(raw, _LABEL_IDX, 32),
        key_id=_hkdf(raw, _LABEL_KEY_ID, 4).hex(),
    )


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


class PiiCipher:
    """AES-256-GCM for NIK at rest plus an HMAC blind index, with key ids for rotation."""

    def __init__(self, current_key: str | bytes, old_keys: Iterable[str | bytes] = ()) -> None:
        self._current = derive_keys(current_key)
        self._keys: dict[str, DerivedKeys] = {self._current.key_id: self._current}
        for old in old_keys:
            derived = derive_keys(old)
            known = self._keys.get(derived.key_id)
            if known is not None and known.enc_key != derived.enc_key:  # a 32-bit id collision: refuse, don't guess
                raise PiiError(f"Dua kunci PII berbeda memiliki id kunci yang sama ({derived.key_id}); "
                               "ganti salah satu.")
            self._keys.setdefault(derived.key_id, derived)

    def __repr__(self) -> str:
        return f"PiiCipher(key_id={self.key_id!r}, key_ids={self.key_ids!r})"

    @property
    def key_id(self) -> str:
        """Id of the key new tokens are written with."""
        return self._current.key_id

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Every key id this cipher can decrypt, current first."""
        return tuple(self._keys)

    @staticmethod
    def _aad(key_id: str, aad: str) -> bytes:
        # Authenticate the header as well as the caller's context, so neither can be swapped.
        return f"{VERSION}|{key_id}|{aad}".encode()

    def encrypt(self, plaintext: str, aad: str) -> str:
        """``v1|<key_id>|<nonce b64>|<ciphertext b64>`` under the current key with a fresh random nonce."""
        nonce = os.urandom(_NONCE_BYTES)
        ct = AESGCM(self._current.enc_key).encrypt(nonce, plaintext.encode("utf-8"), self._aad(self.key_id, aad))
        return "|".join((VERSION, self.key_id, base64.b64encode(nonce).decode(), base64.b64encode(ct).decode()))

    def _parse(self, token: str) -> tuple[str, bytes, bytes]:
        parts = str(token).split("|")
        if len(parts) != 4 or parts[0] != VERSION:
            raise PiiError("Data terenkripsi rusak atau formatnya tidak dikenal.")
        _, key_id, nonce_b64, ct_b64 = parts
        try:
            nonce, ct = _b64decode(nonce_b64), _b64decode(ct_b64)
        except (binascii.Error, ValueError):
            raise PiiError("Data terenkripsi rusak atau formatnya tidak dikenal.") from None
        if len(nonce) != _NONCE_BYTES or len(ct) < 16:
            raise PiiError("Data terenkripsi rusak atau formatnya tidak dikenal.")
        return key_id, nonce, ct

    def decrypt(self, token: str, aad: str) -> str:
        """The plaintext; ``PiiError`` for a wrong key, wrong AAD, unknown key id or any tampering."""
        key_id, nonce, ct = self._parse(token)
        keys = self._keys.get(key_id)
        if keys is None:
            raise PiiError(f"Kunci untuk data terenkripsi ini (id kunci {key_id}) tidak tersedia; "
                           "tambahkan kunci lama ke PII_OLD_KEYS.")
        try:
            plain = AESGCM(keys.enc_key).decrypt(nonce, ct, self._aad(key_id, aad))
        except InvalidTag:
            raise PiiError("Data terenkripsi tidak dapat dibuka: kunci salah, konteks (AAD) tidak cocok, "
                           "atau data telah diubah.") from None
        return plain.decode("utf-8")

    def needs_reencrypt(self, token: str) -> bool:
        """True when the token was written under an older key (or an older format) than the current one."""
        key_id, _, _ = self._parse(token)
        return key_id != self.key_id

    def reencrypt(self, token: str, aad: str) -> str:
        """Decrypt with whichever key wrote the token, encrypt under the current key (the rotation job's step)."""
        return self.encrypt(self.decrypt(token, aad), aad)

    def blind_index(self, nik: str) -> str:
        """Hex HMAC-SHA256 of the normalized NIK under the current index key: deterministic, useless without it."""
        return self._index(self._current, normalize_nik(nik))

    def blind_index_candidates(self, nik: str) -> tuple[str, ...]:
        """The blind index under every known key, current first: look-ups during a rotation's re-index window."""
        digits = normalize_nik(nik)
        return tuple(self._index(keys, digits) for keys in self._keys.values())

    @staticmethod
    def _index(keys: DerivedKeys, digits: str) -> str:
        return hmac.new(keys.idx_key, digits.encode("ascii"), hashlib.sha256).hexdigest()


def _old_keys(value: Any) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(item).strip() for item in items if str(item).strip()]


def cipher_from_config(config: Mapping[str, Any]) -> PiiCipher:
    """The cipher for ``app.config``: ``PII_KEY`` (current) and optional ``PII_OLD_KEYS`` (list or "a,b")."""
    key = config.get("PII_KEY")
    if not key:
        raise PiiError("PII_KEY belum diatur: isi BUNGA_PII_KEY dengan minimal 32 karakter acak.")
    return PiiCipher(key, old_keys=_old_keys(config.get("PII_OLD_KEYS")))


# --- NIKs in free text ------------------------------------------------------------------------------------------

#: 16 ASCII digits, each pair optionally separated by up to two spaces, dots or dashes ("3510 0145 1290 0001",
#: "35.10.01.451290.0001"), not part of a longer digit run. Longer numbers with separators are masked too: erring on
#: the side of hiding a number is cheap, a leaked NIK is not.
_NIK_IN_TEXT = re.compile(r"(?<![0-9])[0-9](?:[ \t\u00a0.\-\u2010-\u2015\u2212]{0,2}[0-9]){15}(?![0-9])")
_KEEP_DIGITS = 4  # province + regency, as in ``mask_nik_strict``: shared by most residents, identifies no one



def _N(text: str) -> str:  # marks a string for extraction; the edge translates it
    return text


#: The notice for the writer (the edge translates it); the stored text keeps its length and layout.
NIK_MASKED_NOTICE = _N("NIK dalam teks disamarkan: nomor 16 angka di isian teks disimpan tersamar. Catat NIK hanya "
                       "di kolom NIK (tersimpan terenkripsi).")


def _mask_match(match: re.Match[str]) -> str:
    seen = 0
    out = []
    for ch in match.group():
        if "0" <= ch <= "9":
            seen += 1
            out.append(ch if seen <= _KEEP_DIGITS else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_niks_in_text(text: str) -> tuple[str, int]:
    """(text with every NIK-shaped number masked after its first four digits, how many were masked)."""
    return _NIK_IN_TEXT.subn(_mask_match, text)


def scrub_text(text: str | None) -> str | None:
    """The service layer's scrubber for a free-text field: NIKs masked, and the masking noted for the writer.

    Length and separators stay, so length checks and layout are unaffected.
    """
    if not text:
        return text
    masked, count = mask_niks_in_text(text)
    if count and has_app_context():
        g.bunga_niks_masked = getattr(g, "bunga_niks_masked", 0) + count
    return masked


def niks_masked_in_request() -> int:
    """How many NIKs :func:`scrub_text` masked during this request (0 outside one)."""
    return getattr(g, "bunga_niks_masked", 0) if has_app_context() else 0
