"""Forms for signing in and changing one's own password."""

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.core.forms import BaseForm


class LoginForm(BaseForm):
    """Username and password."""

    username = StringField("Nama pengguna", validators=[DataRequired("Isi nama pengguna."), Length(max=80)])
    password = PasswordField("Kata sandi", validators=[DataRequired("Isi kata sandi."), Length(max=128)])


class PasswordForm(BaseForm):
    """Change one's own password."""

    current = PasswordField("Kata sandi saat ini", validators=[DataRequired("Isi kata sandi saat ini.")])
    new = PasswordField("Kata sandi baru", validators=[DataRequired("Isi kata sandi baru."), Length(max=128)])
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[DataRequired("Ulangi kata sandi baru."), EqualTo("new", "Kedua kata sandi baru tidak sama.")],
    )
