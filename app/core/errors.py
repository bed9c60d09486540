"""Domain errors raised by services; handlers turn them into pages or JSON with an Indonesian message."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A business rule refused the request; the message is shown to the user as it is."""

    status_code = 422

    def __init__(self, message: str, *, details: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The record does not exist or lies outside the user's scope (both answer 404)."""

    status_code = 404


class Forbidden(DomainError):
    """The user's role may not do this."""

    status_code = 403


class FieldErrors(DomainError):
    """Input errors per field (422), each an Indonesian sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Periksa kembali isian: " + "; ".join(errors.values()), details=errors)
        self.errors = errors


class Conflict(DomainError):
    """The record changed or already exists."""

    status_code = 409


def wants_json() -> bool:
    """API requests get JSON errors; browsers get pages."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _N(text: str) -> str:
    return text


_TITLES = {
    400: _N("Permintaan tidak valid"),
    401: _N("Perlu masuk"),
    403: _N("Akses ditolak"),
    404: _N("Halaman tidak ditemukan"),
    405: _N("Metode tidak diizinkan"),
    409: _N("Konflik data"),
    413: _N("Berkas terlalu besar"),
    422: _N("Data tidak dapat diproses"),
    429: _N("Terlalu banyak percobaan"),
    500: _N("Terjadi kesalahan pada server"),
}


def _respond(status: int, message: str | None = None, details: object | None = None):
    title = _TITLES.get(status, "Kesalahan")
    if wants_json():
        body = {"error": title, "message": message or title, "status": status}
        if isinstance(details, dict):
            body["errors"] = details
        return jsonify(body), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Errors never show a traceback; 500s are logged with the request path only."""

    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        return _respond(err.status_code, err.message, err.details)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        message = err.description if err.code in (400, 413, 429) else None
        return _respond(err.code or 500, message)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _respond(500, "Silakan coba lagi. Jika berulang, hubungi administrator.")
