"""JSON API under /api/v1, authenticated by bearer token; scope rules are the web's."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import aspirations, notifications, plans, reports, routes, visits  # noqa: E402,F401
