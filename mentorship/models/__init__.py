from .cases import PracticeCase, PracticeCaseEvent
from .countersign import CountersignLink
from .hours import HourEntry, HourEntryEvent
from .placements import Placement

__all__ = [
    "CountersignLink",
    "HourEntry",
    "HourEntryEvent",
    "Placement",
    "PracticeCase",
    "PracticeCaseEvent",
]
