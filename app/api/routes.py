"""API endpoints: token, villages, the OpenAPI document."""

from __future__ import annotations

from flask import jsonify, request

from app.api import bp, serializers
from app.api.openapi import openapi_document
from app.auth import services as auth_services
from app.core.errors import DomainError
from app.core.permissions import Permission
from app.core.security import bearer_token, current_actor, require
from app.regions import queries


@bp.post("/auth/token", endpoint="create_token")
def create_token():
    """Exchange username and password for a bearer token (same lockout and rate limits as the web)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("username"), str) \
            or not isinstance(body.get("password"), str):
        raise DomainError("Kirim JSON {\"username\": \"…\", \"password\": \"…\"}.")
    outcome = auth_services.authenticate(body["username"], body["password"], request.remote_addr or "-")
    if outcome.user is None:
        status = outcome.status if outcome.status != 200 else 401
        return jsonify({"error": "Gagal masuk", "message": outcome.message, "status": status}), status
    token, expires = auth_services.issue_token(outcome.user)
    return jsonify({"token": token, "expires_at": expires.isoformat()})


@bp.delete("/auth/token", endpoint="revoke_token")
@require(Permission.ACCOUNT_SELF)
def revoke_token():
    """Revoke the calling token (sign out of the API); the next request with it answers 401."""
    auth_services.revoke_token(bearer_token() or "")
    return "", 204


@bp.get("/villages", endpoint="list_villages")
@require(Permission.VILLAGE_VIEW)
def list_villages():
    """Villages within the caller's scope."""
    villages = queries.all_villages(current_actor())
    kec = request.args.get("kecamatan")
    if kec:
        villages = [v for v in villages if v.kecamatan.code == kec]
    return jsonify({"items": [serializers.village(v) for v in villages], "count": len(villages)})


@bp.get("/villages/<code>", endpoint="get_village")
@require(Permission.VILLAGE_VIEW)
def get_village(code: str):
    """One village; 404 outside the caller's scope."""
    desa = queries.get_village(current_actor(), code)
    return jsonify({**serializers.village(desa), "poverty": serializers.village_poverty(desa)})


@bp.get("/openapi.json", endpoint="openapi")
def openapi():
    """The OpenAPI document (public, describes no data)."""
    return jsonify(openapi_document())
