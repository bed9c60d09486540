"""Demo aspirations for `flask demo`: a realistic mix of categories, urgencies and statuses (labelled demo data)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from app.aspirations import services
from app.aspirations.models import Aspiration
from app.auth.models import User
from app.core.clock import today_local
from app.core.services import unit_of_work
from app.extensions import db
from app.regions.models import Desa

DEMO_ITEMS = (
    ("adminduk", "Perekaman KTP-el bagi warga lansia", "Banyak lansia belum merekam KTP-el karena sulit ke kantor "
     "kecamatan.", "tinggi", [("perekaman_ktp_el", 35)]),
    ("adminduk", "Aktivasi IKD perangkat desa dan guru", "Perangkat desa dan guru perlu aktivasi Identitas "
     "Kependudukan Digital.", "sedang", [("aktivasi_ikd", 40)]),
    ("adminduk", "Akta kelahiran anak belum terbit", "Beberapa keluarga belum memiliki akta kelahiran anak.",
     "sedang", [("akta_kelahiran", 18), ("kia", 18)]),
    ("kesehatan", "Posyandu kekurangan alat timbang bayi", "Alat timbang di posyandu dusun rusak.", "sedang",
     [("skrining_stunting", 30)]),
    ("kesehatan", "Imunisasi anak yang tertunda", "Anak-anak di dusun terpencil belum lengkap imunisasinya.",
     "tinggi", [("imunisasi", 25)]),
    ("pendidikan", "Anak putus sekolah ingin kembali sekolah", "Ada anak usia sekolah yang berhenti karena biaya.",
     "tinggi", [("kembali_sekolah", 6), ("pip", 12)]),
    ("sosial", "Keluarga miskin belum terdata DTSEN", "Beberapa keluarga miskin belum masuk data sosial.",
     "tinggi", [("pendaftaran_dtsen", 22)]),
    ("infrastruktur", "Jalan dusun rusak dan licin saat hujan", "Jalan penghubung dusun berlubang dan berbahaya.",
     "sedang", []),
    ("infrastruktur", "Jembatan bambu penghubung dusun lapuk", "Jembatan bambu yang dipakai anak sekolah lapuk.",
     "darurat", []),
    ("ekonomi", "Pelatihan dan NIB untuk UMKM", "Pelaku UMKM membutuhkan NIB dan pendampingan pemasaran.",
     "rendah", [("nib", 20)]),
)
DEMO_NOTE = "[DEMO] "


def _pick(code: str, salt: str, n: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}:{code}".encode()).digest()[:4], "big") % n


@unit_of_work
def seed_demo_aspirations(regency_id: int, every: int = 4) -> int:
    """About one aspiration for every `every`-th desa, some verified or dispatched; nothing when any exist."""
    if db.session.scalar(select(func.count(Aspiration.id)).where(Aspiration.regency_id == regency_id)):
        return 0
    office = db.session.scalar(select(User).where(User.regency_id == regency_id, User.role == "planner",
                                                  User.is_demo.is_(True)))
    if office is None:
        return 0
    count = 0
    today = today_local()
    desa = list(db.session.scalars(select(Desa).where(Desa.regency_id == regency_id).order_by(Desa.code)))
    for desa_row in desa[::every]:
        head = db.session.scalar(select(User).where(User.desa_id == desa_row.id, User.role == "kepala_desa"))
        actor: Any = head or office
        category, title, text, urgency, lines = DEMO_ITEMS[_pick(desa_row.code, "item", len(DEMO_ITEMS))]
        item = services._create(actor, services.AspirationInput(
            desa_code=desa_row.code, category=category, title=title, description=DEMO_NOTE + text,
            urgency=urgency, services=lines, channel="portal" if head else "assisted",
            submitted_on=today - timedelta(days=_pick(desa_row.code, "age", 120))),
            desa_row, services._category(category))
        step = _pick(desa_row.code, "step", 3)
        if step >= 1:
            services.transition.__wrapped__(office, item, "diverifikasi")
        if step >= 2:
            services.transition.__wrapped__(office, item, "didisposisikan", opd=item.category.sector or "sosial")
        count += 1
    return count
