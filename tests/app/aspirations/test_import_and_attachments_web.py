"""Paper-form imports and attachments through the web, with the database: all or nothing, scope, serving."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import func, select

from app.aspirations import services
from app.aspirations.models import Aspiration, Attachment
from app.extensions import db

HEADER = "village_code,category,title,description,urgency,affected,services\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def _upload(client, url, name, content, **kw):
    return client.post(url, data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data", **kw)


def test_import_creates_every_row_with_channel_import(world, login):
    client = login(world.users["planner"])
    content = _csv(f"{world.desa_a.code},adminduk,Perekaman KTP-el lansia,Lansia belum merekam KTP-el.,tinggi,40,"
                   "perekaman_ktp_el:40;aktivasi_ikd:25",
                   f"{world.desa_b.code},Infrastruktur,Jalan pasar berlubang,Jalan dekat pasar berlubang.,sedang,,")
    response = _upload(client, "/aspirasi/impor", "formulir.csv", content)
    assert response.status_code == 200 and "2 aspirasi diimpor" in response.get_data(as_text=True)
    items = list(db.session.scalars(select(Aspiration).order_by(Aspiration.id)))
    assert [a.channel for a in items] == ["import", "import"]
    assert {(s.service_code, s.quantity) for s in items[0].services} == {("perekaman_ktp_el", 40),
                                                                         ("aktivasi_ikd", 25)}
    assert items[1].category.code == "infrastruktur" and items[0].due_on is not None


def test_import_with_one_bad_row_creates_nothing_and_reports_the_row(world, login):
    client = login(world.users["planner"])
    content = _csv(f"{world.desa_a.code},adminduk,Perekaman KTP-el lansia,Lansia belum merekam KTP-el.,tinggi,,",
                   f"{world.desa_a.code},adminduk,Aktivasi IKD,Perangkat desa perlu IKD.,kritis,,",
                   f"{world.desa_b.code},kesehatan,Posyandu,Posyandu kekurangan alat.,sedang,,ktp:3")
    response = _upload(client, "/aspirasi/impor", "formulir.csv", content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-testid="import-errors"' in html
    assert "kritis" in html and "ktp" in html
    assert db.session.scalar(select(func.count(Aspiration.id))) == 0


def test_attachment_round_trip_strips_location_metadata_and_is_served_as_download(world, login):
    item = services.submit_aspiration(world.users["kepala_desa"], services.AspirationInput(
        desa_code=world.desa_a.code, category="infrastruktur", title="Jembatan putus",
        description="Jembatan dusun putus terbawa banjir.", urgency="tinggi"))
    image = Image.new("RGB", (64, 48), "green")
    exif = Image.Exif()
    exif[0x8825] = {2: (8.0, 20.0, 0.0)}  # GPSInfo
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    client = login(world.users["kepala_desa"])
    response = _upload(client, f"/aspirasi/{item.reference}/lampiran", "../../foto jembatan.jpg", buf.getvalue())
    assert response.status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "foto jembatan.jpg" and attachment.mime_type == "image/jpeg"
    download = client.get(f"/aspirasi/{item.reference}/lampiran/{attachment.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert not Image.open(io.BytesIO(download.data)).getexif().get(0x8825)
    # another desa's kepala desa cannot fetch it
    assert login(world.kades_b).get(f"/aspirasi/{item.reference}/lampiran/{attachment.id}").status_code == 404


def test_disguised_and_oversized_attachments_are_refused(world, login):
    item = services.submit_aspiration(world.users["kepala_desa"], services.AspirationInput(
        desa_code=world.desa_a.code, category="infrastruktur", title="Jembatan putus",
        description="Jembatan dusun putus terbawa banjir.", urgency="tinggi"))
    client = login(world.users["kepala_desa"])
    url = f"/aspirasi/{item.reference}/lampiran"
    fake = _upload(client, url, "foto.jpg", b"MZ\x90\x00 this is an exe")
    assert fake.status_code == 422 and "tidak sesuai dengan namanya" in fake.get_data(as_text=True)
    big = _upload(client, url, "besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF")
    assert big.status_code in (413, 422)
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
