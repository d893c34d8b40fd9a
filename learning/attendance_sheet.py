"""Attendance sheets: who was there, one username a row, written and read once.

Workshops (`assessments.events`) and reflection sessions
(`mentorship.reflection_attendance`) take attendance from a filled XLSX
sheet: a header row whose first column is `username` (a title and
instructions may stand above it), then one person a row. A workshop's sheet
has a column per day after the name, where x marks the person present.

Each importer declares what differs: who may be listed (and the words for
anyone else), whether there are day columns and which days they may be,
whether the sheet is the site's template, how the person importing is
checked and how attendance is saved. The flow is the same for both
(`import_attendance_sheet`): every problem of every row is reported by row
(a blank username, a person listed twice, someone who may not be listed, a
mark that is not x), and all rows are saved or none. `attendance_workbook`
writes the template this reads, so the two cannot disagree on its shape.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import User
from .spreadsheets import (
    ImportReport,
    Limits,
    Row,
    RowProblems,
    SheetLayout,
    append_row,
    cell_at,
    cell_date,
    cell_text,
    read_table,
    workbook_bytes,
)

SHEET_TITLE = "kehadiran"
USERNAME = "username"
# Columns: username, name, then the days (when the sheet has them).
FIRST_DAY_COLUMN = 2
DAY_FORMAT = "%d-%m-%Y"
PRESENT_MARKS = frozenset({"x", "v", "✓", "✔", "hadir", "1"})
ABSENT_MARKS = frozenset({"", "-", "0"})
# A workshop or a reflection session has at most a few thousand people.
LIMITS = Limits(max_rows=5_000, max_cell_chars=500)


@dataclass
class Attendee:
    """One row of a filled sheet: the person and the days marked present."""

    row: int
    person: User
    days: set[datetime.date] = field(default_factory=set)


def import_attendance_sheet(
    content: bytes,
    *,
    check: Callable[[], None],
    listed: QuerySet[User],
    not_listed: str,
    record: Callable[[list[Attendee]], int],
    day_problem: Callable[[datetime.date], str | None] | None = None,
    from_template: bool = False,
) -> ImportReport:
    """Import a filled sheet: check who imports, read every row, save all or none.

    `check()` raises a ValueError whose message says why the person
    importing may not record this attendance. `record(attendees)` saves
    them and returns how many are new; it runs only when no row has a
    problem. The rest is as `read_attendance`.
    """
    report = ImportReport()
    try:
        check()
    except ValueError as error:
        report.errors.add(0, str(error))
        return report
    attendees = read_attendance(
        content,
        listed=listed,
        not_listed=not_listed,
        problems=report.errors,
        day_problem=day_problem,
        from_template=from_template,
    )
    if not report.errors:
        report.created = record(attendees)
    return report


def read_attendance(
    content: bytes,
    *,
    listed: QuerySet[User],
    not_listed: str,
    problems: RowProblems,
    day_problem: Callable[[datetime.date], str | None] | None = None,
    from_template: bool = False,
) -> list[Attendee]:
    """The people a filled sheet lists; every problem goes into `problems`.

    `listed` are the people who may be on this sheet. Anyone else gets
    `not_listed` (with `%(username)s`): the same words whether the account
    does not exist or may not be listed, so the sheet gives no hint of who
    has an account. With `day_problem`, the
    columns after the name are days: each title must be a date that
    `day_problem` accepts (returns None for); without it they are not read.
    The caller saves nothing when `problems` has any.
    """
    layout = SheetLayout(SHEET_TITLE, USERNAME, LIMITS, from_template=from_template)
    table = read_table(
        content,
        layout=layout,
        empty=_("Tidak ada baris peserta di berkas."),
        problems=problems,
    )
    if table is None:
        return []
    header, body = table
    days = _day_columns(header, day_problem, problems) if day_problem else {}
    usernames = {cell_text(cell_at(cells, 0)) for _n, cells in body} - {""}
    people = {
        person.username: person for person in listed.filter(username__in=usernames)
    }
    seen: dict[str, int] = {}
    attendees = []
    for number, cells in body:
        username = cell_text(cell_at(cells, 0))
        if not username:
            problems.add(number, _("Kolom username kosong."), column=USERNAME)
            continue
        if username in seen:
            problems.add(
                number,
                _("Nama pengguna %(u)s sudah ada di baris %(row)s.")
                % {"u": username, "row": seen[username]},
                column=USERNAME,
            )
            continue
        seen[username] = number
        person = people.get(username)
        if person is None:
            problems.add(number, not_listed % {"username": username}, column=USERNAME)
            continue
        attendees.append(
            Attendee(number, person, _marked(number, cells, days, problems))
        )
    return attendees


def _day_columns(
    header: Row,
    day_problem: Callable[[datetime.date], str | None],
    problems: RowProblems,
) -> dict[int, datetime.date]:
    """Position → day, for the titled columns after the name."""
    header_at, cells = header
    days = {}
    for position, value in enumerate(cells[FIRST_DAY_COLUMN:], start=FIRST_DAY_COLUMN):
        if cell_text(value) == "":
            continue
        day = cell_date(value)
        if day is None:
            problems.add(
                header_at,
                _("Judul kolom %(value)s bukan tanggal (tulis 17-11-2022).")
                % {"value": cell_text(value)},
            )
        elif problem := day_problem(day):
            problems.add(header_at, problem)
        else:
            days[position] = day
    return days


def _marked(
    number: int,
    cells: tuple,
    days: dict[int, datetime.date],
    problems: RowProblems,
) -> set[datetime.date]:
    present = set()
    for position, day in days.items():
        mark = cell_text(cell_at(cells, position)).lower()
        if mark in PRESENT_MARKS:
            present.add(day)
        elif mark not in ABSENT_MARKS:
            problems.add(
                number,
                _(
                    "Isi '%(mark)s' pada %(day)s tidak dikenal: tulis x bila hadir, "
                    "kosongkan bila tidak."
                )
                % {"mark": mark, "day": date_format(day)},
                column=get_column_letter(position + 1),
            )
    return present


def attendance_workbook(
    *,
    title: str,
    subtitle: str,
    instructions: str,
    people: Iterable[User],
    days: Sequence[datetime.date] = (),
) -> bytes:
    """The XLSX template `read_attendance` reads: one row per person listed.

    Title, subtitle and names are typed by people: text stays text
    (`append_row`), whatever it starts with.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [subtitle])
    append_row(sheet, [instructions])
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    columns = FIRST_DAY_COLUMN + len(days)
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=columns)
    sheet.row_dimensions[3].height = 60
    header_at = 4
    sheet.append([USERNAME, _("nama")] + [day.strftime(DAY_FORMAT) for day in days])
    for cell in sheet[header_at]:
        cell.font = Font(bold=True)
    for person in people:
        append_row(sheet, [person.username, person.display_name] + [""] * len(days))
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 30
    for position in range(FIRST_DAY_COLUMN, columns):
        sheet.column_dimensions[get_column_letter(position + 1)].width = 12
    sheet.freeze_panes = f"{get_column_letter(FIRST_DAY_COLUMN + 1)}{header_at + 1}"
    return workbook_bytes(workbook)
