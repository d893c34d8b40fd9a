"""In-person workshops and who attended them, day by day.

Attendance is written here only: from the admin grid, from a filled paper
sheet, from a facilitator's phone page (a three-way merge, so two phones do
not undo each other), or by anything else that records it. Every writer
checks the same things, in the transaction that writes: the day is one of
the workshop's, and every trainee is enrolled in a cohort of the workshop's
programme and in the recorder's scope. One refusal means nothing is saved.
"""

import datetime
from collections.abc import Callable, Iterable
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learning.attendance_sheet import (
    Attendee,
    attendance_workbook,
    import_attendance_sheet,
)
from learning.choices import Role
from learning.models import Cohort, User
from learning.scope import is_active_staff, people_visible_to, programmes_run_alone_by
from learning.spreadsheets import ImportReport
from modules.choices import StudiedVia
from modules.models import LessonProgress
from modules.progress import mark_lesson_done

from .models import Attendance, TrainingEvent


class AttendanceError(ValueError):
    """Attendance the rules refuse; the message is for the facilitator."""


def _events(actor: User, *, partner_programmes: bool) -> QuerySet[TrainingEvent]:
    """The workshops a facilitator leads, organises or teaches in; a coordinator's.

    `partner_programmes` adds every programme the actor's organisation takes
    part in, a consortium's included (seeing); without it, only those the
    organisation runs alone (changing).
    """
    if not is_active_staff(actor):
        return TrainingEvent.objects.none()
    if actor.is_superuser:
        return TrainingEvent.objects.all()
    roles = set(actor.roles)
    where = Q(pk__in=[])
    if Role.FASILITATOR in roles:
        where |= Q(facilitators=actor)
        where |= Q(
            programme__in=Cohort.objects.filter(facilitators=actor).values("programme")
        )
        if actor.organisation_id:
            where |= Q(organisers=actor.organisation_id)
            if partner_programmes:
                where |= Q(programme__organisations=actor.organisation_id)
            else:
                where |= Q(programme__in=programmes_run_alone_by(actor.organisation_id))
    if Role.KOORDINATOR in roles:
        where |= Q(programme__coordinators=actor)
    return TrainingEvent.objects.filter(
        pk__in=TrainingEvent.objects.filter(where).values("pk")
    )


def events_visible_to(actor: User) -> QuerySet[TrainingEvent]:
    """The workshops `actor` may open and read.

    Mirrors `learning.scope`: a facilitator sees the workshops they lead,
    those their organisation organises, and those of the programmes their
    organisation takes part in or whose cohorts they teach; a coordinator
    those of the programmes they coordinate. Trainees see none here.
    """
    return _events(actor, partner_programmes=True)


def events_managed_by(actor: User) -> QuerySet[TrainingEvent]:
    """The workshops `actor` may change and record attendance for.

    Seeing is wider than changing: a consortium partner sees the consortium's
    workshops but changes only what it leads, organises or teaches in, and
    the workshops of programmes its organisation runs alone.
    """
    return _events(actor, partner_programmes=False)


def expected_attendees(
    event: TrainingEvent, actor: User | None = None
) -> QuerySet[User]:
    """Trainees enrolled in the programme's cohorts (those `actor` may see)."""
    people = User.objects.filter(
        is_active=True, enrolments__cohort__programme_id=event.programme_id
    )
    if actor is not None:
        people = people.filter(pk__in=people_visible_to(actor).values("pk"))
    return User.objects.filter(pk__in=people.values("pk")).order_by(
        "first_name", "last_name", "username"
    )


def _check_recorder(recorder: User, event: TrainingEvent) -> None:
    if not events_managed_by(recorder).filter(pk=event.pk).exists():
        raise AttendanceError(_("Kamu tidak dapat mencatat kehadiran pelatihan ini."))


def _day_problem(event: TrainingEvent, day: datetime.date) -> str | None:
    if event.start_date <= day <= event.end_date:
        return None
    return _("Tanggal %(day)s di luar pelatihan (%(start)s sampai %(end)s).") % {
        "day": date_format(day),
        "start": date_format(event.start_date),
        "end": date_format(event.end_date),
    }


def _allowed_ids(recorder: User, event: TrainingEvent, ids: set[int]) -> set[int]:
    """Which of `ids` the recorder may record for this workshop."""
    return set(
        expected_attendees(event, recorder)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )


def _names(recorder: User, ids: set[int]) -> list[str]:
    """How a refusal names `ids`: by name where the recorder may see the
    person, otherwise by number (a hand-typed id names nobody out of scope)."""
    shown = {
        person.pk: person.display_name
        for person in people_visible_to(recorder).filter(pk__in=ids)
    }
    return [shown.get(pk, f"#{pk}") for pk in ids]


def _check_day_and_people(
    *,
    recorder: User,
    event: TrainingEvent,
    day: datetime.date,
    ids: set[int],
    names: Callable[[set[int]], list[str]],
) -> None:
    """Everything a recorder's day of attendance must pass; run inside the
    transaction that writes, so what was checked is what is written."""
    _check_recorder(recorder, event)
    if problem := _day_problem(event, day):
        raise AttendanceError(problem)
    refused = ids - _allowed_ids(recorder, event, ids)
    if refused:
        raise AttendanceError(
            _(
                "Tidak ada yang disimpan: %(names)s tidak terdaftar di angkatan "
                "program %(programme)s atau di luar cakupan kamu."
            )
            % {
                "names": ", ".join(sorted(names(refused))),
                "programme": event.programme,
            }
        )


def _lock_event(event: TrainingEvent) -> None:
    """Writers of one workshop's attendance take turns (a row lock on
    PostgreSQL; SQLite's IMMEDIATE transactions already take turns)."""
    TrainingEvent.objects.select_for_update().filter(pk=event.pk).exists()


def _mark_present(
    *, recorder: User, event: TrainingEvent, day: datetime.date, ids: set[int]
) -> int:
    already = set(
        Attendance.objects.filter(event=event, day=day, trainee_id__in=ids).values_list(
            "trainee_id", flat=True
        )
    )
    now = timezone.now()
    created = Attendance.objects.bulk_create(
        [
            Attendance(
                event=event,
                trainee_id=pk,
                day=day,
                recorded_by=recorder,
                recorded_at=now,
            )
            for pk in sorted(ids - already)
        ],
        ignore_conflicts=True,  # the same form, sent twice at once
    )
    return len(created)


def _mark_absent(*, event: TrainingEvent, day: datetime.date, ids: set[int]) -> int:
    deleted, _by_model = Attendance.objects.filter(
        event=event, day=day, trainee_id__in=ids
    ).delete()
    return deleted


def record_attendance(
    *,
    recorder: User,
    event: TrainingEvent,
    day: datetime.date,
    trainees: Iterable[User],
    present: bool = True,
) -> int:
    """Mark `trainees` present (or not) on `day`; returns how many rows changed.

    Doing it twice changes nothing the second time.
    """
    trainees = list(trainees)
    ids = {trainee.pk for trainee in trainees}
    with transaction.atomic():
        _lock_event(event)
        _check_day_and_people(
            recorder=recorder,
            event=event,
            day=day,
            ids=ids,
            names=lambda refused: [t.display_name for t in trainees if t.pk in refused],
        )
        if not present:
            return _mark_absent(event=event, day=day, ids=ids)
        return _mark_present(recorder=recorder, event=event, day=day, ids=ids)


def save_day_attendance(
    *,
    recorder: User,
    event: TrainingEvent,
    day: datetime.date,
    present_ids: set[int],
    absent_ids: set[int],
) -> int:
    """Save one day as a facilitator's phone page saw it: `present_ids` are
    present; `absent_ids` (shown ticked, then unticked) are not; everyone
    else stays as they were, so two facilitators on two phones never undo
    each other's ticks. All of it or nothing; returns how many rows changed.
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
        _lock_event(event)
        _check_day_and_people(
            recorder=recorder,
            event=event,
            day=day,
            ids=present_ids | absent_ids,
            names=partial(_names, recorder),
        )
        changed = _mark_present(
            recorder=recorder, event=event, day=day, ids=present_ids
        )
        return changed + _mark_absent(event=event, day=day, ids=absent_ids)


def save_attendance_grid(
    *,
    recorder: User,
    event: TrainingEvent,
    present: dict[datetime.date, set[int]],
) -> int:
    """Save a whole grid: for each day, the expected attendees ticked are
    present and the others are not. All days or none."""
    attendees = {person.pk: person for person in expected_attendees(event, recorder)}
    if set(present) - set(event.days):
        raise AttendanceError(
            _("Tidak ada yang disimpan: ada tanggal di luar pelatihan.")
        )
    if set().union(set(), *present.values()) - attendees.keys():
        raise AttendanceError(
            _("Tidak ada yang disimpan: ada peserta yang tidak diharapkan hadir.")
        )
    changed = 0
    with transaction.atomic():
        for day in event.days:
            ticked = present.get(day, set())
            changed += record_attendance(
                recorder=recorder,
                event=event,
                day=day,
                trainees=[attendees[pk] for pk in ticked],
            )
            changed += record_attendance(
                recorder=recorder,
                event=event,
                day=day,
                trainees=[p for pk, p in attendees.items() if pk not in ticked],
                present=False,
            )
    return changed


def mark_lessons_studied_in_class(
    *, event: TrainingEvent, recorder: User | None = None
) -> int:
    """Everyone present at least one day has studied the modules' live lessons.

    Returns how many lessons were newly recorded as studied; a lesson already
    studied (on the site or in an earlier workshop) stays as it was.
    """
    if recorder is not None:
        _check_recorder(recorder, event)
    attendees = list(
        User.objects.filter(
            pk__in=Attendance.objects.filter(event=event).values("trainee")
        )
    )
    lessons = [lesson for module in event.modules.all() for lesson in module.lessons()]
    if not attendees or not lessons:
        return 0
    done = set(
        LessonProgress.objects.filter(
            user__in=attendees, lesson__in=lessons
        ).values_list("user_id", "lesson_id")
    )
    created = 0
    with transaction.atomic():
        for person in attendees:
            for lesson in lessons:
                if (person.pk, lesson.pk) in done:
                    continue
                mark_lesson_done(user=person, lesson=lesson, via=StudiedVia.CLASS)
                created += 1
    return created


def attendance_template(event: TrainingEvent, actor: User | None = None) -> bytes:
    """The paper attendance sheet as XLSX: one row per expected attendee."""
    return attendance_workbook(
        title=event.title,
        subtitle=_("%(start)s sampai %(end)s, %(place)s %(venue)s")
        % {
            "start": date_format(event.start_date),
            "end": date_format(event.end_date),
            "place": event.place,
            "venue": event.venue,
        },
        instructions=_(
            "Petunjuk: tulis x di kolom tanggal bila peserta hadir hari itu; "
            "kosongkan bila tidak hadir. Jangan ubah kolom username dan judul "
            "kolom. Peserta yang tidak ada di daftar ditambahkan ke angkatan "
            "dulu, lalu unduh templat lagi."
        ),
        people=expected_attendees(event, actor),
        days=event.days,
    )


def import_attendance(
    *, recorder: User, event: TrainingEvent, content: bytes
) -> ImportReport:
    """Record who was present from a filled template; all rows or none.

    A blank cell leaves the day as it was: the sheet adds attendance and
    never removes it (the grid in the admin does that).
    """

    def record(attendees: list[Attendee]) -> int:
        created = 0
        with transaction.atomic():
            for day in event.days:
                trainees = [each.person for each in attendees if day in each.days]
                if trainees:
                    created += record_attendance(
                        recorder=recorder, event=event, day=day, trainees=trainees
                    )
        return created

    return import_attendance_sheet(
        content,
        check=partial(_check_recorder, recorder, event),
        record=record,
        listed=expected_attendees(event, recorder),
        day_problem=partial(_day_problem, event),
        not_listed=_(
            "%(username)s tidak dikenal, tidak terdaftar di angkatan program ini, "
            "atau di luar cakupan kamu."
        ),
        from_template=True,
    )
