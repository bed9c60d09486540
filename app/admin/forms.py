"""Administration forms: users, aspiration categories, deadline rules, regency days off."""

from wtforms import BooleanField, DateField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.aspirations.models import DAY_OFF_KIND_LABELS, DAY_OFF_KINDS, URGENCIES, URGENCY_LABELS
from app.core.forms import BaseForm
from app.core.permissions import ROLE_LABELS, SECTORS


class UserForm(BaseForm):
    """Create or edit a user; the scope fields that do not fit the role are ignored."""

    username = StringField("Nama pengguna", validators=[DataRequired("Isi nama pengguna."), Length(max=80)])
    full_name = StringField("Nama lengkap", validators=[DataRequired("Isi nama lengkap."), Length(max=120)])
    email = StringField("Surel", validators=[Optional(), Length(max=254)])
    phone = StringField("Nomor WhatsApp", validators=[Optional(), Length(max=20)])
    role = SelectField("Peran", choices=[SelectChoice(r.value, lbl) for r, lbl in ROLE_LABELS.items()])
    desa_code = StringField("Kode desa (untuk kepala desa)", validators=[Optional(), Length(max=13)])
    kecamatan_code = StringField("Kode kecamatan (untuk camat)", validators=[Optional(), Length(max=8)])
    sector = SelectField(
        "Sektor (untuk OPD)",
        choices=[SelectChoice("", "—"), *(SelectChoice(k, v) for k, v in SECTORS.items())],
        validate_choice=False,
    )
    active = BooleanField("Aktif", default=True)
    password = PasswordField("Kata sandi", validators=[Optional(), Length(max=128)])


_SECTOR_CHOICES = [SelectChoice("", "—"), *(SelectChoice(k, v) for k, v in SECTORS.items())]
_DAYS = NumberRange(1, 60, "Isi 1–60 hari kerja.")


class CategoryForm(BaseForm):
    """Add (with code) or edit (code ignored) an aspiration category; empty day fields use the defaults."""

    code = StringField("Kode", validators=[Optional(), Length(max=40), Regexp(
        r"^[a-z0-9_]+$", message="Kode hanya huruf kecil, angka atau garis bawah (contoh: air_bersih).")])
    name = StringField("Nama", validators=[DataRequired("Isi nama kategori."), Length(max=120)])
    sector = SelectField("OPD yang biasanya menangani", choices=_SECTOR_CHOICES, validate_choice=False)
    verify_days = IntegerField("Batas verifikasi (hari kerja)", validators=[Optional(), _DAYS])
    followup_days = IntegerField("Batas tindak lanjut OPD (hari kerja)", validators=[Optional(), _DAYS])
    active = BooleanField("Aktif (dapat dipilih untuk aspirasi baru)", default=True)


class DeadlineRuleForm(BaseForm):
    """Set or replace the working-day deadlines of an urgency, for all categories or one."""

    category_id = SelectField("Kategori", choices=[], validate_choice=False)
    urgency = SelectField("Urgensi", choices=[SelectChoice(u, URGENCY_LABELS[u]) for u in URGENCIES])
    verify_days = IntegerField("Batas verifikasi (hari kerja)", validators=[DataRequired("Isi 1–60 hari kerja."),
                                                                           _DAYS])
    followup_days = IntegerField("Batas tindak lanjut OPD (hari kerja)",
                                 validators=[DataRequired("Isi 1–60 hari kerja."), _DAYS])


class DayOffForm(BaseForm):
    """A day off: the regency's own, or a national holiday / cuti bersama of a year lokal-id does not cover."""

    kind = SelectField("Jenis", choices=[SelectChoice(k, DAY_OFF_KIND_LABELS[k]) for k in DAY_OFF_KINDS],
                       default="daerah")
    day = DateField("Tanggal", validators=[DataRequired("Isi tanggal libur (TTTT-BB-HH).")])
    reason = StringField("Keterangan", validators=[DataRequired("Isi keterangan hari libur."), Length(max=200)])
