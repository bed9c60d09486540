"""The clock: BUNGA_TEST_NOW moves a whole test run (and the processes it starts) through one seam, the `clock`
fixture moves one test, and production never honours the variable."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from app.core import clock as app_clock
from app.core.clock import parse_test_now, today_local, travel_to_test_now, utcnow

ROOT = Path(__file__).resolve().parents[2]
FAR = "2031-05-05T17:30:00Z"  # 00:30 WIB: the regency is already on the 6th


def test_parse_test_now_accepts_utc_offsets_and_bare_dates():
    assert parse_test_now("2028-03-01T16:30:00Z") == datetime(2028, 3, 1, 16, 30, tzinfo=UTC)
    assert parse_test_now("2028-03-01T23:30+07:00") == datetime(2028, 3, 1, 16, 30, tzinfo=UTC)
    assert parse_test_now(" 2028-03-01 ") == datetime(2028, 3, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_test_now("1 Maret 2028")


def test_the_variable_is_ignored_outside_the_testing_configuration():
    assert travel_to_test_now({"BUNGA_TEST_NOW": FAR}, testing=False) is None
    assert travel_to_test_now({}, testing=True) is None


def test_the_clock_fixture_sets_and_advances_every_clock(clock):
    clock.set(datetime(2029, 12, 31, 16, 59, tzinfo=UTC))  # 23:59 WIB on new year's eve
    assert utcnow() == datetime(2029, 12, 31, 16, 59, tzinfo=UTC)
    assert today_local() == date(2029, 12, 31) and date.today() == date(2029, 12, 31)
    clock.advance(timedelta(minutes=1))
    assert today_local() == date(2030, 1, 1)  # WIB turned the year while UTC is still in 2029
    assert utcnow().year == 2029 and time.time() == datetime(2029, 12, 31, 17, 0, tzinfo=UTC).timestamp()
    clock.set(date(2030, 6, 3))  # a date means 09:00 WIB that day
    assert utcnow() == datetime(2030, 6, 3, 2, 0, tzinfo=UTC)
    clock.stop()
    assert abs(utcnow().timestamp() - time.time()) < 5  # released: back to the run's clock


def _child_clock(extra_env: dict[str, str]) -> str:
    """Start a process the way the tests start the CLI, and return its idea of now."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUNGA_TEST_NOW")}
    env.update(extra_env)
    code = ("from app import create_app; from app.core.clock import utcnow, today_local; create_app(); "
            "print(utcnow().isoformat(), today_local().isoformat())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60, check=True)
    return out.stdout.strip()


def test_processes_started_in_testing_mode_follow_the_variable():
    moved = _child_clock({"BUNGA_TEST_NOW": FAR, "BUNGA_ENV": "testing", "BUNGA_SECRET_KEY": "s" * 40,
                          "BUNGA_PII_KEY": "p" * 40})
    assert moved.startswith("2031-05-05T17:30") and moved.endswith("2031-05-06")
    ignored = _child_clock({"BUNGA_TEST_NOW": FAR, "BUNGA_ENV": "development", "BUNGA_SECRET_KEY": "s" * 40,
                            "BUNGA_PII_KEY": "p" * 40})
    assert not ignored.startswith("2031")


def test_a_child_continues_from_the_parents_shifted_moment():
    """A process started a while into a shifted run does not jump back to BUNGA_TEST_NOW."""
    hatch = time_machine.escape_hatch
    real_now = hatch.time.time() if hatch.is_travelling() else time.time()
    started = real_now - 3600  # the run began an hour ago (real epoch seconds)
    moved = _child_clock({"BUNGA_TEST_NOW": FAR, "BUNGA_TEST_NOW_SINCE": repr(started), "BUNGA_ENV": "testing",
                          "BUNGA_SECRET_KEY": "s" * 40, "BUNGA_PII_KEY": "p" * 40})
    assert moved.startswith("2031-05-05T18:30")


def test_this_run_is_at_the_moment_it_was_asked_for():
    """Under BUNGA_TEST_NOW the run's clock started there (and ticks on); without it the clock is real."""
    start = app_clock.test_now()
    if start is None:
        assert "BUNGA_TEST_NOW" not in os.environ
        return
    assert start == parse_test_now(os.environ["BUNGA_TEST_NOW"])
    assert start <= utcnow() < start + timedelta(hours=3)
