"""Question banks in and out: Moodle's GIFT text format and a plain CSV sheet.

Organisations reuse question banks they already wrote for Moodle. Reading is
strict and all-or-nothing: every question is checked first, each problem is
reported with the line it is on, and only a file without problems is written,
in one transaction, so there is never half an import to clean up.

- `gift`: Moodle's GIFT, read and written (the format's rules are there);
- `spreadsheet`: the CSV layout, read and written (its columns are there);
- `parsed`: a question read from a file, not yet saved, and its checks;
- `importing`: a file into the bank (`import_questions`), all or nothing;
- `exporting`: the questions both exports write, in the bank's order.

A file written by `export_csv` reads back unchanged, as does one by
`export_gift`.
"""

from .exporting import category_paths, questions_for_export
from .gift import (
    BLANK,
    GIFT_EXTENSIONS,
    QUESTION_SOURCE_MAX_LENGTH,
    GiftResult,
    export_gift,
    parse_gift,
)
from .importing import (
    ImportReport,
    category_by_path,
    file_format,
    import_questions,
    save_question,
)
from .parsed import (
    CATEGORY_MAX_LENGTH,
    FALSE_LABEL,
    FEEDBACK_MAX_LENGTH,
    LIMITS,
    OPTION_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TRUE_LABEL,
    WEIGHT_STEP,
    WEIGHT_TOLERANCE,
    Line,
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    question_problem,
    question_problems,
)
from .spreadsheet import (
    CSV_COLUMNS,
    CSV_EXTENSIONS,
    CSV_OPTION_SLOTS,
    csv_header,
    export_csv,
    parse_csv,
    parse_csv_rows,
)

__all__ = [
    "BLANK",
    "CATEGORY_MAX_LENGTH",
    "CSV_COLUMNS",
    "CSV_EXTENSIONS",
    "CSV_OPTION_SLOTS",
    "FALSE_LABEL",
    "FEEDBACK_MAX_LENGTH",
    "GIFT_EXTENSIONS",
    "LIMITS",
    "OPTION_MAX_LENGTH",
    "QUESTION_SOURCE_MAX_LENGTH",
    "TEXT_MAX_LENGTH",
    "TRUE_LABEL",
    "WEIGHT_STEP",
    "WEIGHT_TOLERANCE",
    "GiftResult",
    "ImportReport",
    "Line",
    "ParseResult",
    "ParsedOption",
    "ParsedQuestion",
    "category_by_path",
    "category_paths",
    "csv_header",
    "export_csv",
    "export_gift",
    "file_format",
    "import_questions",
    "parse_csv",
    "parse_csv_rows",
    "parse_gift",
    "question_problem",
    "question_problems",
    "questions_for_export",
    "save_question",
]
