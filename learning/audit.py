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

from .choices import AuditAction
from .models import AuditEvent, Programme, User
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
        actor_label=_person_label(actor),
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


def _person_label(person: User | None) -> str:
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
