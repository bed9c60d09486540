"""Issue 21: the lifecycle and the two-person rule hold on every path (service, API, web form, visit screen).

A planner alone must not close an item by jumping from `diajukan` to `selesai`; closing on the spot exists only on
the visit-day screen of a visit in progress at the aspiration's desa.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.aspirations import services
from app.aspirations.models import Aspiration, AspirationEvent
from app.core.errors import DomainError
from app.extensions import db
from app.visits.models import Visit


def _submit(world, desa=None):
    return services.submit_aspiration(world.users["planner"], services.AspirationInput(
        desa_code=(desa or world.desa_a).code, category="adminduk", title="KK hilang terbawa banjir",
        description="Beberapa keluarga kehilangan KK saat banjir.", urgency="tinggi"))


def _visit(world, desa=None, status="berlangsung") -> Visit:
    row = Visit(regency_id=world.regency.id, desa_id=(desa or world.desa_a).id, day=date(2026, 12, 1),
                status=status)
    db.session.add(row)
    db.session.commit()
    return row


def _status(item) -> str:
    db.session.expire_all()
    return db.session.get(Aspiration, item.id).status


@pytest.mark.parametrize("target", ["selesai", "menunggu_verifikasi"])
def test_the_service_refuses_an_on_site_jump_without_a_visit(world, target):
    item = _submit(world)
    with pytest.raises(DomainError, match="tidak dapat diubah dari Diajukan") as err:
        services.transition(world.users["planner"], item, target, note="Saya tutup sendiri.")
    assert err.value.status_code in (409, 422) and "'" not in err.value.message  # labels, not codes
    assert _status(item) == "diajukan"


@pytest.mark.parametrize("visit_status, desa", [("dijadwalkan", "a"), ("selesai", "a"), ("berlangsung", "b")])
def test_on_site_closing_needs_a_visit_in_progress_at_the_aspirations_desa(world, visit_status, desa):
    item = _submit(world)
    visit = _visit(world, world.desa_a if desa == "a" else world.desa_b, visit_status)
    with pytest.raises(DomainError):
        services.transition(world.users["planner"], item, "selesai", note="Di tempat.", visit=visit)
    assert _status(item) == "diajukan"
    assert services.on_site_transitions(world.users["planner"], item, visit) == []


def test_on_site_closing_at_a_visit_in_progress_is_recorded_with_the_visit(world):
    item = _submit(world)
    visit = _visit(world)
    assert {t.target for t in services.on_site_transitions(world.users["planner"], item, visit)} == {
        "selesai", "menunggu_verifikasi"}
    services.transition(world.users["planner"], item, "selesai", note="KK dicetak di tempat.", visit=visit)
    assert _status(item) == "selesai"
    event = db.session.query(AspirationEvent).filter_by(aspiration_id=item.id, kind="transition").one()
    assert event.data == {"visit": visit.id}


def test_a_visit_records_only_on_site_steps(world):
    item = _submit(world)
    with pytest.raises(DomainError, match="halaman aspirasi"):
        services.transition(world.users["planner"], item, "diverifikasi", visit=_visit(world))
    assert _status(item) == "diajukan"


@pytest.mark.parametrize("target", ["selesai", "menunggu_verifikasi"])
def test_the_api_answers_422_to_the_jump_and_changes_nothing(world, client, token, target):
    item = _submit(world)
    response = client.post(f"/api/v1/aspirations/{item.reference}/transitions",
                           json={"to": target, "note": "Saya tutup sendiri."}, headers=token(world.users["planner"]))
    assert response.status_code in (409, 422)
    assert "tidak dapat diubah" in response.get_json()["message"]
    assert _status(item) == "diajukan"


def test_the_web_status_form_refuses_the_jump_in_indonesian(world, login):
    item = _submit(world)
    client = login(world.users["planner"])
    response = client.post(f"/aspirasi/{item.reference}/status",
                           data={"to": "selesai", "note": "Saya tutup sendiri.", "version": str(item.version)})
    assert response.status_code in (409, 422)
    assert "layar kunjungan yang sedang berlangsung" in response.get_data(as_text=True)
    assert _status(item) == "diajukan"


def test_the_visit_screen_closes_only_while_the_visit_is_in_progress(world, login):
    item = _submit(world)
    visit = _visit(world, status="dijadwalkan")
    client = login(world.users["planner"])
    url = f"/kunjungan/{visit.id}/aspirasi/{item.reference}"
    page = client.get(f"/kunjungan/{visit.id}").get_data(as_text=True)
    assert "Selesai di tempat" not in page
    client.post(url, data={"to": "selesai", "note": "Di tempat."})
    assert _status(item) == "diajukan"
    visit.status = "berlangsung"
    db.session.commit()
    assert "Selesai di tempat" in client.get(f"/kunjungan/{visit.id}").get_data(as_text=True)
    client.post(url, data={"to": "selesai", "note": "Di tempat."})
    assert _status(item) == "selesai"
