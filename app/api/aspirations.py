"""API for aspirations: submit, list, read, transition. The `id` of an aspiration is its public reference."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from app.api import bp
from app.api.body import JsonBody
from app.aspirations import queries, services
from app.aspirations.models import STATUSES, Aspiration
from app.core.permissions import Permission
from app.core.security import current_actor, require


def serialize(item: Aspiration, actor: Any, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.reference, "reference": item.reference, "status": item.status,
        "village_code": item.desa.code, "category": item.category.code, "title": item.title,
        "urgency": item.urgency, "affected": item.affected, "supporters": item.supporters,
        "opd": item.opd_sector, "due_on": item.due_on.isoformat() if item.due_on else None,
        "submitted_on": item.submitted_on.isoformat(), "confidential": item.confidential,
        "anonymous": item.anonymous, "version": item.version,
    }
    if full:
        show_submitter = not item.anonymous or actor.role == "admin"
        data.update(
            description=item.description,
            services=[{"code": s.service_code, "count": s.quantity} for s in item.services],
            submitted_by=item.submitted_by.full_name if show_submitter and item.submitted_by else None,
            history=[{"at": e.at.isoformat(), "kind": e.kind, "from": e.from_status, "to": e.to_status,
                      "note": e.note} for e in item.events],
        )
    return data


def _services_field(body: JsonBody) -> list[tuple[str, int]]:
    message = "services harus daftar objek {\"code\": teks, \"count\": bilangan bulat}."
    items = body.objects("services", message=message) or []
    if any(not isinstance(v.get("code"), str) or isinstance(v.get("count"), bool)
           or not isinstance(v.get("count"), int) for v in items):
        body.errors["services"] = message
        return []
    return [(v["code"], v["count"]) for v in items]


@bp.post("/aspirations", endpoint="create_aspiration")
@require(Permission.ASPIRATION_SUBMIT)
def create_aspiration():
    """Submit an aspiration; 422 with per-field messages (also for a wrong JSON type), 403 for another desa."""
    body = JsonBody()
    texts = {f: body.text(f, required=True, message="Wajib diisi sebagai teks.")
             for f in ("village_code", "category", "title", "description", "urgency")}
    affected = body.integer("affected", message="Jumlah warga terdampak harus bilangan bulat 0 atau lebih.")
    service_lines = _services_field(body)
    anonymous, confidential = body.boolean("anonymous"), body.boolean("confidential")
    body.check()
    actor = current_actor()
    item = services.submit_aspiration(actor, services.AspirationInput(
        desa_code=texts["village_code"], category=texts["category"], title=texts["title"],
        description=texts["description"], urgency=texts["urgency"], affected=affected,
        services=service_lines, anonymous=anonymous, confidential=confidential,
        channel="portal" if actor.role == "kepala_desa" else "assisted"))
    return jsonify({"id": item.reference, "reference": item.reference, "status": item.status}), 201


@bp.get("/aspirations", endpoint="list_aspirations")
@require(Permission.ASPIRATION_VIEW)
def list_aspirations():
    """Aspirations in the caller's scope, optionally by village and status (up to 500)."""
    status = request.args.get("status") or None
    if status and status not in STATUSES and status != "terbuka":
        raise services.FieldErrors({"status": "Status tidak dikenal."})
    flt = queries.AspirationFilter(desa=request.args.get("village") or None, status=status, per_page=500)
    items, total = queries.list_aspirations(current_actor(), flt)
    return jsonify({"items": [serialize(i, current_actor()) for i in items], "count": total})


@bp.get("/aspirations/<reference>", endpoint="get_aspiration")
@require(Permission.ASPIRATION_VIEW)
def get_aspiration(reference: str):
    """One aspiration with its history; 404 outside the caller's scope."""
    actor = current_actor()
    return jsonify(serialize(queries.get_aspiration(actor, reference), actor, full=True))


@bp.post("/aspirations/<reference>/transitions", endpoint="transition_aspiration")
@require(Permission.ASPIRATION_VIEW)
def transition_aspiration(reference: str):
    """Take a lifecycle step: {"to", "note"?, "opd"?, "merge_into"?, "due_on"?, "version"?}."""
    actor = current_actor()
    item = queries.get_aspiration(actor, reference)
    body = JsonBody()
    to = body.text("to", required=True, message="Status tujuan wajib diisi.")
    note, opd, merge_into = body.text("note"), body.text("opd"), body.text("merge_into")
    due_on, version = body.day("due_on"), body.integer("version")
    body.check()
    item = services.transition(actor, item, to, note=note, opd=opd, merge_into=merge_into, due_on=due_on,
                               expected_version=version)
    return jsonify(serialize(item, actor))
