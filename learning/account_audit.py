"""The audit trail's lines for an account's roles and scope changed in the
admin's people screens (`learning.viewsets`'s account forms).

What changed is kept in detail: role names before and after, organisation
ids before and after, the superuser flag. Never a password, never a name.
"""

from dataclasses import dataclass

from . import audit
from .choices import AuditAction
from .models import User


@dataclass(frozen=True)
class Standing:
    """What an account may do and where, at one moment."""

    roles: tuple[str, ...] = ()
    organisation_id: int | None = None
    is_superuser: bool = False


def standing_of(person: User | None) -> Standing:
    if person is None or not person.pk:
        return Standing()
    return Standing(
        roles=tuple(
            sorted(
                User.groups.through.objects.filter(user_id=person.pk).values_list(
                    "group__name", flat=True
                )
            )
        ),
        organisation_id=person.organisation_id,
        is_superuser=person.is_superuser,
    )


def record_changes(*, actor: User, person: User, before: Standing, created: bool):
    """One line for roles (and the superuser flag) changed, one for the
    organisation changed; nothing when neither did. Called inside the save's
    transaction."""
    after = standing_of(person)
    programme = audit.programme_of(person)
    lines = []
    if before.roles != after.roles or before.is_superuser != after.is_superuser:
        detail = {
            "before": list(before.roles),
            "after": list(after.roles),
            "added": sorted(set(after.roles) - set(before.roles)),
            "removed": sorted(set(before.roles) - set(after.roles)),
        }
        if before.is_superuser != after.is_superuser:
            detail["superuser"] = [before.is_superuser, after.is_superuser]
        if created:
            detail["created"] = True
        lines.append((AuditAction.ROLES_CHANGED, detail))
    if before.organisation_id != after.organisation_id:
        detail = {
            "organisation_before": before.organisation_id,
            "organisation_after": after.organisation_id,
        }
        if created:
            detail["created"] = True
        lines.append((AuditAction.SCOPE_CHANGED, detail))
    for action, detail in lines:
        audit.record(
            action,
            actor=actor,
            target=person,
            target_label=person.username,
            subject=person,
            programme=programme,
            detail=detail,
        )


def cohort_people(cohort) -> tuple[frozenset[int], frozenset[int]]:
    """(trainee ids, facilitator ids) of a saved cohort; empty for a new one."""
    if cohort is None or not cohort.pk:
        return frozenset(), frozenset()
    from .models import Cohort, Enrolment

    trainees = Enrolment.objects.filter(cohort_id=cohort.pk).values_list(
        "trainee_id", flat=True
    )
    facilitators = Cohort.facilitators.through.objects.filter(
        cohort_id=cohort.pk
    ).values_list("user_id", flat=True)
    return frozenset(trainees), frozenset(facilitators)


def record_cohort_changes(*, actor: User, cohort, before) -> None:
    """One SCOPE_CHANGED line per person enrolled in or taken out of the
    cohort, or made or unmade its facilitator; called inside the save."""
    trainees, facilitators = cohort_people(cohort)
    changes = [
        *((pk, "enrolled") for pk in trainees - before[0]),
        *((pk, "unenrolled") for pk in before[0] - trainees),
        *((pk, "facilitator_added") for pk in facilitators - before[1]),
        *((pk, "facilitator_removed") for pk in before[1] - facilitators),
    ]
    if not changes:
        return
    people = User.objects.in_bulk([pk for pk, _change in changes])
    audit.record_many(
        AuditAction.SCOPE_CHANGED,
        actor=actor,
        lines=[
            {
                "target": cohort,
                "target_label": f"Angkatan {cohort.name}",
                "subject": people.get(pk),
                "programme": cohort.programme,
                "detail": {"cohort": cohort.pk, "change": change},
            }
            for pk, change in changes
        ],
    )
