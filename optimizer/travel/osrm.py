"""OSRM ``table`` service client (``OSRM_URL``): real road durations when a server is available.

Failures (timeouts, HTTP errors, unroutable pairs) raise ``TravelTimeError``; they are never silently replaced
by an estimate, because a plan built on wrong travel times looks fine and fails on the road.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Sequence

from optimizer.model import Location

__all__ = ["OsrmProvider", "TravelTimeError"]


class TravelTimeError(RuntimeError):
    """Travel times could not be obtained; the message says from where and why."""


class OsrmProvider:
    """Durations from ``{url}/table/v1/{profile}/{lon,lat;...}?annotations=duration``, in minutes."""

    def __init__(self, url: str | None = None, profile: str = "driving", timeout_s: float = 10.0) -> None:
        url = url if url is not None else os.environ.get("OSRM_URL")
        if not url:
            raise TravelTimeError("No OSRM server is configured; set OSRM_URL or pass url=.")
        if not url.startswith(("http://", "https://")):
            raise TravelTimeError(f"OSRM_URL must start with http:// or https://, not {url!r}.")
        if not timeout_s > 0:
            raise ValueError(f"timeout_s must be positive, not {timeout_s!r}.")
        self.url, self.profile, self.timeout_s = url.rstrip("/"), profile, timeout_s

    def matrix(self, locations: Sequence[Location]) -> list[list[float]]:
        """Ask the server once for the full table."""
        if not locations:
            return []
        coords = ";".join(f"{loc.lon:.6f},{loc.lat:.6f}" for loc in locations)
        url = f"{self.url}/table/v1/{self.profile}/{coords}?annotations=duration"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as resp:  # noqa: S310 (scheme checked above)
                body = resp.read()
        except urllib.error.HTTPError as exc:
            raise TravelTimeError(f"The OSRM server at {self.url} answered HTTP {exc.code}.") from exc
        except TimeoutError as exc:
            raise TravelTimeError(f"The OSRM server at {self.url} did not answer within {self.timeout_s} s.") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TravelTimeError(
                    f"The OSRM server at {self.url} did not answer within {self.timeout_s} s."
                ) from exc
            raise TravelTimeError(f"The OSRM server at {self.url} could not be reached: {exc.reason}.") from exc
        except OSError as exc:
            raise TravelTimeError(f"The OSRM server at {self.url} could not be reached: {exc}.") from exc
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise TravelTimeError(f"The OSRM server at {self.url} sent a reply that is not JSON.") from exc
        if not isinstance(data, dict) or data.get("code") != "Ok":
            code = data.get("code") if isinstance(data, dict) else None
            msg = data.get("message", "") if isinstance(data, dict) else ""
            raise TravelTimeError(f"The OSRM server at {self.url} refused the table request ({code}: {msg}).")
        durations = data.get("durations")
        n = len(locations)
        if not isinstance(durations, list) or len(durations) != n or any(
            not isinstance(r, list) or len(r) != n for r in durations
        ):
            raise TravelTimeError(f"The OSRM server at {self.url} sent a table that is not {n} x {n}.")
        out: list[list[float]] = []
        for i, row in enumerate(durations):
            out_row = []
            for j, sec in enumerate(row):
                if sec is None:
                    raise TravelTimeError(
                        f"OSRM found no road from location {locations[i].id!r} to {locations[j].id!r}."
                    )
                out_row.append(float(sec) / 60.0)
            out.append(out_row)
        return out
