"""The programme view's tables as a CSV or XLSX file to download.

Both files start with the heading lines the caller gives (programme,
organisation, year, filters) and one line that says what kind of figures
they hold: exact ones for inside the organisation, or ones to share, whose
small counts are hidden (`learning.suppression`). The writers never hide
anything themselves: the caller decides and passes suppressed tables for a
file to share. A table that counts people, has small counts and was never
suppressed is refused for such a file, so raw small counts cannot leave by
mistake.

Every text cell goes through `learning.spreadsheets` so that no label is run
as a formula by the spreadsheet that opens the file.
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .spreadsheets import append_row, csv_row, workbook_bytes
from .suppression import is_small
from .tables import Table

SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
LABEL_WIDTH_MAX = 50
VALUE_WIDTH_MAX = 24

Tables = Iterable[Table] | Mapping[str, Table]


def audience_line(*, internal: bool) -> str:
    """The line that says whether a file's figures are exact or for sharing."""
    if internal:
        return _("INTERNAL — angka persis, jangan dibagikan ke luar lembaga")
    small_max = settings.PENDAMPING_SMALL_COUNT_MAX
    return _(
        "Untuk dibagikan: angka 1–%(max)s ditulis <%(limit)s; x = disembunyikan "
        "agar angka kecil tidak dapat dihitung dari jumlahnya"
    ) % {"max": small_max, "limit": small_max + 1}


def tables_csv(tables: Tables, *, heading: list[str], internal: bool) -> bytes:
    """The tables one below the other in one CSV, UTF-8 with a byte-order mark
    (so Excel on Windows reads Indonesian letters right).

    Each table: its title, a header row, its rows (with a "Keterangan" column
    when a row has a note), the "Jumlah" row, its note, then a blank line.
    """
    tables = _checked(tables, internal=internal)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def write(values):
        writer.writerow(csv_row(_csv_value(value) for value in values))

    for line in [*heading, audience_line(internal=internal)]:
        write([line])
    write([])
    for table in tables:
        for values in _table_lines(table):
            write(values)
        write([])
    return out.getvalue().encode("utf-8-sig")


def tables_xlsx(tables: Tables, *, heading: list[str], internal: bool) -> bytes:
    """One sheet per table, each with the heading lines on top.

    Numbers are stored as numbers and the markers of hidden counts as text;
    the header row is bold and stays in view while scrolling.
    """
    tables = _checked(tables, internal=internal)
    workbook = Workbook()
    first = workbook.active
    names: set[str] = set()
    bold = Font(bold=True)
    top = [*heading, audience_line(internal=internal)]
    if not tables:
        first.title = _sheet_name(_("Angka program"), names)
        for line in top:
            append_row(first, [line])
    for position, table in enumerate(tables):
        sheet = first if position == 0 else workbook.create_sheet()
        sheet.title = _sheet_name(table.title or table.key, names)
        for line in top:
            append_row(sheet, [line])
        sheet.append([])
        lines = _table_lines(table)
        append_row(sheet, lines[0])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        append_row(sheet, lines[1])
        header_at = sheet.max_row
        for cell in sheet[header_at]:
            cell.font = bold
        for values in lines[2:]:
            append_row(sheet, [_xlsx_value(value) for value in values])
        if table.totals:
            for cell in sheet[header_at + len(table.rows) + 1]:
                cell.font = bold
        sheet.freeze_panes = f"B{header_at + 1}"
        _set_widths(sheet, lines[1 : 2 + len(table.rows) + table.totals])
    return workbook_bytes(workbook)


# --- what both files hold ------------------------------------------------------


def _checked(tables: Tables, *, internal: bool) -> list[Table]:
    tables = list(tables.values() if isinstance(tables, Mapping) else tables)
    if not internal:
        for table in tables:
            if table.suppress and not table.hidden and _has_small_count(table):
                raise ValueError(
                    f"table {table.key!r} has small counts and was not suppressed; "
                    "pass learning.suppression.suppress(table) for a file to share"
                )
    return tables


def _has_small_count(table: Table) -> bool:
    values = [value for row in table.rows for value in row.values]
    if table.totals:
        values += [row.total for row in table.rows]
        values += [*(table.column_totals or []), table.grand_total]
    return any(is_small(value) for value in values)


def _table_lines(table: Table) -> list[list]:
    """Title, header, rows, totals row and note, as lists of cell values."""
    with_notes = any(row.note for row in table.rows)
    header = [table.row_header, *table.columns]
    if table.totals:
        header.append(_("Jumlah"))
    if with_notes:
        header.append(_("Keterangan"))
    lines = [[table.title], header]
    for row in table.rows:
        values = list(row.values) + [None] * (len(table.columns) - len(row.values))
        line = [row.label, *values[: len(table.columns)]]
        if table.totals:
            line.append(row.total)
        if with_notes:
            line.append(row.note)
        lines.append(line)
    if table.totals:
        column_totals = list(table.column_totals or [])
        column_totals += [None] * (len(table.columns) - len(column_totals))
        lines.append([_("Jumlah"), *column_totals, table.grand_total])
    if table.note:
        lines.append([table.note])
    return lines


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value else str(value)
    return _printable(str(value))


def _xlsx_value(value):
    """A number as a number; one no spreadsheet can hold (NaN) as its text."""
    if isinstance(value, Decimal) and not value.is_finite():
        return str(value)
    return value


def _printable(text: str) -> str:
    """Text without the control characters (NUL and others) no file should
    carry; newlines and tabs stay (the CSV writer quotes them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: ≤31 characters, none of []:*?/\\, not
    starting or ending with an apostrophe, different from the others."""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", _printable(str(title)))
    name = " ".join(name.split()).strip("'").strip() or _("Tabel")
    name = name[:SHEET_NAME_MAX].strip()
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)].rstrip("'").strip() + suffix
    taken.add(candidate.casefold())
    return candidate


def _set_widths(sheet, body: list[list]) -> None:
    """Columns as wide as their header and values, within reason."""

    def width(values, most):
        lengths = [len(str(value)) for value in values if value is not None]
        return min(max(max(lengths, default=0) + 2, 8), most)

    sheet.column_dimensions["A"].width = width(
        [line[0] for line in body], LABEL_WIDTH_MAX
    )
    for position in range(1, max(len(line) for line in body)):
        column = [line[position] for line in body if position < len(line)]
        sheet.column_dimensions[get_column_letter(position + 1)].width = width(
            column, VALUE_WIDTH_MAX
        )
