"""Notifications: `notify` (called by jobs and services) and `deliver_due` (the outbox worker), plus preferences.

Delivery guarantees
-------------------
* `notify` is idempotent by `key`: the in-app notification and every outbox message carry unique keys derived from
  it, so a retried job that calls `notify` again with the same key creates nothing and gets False.
* `deliver_due` claims one message at a time with a conditional UPDATE (attempts and a short lease), commits the
  claim, sends, and commits the outcome. Two workers never send the same message; a worker killed between the send
  and the commit of "sent" is the only window in which a message can be sent again (after the lease expires).
* Failures count as attempts; the next attempt waits 1, 2, 4, 8 … minutes; after NOTIFY_MAX_ATTEMPTS the message is
  a dead letter (`status = "dead"`, `last_error` says why). A channel without configuration is such a failure.
* Quiet hours (WIB, per user) defer e-mail and WhatsApp to the end of the quiet period; in-app is never deferred.
* Anything shaped like a NIK (16 digits) is masked before it is stored in a notification or a message.
"""

from __future__ import annotations

import contextlib
import json
import re
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any

from flask import current_app
from jinja2 import TemplateNotFound
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.core.audit import record_audit
from app.core.clock import LOCAL_TZ, as_utc, utcnow
from app.core.errors import FieldErrors, NotFound
from app.core.pii import mask_niks_in_text
from app.core.services import unit_of_work
from app.extensions import db
from app.notifications.models import (
    DEFAULT_QUIET_END_MIN,
    DEFAULT_QUIET_START_MIN,
    Notification,
    NotificationPreference,
    OutboxMessage,
)

CLAIM_LEASE = timedelta(minutes=5)  # a claimed message is retried after this when its worker died mid-send
MAX_KEY_LENGTH = 180  # plus the user prefix, within the 200 characters of Notification.key


class DeliveryError(Exception):
    """A channel could not deliver one message; the text (Indonesian) is stored as `last_error`."""


@dataclass
class DeliveryReport:
    """What one `deliver_due` pass did (message ids per outcome)."""

    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)  # failed, another attempt is scheduled
    dead: list[int] = field(default_factory=list)  # failed for the last time
    deferred: list[int] = field(default_factory=list)  # quiet hours: moved to their end

    def as_dict(self) -> dict[str, int]:
        return {"sent": len(self.sent), "retried": len(self.retried), "dead": len(self.dead),
                "deferred": len(self.deferred)}


def mask_nik(value: Any) -> Any:
    """A copy with every NIK-shaped number masked (strings, lists and dicts, recursively; the shared pattern)."""
    if isinstance(value, str):
        return mask_niks_in_text(value)[0]
    if isinstance(value, dict):
        return {k: mask_nik(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_nik(v) for v in value]
    return value


# Preferences ------------------------------------------------------------------------------------------------------

@dataclass
class Preferences:
    """A user's effective preferences (the defaults while they never saved any)."""

    email: bool = True
    whatsapp: bool = False
    quiet_start_min: int = DEFAULT_QUIET_START_MIN
    quiet_end_min: int = DEFAULT_QUIET_END_MIN


def preferences_for(user: User) -> Preferences:
    row = db.session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    if row is None:
        return Preferences()
    return Preferences(email=bool(row.email), whatsapp=bool(row.whatsapp), quiet_start_min=row.quiet_start_min,
                       quiet_end_min=row.quiet_end_min)


def parse_clock(text: str | None) -> int | None:
    """"21:00" or "21.00" → minutes since midnight; None when it is not a time of day."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", text or "")
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@unit_of_work
def save_preferences(actor: User, *, email: bool, whatsapp: bool, quiet_start: str, quiet_end: str) -> Preferences:
    """Store the actor's own channels and quiet hours ("HH:MM" WIB; equal times switch quiet hours off).

    :raise FieldErrors: a time that is not HH:MM, or WhatsApp chosen without a phone number (422).
    """
    errors: dict[str, str] = {}
    start, end = parse_clock(quiet_start), parse_clock(quiet_end)
    if start is None:
        errors["quiet_start"] = "Jam mulai waktu tenang harus berformat JJ:MM, misalnya 21:00."
    if end is None:
        errors["quiet_end"] = "Jam selesai waktu tenang harus berformat JJ:MM, misalnya 06:00."
    if whatsapp and not (actor.phone or "").strip():
        errors["whatsapp"] = ("Nomor WhatsApp Anda belum terdaftar. Minta administrator mengisinya sebelum "
                              "mengaktifkan WhatsApp.")
    if errors:
        raise FieldErrors(errors)
    assert start is not None and end is not None
    row = db.session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == actor.id))
    before = preferences_for(actor)
    if row is None:
        row = NotificationPreference(user_id=actor.id)
        db.session.add(row)
    row.email, row.whatsapp, row.quiet_start_min, row.quiet_end_min = bool(email), bool(whatsapp), start, end
    after = Preferences(row.email, row.whatsapp, start, end)
    record_audit("notification_preferences.update", "user", actor.id, actor=actor, before=vars(before),
                 after=vars(after))
    return after


def in_quiet_hours(prefs: Preferences, now: datetime) -> bool:
    """True when `now` (any aware time) falls in the user's quiet hours in WIB; equal bounds mean none."""
    start, end = prefs.quiet_start_min, prefs.quiet_end_min
    if start == end:
        return False
    local = as_utc(now).astimezone(LOCAL_TZ)  # type: ignore[union-attr]
    minute = local.hour * 60 + local.minute
    return start <= minute < end if start < end else (minute >= start or minute < end)


def quiet_hours_end(prefs: Preferences, now: datetime) -> datetime:
    """The next end of the quiet period after `now`, in UTC."""
    local = as_utc(now).astimezone(LOCAL_TZ)  # type: ignore[union-attr]
    end = local.replace(hour=prefs.quiet_end_min // 60, minute=prefs.quiet_end_min % 60, second=0, microsecond=0)
    if end <= local:
        end = datetime.combine(end.date() + timedelta(days=1), time(end.hour, end.minute), tzinfo=LOCAL_TZ)
    return end.astimezone(as_utc(now).tzinfo)  # type: ignore[union-attr]


# notify -----------------------------------------------------------------------------------------------------------

def notify(user: User, *, kind: str, title: str, body: str, key: str, url: str | None = None,
           payload: dict | None = None) -> bool:
    """Notify one user: an in-app notification plus one outbox message per channel they can and want to receive.

    E-mail when the user has an address and keeps e-mail on (the default); WhatsApp when they have a phone number
    and switched WhatsApp on. `key` identifies the event, e.g. ``visit_reminder_7d:visit:42``; it is stored per
    user (as ``u<user id>:<key>``), so one key serves every recipient of the event. Calling again for the same user
    and key creates nothing and returns False, so a retried job never notifies twice.

    This function only adds and flushes; it never commits: the caller's unit of work commits (or rolls back) the
    notification together with the caller's own changes, so a job that fails after notifying leaves nothing behind.
    `payload` is extra JSON-serialisable data for the message templates (as `data`). 16-digit numbers (NIKs) are
    masked everywhere.

    :return: True when the notification was created, False when `key` was used before.
    :raise ValueError: an empty or too long key or kind, a too long url (programming errors in the caller).
    """
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"notify: key must be 1–{MAX_KEY_LENGTH} characters")
    if not kind or len(kind) > 40 or (url is not None and len(url) > 500):
        raise ValueError("notify: kind must be 1–40 characters and url at most 500")
    key = f"u{user.id}:{key}"
    if db.session.scalar(select(Notification.id).where(Notification.key == key)) is not None:
        return False
    now = utcnow()
    title, body = mask_nik(title.strip())[:200], mask_nik(body.strip())
    channels = []
    prefs = preferences_for(user)
    if prefs.email and (user.email or "").strip():
        channels.append("email")
    if prefs.whatsapp and (user.phone or "").strip():
        channels.append("whatsapp")
    message_payload = {"title": title, "body": body, "url": url, "data": mask_nik(payload or {})}
    # A concurrent caller with the same key: on PostgreSQL a savepoint undoes only our rows and we return False.
    # SQLite (through pysqlite) has no reliable savepoints, so there the IntegrityError reaches the caller, whose
    # unit of work rolls back; its retry then finds the key and creates nothing.
    savepoint = db.session.get_bind().dialect.name == "postgresql"
    db.session.flush()  # the caller's own pending changes, so that an error in them is not mistaken for ours
    try:
        with db.session.begin_nested() if savepoint else contextlib.nullcontext():
            db.session.add(Notification(user_id=user.id, key=key, kind=kind, title=title, body=body, url=url,
                                        created_at=now))
            for channel in channels:
                db.session.add(OutboxMessage(user_id=user.id, channel=channel, template=kind,
                                             payload=message_payload, status="pending", attempts=0,
                                             next_attempt_at=now, idempotency_key=f"{key}:{channel}",
                                             created_at=now))
            db.session.flush()
    except IntegrityError:
        if not savepoint:
            raise
        return False
    return True


# Reading and marking ----------------------------------------------------------------------------------------------

def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def list_notifications(user: User, limit: int = 100) -> list[Notification]:
    """The user's notifications, newest first."""
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def get_notification(user: User, notification_id: int) -> Notification:
    """:raise NotFound: no such notification, or another user's (both 404)."""
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user.id:
        raise NotFound("Notifikasi tidak ditemukan.")
    return row


@unit_of_work
def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (idempotent). :raise NotFound: see `get_notification`."""
    row = get_notification(user, notification_id)
    if row.read_at is None:
        row.read_at = utcnow()
    return row


@unit_of_work
def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount or 0


# Delivery ---------------------------------------------------------------------------------------------------------

def _context(message: OutboxMessage, user: User) -> dict[str, Any]:
    payload = message.payload or {}
    url = payload.get("url")
    base = current_app.config.get("BASE_URL") or ""
    link = url if url and url.startswith(("http://", "https://")) else (base + url if url and base else None)
    return {"title": payload.get("title", ""), "body": payload.get("body", ""), "link": link,
            "data": payload.get("data") or {}, "kind": message.template, "name": user.full_name}


def _render(channel: str, template: str, suffix: str, context: dict[str, Any]) -> str:
    names = [f"notifications/{channel}/{template}.{suffix}", f"notifications/{channel}/umum.{suffix}"]
    try:
        # the bare Jinja environment: jobs run without a request, so no context processors
        return mask_nik(current_app.jinja_env.select_template(names).render(**context))
    except TemplateNotFound as err:  # pragma: no cover - the generic templates ship with the package
        raise DeliveryError(f"Templat pesan tidak ditemukan: {err}") from err


def _send_email(message: OutboxMessage, user: User) -> None:
    cfg = current_app.config
    host = cfg.get("SMTP_HOST")
    if not host:
        raise DeliveryError("Surel belum dikonfigurasi: BUNGA_SMTP_HOST kosong.")
    address = (user.email or "").strip()
    if not address:
        raise DeliveryError("Pengguna tidak memiliki alamat surel.")
    context = _context(message, user)
    mail = EmailMessage()
    mail["Subject"] = f"[Bunga Desa] {context['title']}"
    name, sender = parseaddr(cfg.get("MAIL_FROM") or "")
    mail["From"] = formataddr((name, sender)) if sender else cfg.get("MAIL_FROM")
    mail["To"] = formataddr((user.full_name, address))
    mail["Message-ID"] = make_msgid(domain=(sender.rpartition("@")[2] or "bunga-desa"))
    mail["X-Bunga-Key"] = message.idempotency_key
    mail.set_content(_render("email", message.template, "txt", context))
    mail.add_alternative(_render("email", message.template, "html", context), subtype="html")
    try:
        with smtplib.SMTP(host, int(cfg.get("SMTP_PORT") or 25), timeout=float(cfg.get("SMTP_TIMEOUT_S", 10))) as smtp:
            if cfg.get("SMTP_STARTTLS"):
                smtp.starttls()
            if cfg.get("SMTP_USERNAME"):
                smtp.login(cfg["SMTP_USERNAME"], cfg.get("SMTP_PASSWORD") or "")
            smtp.send_message(mail)
    except (smtplib.SMTPException, OSError) as err:
        raise DeliveryError(f"Server surel {host}:{cfg.get('SMTP_PORT')} menolak atau tidak menjawab: {err}") from err


def _send_whatsapp(message: OutboxMessage, user: User) -> None:
    cfg = current_app.config
    gateway = cfg.get("WA_GATEWAY_URL") or ""
    if not gateway:
        raise DeliveryError("WhatsApp belum dikonfigurasi: BUNGA_WA_GATEWAY_URL kosong.")
    if not gateway.startswith(("http://", "https://")):
        raise DeliveryError("BUNGA_WA_GATEWAY_URL harus diawali http:// atau https://.")
    if not cfg.get("WA_TOKEN"):
        raise DeliveryError("WhatsApp belum dikonfigurasi: BUNGA_WA_TOKEN kosong.")
    phone = (user.phone or "").strip()
    if not phone:
        raise DeliveryError("Pengguna tidak memiliki nomor WhatsApp.")
    text = _render("whatsapp", message.template, "txt", _context(message, user)).strip()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        gateway, method="POST", data=json.dumps({"to": phone, "message": text}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {cfg['WA_TOKEN']}",
                 "Idempotency-Key": message.idempotency_key})
    try:
        with urllib.request.urlopen(request, timeout=float(cfg.get("WA_TIMEOUT_S", 10))) as response:  # noqa: S310
            response.read(4096)
    except urllib.error.HTTPError as err:
        raise DeliveryError(f"Gateway WhatsApp menjawab HTTP {err.code}.") from err
    except TimeoutError as err:
        raise DeliveryError("Gateway WhatsApp tidak menjawab dalam batas waktu.") from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        if isinstance(reason, TimeoutError):
            raise DeliveryError("Gateway WhatsApp tidak menjawab dalam batas waktu.") from err
        raise DeliveryError(f"Gateway WhatsApp tidak dapat dihubungi: {reason}") from err


SENDERS = {"email": _send_email, "whatsapp": _send_whatsapp}


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after `attempts` failures: 1, 2, 4, 8 … minutes."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def _due_ids(now: datetime, limit: int) -> list[int]:
    return list(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Take one due message for this worker (attempts + 1, lease); None when another worker took it first."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status != "pending" or as_utc(message.next_attempt_at) > now:  # type: ignore[operator]
        return None
    result = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.status == "pending",
        OutboxMessage.attempts == message.attempts).values(
        attempts=message.attempts + 1, next_attempt_at=now + CLAIM_LEASE))
    if result.rowcount != 1:
        db.session.rollback()
        return None
    db.session.commit()  # the claim is visible to other workers before anything is sent
    db.session.refresh(message)
    return message


def _deliver_one(message_id: int, now: datetime, report: DeliveryReport) -> None:
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status != "pending":
        return
    user = db.session.get(User, message.user_id)
    prefs = preferences_for(user) if user is not None else Preferences()
    if in_quiet_hours(prefs, now):
        message.next_attempt_at = quiet_hours_end(prefs, now)
        db.session.commit()
        report.deferred.append(message_id)
        return
    claimed = _claim(message_id, now)
    if claimed is None:
        return
    try:
        if user is None or not user.active:
            raise DeliveryError("Penerima tidak ada atau tidak aktif.")
        SENDERS[claimed.channel](claimed, user)
    except DeliveryError as err:
        claimed.last_error = mask_nik(str(err))[:1000]
        if claimed.attempts >= int(current_app.config.get("NOTIFY_MAX_ATTEMPTS", 5)):
            claimed.status = "dead"
            report.dead.append(message_id)
            current_app.logger.warning("Outbox message %s is a dead letter after %s attempts: %s", claimed.id,
                                       claimed.attempts, claimed.last_error)
        else:
            claimed.next_attempt_at = now + backoff(claimed.attempts)
            report.retried.append(message_id)
    else:
        claimed.status, claimed.sent_at, claimed.last_error = "sent", utcnow(), None
        report.sent.append(message_id)
    db.session.commit()


@unit_of_work
def deliver_due(now: datetime | None = None, *, limit: int = 500) -> DeliveryReport:
    """Send the pending e-mail and WhatsApp messages that are due at `now` (default: the current time).

    Messages of users in their quiet hours move to the end of them. Each message is its own small transaction
    (claim, send, outcome), so a crash never loses a "sent" already recorded and two workers never share a message.
    Unexpected errors in one message do not stop the others: they count as a failed attempt.
    """
    now = as_utc(now) or utcnow()
    report = DeliveryReport()
    for message_id in _due_ids(now, limit):
        try:
            _deliver_one(message_id, now, report)
        except Exception as err:  # one broken message must not block the outbox
            db.session.rollback()
            current_app.logger.exception("Outbox message %s failed unexpectedly", message_id)
            message = db.session.get(OutboxMessage, message_id)
            if message is not None and message.status == "pending":
                message.last_error = mask_nik(f"Kesalahan tak terduga: {type(err).__name__}")
                if message.attempts >= int(current_app.config.get("NOTIFY_MAX_ATTEMPTS", 5)):
                    message.status = "dead"
                    report.dead.append(message_id)
                else:
                    message.next_attempt_at = now + backoff(max(message.attempts, 1))
                    report.retried.append(message_id)
                db.session.commit()
    return report
