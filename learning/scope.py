"""Who may see and change whom: the one place that decides.

The platform issue only needs the account rule below; the people-and-places
issue extends this module with organisations, programmes and cohorts, and
every screen keeps asking here.
"""

from django.db.models import QuerySet

from .choices import ADMIN_ROLES
from .models import User


def accounts_manageable_by(actor: User) -> QuerySet[User]:
    """Accounts whose password `actor` may reset: trainees and alumni, not staff."""
    if not actor.is_authenticated or not actor.has_perm(
        "learning.set_one_time_password"
    ):
        return User.objects.none()
    return (
        User.objects.filter(is_active=True, is_superuser=False, is_staff=False)
        .exclude(pk=actor.pk)
        .exclude(groups__name__in=[role.value for role in ADMIN_ROLES])
    )
