"""Which placements and hour entries a person may see: one rule for every screen.

- A trainee sees their own placements and entries.
- A supervisor sees the placements they supervise and their entries.
- Facilitators and coordinators see the placements of the people the core
  scope rule shows them (`learning.scope.people_visible_to`), which includes
  the trainees they supervise (registered in `apps.py`).

Changing a placement (its period, host, supervisor) is narrower: those who
manage the trainee's account (`learning.scope.accounts_manageable_by`). A
supervisor at the host organisation sees and verifies, but does not move the
placement.
"""

from django.db.models import Q, QuerySet

from learning.models import User
from learning.scope import (
    accounts_manageable_by,
    is_active_staff,
    is_signed_in,
    people_visible_to,
)

from .choices import EntryStatus
from .models import HourEntry, Placement


def placements_visible_to(user: User) -> QuerySet[Placement]:
    if not is_signed_in(user):
        return Placement.objects.none()
    if user.is_superuser:
        return Placement.objects.all()
    visible = Q(trainee=user) | Q(supervisor=user)
    if is_active_staff(user):
        visible |= Q(trainee__in=people_visible_to(user))
    return Placement.objects.filter(visible)


def placements_managed_by(user: User) -> QuerySet[Placement]:
    """Placements `user` may change or delete."""
    if not is_signed_in(user):
        return Placement.objects.none()
    if user.is_superuser:
        return Placement.objects.all()
    return Placement.objects.filter(trainee__in=accounts_manageable_by(user))


def entries_visible_to(user: User) -> QuerySet[HourEntry]:
    if not is_signed_in(user):
        return HourEntry.objects.none()
    if user.is_superuser:
        return HourEntry.objects.all()
    return HourEntry.objects.filter(placement__in=placements_visible_to(user))


def supervision_queue(user: User) -> QuerySet[HourEntry]:
    """Entries waiting for this supervisor's decision, oldest first."""
    if not is_signed_in(user):
        return HourEntry.objects.none()
    return (
        HourEntry.objects.filter(
            placement__supervisor=user, status=EntryStatus.SUBMITTED
        )
        .exclude(trainee=user)
        .select_related("trainee", "placement", "placement__host")
        .order_by("date", "start_time", "pk")
    )


def supervised_trainees(actor: User) -> Q:
    """For `learning.scope`: a supervisor also sees the trainees they supervise."""
    return Q(pk__in=Placement.objects.filter(supervisor=actor).values("trainee"))
