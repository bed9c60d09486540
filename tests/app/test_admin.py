"""User administration: role/scope consistency, validation messages, and immediate effect on sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.core.audit import AuditLog
from app.extensions import db

GOOD = {"full_name": "Siti Aminah", "email": "siti@example.go.id", "phone": "0812 3456 7890",
        "password": "kalimat sandi yang cukup panjang", "active": "y"}


def _create(client, **fields):
    return client.post("/admin/pengguna/baru", data={**GOOD, **fields})


def test_admin_creates_a_kepala_desa_scoped_to_a_desa(world, login):
    client = login(world.users["admin"])
    response = _create(client, username="kades.baru", role="kepala_desa", desa_code=world.desa_a2.code)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "kades.baru"))
    assert user.desa_id == world.desa_a2.id and user.kecamatan_id is None and user.phone == "+6281234567890"
    assert user.password_hash.startswith("scrypt:")
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "user_created"))
    assert audit.after["username"] == "kades.baru" and "password" not in str(audit.after)


@pytest.mark.parametrize("fields, message", [
    ({"username": "kades.x", "role": "kepala_desa", "desa_code": ""}, "Kepala desa harus dikaitkan"),
    ({"username": "kades.x", "role": "kepala_desa", "desa_code": "35.09.01.2001"}, "Kepala desa harus dikaitkan"),
    ({"username": "camat.x", "role": "camat", "kecamatan_code": "35.10.99"}, "Camat harus dikaitkan"),
    ({"username": "opd.x", "role": "opd", "sector": ""}, "Petugas OPD harus memiliki sektor"),
    ({"username": "Bad Name!", "role": "dprd"}, "Nama pengguna 3–80 karakter"),
    ({"username": "dprd", "role": "dprd"}, "sudah dipakai"),
    ({"username": "dprd.x", "role": "dprd", "password": "pendek"}, "minimal 8"),
    ({"username": "dprd.x", "role": "dprd", "email": "bukan-surel"}, "tidak valid"),
    ({"username": "dprd.x", "role": "dprd", "phone": "12345"}, "Nomor WhatsApp"),
])
def test_invalid_users_are_refused_with_a_clear_message_and_nothing_is_saved(world, login, fields, message):
    client = login(world.users["admin"])
    before = db.session.scalar(select(db.func.count(User.id)))
    response = _create(client, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(User.id))) == before


def test_role_change_takes_effect_immediately_for_a_signed_in_user(world, login):
    planner = login(world.users["planner"])
    assert planner.get("/desa/impor").status_code == 200
    admin = login(world.users["admin"])
    target = world.users["planner"]
    response = admin.post(f"/admin/pengguna/{target.id}", data={**GOOD, "role": "dprd", "password": ""})
    assert response.status_code == 302
    assert planner.get("/desa/impor").status_code == 302  # session ended; signing in again gives the new role


def test_admin_cannot_demote_or_deactivate_themselves(world, login):
    admin_user = world.users["admin"]
    client = login(admin_user)
    response = client.post(f"/admin/pengguna/{admin_user.id}", data={**GOOD, "role": "dprd", "password": ""})
    assert response.status_code == 422 and "akun Anda sendiri" in response.get_data(as_text=True)


def test_another_regencys_user_is_not_found(world, login):
    from tests.factories import create_user

    stranger = create_user("dprd", world.other_regency, "dprd.jember")
    db.session.commit()
    assert login(world.users["admin"]).get(f"/admin/pengguna/{stranger.id}").status_code == 404


def test_user_list_filters_by_role(world, login):
    html = login(world.users["admin"]).get("/admin/pengguna?peran=camat").get_data(as_text=True)
    assert "camat.a" in html and "kades.a" not in html
