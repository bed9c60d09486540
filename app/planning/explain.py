"""Sentences for planners, built from structured data: why a desa is in the plan, why one is left out.

The optimizer and the services keep reasons as codes with parameters; this is the one place that words them, for
the plan page and the API alike (Indonesian first, English through the catalogue).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core.templating import fmt_number
from app.planning.priority import COMPONENT_LABELS


def leftover_message(u: Any, day_label: Any) -> str:
    """The reason a desa is not in the plan, as a sentence (``u`` is a PlanUnvisited)."""
    if u.reason == "displaced" and u.best_day:
        text = _("Paling mudah disisipkan pada %(day)s sebagai kunjungan ke-%(pos)s, menambah %(min)s menit "
                 "perjalanan dan kunjungan; kunjungan yang terpilih bernilai lebih tinggi.",
                 day=day_label(u.best_day), pos=u.best_position, min=fmt_number(u.added_min or 0))
        if u.mandatory:
            text += " " + _("Desa wajib ini bertabrakan dengan kunjungan wajib atau terkunci lainnya.")
        return text
    return {
        "displaced": _("Kunjungan yang terpilih bernilai lebih tinggi."),
        "unreachable": _("Perjalanan pulang-pergi dan lama kunjungan tidak muat dalam jam kerja hari mana pun, "
                         "walau dikunjungi sendirian."),
        "no_window": _("Jendela waktu desa tidak jatuh pada hari kerja dalam rencana ini, atau terlalu sempit untuk "
                       "lama kunjungan."),
        "closed": _("Desa ditandai tidak dapat dikunjungi pada bulan-bulan rencana ini."),
        "manual": _("Dihapus dari rencana oleh perencana."),
        "excluded": _("Dikecualikan dari rencana ini oleh perencana."),
    }.get(u.reason, _("Tidak masuk rencana."))


def visit_why(priority: Any | None, must_visit: bool = False) -> str:
    """Why this desa is in the plan: its priority and the components that weigh most (``priority`` is a
    PlanPriority)."""
    if priority is None:
        return _("Ditambahkan oleh perencana.")
    top = sorted(((v, k) for k, v in (priority.components or {}).items() if v > 0), reverse=True)[:2]
    parts = [f"{_(COMPONENT_LABELS.get(k, k))} {fmt_number(v, 2)}" for v, k in top]
    text = _("Prioritas %(score)s dari 100", score=fmt_number(priority.score, 1))
    if parts:
        text += ": " + "; ".join(parts)
    if must_visit:
        text += ". " + _("Wajib masuk rencana ini (pilihan perencana).")
    elif priority.mandatory:
        text += ". " + _("Wajib: lama tidak dikunjungi.")
    return text if text.endswith(".") else text + "."
