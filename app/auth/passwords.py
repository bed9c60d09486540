"""Password hashing and policy (ASVS 6.2): length, not a common or context password; no composition rules."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128

# A short bundled deny-list: the most common breached passwords and words from this context.
_COMMON = {
    "12345678", "123456789", "1234567890", "password", "password1", "qwertyuiop", "11111111", "00000000",
    "iloveyou", "sayang123", "bismillah", "indonesia", "admin123", "rahasia123", "qwerty123", "abcd1234",
    "passw0rd", "welcome1", "banyuwangi", "pemkab", "bupati", "kabupaten", "bungadesa", "bunga-desa",
}
_CONTEXT_WORDS = ("banyuwangi", "pemkab", "bungadesa", "bunga desa", "bupati")

# Hashing a fixed string for unknown users keeps "unknown user" and "wrong password" equally slow.
_DUMMY_HASH = generate_password_hash("dummy-password-for-timing")


def hash_password(password: str) -> str:
    """scrypt hash (Werkzeug's default)."""
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the user exists."""
    return check_password_hash(password_hash or _DUMMY_HASH, password) and password_hash is not None


def password_problem(password: str, *, username: str | None = None) -> str | None:
    """Why a new password is refused, as a sentence, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Kata sandi minimal {MIN_LENGTH} karakter."
    if len(password) > MAX_LENGTH:
        return f"Kata sandi maksimal {MAX_LENGTH} karakter."
    lowered = password.lower()
    if lowered in _COMMON or lowered.strip("0123456789!") in _COMMON:
        return "Kata sandi ini terlalu umum; pilih kalimat sandi yang lebih unik."
    if any(word in lowered for word in _CONTEXT_WORDS) and len(password) < 16:
        return "Kata sandi tidak boleh berisi nama daerah atau program kecuali panjangnya minimal 16 karakter."
    if username and username.lower() in lowered:
        return "Kata sandi tidak boleh memuat nama pengguna."
    return None
