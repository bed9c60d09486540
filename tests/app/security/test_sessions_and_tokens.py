"""Issue 21: the 8-hour session limit does not slide, the lockout reveals no account, and API tokens and calendar
feed addresses can be revoked and end with logout and a password change."""

from __future__ import annotations

from datetime import date, timedelta

from app.planning import ics
from tests.factories import PASSWORD


def _post_login(client, username, password=PASSWORD):
    return client.post("/masuk", data={"username": username, "password": password})


def test_the_eight_hour_limit_counts_from_sign_in_and_does_not_slide(world, client, clock):
    clock.set(date(2026, 12, 2))
    assert _post_login(client, "dprd").status_code == 302
    for _ in range(23):  # a busy user: a request every 20 minutes, never idle, up to 7 h 40 min after sign-in
        clock.advance(timedelta(minutes=20))
        assert client.get("/desa").status_code == 200
    clock.advance(timedelta(minutes=25))  # 8 h 5 min after sign-in, 25 minutes after the last request
    response = client.get("/desa")
    assert response.status_code == 302 and response.location.startswith("/masuk")
    assert client.get("/").status_code == 302  # the session is gone, not just this request


def test_lockout_answers_the_same_for_an_unknown_account(world, web_app):
    answers = {}
    for username in ("kades.a", "tidak.ada.sama.sekali"):
        client = web_app.test_client()
        for _ in range(5):
            _post_login(client, username, "salah-sekali-123")
        response = _post_login(client, username, "salah-sekali-123")
        answers[username] = (response.status_code, response.get_data(as_text=True).replace(username, "NAMA"))
        api = client.post("/api/v1/auth/token", json={"username": username, "password": "salah-sekali-123"})
        answers[username] += (api.status_code, api.get_json()["message"])
    assert answers["kades.a"] == answers["tidak.ada.sama.sekali"]
    assert answers["kades.a"][0] == 429 and answers["kades.a"][2] == 429


def test_delete_token_revokes_only_the_calling_token(world, client, token):
    first, second = token(world.users["planner"]), token(world.users["planner"])
    assert client.delete("/api/v1/auth/token", headers=first).status_code == 204
    assert client.get("/api/v1/villages", headers=first).status_code == 401
    assert client.delete("/api/v1/auth/token", headers=first).status_code == 401
    assert client.get("/api/v1/villages", headers=second).status_code == 200


def _feed(client, feed_token):
    return client.get(f"/rencana/kalender/{feed_token}.ics").status_code


def test_logout_revokes_the_users_api_tokens_and_calendar_feeds(world, client, token, login):
    user = world.users["planner"]
    api = token(user)
    feed = ics.issue_calendar_token(user)
    other_api, other_feed = token(world.users["admin"]), ics.issue_calendar_token(world.users["admin"])
    assert client.get("/api/v1/villages", headers=api).status_code == 200 and _feed(client, feed) == 200
    login(user).post("/keluar")
    assert client.get("/api/v1/villages", headers=api).status_code == 401
    assert _feed(client, feed) == 404
    assert client.get("/api/v1/villages", headers=other_api).status_code == 200 and _feed(client, other_feed) == 200


def test_a_password_change_revokes_api_tokens_and_calendar_feeds(world, client, token, login):
    user = world.users["camat"]
    api = token(user)
    feed = ics.issue_calendar_token(user)
    changed = login(user).post("/akun", data={"current": PASSWORD, "new": "kalimat sandi baru yang panjang",
                                              "confirm": "kalimat sandi baru yang panjang"})
    assert changed.status_code == 302
    assert client.get("/api/v1/villages", headers=api).status_code == 401
    assert _feed(client, feed) == 404
