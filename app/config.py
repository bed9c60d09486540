"""Configuration from environment variables with safe development defaults.

Production refuses to start without its secrets (`validate_config`), so a forgotten variable is a start-up error,
not a weak deployment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

# "testing" is the test suite's own mode: development defaults, Flask TESTING on, and BUNGA_TEST_NOW honoured.
ENVIRONMENTS = ("development", "production", "testing")
DEFAULT_DEMO_PASSWORD = "bunga-desa-demo"  # noqa: S105 - documented demo password, development only


class ConfigError(RuntimeError):
    """Start-up configuration is unusable; the message tells the operator what to set."""


def _dev_secret(instance_path: str, name: str) -> str:
    """A random secret kept in the instance folder, so development sessions survive restarts."""
    path = Path(instance_path) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask configuration from BUNGA_* environment variables."""
    env = os.environ if env is None else env
    mode = env.get("BUNGA_ENV", "development").strip().lower() or "development"
    production = mode == "production"
    default_db = "sqlite:///" + str(Path(instance_path) / "bunga_desa.sqlite3")
    cfg: dict[str, Any] = {
        "BUNGA_ENV": mode,
        "SQLALCHEMY_DATABASE_URI": env.get("BUNGA_DATABASE_URL") or default_db,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": env.get("BUNGA_SECRET_KEY") or (None if production else _dev_secret(instance_path, "secret_key")),
        "PII_KEY": env.get("BUNGA_PII_KEY") or (None if production else _dev_secret(instance_path, "pii_key")),
        "PII_OLD_KEYS": env.get("BUNGA_PII_OLD_KEYS", ""),  # comma-separated earlier keys, during a key rotation
        "DEMO_PASSWORD": env.get("BUNGA_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD,
        "TIMEZONE": "Asia/Jakarta",
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LANGUAGES": ("id", "en"),
        # Sessions: 8 h absolute, 30 min idle (ASVS 7.3); cookie flags strict in production.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=30),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-bunga" if production else "bunga_session",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=1),
        # Village heads fill long forms on slow connections: bind the CSRF token to the session, not to an hour.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCKOUT": timedelta(minutes=15),
        "LOGIN_IP_LIMIT": 20,
        "LOGIN_IP_WINDOW": timedelta(minutes=10),
        "API_TOKEN_LIFETIME": timedelta(hours=12),
        # How queued plan runs are executed: a worker process per run (default) or a thread in the web process.
        "PLAN_RUNNER": env.get("BUNGA_PLAN_RUNNER", "process"),
        # Parallel searches per plan run (forked processes, one per core; 1 = none). Part of what makes a run
        # repeatable: the same inputs, seed, time limit and worker count give the same plan.
        "PLAN_WORKERS": max(1, int(env.get("BUNGA_PLAN_WORKERS", "2") or 2)),
        # Road travel times from the regency's OSRM server (e.g. http://osrm.internal:5000); empty = the
        # straight-line model. A failing server fails the plan run, it never falls back silently.
        "OSRM_URL": env.get("BUNGA_OSRM_URL", "").strip().rstrip("/"),
        "OSRM_TIMEOUT_S": float(env.get("BUNGA_OSRM_TIMEOUT", "30") or 30),
        "OSRM_MAX_TABLE": int(env.get("BUNGA_OSRM_MAX_TABLE", "100") or 100),  # osrm-routed --max-table-size
        # Individual service records keep the NIK this long after the visit; then only the counts remain.
        "NIK_RETENTION_DAYS": int(env.get("BUNGA_NIK_RETENTION_DAYS", "730") or 730),
        "ASPIRATION_VERIFY_DAYS": 3,
        "ASPIRATION_FOLLOWUP_DAYS": 5,
        "UPLOAD_DIR": env.get("BUNGA_UPLOAD_DIR") or str(Path(instance_path) / "uploads"),
        # Number of reverse proxies in front of the app (0 = none). Only then are X-Forwarded-For/-Proto trusted,
        # so the login limit per address and the audit log see the real client address.
        "PROXY_HOPS": int(env.get("BUNGA_PROXY_HOPS", "0") or 0),
        # Notifications (app/notifications): e-mail over SMTP (empty host = e-mail not configured, messages wait
        # and fail with a clear error) and WhatsApp/SMS through an HTTP gateway (empty URL = not configured).
        "SMTP_HOST": env.get("BUNGA_SMTP_HOST", "").strip(),
        "SMTP_PORT": int(env.get("BUNGA_SMTP_PORT", "25") or 25),
        "SMTP_USERNAME": env.get("BUNGA_SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("BUNGA_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env.get("BUNGA_SMTP_STARTTLS", "").strip().lower() in ("1", "true", "yes", "ya"),
        "SMTP_TIMEOUT_S": 10.0,
        "MAIL_FROM": env.get("BUNGA_MAIL_FROM") or "Bunga Desa <no-reply@localhost>",
        "WA_GATEWAY_URL": env.get("BUNGA_WA_GATEWAY_URL", "").strip(),
        "WA_TOKEN": env.get("BUNGA_WA_TOKEN", ""),
        "WA_TIMEOUT_S": float(env.get("BUNGA_WA_TIMEOUT", "10") or 10),
        # Attempts per outbox message before it becomes a dead letter (backoff 1, 2, 4, 8 … minutes in between).
        "NOTIFY_MAX_ATTEMPTS": int(env.get("BUNGA_NOTIFY_MAX_ATTEMPTS", "5") or 5),
        # Public address of the app, e.g. https://bungadesa.banyuwangikab.go.id, for links in e-mail and WhatsApp
        # (empty: messages carry no link).
        "BASE_URL": env.get("BUNGA_BASE_URL", "").strip().rstrip("/"),
        "TESTING": mode == "testing",
        "DEBUG": False,
    }
    return cfg


def validate_config(cfg: Mapping[str, Any]) -> None:
    """Fail fast with a clear message when production lacks a secret or the mode is unknown."""
    mode = cfg.get("BUNGA_ENV")
    if mode not in ENVIRONMENTS:
        raise ConfigError(f"BUNGA_ENV harus 'development', 'production' atau 'testing', bukan {mode!r}.")
    if mode != "production" or cfg.get("TESTING"):
        return
    missing = [name for name, key in (("BUNGA_SECRET_KEY", "SECRET_KEY"), ("BUNGA_PII_KEY", "PII_KEY"))
               if not cfg.get(key)]
    if missing:
        raise ConfigError(
            "Mode produksi membutuhkan variabel lingkungan: " + ", ".join(missing)
            + ". Buat nilai acak, misalnya: python -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )
    if len(str(cfg["SECRET_KEY"])) < 32:
        raise ConfigError("BUNGA_SECRET_KEY terlalu pendek: gunakan minimal 32 karakter acak.")
    if len(str(cfg["PII_KEY"])) < 32:
        raise ConfigError("BUNGA_PII_KEY terlalu pendek: gunakan minimal 32 karakter acak.")
    if cfg.get("DEBUG"):
        raise ConfigError("DEBUG tidak boleh aktif dalam mode produksi.")
