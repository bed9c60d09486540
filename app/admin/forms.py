"""User administration form."""

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

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
