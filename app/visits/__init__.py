"""Visits: the visit day, services delivered (counts and NIK records), on-site aspirations, commitments."""

from flask import Blueprint

bp = Blueprint("visits", __name__, template_folder="templates")

from app.visits import routes  # noqa: E402,F401
