"""In-person workshops and who attended them, day by day.

Attendance is written here only: from the admin grid, from a filled paper
sheet, or by anything else that records it. Every writer checks the same
things: the day is one of the workshop's, and every trainee is enrolled in a
cohort of the workshop's programme and in the recorder's scope. One refusal
means nothing is saved.
"""

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from learning.choices import ADMIN_ROLES, Role
from learning.models import Cohort, User
from learning.scope import people_visible_to, programmes_run_alone_by
from learning.spreadsheets import (
    Limits,
    SheetRefused,
    UnreadableSheet,
    append_row,
    read_sheet,
)
from modules.choices import StudiedVia
from modules.models import LessonProgress
from modules.progress import mark_lesson_done

from .models import Attendance, TrainingEvent

PRESENT_MARKS = frozenset({"x", "v", "✓", "✔", "hadir", "1"})
ABSENT_MARKS = frozenset({"", "-", "0"})
SHEET_TITLE = "kehadiran"
SHEET_DAY_FORMAT = "%d-%m-%Y"
_SHEET_DAY_FORMATS = (SHEET_DAY_FORMAT, "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y")
# A workshop has at most a few hundred participants and a few days.
SHEET_LIMITS = Limits(max_rows=2_000, max_cell_chars=500)


class AttendanceError(ValueError):
    """Attendance the rules refuse; the message is for the facilitator."""


def _is_staff(actor) -> bool:
    if not (actor and actor.is_authenticated and actor.is_active):
        return False
    return actor.is_superuser or bool(ADMIN_ROLES & set(actor.roles))


def _events(actor: User, *, partner_programmes: bool) -> QuerySet[TrainingEvent]:
    """The workshops a facilitator leads, organises or teaches in; a coordinator's.

    `partner_programmes` adds every programme the actor's organisation takes
    part in, a consortium's included (seeing); without it, only those the
    organisation runs alone (changing).
    """
    if not _is_staff(actor):
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
        raise AttendanceError(_("Anda tidak dapat mencatat kehadiran pelatihan ini."))


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
    _check_recorder(recorder, event)
    if problem := _day_problem(event, day):
        raise AttendanceError(problem)
    trainees = list(trainees)
    ids = {trainee.pk for trainee in trainees}
    refused = ids - _allowed_ids(recorder, event, ids)
    if refused:
        names = sorted(t.display_name for t in trainees if t.pk in refused)
        raise AttendanceError(
            _(
                "Tidak ada yang disimpan: %(names)s tidak terdaftar di angkatan "
                "program %(programme)s atau di luar cakupan Anda."
            )
            % {"names": ", ".join(names), "programme": event.programme}
        )
    rows = Attendance.objects.filter(event=event, day=day, trainee_id__in=ids)
    if not present:
        deleted, _by_model = rows.delete()
        return deleted
    already = set(rows.values_list("trainee_id", flat=True))
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
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    days = event.days
    # Titles and names are typed by people: text stays text (append_row).
    append_row(sheet, [event.title])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(
        sheet,
        [
            _("%(start)s sampai %(end)s, %(place)s %(venue)s")
            % {
                "start": date_format(event.start_date),
                "end": date_format(event.end_date),
                "place": event.place,
                "venue": event.venue,
            }
        ],
    )
    sheet.append(
        [
            _(
                "Petunjuk: tulis x di kolom tanggal bila peserta hadir hari itu; "
                "kosongkan bila tidak hadir. Jangan ubah kolom username dan judul "
                "kolom. Peserta yang tidak ada di daftar ditambahkan ke angkatan "
                "dulu, lalu unduh templat lagi."
            )
        ]
    )
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2 + len(days))
    sheet.row_dimensions[3].height = 60
    sheet.append(["username", _("nama")] + [d.strftime(SHEET_DAY_FORMAT) for d in days])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for person in expected_attendees(event, actor):
        append_row(sheet, [person.username, person.display_name] + [""] * len(days))
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 30
    for column in range(3, 3 + len(days)):
        sheet.column_dimensions[sheet.cell(4, column).column_letter].width = 12
    sheet.freeze_panes = "C5"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@dataclass
class ImportReport:
    """What an attendance import recorded, or why it recorded nothing."""

    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        """Each problem as a person reads it: "Baris 7: …"."""
        return [
            _("Baris %(row)s: %(message)s") % {"row": row, "message": message}
            if row
            else message
            for row, message in self.errors
        ]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _sheet_day(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    for pattern in _SHEET_DAY_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def import_attendance(
    *, recorder: User, event: TrainingEvent, content: bytes
) -> ImportReport:
    """Record who was present from a filled sheet; all rows or none.

    A blank cell leaves the day as it was: the sheet adds attendance and
    never removes it (the grid in the admin does that).
    """
    report = ImportReport()
    try:
        _check_recorder(recorder, event)
    except AttendanceError as error:
        report.errors.append((0, str(error)))
        return report
    try:
        rows = read_sheet(
            content,
            filename="kehadiran.xlsx",
            sheet_name=SHEET_TITLE,
            limits=SHEET_LIMITS,
            kinds=("xlsx",),
        )
    except UnreadableSheet:
        report.errors.append(
            (0, _("Berkas XLSX tidak bisa dibaca. Pakai templat yang diunduh."))
        )
        return report
    except SheetRefused as error:
        report.errors.append((0, str(error)))
        return report

    header_index = next(
        (
            index
            for index, (_n, cells) in enumerate(rows)
            if cells and _cell_text(cells[0]).lower() == "username"
        ),
        None,
    )
    if header_index is None:
        report.errors.append(
            (0, _("Judul kolom tidak ditemukan: kolom pertama harus 'username'."))
        )
        return report
    header_at, header = rows[header_index]
    day_columns: dict[int, datetime.date] = {}
    for index, value in enumerate(header[2:], start=2):
        if _cell_text(value) == "":
            continue
        day = _sheet_day(value)
        if day is None:
            report.errors.append(
                (
                    header_at,
                    _("Judul kolom %(value)s bukan tanggal (tulis 17-11-2022).")
                    % {"value": _cell_text(value)},
                )
            )
        elif problem := _day_problem(event, day):
            report.errors.append((header_at, problem))
        else:
            day_columns[index] = day

    body = [
        (n, cells)
        for n, cells in rows[header_index + 1 :]
        if any(_cell_text(value) for value in cells)
    ]
    usernames = {_cell_text(cells[0]) for _n, cells in body if cells}
    people = {
        person.username: person
        for person in User.objects.filter(username__in=usernames)
    }
    allowed = _allowed_ids(recorder, event, {p.pk for p in people.values()})
    present: dict[datetime.date, list[User]] = {day: [] for day in event.days}
    seen: dict[str, int] = {}
    for number, cells in body:
        username = _cell_text(cells[0])
        person = people.get(username)
        if not username:
            report.errors.append((number, _("Kolom username kosong.")))
            continue
        if username in seen:
            report.errors.append(
                (
                    number,
                    _("%(username)s sudah ada di baris %(row)s.")
                    % {"username": username, "row": seen[username]},
                )
            )
            continue
        seen[username] = number
        if person is None or person.pk not in allowed:
            # Unknown and out of scope read the same: no hint that an account exists.
            report.errors.append(
                (
                    number,
                    _(
                        "%(username)s tidak dikenal, tidak terdaftar di angkatan "
                        "program ini, atau di luar cakupan Anda."
                    )
                    % {"username": username},
                )
            )
            continue
        for index, day in day_columns.items():
            mark = _cell_text(cells[index] if index < len(cells) else None).lower()
            if mark in PRESENT_MARKS:
                present[day].append(person)
            elif mark not in ABSENT_MARKS:
                report.errors.append(
                    (
                        number,
                        _(
                            "Isi '%(mark)s' pada %(day)s tidak dikenal: tulis x "
                            "bila hadir, kosongkan bila tidak."
                        )
                        % {"mark": mark, "day": date_format(day)},
                    )
                )
    if not body:
        report.errors.append((0, _("Tidak ada baris peserta di berkas.")))
    if report.errors:
        return report
    with transaction.atomic():
        for day, trainees in present.items():
            if trainees:
                report.created += record_attendance(
                    recorder=recorder, event=event, day=day, trainees=trainees
                )
    return report
