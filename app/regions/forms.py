"""Forms of the regions blueprint."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

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
