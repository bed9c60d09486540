"""A form base class whose built-in WTForms messages speak Indonesian (WTForms ships no Indonesian catalogue)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_wtf import FlaskForm

# WTForms' own messages → Bahasa Indonesia. Keys are WTForms' msgids (wtforms/locale/wtforms.pot).
MESSAGES_ID = {
    "Invalid field name '%s'.": "Nama kolom '%s' tidak valid.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be at least %(min)d character long.": "Isian minimal %(min)d karakter.",
    "Field must be at least %(min)d characters long.": "Isian minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Isian maksimal %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Isian maksimal %(max)d karakter.",
    "Field must be exactly %(max)d character long.": "Isian harus tepat %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Isian harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.": "Isian harus %(min)d sampai %(max)d karakter.",
    "Number must be at least %(min)s.": "Angka minimal %(min)s.",
    "Number must be at most %(max)s.": "Angka maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "Date must be at least %(min)s.": "Tanggal paling awal %(min)s.",
    "Date must be at most %(max)s.": "Tanggal paling akhir %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Tanggal harus antara %(min)s dan %(max)s.",
    "This field is required.": "Wajib diisi.",
    "Invalid input.": "Isian tidak valid.",
    "Invalid email address.": "Alamat surel tidak valid.",
    "Invalid URL.": "URL tidak valid.",
    "Invalid value, must be one of: %(values)s.": "Nilai tidak valid; harus salah satu dari: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Nilai tidak valid; tidak boleh: %(values)s.",
    "This field cannot be edited.": "Isian ini tidak dapat diubah.",
    "This field is disabled and cannot have a value.": "Isian ini nonaktif dan tidak boleh berisi nilai.",
    "Invalid CSRF Token.": "Token keamanan formulir tidak valid. Muat ulang halaman lalu kirim lagi.",
    "CSRF token missing.": "Token keamanan formulir tidak ada. Muat ulang halaman lalu kirim lagi.",
    "CSRF failed.": "Pemeriksaan keamanan formulir gagal. Muat ulang halaman lalu kirim lagi.",
    "CSRF token expired.": "Token keamanan formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi.",
    "Invalid Choice: could not coerce.": "Pilihan tidak valid.",
    "Choices cannot be None.": "Pilihan tidak boleh kosong.",
    "Not a valid choice.": "Pilihan tidak valid.",
    "Not a valid datetime value.": "Tanggal dan waktu tidak valid.",
    "Not a valid date value.": "Tanggal tidak valid (gunakan format TTTT-BB-HH).",
    "Not a valid time value.": "Waktu tidak valid.",
    "Not a valid integer value.": "Harus berupa bilangan bulat.",
    "Not a valid decimal value.": "Harus berupa angka desimal.",
    "Not a valid float value.": "Harus berupa angka.",
}


class _Indonesian:
    """The gettext interface WTForms asks for."""

    def gettext(self, string: str) -> str:
        return MESSAGES_ID.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class BaseForm(FlaskForm):
    """Every form of the app: CSRF from Flask-WTF, built-in messages in the user's language."""

    class Meta:
        def get_translations(self, form):
            locale = str(get_locale() or "id")
            return _Indonesian() if locale.startswith("id") else super().get_translations(form)
