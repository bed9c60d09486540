"""Forms of the regions blueprint."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import BaseForm


class ImportForm(BaseForm):
    """Upload of village locations and figures."""

    kind = SelectField(
        "Jenis data",
        choices=[SelectChoice("desa", "Lokasi dan angka desa (CSV, XLSX, GeoJSON)"),
                 SelectChoice("kecamatan", "Batas kecamatan (GeoJSON)")],
        default="desa",
    )
    file = FileField(
        "Berkas lokasi desa",
        validators=[
            FileRequired("Pilih berkas yang akan diimpor."),
            FileAllowed(["csv", "xlsx", "geojson", "json"], "Format berkas harus CSV, XLSX atau GeoJSON."),
        ],
    )
    source = StringField("Sumber data (opsional)", validators=[Optional(), Length(max=200)])


class PovertyImportForm(BaseForm):
    """Upload of household counts by welfare decile (DTSEN/P3KE), with the source and the data's date."""

    file = FileField(
        "Berkas data desil (CSV atau XLSX)",
        validators=[
            FileRequired("Pilih berkas yang akan diimpor."),
            FileAllowed(["csv", "xlsx"], "Format berkas harus CSV atau XLSX."),
        ],
    )
    source = StringField("Sumber data (mis. DTSEN atau P3KE)", validators=[DataRequired("Sebutkan sumber data."),
                                                                         Length(max=60)],
                         render_kw={"list": "poverty-sources", "autocomplete": "off"})
    as_of = DateField("Tanggal data (tanggal ekspor)", validators=[DataRequired("Isi tanggal data.")])
