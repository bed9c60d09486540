"""Sign-in, lockout, rate limiting, API tokens and password changes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from app.auth.models import ApiToken, LoginAttempt, User
from app.auth.passwords import hash_password, password_problem, verify_password
from app.core.audit import record_audit
from app.core.clock import as_utc, utcnow
from app.core.errors import DomainError
from app.core.services import unit_of_work
from app.extensions import db

GENERIC_FAILURE = "Nama pengguna atau kata sandi salah."


@dataclass(frozen=True)
class LoginOutcome:
    """Result of a sign-in attempt; `status` is the HTTP status the view should answer with."""

    user: User | None
    message: str | None = None
    status: int = 200


def _ip_blocked(ip: str, now: datetime) -> bool:
    cfg = current_app.config
    since = now - cfg["LOGIN_IP_WINDOW"]
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(LoginAttempt.ip == ip, LoginAttempt.at >= since)
    )
    return (count or 0) >= cfg["LOGIN_IP_LIMIT"]


def _unknown_account_locked_until(username: str, now: datetime) -> datetime | None:
    """The lock an account of this name would have now, replayed from its failed attempts (a real account keeps
    the same state in `failed_logins`/`locked_until`). Unknown names then answer exactly like real ones after the
    same number of failures, so the lockout reveals no account (no oracle)."""
    cfg = current_app.config
    since = now - max(cfg["LOGIN_LOCKOUT"] * 4, timedelta(hours=24))
    failures, locked_until = 0, None
    for (at,) in db.session.execute(select(LoginAttempt.at).where(LoginAttempt.username == username,
                                                                  LoginAttempt.at >= since)
                                    .order_by(LoginAttempt.at, LoginAttempt.id)):
        at = as_utc(at)
        if locked_until is not None and at < locked_until:
            continue  # an attempt during the lock, as for a real account: it does not count
        failures += 1
        if failures >= cfg["LOGIN_MAX_FAILURES"]:
            locked_until, failures = at + cfg["LOGIN_LOCKOUT"], 0
    return locked_until


@unit_of_work
def authenticate(username: str, password: str, ip: str) -> LoginOutcome:
    """Check credentials with per-account lockout and a per-address limit shared by all workers.

    Unknown user and wrong password give the same message and take the same time (ASVS 6.3.8).
    """
    cfg = current_app.config
    now = utcnow()
    username = (username or "").strip()
    if _ip_blocked(ip, now):
        record_audit("login_rate_limited", "user", None, after={"username": username[:80], "ip": ip})
        return LoginOutcome(None, "Terlalu banyak percobaan masuk dari alamat ini. Coba lagi beberapa menit lagi.",
                            429)
    user = db.session.scalar(select(User).where(User.username == username))
    password_ok = verify_password(user.password_hash if user else None, password or "")
    locked_until = as_utc(user.locked_until) if user else _unknown_account_locked_until(username[:80], now)
    if locked_until and locked_until > now:
        db.session.add(LoginAttempt(ip=ip, username=username[:80], at=now))
        record_audit("login_locked", "user", user.id if user else None, actor=user,
                     after=None if user else {"username": username[:80]})
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        return LoginOutcome(None, f"Akun dikunci sementara karena terlalu banyak percobaan gagal. "
                                  f"Coba lagi dalam {minutes} menit.", 429)
    if user is None or not password_ok or not user.active:
        db.session.add(LoginAttempt(ip=ip, username=username[:80], at=now))
        if user is not None:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
                user.locked_until = now + cfg["LOGIN_LOCKOUT"]
                user.failed_logins = 0
        record_audit("login_failed", "user", user.id if user else None, actor=user,
                     after={"username": username[:80]})
        return LoginOutcome(None, GENERIC_FAILURE, 200)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record_audit("login", "user", user.id, actor=user)
    return LoginOutcome(user)


def revoke_credentials(user: User) -> None:
    """Every API token and calendar feed address of the user stops working (inside the caller's unit of work)."""
    from app.planning.models import CalendarToken

    now = utcnow()
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
                       .values(revoked=True))
    db.session.execute(update(CalendarToken).where(CalendarToken.user_id == user.id,
                                                   CalendarToken.revoked_at.is_(None)).values(revoked_at=now))


@unit_of_work
def end_session(user: User) -> None:
    """Logout: bumping the version makes every copy of the old session cookie worthless; the user's API tokens and
    calendar feed addresses are revoked with it."""
    user.session_version = (user.session_version or 1) + 1
    revoke_credentials(user)
    record_audit("logout", "user", user.id, actor=user)


def load_session_user(user_id: str) -> User | None:
    """Flask-Login loader: reload role and scope each request; reject stale versions and inactive users."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@unit_of_work
def issue_token(user: User) -> tuple[str, datetime]:
    """A new random bearer token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + current_app.config["API_TOKEN_LIFETIME"]
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_digest(token), expires_at=expires))
    record_audit("api_token_issued", "user", user.id, actor=user)
    return token, expires


@unit_of_work
def revoke_token(token: str) -> bool:
    """Revoke one API token (the caller's own); False when it is unknown or was already revoked."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(token)))
    if row is None or row.revoked:
        return False
    row.revoked = True
    record_audit("api_token_revoked", "user", row.user_id, actor=row.user)
    return True


def user_for_token(token: str) -> User | None:
    """The active user behind a valid, unexpired, unrevoked token."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(token)))
    if row is None or row.revoked or as_utc(row.expires_at) <= utcnow():
        return None
    user = row.user
    return user if user.active else None


@unit_of_work
def change_password(user: User, current: str, new: str, actor: User) -> None:
    """Own password change: the current one must match; all other sessions, API tokens and calendar feeds end."""
    if not verify_password(user.password_hash, current):
        raise DomainError("Kata sandi saat ini salah.")
    problem = password_problem(new, username=user.username)
    if problem:
        raise DomainError(problem)
    user.password_hash = hash_password(new)
    user.session_version += 1
    revoke_credentials(user)
    record_audit("password_changed", "user", user.id, actor=actor)
