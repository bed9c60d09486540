"""Sign-in, lockout, rate limits and session handling (ASVS 6.3, 7.2–7.4, 3.3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.auth.passwords import password_problem
from app.core.audit import AuditLog
from app.core.clock import utcnow
from app.extensions import db
from tests.conftest import make_app
from tests.factories import PASSWORD


def _post_login(client, username, password=PASSWORD, **kw):
    return client.post("/masuk", data={"username": username, "password": password}, **kw)


def test_login_then_dashboard_then_logout(world, client):
    response = _post_login(client, "kades.a")
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Kabupaten Banyuwangi" in page and "Kepala Desa" in page
    assert client.post("/keluar").status_code == 302
    assert client.get("/").status_code == 302
    assert db.session.scalar(select(User.last_login_at).where(User.username == "kades.a")) is not None


def test_unknown_user_and_wrong_password_look_the_same(world, client):
    unknown = _post_login(client, "tidak.ada", "salah-sekali-123")
    wrong = _post_login(client, "kades.a", "salah-sekali-123")
    assert unknown.status_code == wrong.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in unknown.get_data(as_text=True)
    assert unknown.get_data(as_text=True).replace("tidak.ada", "kades.a") == wrong.get_data(as_text=True)


def test_five_failures_lock_the_account_even_for_the_right_password(world, client):
    for _ in range(5):
        _post_login(client, "kades.a", "salah-sekali-123")
    response = _post_login(client, "kades.a")
    assert response.status_code == 429
    assert "dikunci sementara" in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "kades.a"))
    user.locked_until = utcnow() - timedelta(seconds=1)  # lockout expired
    db.session.commit()
    assert _post_login(client, "kades.a").status_code == 302


def test_too_many_failures_from_one_address_are_refused_for_every_username(world, web_app):
    web_app.config["LOGIN_IP_LIMIT"] = 6
    try:
        client = web_app.test_client()
        for i in range(6):
            _post_login(client, f"orang{i}", "salah-sekali-123")
        assert _post_login(client, "dprd").status_code == 429
        other = web_app.test_client()
        assert _post_login(other, "dprd", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 302
    finally:
        web_app.config["LOGIN_IP_LIMIT"] = 20


def test_inactive_user_cannot_log_in(world, client):
    world.users["dprd"].active = False
    db.session.commit()
    assert _post_login(client, "dprd").status_code == 200
    assert client.get("/").status_code == 302


def test_session_cookie_replayed_after_logout_is_anonymous(world, login, web_app):
    client = login(world.users["planner"])
    cookie = client.get_cookie("bunga_session").value
    client.post("/keluar")
    thief = web_app.test_client()
    thief.set_cookie("bunga_session", cookie)
    assert thief.get("/").status_code == 302


def test_a_new_session_is_issued_at_login(world, client):
    client.get("/masuk")
    before = client.get_cookie("bunga_session")
    _post_login(client, "dprd")
    after = client.get_cookie("bunga_session")
    assert after is not None and (before is None or before.value != after.value)


def test_deactivating_a_signed_in_user_ends_their_session_at_the_next_request(world, login):
    client = login(world.users["camat"])
    assert client.get("/").status_code == 200
    world.users["camat"].active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_idle_session_expires(world, login):
    client = login(world.users["dprd"])
    with client.session_transaction() as sess:
        sess["last_seen"] = (utcnow() - timedelta(minutes=31)).isoformat()
    response = client.get("/desa")
    assert response.status_code == 302 and "expired=1" in response.location
    assert client.get("/").status_code == 302


def test_next_parameter_cannot_redirect_off_site(world, client):
    response = client.post("/masuk?next=https://evil.example/", data={"username": "dprd", "password": PASSWORD})
    assert response.location == "/"
    client.post("/keluar")
    response = client.post("/masuk?next=/desa", data={"username": "dprd", "password": PASSWORD})
    assert response.location == "/desa"


def test_login_is_audited_and_the_password_never_is(world, client):
    _post_login(client, "dprd", "salah-sekali-123")
    _post_login(client, "dprd")
    rows = list(db.session.scalars(select(AuditLog).order_by(AuditLog.id)))
    assert [r.action for r in rows][-2:] == ["login_failed", "login"]
    assert all("salah-sekali" not in str(r.after) for r in rows)


def test_password_change_requires_the_current_one_and_ends_other_sessions(world, login, web_app):
    user = world.users["opd"]
    first = login(user)
    second = login(user, web_app.test_client())
    bad = second.post("/akun", data={"current": "keliru-sekali-1", "new": "kalimat sandi baru yang panjang",
                                     "confirm": "kalimat sandi baru yang panjang"})
    assert "Kata sandi saat ini salah." in bad.get_data(as_text=True)
    ok = second.post("/akun", data={"current": PASSWORD, "new": "kalimat sandi baru yang panjang",
                                    "confirm": "kalimat sandi baru yang panjang"})
    assert ok.status_code == 302
    assert second.get("/akun").status_code == 200  # this session continues
    assert first.get("/").status_code == 302  # the other one ended


@pytest.mark.parametrize("password, fragment", [
    ("pendek1", "minimal 8"),
    ("password1", "terlalu umum"),
    ("banyuwangi2024", "terlalu umum"),
    ("pemkab-genteng", "nama daerah"),
    ("opd.adminduk-rahasia", "nama pengguna"),
])
def test_weak_passwords_are_refused_with_a_reason(password, fragment):
    assert fragment in password_problem(password, username="opd.adminduk")


def test_a_long_passphrase_is_accepted():
    assert password_problem("x" * 64) is None
    assert password_problem("kopi pagi di genteng kulon tiap senin") is None


def test_production_cookies_are_secure_httponly_samesite_and_host_prefixed(world):
    app = make_app(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-bunga")
    with app.app_context():
        client = app.test_client()
        response = client.post("/masuk", data={"username": "dprd", "password": PASSWORD},
                               base_url="https://localhost")
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-bunga=")
        for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            assert flag in cookie


def test_security_headers_and_no_store_on_authenticated_pages(world, login):
    response = login(world.users["dprd"]).get("/desa")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_forms_without_csrf_token_are_refused_when_csrf_is_on(world):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        response = client.post("/masuk", data={"username": "dprd", "password": PASSWORD})
        assert response.status_code == 400
        page = client.get("/masuk").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post("/masuk", data={"username": "dprd", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
        assert client.post("/keluar").status_code == 400  # logout needs the token too


def test_errors_show_no_traceback(world, login):
    response = login(world.users["dprd"]).get("/desa/tidak-ada")
    text = response.get_data(as_text=True)
    assert response.status_code == 404 and "Traceback" not in text and "Halaman tidak ditemukan" in text
