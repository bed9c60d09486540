"""Bunga Desa web application: the application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, session

from app.config import load_config, validate_config
from app.extensions import babel, csrf, db, login_manager, migrate


def _select_locale() -> str:
    """Bahasa Indonesia first; English when the user chose it."""
    from flask import current_app

    chosen = session.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: environment configuration, then the `config` mapping (tests), then validation."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    validate_config(app.config)
    from app.core.clock import travel_to_test_now

    travel_to_test_now(testing=bool(app.config["TESTING"]))
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from app.core.logging import install_log_filter

    install_log_filter(app.logger)
    logging.getLogger("werkzeug").addFilter(app.logger.filters[0])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, default_translation_directories="translations")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    from app import models  # noqa: F401 - registers every table
    from app.auth.services import load_session_user

    login_manager.user_loader(load_session_user)

    from app.core.errors import register_error_handlers
    from app.core.security import init_security
    from app.core.templating import init_templating

    init_security(app)
    register_error_handlers(app)
    init_templating(app)
    _register_blueprints(app)
    _register_cli(app)

    @app.get("/healthz", endpoint="health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/favicon.ico", endpoint="favicon")
    def favicon():
        """Browsers ask for /favicon.ico on every page; answer it instead of a 404 in every log."""
        from flask import send_from_directory

        return send_from_directory(app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                                   max_age=7 * 24 * 3600)

    @app.before_request
    def _permanent_session() -> None:
        session.permanent = True

    return app


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.aspirations import bp as aspirations_bp
    from app.auth import bp as auth_bp
    from app.notifications import bp as notifications_bp
    from app.planning import bp as planning_bp
    from app.regions import bp as regions_bp
    from app.reports import bp as reports_bp
    from app.visits import bp as visits_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(regions_bp)
    app.register_blueprint(aspirations_bp, url_prefix="/aspirasi")
    app.register_blueprint(planning_bp, url_prefix="/rencana")
    app.register_blueprint(visits_bp, url_prefix="/kunjungan")
    app.register_blueprint(reports_bp, url_prefix="/laporan")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(notifications_bp, url_prefix="/notifikasi")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # the API authenticates by bearer token only, never by cookie, so CSRF cannot apply


def _register_cli(app: Flask) -> None:
    from app.core.cli import register_commands

    register_commands(app)
