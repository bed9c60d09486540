"""API for visits: list, read, record services (count or NIK), change status. Scoped like the web."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request

from app.api import bp
from app.api.body import JsonBody
from app.core.errors import FieldErrors
from app.core.permissions import Permission
from app.core.security import current_actor, require
from app.visits import queries, services
from app.visits.models import Visit


def serialize_visit(visit: Visit, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"id": visit.id, "village_code": visit.desa.code, "village": visit.desa.name,
                            "date": visit.day.isoformat(), "status": visit.status, "plan_id": visit.plan_id,
                            "planned_start_min": visit.planned_start_min, "planned_end_min": visit.planned_end_min}
    if full:
        data.update(services=[{"service": c.service_code, "count": c.count} for c in visit.counts],
                    agenda=[a.aspiration.reference for a in visit.agenda],
                    commitments=[{"description": c.description, "owner": c.owner_sector,
                                  "due_on": c.due_on.isoformat(), "budget_source": c.budget_source,
                                  "status": c.status} for c in visit.commitments],
                    started_at=visit.started_at.isoformat() if visit.started_at else None,
                    ended_at=visit.ended_at.isoformat() if visit.ended_at else None)
    return data


def _day(name: str) -> date | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise FieldErrors({name: "Tanggal harus berformat YYYY-MM-DD."}) from err


@bp.get("/visits", endpoint="list_visits")
@require(Permission.VISIT_VIEW)
def list_visits():
    """Visits in scope between ?from= and ?to=."""
    visits = queries.list_visits(current_actor(), _day("from"), _day("to"))
    return jsonify({"items": [serialize_visit(v) for v in visits], "count": len(visits)})


@bp.get("/visits/<int:visit_id>", endpoint="get_visit")
@require(Permission.VISIT_VIEW)
def get_visit(visit_id: int):
    return jsonify(serialize_visit(queries.get_visit(current_actor(), visit_id), full=True))


@bp.post("/visits/<int:visit_id>/services", endpoint="record_service")
@require(Permission.SERVICE_RECORD)
def record_service(visit_id: int):
    """{"service", "count"} adds to a counter; {"service", "nik"} records one resident (409 when repeated)."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    body = JsonBody()
    service = body.text("service", required=True,
                        message="Kirim JSON dengan kode layanan, mis. {\"service\": \"kk\", \"count\": 1}.")
    nik = body.text("nik", message="NIK harus teks 16 angka.")
    count = body.integer("count", message="Jumlah harus bilangan bulat.")
    note = body.text("note")
    body.check()
    if body.has("nik") == body.has("count"):
        raise FieldErrors({"nik": "Isi salah satu: \"nik\" atau \"count\"."})
    if nik is not None:
        record = services.record_nik(actor, visit, service, nik, note)
        return jsonify({"id": record.id, "service": record.service_code, "nik": record.nik_masked}), 201
    total = services.add_count(actor, visit, service, count)
    return jsonify({"service": service, "count": total}), 201


@bp.post("/visits/<int:visit_id>/status", endpoint="change_visit_status")
@require(Permission.VISIT_MANAGE)
def change_visit_status(visit_id: int):
    """{"status": "berlangsung" | "selesai" | "ditunda" | "dibatalkan" | "dijadwalkan", "reason"?, "date"?}."""
    actor = current_actor()
    visit = queries.get_visit(actor, visit_id)
    body = JsonBody()
    status = body.text("status", required=True, message="Status tujuan wajib diisi.")
    reason, day = body.text("reason"), body.day("date")
    body.check()
    services.change_status(actor, visit, status, reason=reason, day=day)
    return jsonify(serialize_visit(visit))
