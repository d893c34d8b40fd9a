"""The question bank's CSV layout: reading it, with problems by row, and writing it.

CSV: the header in row 1, then one question per row ("Baris N" is the
spreadsheet row). Columns, by name, in any order (`csv_header`):
``kategori`` ("A/B", empty: no category), ``jenis`` (pilihan_ganda,
benar_salah, esai), ``pertanyaan``, ``penjelasan``, ``beberapa_benar`` and
``acak_pilihan`` (ya/tidak; an empty ``beberapa_benar`` is "ya" exactly when
no answer weighs 100), then ``jawaban_N``, ``bobot_N`` (percent, -100 to 100, empty
is 0) and ``umpan_balik_N`` for N = 1 to 8 (or more). A true/false question
has two answers, Benar and Salah. Commas or semicolons separate the cells.
A text cell starting with = + - or @ is written with a ' before it, so that
a spreadsheet does not run it as a formula, and read back without it. A file
written by `export_csv` reads back unchanged, as does one by `export_gift`.

Cells are read by `learning.spreadsheets.read_sheet`, within its bounds, and
written through its safe cells (`csv_row`).
"""

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from learning.spreadsheets import SheetRefused, csv_row, from_csv_cell, read_sheet

from ..choices import QuestionKind
from ..models import Question
from .exporting import in_bank_order, path_text
from .parsed import (
    LIMITS,
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    category_errors,
    option_length_errors,
    percent_text,
    question_problems,
    split_category,
    weight_from_percent,
)

CSV_EXTENSIONS = (".csv",)
CSV_COLUMNS = [
    "kategori",
    "jenis",
    "pertanyaan",
    "penjelasan",
    "beberapa_benar",
    "acak_pilihan",
]
CSV_OPTION_SLOTS = 8
_OPTION_COLUMN = re.compile(r"(jawaban|bobot|umpan_balik)_([1-9]\d*)")
_YES = {"ya", "y", "1"}
_NO = {"tidak", "", "0"}


def csv_header(option_slots: int = CSV_OPTION_SLOTS) -> list[str]:
    return CSV_COLUMNS + [
        f"{column}_{number}"
        for number in range(1, option_slots + 1)
        for column in ("jawaban", "bobot", "umpan_balik")
    ]


def _from_cell(value: str | None) -> str:
    # Undo the quote `export_csv` puts before a cell a spreadsheet would run.
    return from_csv_cell((value or "").strip())


def parse_csv(text: str) -> ParseResult:
    """Read the CSV layout (`csv_header`) into questions, or errors by row."""
    try:
        rows = read_sheet(
            text.encode("utf-8"), filename="soal.csv", limits=LIMITS, kinds=("csv",)
        )
    except SheetRefused as error:
        return ParseResult(errors=[(None, str(error))])
    return parse_csv_rows(rows)


def parse_csv_rows(rows: list) -> ParseResult:
    """The CSV layout from rows read by `learning.spreadsheets.read_sheet`."""
    result = ParseResult()
    if not rows:
        return result
    (header_at, header_cells), body = rows[0], rows[1:]
    header = [(name or "").strip().lower() for name in header_cells]
    unknown = [
        name
        for name in header
        if name and name not in CSV_COLUMNS and not _OPTION_COLUMN.fullmatch(name)
    ]
    missing = [name for name in ("jenis", "pertanyaan") if name not in header]
    if unknown or missing:
        if unknown:
            result.errors.append(
                (
                    header_at,
                    _("Kolom tidak dikenal: %(columns)s")
                    % {"columns": ", ".join(unknown)},
                )
            )
        if missing:
            result.errors.append(
                (
                    header_at,
                    _("Kolom wajib tidak ada: %(columns)s")
                    % {"columns": ", ".join(missing)},
                )
            )
        result.errors.append(
            (
                header_at,
                _("Kolom yang dikenal: %(columns)s …")
                % {"columns": ", ".join(csv_header(1))},
            )
        )
        return result
    slots = sorted(
        {int(m.group(2)) for name in header if (m := _OPTION_COLUMN.fullmatch(name))}
    )
    for row_number, row in body:
        cells = dict(zip(header, row, strict=False))
        _parse_csv_row(row_number, cells, slots, result)
    return result


def _yes_no(value: str) -> bool | None:
    value = value.lower()
    return True if value in _YES else False if value in _NO else None


def _parse_csv_row(number: int, cells: dict, slots: list[int], result) -> None:
    def cell(name):
        return _from_cell(cells.get(name))

    errors = []
    kind = cell("jenis").lower().replace(" ", "_").replace("/", "_").replace("-", "_")
    if kind not in QuestionKind.values:
        errors.append(
            _("Jenis harus salah satu dari: %(kinds)s.")
            % {"kinds": ", ".join(QuestionKind.values)}
        )
    text = cell("pertanyaan")
    if not text:
        errors.append(_("Pertanyaan wajib diisi."))
    flags = {}
    for name in ("beberapa_benar", "acak_pilihan"):
        flags[name] = _yes_no(cell(name))
        if flags[name] is None:
            errors.append(_("Kolom %(column)s: isi ya atau tidak.") % {"column": name})
    category = split_category(cell("kategori"))
    errors.extend(category_errors(category or ()))
    options, options_read = [], True
    for slot in slots:
        answer, weight = cell(f"jawaban_{slot}"), cell(f"bobot_{slot}")
        feedback = cell(f"umpan_balik_{slot}")
        if not answer:
            if weight or feedback:
                errors.append(
                    _("jawaban_%(n)s kosong, padahal bobot atau umpan baliknya diisi.")
                    % {"n": slot}
                )
                options_read = False
            continue
        parsed_weight = weight_from_percent(weight) if weight else Decimal(0)
        if parsed_weight is None:
            errors.append(
                _("bobot_%(n)s harus angka dari -100 sampai 100, bukan %(value)s.")
                % {"n": slot, "value": weight}
            )
            options_read = False
            continue
        option = ParsedOption(
            text=answer, weight=parsed_weight, feedback=feedback, line=number
        )
        errors.extend(option_length_errors(option))
        options.append(option)
    question = ParsedQuestion(
        line=number,
        kind=kind,
        text=text,
        explanation=cell("penjelasan"),
        shuffle_options=bool(flags["acak_pilihan"]),
        options=options,
        category=category,
    )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        question.several_correct = (
            bool(flags["beberapa_benar"])
            if cell("beberapa_benar")
            else not any(option.weight == 1 for option in options)
        )
    if kind in QuestionKind.values and options_read:
        # The question as a whole, once its answers could all be read.
        errors += [p for p in question_problems(question) if p not in errors]
    if errors:
        result.errors.extend((number, error) for error in errors)
    else:
        result.questions.append(question)


# --- writing CSV --------------------------------------------------------------


def export_csv(questions: Iterable[Question]) -> str:
    """The CSV layout of `csv_header` for `questions`; `import_questions` reads it."""
    items = in_bank_order(questions)
    slots = max(
        [CSV_OPTION_SLOTS, *(len(question.options.all()) for _, question in items)]
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(slots))
    for path, question in items:
        row = [
            path_text(path) if path else "",
            question.kind,
            question.text.strip(),
            question.explanation.strip(),
            "ya" if question.several_correct else "tidak",
            "ya" if question.shuffle_options else "tidak",
        ]
        options = sorted(question.options.all(), key=lambda option: option.sort_order)
        for option in options:
            row += [
                option.text.strip(),
                percent_text(option.weight),
                option.feedback.strip(),
            ]
        row += [""] * (3 * (slots - len(options)))
        writer.writerow(csv_row(row))
    return out.getvalue()
