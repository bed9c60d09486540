"""The JSON API: token exchange, villages with the web's scope rules, the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import ApiToken
from app.extensions import db
from tests.factories import PASSWORD


def test_token_then_villages_with_documented_fields(world, client, token):
    headers = token(world.users["planner"])
    body = client.get("/api/v1/villages", headers=headers).get_json()
    assert body["count"] == 3
    village = next(v for v in body["items"] if v["code"] == world.desa_a.code)
    assert {"code", "name", "kecamatan_code", "lat", "lon", "location_source", "figures"} <= set(village)
    assert village["kecamatan_code"] == "35.10.09" and village["figures"]["population"] == 5000
    assert village["figures"]["poverty_share"] == 0.2
    assert client.get("/api/v1/villages?kecamatan=35.10.16", headers=headers).get_json()["count"] == 1


@pytest.mark.parametrize("body", [None, {}, {"username": "x"}, {"username": 1, "password": 2}, ["a"]])
def test_malformed_token_requests_get_a_clear_422(world, client, body):
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 422 and "username" in response.get_json()["message"]


def test_wrong_password_gets_401_and_stored_tokens_are_hashed(world, client):
    bad = client.post("/api/v1/auth/token", json={"username": "dprd", "password": "salah-sekali-123"})
    assert bad.status_code == 401 and bad.get_json()["message"] == "Nama pengguna atau kata sandi salah."
    good = client.post("/api/v1/auth/token", json={"username": "dprd", "password": PASSWORD}).get_json()
    stored = db.session.scalar(select(ApiToken.token_hash))
    assert stored != good["token"] and len(stored) == 64


def test_nul_bytes_in_a_token_request_are_refused(world, client):
    response = client.post("/api/v1/auth/token", json={"username": "dprd\u0000", "password": "x"})
    assert response.status_code == 400 and response.is_json


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nonsense", "Basic abc", "bearer  "])
def test_bad_or_missing_tokens_get_401(world, client, header):
    response = client.get("/api/v1/villages", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and response.is_json


def test_expired_and_revoked_tokens_and_inactive_users_are_refused(world, client, token):
    headers = token(world.users["dprd"])
    assert client.get("/api/v1/villages", headers=headers).status_code == 200
    row = db.session.scalar(select(ApiToken))
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/villages", headers=headers).status_code == 401
    headers = token(world.users["dprd"])
    world.users["dprd"].active = False
    db.session.commit()
    assert client.get("/api/v1/villages", headers=headers).status_code == 401


def test_api_does_not_accept_the_session_cookie(world, login):
    """Cookies never authenticate the API, which is why it can be exempt from CSRF."""
    client = login(world.users["admin"])
    assert client.get("/api/v1/villages").status_code == 401


def test_openapi_describes_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    described = set(doc["paths"])
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = rule.rule.removeprefix("/api/v1").replace("<code>", "{code}").replace("<reference>", "{reference}")
            path = path.replace("<int:plan_id>", "{plan_id}").replace("<int:visit_id>", "{visit_id}")
            path = path.replace("<int:report_id>", "{report_id}").replace("<int:notification_id>", "{notification_id}")
            assert path in described, f"{rule.rule} is not in openapi.json"
