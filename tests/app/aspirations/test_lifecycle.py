"""Every legal and illegal transition, roles, required fields, deadlines and the two-person rule."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.aspirations import lifecycle, services
from app.aspirations.models import STATUSES, Aspiration, DeadlineRule
from app.core.errors import Conflict, DomainError, Forbidden
from app.extensions import db
from app.visits.models import Visit
from tests.factories import create_user

PATHS = {  # how to bring a fresh aspiration to each status, step by step (actor role, target, kwargs)
    "diajukan": [],
    "diverifikasi": [("planner", "diverifikasi", {})],
    "ditolak": [("planner", "ditolak", {"note": "Bukan kewenangan kabupaten."})],
    "didisposisikan": [("planner", "diverifikasi", {}), ("planner", "didisposisikan", {"opd": "adminduk"})],
    "ditindaklanjuti": [("planner", "diverifikasi", {}), ("planner", "didisposisikan", {"opd": "adminduk"}),
                        ("opd", "ditindaklanjuti", {})],
    "menunggu_verifikasi": [("planner", "diverifikasi", {}), ("planner", "didisposisikan", {"opd": "adminduk"}),
                            ("opd", "menunggu_verifikasi", {"note": "Sudah dilayani."})],
    "selesai": [("planner", "diverifikasi", {}), ("planner", "didisposisikan", {"opd": "adminduk"}),
                ("opd", "menunggu_verifikasi", {"note": "Sudah dilayani."}),
                ("planner", "selesai", {"note": "Dicek di lapangan."})],
}


def _submit(world, urgency="sedang", submitted_on=None, title="Perekaman KTP-el lansia"):
    return services.submit_aspiration(world.users["kepala_desa"], services.AspirationInput(
        desa_code=world.desa_a.code, category="adminduk", title=title,
        description="Banyak lansia belum merekam KTP-el di dusun kami.", urgency=urgency,
        services=[("perekaman_ktp_el", 40)], submitted_on=submitted_on))


def _bring_to(world, item, status):
    for role, target, kwargs in PATHS[status]:
        services.transition(world.users[role], item, target, **kwargs)
    assert item.status == status
    return item


def _fields_for(t: lifecycle.Transition) -> dict:
    kwargs = {}
    if t.needs_note:
        kwargs["note"] = "Catatan uji."
    if t.needs_opd:
        kwargs["opd"] = "kesehatan"
    return kwargs


LEGAL = [(t.source, t.target) for t in lifecycle.TRANSITIONS]


@pytest.mark.parametrize("source, target", LEGAL)
def test_every_legal_transition_by_an_allowed_role(world, source, target):
    item = _bring_to(world, _submit(world), source)
    step = lifecycle.find_transition(source, target)
    kwargs = _fields_for(step)
    if step.needs_merge_target:
        kwargs["merge_into"] = _submit(world, title="Aspirasi lain yang terbuka").reference
    role = "opd" if "opd" in step.roles and "planner" not in step.roles else "planner"
    actor = world.users[role]
    if source == "menunggu_verifikasi":
        actor = world.users["planner"]
    if step.own_sector_only and item.opd_sector != actor.sector:
        actor = create_user("opd", world.regency, f"opd.{item.opd_sector}", sector=item.opd_sector)
    if step.on_site:  # closing on the spot: only from a visit in progress at the aspiration's desa
        kwargs["visit"] = Visit(regency_id=world.regency.id, desa_id=item.desa_id, day=date(2026, 12, 1),
                                status="berlangsung")
        db.session.add(kwargs["visit"])
        db.session.flush()
    services.transition(actor, item, target, **kwargs)
    db.session.expire_all()
    fresh = db.session.get(Aspiration, item.id)
    assert fresh.status == target
    assert fresh.events[-1].kind == "transition" and fresh.events[-1].to_status == target


ILLEGAL = [(s, t) for s in STATUSES for t in STATUSES if (s, t) not in set(LEGAL) and s in PATHS]


@pytest.mark.parametrize("source, target", ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_clear_message(world, source, target):
    item = _bring_to(world, _submit(world), source)
    with pytest.raises(DomainError, match="tidak dapat diubah dari"):
        services.transition(world.users["admin"], item, target, note="x", opd="adminduk")
    db.session.expire_all()
    assert db.session.get(Aspiration, item.id).status == source


@pytest.mark.parametrize("role", ["kepala_desa", "camat", "opd", "dprd"])
def test_only_the_office_verifies(world, role):
    item = _submit(world)
    with pytest.raises(Forbidden):
        services.transition(world.users[role], item, "diverifikasi")


def test_an_opd_of_another_sector_cannot_follow_up(world):
    item = _bring_to(world, _submit(world), "didisposisikan")  # to adminduk
    health = create_user("opd", world.regency, "opd.kesehatan", sector="kesehatan")
    with pytest.raises(Forbidden):
        services.transition(health, item, "ditindaklanjuti")


@pytest.mark.parametrize("target, kwargs, field", [
    ("ditolak", {}, "note"),
    ("digabung", {"merge_into": "ASP-2026-XXXXX"}, "merge_into"),
    ("digabung", {}, "merge_into"),
])
def test_required_fields(world, target, kwargs, field):
    item = _submit(world)
    with pytest.raises(services.FieldErrors) as err:
        services.transition(world.users["planner"], item, target, **kwargs)
    assert field in err.value.errors


def test_dispatch_needs_a_known_opd_and_sets_a_five_working_day_deadline(world):
    item = _bring_to(world, _submit(world), "diverifikasi")
    with pytest.raises(services.FieldErrors):
        services.transition(world.users["planner"], item, "didisposisikan", opd="dinas-antah")
    services.transition(world.users["planner"], item, "didisposisikan", opd="adminduk")
    from app.aspirations.queries import today_local
    from app.core.workdays import add_working_days

    assert item.opd_sector == "adminduk" and item.due_on == add_working_days(today_local(), 5)


def test_two_person_rule_for_closing(world):
    item = _bring_to(world, _submit(world), "didisposisikan")
    admin = world.users["admin"]
    services.transition(admin, item, "menunggu_verifikasi", note="Sudah dilayani langsung.")
    with pytest.raises(DomainError, match="aturan dua orang"):
        services.transition(admin, item, "selesai", note="Saya cek sendiri.")
    services.transition(world.users["planner"], item, "selesai", note="Dicek.")
    assert item.status == "selesai" and item.resolved_on is not None and item.due_on is None


def test_verification_deadline_counts_working_days_across_idulfitri(world):
    item = _submit(world, submitted_on=date(2026, 3, 17))
    assert item.due_on == date(2026, 3, 27)  # 3 working days; 18–24 March are holidays/cuti bersama


def test_urgency_rule_shortens_the_deadline(world):
    item = _submit(world, urgency="darurat", submitted_on=date(2026, 11, 27))  # Friday
    assert item.due_on == date(2026, 11, 30)  # 1 working day
    rule = db.session.scalar(select(DeadlineRule).where(DeadlineRule.urgency == "darurat"))
    assert (rule.verify_days, rule.followup_days) == (1, 2)


def test_merge_moves_support_to_the_target(world):
    target = _submit(world, title="Jalan rusak di Dusun Krajan")
    copy = _submit(world, title="Jalan Dusun Krajan rusak parah")
    services.transition(world.users["planner"], copy, "digabung", merge_into=target.reference)
    db.session.expire_all()
    assert db.session.get(Aspiration, target.id).supporters == 1
    assert db.session.get(Aspiration, copy.id).merged_into_id == target.id


def test_a_stale_version_is_a_conflict_and_changes_nothing(world):
    item = _submit(world)
    services.transition(world.users["planner"], item, "diverifikasi", expected_version=item.version)
    with pytest.raises(Conflict, match="baru saja diubah"):
        services.transition(world.users["admin"], item, "ditolak", note="x", expected_version=1)
    db.session.expire_all()
    assert db.session.get(Aspiration, item.id).status == "diverifikasi"


def test_a_kepala_desa_cannot_submit_for_another_desa(world):
    with pytest.raises(Forbidden, match="desanya sendiri"):
        services.submit_aspiration(world.users["kepala_desa"], services.AspirationInput(
            desa_code=world.desa_b.code, category="kesehatan", title="Posyandu rusak",
            description="Atap posyandu bocor dan perlu diperbaiki.", urgency="sedang"))


def test_invalid_fields_are_reported_per_field_and_nothing_is_saved(world):
    with pytest.raises(services.FieldErrors) as err:
        services.submit_aspiration(world.users["planner"], services.AspirationInput(
            desa_code="35.10.99.9999", category="tidak-ada", title="abc", description="pendek", urgency="kritis",
            affected=-3, services=[("perekaman_ktp_el", 0)]))
    assert set(err.value.errors) == {"village_code", "category", "title", "description", "urgency", "affected",
                                     "services"}
    assert db.session.scalar(select(db.func.count(Aspiration.id))) == 0


def test_reference_is_unguessable_and_well_formed(world):
    refs = {_submit(world).reference for _ in range(5)}
    assert len(refs) == 5
    for ref in refs:
        assert ref.startswith("ASP-") and len(ref.split("-")[2]) == 5


def test_support_counts_once_per_user_and_not_for_the_submitter(world):
    item = _submit(world)
    neighbour = create_user("kepala_desa", world.regency, "kades.a.wakil", desa_id=world.desa_a.id)
    assert services.support(world.users["kepala_desa"], item) is False  # own aspiration
    assert services.support(neighbour, item) is True
    assert services.support(neighbour, item) is False
    with pytest.raises(Forbidden):
        services.support(world.users["planner"], item)
    db.session.expire_all()
    assert db.session.get(Aspiration, item.id).supporters == 1


def test_priority_weights_grow_with_urgency_and_age(world):
    from app.aspirations.queries import open_aspiration_weights

    _submit(world, urgency="darurat", submitted_on=date(2026, 1, 5))
    _submit(world, urgency="rendah", submitted_on=date(2026, 11, 27))
    weights = open_aspiration_weights(world.regency.id, as_of=date(2026, 11, 27))
    assert weights[world.desa_a.id] == pytest.approx(5.0 * 3.0 + 1.0 * 1.0)
    closed = _bring_to(world, _submit(world, urgency="tinggi"), "ditolak")
    assert closed.status == "ditolak"
    assert open_aspiration_weights(world.regency.id, as_of=date(2026, 11, 27)) == weights
