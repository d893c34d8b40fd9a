from .mentorship import (
    HourEntryFactory,
    PlacementFactory,
    PracticeCaseFactory,
    outside_placement,
)
from .people import UserFactory, user_with_roles
from .programmes import CohortFactory, OrganisationFactory, ProgrammeFactory, region

__all__ = [
    "CohortFactory",
    "HourEntryFactory",
    "OrganisationFactory",
    "PlacementFactory",
    "PracticeCaseFactory",
    "ProgrammeFactory",
    "UserFactory",
    "outside_placement",
    "region",
    "user_with_roles",
]
