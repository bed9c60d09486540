"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi …`."""

import sys

from app import create_app
from app.config import ConfigError

try:
    app = create_app()
except ConfigError as err:  # a clear message instead of a traceback when a production secret is missing
    sys.exit(f"Bunga Desa tidak dapat dijalankan: {err}")
