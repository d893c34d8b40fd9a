"""The audit trail: who did what, when, to which record, for the sensitive acts.

`record()` writes one line; call it inside the transaction of the act it
records, so a rolled-back act leaves no line and a committed act always has
one. Lines are never changed (`AuditEvent` refuses updates and deletes);
`purge()` removes those older than `PENDAMPING_AUDIT_KEEP_DAYS`, and is the
only way a line goes.

What a line may hold: the actor, the action, the record's kind, id and a
short label, the person whose data it is, the programme, and small facts
(counts, a file format). Never a case's story or anything a victim could be
recognised by; never a password.
"""

import datetime
import ipaddress

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from .choices import AuditAction, Role
from .models import AuditEvent, Programme, User
from .scope import is_signed_in, programmes_managed_by
from .throttle import client_address

LABEL_MAX = 200


def record(
    action: AuditAction,
    *,
    actor: User | None,
    target: models.Model | None = None,
    target_label: str = "",
    subject: User | None = None,
    programme: Programme | None = None,
    detail: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one line of the trail for `action` done by `actor` to `target`."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=person_label(actor),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or "")[:LABEL_MAX],
        subject=subject,
        programme=programme,
        detail=detail or {},
        address=_address(request),
    )


def purge(*, now: datetime.datetime | None = None) -> int:
    """Remove the lines older than the retention period; how many went."""
    keep_days = settings.PENDAMPING_AUDIT_KEEP_DAYS
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    old = AuditEvent.objects.filter(at__lt=cutoff)
    # The queryset refuses delete(); the raw delete is this function's alone.
    return old._raw_delete(old.db)


def programme_of(person: User | None) -> Programme | None:
    """The one programme `person` is enrolled in, for an act that has no
    programme of its own (a temporary password); None when there are none or
    several, so the line is never shown to another programme's coordinator."""
    if person is None or not person.pk:
        return None
    programmes = list(
        Programme.objects.filter(cohorts__enrolments__trainee=person).distinct()[:2]
    )
    return programmes[0] if len(programmes) == 1 else None


def may_see_trail(actor) -> bool:
    """Superusers and coordinators read the trail; nobody else.

    Nobody changes it: there is no rule for writing beside this one because
    no screen, form or API adds, edits or deletes a line (`record` is called
    by the acts themselves).
    """
    if not is_signed_in(actor):
        return False
    return actor.is_superuser or Role.KOORDINATOR in actor.roles


def lines_visible_to(actor) -> models.QuerySet[AuditEvent]:
    """The lines `actor` may read: all for a superuser; for a coordinator the
    lines of the programmes they coordinate.

    A line without a programme (an account's role changed, a people import,
    a temporary password) is for superusers only: the person it is about may
    since have moved between programmes, and which programme it belonged to
    at the time is not known, so showing it to a coordinator could show them
    another programme's business.
    """
    if not may_see_trail(actor):
        return AuditEvent.objects.none()
    if actor.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(
        programme__in=programmes_managed_by(actor).values("pk")
    )


def person_label(person: User | None) -> str:
    if person is None or not person.pk:
        return ""
    name = person.get_full_name()
    return f"{name} ({person.username})" if name else person.username


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    try:
        # A forwarded header can hold anything; only an address is kept.
        return str(ipaddress.ip_address(client_address(request).strip()))
    except ValueError:
        return None
