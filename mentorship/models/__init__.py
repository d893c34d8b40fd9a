from .cases import PracticeCase, PracticeCaseEvent
from .countersign import CountersignLink
from .figures import FiguresStamp, KeptFigures
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
    "FiguresStamp",
    "FollowUpAction",
    "HourEntry",
    "HourEntryEvent",
    "KeptFigures",
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
