"""API for plan runs (planner role): queue, poll with results, publish; the planning settings."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from app.api import bp
from app.api.body import JsonBody
from app.core.permissions import Permission
from app.core.security import current_actor, require
from app.planning import day_settings, desa_availability, edits, explain, queries, services
from app.planning.calendar import settings_for
from app.planning.models import Plan
from app.regions import queries as region_queries


def serialize_plan(plan: Plan) -> dict[str, Any]:
    hhmm = queries.hhmm
    done = plan.status == "done"
    priorities = {p.desa_id: p for p in plan.priorities} if done else {}
    must = set((plan.options or {}).get("must_visit") or [])
    return {
        "id": plan.id, "name": plan.name, "status": plan.status, "progress": plan.progress, "message": plan.message,
        "start": plan.start_date.isoformat(), "end": plan.end_date.isoformat(), "mode": plan.mode,
        "weights": plan.weights, "data_hash": plan.data_hash, "published": plan.published_at is not None,
        "total_priority": plan.total_priority, "total_travel_min": plan.total_travel_min,
        "travel_model": plan.travel_model, "travel_overrides": plan.travel_overrides,
        "options": plan.options or {"weekdays": None, "must_visit": [], "exclude": [], "keep_published": True},
        "poverty_data": plan.poverty_data,
        "days": [{"date": d.day.isoformat(),
                  "visits": [{"village_code": v.desa.code, "arrive": hhmm(v.arrive_min), "start": hhmm(v.start_min),
                              "end": hhmm(v.end_min), "locked": v.locked, "travel_min": round(v.travel_min or 0, 1),
                              "priority": (round(priorities[v.desa_id].score, 1) if v.desa_id in priorities
                                           else None),
                              "why": explain.visit_why(priorities.get(v.desa_id), v.desa.code in must)}
                             for v in d.visits]}
                 for d in plan.days] if done else [],
        "unvisited": [{"village_code": u.desa.code, "reason": u.reason, "mandatory": u.mandatory,
                       "priority": round(priorities[u.desa_id].score, 1) if u.desa_id in priorities else None,
                       "message": explain.leftover_message(u, edits.day_label)}
                      for u in queries.leftovers(plan)] if done else [],
    }


@bp.post("/plans", endpoint="create_plan")
@require(Permission.PLAN_EDIT)
def create_plan():
    """Queue a plan: {"start","end","mode"?,"time_limit_s"?,"start_place_id"?,"name"?,"weekdays"?,"must_visit"?,
    "exclude"?,"keep_published"?} → 202 {"id"}."""
    actor = current_actor()
    body = JsonBody()
    start, end = body.day("start", required=True), body.day("end", required=True)
    mode = body.text("mode") or "kunjungan"
    time_limit = body.integer("time_limit_s", message="Batas waktu harus bilangan bulat (detik).")
    place_id = body.integer("start_place_id")
    name = body.text("name")
    weekdays = body.integers("weekdays", message="Hari berupa daftar angka 1 (Senin) sampai 7 (Minggu).")
    codes = "Isi daftar kode desa, mis. [\"35.10.09.2001\"]."
    must_visit, exclude = body.texts("must_visit", message=codes), body.texts("exclude", message=codes)
    keep = body.boolean("keep_published", default=True)
    body.check()
    if place_id is None:
        office = next((p for p in queries.places(actor) if p.kind == "office"), None)
        place_id = office.id if office else None
    plan = services.create_plan(actor, services.PlanInput(
        start=start, end=end, mode=mode, start_place_id=place_id,
        time_limit_s=30 if time_limit is None else time_limit, name=name,
        weekdays=tuple(weekdays) if weekdays is not None else None, keep_published=keep,
        must_visit=tuple(must_visit or ()), exclude=tuple(exclude or ())))
    services.launch(plan)
    return jsonify({"id": plan.id, "status": plan.status}), 202


@bp.get("/plans/<int:plan_id>", endpoint="get_plan")
@require(Permission.PLAN_VIEW)
def get_plan(plan_id: int):
    """Status and progress; days, visits and leftovers once done."""
    return jsonify(serialize_plan(queries.get_plan(current_actor(), plan_id)))


@bp.post("/plans/<int:plan_id>/publish", endpoint="publish_plan")
@require(Permission.PLAN_EDIT)
def publish_plan(plan_id: int):
    """Publish a finished plan; answers what changed."""
    actor = current_actor()
    preview = services.publish(actor, queries.get_plan(actor, plan_id))
    return jsonify({"id": plan_id, "published": True, "new": [c.desa_code for c in preview.new],
                    "moved": [c.desa_code for c in preview.moved],
                    "cancelled": [c.desa_code for c in preview.cancelled]})




@bp.get("/planning/settings", endpoint="get_planning_settings")
@require(Permission.PLAN_VIEW)
def get_planning_settings():
    """The regency's working day, breaks, visit modes, weekdays (ISO 1 = Monday) and mandatory-after months."""
    return jsonify(day_settings.as_dict(settings_for(current_actor().regency_id)))


@bp.put("/planning/settings", endpoint="put_planning_settings")
@require(Permission.PLAN_EDIT)
def put_planning_settings():
    """Change any subset of the settings; later plans use them. Invalid → 422 with per-field messages."""
    return jsonify(day_settings.as_dict(day_settings.update(current_actor(), request.get_json(silent=True))))


@bp.get("/villages/<code>/planning", endpoint="get_village_planning")
@require(Permission.PLAN_VIEW)
def get_village_planning(code: str):
    """A desa's availability windows, closed months and extra travel minutes."""
    return jsonify(desa_availability.as_dict(region_queries.get_village(current_actor(), code)))


@bp.put("/villages/<code>/planning", endpoint="put_village_planning")
@require(Permission.PLAN_EDIT)
def put_village_planning(code: str):
    """{"windows": [{"weekday": 4, "start": "09:00", "end": "12:00"} | {"date": …}], "closed_months": [1, 2],
    "extra_travel_min": 30} (any subset; windows are replaced whole) → 200; invalid → 422 per field."""
    actor = current_actor()
    desa = region_queries.get_village(actor, code)
    return jsonify(desa_availability.as_dict(desa_availability.update(actor, desa, request.get_json(silent=True))))


@bp.get("/coverage", endpoint="coverage")
@require(Permission.COVERAGE_VIEW)
def get_coverage():
    """{"desa_total","visited_ever","never_visited":[codes],"poorest_fifth":{"total","visited"},
    "overdue_aspirations_desa":{"total","visited"},"projected_complete":"YYYY-MM"|null} (office and DPRD)."""
    from app.planning.coverage import coverage

    return jsonify(coverage(current_actor().regency_id).as_json())
