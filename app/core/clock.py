"""One place for "now", so tests can reason about time and every stored time is UTC.

The test suite can move the whole run to another moment: with `BUNGA_TEST_NOW=<ISO date-time>` set, and only under
the testing configuration (`TESTING` in the app, `BUNGA_ENV=testing` for processes the tests start), the process
clock starts at that moment and ticks on (time-machine). pytest, the app under test and every process the tests
start (CLI, scheduler, plan worker; forked optimizer workers inherit it) share this one seam, `travel_to_test_now`.
Production never reads the variable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Jakarta")

TEST_NOW_VARIABLE = "BUNGA_TEST_NOW"
# Real (unshifted) epoch seconds at which the first process of a test run reached BUNGA_TEST_NOW; processes it
# starts later continue from the same shifted moment instead of jumping back to BUNGA_TEST_NOW.
_TEST_NOW_SINCE_VARIABLE = "BUNGA_TEST_NOW_SINCE"

_traveller: object | None = None
_test_now: datetime | None = None


def utcnow() -> datetime:
    """Aware current time in UTC."""
    return datetime.now(UTC)


def today_local() -> date:
    """Today's date in Asia/Jakarta (WIB): the regency's calendar day, whatever the server's time zone."""
    return utcnow().astimezone(LOCAL_TZ).date()


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone columns; treat them as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    """A stored UTC time as wall-clock time in Asia/Jakarta (WIB)."""
    utc = as_utc(value)
    return utc.astimezone(LOCAL_TZ) if utc else None


def parse_test_now(text: str) -> datetime:
    """`2028-03-01T16:30:00Z`, `2028-03-01T23:30+07:00` or a bare date (midnight UTC) as an aware UTC time.

    :raise ValueError: the text is no ISO date or date-time.
    """
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def test_now() -> datetime | None:
    """The moment this test run started at (BUNGA_TEST_NOW), or None when the run uses the real clock."""
    return _test_now


def travel_to_test_now(env: Mapping[str, str] | None = None, *, testing: bool) -> datetime | None:
    """Move this process's clock to BUNGA_TEST_NOW when `testing` (never in production); idempotent.

    Returns the moment the run started at, or None when the variable is unset or `testing` is false.
    """
    global _traveller, _test_now
    env = os.environ if env is None else env
    raw = (env.get(TEST_NOW_VARIABLE) or "").strip()
    if not testing or not raw:
        return None
    if _traveller is not None:
        return _test_now
    import time_machine  # a test dependency: imported only when a test run asks for it

    start = parse_test_now(raw)
    since = env.get(_TEST_NOW_SINCE_VARIABLE)
    destination = start
    if since:
        destination = start + timedelta(seconds=max(0.0, time.time() - float(since)))
    else:
        os.environ[_TEST_NOW_SINCE_VARIABLE] = repr(time.time())
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    _traveller, _test_now = traveller, start
    return start
