"""Forms of the aspirations blueprint."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.aspirations.models import URGENCY_LABELS
from app.core.catalog import SERVICE_TYPES
from app.core.forms import BaseForm
from app.core.permissions import SECTORS

SERVICE_CHOICES = [SelectChoice("", "— pilih layanan —"),
                   *(SelectChoice(code, f"{s.name} ({s.group})") for code, s in SERVICE_TYPES.items())]


class ServiceLineForm(Form):
    """One requested service line."""

    code = SelectField("Layanan", choices=SERVICE_CHOICES, validate_choice=False)
    quantity = IntegerField("Jumlah", validators=[Optional(), NumberRange(min=1, max=100_000,
                                                                          message="Jumlah 1–100.000.")])


class AspirationForm(BaseForm):
    """Submit an aspiration (the desa field is fixed for a kepala desa)."""

    desa_code = StringField("Kode desa", validators=[Optional(), Length(max=13)])
    category = SelectField("Kategori", validate_choice=False)
    title = StringField("Judul", validators=[DataRequired("Isi judul."), Length(min=5, max=200)])
    description = TextAreaField("Uraian", validators=[DataRequired("Isi uraian."), Length(min=10, max=5000)])
    urgency = SelectField("Urgensi", choices=[SelectChoice(k, v) for k, v in URGENCY_LABELS.items()], default="sedang")
    affected = IntegerField("Perkiraan warga terdampak", validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    services = FieldList(FormField(ServiceLineForm), min_entries=3, max_entries=10)
    channel = SelectField("Saluran", choices=[SelectChoice("assisted", "Dibantu petugas/kepala desa"),
                                              SelectChoice("on_site", "Langsung saat kunjungan"),
                                              SelectChoice("portal", "Portal")], default="assisted")
    anonymous = BooleanField("Anonim: sembunyikan nama pengaju")
    confidential = BooleanField("Rahasia: hanya perencana, admin dan OPD penanggung jawab yang dapat melihat")


class TransitionForm(BaseForm):
    """One lifecycle step; which fields matter depends on the step."""

    to = HiddenField(validators=[DataRequired()])
    version = HiddenField()
    note = TextAreaField("Catatan", validators=[Optional(), Length(max=5000)])
    opd = SelectField("OPD tujuan", choices=[SelectChoice("", "—"), *(SelectChoice(k, v) for k, v in SECTORS.items())],
                      validate_choice=False)
    due_on = DateField("Tenggat (opsional)", validators=[Optional()])
    merge_into = StringField("Gabungkan ke nomor", validators=[Optional(), Length(max=20)])


class CommentForm(BaseForm):
    """A comment."""

    body = TextAreaField("Komentar", validators=[DataRequired("Tulis komentar."), Length(max=2000)])


class AttachmentForm(BaseForm):
    """An image or PDF."""

    file = FileField("Lampiran (JPG, PNG, WebP atau PDF, maks. 5 MB)",
                     validators=[FileRequired("Pilih berkas lampiran.")])


class ImportAspirationsForm(BaseForm):
    """Aspirations collected on paper."""

    file = FileField("Berkas CSV atau XLSX", validators=[FileRequired("Pilih berkas yang akan diimpor.")])
