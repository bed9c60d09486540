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
            "poverty": {"type": "object", "description": (
                "hanya pada GET /villages/{code}: angka desil kesejahteraan (null tanpa impor desil) dan sumber "
                "data kemiskinan"), "properties": {
                "deciles": {"type": ["object", "null"], "properties": {
                    k: {"type": "integer"} for k in ("households", "desil_1", "desil_2", "desil_3", "desil_4")}},
                "data": {"type": "object", "properties": {
                    "source": {"type": ["string", "null"]}, "demo": {"type": "boolean"},
                    "as_of": {"type": ["string", "null"], "format": "date"},
                    "imported_on": {"type": ["string", "null"], "format": "date"},
                    "import_id": {"type": ["integer", "null"]}}}}},
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
                "PlanningSettings": {"type": "object", "properties": {
                    "day_start": {"type": "string", "pattern": "^\\d{2}:\\d{2}$", "example": "07:30"},
                    "day_end": {"type": "string", "example": "16:00"},
                    "friday_break": {"type": ["object", "null"], "properties": {
                        "start": {"type": "string"}, "end": {"type": "string"}}},
                    "lunch_break": {"type": ["object", "null"], "properties": {
                        "start": {"type": "string"}, "end": {"type": "string"}, "minutes": {"type": "integer"}}},
                    "modes": {"type": "object", "properties": {m: {"type": "object", "properties": {
                        "visit_min": {"type": "integer"}, "max_visits": {"type": "integer"}}}
                        for m in ("kunjungan", "berkantor")}},
                    "weekdays": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7},
                                 "description": "ISO: 1 = Senin … 7 = Minggu"},
                    "mandatory_after_months": {"type": "integer", "minimum": 1, "maximum": 120},
                    "version": {"type": "integer", "readOnly": True}}},
                "VillagePlanning": {"type": "object", "properties": {
                    "windows": {"type": "array", "items": {"type": "object", "properties": {
                        "weekday": {"type": "integer", "minimum": 1, "maximum": 7}, "date": {"type": "string",
                                                                                          "format": "date"},
                        "start": {"type": "string", "example": "09:00"}, "end": {"type": "string"}}}},
                    "closed_months": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}},
                    "extra_travel_min": {"type": "integer", "minimum": 0, "maximum": 240}}},
                "Error": {"type": "object", "properties": {"error": {"type": "string"},
                                                           "message": {"type": "string"},
                                                           "status": {"type": "integer"}}},
                "Village": village,
                "Notification": {"type": "object", "required": ["id", "kind", "title", "created_at", "read"],
                                 "properties": {
                    "id": {"type": "integer"},
                    "kind": {"type": "string", "examples": ["visit_reminder_7d", "visit_reminder_1d",
                                                            "aspiration_overdue", "report_ready"]},
                    "title": {"type": "string"}, "body": {"type": "string"},
                    "url": {"type": ["string", "null"], "description": "Halaman terkait di aplikasi web"},
                    "created_at": {"type": "string", "format": "date-time"}, "read": {"type": "boolean"}}},
                "AspirationInput": {
                    "type": "object",
                    "required": ["village_code", "category", "title", "description", "urgency"],
                    "properties": {
                        "village_code": {"type": "string"}, "category": {"type": "string"},
                        "title": {"type": "string", "maxLength": 200},
                        "description": {"type": "string", "maxLength": 5000},
                        "urgency": {"type": "string", "enum": ["rendah", "sedang", "tinggi", "darurat"]},
                        "affected": {"type": "integer", "minimum": 0},
                        "services": {"type": "array", "items": {"type": "object", "properties": {
                            "code": {"type": "string"}, "count": {"type": "integer", "minimum": 1}}}},
                        "anonymous": {"type": "boolean"}, "confidential": {"type": "boolean"},
                    },
                },
                "Aspiration": {"type": "object", "properties": {
                    "id": {"type": "string"}, "reference": {"type": "string"}, "status": {"type": "string"},
                    "village_code": {"type": "string"}, "category": {"type": "string"}, "title": {"type": "string"},
                    "urgency": {"type": "string"}, "opd": {"type": ["string", "null"]},
                    "due_on": {"type": ["string", "null"], "format": "date"}, "version": {"type": "integer"}}},
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
            }, "delete": {
                "summary": "Cabut token yang dipakai permintaan ini (keluar dari API); sesudahnya token itu 401",
                "responses": {"204": {"description": "Token dicabut"}, **errors},
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
            "/aspirations": {
                "post": {
                    "summary": "Ajukan aspirasi (kepala desa: hanya desanya sendiri)",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/AspirationInput"}}}},
                    "responses": {
                        "201": _json({"type": "object", "properties": {"id": {"type": "string"},
                                                                        "reference": {"type": "string"},
                                                                        "status": {"type": "string"}}},
                                     "Dibuat"),
                        "403": _json(_ERROR, "Desa di luar kewenangan"),
                        "422": _json(_ERROR, "Isian tidak valid; `errors` berisi pesan per kolom"),
                        **errors,
                    },
                },
                "get": {
                    "summary": "Aspirasi dalam wilayah kewenangan",
                    "parameters": [{"name": "village", "in": "query", "schema": {"type": "string"}},
                                   {"name": "status", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": _json({"type": "object", "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Aspiration"}},
                        "count": {"type": "integer"}}}, "Daftar aspirasi"), **errors},
                },
            },
            "/aspirations/{reference}": {"get": {
                "summary": "Satu aspirasi beserta riwayatnya",
                "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json({"$ref": "#/components/schemas/Aspiration"}, "Aspirasi"),
                              "404": _json(_ERROR, "Tidak ditemukan atau di luar wilayah"), **errors},
            }},
            "/aspirations/{reference}/transitions": {"post": {
                "summary": "Ubah status (alur SP4N-LAPOR!)",
                "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["to"],
                    "properties": {"to": {"type": "string"}, "note": {"type": "string"},
                                   "opd": {"type": "string", "description": "kode sektor OPD, mis. adminduk"},
                                   "merge_into": {"type": "string"}, "due_on": {"type": "string", "format": "date"},
                                   "version": {"type": "integer"}}}}}},
                "responses": {"200": _json({"$ref": "#/components/schemas/Aspiration"}, "Status baru"),
                              "403": _json(_ERROR, "Peran tidak boleh mengambil langkah ini"),
                              "409": _json(_ERROR, "Diubah pengguna lain"),
                              "422": _json(_ERROR, "Langkah tidak sah atau isian kurang"), **errors},
            }},
            "/plans": {"post": {
                "summary": "Susun rencana kunjungan di latar belakang (perencana)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["start", "end"],
                    "properties": {"start": {"type": "string", "format": "date"},
                                   "end": {"type": "string", "format": "date"},
                                   "mode": {"type": "string", "enum": ["berkantor", "kunjungan"]},
                                   "time_limit_s": {"type": "integer", "minimum": 5, "maximum": 600},
                                   "start_place_id": {"type": "integer"}, "name": {"type": "string"},
                                   "weekdays": {"type": "array", "items": {"type": "integer", "minimum": 1,
                                                                           "maximum": 7},
                                                "description": "hari keluar untuk rencana ini (ISO, 1 = Senin)"},
                                   "must_visit": {"type": "array", "items": {"type": "string"},
                                                  "description": "kode desa yang wajib masuk"},
                                   "exclude": {"type": "array", "items": {"type": "string"},
                                               "description": "kode desa yang dikecualikan kali ini"},
                                   "keep_published": {"type": "boolean", "default": True}}}}}},
                "responses": {"202": _json({"type": "object", "properties": {"id": {"type": "integer"},
                                                                              "status": {"type": "string"}}},
                                           "Diterima; pantau dengan GET /plans/{id}"),
                              "403": _json(_ERROR, "Bukan perencana"), "422": _json(_ERROR, "Isian tidak valid"),
                              **errors},
            }},
            "/plans/{plan_id}": {"get": {
                "summary": "Status, kemajuan dan hasil rencana",
                "parameters": [{"name": "plan_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "status": {"type": "string", "enum": ["queued", "running", "done", "failed", "cancelled"]},
                    "progress": {"type": "number", "minimum": 0, "maximum": 1},
                    "days": {"type": "array", "items": {"type": "object", "properties": {
                        "date": {"type": "string", "format": "date"},
                        "visits": {"type": "array", "items": {"type": "object", "properties": {
                            "village_code": {"type": "string"}, "arrive": {"type": "string"},
                            "start": {"type": "string"}, "end": {"type": "string"},
                            "travel_min": {"type": "number", "description": "dari persinggahan sebelumnya"},
                            "priority": {"type": ["number", "null"], "description": "skor prioritas 0-100"},
                            "why": {"type": "string", "description": "mengapa desa ini (kalimat)"}}}}}}},
                    "travel_model": {"type": ["string", "null"], "enum": ["osrm", "matrix", "haversine", None],
                                     "description": "asal waktu tempuh: server OSRM, waktu terukur untuk semua "
                                                    "pasangan, atau garis lurus"},
                    "unvisited": {"type": "array", "items": {"type": "object", "properties": {
                        "village_code": {"type": "string"}, "reason": {"type": "string"},
                        "priority": {"type": ["number", "null"]},
                        "message": {"type": "string", "description": "alasan dalam kalimat"}}}},
                    "total_priority": {"type": ["number", "null"]}, "weights": {"type": "object"},
                    "poverty_data": {"type": ["object", "null"], "description": (
                        "data kemiskinan yang dipakai prioritas: source (mis. DTSEN; 'data contoh' untuk data demo), "
                        "demo, as_of (tanggal data), imported_on, import_id, desa (jumlah desa dengan sumber ini), "
                        "other_desa (desa dengan sumber lain atau tanpa data)"),
                        "properties": {"source": {"type": ["string", "null"]}, "demo": {"type": "boolean"},
                                       "as_of": {"type": ["string", "null"], "format": "date"},
                                       "imported_on": {"type": ["string", "null"], "format": "date"},
                                       "import_id": {"type": ["integer", "null"]},
                                       "desa": {"type": "integer"}, "other_desa": {"type": "integer"}}}}},
                    "Rencana"),
                    "404": _json(_ERROR, "Tidak ditemukan"), **errors},
            }},
            "/coverage": {"get": {
                "summary": "Cakupan: desa yang pernah dikunjungi, yang belum, dan perkiraan desa terakhir terjangkau",
                "responses": {"200": _json({"type": "object", "properties": {
                    "desa_total": {"type": "integer"}, "visited_ever": {"type": "integer"},
                    "never_visited": {"type": "array", "items": {"type": "string"}},
                    "poorest_fifth": {"type": "object", "properties": {"total": {"type": "integer"},
                                                                       "visited": {"type": "integer"}}},
                    "overdue_aspirations_desa": {"type": "object", "properties": {
                        "total": {"type": "integer"}, "visited": {"type": "integer"}}},
                    "projected_complete": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}$"}}},
                    "Cakupan"), "403": _json(_ERROR, "Bukan perencana, admin atau DPRD"), **errors}}},
            "/planning/settings": {
                "get": {"summary": "Pengaturan hari kerja, istirahat, mode kunjungan dan hari keluar bupati",
                        "responses": {"200": _json({"$ref": "#/components/schemas/PlanningSettings"}, "Pengaturan"),
                                      **errors}},
                "put": {"summary": "Ubah sebagian atau semua pengaturan (perencana); rencana berikutnya memakainya",
                        "requestBody": {"required": True, "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/PlanningSettings"}}}},
                        "responses": {"200": _json({"$ref": "#/components/schemas/PlanningSettings"}, "Disimpan"),
                                      "403": _json(_ERROR, "Bukan perencana"),
                                      "422": _json(_ERROR, "Isian tidak valid (pesan per isian)"), **errors}},
            },
            "/villages/{code}/planning": {
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {"summary": "Jendela waktu, bulan tertutup dan tambahan waktu tempuh desa",
                        "responses": {"200": _json({"$ref": "#/components/schemas/VillagePlanning"}, "Desa"),
                                      "404": _json(_ERROR, "Tidak ditemukan"), **errors}},
                "put": {"summary": "Ubah sebagian (jendela waktu diganti seluruhnya); dipakai rencana berikutnya",
                        "requestBody": {"required": True, "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/VillagePlanning"}}}},
                        "responses": {"200": _json({"$ref": "#/components/schemas/VillagePlanning"}, "Disimpan"),
                                      "403": _json(_ERROR, "Bukan perencana"),
                                      "422": _json(_ERROR, "Isian tidak valid (pesan per isian)"), **errors}},
            },
            "/plans/{plan_id}/publish": {"post": {
                "summary": "Terbitkan rencana yang selesai",
                "parameters": [{"name": "plan_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json({"type": "object"}, "Diterbitkan"),
                              "409": _json(_ERROR, "Sudah diterbitkan"), "422": _json(_ERROR, "Belum selesai"),
                              **errors},
            }},
            "/visits": {"get": {
                "summary": "Kunjungan dalam wilayah kewenangan",
                "parameters": [{"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                               {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}}],
                "responses": {"200": _json({"type": "object", "properties": {"items": {"type": "array", "items": {
                    "type": "object", "properties": {"id": {"type": "integer"}, "village_code": {"type": "string"},
                                                     "date": {"type": "string", "format": "date"},
                                                     "status": {"type": "string"}}}}}}, "Daftar kunjungan"),
                              **errors},
            }},
            "/visits/{visit_id}": {"get": {
                "summary": "Satu kunjungan dengan layanan, agenda dan komitmen",
                "parameters": [{"name": "visit_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json({"type": "object"}, "Kunjungan"), "404": _json(_ERROR, "Tidak ditemukan"),
                              **errors},
            }},
            "/visits/{visit_id}/services": {"post": {
                "summary": "Catat layanan: {\"service\", \"count\"} atau {\"service\", \"nik\"}",
                "parameters": [{"name": "visit_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["service"],
                    "properties": {"service": {"type": "string"}, "count": {"type": "integer"},
                                   "nik": {"type": "string", "pattern": "^[0-9]{16}$"},
                                   "note": {"type": "string", "maxLength": 200}}}}}},
                "responses": {"201": _json({"type": "object"}, "Tercatat"),
                              "409": _json(_ERROR, "Layanan yang sama untuk NIK yang sama sudah tercatat"),
                              "422": _json(_ERROR, "NIK atau isian tidak valid"), **errors},
            }},
            "/visits/{visit_id}/status": {"post": {
                "summary": "Ubah status kunjungan",
                "parameters": [{"name": "visit_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["status"],
                    "properties": {"status": {"type": "string", "enum": ["berlangsung", "selesai", "ditunda",
                                                                          "dibatalkan", "dijadwalkan"]},
                                   "reason": {"type": "string"}, "date": {"type": "string", "format": "date"}}}}}},
                "responses": {"200": _json({"type": "object"}, "Status baru"),
                              "422": _json(_ERROR, "Langkah tidak sah"), **errors},
            }},
            "/reports/visit/{visit_id}.pdf": {"get": {
                "summary": "Laporan kunjungan (PDF), dari arsip bila datanya tidak berubah",
                "parameters": [{"name": "visit_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}},
                              "404": _json(_ERROR, "Tidak ditemukan"), "422": _json(_ERROR, "Belum berlangsung"),
                              **errors},
            }},
            "/reports/dprd": {"post": {
                "summary": "Susun laporan DPRD untuk satu periode",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["start", "end"],
                    "properties": {"start": {"type": "string", "format": "date"},
                                   "end": {"type": "string", "format": "date"},
                                   "kecamatan": {"oneOf": [{"type": "string"},
                                                           {"type": "array", "items": {"type": "string"}}]}}}}}},
                "responses": {"201": _json({"type": "object", "properties": {"id": {"type": "integer"}}}, "Arsip"),
                              "422": _json(_ERROR, "Periode tidak valid"), **errors},
            }},
            "/reports/{report_id}.pdf": {"get": {
                "summary": "Laporan dari arsip",
                "parameters": [{"name": "report_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}},
                              "404": _json(_ERROR, "Tidak ditemukan"), **errors},
            }},
            "/notifications": {"get": {
                "summary": "Notifikasi pengguna token, terbaru lebih dulu, dan jumlah yang belum dibaca",
                "parameters": [{"name": "limit", "in": "query",
                                "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}}],
                "responses": {"200": _json({"type": "object", "required": ["items", "unread"], "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Notification"}},
                    "unread": {"type": "integer"}}}, "Daftar notifikasi"), **errors},
            }},
            "/notifications/{notification_id}/read": {"post": {
                "summary": "Tandai satu notifikasi sudah dibaca",
                "parameters": [{"name": "notification_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": _json({"$ref": "#/components/schemas/Notification"}, "Notifikasi"),
                              "404": _json(_ERROR, "Tidak ditemukan atau milik pengguna lain"), **errors},
            }},
            "/openapi.json": {"get": {"summary": "Dokumen ini", "security": [],
                                      "responses": {"200": {"description": "OpenAPI"}}}},
        },
    }
