"""Understanding a sheet's rows and reporting their problems, by row and cell.

`cell_text` reads any cell as the text a person sees; `read_table` reads a
sheet whose header row may stand below a title (`find_header`), and
`column_positions` says where each named column stands in a header row.
`RowProblems` keeps every problem of every row, so an import that refuses a
sheet lists all that must be fixed at once; `ImportReport` is what an import
answers.
"""

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from openpyxl.utils.datetime import from_excel

from .reading import DEFAULT_LIMITS, Limits, Row, SheetRefused, read_sheet

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
# How people in Indonesia type a day (17-11-2024 first), and ISO; a time.
DAY_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")
TIME_FORMATS = ("%H:%M", "%H.%M", "%H:%M:%S")


def cell_text(value) -> str:
    """A cell as the text a person sees in it: 90.0 is "90", empty is "".

    Spaces around the text are dropped; spaces inside are kept (a password
    or a name is what was typed).
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value) -> datetime.date | None:
    """A cell as a day, or None: a date, a spreadsheet's day number, or text
    typed as 17-11-2024 (or 17/11/2024, 17.11.2024, 2024-11-17)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (TypeError, ValueError, OverflowError):
            return None
    parsed = _parsed(cell_text(value), DAY_FORMATS)
    return parsed and parsed.date()


def cell_time(value) -> datetime.time | None:
    """A cell as a time of day to the minute, or None: a time, a spreadsheet's
    fraction of a day, or text typed as 08:30 (or 08.30, 08:30:00)."""
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, float) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return datetime.time(minutes // 60 % 24, minutes % 60)
    parsed = _parsed(cell_text(value), TIME_FORMATS)
    return parsed and parsed.time()


def _parsed(text: str, formats: tuple[str, ...]) -> datetime.datetime | None:
    for pattern in formats:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def cell_at(cells: tuple, position: int):
    """The value at `position`; rows lose their empty cells at the end (None)."""
    return cells[position] if position < len(cells) else None


def header_key(text: str) -> str:
    """A column title folded: "Jam mulai", "jam_mulai" and "JAMMULAI" match."""
    return _NOT_LETTER_OR_DIGIT.sub("", text.casefold())


def find_header(
    rows: list[Row], *, first: str, problems: "RowProblems", from_template: bool
) -> int | None:
    """The index in `rows` of the header row: the first whose first cell is `first`.

    A template's title and instructions stand above it. Without one, the
    problem is added and None returned.
    """
    for index, (_number, cells) in enumerate(rows):
        if cells and header_key(cell_text(cells[0])) == header_key(first):
            return index
    message = _("Judul kolom tidak ditemukan: kolom pertama harus '%(column)s'.") % {
        "column": first
    }
    if from_template:
        message += " " + _("Pakai templat yang diunduh dari halaman ini.")
    problems.add(0, message)
    return None


@dataclass(frozen=True)
class SheetLayout:
    """Where a filled XLSX sheet keeps its rows.

    The rows are on the sheet named `sheet_name` (else the first sheet),
    under a header row whose first cell is `first_column`; a template's
    title and instructions may stand above it. `from_template`: the site
    hands the sheet out, so a broken one is answered with that advice.
    """

    sheet_name: str
    first_column: str
    limits: Limits = DEFAULT_LIMITS
    from_template: bool = True


def read_table(
    content: bytes, *, layout: SheetLayout, empty: str, problems: "RowProblems"
) -> tuple[Row, list[Row]] | None:
    """A filled XLSX sheet's header row and the rows under it that have text.

    A file refused (see `read_sheet`), no header, or no row under it
    (`empty` says so) is a problem of the whole file, added to `problems`;
    then None.
    """
    try:
        rows = read_sheet(
            content,
            filename=f"{layout.sheet_name}.xlsx",
            kinds=("xlsx",),
            sheet_name=layout.sheet_name,
            limits=layout.limits,
            from_template=layout.from_template,
        )
    except SheetRefused as error:
        problems.add(0, str(error))
        return None
    header_index = find_header(
        rows,
        first=layout.first_column,
        problems=problems,
        from_template=layout.from_template,
    )
    if header_index is None:
        return None
    body = [
        (number, cells)
        for number, cells in rows[header_index + 1 :]
        if any(cell_text(value) for value in cells)
    ]
    if not body:
        problems.add(0, empty)
        return None
    return rows[header_index], body


def column_positions(
    header: tuple,
    *,
    columns: Iterable[str],
    required: Iterable[str],
    aliases: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Where each of `columns` stands in a header row (by `header_key`).

    `aliases` maps another title (folded) to a column's name. A required
    column missing is a `SheetRefused` naming every one missing.
    """
    aliases = {header_key(title): name for title, name in (aliases or {}).items()}
    found: dict[str, int] = {}
    for position, title in enumerate(header):
        key = header_key(cell_text(title))
        found.setdefault(aliases.get(key, key), position)
    positions = {
        column: found[header_key(column)]
        for column in columns
        if header_key(column) in found
    }
    missing = [column for column in required if column not in positions]
    if missing:
        raise SheetRefused(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return positions


# --- problems by row ------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row (row 0: with the whole file)."""

    row: int
    message: str
    column: str = ""


class RowProblems:
    """Every problem of every row, kept in row order.

    An import checks every row and adds what it finds; if anything was
    added, nothing is saved and the person sees the whole list at once.
    """

    def __init__(self, problems: Iterable[Problem] = ()):
        self._problems: list[Problem] = list(problems)

    def add(self, row: int | None, message: str, *, column: str = "") -> None:
        self._problems.append(Problem(row or 0, str(message), column))

    def __bool__(self) -> bool:
        return bool(self._problems)

    def __len__(self) -> int:
        return len(self._problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def sorted(self) -> list[Problem]:
        """By row (the whole file's first), each row's problems as found."""
        return sorted(self._problems, key=lambda problem: problem.row)

    def rows(self) -> list[int]:
        return sorted({problem.row for problem in self._problems})

    def grouped(self) -> list[tuple[int, list[Problem]]]:
        """[(row, that row's problems)], for a table with one line per row."""
        grouped: dict[int, list[Problem]] = {}
        for problem in self.sorted():
            grouped.setdefault(problem.row, []).append(problem)
        return list(grouped.items())

    def by_row(self) -> dict[int, list[str]]:
        """Row number → every message about that row."""
        return {row: [p.message for p in found] for row, found in self.grouped()}

    @property
    def messages(self) -> list[str]:
        """Each problem as a person reads it: "Baris 12: …"."""
        return [
            _("Baris %(row)s: %(message)s") % {"row": p.row, "message": p.message}
            if p.row
            else p.message
            for p in self.sorted()
        ]

    def as_data(self) -> list[dict]:
        """For a JSON field: a job's problems kept until its page is read."""
        return [
            {"row": p.row, "column": p.column, "message": p.message}
            for p in self.sorted()
        ]

    @classmethod
    def from_data(cls, data: Iterable[dict]) -> "RowProblems":
        return cls(
            Problem(item["row"], item["message"], item.get("column", ""))
            for item in data or ()
        )


@dataclass
class ImportReport:
    """What an import of a sheet answers: what it saved, or why it saved nothing.

    Imports save all rows or none: any problem in `errors` means nothing was
    saved. `skipped` names rows left out on purpose (already saved before),
    which do not stop the rest.
    """

    created: int = 0
    errors: RowProblems = field(default_factory=RowProblems)
    skipped: RowProblems = field(default_factory=RowProblems)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return self.errors.messages

    @property
    def skipped_messages(self) -> list[str]:
        return self.skipped.messages
