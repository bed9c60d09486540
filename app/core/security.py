"""Deny by default: every endpoint needs a signed-in user and a declared permission unless it is public.

The permission is declared on the view with `@require(...)`; an endpoint with neither a permission nor a place in
PUBLIC_ENDPOINTS answers 403 even to an admin, so a forgotten rule fails closed (and the sweep test names it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, abort, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, logout_user

from app.core.clock import as_utc, utcnow
from app.core.permissions import Permission
from app.core.pii import NIK_MASKED_NOTICE, niks_masked_in_request

PUBLIC_ENDPOINTS: frozenset[str] = frozenset(
    {"static", "favicon", "auth.login", "auth.set_language", "api.create_token", "api.openapi", "health",
     "planning.calendar_feed"}
)


def require(permission: Permission) -> Callable:
    """Declare the permission a view needs; the before-request hook enforces it."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def endpoint_permission(app: Flask, endpoint: str) -> Permission | None:
    """The permission declared on an endpoint's view, or None."""
    view = app.view_functions.get(endpoint)
    return getattr(view, "required_permission", None)


def current_actor() -> Any | None:
    """The signed-in user of this request (web session or API token), or None."""
    return getattr(g, "actor", None)


def _api_actor() -> Any | None:
    from app.auth.services import user_for_token

    token = bearer_token()
    return user_for_token(token) if token else None


def bearer_token() -> str | None:
    """The bearer token of this API request, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def start_session() -> None:
    """Call right after signing in: the login time the absolute session limit counts from (never refreshed)."""
    now = utcnow().isoformat()
    session["login_at"] = now
    session["last_seen"] = now


def _parse(value: Any) -> datetime | None:
    try:
        return as_utc(datetime.fromisoformat(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def _session_expired() -> bool:
    """A session ends 8 hours after sign-in whatever happens (PERMANENT_SESSION_LIFETIME, counted from the login
    time stored in the session, so re-signing the cookie on each request does not extend it), or after
    SESSION_IDLE_TIMEOUT without use. A session without a login time is treated as expired."""
    now = utcnow()
    login_at = _parse(session.get("login_at"))
    if login_at is None or now - login_at > current_app.config["PERMANENT_SESSION_LIFETIME"]:
        return True
    seen = _parse(session.get("last_seen"))
    session["last_seen"] = now.isoformat()
    return seen is not None and now - seen > current_app.config["SESSION_IDLE_TIMEOUT"]


def enforce_access() -> Any:
    """before_request: authenticate, then check the endpoint's declared permission."""
    endpoint = request.endpoint
    if endpoint is None:  # unknown URL: let routing answer 404
        return None
    is_api = endpoint.startswith("api.")
    if is_api:
        g.actor = _api_actor()
    else:
        g.actor = current_user._get_current_object() if current_user.is_authenticated else None
        if g.actor is not None and _session_expired():
            logout_user()
            session.clear()
            g.actor = None
            return redirect(url_for("auth.login", next=request.full_path, expired=1))
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    if g.actor is None:
        if is_api:
            return jsonify({"error": "Perlu masuk", "message": "Token tidak ada, salah atau kedaluwarsa."}), 401
        return redirect(url_for("auth.login", next=request.full_path))
    permission = endpoint_permission(current_app, endpoint)
    if permission is None:
        current_app.logger.error("Endpoint %s has no access rule; denied", endpoint)
        abort(403)
    if not g.actor.can(permission):
        abort(403)
    return None


def security_headers(response: Any) -> Any:
    """Headers for every response (ASVS 3.4); authenticated pages are never cached."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    )
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if getattr(g, "actor", None) is not None:
        response.headers["Cache-Control"] = "no-store"
    return response


def nik_masked_notice(response: Any) -> Any:
    """Tell the writer that the service masked NIKs in their free text: a flash message, or in the API a
    `notices` list in the JSON body (and the `X-Bunga-Notice` header)."""
    if not niks_masked_in_request() or response.status_code >= 400:
        return response
    message = gettext(NIK_MASKED_NOTICE)
    if request.path.startswith("/api/"):
        response.headers["X-Bunga-Notice"] = "nik-masked"
        body = response.get_json(silent=True) if response.is_json else None
        if isinstance(body, dict):
            body["notices"] = [*body.get("notices", []), message]
            response.set_data(current_app.json.dumps(body))
    else:
        flash(message, "info")
    return response


def _json_strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [*node.keys(), *(s for v in node.values() for s in _json_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _json_strings(v)]
    return []


def reject_nul_bytes() -> None:
    """NUL characters are never valid text here, and PostgreSQL refuses them in queries: answer 400 up front."""
    values = [*request.args.values(), request.path]
    if request.mimetype == "multipart/form-data":
        values.extend(request.form.values())
    else:
        values.append(request.get_data(as_text=True))
    if request.is_json:
        values.extend(_json_strings(request.get_json(silent=True)))
    if any("\x00" in v for v in values):
        abort(400, description="Permintaan berisi karakter yang tidak valid.")


def init_security(app: Flask) -> None:
    app.before_request(reject_nul_bytes)
    app.before_request(enforce_access)
    app.after_request(security_headers)
    app.after_request(nik_masked_notice)
