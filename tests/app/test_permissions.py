"""The permission matrix: every endpoint × every role → the expected status, plus the sweep that fails when a new
endpoint has no rule or no row here (FixMyStreet/Indico truth tables)."""

from __future__ import annotations

import pytest

from app.core.security import PUBLIC_ENDPOINTS, endpoint_permission

ROLES = ["admin", "planner", "kepala_desa", "camat", "opd", "dprd"]
ALL = dict.fromkeys(ROLES, 200)
ADMIN_ONLY = {r: (200 if r == "admin" else 403) for r in ROLES}
PLANNERS = {r: (200 if r in ("admin", "planner") else 403) for r in ROLES}


def _own_desa(w):
    return w.desa_a.code


def _user_id(w):
    return w.users["dprd"].id


# endpoint -> (method, url builder, expected status per role). The village is the kepala desa's own desa.
MATRIX = {
    "regions.dashboard": ("GET", lambda w: "/", ALL),
    "regions.list_villages": ("GET", lambda w: "/desa", ALL),
    "regions.show_village": ("GET", lambda w: f"/desa/{_own_desa(w)}", ALL),
    "regions.import_villages": ("GET", lambda w: "/desa/impor", PLANNERS),
    "admin.list_users": ("GET", lambda w: "/admin/pengguna", ADMIN_ONLY),
    "admin.create_user": ("GET", lambda w: "/admin/pengguna/baru", ADMIN_ONLY),
    "admin.edit_user": ("GET", lambda w: f"/admin/pengguna/{_user_id(w)}", ADMIN_ONLY),
    "admin.list_audit": ("GET", lambda w: "/admin/audit", ADMIN_ONLY),
    "auth.account": ("GET", lambda w: "/akun", ALL),
    "auth.logout": ("POST", lambda w: "/keluar", dict.fromkeys(ROLES, 302)),
    "api.list_villages": ("GET", lambda w: "/api/v1/villages", ALL),
    "api.get_village": ("GET", lambda w: f"/api/v1/villages/{_own_desa(w)}", ALL),
}
PUBLIC = {
    "auth.login": ("GET", lambda w: "/masuk", 200),
    "auth.set_language": ("GET", lambda w: "/bahasa/en", 302),
    "api.openapi": ("GET", lambda w: "/api/v1/openapi.json", 200),
    "api.create_token": ("POST", lambda w: "/api/v1/auth/token", 422),
    "health": ("GET", lambda w: "/healthz", 200),
    "static": ("GET", lambda w: "/static/css/app.css", 200),
}


def test_every_endpoint_has_a_rule_and_a_row_in_this_matrix(app):
    """Sweep: a new endpoint without @require (or a public listing) or without a matrix row fails here."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    no_rule = sorted(e for e in endpoints if e not in PUBLIC_ENDPOINTS and endpoint_permission(app, e) is None)
    assert no_rule == [], f"endpoints without an access rule: {no_rule}"
    untested = sorted(endpoints - set(MATRIX) - set(PUBLIC))
    assert untested == [], f"endpoints missing from the permission matrix: {untested}"
    assert set(PUBLIC) == set(PUBLIC_ENDPOINTS)


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_status(world, login, token, client, endpoint, role):
    method, url, expected = MATRIX[endpoint]
    user = world.users[role]
    path = url(world)
    if endpoint.startswith("api."):
        response = client.open(path, method=method, headers=token(user))
    else:
        response = login(user).open(path, method=method)
    assert response.status_code == expected[role], f"{role} {method} {path}"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_anonymous_is_sent_to_login_or_refused(world, client, endpoint):
    method, url, _ = MATRIX[endpoint]
    response = client.open(url(world), method=method)
    if endpoint.startswith("api."):
        assert response.status_code == 401
        assert "Token" in response.get_json()["message"]
    else:
        assert response.status_code == 302
        assert response.location.startswith("/masuk")


@pytest.mark.parametrize("endpoint", sorted(PUBLIC))
def test_public_endpoints_answer_without_login(world, client, endpoint):
    method, url, expected = PUBLIC[endpoint]
    assert client.open(url(world), method=method).status_code == expected


def test_an_endpoint_without_a_rule_is_denied_even_to_an_admin(world, login):
    """Deny by default: a view registered without @require answers 403."""
    from tests.conftest import make_app

    other = make_app()
    other.add_url_rule("/__unguarded", "unguarded", lambda: "rahasia")
    with other.app_context():
        client = login(world.users["admin"], other.test_client())
        assert client.get("/__unguarded").status_code == 403
