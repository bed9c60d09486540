"""Aspirations: the kepala desa portal, the office inbox, OPD queues, lifecycle, deadlines and aggregates."""

from flask import Blueprint

bp = Blueprint("aspirations", __name__, template_folder="templates")

from app.aspirations import routes  # noqa: E402,F401
