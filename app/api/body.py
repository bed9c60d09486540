"""Typed reads of a JSON request body, so that a wrong type answers 422 with a message for that field, never 500.

Every write endpoint of the API reads its body through :class:`JsonBody`: each accessor checks the JSON type of one
field (a number where text is expected, a string where a list is expected, `true` where a number is expected…),
collects a per-field Indonesian message, and :meth:`JsonBody.check` raises them all at once. Services then get
values of the types their signatures promise; rules about the values (lengths, known codes) stay in the services.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request

from app.core.errors import FieldErrors

_MISSING = object()


class JsonBody:
    """The request's JSON object and the type errors found so far."""

    def __init__(self) -> None:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise FieldErrors({"body": "Kirim objek JSON."})
        self.data: dict[str, Any] = data
        self.errors: dict[str, str] = {}

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def _value(self, key: str, required: bool, message: str | None) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.errors[key] = message or "Wajib diisi."
            return _MISSING
        return value

    def text(self, key: str, *, required: bool = False, message: str | None = None) -> str | None:
        """A string (null or absent → None)."""
        value = self._value(key, required, message)
        if value is _MISSING:
            return None
        if not isinstance(value, str):
            self.errors[key] = message or "Harus berupa teks."
            return None
        return value

    def integer(self, key: str, *, required: bool = False, message: str | None = None) -> int | None:
        """A whole number (true/false and 1.5 are not)."""
        value = self._value(key, required, message)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors[key] = message or "Harus berupa bilangan bulat."
            return None
        return value

    def boolean(self, key: str, *, default: bool = False) -> bool:
        """true or false (absent or null → default)."""
        value = self._value(key, False, None)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.errors[key] = "Isi true atau false."
            return default
        return value

    def day(self, key: str, *, required: bool = False) -> date | None:
        """A date as text YYYY-MM-DD."""
        message = "Tanggal wajib berformat YYYY-MM-DD."
        value = self._value(key, required, message)
        if value is _MISSING:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.errors[key] = message
            return None

    def _list(self, key: str, item_type: type, message: str) -> list[Any] | None:
        value = self._value(key, False, None)
        if value is _MISSING:
            return None
        if not isinstance(value, list) or any(
                isinstance(v, bool) or not isinstance(v, item_type) for v in value):
            self.errors[key] = message
            return None
        return value

    def texts(self, key: str, *, message: str = "Harus berupa daftar teks.") -> list[str] | None:
        return self._list(key, str, message)

    def integers(self, key: str, *, message: str = "Harus berupa daftar bilangan bulat.") -> list[int] | None:
        return self._list(key, int, message)

    def objects(self, key: str, *, message: str = "Harus berupa daftar objek.") -> list[dict[str, Any]] | None:
        return self._list(key, dict, message)

    def check(self) -> None:
        """:raise FieldErrors: every type error found, per field (422)."""
        if self.errors:
            raise FieldErrors(self.errors)
