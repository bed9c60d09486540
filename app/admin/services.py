"""User administration: create and change users with role/scope consistency and an audit trail."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.auth.models import User
from app.auth.passwords import hash_password, password_problem
from app.auth.services import revoke_credentials
from app.core.audit import changes, record_audit
from app.core.errors import Conflict, DomainError, NotFound
from app.core.permissions import SECTORS, Role
from app.core.services import unit_of_work
from app.extensions import db
from app.regions.models import Desa, Kecamatan

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
_PHONE = re.compile(r"^\+?62\d{8,13}$|^08\d{8,12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FIELDS = ["username", "full_name", "email", "phone", "role", "desa_id", "kecamatan_id", "sector", "active"]


@dataclass(frozen=True)
class UserInput:
    """What the form or CLI supplies; codes rather than ids, so a scope is checked against the regency."""

    username: str
    full_name: str
    role: str
    email: str | None = None
    phone: str | None = None
    desa_code: str | None = None
    kecamatan_code: str | None = None
    sector: str | None = None
    active: bool = True
    password: str | None = None


def _scope(data: UserInput, regency_id: int) -> tuple[int | None, int | None, str | None]:
    """Resolve and check the one scope column the role needs; other scope columns are cleared."""
    try:
        role = Role(data.role)
    except ValueError as err:
        raise DomainError(f"Peran {data.role!r} tidak dikenal.") from err
    if role == Role.KEPALA_DESA:
        desa = db.session.scalar(select(Desa).where(Desa.code == (data.desa_code or "").strip(),
                                                    Desa.regency_id == regency_id))
        if desa is None:
            raise DomainError("Kepala desa harus dikaitkan dengan satu desa yang ada di kabupaten ini.")
        return desa.id, None, None
    if role == Role.CAMAT:
        kec = db.session.scalar(select(Kecamatan).where(Kecamatan.code == (data.kecamatan_code or "").strip(),
                                                        Kecamatan.regency_id == regency_id))
        if kec is None:
            raise DomainError("Camat harus dikaitkan dengan satu kecamatan yang ada di kabupaten ini.")
        return None, kec.id, None
    if role == Role.OPD:
        if data.sector not in SECTORS:
            raise DomainError("Petugas OPD harus memiliki sektor: " + ", ".join(SECTORS) + ".")
        return None, None, data.sector
    return None, None, None


def _check_contact(data: UserInput) -> None:
    if not data.full_name.strip():
        raise DomainError("Nama lengkap wajib diisi.")
    if data.email and not _EMAIL.match(data.email.strip()):
        raise DomainError(f"Alamat surel {data.email!r} tidak valid.")
    if data.phone and not _PHONE.match(data.phone.strip().replace(" ", "").replace("-", "")):
        raise DomainError("Nomor WhatsApp harus berbentuk 08… atau +62… (10–15 angka).")


def _normalise_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = phone.strip().replace(" ", "").replace("-", "")
    return "+62" + digits[1:] if digits.startswith("0") else ("+" + digits.lstrip("+"))


@unit_of_work
def create_user(data: UserInput, actor: Any) -> User:
    """Create a user in the actor's regency.

    :raise DomainError: invalid username, password, contact or scope.
    :raise Conflict: the username is taken.
    """
    username = data.username.strip().lower()
    if not _USERNAME.match(username):
        raise DomainError("Nama pengguna 3–80 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.")
    if db.session.scalar(select(func.count(User.id)).where(User.username == username)):
        raise Conflict(f"Nama pengguna {username!r} sudah dipakai.")
    _check_contact(data)
    problem = password_problem(data.password or "", username=username)
    if problem:
        raise DomainError(problem)
    desa_id, kec_id, sector = _scope(data, actor.regency_id)
    user = User(username=username, full_name=data.full_name.strip(), email=(data.email or "").strip() or None,
                phone=_normalise_phone(data.phone), password_hash=hash_password(data.password or ""),
                role=data.role, regency_id=actor.regency_id, desa_id=desa_id, kecamatan_id=kec_id, sector=sector,
                active=data.active)
    db.session.add(user)
    db.session.flush()
    record_audit("user_created", "user", user.id, actor=actor, after=changes(user, _FIELDS))
    return user


def get_user(actor: Any, user_id: int) -> User:
    """:raise NotFound: unknown or in another regency."""
    user = db.session.scalar(select(User).where(User.id == user_id, User.regency_id == actor.regency_id))
    if user is None:
        raise NotFound("Pengguna tidak ditemukan.")
    return user


@unit_of_work
def update_user(user: User, data: UserInput, actor: Any) -> User:
    """Change role, scope, contact, active flag and optionally set a new password.

    A change of role, scope, activity or password ends the user's sessions and API tokens at once.
    """
    _check_contact(data)
    if user.id == actor.id and (data.role != user.role or not data.active):
        raise DomainError("Anda tidak dapat mengubah peran atau menonaktifkan akun Anda sendiri.")
    desa_id, kec_id, sector = _scope(data, actor.regency_id)
    before = changes(user, _FIELDS)
    user.full_name = data.full_name.strip()
    user.email = (data.email or "").strip() or None
    user.phone = _normalise_phone(data.phone)
    user.role, user.desa_id, user.kecamatan_id, user.sector = data.role, desa_id, kec_id, sector
    user.active = data.active
    if data.password:
        problem = password_problem(data.password, username=user.username)
        if problem:
            raise DomainError(problem)
        user.password_hash = hash_password(data.password)
    after = changes(user, _FIELDS)
    security_relevant = any(before[k] != after[k] for k in ("role", "desa_id", "kecamatan_id", "sector", "active"))
    if security_relevant or data.password:
        user.session_version += 1
        revoke_credentials(user)
    record_audit("user_updated", "user", user.id, actor=actor, before=before,
                 after={**after, "password_reset": bool(data.password)})
    return user


def list_users(actor: Any, role: str | None = None, q: str | None = None) -> list[User]:
    """Users of the actor's regency, optionally filtered."""
    stmt = select(User).where(User.regency_id == actor.regency_id)
    if role:
        stmt = stmt.where(User.role == role)
    if q:
        needle = f"%{q.strip().lower()}%"
        stmt = stmt.where(func.lower(User.username).like(needle) | func.lower(User.full_name).like(needle))
    return list(db.session.scalars(stmt.order_by(User.role, User.username).limit(500)))
