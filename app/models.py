"""Model registry: importing this module registers every table (for Alembic and test set-up)."""

from app.aspirations.models import (
    Aspiration,
    AspirationCategory,
    AspirationEvent,
    AspirationService,
    AspirationSupport,
    Attachment,
    DeadlineRule,
    RegencyDayOff,
)
from app.auth.models import ApiToken, LoginAttempt, User
from app.core.audit import AuditLog
from app.jobs.models import JobRun, PrioritySnapshot, SchedulerLease
from app.notifications.models import Notification, NotificationPreference, OutboxMessage
from app.planning.models import (
    BlockedDate,
    CalendarToken,
    DesaPlanning,
    DesaWindow,
    Plan,
    PlanDay,
    PlanningSettings,
    PlanPriority,
    PlanUnvisited,
    PlanVisit,
    PriorityWeights,
)
from app.regions.models import Desa, Kecamatan, Place, PovertyFigure, PovertyImport, Regency
from app.reports.models import ReportArchive
from app.visits.models import (
    Commitment,
    ServiceRecord,
    ServiceType,
    Visit,
    VisitAgendaItem,
    VisitPhoto,
    VisitServiceCount,
)

__all__ = [
    "ApiToken",
    "Aspiration",
    "AspirationCategory",
    "AspirationEvent",
    "AspirationService",
    "AspirationSupport",
    "Attachment",
    "AuditLog",
    "BlockedDate",
    "CalendarToken",
    "Commitment",
    "DeadlineRule",
    "Desa",
    "DesaPlanning",
    "DesaWindow",
    "JobRun",
    "Kecamatan",
    "LoginAttempt",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "Place",
    "Plan",
    "PlanDay",
    "PlanPriority",
    "PlanUnvisited",
    "PlanVisit",
    "PlanningSettings",
    "PovertyFigure",
    "PovertyImport",
    "PrioritySnapshot",
    "PriorityWeights",
    "Regency",
    "RegencyDayOff",
    "ReportArchive",
    "SchedulerLease",
    "ServiceRecord",
    "ServiceType",
    "User",
    "Visit",
    "VisitAgendaItem",
    "VisitPhoto",
    "VisitServiceCount",
]
