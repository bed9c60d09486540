"""Travel-time providers: haversine defaults, explicit matrices, and the OSRM client against a local fake."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from optimizer import (
    EuclideanProvider,
    HaversineProvider,
    Location,
    MatrixProvider,
    OsrmProvider,
    ProblemError,
    TravelTimeError,
    TravelTimeProvider,
)
from optimizer.travel import haversine_km

PENDOPO = Location("pendopo", -8.2147, 114.3686)
GIRI = Location("giri", -8.1900, 114.3400)


def test_haversine_km_matches_a_known_distance() -> None:
    """One degree of latitude is about 111.2 km."""
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)


def test_haversine_provider_applies_detour_speed_and_fixed_minutes() -> None:
    """minutes = km × 1.35 / 40 km/h × 60 + 10, and 0 on the diagonal."""
    m = HaversineProvider().matrix([PENDOPO, GIRI])
    km = haversine_km(PENDOPO.lat, PENDOPO.lon, GIRI.lat, GIRI.lon)
    assert m[0][0] == 0.0
    assert m[0][1] == pytest.approx(km * 1.35 / 40 * 60 + 10)
    assert m[0][1] == m[1][0]


def test_providers_satisfy_the_protocol() -> None:
    """Every provider is usable wherever a TravelTimeProvider is expected."""
    for p in (HaversineProvider(), EuclideanProvider(), MatrixProvider([[0]]), OsrmProvider("http://127.0.0.1:1")):
        assert isinstance(p, TravelTimeProvider)


def test_haversine_rejects_a_detour_below_one() -> None:
    """A detour factor under 1 would make roads shorter than straight lines."""
    with pytest.raises(ValueError, match="detour"):
        HaversineProvider(detour=0.9)


def test_matrix_from_json_and_csv_match_by_id(tmp_path: Path) -> None:
    """Matrices given with ids are matched to locations by id, in any order."""
    (tmp_path / "m.json").write_text(json.dumps({"ids": ["giri", "pendopo"], "minutes": [[0, 7], [8, 0]]}))
    (tmp_path / "m.csv").write_text("id,giri,pendopo\ngiri,0,7\npendopo,8,0\n")
    for prov in (MatrixProvider.from_json(tmp_path / "m.json"), MatrixProvider.from_csv(tmp_path / "m.csv")):
        assert prov.matrix([PENDOPO, GIRI]) == [[0, 8], [7, 0]]


def test_matrix_missing_location_is_named() -> None:
    """A location without a row is reported by id."""
    with pytest.raises(ProblemError, match="'pendopo'"):
        MatrixProvider([[0]], ids=["giri"]).matrix([PENDOPO])


def test_matrix_csv_with_mismatched_ids_is_refused(tmp_path: Path) -> None:
    """The first column must repeat the header's ids."""
    (tmp_path / "bad.csv").write_text("id,a,b\nb,0,1\na,1,0\n")
    with pytest.raises(ProblemError, match="same ids"):
        MatrixProvider.from_csv(tmp_path / "bad.csv")


# ----- OSRM against a fake server on 127.0.0.1 -----------------------------------------------------------------


class _Fake(BaseHTTPRequestHandler):
    mode = "ok"
    paths: list[str] = []

    def do_GET(self) -> None:
        _Fake.paths.append(self.path)
        if _Fake.mode == "slow":
            time.sleep(0.5)
        if _Fake.mode == "http500":
            self.send_response(500)
            self.end_headers()
            return
        if _Fake.mode == "refused":
            body = {"code": "InvalidQuery", "message": "Query string malformed"}
        elif _Fake.mode == "null":
            body = {"code": "Ok", "durations": [[0, None], [60, 0]]}
        elif _Fake.mode == "garbage":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>")
            return
        else:
            body = {"code": "Ok", "durations": [[0, 600], [660, 0]]}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client gave up (timeout test)
            self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def osrm_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Fake.paths = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_osrm_table_is_converted_to_minutes(osrm_url: str) -> None:
    """Durations (seconds) become minutes; the request uses lon,lat order and asks for durations."""
    _Fake.mode = "ok"
    m = OsrmProvider(osrm_url).matrix([PENDOPO, GIRI])
    assert m == [[0, 10], [11, 0]]
    assert _Fake.paths[0].startswith("/table/v1/driving/114.368600,-8.214700;114.340000,-8.190000")
    assert "annotations=duration" in _Fake.paths[0]


def test_osrm_url_comes_from_the_environment(osrm_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """OSRM_URL configures the client when no url is passed."""
    _Fake.mode = "ok"
    monkeypatch.setenv("OSRM_URL", osrm_url)
    assert OsrmProvider().matrix([PENDOPO, GIRI])[0][1] == 10


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("http500", "HTTP 500"),
        ("refused", "refused the table request (InvalidQuery"),
        ("null", "no road from location 'pendopo' to 'giri'"),
        ("garbage", "not JSON"),
        ("slow", "did not answer within 0.2 s"),
    ],
)
def test_osrm_failures_are_surfaced_not_replaced(osrm_url: str, mode: str, words: str) -> None:
    """Every failure raises TravelTimeError with a sentence; nothing falls back silently."""
    _Fake.mode = mode
    with pytest.raises(TravelTimeError) as err:
        OsrmProvider(osrm_url, timeout_s=0.2).matrix([PENDOPO, GIRI])
    assert words in str(err.value)


def test_osrm_unreachable_server_is_reported() -> None:
    """A closed port is reported as 'could not be reached'."""
    with pytest.raises(TravelTimeError, match="could not be reached"):
        OsrmProvider("http://127.0.0.1:9", timeout_s=0.5).matrix([PENDOPO, GIRI])


def test_osrm_without_url_says_how_to_configure(monkeypatch: pytest.MonkeyPatch) -> None:
    """No OSRM_URL and no url: the error says to set it."""
    monkeypatch.delenv("OSRM_URL", raising=False)
    with pytest.raises(TravelTimeError, match="set OSRM_URL"):
        OsrmProvider()


def test_osrm_tables_larger_than_the_servers_limit_are_asked_for_in_blocks() -> None:
    """osrm-routed refuses tables over --max-table-size (100 by default): 7 places with a limit of 3 take 3 × 3
    block requests, and the assembled table equals the server's rule everywhere."""
    from tests.fake_osrm import fake_osrm, seconds

    places = [Location(f"p{k}", -8.2 - k * 0.03, 114.1 + (k % 3) * 0.05) for k in range(7)]
    with fake_osrm(max_table=3) as (url, fake):
        with pytest.raises(TravelTimeError) as err:
            OsrmProvider(url).matrix(places)  # one request for 7 × 7: TooBig
        assert err.value.reason == "refused" and err.value.params["code"] == "TooBig"
        fake.requests.clear()
        m = OsrmProvider(url, block=3).matrix(places)
        assert len(fake.requests) == 9
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            assert m[i][j] == pytest.approx(seconds((a.lon, a.lat), (b.lon, b.lat)) / 60)
