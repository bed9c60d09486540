"""Two planners change the same aspiration at the same moment: one wins, the other gets a conflict message,
and nothing is lost (runs on SQLite and, in CI, on PostgreSQL)."""

from __future__ import annotations

import threading

from sqlalchemy import select

from app.aspirations import services
from app.aspirations.models import Aspiration, AspirationEvent
from app.auth.models import User
from app.core.errors import Conflict
from app.extensions import db


def test_simultaneous_transitions_one_wins_one_conflicts(world, web_app):
    item = services.submit_aspiration(world.users["kepala_desa"], services.AspirationInput(
        desa_code=world.desa_a.code, category="kesehatan", title="Posyandu tanpa bidan",
        description="Posyandu dusun tidak memiliki bidan tetap sejak Juli.", urgency="tinggi"))
    reference = item.reference
    barrier = threading.Barrier(2, timeout=20)
    outcomes: dict[str, str] = {}

    def act(username: str, target: str, note: str | None) -> None:
        with web_app.app_context():
            actor = db.session.scalar(select(User).where(User.username == username))
            mine = db.session.scalar(select(Aspiration).where(Aspiration.reference == reference))
            _ = mine.events, mine.category  # load what the service reads before racing
            barrier.wait()
            try:
                services.transition(actor, mine, target, note=note)
                outcomes[username] = "ok"
            except Conflict as err:
                outcomes[username] = err.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=act, args=("perencana", "diverifikasi", None)),
               threading.Thread(target=act, args=("admin", "ditolak", "Bukan kewenangan kabupaten."))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["admin", "perencana"]
    assert sorted(v == "ok" for v in outcomes.values()) == [False, True]
    loser = next(v for v in outcomes.values() if v != "ok")
    assert "baru saja diubah" in loser
    db.session.expire_all()
    fresh = db.session.scalar(select(Aspiration).where(Aspiration.reference == reference))
    winner = next(k for k, v in outcomes.items() if v == "ok")
    assert fresh.status == {"perencana": "diverifikasi", "admin": "ditolak"}[winner]
    assert fresh.version == 2
    transitions = db.session.scalars(select(AspirationEvent).where(AspirationEvent.aspiration_id == fresh.id,
                                                                   AspirationEvent.kind == "transition")).all()
    assert len(transitions) == 1  # the loser's history entry was rolled back with its change
