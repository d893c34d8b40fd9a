"""Who attended a reflection session: from the cohort list or a filled sheet.

Only the active trainees and alumni enrolled in the programme's cohorts may
be marked present, by someone who may change the session; all of them or
nobody. A phone page saves a whole list as a three-way merge
(`save_session_attendance`): the ticks it adds, the ticks it took away, and
nobody else's. The sheet is read by `learning.attendance_sheet` (the same
reader as a workshop's): a column headed `username`, one person a row, no day
columns.
"""

from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from learning.attendance_sheet import import_attendance_sheet
from learning.models import User
from learning.scope import people_visible_to
from learning.spreadsheets import ImportReport

from .models import ReflectionSession
from .reflection import can_manage_session, cohort_list


class AttendanceError(ValueError):
    """Attendance the rules refuse; the message is for the facilitator."""


def _check_manager(by: User, session: ReflectionSession) -> None:
    if not can_manage_session(by, session):
        raise AttendanceError(_("Kamu tidak dapat mengubah sesi refleksi ini."))


def _lock_session(session: ReflectionSession) -> None:
    """Writers of one session's attendance take turns (a row lock on
    PostgreSQL; SQLite's IMMEDIATE transactions already take turns)."""
    ReflectionSession.objects.select_for_update().filter(pk=session.pk).exists()


def _check_listed(
    session: ReflectionSession, ids: set[int], names: Callable[[set[int]], list[str]]
) -> None:
    allowed = set(cohort_list(session).filter(pk__in=ids).values_list("pk", flat=True))
    refused = ids - allowed
    if refused:
        raise AttendanceError(
            _(
                "Tidak ada yang disimpan: %(names)s tidak terdaftar di angkatan "
                "program %(programme)s."
            )
            % {
                "names": ", ".join(sorted(names(refused))),
                "programme": session.programme,
            }
        )


def _names(by: User, ids: set[int]) -> list[str]:
    """How a refusal names `ids`: by name where `by` may see the person,
    otherwise by number (a hand-typed id names nobody out of scope)."""
    shown = {
        person.pk: person.display_name
        for person in people_visible_to(by).filter(pk__in=ids)
    }
    return [shown.get(pk, f"#{pk}") for pk in ids]


def _add(session: ReflectionSession, ids: set[int]) -> int:
    already = set(session.attendees.filter(pk__in=ids).values_list("pk", flat=True))
    new = ids - already
    if new:
        session.attendees.add(*new)
    return len(new)


def record_attendance(*, session: ReflectionSession, people, by: User) -> int:
    """Mark `people` present; all of them or nobody. Returns how many are new."""
    people = list(people)
    ids = {person.pk for person in people}
    with transaction.atomic():
        _lock_session(session)
        _check_manager(by, session)
        _check_listed(
            session,
            ids,
            lambda refused: [p.display_name for p in people if p.pk in refused],
        )
        return _add(session, ids)


def save_session_attendance(
    *,
    session: ReflectionSession,
    present_ids: set[int],
    absent_ids: set[int],
    by: User,
) -> int:
    """Save the session's list as a facilitator's phone page saw it:
    `present_ids` are present; `absent_ids` (shown ticked, then unticked) are
    not; everyone else stays as they were, so two facilitators on two phones
    never undo each other's ticks. All of it or nothing; returns how many
    people were added or removed.
    """
    present_ids, absent_ids = set(present_ids), set(absent_ids)
    if present_ids & absent_ids:
        raise AttendanceError(
            _(
                "Tidak ada yang disimpan: ada peserta yang ditandai hadir "
                "sekaligus tidak hadir."
            )
        )
    with transaction.atomic():
        _lock_session(session)
        _check_manager(by, session)
        _check_listed(session, present_ids | absent_ids, partial(_names, by))
        changed = _add(session, present_ids)
        gone = set(
            session.attendees.filter(pk__in=absent_ids).values_list("pk", flat=True)
        )
        if gone:
            session.attendees.remove(*gone)
        return changed + len(gone)


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
