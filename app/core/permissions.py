"""Roles, permissions and the single mapping between them (the policy's source of truth)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who a user is in the programme; the scope column that goes with it is noted per role."""

    ADMIN = "admin"
    PLANNER = "planner"  # bupati's office, whole regency
    KEPALA_DESA = "kepala_desa"  # one desa
    CAMAT = "camat"  # one kecamatan
    OPD = "opd"  # one sector
    DPRD = "dprd"  # read-only aggregates, never personal data


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Administrator",
    Role.PLANNER: "Perencana (Kantor Bupati)",
    Role.KEPALA_DESA: "Kepala Desa",
    Role.CAMAT: "Camat",
    Role.OPD: "Petugas OPD",
    Role.DPRD: "Anggota DPRD",
}

SECTORS: dict[str, str] = {
    "adminduk": "Administrasi Kependudukan (Dispendukcapil)",
    "kesehatan": "Kesehatan (Dinas Kesehatan)",
    "pendidikan": "Pendidikan (Dinas Pendidikan)",
    "sosial": "Sosial (Dinas Sosial)",
    "infrastruktur": "Infrastruktur (Dinas PU)",
    "perizinan": "Perizinan (DPMPTSP)",
    "ekonomi": "Ekonomi dan UMKM",
}


class Permission(StrEnum):
    """What an endpoint or a service call needs; scope filtering comes on top, in the queries."""

    DASHBOARD_VIEW = "dashboard:view"
    VILLAGE_VIEW = "village:view"
    VILLAGE_IMPORT = "village:import"
    USER_ADMIN = "user:admin"
    AUDIT_VIEW = "audit:view"
    ACCOUNT_SELF = "account:self"
    ASPIRATION_VIEW = "aspiration:view"  # items in scope (not DPRD)
    ASPIRATION_SUBMIT = "aspiration:submit"
    ASPIRATION_MANAGE = "aspiration:manage"  # verify, dispatch, merge, close, bulk, import
    ASPIRATION_STATS = "aspiration:stats"  # aggregates only
    PLAN_VIEW = "plan:view"
    PLAN_EDIT = "plan:edit"  # run, edit, publish, weights, calendar settings
    VISIT_VIEW = "visit:view"  # visits in scope (not DPRD)
    VISIT_MANAGE = "visit:manage"  # status, ad hoc visits, commitments, notes, on-site aspirations
    SERVICE_RECORD = "service:record"  # counts and NIK records (OPD: own sector's services)
    SERVICE_STATS = "service:stats"  # aggregates of services delivered (DPRD included)
    REPORT_VIEW = "report:view"  # the archive (DPRD reports for all; visit reports within scope)
    REPORT_GENERATE = "report:generate"
    SETTINGS_ADMIN = "settings:admin"  # aspiration categories, deadline rules, regency days off
    NOTIFICATIONS_SELF = "notifications:self"  # one's own notifications and delivery preferences
    JOBS_VIEW = "jobs:view"  # the background job runs (admins)
    COVERAGE_VIEW = "coverage:view"  # how many desa the programme has reached (office and DPRD)


_EVERYONE = {Permission.DASHBOARD_VIEW, Permission.VILLAGE_VIEW, Permission.ACCOUNT_SELF, Permission.ASPIRATION_STATS,
             Permission.SERVICE_STATS, Permission.REPORT_VIEW, Permission.NOTIFICATIONS_SELF}
_ITEMS = {Permission.ASPIRATION_VIEW, Permission.VISIT_VIEW}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.PLANNER: frozenset(_EVERYONE | _ITEMS | {Permission.VILLAGE_IMPORT, Permission.ASPIRATION_SUBMIT,
                                                   Permission.ASPIRATION_MANAGE, Permission.PLAN_VIEW,
                                                   Permission.PLAN_EDIT, Permission.VISIT_MANAGE,
                                                   Permission.SERVICE_RECORD, Permission.REPORT_GENERATE,
                                                   Permission.COVERAGE_VIEW}),
    Role.KEPALA_DESA: frozenset(_EVERYONE | _ITEMS | {Permission.ASPIRATION_SUBMIT}),
    Role.CAMAT: frozenset(_EVERYONE | _ITEMS),
    Role.OPD: frozenset(_EVERYONE | _ITEMS | {Permission.SERVICE_RECORD}),
    Role.DPRD: frozenset(_EVERYONE | {Permission.COVERAGE_VIEW}),
}


def has_permission(role: str | Role, permission: Permission) -> bool:
    """True when the role grants the permission; an unknown role grants nothing."""
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
