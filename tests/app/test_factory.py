"""create_app configuration behaviour: environment variables, defaults, fail-fast production checks."""

import pytest

from app import create_app
from app.config import ConfigError, load_config, validate_config


def test_development_defaults_use_sqlite_in_instance_folder(tmp_path):
    cfg = load_config(str(tmp_path), env={})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/bunga_desa.sqlite3"
    assert cfg["BUNGA_ENV"] == "development"
    assert cfg["TIMEZONE"] == "Asia/Jakarta"
    assert len(cfg["SECRET_KEY"]) >= 32 and len(cfg["PII_KEY"]) >= 32
    # the development secret survives a restart (same instance folder)
    assert load_config(str(tmp_path), env={})["SECRET_KEY"] == cfg["SECRET_KEY"]


def test_environment_variables_are_read(tmp_path):
    cfg = load_config(str(tmp_path), env={"BUNGA_DATABASE_URL": "postgresql+psycopg://db/x", "BUNGA_ENV": "production",
                                           "BUNGA_SECRET_KEY": "s" * 40, "BUNGA_PII_KEY": "p" * 40,
                                           "BUNGA_DEMO_PASSWORD": "sandi-demo-khusus"})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/x"
    assert cfg["SESSION_COOKIE_SECURE"] is True and cfg["SESSION_COOKIE_NAME"] == "__Host-bunga"
    assert cfg["DEMO_PASSWORD"] == "sandi-demo-khusus"
    validate_config(cfg)


@pytest.mark.parametrize("missing", ["BUNGA_SECRET_KEY", "BUNGA_PII_KEY"])
def test_production_without_a_secret_stops_start_up_with_a_clear_message(tmp_path, missing):
    env = {"BUNGA_ENV": "production", "BUNGA_SECRET_KEY": "s" * 40, "BUNGA_PII_KEY": "p" * 40}
    del env[missing]
    with pytest.raises(ConfigError, match=missing):
        validate_config(load_config(str(tmp_path), env=env))


def test_production_refuses_short_secrets_and_debug(tmp_path):
    env = {"BUNGA_ENV": "production", "BUNGA_SECRET_KEY": "short", "BUNGA_PII_KEY": "p" * 40}
    with pytest.raises(ConfigError, match="terlalu pendek"):
        validate_config(load_config(str(tmp_path), env=env))
    cfg = load_config(str(tmp_path), env={**env, "BUNGA_SECRET_KEY": "s" * 40})
    cfg["DEBUG"] = True
    with pytest.raises(ConfigError, match="DEBUG"):
        validate_config(cfg)


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="BUNGA_ENV"):
        validate_config(load_config(str(tmp_path), env={"BUNGA_ENV": "staging"}))


def test_create_app_applies_the_mapping_last(monkeypatch):
    monkeypatch.setenv("BUNGA_ENV", "production")
    monkeypatch.delenv("BUNGA_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 40,
                      "PII_KEY": "p" * 40})
    assert app.config["TESTING"] is True


def test_testing_mode_is_development_with_flask_testing_on(tmp_path):
    cfg = load_config(str(tmp_path), env={"BUNGA_ENV": "testing"})
    validate_config(cfg)
    assert cfg["TESTING"] is True and cfg["SESSION_COOKIE_SECURE"] is False
    assert load_config(str(tmp_path), env={"BUNGA_ENV": "development"})["TESTING"] is False


def test_favicon_is_served_to_everyone_and_linked_from_every_page(client, world, login):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header
    page = client.get("/masuk").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page and 'href="/favicon.ico"' in page
    assert client.get("/static/favicon.svg").status_code == 200


def test_the_bell_is_an_inline_svg_that_needs_no_emoji_font(world, login):
    page = login(world.users["kepala_desa"]).get("/").get_data(as_text=True)
    bell = page.split('data-testid="bell"')[1].split("</a>")[0]
    assert "<svg" in bell and "🔔" not in page
