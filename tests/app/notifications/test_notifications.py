"""Notifications with real components on loopback: an aiosmtpd SMTP server receives the e-mail, a local
http.server plays the WhatsApp gateway (200, 500, too slow). Every test runs ten minutes before DAYTIME (the `clock`
fixture), so what it creates is due at `deliver_due(DAYTIME)` on whatever day the suite runs."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.smtp import SMTP
from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.extensions import db
from app.notifications import services
from app.notifications.models import Notification, NotificationPreference, OutboxMessage
from tests.conftest import database_url_for_tests

DAYTIME = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10.00 WIB
NIK = "3510090101900001"


@pytest.fixture(autouse=True)
def _before_daytime(clock):
    clock.set(DAYTIME - timedelta(minutes=10), tick=True)


# Real servers on loopback -----------------------------------------------------------------------------------------

class SmtpServer:
    """aiosmtpd on 127.0.0.1, port chosen by the OS, in its own event-loop thread; keeps every envelope."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def start(self) -> SmtpServer:
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(
            self.loop.create_server(lambda: SMTP(self, loop=self.loop), host="127.0.0.1", port=0), self.loop)
        self.server = future.result(timeout=5)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


class Gateway:
    """A WhatsApp gateway on 127.0.0.1: answers each POST with the next status of `script` (then the last one);
    a status of "sleep" sleeps past the client's timeout before answering 200."""

    def __init__(self, script: list) -> None:
        self.script = list(script)
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.requests.append({"body": body, "authorization": self.headers.get("Authorization"),
                                         "key": self.headers.get("Idempotency-Key")})
                action = gateway.script.pop(0) if len(gateway.script) > 1 else gateway.script[0]
                if action == "sleep":
                    time.sleep(1.0)
                    action = 200
                payload = json.dumps({"ok": action == 200}).encode()
                try:
                    self.send_response(action)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (timeout)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Gateway:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp_server(app, monkeypatch):
    server = SmtpServer().start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "Bunga Desa <bunga@banyuwangikab.go.id>")
    monkeypatch.setitem(app.config, "BASE_URL", "https://bungadesa.example")
    yield server
    server.stop()


@pytest.fixture
def gateway(app, monkeypatch):
    started: list[Gateway] = []

    def _start(*script) -> Gateway:
        gw = Gateway(list(script) or [200]).start()
        started.append(gw)
        monkeypatch.setitem(app.config, "WA_GATEWAY_URL", gw.url)
        monkeypatch.setitem(app.config, "WA_TOKEN", "rahasia-gateway")
        monkeypatch.setitem(app.config, "WA_TIMEOUT_S", 0.3)
        return gw

    yield _start
    for gw in started:
        gw.stop()


@pytest.fixture
def kades(world):
    user = world.users["kepala_desa"]
    user.email, user.phone = "kades.kembiritan@desa.example", "+6281234567890"
    db.session.commit()
    return user


def _whatsapp_only(user) -> None:
    db.session.add(NotificationPreference(user_id=user.id, email=False, whatsapp=True))
    db.session.commit()


def _reminder(user, key: str = "visit_reminder_7d:visit:1", **kw) -> bool:
    created = services.notify(user, kind="visit_reminder_7d", title="Kunjungan Bupati ke Desa Kembiritan",
                              body="Bupati akan berkantor di Desa Kembiritan pada 8 Desember 2026.", key=key,
                              url="/kunjungan/1", **kw)
    db.session.commit()  # the caller's unit of work
    return created


def _outbox(user) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id)
                                   .order_by(OutboxMessage.id)))


# notify -----------------------------------------------------------------------------------------------------------

def test_notify_is_idempotent_by_key(kades):
    db.session.add(NotificationPreference(user_id=kades.id, email=True, whatsapp=True))
    db.session.commit()
    assert _reminder(kades) is True
    assert _reminder(kades) is False  # a retried job
    assert db.session.scalar(select(func.count(Notification.id))) == 1
    assert sorted(m.channel for m in _outbox(kades)) == ["email", "whatsapp"]
    prefix = f"u{kades.id}:visit_reminder_7d:visit:1"
    assert {m.idempotency_key for m in _outbox(kades)} == {f"{prefix}:email", f"{prefix}:whatsapp"}
    assert all(m.status == "pending" and m.attempts == 0 for m in _outbox(kades))


def test_one_event_key_serves_every_recipient(world, kades):
    assert _reminder(kades) is True
    assert _reminder(world.users["camat"]) is True  # same event, another recipient
    assert _reminder(world.users["camat"]) is False
    assert db.session.scalar(select(func.count(Notification.id))) == 2


@pytest.mark.skipif(not database_url_for_tests().startswith("postgresql"),
                    reason="concurrent writers need PostgreSQL (BUNGA_TEST_DATABASE_URL)")
def test_two_jobs_notifying_at_once_create_one_notification(app, kades):
    """Job A has notified but not committed; job B notifies with the same key and waits on the unique index, then
    gets False once A commits (a savepoint undoes only B's rows)."""
    user_id, outcome = kades.id, {}
    assert _reminder_uncommitted(kades) is True

    def job_b():
        with app.app_context():
            outcome["b"] = services.notify(db.session.get(type(kades), user_id), kind="visit_reminder_7d",
                                           title="t", body="b", key="visit_reminder_7d:visit:1")
            db.session.commit()

    thread = threading.Thread(target=job_b)
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive()  # B waits for A's transaction
    db.session.commit()
    thread.join(timeout=10)
    assert outcome == {"b": False}
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Notification.id))) == 1
    assert len(_outbox(kades)) == 1


def _reminder_uncommitted(user) -> bool:
    return services.notify(user, kind="visit_reminder_7d", title="Kunjungan Bupati ke Desa Kembiritan",
                           body="Bupati akan berkantor di Desa Kembiritan.", key="visit_reminder_7d:visit:1")


def test_notify_only_flushes_so_the_callers_rollback_undoes_it(kades):
    assert services.notify(kades, kind="report_ready", title="Laporan siap", body="Laporan bulanan siap.",
                           key="report_ready:2026-11") is True
    db.session.rollback()
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert _outbox(kades) == []


def test_channels_follow_preferences_and_contact_details(world, kades):
    # default preferences: e-mail only; a user without an address gets the in-app notification alone
    _reminder(kades, key="a")
    assert [m.channel for m in _outbox(kades)] == ["email"]
    dprd = world.users["dprd"]
    assert dprd.email is None
    _reminder(dprd, key="b")
    assert _outbox(dprd) == []
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == dprd.id)) == 1
    # WhatsApp on but no phone: nothing over WhatsApp
    camat = world.users["camat"]
    db.session.add(NotificationPreference(user_id=camat.id, email=True, whatsapp=True))
    db.session.commit()
    _reminder(camat, key="c")
    assert _outbox(camat) == []


def test_niks_never_reach_notifications_or_messages(kades, smtp_server):
    services.notify(kades, kind="service_record", title=f"Data {NIK}", body=f"NIK {NIK} sudah direkam.",
                    key="nik", payload={"nik": NIK})
    db.session.commit()
    row = db.session.scalar(select(Notification))
    assert NIK not in row.title + row.body
    assert NIK not in json.dumps(_outbox(kades)[0].payload)
    services.deliver_due(DAYTIME)
    assert NIK not in smtp_server.envelopes[0].content.decode()


def test_bad_keys_are_a_programming_error(kades):
    with pytest.raises(ValueError):
        services.notify(kades, kind="x", title="t", body="b", key="")
    with pytest.raises(ValueError):
        services.notify(kades, kind="x", title="t", body="b", key="k" * 181)


# E-mail over a real SMTP server -----------------------------------------------------------------------------------

def test_email_is_delivered_in_indonesian_to_a_real_smtp_server(kades, smtp_server):
    _reminder(kades)
    report = services.deliver_due(DAYTIME)
    assert report.as_dict() == {"sent": 1, "retried": 0, "dead": 0, "deferred": 0}
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["kades.kembiritan@desa.example"]
    assert envelope.mail_from == "bunga@banyuwangikab.go.id"
    mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert mail["Subject"] == "[Bunga Desa] Kunjungan Bupati ke Desa Kembiritan"
    assert "kades.kembiritan@desa.example" in mail["To"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Yth. Uji kepala_desa" in text
    assert "Bupati akan berkantor di Desa Kembiritan pada 8 Desember 2026." in text
    assert "https://bungadesa.example/kunjungan/1" in text
    assert "Mohon tidak membalas surel ini" in text
    assert "<h1" in html and "Kunjungan Bupati ke Desa Kembiritan" in html
    assert 'href="https://bungadesa.example/kunjungan/1"' in html
    [message] = _outbox(kades)
    assert message.status == "sent" and message.sent_at is not None and message.attempts == 1
    # a later pass and a retried job send nothing more
    assert services.deliver_due(DAYTIME + timedelta(hours=1)).as_dict()["sent"] == 0
    assert _reminder(kades) is False
    services.deliver_due(DAYTIME + timedelta(hours=2))
    assert len(smtp_server.envelopes) == 1


def test_missing_smtp_configuration_is_a_clear_failure_not_a_crash(app, kades, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    _reminder(kades)
    report = services.deliver_due(DAYTIME)
    assert report.retried and not report.sent
    [message] = _outbox(kades)
    assert message.status == "pending" and message.attempts == 1
    assert "BUNGA_SMTP_HOST" in message.last_error


# WhatsApp through a local HTTP gateway ----------------------------------------------------------------------------

def test_whatsapp_200_is_sent_once_with_the_token(kades, gateway):
    _whatsapp_only(kades)
    gw = gateway(200)
    _reminder(kades)
    assert services.deliver_due(DAYTIME).as_dict()["sent"] == 1
    assert len(gw.requests) == 1
    request = gw.requests[0]
    assert request["authorization"] == "Bearer rahasia-gateway"
    assert request["body"]["to"] == "+6281234567890"
    assert "*Bunga Desa* – Kunjungan Bupati ke Desa Kembiritan" in request["body"]["message"]
    assert "8 Desember 2026" in request["body"]["message"]
    assert request["key"] == f"u{kades.id}:visit_reminder_7d:visit:1:whatsapp"
    services.deliver_due(DAYTIME + timedelta(days=1))
    assert len(gw.requests) == 1
    assert _outbox(kades)[0].status == "sent"


def test_whatsapp_500_retries_with_exponential_backoff_then_dead_letter(app, kades, gateway, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 4)
    _whatsapp_only(kades)
    gw = gateway(500)
    _reminder(kades)
    t0 = DAYTIME
    assert services.deliver_due(t0).retried
    [message] = _outbox(kades)
    assert message.attempts == 1 and "HTTP 500" in message.last_error
    waits = []
    now = t0
    for attempt in (2, 3, 4):
        due = message.next_attempt_at.replace(tzinfo=UTC)
        waits.append(due - now)
        assert services.deliver_due(due - timedelta(seconds=1)).as_dict() == {"sent": 0, "retried": 0, "dead": 0,
                                                                              "deferred": 0}  # not yet due
        report = services.deliver_due(due)
        now = due
        [message] = _outbox(kades)
        assert message.attempts == attempt
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert report.dead == [message.id]
    assert message.status == "dead" and message.sent_at is None
    services.deliver_due(now + timedelta(days=1))
    assert len(gw.requests) == 4  # one request per attempt, never more


def test_whatsapp_timeout_is_retried_then_dead(app, kades, gateway, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 2)
    _whatsapp_only(kades)
    gw = gateway("sleep")
    _reminder(kades)
    started = time.monotonic()
    assert services.deliver_due(DAYTIME).retried
    assert time.monotonic() - started < 0.9  # gave up after the configured 0.3 s, not after the gateway's 1 s
    assert "batas waktu" in _outbox(kades)[0].last_error
    assert services.deliver_due(DAYTIME + timedelta(minutes=1)).dead
    [message] = _outbox(kades)
    assert message.status == "dead" and message.attempts == 2 and message.sent_at is None
    assert len(gw.requests) == 2


def test_a_failure_then_success_sends_exactly_once(kades, gateway):
    _whatsapp_only(kades)
    gw = gateway(500, 200)
    _reminder(kades)
    services.deliver_due(DAYTIME)
    services.deliver_due(DAYTIME + timedelta(minutes=1))
    services.deliver_due(DAYTIME + timedelta(hours=1))
    assert [r["body"]["to"] for r in gw.requests] == ["+6281234567890"] * 2
    [message] = _outbox(kades)
    assert message.status == "sent" and message.attempts == 2 and message.last_error is None


def test_missing_gateway_configuration_is_a_clear_failure(app, kades, monkeypatch):
    monkeypatch.setitem(app.config, "WA_GATEWAY_URL", "")
    _whatsapp_only(kades)
    _reminder(kades)
    assert services.deliver_due(DAYTIME).retried
    assert "BUNGA_WA_GATEWAY_URL" in _outbox(kades)[0].last_error


def test_a_message_claimed_by_a_worker_that_died_is_retried_after_the_lease_only(kades, gateway):
    """Another worker claimed the message (attempt counted, lease set) and died before recording the outcome."""
    _whatsapp_only(kades)
    gw = gateway(200)
    _reminder(kades)
    [message] = _outbox(kades)
    assert services._claim(message.id, DAYTIME) is not None
    assert services._claim(message.id, DAYTIME) is None  # a second worker cannot take it too
    assert services.deliver_due(DAYTIME + timedelta(minutes=1)).as_dict()["sent"] == 0
    assert gw.requests == []
    report = services.deliver_due(DAYTIME + services.CLAIM_LEASE)
    assert report.sent == [message.id] and len(gw.requests) == 1
    assert _outbox(kades)[0].attempts == 2


def test_inactive_recipients_get_nothing_sent(kades, gateway):
    _whatsapp_only(kades)
    gw = gateway(200)
    _reminder(kades)
    kades.active = False
    db.session.commit()
    assert services.deliver_due(DAYTIME).retried
    assert gw.requests == [] and "tidak aktif" in _outbox(kades)[0].last_error


# Quiet hours ------------------------------------------------------------------------------------------------------

def test_quiet_hours_defer_delivery_to_their_end(kades, gateway):
    _whatsapp_only(kades)
    gw = gateway(200)
    _reminder(kades)
    evening = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 22.00 WIB, default quiet hours 21.00–06.00
    report = services.deliver_due(evening)
    assert report.deferred and not report.sent
    [message] = _outbox(kades)
    assert message.next_attempt_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # 06.00 WIB
    assert message.attempts == 0 and gw.requests == []
    assert services.unread_count(kades) == 1  # in-app is never held back
    assert services.deliver_due(datetime(2026, 12, 1, 22, 59, tzinfo=UTC)).as_dict()["sent"] == 0
    assert services.deliver_due(datetime(2026, 12, 1, 23, 0, tzinfo=UTC)).as_dict()["sent"] == 1
    assert len(gw.requests) == 1


def test_quiet_hours_rules():
    prefs = services.Preferences()
    wib = lambda h, m=0: datetime(2026, 12, 1, h, m, tzinfo=services.LOCAL_TZ)  # noqa: E731
    assert services.in_quiet_hours(prefs, wib(21)) and services.in_quiet_hours(prefs, wib(5, 59))
    assert not services.in_quiet_hours(prefs, wib(6)) and not services.in_quiet_hours(prefs, wib(20, 59))
    assert services.quiet_hours_end(prefs, wib(2)) == wib(6)
    assert services.quiet_hours_end(prefs, wib(23)) == wib(6) + timedelta(days=1)
    lunch = services.Preferences(quiet_start_min=12 * 60, quiet_end_min=13 * 60)
    assert services.in_quiet_hours(lunch, wib(12, 30)) and not services.in_quiet_hours(lunch, wib(13))
    assert not services.in_quiet_hours(services.Preferences(quiet_start_min=0, quiet_end_min=0), wib(3))


# Web: bell, list, preferences -------------------------------------------------------------------------------------

def test_bell_shows_the_unread_count_and_the_list_marks_read(world, kades, login):
    _reminder(kades, key="k1")
    services.notify(kades, kind="aspiration_overdue", title="Aspirasi terlambat", body="Segera tindak lanjuti.",
                    key="k2", url="/aspirasi")
    services.notify(world.users["camat"], kind="report_ready", title="Milik camat", body="x", key="k3")
    db.session.commit()
    client = login(kades)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="bell"' in page and '<span class="badge">2</span>' in page
    listing = client.get("/notifikasi").get_data(as_text=True)
    assert listing.index("Aspirasi terlambat") < listing.index("Kunjungan Bupati ke Desa Kembiritan")  # newest first
    assert "Milik camat" not in listing
    assert 'name="csrf_token"' in listing
    own = {n.key.split(":", 1)[1]: n.id for n in db.session.scalars(select(Notification))}
    response = client.post(f"/notifikasi/{own['k2']}/baca", data={"buka": "1"})
    assert response.status_code == 302 and response.location == "/aspirasi"
    assert services.unread_count(kades) == 1
    assert '<span class="badge">1</span>' in client.get("/notifikasi").get_data(as_text=True)
    assert client.post(f"/notifikasi/{own['k3']}/baca").status_code == 404  # the camat's
    assert client.post("/notifikasi/baca-semua").status_code == 302
    assert services.unread_count(kades) == 0
    page = client.get("/notifikasi").get_data(as_text=True)
    assert "Semua notifikasi sudah dibaca." in page and 'class="badge"' not in page


def test_marking_read_needs_the_csrf_token(kades):
    """With CSRF on (as in production): the list's forms carry the token; a POST without it is refused."""
    import re

    from tests.conftest import make_app
    from tests.factories import PASSWORD

    _reminder(kades)
    client = make_app(WTF_CSRF_ENABLED=True).test_client()  # requests get their own contexts, as in production
    page = client.get("/masuk").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/masuk", data={"username": kades.username, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    listing = client.get("/notifikasi").get_data(as_text=True)
    assert client.post("/notifikasi/baca-semua").status_code == 400
    notification_id = db.session.scalar(select(Notification.id))
    assert client.post(f"/notifikasi/{notification_id}/baca").status_code == 400
    assert services.unread_count(kades) == 1
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
    assert client.post(f"/notifikasi/{notification_id}/baca",
                       data={"csrf_token": form_token}).status_code == 302
    db.session.expire_all()
    assert services.unread_count(kades) == 0


def test_preferences_page_validates_in_indonesian_and_saves(kades, login, world):
    client = login(kades)
    page = client.get("/notifikasi/preferensi").get_data(as_text=True)
    assert 'value="21:00"' in page and 'value="06:00"' in page
    bad = client.post("/notifikasi/preferensi", data={"email": "y", "quiet_start": "25:00", "quiet_end": "6"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Jam mulai waktu tenang harus berformat JJ:MM" in text and "Jam selesai waktu tenang" in text
    ok = client.post("/notifikasi/preferensi", data={"whatsapp": "y", "quiet_start": "22.30",
                                                     "quiet_end": "05:00"})
    assert ok.status_code == 302 and ok.location.endswith("/notifikasi/preferensi")
    db.session.expire_all()
    prefs = services.preferences_for(kades)
    assert (prefs.email, prefs.whatsapp, prefs.quiet_start_min, prefs.quiet_end_min) == (False, True, 1350, 300)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "notification_preferences.update"))
    assert 'value="22:30"' in client.get("/notifikasi/preferensi").get_data(as_text=True)
    # WhatsApp without a phone number is refused
    dprd = login(world.users["dprd"])
    refused = dprd.post("/notifikasi/preferensi", data={"whatsapp": "y", "quiet_start": "21:00",
                                                        "quiet_end": "06:00"})
    assert refused.status_code == 422 and "Nomor WhatsApp Anda belum terdaftar" in refused.get_data(as_text=True)


def test_pages_in_english(kades, login):
    client = login(kades)
    client.get("/bahasa/en")
    assert "Notifications" in client.get("/notifikasi").get_data(as_text=True)
    assert "Quiet hours" in client.get("/notifikasi/preferensi").get_data(as_text=True)


# API --------------------------------------------------------------------------------------------------------------

def test_api_lists_own_notifications_and_marks_one_read(world, kades, client, token):
    _reminder(kades, key="k1")
    services.notify(world.users["camat"], kind="report_ready", title="Milik camat", body="x", key="k2")
    db.session.commit()
    headers = token(kades)
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert body["unread"] == 1
    [item] = body["items"]
    assert set(item) == {"id", "kind", "title", "body", "url", "created_at", "read"}
    assert item["kind"] == "visit_reminder_7d" and item["read"] is False and item["url"] == "/kunjungan/1"
    datetime.fromisoformat(item["created_at"])
    marked = client.post(f"/api/v1/notifications/{item['id']}/read", headers=headers)
    assert marked.status_code == 200 and marked.get_json()["read"] is True
    assert client.get("/api/v1/notifications", headers=headers).get_json()["unread"] == 0
    camat_id = db.session.scalar(select(Notification.id).where(Notification.user_id == world.users["camat"].id))
    other = client.post(f"/api/v1/notifications/{camat_id}/read", headers=headers)
    assert other.status_code == 404 and other.get_json()["message"] == "Notifikasi tidak ditemukan."
