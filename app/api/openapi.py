"""The OpenAPI 3.1 document of /api/v1; a test checks that every API route is described here."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict[str, Any]:
    figures = {
        "type": "object",
        "properties": {
            "population": {"type": ["integer", "null"]},
            "households": {"type": ["integer", "null"]},
            "poor_households": {"type": ["integer", "null"]},
            "poverty_share": {"type": ["number", "null"]},
            "source": {"type": ["string", "null"]},
            "date": {"type": ["string", "null"], "format": "date"},
            "demo": {"type": "boolean"},
        },
    }
    village = {
        "type": "object",
        "required": ["code", "name", "kecamatan_code", "lat", "lon", "location_source", "figures"],
        "properties": {
            "code": {"type": "string", "example": "35.10.09.2001"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": ["desa", "kelurahan"]},
            "kecamatan_code": {"type": "string", "example": "35.10.09"},
            "kecamatan": {"type": "string"},
            "lat": {"type": ["number", "null"]},
            "lon": {"type": ["number", "null"]},
            "location_source": {"type": ["string", "null"], "enum": ["imported", "approximate", None]},
            "area_km2": {"type": ["number", "null"]},
            "figures": figures,
        },
    }
    errors = {"401": _json(_ERROR, "Token tidak ada, salah atau kedaluwarsa.")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bunga Desa API", "version": "1",
                 "description": "API Bunga Desa. Minta token dengan POST /api/v1/auth/token, lalu kirim "
                                "header Authorization: Bearer <token>."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "string"},
                                                           "message": {"type": "string"},
                                                           "status": {"type": "integer"}}},
                "Village": village,
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/auth/token": {"post": {
                "summary": "Tukar nama pengguna dan kata sandi dengan token",
                "security": [],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
                "responses": {
                    "200": _json({"type": "object", "properties": {"token": {"type": "string"},
                                                                    "expires_at": {"type": "string"}}}, "Token"),
                    "400": _json(_ERROR, "Permintaan tidak valid"),
                    "401": _json(_ERROR, "Nama pengguna atau kata sandi salah"),
                    "429": _json(_ERROR, "Terlalu banyak percobaan"),
                },
            }},
            "/villages": {"get": {
                "summary": "Desa dalam wilayah pengguna",
                "parameters": [{"name": "kecamatan", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Village"}},
                    "count": {"type": "integer"}}}, "Daftar desa"), **errors},
            }},
            "/villages/{code}": {"get": {
                "summary": "Satu desa",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json({"$ref": "#/components/schemas/Village"}, "Desa"),
                              "404": _json(_ERROR, "Tidak ditemukan atau di luar wilayah"), **errors},
            }},
            "/openapi.json": {"get": {"summary": "Dokumen ini", "security": [],
                                      "responses": {"200": {"description": "OpenAPI"}}}},
        },
    }
