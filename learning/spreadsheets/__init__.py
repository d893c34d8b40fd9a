"""Spreadsheets in and out, within bounds, written once for every app.

- Reading (`reading`): `read_sheet` gives an uploaded CSV or XLSX's rows,
  refusing what would hurt the server before any of it is parsed; `Limits`
  says how much each import reads at most. `read_text` for text uploads.
- Rows (`rows`): `cell_text` reads any cell as the text a person sees,
  `read_table` a sheet's header row (below a template's title) and the rows
  under it, `column_positions` where each named column stands;
  `RowProblems` keeps every problem of every row and `ImportReport` is what
  an import answers: what it saved, or every problem, and nothing saved.
- Writing (`writing`): `csv_cell` and `append_row` make sure a cell a person
  typed is never run as a formula by the spreadsheet that opens an export.

Every refusal is a `SheetRefused` whose message is for the person who sent
the file, in Indonesian. Import from here, not from the modules inside.
"""

from .reading import (
    DEFAULT_LIMITS,
    Limits,
    Row,
    SheetRefused,
    UnreadableSheet,
    check_xlsx_archive,
    csv_delimiter,
    decode_text,
    file_kind,
    read_sheet,
    read_text,
)
from .rows import (
    ImportReport,
    Problem,
    RowProblems,
    SheetLayout,
    cell_at,
    cell_date,
    cell_text,
    cell_time,
    column_positions,
    find_header,
    header_key,
    read_table,
)
from .writing import (
    FORMULA_START,
    append_row,
    csv_cell,
    csv_row,
    formula_name_problem,
    from_csv_cell,
    starts_like_formula,
    workbook_bytes,
    xlsx_cell,
)

__all__ = [
    "DEFAULT_LIMITS",
    "FORMULA_START",
    "ImportReport",
    "Limits",
    "Problem",
    "Row",
    "RowProblems",
    "SheetLayout",
    "SheetRefused",
    "UnreadableSheet",
    "append_row",
    "cell_at",
    "cell_date",
    "cell_text",
    "cell_time",
    "check_xlsx_archive",
    "column_positions",
    "csv_cell",
    "csv_delimiter",
    "csv_row",
    "decode_text",
    "file_kind",
    "find_header",
    "formula_name_problem",
    "from_csv_cell",
    "header_key",
    "read_sheet",
    "read_table",
    "read_text",
    "starts_like_formula",
    "workbook_bytes",
    "xlsx_cell",
]
