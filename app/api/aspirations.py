"""API for aspirations: submit, list, read, transition. The `id` of an aspiration is its public reference."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request

from app.api import bp
from app.aspirations import queries, services
from app.aspirations.models import STATUSES, Aspiration
from app.core.permissions import Permission
from app.core.security import current_actor, require


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise services.FieldErrors({"body": "Kirim objek JSON."})
    return body


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


def _services_field(value: Any) -> list[tuple[str, int]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise services.FieldErrors({"services": "services harus daftar objek {\"code\", \"count\"}."})
    return [(str(v.get("code", "")), v.get("count")) for v in value]


@bp.post("/aspirations", endpoint="create_aspiration")
@require(Permission.ASPIRATION_SUBMIT)
def create_aspiration():
    """Submit an aspiration; 422 with per-field messages, 403 for another desa."""
    body = _body()
    affected = body.get("affected")
    if affected is not None and (not isinstance(affected, int) or isinstance(affected, bool)):
        raise services.FieldErrors({"affected": "Jumlah warga terdampak harus bilangan bulat 0 atau lebih."})
    text_fields = ("village_code", "category", "title", "description", "urgency")
    wrong = {f: "Wajib diisi sebagai teks." for f in text_fields if not isinstance(body.get(f), str)}
    if wrong:
        raise services.FieldErrors(wrong)
    actor = current_actor()
    item = services.submit_aspiration(actor, services.AspirationInput(
        desa_code=body["village_code"], category=body["category"], title=body["title"],
        description=body["description"], urgency=body["urgency"], affected=affected,
        services=_services_field(body.get("services")), anonymous=bool(body.get("anonymous")),
        confidential=bool(body.get("confidential")),
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
    body = _body()
    if not isinstance(body.get("to"), str):
        raise services.FieldErrors({"to": "Status tujuan wajib diisi."})
    due_on = None
    if body.get("due_on") is not None:
        try:
            due_on = date.fromisoformat(str(body["due_on"]))
        except ValueError as err:
            raise services.FieldErrors({"due_on": "Tanggal harus berformat YYYY-MM-DD."}) from err
    version = body.get("version")
    item = services.transition(actor, item, body["to"], note=body.get("note"), opd=body.get("opd"),
                               merge_into=body.get("merge_into"), due_on=due_on,
                               expected_version=version if isinstance(version, int) else None)
    return jsonify(serialize(item, actor))

