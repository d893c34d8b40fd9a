"""Who attended a reflection session: from the cohort list or a filled sheet.

Only the active trainees and alumni enrolled in the programme's cohorts may
be marked present, by someone who may change the session; all of them or
nobody. The sheet is read by `learning.attendance_sheet` (the same reader as
a workshop's): a column headed `username`, one person a row, no day columns.
"""

from functools import partial

from django.utils.translation import gettext as _

from learning.attendance_sheet import import_attendance_sheet
from learning.models import User
from learning.spreadsheets import ImportReport

from .models import ReflectionSession
from .reflection import can_manage_session, cohort_list


class AttendanceError(ValueError):
    """Attendance the rules refuse; the message is for the facilitator."""


def _check_manager(by: User, session: ReflectionSession) -> None:
    if not can_manage_session(by, session):
        raise AttendanceError(_("Anda tidak dapat mengubah sesi refleksi ini."))


def record_attendance(*, session: ReflectionSession, people, by: User) -> int:
    """Mark `people` present; all of them or nobody. Returns how many are new."""
    _check_manager(by, session)
    people = list(people)
    ids = {person.pk for person in people}
    allowed = set(cohort_list(session).filter(pk__in=ids).values_list("pk", flat=True))
    refused = sorted(p.display_name for p in people if p.pk not in allowed)
    if refused:
        raise AttendanceError(
            _(
                "Tidak ada yang disimpan: %(names)s tidak terdaftar di angkatan "
                "program %(programme)s."
            )
            % {"names": ", ".join(refused), "programme": session.programme}
        )
    already = set(session.attendees.filter(pk__in=ids).values_list("pk", flat=True))
    new = ids - already
    if new:
        session.attendees.add(*new)
    return len(new)


def import_attendance(
    *, session: ReflectionSession, content: bytes, by: User
) -> ImportReport:
    """Attendance from a filled sheet: a column headed `username`. All rows or none.

    `created` is how many attendees are new.
    """
    return import_attendance_sheet(
        content,
        check=partial(_check_manager, by, session),
        listed=cohort_list(session),
        not_listed=_(
            "%(username)s tidak dikenal atau tidak terdaftar di angkatan program ini."
        ),
        record=lambda attendees: record_attendance(
            session=session, people=[each.person for each in attendees], by=by
        ),
    )
