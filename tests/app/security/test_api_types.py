"""Issue 21: every JSON body field of every write endpoint is type-checked — a wrong type answers 422 naming the
field, never 500.

Driven by /api/v1/openapi.json: for each documented request property, a valid body gets that one property replaced
by values of other JSON types (a number where text is expected, text where a number or list is expected, …).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.aspirations import services as aspirations
from app.extensions import db
from app.visits.models import Visit
from tests.factories import PASSWORD, create_done_plan

WRONG = {
    "string": [123, 1.5, True, ["teks"], {"a": 1}],
    "integer": ["12", 1.5, True, [1], {"a": 1}],
    "boolean": ["ya", 1, [True], {"a": 1}],
    "array": ["teks", 1, {"a": 1}],
    "object": ["teks", 1, [1]],
}
ITEM_WRONG = {"string": [1], "integer": ["1", True], "object": ["teks"]}


class _Fresh:
    """A URL with a new object for every request, so that a request that wrongly succeeds changes nothing the
    next one sees."""

    def __init__(self, make) -> None:
        self.make = make

    def __str__(self) -> str:
        return self.make()


def _aspiration(world) -> str:
    item = aspirations.submit_aspiration(world.users["planner"], aspirations.AspirationInput(
        desa_code=world.desa_a.code, category="adminduk", title="Perekaman KTP-el lansia",
        description="Banyak lansia belum merekam KTP-el.", urgency="sedang"))
    return f"/api/v1/aspirations/{item.reference}/transitions"


def _visit(world, suffix: str) -> str:
    visit = Visit(regency_id=world.regency.id, desa_id=world.desa_a.id, day=date(2026, 12, 1), status="berlangsung")
    db.session.add(visit)
    db.session.commit()
    return f"/api/v1/visits/{visit.id}/{suffix}"


def _setup(world):
    """Valid bodies per write endpoint: (method, path, role, body)."""
    return {
        "/auth/token": ("POST", "/api/v1/auth/token", None, {"username": "perencana", "password": PASSWORD}),
        "/aspirations": ("POST", "/api/v1/aspirations", "planner", {
            "village_code": world.desa_a.code, "category": "adminduk", "title": "Perekaman KTP-el lansia",
            "description": "Banyak lansia belum merekam KTP-el.", "urgency": "sedang", "affected": 10,
            "services": [{"code": "perekaman_ktp_el", "count": 10}], "anonymous": False, "confidential": False}),
        "/aspirations/{reference}/transitions": (
            "POST", _Fresh(lambda: _aspiration(world)), "planner",
            {"to": "ditolak", "note": "Bukan kewenangan kabupaten.", "opd": "adminduk", "merge_into": "ASP-2026-AAAAA",
             "due_on": "2027-01-31", "version": 1}),
        "/plans": ("POST", "/api/v1/plans", "planner", {
            "start": "2027-01-04", "end": "2027-01-08", "mode": "kunjungan", "time_limit_s": 5,
            "start_place_id": world.office.id, "name": "Rencana Januari", "weekdays": [1, 2, 3],
            "must_visit": [world.desa_a.code], "exclude": [], "keep_published": True}),
        "/planning/settings": ("PUT", "/api/v1/planning/settings", "planner", {
            "day_start": "07:30", "day_end": "16:00", "friday_break": {"start": "11:00", "end": "13:00"},
            "lunch_break": {"start": "12:00", "end": "13:00", "minutes": 60},
            "modes": {"kunjungan": {"visit_min": 120, "max_visits": 2}}, "weekdays": [1, 2, 3, 4, 5],
            "mandatory_after_months": 24}),
        "/villages/{code}/planning": ("PUT", f"/api/v1/villages/{world.desa_a.code}/planning", "planner", {
            "windows": [{"weekday": 4, "start": "09:00", "end": "12:00"}], "closed_months": [1, 2],
            "extra_travel_min": 30}),
        "/visits/{visit_id}/services": ("POST", _Fresh(lambda: _visit(world, "services")), "planner",
                                        {"service": "kk", "nik": "3510090101900001", "note": "KK baru"}),
        "/visits/{visit_id}/status": ("POST", _Fresh(lambda: _visit(world, "status")), "planner",
                                      {"status": "ditunda", "reason": "Banjir", "date": "2027-01-10"}),
        "/reports/dprd": ("POST", "/api/v1/reports/dprd", "planner",
                          {"start": "2026-01-01", "end": "2026-12-31", "kecamatan": ["35.10.09"]}),
    }


def _documented(client):
    """path → {property: schema} for every documented JSON request body."""
    doc = client.get("/api/v1/openapi.json").get_json()
    out = {}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body:
                continue
            schema = body["content"]["application/json"]["schema"]
            if "$ref" in schema:
                schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            out[path] = (method.upper(), schema["properties"])
    return out


def _wrong_values(schema) -> list:
    if "oneOf" in schema:  # text or a list of text
        return [1, {"a": 1}, [1]]
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    kind = next(k for k in kinds if k != "null")
    values = list(WRONG[kind])
    if kind == "array":
        item = schema.get("items", {}).get("type")
        values += [[v] for v in ITEM_WRONG.get(item, [])]
    return values


def test_every_write_endpoint_is_covered(world, client):
    assert set(_documented(client)) == set(_setup(world))


def test_a_wrong_type_in_any_field_answers_422_for_that_field(world, client, token):
    cases = _setup(world)
    create_done_plan(world)  # places and settings exist, as in use
    headers = {role: token(world.users[role]) for role in ("planner",)}
    failures = []
    for path, (_, properties) in sorted(_documented(client).items()):
        method, url, role, valid = cases[path]
        for field, schema in properties.items():
            if schema.get("readOnly"):
                continue
            for wrong in _wrong_values(schema):
                body = {**valid, field: wrong}
                response = client.open(str(url), method=method, json=body, headers=headers.get(role, {}))
                payload = response.get_json(silent=True) or {}
                named = any(key == field or key.startswith(f"{field}.") for key in payload.get("errors", {})) \
                    or (not payload.get("errors") and field in payload.get("message", ""))
                if response.status_code != 422 or not named:
                    failures.append(f"{method} {url} {field}={wrong!r}: {response.status_code} {payload}")
    assert failures == []


@pytest.mark.parametrize("body", [[1, 2], "teks", 5, None])
def test_a_body_that_is_not_an_object_answers_422(world, client, token, body):
    cases = _setup(world)
    headers = token(world.users["planner"])
    for method, url, role, _ in cases.values():
        response = client.open(str(url), method=method, json=body, headers=headers if role else {})
        assert response.status_code == 422, (method, url)
