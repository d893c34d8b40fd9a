from .people import UserFactory, user_with_roles
from .programmes import CohortFactory, OrganisationFactory, ProgrammeFactory, region

__all__ = [
    "CohortFactory",
    "OrganisationFactory",
    "ProgrammeFactory",
    "UserFactory",
    "region",
    "user_with_roles",
]
