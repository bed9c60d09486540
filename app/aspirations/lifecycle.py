"""The status machine, mappable to SP4N-LAPOR!: which step follows which, who may take it, what it needs.

diajukan → diverifikasi | ditolak | digabung; diverifikasi → didisposisikan | ditolak | digabung;
didisposisikan → ditindaklanjuti | menunggu_verifikasi; ditindaklanjuti → menunggu_verifikasi;
menunggu_verifikasi → selesai (a planner other than the one who reported it done) | ditindaklanjuti (sent back).
At a visit the office may also close an open item on the spot (→ selesai) or record it as handled, to be verified
(diajukan/diverifikasi → menunggu_verifikasi).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OFFICE = frozenset({"admin", "planner"})
AGENCY = frozenset({"opd", "admin"})


@dataclass(frozen=True)
class Transition:
    """One permitted step; the `needs_*` flags are the required fields."""

    source: str
    target: str
    roles: frozenset[str]
    label: str
    needs_note: bool = False
    needs_opd: bool = False
    needs_merge_target: bool = False
    own_sector_only: bool = False  # OPD users act only on items dispatched to their sector
    on_site: bool = False  # offered on the visit-day screen only


TRANSITIONS: tuple[Transition, ...] = (
    Transition("diajukan", "diverifikasi", OFFICE, "Verifikasi"),
    Transition("diajukan", "ditolak", OFFICE, "Tolak", needs_note=True),
    Transition("diajukan", "digabung", OFFICE, "Gabungkan (duplikat)", needs_merge_target=True),
    Transition("diverifikasi", "didisposisikan", OFFICE, "Disposisikan ke OPD", needs_opd=True),
    Transition("diverifikasi", "ditolak", OFFICE, "Tolak", needs_note=True),
    Transition("diverifikasi", "digabung", OFFICE, "Gabungkan (duplikat)", needs_merge_target=True),
    Transition("didisposisikan", "didisposisikan", OFFICE, "Disposisikan ulang", needs_opd=True, needs_note=True),
    Transition("didisposisikan", "ditindaklanjuti", AGENCY, "Mulai tindak lanjut", own_sector_only=True),
    Transition("didisposisikan", "menunggu_verifikasi", AGENCY, "Laporkan selesai", needs_note=True,
               own_sector_only=True),
    Transition("ditindaklanjuti", "menunggu_verifikasi", AGENCY, "Laporkan selesai", needs_note=True,
               own_sector_only=True),
    Transition("menunggu_verifikasi", "selesai", OFFICE, "Nyatakan selesai", needs_note=True),
    Transition("menunggu_verifikasi", "ditindaklanjuti", OFFICE, "Kembalikan ke OPD", needs_note=True),
    # At a Bunga Desa visit the bupati may settle an item on the spot; the office records it with a note.
    *(Transition(source, "selesai", OFFICE, "Selesai di tempat (kunjungan)", needs_note=True, on_site=True)
      for source in ("diajukan", "diverifikasi", "didisposisikan", "ditindaklanjuti")),
    *(Transition(source, "menunggu_verifikasi", OFFICE, "Ditangani saat kunjungan, perlu verifikasi",
                 needs_note=True, on_site=True)
      for source in ("diajukan", "diverifikasi")),
)

_BY_STEP = {(t.source, t.target): t for t in TRANSITIONS}


def find_transition(source: str, target: str) -> Transition | None:
    return _BY_STEP.get((source, target))


def may_take(transition: Transition, actor: Any, aspiration: Any) -> bool:
    """Role and sector check for one step (the two-person rule is checked by the service, with history)."""
    if actor.role not in transition.roles:
        return False
    return not (transition.own_sector_only and actor.role == "opd" and actor.sector != aspiration.opd_sector)


def available_transitions(actor: Any, aspiration: Any, *, on_site: bool = False) -> list[Transition]:
    """The steps this actor may take now, for the action buttons (on-site steps only at a visit)."""
    return [t for t in TRANSITIONS if t.source == aspiration.status and may_take(t, actor, aspiration)
            and t.on_site == on_site]
