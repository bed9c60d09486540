"""Reports, web side: turns database rows into `reports.context` data, archives PDFs, serves them. The PDF
rendering itself lives in the top-level `reports` package."""

from flask import Blueprint

bp = Blueprint("reports", __name__, template_folder="templates")

from app.reports import routes  # noqa: E402,F401
