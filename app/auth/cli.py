"""CLI: `flask users create-admin` for the first administrator of a production deployment."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.admin.services import UserInput, create_user
from app.core.errors import DomainError
from app.regions.services import get_regency

users_cli = AppGroup("users", help="Pengguna.")


class _Bootstrap:
    """Stands in for the acting admin when there is none yet."""

    id = None
    username = "cli"

    def __init__(self, regency_id: int) -> None:
        self.regency_id = regency_id


@users_cli.command("create-admin")
@click.argument("username")
@click.option("--regency", default="35.10", show_default=True)
@click.option("--full-name", default="Administrator")
@click.option("--email", default=None)
@click.password_option(prompt="Kata sandi", confirmation_prompt="Ulangi kata sandi")
def create_admin(username: str, regency: str, full_name: str, email: str | None, password: str) -> None:
    """Buat akun administrator untuk kabupaten REGENCY."""
    try:
        reg = get_regency(regency)
        user = create_user(UserInput(username=username, full_name=full_name, role="admin", email=email,
                                     password=password), _Bootstrap(reg.id))
    except DomainError as err:
        raise click.ClickException(err.message) from err
    click.echo(f"Administrator {user.username} dibuat untuk {reg.name}.")
