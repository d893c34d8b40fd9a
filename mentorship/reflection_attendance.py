"""Who attended a reflection session: from the cohort list or a filled sheet.

Only the active trainees and alumni enrolled in the programme's cohorts may
be marked present, by the session's facilitators or its programme's
coordinators (`reflection.can_change_attendance`); all of them or nobody. A
phone page saves a whole list as a three-way merge
(`save_session_attendance`): the ticks it adds, the ticks it took away, and
nobody else's. The sheet is read by `learning.attendance_sheet` (the same
reader as a workshop's): a column headed `username`, one person a row, no day
columns.

Unmarking: anyone marked present may be marked absent again, except someone
whose presence something else rests on (`attendance_locks`): a refresher
module this session assigned them, or a reflection a facilitator entered for
them at the session (entered because they were there). A reflection the
companion filled in themselves does not hold them: companions fill it before
the session, present or not, and it stays theirs and stays counted.

The later action wins: each person's last decision is kept with its time
(`SessionAttendanceMark`); an action older than it (an outbox sent days
after someone was unticked, or sent twice) leaves that person alone. Online
actions are stamped by the server; an offline one by when the phone kept it,
never later than now.
"""

import datetime
from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.attendance_sheet import import_attendance_sheet
from learning.models import User
from learning.scope import people_visible_to
from learning.spreadsheets import ImportReport

from .models import (
    Reflection,
    ReflectionSession,
    RefresherAssignment,
    SessionAttendanceMark,
)
from .reflection import can_change_attendance, cohort_list


class AttendanceError(ValueError):
    """Attendance the rules refuse; the message is for the facilitator."""


def _check_manager(by: User, session: ReflectionSession) -> None:
    if not can_change_attendance(by, session):
        raise AttendanceError(
            _(
                "Kamu tidak dapat mengubah kehadiran sesi refleksi ini: hanya "
                "fasilitator sesi dan koordinator programnya yang mencatatnya."
            )
        )


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


def attendance_locks(session: ReflectionSession, ids=None) -> dict[int, str]:
    """Who may not be unmarked, and why: {person id: the reason, for a page}.

    Two queries, whatever the number of people."""
    refreshers = RefresherAssignment.objects.filter(session=session)
    entered = Reflection.objects.filter(session=session).exclude(
        entered_by_id=F("person_id")
    )
    if ids is not None:
        refreshers = refreshers.filter(person_id__in=ids)
        entered = entered.filter(person_id__in=ids)
    locks = {
        pk: _("refleksinya diisi fasilitator di sesi ini")
        for pk in entered.exclude(entered_by=None).values_list("person_id", flat=True)
    }
    for pk in refreshers.values_list("person_id", flat=True):
        locks[pk] = _("sudah mendapat tugas modul penyegaran dari sesi ini")
    return locks


def _when(at: datetime.datetime | None) -> datetime.datetime:
    """The action's time: now, or a phone's time if earlier (a phone clock
    running ahead must not beat what happens later)."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    at = min(at, now)
    try:
        # Kept in UTC: the first hours of year 1 east of it are no time there.
        at.astimezone(datetime.UTC)
    except OverflowError as error:
        raise AttendanceError(
            _("Tidak ada yang disimpan: waktu pencatatan %(time)s tidak dikenal.")
            % {"time": at.isoformat()}
        ) from error
    return at


def _apply(
    session: ReflectionSession,
    *,
    present_ids: set[int],
    absent_ids: set[int],
    at: datetime.datetime,
    by: User,
    names: Callable[[set[int]], list[str]],
) -> int:
    """Inside the caller's transaction, with the session locked: the later
    action wins per person; a locked person is refused; returns how many
    people were added or removed."""
    wanted = dict.fromkeys(present_ids, True) | dict.fromkeys(absent_ids, False)
    marks = {
        mark.person_id: mark
        for mark in SessionAttendanceMark.objects.filter(
            session=session, person_id__in=wanted
        )
    }
    # An older action than the person's last one changes nothing for them.
    wanted = {
        pk: present
        for pk, present in wanted.items()
        if pk not in marks or marks[pk].marked_at <= at
    }
    attending = set(
        session.attendees.filter(pk__in=wanted).values_list("pk", flat=True)
    )
    new = {pk for pk, present in wanted.items() if present and pk not in attending}
    gone = {pk for pk, present in wanted.items() if not present and pk in attending}
    locks = attendance_locks(session, gone) if gone else {}
    if locks:
        named = [f"{names({pk})[0]} ({reason})" for pk, reason in locks.items()]
        raise AttendanceError(
            _("Tidak ada yang disimpan: %(people)s tetap tercatat hadir.")
            % {"people": "; ".join(sorted(named))}
        )
    if new:
        session.attendees.add(*new)
    if gone:
        session.attendees.remove(*gone)
    for pk, present in wanted.items():
        mark = marks.get(pk)
        if mark is None:
            SessionAttendanceMark.objects.create(
                session=session,
                person_id=pk,
                present=present,
                marked_at=at,
                marked_by=by,
            )
        else:
            SessionAttendanceMark.objects.filter(pk=mark.pk).update(
                present=present, marked_at=at, marked_by=by
            )
    return len(new) + len(gone)


def record_attendance(
    *,
    session: ReflectionSession,
    people,
    by: User,
    at: datetime.datetime | None = None,
) -> int:
    """Mark `people` present; all of them or nobody. Returns how many are new."""
    people = list(people)
    ids = {person.pk for person in people}
    at = _when(at)
    with transaction.atomic():
        _lock_session(session)
        _check_manager(by, session)
        _check_listed(
            session,
            ids,
            lambda refused: [p.display_name for p in people if p.pk in refused],
        )
        return _apply(
            session,
            present_ids=ids,
            absent_ids=set(),
            at=at,
            by=by,
            names=partial(_names, by),
        )


def save_session_attendance(
    *,
    session: ReflectionSession,
    present_ids: set[int],
    absent_ids: set[int],
    by: User,
    at: datetime.datetime | None = None,
) -> int:
    """Save the session's list as a facilitator's phone page saw it:
    `present_ids` are present; `absent_ids` (shown ticked, then unticked) are
    not; everyone else stays as they were, so two facilitators on two phones
    never undo each other's ticks. `at`: when the facilitator acted, if not
    now (a phone's outbox). All of it or nothing; returns how many people
    were added or removed (0 for a repeat, or for an action older than each
    person's last).
    """
    present_ids, absent_ids = set(present_ids), set(absent_ids)
    if present_ids & absent_ids:
        raise AttendanceError(
            _(
                "Tidak ada yang disimpan: ada peserta yang ditandai hadir "
                "sekaligus tidak hadir."
            )
        )
    at = _when(at)
    with transaction.atomic():
        _lock_session(session)
        _check_manager(by, session)
        _check_listed(session, present_ids | absent_ids, partial(_names, by))
        return _apply(
            session,
            present_ids=present_ids,
            absent_ids=absent_ids,
            at=at,
            by=by,
            names=partial(_names, by),
        )


def unmark_attendance(*, session: ReflectionSession, person_id: int, by: User) -> bool:
    """Mark one person absent again (the admin page). True if they were
    present; a repeat answers False and changes nothing."""
    return bool(
        save_session_attendance(
            session=session, present_ids=set(), absent_ids={person_id}, by=by
        )
    )


def mark_present(*, session: ReflectionSession, person_id: int, by: User) -> bool:
    """Mark one person present (the admin page). True if they were not."""
    return bool(
        save_session_attendance(
            session=session, present_ids={person_id}, absent_ids=set(), by=by
        )
    )


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
