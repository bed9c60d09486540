"""App-level fixtures: a populated world of regions and users."""

import pytest

from tests.factories import World


@pytest.fixture
def world(app_ctx) -> World:
    return World()
