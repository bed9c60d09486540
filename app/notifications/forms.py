"""The preferences form (labels are translated in the template)."""

from wtforms import BooleanField, StringField
from wtforms.validators import Length

from app.core.forms import BaseForm


class PreferenceForm(BaseForm):
    """Channels and quiet hours; the service checks the times and the phone number."""

    email = BooleanField("Surel")
    whatsapp = BooleanField("WhatsApp")
    quiet_start = StringField("Mulai waktu tenang", validators=[Length(max=5)])
    quiet_end = StringField("Selesai waktu tenang", validators=[Length(max=5)])
