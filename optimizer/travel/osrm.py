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
    """Travel times could not be obtained. The English message is for logs and the CLI; ``reason`` and ``params``
    let an application word it in its own language.

    Reasons: ``not_configured``, ``bad_url``, ``http`` (``status``), ``timeout`` (``seconds``), ``unreachable``
    (``detail``), ``not_json``, ``refused`` (``code``, ``detail``), ``shape`` (``n``), ``no_route`` (``origin``,
    ``destination``); every reason but the first two also carries ``url``.
    """

    def __init__(self, message: str, reason: str = "error", **params: object) -> None:
        super().__init__(message)
        self.reason, self.params = reason, params


class OsrmProvider:
    """Durations from ``{url}/table/v1/{profile}/{lon,lat;...}?annotations=duration``, in minutes.

    Servers limit a table's size (``osrm-routed --max-table-size``, 100 by default): larger tables are asked for in
    blocks of at most ``block`` sources × ``block`` destinations.
    """

    def __init__(self, url: str | None = None, profile: str = "driving", timeout_s: float = 10.0,
                 block: int = 100) -> None:
        url = url if url is not None else os.environ.get("OSRM_URL")
        if not url:
            raise TravelTimeError("No OSRM server is configured; set OSRM_URL or pass url=.", "not_configured")
        if not url.startswith(("http://", "https://")):
            raise TravelTimeError(f"OSRM_URL must start with http:// or https://, not {url!r}.", "bad_url", url=url)
        if not timeout_s > 0:
            raise ValueError(f"timeout_s must be positive, not {timeout_s!r}.")
        if block < 1:
            raise ValueError(f"block must be at least 1, not {block!r}.")
        self.url, self.profile, self.timeout_s, self.block = url.rstrip("/"), profile, timeout_s, block

    def matrix(self, locations: Sequence[Location]) -> list[list[float]]:
        """The full table, in one request when it fits a block, else block by block."""
        n = len(locations)
        if not n:
            return []
        if n <= self.block:
            return self._table(locations, list(range(n)), list(range(n)))
        out = [[0.0] * n for _ in range(n)]
        blocks = [list(range(k, min(k + self.block, n))) for k in range(0, n, self.block)]
        for sources in blocks:
            for destinations in blocks:
                part = self._table(locations, sources, destinations)
                for i, row in zip(sources, part, strict=True):
                    for j, minutes in zip(destinations, row, strict=True):
                        out[i][j] = minutes
        return out

    def _table(self, locations: Sequence[Location], sources: list[int], destinations: list[int]) -> list[list[float]]:
        """Minutes from each of ``sources`` to each of ``destinations`` (indices into ``locations``)."""
        used = list(dict.fromkeys([*sources, *destinations]))
        at = {k: i for i, k in enumerate(used)}
        coords = ";".join(f"{locations[k].lon:.6f},{locations[k].lat:.6f}" for k in used)
        url = f"{self.url}/table/v1/{self.profile}/{coords}?annotations=duration"
        if len(used) != len(sources) or sources != destinations:
            url += ("&sources=" + ";".join(str(at[k]) for k in sources)
                    + "&destinations=" + ";".join(str(at[k]) for k in destinations))
        where = {"url": self.url}
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as resp:  # noqa: S310 (scheme checked above)
                body = resp.read()
        except urllib.error.HTTPError as exc:
            try:  # OSRM answers a refused query with 400 and a JSON body naming why (e.g. "TooBig")
                data = json.loads(exc.read())
            except (ValueError, OSError):
                data = None
            if isinstance(data, dict) and data.get("code"):
                code, msg = data.get("code"), data.get("message", "")
                raise TravelTimeError(f"The OSRM server at {self.url} refused the table request ({code}: {msg}).",
                                      "refused", code=code, detail=msg, **where) from exc
            raise TravelTimeError(f"The OSRM server at {self.url} answered HTTP {exc.code}.", "http",
                                  status=exc.code, **where) from exc
        except TimeoutError as exc:
            raise TravelTimeError(f"The OSRM server at {self.url} did not answer within {self.timeout_s} s.",
                                  "timeout", seconds=self.timeout_s, **where) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TravelTimeError(
                    f"The OSRM server at {self.url} did not answer within {self.timeout_s} s.", "timeout",
                    seconds=self.timeout_s, **where) from exc
            raise TravelTimeError(f"The OSRM server at {self.url} could not be reached: {exc.reason}.",
                                  "unreachable", detail=str(exc.reason), **where) from exc
        except OSError as exc:
            raise TravelTimeError(f"The OSRM server at {self.url} could not be reached: {exc}.", "unreachable",
                                  detail=str(exc), **where) from exc
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise TravelTimeError(f"The OSRM server at {self.url} sent a reply that is not JSON.", "not_json",
                                  **where) from exc
        if not isinstance(data, dict) or data.get("code") != "Ok":
            code = data.get("code") if isinstance(data, dict) else None
            msg = data.get("message", "") if isinstance(data, dict) else ""
            raise TravelTimeError(f"The OSRM server at {self.url} refused the table request ({code}: {msg}).",
                                  "refused", code=code, detail=msg, **where)
        durations = data.get("durations")
        rows, cols = len(sources), len(destinations)
        if not isinstance(durations, list) or len(durations) != rows or any(
            not isinstance(r, list) or len(r) != cols for r in durations
        ):
            raise TravelTimeError(f"The OSRM server at {self.url} sent a table that is not {rows} x {cols}.",
                                  "shape", n=rows, **where)
        out: list[list[float]] = []
        for i, row in enumerate(durations):
            out_row = []
            for j, sec in enumerate(row):
                if sec is None:
                    a, b = locations[sources[i]].id, locations[destinations[j]].id
                    raise TravelTimeError(f"OSRM found no road from location {a!r} to {b!r}.", "no_route",
                                          origin=a, destination=b, **where)
                out_row.append(float(sec) / 60.0)
            out.append(out_row)
        return out
