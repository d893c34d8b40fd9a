from .audit import AuditEvent
from .devices import Device
from .health import WorkerHeartbeat
from .imports import PeopleImport
from .notifications import Notification
from .outbox import OutboxMessage
from .people import User
from .places import Region, search_key
from .privacy import PersonalDataExport, PrivacyConsent
from .programmes import Cohort, Enrolment, Organisation, Programme

__all__ = [
    "AuditEvent",
    "Cohort",
    "Device",
    "Enrolment",
    "Notification",
    "Organisation",
    "OutboxMessage",
    "PeopleImport",
    "PersonalDataExport",
    "PrivacyConsent",
    "Programme",
    "Region",
    "User",
    "WorkerHeartbeat",
    "search_key",
]
