"""Writing cells a person typed so that no spreadsheet runs them as formulas.

`csv_cell` and `append_row` make sure a cell is shown, never run, by the
spreadsheet that opens an export (OWASP, "CSV Injection").
"""

import io
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell

# A cell starting with one of these is run as a formula by Excel, LibreOffice
# and Google Sheets (OWASP, "CSV Injection"); tab and carriage return too,
# because some programs drop them and then read what follows.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def starts_like_formula(value: str) -> bool:
    """Whether a spreadsheet would run `value` as a formula if typed in a cell."""
    return value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value)


def csv_cell(value):
    """A CSV cell a spreadsheet shows, never runs: "=1+1" is written "'=1+1".

    The OWASP rule: text starting with = + - @, a tab or a carriage return
    gets a quote before it. A plain number ("-5", "+62") is not a formula and
    stays as it is, like the numbers written without quotes beside it.
    Anything that is not text is returned unchanged.
    """
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


def from_csv_cell(value: str) -> str:
    """Undo `csv_cell` when reading back a CSV this project wrote."""
    if value.startswith("'") and starts_like_formula(value[1:]):
        return value[1:]
    return value


def xlsx_cell(sheet, value):
    """A value for `sheet.append`: text is stored as text, whatever it starts with.

    openpyxl would store "=…" as a formula and "#N/A" as an error; the
    cell's type is set to string instead, so the spreadsheet shows exactly
    what was typed, without a visible apostrophe. Characters XML cannot hold
    (control characters) are dropped rather than failing the export.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = (
        WriteOnlyCell(sheet, value)
        if getattr(sheet.parent, "write_only", False)
        else Cell(sheet, value=value)
    )
    cell.data_type = "s"
    return cell


def append_row(sheet, values: Iterable) -> None:
    """`sheet.append(values)` with every text cell kept as text."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def formula_name_problem(value: str) -> str | None:
    """Why a person's name would be unsafe in a spreadsheet, or None.

    A name that starts like a formula runs when an export is opened; the
    people import and the admin's person form refuse it with these words.
    """
    value = (value or "").strip()
    if not value.startswith(FORMULA_START):
        return None
    return _(
        "Nama tidak boleh diawali =, +, - atau @ (tertulis "
        "“%(value)s”): lembar kerja bisa menjalankannya sebagai rumus."
    ) % {"value": value[:60]}


def workbook_bytes(workbook) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file, to hand out."""
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
