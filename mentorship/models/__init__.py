from .cases import PracticeCase, PracticeCaseEvent
from .countersign import CountersignLink
from .hours import HourEntry, HourEntryEvent
from .placements import Placement
from .reflection import (
    FollowUpAction,
    Reflection,
    ReflectionSession,
    RefresherAssignment,
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
    "Reflection",
    "ReflectionSession",
    "RefresherAssignment",
    "WellbeingCheckIn",
]
