from .mentorship import (
    HourEntryFactory,
    PlacementFactory,
    PracticeCaseFactory,
    new_case,
    outside_placement,
    reflection_session,
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
    "new_case",
    "outside_placement",
    "reflection_session",
    "region",
    "user_with_roles",
]
