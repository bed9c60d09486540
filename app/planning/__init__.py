"""Planning: priorities, plan runs with progress, review and edit, publication, calendar feeds."""

from flask import Blueprint

bp = Blueprint("planning", __name__, template_folder="templates")

from app.planning import routes  # noqa: E402,F401
