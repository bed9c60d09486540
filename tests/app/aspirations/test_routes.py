"""Aspiration pages and API end to end through the test client: portal, inbox, OPD queue, DPRD aggregates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.aspirations import services
from app.aspirations.models import Aspiration
from app.extensions import db
from tests.factories import create_user


def _submit(world, desa=None, actor=None, **kw):
    data = {"category": "kesehatan", "title": "Posyandu kekurangan alat timbang",
            "description": "Alat timbang bayi di posyandu rusak sejak dua bulan.", "urgency": "sedang"}
    data.update(kw)
    desa = desa or world.desa_a
    return services.submit_aspiration(actor or world.users["planner"],
                                      services.AspirationInput(desa_code=desa.code, **data))


def test_kepala_desa_submits_through_the_portal_and_follows_it(world, login):
    client = login(world.users["kepala_desa"])
    form = client.get("/aspirasi/baru").get_data(as_text=True)
    assert "Pemberitahuan privasi" in form and world.desa_a.name in form
    response = client.post("/aspirasi/baru", data={
        "category": "adminduk", "title": "Perekaman KTP-el untuk lansia",
        "description": "Sekitar 40 lansia di Dusun Krajan belum merekam KTP-el.", "urgency": "tinggi",
        "affected": "40", "services-0-code": "perekaman_ktp_el", "services-0-quantity": "40",
        "services-1-code": "aktivasi_ikd", "services-1-quantity": "25",
        "desa_code": world.desa_b.code,  # ignored: a kepala desa always submits for their own desa
    })
    assert response.status_code == 302
    item = db.session.scalar(select(Aspiration))
    assert item.desa_id == world.desa_a.id and item.channel == "portal" and item.status == "diajukan"
    assert {(s.service_code, s.quantity) for s in item.services} == {("perekaman_ktp_el", 40), ("aktivasi_ikd", 25)}
    detail = client.get(response.location).get_data(as_text=True)
    assert item.reference in detail and "Perekaman KTP-el" in detail and "tenggat" in detail
    listing = client.get("/aspirasi").get_data(as_text=True)
    assert item.reference in listing


def test_invalid_submission_keeps_what_was_typed_and_explains(world, login):
    client = login(world.users["kepala_desa"])
    response = client.post("/aspirasi/baru", data={"category": "adminduk", "title": "Ok",
                                                   "description": "Uraian cukup panjang untuk dicek.",
                                                   "urgency": "sedang"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Uraian cukup panjang untuk dicek." in html and "5 sampai 200 karakter" in html
    assert db.session.scalar(select(func.count(Aspiration.id))) == 0


def test_scope_of_lists_and_details(world, login):
    a = _submit(world, world.desa_a)
    b = _submit(world, world.desa_b, title="Sekolah kekurangan guru", category="pendidikan")
    secret = _submit(world, world.desa_a, title="Dugaan pungli di kantor desa", confidential=True)
    visible = {
        "admin": {a, b, secret}, "planner": {a, b, secret}, "kepala_desa": {a}, "camat": {a}, "opd": set(),
    }
    for role, expected in visible.items():
        client = login(world.users[role])
        html = client.get("/aspirasi").get_data(as_text=True)
        shown = {x for x in (a, b, secret) if x.reference in html}
        assert shown == expected, role
        for item in (a, b, secret):
            status = client.get(f"/aspirasi/{item.reference}").status_code
            assert status == (200 if item in expected else 404), (role, item.title)
    assert login(world.users["dprd"]).get("/aspirasi").status_code == 403


def test_opd_queue_shows_what_was_dispatched_to_their_sector(world, login):
    item = _submit(world)
    services.transition(world.users["planner"], item, "diverifikasi")
    services.transition(world.users["planner"], item, "didisposisikan", opd="adminduk")
    html = login(world.users["opd"]).get("/aspirasi").get_data(as_text=True)  # opd.adminduk
    assert item.reference in html
    health = create_user("opd", world.regency, "opd.kesehatan", sector="kesehatan")
    db.session.commit()
    assert item.reference not in login(health).get("/aspirasi").get_data(as_text=True)


def test_dprd_sees_counts_but_never_titles_or_names(world, login):
    _submit(world, title="Keluhan Bapak Sutrisno soal bansos", category="sosial")
    _submit(world, world.desa_b, title="Jalan berlubang dekat pasar", category="infrastruktur")
    html = login(world.users["dprd"]).get("/aspirasi/ringkasan").get_data(as_text=True)
    assert 'data-testid="total">2<' in html and "Sosial/bansos" in html and "Genteng" in html
    assert "Sutrisno" not in html and "berlubang" not in html and "ASP-" not in html


def test_inbox_filters_and_overdue(world, login):
    from datetime import date

    old = _submit(world, submitted_on=date(2026, 1, 5), title="Aspirasi lama belum diverifikasi")
    new = _submit(world, world.desa_b, urgency="darurat", title="Banjir merendam rumah warga")
    client = login(world.users["planner"])
    html = client.get("/aspirasi?terlambat=1").get_data(as_text=True)
    assert old.reference in html and new.reference not in html and 'data-testid="overdue"' in html
    html = client.get("/aspirasi?urgensi=darurat").get_data(as_text=True)
    assert new.reference in html and old.reference not in html
    html = client.get("/aspirasi?kecamatan=35.10.16").get_data(as_text=True)
    assert new.reference in html and old.reference not in html


def test_bulk_verify_then_dispatch_and_all_or_nothing(world, login):
    a, b = _submit(world), _submit(world, world.desa_b, title="Sumur warga kering")
    client = login(world.users["planner"])
    client.post("/aspirasi/massal", data={"ref": [a.reference, b.reference], "action": "verify"})
    db.session.expire_all()
    assert {x.status for x in db.session.scalars(select(Aspiration))} == {"diverifikasi"}
    c = _submit(world, title="Aspirasi baru yang belum diverifikasi")
    response = client.post("/aspirasi/massal", data={"ref": [a.reference, c.reference], "action": "dispatch",
                                                     "opd": "kesehatan"}, follow_redirects=True)
    assert "Tidak ada yang diubah" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Aspiration, a.id).status == "diverifikasi"
    client.post("/aspirasi/massal", data={"ref": [a.reference, b.reference], "action": "dispatch",
                                          "opd": "kesehatan"})
    db.session.expire_all()
    assert {db.session.get(Aspiration, x.id).opd_sector for x in (a, b)} == {"kesehatan"}


def test_web_transition_with_a_stale_form_shows_a_conflict(world, login):
    item = _submit(world)
    first, second = login(world.users["planner"]), login(world.users["admin"])
    assert first.post(f"/aspirasi/{item.reference}/status",
                      data={"to": "diverifikasi", "version": "1"}).status_code == 302
    response = second.post(f"/aspirasi/{item.reference}/status",
                           data={"to": "ditolak", "note": "Duplikat", "version": "1"})
    assert response.status_code == 409 and "baru saja diubah" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Aspiration, item.id).status == "diverifikasi"


def test_comment_and_history(world, login):
    item = _submit(world)
    client = login(world.users["camat"])
    client.post(f"/aspirasi/{item.reference}/komentar", data={"body": "Mohon segera ditindaklanjuti."})
    html = client.get(f"/aspirasi/{item.reference}").get_data(as_text=True)
    assert "Mohon segera ditindaklanjuti." in html and "Komentar" in html


def test_anonymous_hides_the_submitter_except_for_admins(world, login):
    item = _submit(world, actor=world.users["kepala_desa"], anonymous=True)
    name = world.users["kepala_desa"].full_name
    assert name not in login(world.users["planner"]).get(f"/aspirasi/{item.reference}").get_data(as_text=True)
    assert name in login(world.users["admin"]).get(f"/aspirasi/{item.reference}").get_data(as_text=True)


# --- API -------------------------------------------------------------------------------------------------------

def test_api_submit_list_get_and_transition(world, client, token):
    kades = token(world.users["kepala_desa"])
    body = {"village_code": world.desa_a.code, "category": "adminduk", "title": "Aktivasi IKD untuk perangkat desa",
            "description": "Perangkat desa perlu aktivasi IKD sebelum akhir tahun.", "urgency": "sedang",
            "affected": 25, "services": [{"code": "aktivasi_ikd", "count": 25}]}
    created = client.post("/api/v1/aspirations", json=body, headers=kades)
    assert created.status_code == 201
    payload = created.get_json()
    assert set(payload) == {"id", "reference", "status"} and payload["status"] == "diajukan"
    listing = client.get(f"/api/v1/aspirations?village={world.desa_a.code}&status=diajukan", headers=kades)
    assert [i["id"] for i in listing.get_json()["items"]] == [payload["id"]]
    detail = client.get(f"/api/v1/aspirations/{payload['id']}", headers=kades).get_json()
    assert detail["services"] == [{"code": "aktivasi_ikd", "count": 25}]
    planner = token(world.users["planner"])
    url = f"/api/v1/aspirations/{payload['id']}/transitions"
    assert client.post(url, json={"to": "diverifikasi"}, headers=planner).get_json()["status"] == "diverifikasi"
    response = client.post(url, json={"to": "didisposisikan", "opd": "adminduk"}, headers=planner)
    assert response.status_code == 200 and response.get_json()["opd"] == "adminduk"
    opd = token(world.users["opd"])
    done = client.post(url, json={"to": "menunggu_verifikasi", "note": "Sudah diaktivasi 25 orang."}, headers=opd)
    assert done.status_code == 200
    illegal = client.post(url, json={"to": "diajukan"}, headers=planner)
    assert illegal.status_code == 422 and "tidak dapat diubah" in illegal.get_json()["message"]
    closed = client.post(url, json={"to": "selesai", "note": "Dicek."}, headers=planner)
    assert closed.get_json()["status"] == "selesai"


def test_api_kepala_desa_for_another_desa_gets_403(world, client, token):
    body = {"village_code": world.desa_b.code, "category": "adminduk", "title": "Perekaman KTP-el",
            "description": "Warga butuh perekaman KTP-el segera.", "urgency": "sedang"}
    response = client.post("/api/v1/aspirations", json=body, headers=token(world.users["kepala_desa"]))
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Aspiration.id))) == 0


@pytest.mark.parametrize("body, fields", [
    ({}, {"village_code", "category", "title", "description", "urgency"}),
    ({"village_code": "35.10.09.2001", "category": "x", "title": "Judul cukup", "description": "Uraian yang cukup.",
      "urgency": "sedang"}, {"category"}),
    ({"village_code": "35.10.09.2001", "category": "adminduk", "title": "Judul cukup",
      "description": "Uraian yang cukup.", "urgency": "sedang", "affected": "banyak"}, {"affected"}),
    ({"village_code": "35.10.09.2001", "category": "adminduk", "title": "Judul cukup",
      "description": "Uraian yang cukup.", "urgency": "sedang", "services": [{"code": "ktp", "count": 1}]},
     {"services"}),
])
def test_api_invalid_fields_get_422_with_indonesian_messages_per_field(world, client, token, body, fields):
    response = client.post("/api/v1/aspirations", json=body, headers=token(world.users["kepala_desa"]))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == fields


def test_api_stale_version_gets_409(world, client, token):
    item = _submit(world)
    headers = token(world.users["planner"])
    url = f"/api/v1/aspirations/{item.reference}/transitions"
    assert client.post(url, json={"to": "diverifikasi", "version": 1}, headers=headers).status_code == 200
    assert client.post(url, json={"to": "ditolak", "note": "x", "version": 1}, headers=headers).status_code == 409
