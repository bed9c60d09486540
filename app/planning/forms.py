"""Forms of the planning blueprint."""

from __future__ import annotations

from wtforms import BooleanField, DateField, FloatField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import BaseForm
from app.planning.models import MODE_LABELS


class PlanForm(BaseForm):
    """A new plan run."""

    name = StringField("Nama rencana (opsional)", validators=[Optional(), Length(max=120)])
    start = DateField("Tanggal mulai", validators=[DataRequired("Isi tanggal mulai.")])
    end = DateField("Tanggal akhir", validators=[DataRequired("Isi tanggal akhir.")])
    mode = SelectField("Mode kunjungan", choices=[SelectChoice(k, v) for k, v in MODE_LABELS.items()],
                       default="kunjungan")
    start_place = SelectField("Tempat mulai dan kembali", coerce=int, validate_choice=False)
    time_limit_s = IntegerField("Batas waktu penyusunan (detik)", default=30,
                                validators=[DataRequired("Isi batas waktu."), NumberRange(min=5, max=600)])
    lodging_place = SelectField("Tur menginap: tempat menginap (opsional)", coerce=int, validate_choice=False)
    lodging_first = DateField("Tur menginap: hari pertama", validators=[Optional()])
    lodging_last = DateField("Tur menginap: hari terakhir", validators=[Optional()])
    weekdays = SelectMultipleField("Hari bupati keluar (kosong = sesuai pengaturan)", coerce=int,
                                   choices=[SelectChoice(n, label) for n, label in enumerate(
                                       ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"), start=1)],
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    must_visit = SelectMultipleField("Desa yang wajib masuk rencana ini", validate_choice=False)
    exclude = SelectMultipleField("Desa yang dikecualikan kali ini", validate_choice=False)
    keep_published = BooleanField("Pertahankan kunjungan yang sudah diumumkan", default=True)


class MoveForm(BaseForm):
    """Move a visit to another day."""

    day = DateField("Pindah ke tanggal", validators=[DataRequired("Pilih tanggal.")])


class AddVisitForm(BaseForm):
    """Add a desa to a day."""

    desa_code = StringField("Kode desa", validators=[DataRequired("Pilih desa."), Length(max=13)])
    day = DateField("Tanggal", validators=[DataRequired("Pilih tanggal.")])


class WeightsForm(BaseForm):
    """A new version of the priority weights."""

    aspirations = FloatField("Aspirasi terbuka", validators=[NumberRange(min=0, max=10)])
    poverty = FloatField("Kemiskinan", validators=[NumberRange(min=0, max=10)])
    since_visit = FloatField("Lama sejak kunjungan terakhir", validators=[NumberRange(min=0, max=10)])
    services = FloatField("Volume layanan diminta", validators=[NumberRange(min=0, max=10)])
    coverage = FloatField("Kecamatan belum dikunjungi tahun ini", validators=[NumberRange(min=0, max=10)])


class BlockedDateForm(BaseForm):
    """A date the bupati is not available."""

    day = DateField("Tanggal", validators=[DataRequired("Pilih tanggal.")])
    reason = StringField("Alasan", validators=[DataRequired("Isi alasan."), Length(max=200)])
