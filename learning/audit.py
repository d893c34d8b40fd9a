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

import contextvars
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

# The request being answered, so a rule function deep below a view records
# the address without every rule taking the request as an argument.
_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "audit_request", default=None
)


class RequestAddressMiddleware:
    """Keep the request at hand for `record` while it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


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
        address=_address(request or _current_request.get()),
    )


def record_many(
    action: AuditAction,
    *,
    actor: User | None,
    lines: list[dict],
    request: HttpRequest | None = None,
) -> list[AuditEvent]:
    """One line per item of `lines` (each a dict of `record`'s target,
    target_label, subject, programme, detail), written in one query: a page
    of fifty cases read at once is fifty lines, not fifty inserts."""
    actor_label = person_label(actor)
    address = _address(request or _current_request.get())
    events = [
        AuditEvent(
            action=action,
            actor=actor if actor is not None and actor.pk else None,
            actor_label=actor_label,
            target_type=line["target"]._meta.label_lower if line.get("target") else "",
            target_id=str(line["target"].pk) if line.get("target") else "",
            target_label=(line.get("target_label") or "")[:LABEL_MAX],
            subject=line.get("subject"),
            programme=line.get("programme"),
            detail=line.get("detail") or {},
            address=address,
        )
        for line in lines
    ]
    return AuditEvent.objects.bulk_create(events) if events else []


def record_export(
    request: HttpRequest,
    *,
    what: str,
    file_format: str,
    target: models.Model | None = None,
    subject: User | None = None,
    programme: Programme | None = None,
    rows: int | None = None,
) -> AuditEvent:
    """The line for one download of people's data: which file, in what
    format, by whom, from where. `what` is a short fixed name of the file
    (e.g. "hasil-kuis"), never its content."""
    detail: dict = {"file": what, "format": file_format}
    if rows is not None:
        detail["rows"] = rows
    return record(
        AuditAction.EXPORTED,
        actor=request.user if request.user.is_authenticated else None,
        target=target,
        target_label=f"Unduhan {what} ({file_format})"[:LABEL_MAX],
        subject=subject,
        programme=programme,
        detail=detail,
        request=request,
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


def programmes_of(people_ids) -> dict[int, Programme]:
    """`programme_of` for many people in one query: id -> their one programme
    (people in none or in several are left out)."""
    found: dict[int, set[int]] = {}
    programmes: dict[int, Programme] = {}
    rows = Programme.objects.filter(
        cohorts__enrolments__trainee__in=list(people_ids)
    ).annotate(person=models.F("cohorts__enrolments__trainee"))
    for programme in rows:
        found.setdefault(programme.person, set()).add(programme.pk)
        programmes[programme.pk] = programme
    return {
        person: programmes[next(iter(ids))]
        for person, ids in found.items()
        if len(ids) == 1
    }


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
