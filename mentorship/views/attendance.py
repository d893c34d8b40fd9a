"""A facilitator's attendance pages, on the phone, in the village.

- /kehadiran/: the workshops a facilitator or coordinator may record (on now,
  in the next 30 days, or ended in the last 7), a link per day, and the
  reflection sessions they may change that have not ended, a link each.
  Every link names the copy the phone keeps for use with no signal
  (`data-offline-keep`).
- /kehadiran/pelatihan/<event>/<YYYY-MM-DD>/ and /kehadiran/refleksi/<session>/:
  the people expected, one big tick each, pre-ticked if already present.

The form sends `hadir` (ticked now) and `tadi` (ticked when the page was
drawn); absent is `tadi` − `hadir`, and the rules merge the two, so a copy
filled offline never undoes what another facilitator ticked meanwhile.
`uuid` is fresh on every drawing, for the phone's outbox; the server does not
need it. Rules: `assessments.events.save_day_attendance` and
`mentorship.reflection_attendance.save_session_attendance`.

Seeing is not changing: a partner organisation's facilitator who may open a
consortium workshop but not record it gets a 404 here, as does a date that
is not one of the workshop's, and a facilitator who sees a reflection
session but does not lead it. Trainees get a 403.
"""

import datetime
import re
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from assessments.events import AttendanceError as EventAttendanceError
from assessments.events import (
    events_managed_by,
    expected_attendees,
    save_day_attendance,
)
from assessments.models import Attendance, TrainingEvent
from learning.bounds import parse_id
from learning.models import User
from learning.offline import offline_copy_requested
from learning.scope import is_active_staff

from ..models import ReflectionSession
from ..reflection import (
    can_change_attendance,
    cohort_list,
    sessions_attendance_changeable_by,
)
from ..reflection_attendance import AttendanceError as SessionAttendanceError
from ..reflection_attendance import attendance_locks, save_session_attendance

# Workshops listed: those on now, starting within this many days, or ended
# within the last few (attendance is often written up after the fact).
DAYS_AHEAD = 30
DAYS_BEHIND = 7

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _staff(request: HttpRequest) -> User:
    if not is_active_staff(request.user):
        raise PermissionDenied(
            _("Halaman kehadiran hanya untuk fasilitator dan koordinator.")
        )
    return request.user


@dataclass(frozen=True)
class Ticks:
    """What a sent form said: ticked now, and ticked when the page was drawn."""

    present: set[int]
    shown_present: set[int]
    well_formed: bool

    @property
    def absent(self) -> set[int]:
        return self.shown_present - self.present


def _ticks(request: HttpRequest) -> Ticks:
    """`hadir` and `tadi` as ids; anything that is not an id (letters, NUL,
    more digits than a row's id can have) makes the form ill-formed."""
    hadir = [parse_id(value) for value in request.POST.getlist("hadir")]
    tadi = [parse_id(value) for value in request.POST.getlist("tadi")]
    return Ticks(
        present={pk for pk in hadir if pk is not None},
        shown_present={pk for pk in tadi if pk is not None},
        well_formed=None not in hadir and None not in tadi,
    )


def _saved(request: HttpRequest, changed: int) -> None:
    if changed:
        message = ngettext(
            "Kehadiran disimpan: %(count)s perubahan.",
            "Kehadiran disimpan: %(count)s perubahan.",
            changed,
        ) % {"count": changed}
    else:
        message = _("Kehadiran disimpan; tidak ada yang berubah.")
    messages.success(request, message)


def _ill_formed() -> str:
    return _(
        "Tidak ada yang disimpan: isian kehadiran tidak sesuai. Muat ulang "
        "halaman lalu coba lagi."
    )


def _save(request: HttpRequest, save, *, refused) -> tuple[Ticks | None, str]:
    """On POST, save the ticks with `save(ticks)`: (the ticks, '' once saved
    and said so, or the message of a refusal or of a form that does not fit)."""
    if request.method != "POST":
        return None, ""
    ticks = _ticks(request)
    if not ticks.well_formed:
        return ticks, _ill_formed()
    try:
        changed = save(ticks)
    except refused as refusal:
        return ticks, str(refusal)
    _saved(request, changed)
    return ticks, ""


def _page(
    request: HttpRequest,
    *,
    people: list[User],
    present: set[int],
    ticks: Ticks | None,
    error: str,
    context: dict,
    locked: dict[int, str] | None = None,
) -> HttpResponse:
    """The tick list, as stored (`ticks` None) or as the refused form sent it.

    `locked`: people present who may not be unticked, and why; their tick is
    shown and kept, not offered."""
    locked = locked or {}
    expected = {person.pk for person in people}
    if ticks is None:
        ticked = present & expected
        shown_present = ticked
    else:
        ticked = ticks.present & expected
        shown_present = ticks.shown_present & expected
    return render(
        request,
        "mentorship/attendance/form.html",
        {
            **context,
            "people": [
                {
                    "pk": person.pk,
                    "name": person.display_name,
                    "ticked": person.pk in ticked,
                    "locked": locked.get(person.pk, "") if person.pk in present else "",
                }
                for person in people
            ],
            "shown_present": sorted(shown_present),
            "present_count": len(ticked),
            "total": len(people),
            "uuid": uuid.uuid4(),
            "error": error,
            "offline_copy": offline_copy_requested(request),
        },
    )


# --- The list -------------------------------------------------------------------


@login_required
@require_GET
def attendance(request: HttpRequest) -> HttpResponse:
    """Workshops and reflection sessions whose attendance I may record."""
    user = _staff(request)
    today = timezone.localdate()
    events = (
        events_managed_by(user)
        .filter(
            start_date__lte=today + datetime.timedelta(days=DAYS_AHEAD),
            end_date__gte=today - datetime.timedelta(days=DAYS_BEHIND),
        )
        .select_related("programme", "place")
        .order_by("start_date", "pk")
    )
    workshops = [
        {
            "event": event,
            "days": [
                {
                    "number": number,
                    "day": day,
                    "is_today": day == today,
                    "url": reverse(
                        "mentorship:attendance_event_day",
                        args=[event.pk, day.isoformat()],
                    ),
                }
                for number, day in enumerate(event.days, start=1)
            ],
        }
        for event in events
    ]
    sessions = [
        {
            "session": session,
            "url": reverse("mentorship:attendance_session", args=[session.pk]),
        }
        for session in sessions_attendance_changeable_by(user)
        .filter(end_date__gte=today)
        .select_related("programme", "place")
        .order_by("start_date", "pk")
    ]
    return render(
        request,
        "mentorship/attendance/list.html",
        {
            "workshops": workshops,
            "sessions": sessions,
            "days_ahead": DAYS_AHEAD,
            "days_behind": DAYS_BEHIND,
            "offline_copy": offline_copy_requested(request),
        },
    )


# --- A workshop day -------------------------------------------------------------


def _day(text: str) -> datetime.date:
    if not _DAY.fullmatch(text):
        raise Http404
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise Http404 from error


def _event_to_record(user: User, event_id: int) -> TrainingEvent:
    """A workshop `user` may record. Seeing one (`events_visible_to`, e.g. a
    consortium partner's) is not enough: this page changes it."""
    return get_object_or_404(
        events_managed_by(user).select_related("programme", "place"), pk=event_id
    )


@login_required
def event_day(request: HttpRequest, event_id: int, day: str) -> HttpResponse:
    """Tick who is present on one day of a workshop."""
    user = _staff(request)
    date = _day(day)
    event = _event_to_record(user, event_id)
    if date not in event.days:
        raise Http404
    ticks, error = _save(
        request,
        lambda ticks: save_day_attendance(
            recorder=user,
            event=event,
            day=date,
            present_ids=ticks.present,
            absent_ids=ticks.absent,
        ),
        refused=EventAttendanceError,
    )
    if request.method == "POST" and not error:
        return redirect("mentorship:attendance_event_day", event.pk, date.isoformat())
    people = list(expected_attendees(event, user))
    present = set(
        Attendance.objects.filter(event=event, day=date)
        .order_by()
        .values_list("trainee_id", flat=True)
    )
    return _page(
        request,
        people=people,
        present=present,
        ticks=ticks,
        error=error,
        context={
            "kind": "pelatihan",
            "event": event,
            "day": date,
            "day_number": event.days.index(date) + 1,
            "other_days": [
                {
                    "number": number,
                    "day": other,
                    "url": reverse(
                        "mentorship:attendance_event_day",
                        args=[event.pk, other.isoformat()],
                    ),
                }
                for number, other in enumerate(event.days, start=1)
                if other != date
            ],
            "action": reverse(
                "mentorship:attendance_event_day", args=[event.pk, date.isoformat()]
            ),
        },
    )


# --- A reflection session -------------------------------------------------------


def _session_to_record(user: User, session_id: int) -> ReflectionSession:
    """A session whose attendance `user` may change: its own facilitators and
    its programme's coordinators. Seeing it in the admin (a facilitator of
    its organisation who does not lead it) is not enough: 404."""
    session = get_object_or_404(
        sessions_attendance_changeable_by(user).select_related("programme", "place"),
        pk=session_id,
    )
    if not can_change_attendance(user, session):
        raise Http404
    return session


@login_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    """Tick who is present at a reflection session.

    Only what the facilitator changed is sent to the rule: the new ticks and
    the removed ones. A tick left as the page drew it is no decision, so it
    cannot undo an unticking made elsewhere after the page was drawn."""
    user = _staff(request)
    reflection_session = _session_to_record(user, session_id)
    ticks, error = _save(
        request,
        lambda ticks: save_session_attendance(
            session=reflection_session,
            present_ids=ticks.present - ticks.shown_present,
            absent_ids=ticks.absent,
            by=user,
        ),
        refused=SessionAttendanceError,
    )
    if request.method == "POST" and not error:
        return redirect("mentorship:attendance_session", reflection_session.pk)
    people = list(cohort_list(reflection_session))
    present = set(reflection_session.attendees.values_list("pk", flat=True))
    return _page(
        request,
        people=people,
        present=present,
        ticks=ticks,
        error=error,
        locked=attendance_locks(reflection_session),
        context={
            "kind": "refleksi",
            "session": reflection_session,
            "action": reverse(
                "mentorship:attendance_session", args=[reflection_session.pk]
            ),
        },
    )
