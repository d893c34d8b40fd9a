"""The paper-log sheet: the XLSX template of a placement and reading a filled one.

Each cell is read as a spreadsheet may hold it (17-11-2024 typed as text or
as a date, 08:30 as text or as a time of day); what cannot be read is
reported by row and column, and the rest of the row is still checked by
`mentorship.paper_import`, which imports the rows.

Work past midnight is a choice, as on the form: "ya" in the
`lewat_tengah_malam` column. The column is optional, so templates downloaded
before it existed still import.
"""

import datetime
import uuid
from dataclasses import dataclass
from functools import partial

from django.utils import translation
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from learning.spreadsheets import (
    Limits,
    RowProblems,
    SheetLayout,
    SheetRefused,
    cell_at,
    cell_date,
    cell_text,
    cell_time,
    column_positions,
    read_table,
    workbook_bytes,
)

from .choices import ActivityCategory
from .hours import EntryInput
from .models import Placement

COLUMNS = [
    "tanggal",
    "jam_mulai",
    "jam_selesai",
    "lama_menit",
    "kegiatan",
    "uraian",
    "lewat_tengah_malam",
]
# Templates made before the column existed still import.
OPTIONAL_COLUMNS = {"lewat_tengah_malam"}
SHEET_TITLE = "jam_magang"
CATEGORY_SHEET = "daftar_kegiatan"
TEMPLATE_ROWS = 200
MAX_ROWS = 1000
LAYOUT = SheetLayout(
    sheet_name=SHEET_TITLE,
    first_column=COLUMNS[0],
    limits=Limits(max_rows=MAX_ROWS + 50, max_columns=20),
)
YES = {"ya", "y", "x", "v", "1", "✓", "✔", "true"}
NO = {"", "tidak", "t", "-", "0", "false"}
# Fixed, so the same row of the same placement always gets the same UUID.
PAPER_LOG_NAMESPACE = uuid.UUID("6f1d2c8e-3b4a-5e6f-9a0b-1c2d3e4f5a6b")


# --- the template -----------------------------------------------------------------


def _indonesian_labels() -> list[str]:
    with translation.override("id"):
        return [str(label) for label in ActivityCategory.labels]


def paper_log_template(placement: Placement) -> bytes:
    """An XLSX sheet to type one placement's paper log into."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(
        [
            _("Catatan jam magang: %(trainee)s di %(host)s")
            % {
                "trainee": placement.trainee.display_name,
                "host": placement.host.short_name,
            }
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _(
                "Masa magang %(start)s sampai %(end)s. Satu baris untuk satu "
                "kegiatan. tanggal: 17-11-2024. jam_mulai dan jam_selesai: 08:30 "
                "(atau kosongkan keduanya dan isi lama_menit, mis. 90). kegiatan: "
                "pilih dari daftar. uraian: apa yang dilakukan dan dipelajari, "
                "tanpa nama, alamat atau ciri korban. lewat_tengah_malam: isi ya "
                "bila kegiatan selesai sesudah tengah malam (mis. 22:00 sampai "
                "02:00); selain itu kosongkan. Jangan ubah judul kolom."
            )
            % {
                "start": placement.start_date.strftime("%d-%m-%Y"),
                "end": placement.end_date.strftime("%d-%m-%Y"),
            }
        ]
    )
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    sheet.row_dimensions[2].height = 90
    sheet.append(COLUMNS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    header_row = 3
    first, last = header_row + 1, header_row + TEMPLATE_ROWS
    # Typed as text, so a spreadsheet does not turn 17-11-2024 into something else.
    for column in "ABC":
        for row in range(first, last + 1):
            sheet[f"{column}{row}"].number_format = "@"

    labels = [str(label) for label in ActivityCategory.labels]
    choices = workbook.create_sheet(CATEGORY_SHEET)
    for label in labels:
        choices.append([label])
    choices.column_dimensions["A"].width = 55
    categories = DataValidation(
        type="list",
        formula1=f"={CATEGORY_SHEET}!$A$1:$A${len(labels)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Kegiatan tidak ada di daftar"),
        error=_("Pilih kegiatan dari daftar."),
    )
    categories.add(f"E{first}:E{last}")
    sheet.add_data_validation(categories)
    past_midnight = DataValidation(
        type="list",
        formula1='"ya"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Isi ya atau kosongkan"),
        error=_(
            "Isi ya bila kegiatan selesai sesudah tengah malam; selain itu kosongkan."
        ),
    )
    past_midnight.add(f"G{first}:G{last}")
    sheet.add_data_validation(past_midnight)

    for column, width in zip("ABCDEFG", (14, 11, 11, 11, 45, 70, 20), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{first}"
    return workbook_bytes(workbook)


# --- reading a filled sheet -----------------------------------------------------------


class RowError(ValueError):
    """A cell that cannot be read; the message is for the facilitator."""


def _folded(text: str) -> str:
    """A label as matched: spaces and case do not matter."""
    return " ".join(text.split()).casefold()


def _date(value) -> datetime.date:
    day = cell_date(value)
    if day is not None:
        return day
    raise RowError(
        _("Tanggal '%(value)s' tidak dikenal. Tulis seperti 17-11-2024.")
        % {"value": cell_text(value)}
    )


def _time(value, label: str) -> datetime.time | None:
    if value is None or cell_text(value) == "":
        return None
    time = cell_time(value)
    if time is not None:
        return time
    raise RowError(
        _("%(label)s '%(value)s' tidak dikenal. Tulis jam seperti 08:30.")
        % {"label": label, "value": cell_text(value)}
    )


def _minutes(value) -> int | None:
    text = cell_text(value)
    if text == "":
        return None
    if not text.isdigit() or len(text) > 5:
        raise RowError(
            _("Lama '%(value)s' harus jumlah menit, mis. 90.") % {"value": text[:20]}
        )
    return int(text)


def _past_midnight(value) -> bool:
    text = cell_text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError(
        _("Kolom lewat_tengah_malam berisi '%(value)s': isi ya, atau kosongkan.")
        % {"value": text[:20]}
    )


def _category_lookup() -> dict[str, str]:
    """Labels (Indonesian and the current language) and codes, casefolded."""
    lookup = {}
    for value, label, indonesian in zip(
        ActivityCategory.values,
        ActivityCategory.labels,
        _indonesian_labels(),
        strict=True,
    ):
        for name in (value, str(label), indonesian):
            lookup[_folded(name)] = value
    return lookup


def _category(value, lookup: dict[str, str]) -> str:
    text = cell_text(value)
    if text == "":
        raise RowError(_("Kolom kegiatan kosong. Pilih kegiatan dari daftar."))
    try:
        return lookup[_folded(text)]
    except KeyError:
        raise RowError(
            _(
                "Kegiatan '%(value)s' tidak ada di daftar. Pilih dari daftar di "
                "templat, mis. %(example)s."
            )
            % {"value": text[:100], "example": ActivityCategory.COMPLAINTS.label}
        ) from None


def row_uuid(placement: Placement, data: EntryInput) -> uuid.UUID:
    """The same row of the same placement always gets the same UUID."""
    timed = data.start_time is not None
    parts = [
        str(placement.pk),
        data.date.isoformat(),
        data.start_time.strftime("%H:%M") if timed else "",
        data.end_time.strftime("%H:%M") if data.end_time else "",
        "" if timed else str(data.minutes or ""),
        data.category,
        " ".join(data.activity.split()).casefold(),
    ]
    return uuid.uuid5(PAPER_LOG_NAMESPACE, "|".join(parts))


# A cell that cannot be read stands in with a harmless value while the rest of
# the row is checked; what the rules then say about the fields that value
# touches is left out (the cell's own problem is already reported).
STAND_INS = {
    "date": (datetime.date(2000, 1, 1), {"date"}),
    "start_time": (None, {"start_time", "end_time", "minutes", "past_midnight"}),
    "end_time": (None, {"start_time", "end_time", "minutes", "past_midnight"}),
    "minutes": (None, {"minutes"}),
    "category": (ActivityCategory.values[0], {"category"}),
    "past_midnight": (False, {"past_midnight", "end_time"}),
}


@dataclass
class PaperRow:
    number: int
    data: EntryInput
    # Fields whose cells could not be read; the row is checked, never saved.
    unreadable: set[str]
    entry_uuid: uuid.UUID | None = None


def _read_row(cells, index, lookup) -> tuple[dict, dict[str, str]]:
    """One body row's values for `EntryInput`, and what could not be read."""

    def cell(name):
        position = index.get(name)
        return None if position is None else cell_at(cells, position)

    readers = [
        ("date", "tanggal", _date),
        ("start_time", "jam_mulai", partial(_time, label=_("Jam mulai"))),
        ("end_time", "jam_selesai", partial(_time, label=_("Jam selesai"))),
        ("minutes", "lama_menit", _minutes),
        ("category", "kegiatan", partial(_category, lookup=lookup)),
        ("past_midnight", "lewat_tengah_malam", _past_midnight),
    ]
    values, problems = {}, {}
    for name, column, read in readers:
        try:
            values[name] = read(cell(column))
        except RowError as error:
            values[name] = STAND_INS[name][0]
            problems[name] = str(error)
    values["activity"] = cell_text(cell("uraian"))
    return values, problems


def read_paper_log(
    *, placement: Placement, content: bytes, problems: RowProblems
) -> list[PaperRow]:
    """The filled sheet's rows; what cannot be read goes into `problems`."""
    table = read_table(
        content,
        layout=LAYOUT,
        empty=_(
            "Tidak ada baris catatan di berkas. Isi catatan di bawah baris judul kolom."
        ),
        problems=problems,
    )
    if table is None:
        return []
    (header_at, header), body = table
    try:
        index = column_positions(
            header,
            columns=COLUMNS,
            required=[name for name in COLUMNS if name not in OPTIONAL_COLUMNS],
        )
    except SheetRefused as error:
        problems.add(header_at, str(error))
        return []
    if len(body) > MAX_ROWS:
        problems.add(
            0,
            _("Berkas lebih dari %(max)s baris. Bagi menjadi beberapa berkas.")
            % {"max": MAX_ROWS},
        )
        return []

    lookup = _category_lookup()
    parsed = []
    for number, cells in body:
        values, unreadable = _read_row(cells, index, lookup)
        for message in unreadable.values():
            problems.add(number, message)
        data = EntryInput(placement=placement, **values)
        row = PaperRow(number, data, unreadable=set(unreadable))
        if not unreadable:
            row.entry_uuid = row_uuid(placement, data)
        parsed.append(row)
    return parsed
