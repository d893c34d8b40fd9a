"""Who may see and change whom: the one rule every page, admin screen, export
and API endpoint asks.

- A trainee (or alumnus) sees their own records.
- A facilitator sees the people of their own organisation, and the trainees
  of the cohorts they teach, even in another organisation. Apps higher up add
  more through `register_people_rule` (the magang placements a facilitator
  supervises, for instance), without this module importing them.
- A coordinator sees the programmes they coordinate across the consortium's
  organisations: those programmes' cohorts, trainees, facilitators and
  coordinators.
- Nobody else sees anyone but themselves. Superusers see everything.

Seeing a record is not the right to change it. Beside each visibility rule
stands the rule for changing: a cohort is changed (its details, facilitators
and enrolments) and its trainees' results are read by its own facilitators,
the facilitators of the one organisation that runs its programme, and its
programme's coordinators; a partner organisation in a consortium sees the
consortium's cohorts but runs only its own.
"""

from collections.abc import Callable, Iterable

from django.db.models import Count, Q, QuerySet

from .choices import ADMIN_ROLES, Role
from .models import Cohort, Enrolment, Organisation, Programme, User

PeopleRule = Callable[[User], Q]
_people_rules: list[PeopleRule] = []


def register_people_rule(rule: PeopleRule) -> None:
    """Let a higher app widen what a person sees, e.g. supervised placements.

    `rule(actor)` returns a Q over User; an empty Q() means nothing more.
    """
    if rule not in _people_rules:
        _people_rules.append(rule)


def is_signed_in(actor) -> bool:
    """Signed in with an account that is still active."""
    return bool(actor and actor.is_authenticated and actor.is_active)


def is_active_staff(actor) -> bool:
    """Signed in, active, and a facilitator, a coordinator or a superuser: the
    people who work in the admin. The one test of it; every app asks here."""
    return is_signed_in(actor) and bool(
        actor.is_superuser or ADMIN_ROLES & set(actor.roles)
    )


def people_visible_to(actor: User) -> QuerySet[User]:
    if not is_signed_in(actor):
        return User.objects.none()
    if actor.is_superuser:
        return User.objects.all()
    roles = set(actor.roles)
    visible = _people_in_core_scope(actor, roles)
    if roles & ADMIN_ROLES:
        for rule in _people_rules:
            visible |= rule(actor)
    return User.objects.filter(visible)


def _people_in_core_scope(actor: User, roles: set) -> Q:
    """Oneself, one's organisation and cohorts, one's programmes: not the widenings.

    Higher apps widen what a person sees (a magang supervisor sees the trainee
    placed with them); they do not widen whose account one manages.
    """
    visible = Q(pk=actor.pk)
    if Role.FASILITATOR in roles:
        if actor.organisation_id:
            visible |= Q(organisation_id=actor.organisation_id)
        visible |= Q(
            pk__in=Enrolment.objects.filter(cohort__facilitators=actor).values(
                "trainee"
            )
        )
    if Role.KOORDINATOR in roles:
        programmes = Programme.objects.filter(coordinators=actor)
        visible |= Q(
            pk__in=Enrolment.objects.filter(cohort__programme__in=programmes).values(
                "trainee"
            )
        )
        visible |= Q(
            pk__in=Cohort.facilitators.through.objects.filter(
                cohort__programme__in=programmes
            ).values("user")
        )
        visible |= Q(
            pk__in=Programme.coordinators.through.objects.filter(
                programme__in=programmes
            ).values("user")
        )
    return visible


def can_see_person(actor: User, person: User) -> bool:
    return people_visible_to(actor).filter(pk=person.pk).exists()


def cohorts_visible_to(actor: User) -> QuerySet[Cohort]:
    if not is_signed_in(actor):
        return Cohort.objects.none()
    if actor.is_superuser:
        # As below: a cohort's name says its programme (`Cohort.__str__`).
        return Cohort.objects.select_related("programme")
    roles = set(actor.roles)
    visible = Q(enrolments__trainee=actor)
    if Role.FASILITATOR in roles:
        visible |= Q(facilitators=actor)
        if actor.organisation_id:
            visible |= Q(programme__organisations=actor.organisation_id)
    if Role.KOORDINATOR in roles:
        visible |= Q(programme__coordinators=actor)
    return Cohort.objects.filter(
        pk__in=Cohort.objects.filter(visible).values("pk")
    ).select_related("programme")


def programmes_run_alone_by(organisation_id: int) -> QuerySet[Programme]:
    """Programmes that this organisation runs alone (not as one of a consortium)."""
    return (
        Programme.objects.annotate(organisation_count=Count("organisations"))
        .filter(organisation_count=1)
        .filter(
            pk__in=Programme.organisations.through.objects.filter(
                organisation_id=organisation_id
            ).values("programme")
        )
    )


def cohorts_managed_by(actor: User) -> QuerySet[Cohort]:
    """Cohorts `actor` may change, enrol people into, and read the results of.

    Its facilitators; the facilitators of the organisation that runs its
    programme alone; its programme's coordinators. Superusers: all.
    """
    if not is_signed_in(actor):
        return Cohort.objects.none()
    if actor.is_superuser:
        return Cohort.objects.select_related("programme")
    roles = set(actor.roles)
    managed = Q(pk__in=[])
    if Role.FASILITATOR in roles:
        managed |= Q(facilitators=actor)
        if actor.organisation_id:
            managed |= Q(programme__in=programmes_run_alone_by(actor.organisation_id))
    if Role.KOORDINATOR in roles:
        managed |= Q(programme__coordinators=actor)
    return Cohort.objects.filter(
        pk__in=Cohort.objects.filter(managed).values("pk")
    ).select_related("programme")


def may_manage_cohort(
    actor: User, *, programme: Programme, facilitators: Iterable[User]
) -> bool:
    """Would `actor` manage a cohort of `programme` taught by `facilitators`?

    The same rule as `cohorts_managed_by`, for a cohort not saved yet (the
    admin form asks it, so nobody saves a cohort they would then lose).
    """
    if not is_signed_in(actor):
        return False
    if actor.is_superuser:
        return True
    roles = set(actor.roles)
    if (
        Role.KOORDINATOR in roles
        and programme.coordinators.filter(pk=actor.pk).exists()
    ):
        return True
    if Role.FASILITATOR not in roles:
        return False
    if any(person.pk == actor.pk for person in facilitators):
        return True
    return bool(
        actor.organisation_id
        and programmes_run_alone_by(actor.organisation_id)
        .filter(pk=programme.pk)
        .exists()
    )


def programmes_visible_to(actor: User) -> QuerySet[Programme]:
    if not is_signed_in(actor):
        return Programme.objects.none()
    if actor.is_superuser:
        return Programme.objects.all()
    visible = Q(pk__in=cohorts_visible_to(actor).values("programme"))
    visible |= Q(coordinators=actor)
    if Role.FASILITATOR in actor.roles and actor.organisation_id:
        visible |= Q(organisations=actor.organisation_id)
    return Programme.objects.filter(
        pk__in=Programme.objects.filter(visible).values("pk")
    )


def programmes_managed_by(actor: User) -> QuerySet[Programme]:
    """Programmes `actor` may change: the ones they coordinate."""
    if not is_signed_in(actor):
        return Programme.objects.none()
    if actor.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(coordinators=actor)


def organisations_visible_to(actor: User) -> QuerySet[Organisation]:
    """Organisations are public facts, but only staff need the list."""
    if not is_signed_in(actor):
        return Organisation.objects.none()
    if is_active_staff(actor):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=actor.organisation_id)


def organisations_managed_by(actor: User) -> QuerySet[Organisation]:
    """Organisations `actor` may change: those in the programmes they coordinate."""
    if not is_signed_in(actor):
        return Organisation.objects.none()
    if actor.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Programme.organisations.through.objects.filter(
            programme__coordinators=actor
        ).values("organisation")
    )


def accounts_manageable_by(actor: User) -> QuerySet[User]:
    """Accounts `actor` may change (details, enrolment, one-time password).

    Facilitators manage trainees and alumni in their scope; coordinators also
    the facilitators of their programmes. Nobody manages a superuser or,
    here, their own account. What higher apps add to what one sees (a
    supervisor sees the trainee placed with them) is not added here.
    """
    if not is_signed_in(actor) or not actor.has_perm("learning.set_one_time_password"):
        return User.objects.none()
    if actor.is_superuser:
        return User.objects.filter(is_superuser=False).exclude(pk=actor.pk)
    accounts = (
        User.objects.filter(_people_in_core_scope(actor, set(actor.roles)))
        .filter(is_superuser=False)
        .exclude(pk=actor.pk)
    )
    if Role.KOORDINATOR in actor.roles:
        return accounts.exclude(groups__name=Role.KOORDINATOR.value)
    return accounts.exclude(groups__name__in=[role.value for role in ADMIN_ROLES])
