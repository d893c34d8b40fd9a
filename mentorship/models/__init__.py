from .cases import PracticeCase, PracticeCaseEvent
from .countersign import CountersignLink
from .history import ProgrammeHistoryYear
from .hours import HourEntry, HourEntryEvent
from .placements import Placement
from .reflection import (
    FollowUpAction,
    Reflection,
    ReflectionSession,
    RefresherAssignment,
    SessionAttendanceMark,
)
from .wellbeing import WellbeingCheckIn

__all__ = [
    "CountersignLink",
    "FollowUpAction",
    "HourEntry",
    "HourEntryEvent",
    "Placement",
    "PracticeCase",
    "PracticeCaseEvent",
    "ProgrammeHistoryYear",
    "Reflection",
    "ReflectionSession",
    "RefresherAssignment",
    "SessionAttendanceMark",
    "WellbeingCheckIn",
]
