"""Question banks in and out: Moodle's GIFT text format and a plain CSV sheet.

Organisations reuse question banks they already wrote for Moodle. Reading is
strict and all-or-nothing: every question is checked first, each problem is
reported with the line it is on, and only a file without problems is written,
in one transaction, so there is never half an import to clean up.

GIFT, as Moodle reads it (https://docs.moodle.org/en/GIFT_format):

- Questions are separated by blank lines; lines starting with ``//`` are
  comments. ``::title::`` is read and ignored (our questions have no title).
- ``$CATEGORY: $course$/top/A/B`` puts the questions after it in category
  A / B (created when missing). Moodle's context (``$course$``), ``top`` and
  ``Default for …`` are dropped; ``//`` in a name stands for ``/``.
- ``[html]``, ``[moodle]``, ``[plain]`` and ``[markdown]`` before a text are
  removed; HTML is turned into plain text.
- ``\\~ \\= \\# \\{ \\} \\: \\\\`` are the characters themselves, ``\\n`` a new line.
- Multiple choice: ``=right``, ``~wrong``, ``~%50%partly right``,
  ``~%-100%wrong and costs marks``; ``#feedback`` after any choice. As in
  Moodle, a question with no ``=`` lets the trainee pick several choices
  (`several_correct`), and their positive weights must add up to 100.
- True/false: ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}``, optionally
  ``{T#feedback when answered wrongly#feedback when answered rightly}``;
  stored as the options "Benar" and "Salah".
- Essay: ``{}``. General feedback, ``####…`` at the end of the braces, is the
  question's explanation.
- Answers in the middle of the text (Moodle's "missing word") become a blank
  ``_____`` in the text, whatever the question type.
- Matching (``->``), numerical (``{#…}``), short answer (only ``=`` answers)
  and descriptions (no braces) are reported as not supported yet.

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
"""

import csv
import html
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from learning.spreadsheets import (
    Limits,
    SheetRefused,
    csv_row,
    from_csv_cell,
    read_sheet,
    read_text,
)

from .choices import QuestionKind
from .models import AnswerOption, Category, Question

OPTION_MAX_LENGTH = AnswerOption._meta.get_field("text").max_length
FEEDBACK_MAX_LENGTH = AnswerOption._meta.get_field("feedback").max_length
CATEGORY_MAX_LENGTH = Category._meta.get_field("name").max_length
# The true/false options as stored: content, in the bank's language.
TRUE_LABEL = "Benar"
FALSE_LABEL = "Salah"
BLANK = "_____"
WEIGHT_STEP = Decimal("0.00001")
# Weights of several right answers may add up to 99.999 (3 × 33.333).
WEIGHT_TOLERANCE = Decimal("0.01")

GIFT_EXTENSIONS = (".gift", ".txt")
CSV_EXTENSIONS = (".csv",)
# A question's text and its explanation; longer is not a quiz question.
TEXT_MAX_LENGTH = 10_000
# One GIFT question with its answers, as written in the file.
QUESTION_SOURCE_MAX_LENGTH = 50_000
# Uploads: size, rows, cells and lines (a bank of a few thousand questions).
LIMITS = Limits(
    max_bytes=5 * 1024 * 1024,
    max_rows=5_000,
    max_columns=200,
    max_cell_chars=TEXT_MAX_LENGTH,
    max_line_chars=20_000,
)

Line = int | None  # None: about the whole file, not one line of it


@dataclass
class ParsedOption:
    text: str
    weight: Decimal
    feedback: str = ""
    line: int = 0


@dataclass
class ParsedQuestion:
    """A question read from a file, not yet saved."""

    line: int
    kind: str
    text: str
    explanation: str = ""
    several_correct: bool = False
    shuffle_options: bool = False
    options: list[ParsedOption] = field(default_factory=list)
    # Category names from the top down; None when the file names none.
    category: tuple[str, ...] | None = None


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[tuple[Line, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


GiftResult = ParseResult


@dataclass
class ImportReport:
    """What an import did: the questions it created, or why it created none."""

    created: list[Question] = field(default_factory=list)
    skipped: int = 0
    errors: list[tuple[Line, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def count(self) -> int:
        return len(self.created)

    @property
    def messages(self) -> list[str]:
        """Each problem as a person reads it: "Baris 12: …"."""
        return [
            _("Baris %(line)s: %(message)s") % {"line": line, "message": message}
            if line
            else message
            for line, message in self.errors
        ]


# --- reading GIFT -------------------------------------------------------------

_UNESCAPED = {"\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":"}
_UNESCAPED["n"] = "\n"
_FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"%(-?\d+(?:[.,]\d+)?)%")
_TRUE = {"T", "TRUE"}
_FALSE = {"F", "FALSE"}
_LINE_BREAK = re.compile(r"<br\s*/?>|</(li|tr)>", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"</(p|div|h[1-6]|ul|ol|table)>", re.IGNORECASE)


def _find(text: str, target: str, start: int = 0) -> int:
    """Index of the first `target` at or after `start` not escaped by a backslash."""
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
        elif text.startswith(target, index):
            return index
        else:
            index += 1
    return -1


def _unescape(text: str) -> str:
    out, index = [], 0
    while index < len(text):
        pair = text[index : index + 2]
        if len(pair) == 2 and pair[0] == "\\" and pair[1] in _UNESCAPED:
            out.append(_UNESCAPED[pair[1]])
            index += 2
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def _html_to_text(text: str) -> str:
    """HTML as plain text: a paragraph ends with a blank line, <br> with a new line."""
    text = _PARAGRAPH_END.sub("\n\n", _LINE_BREAK.sub("\n", text))
    text = html.unescape(strip_tags(text))
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _clean(raw: str, text_format: str = "plain") -> str:
    """One GIFT text as we store it: markers gone, escapes undone, plain text."""
    marker = _FORMAT.match(raw)
    if marker:
        text_format, raw = marker.group(1).lower(), raw[marker.end() :]
    text = _unescape(raw)
    if text_format == "html":
        text = _html_to_text(text)
    return text.strip()


def _category_path(raw: str) -> tuple[str, ...]:
    """Names below Moodle's context, `top` and default category, top first."""
    names = [
        name.replace("//", "/").strip()
        for name in re.split(r"(?<!/)/(?!/)", raw.strip())
    ]
    names = [name for name in names if name]
    if names and names[0].startswith("$") and names[0].endswith("$"):
        names = names[1:]
    if names and names[0].lower() == "top":
        names = names[1:]
    if names and names[0].lower().startswith("default for "):
        names = names[1:]
    return tuple(names)


def _category_errors(path: tuple[str, ...]) -> list[str]:
    return [
        _("Nama kategori lebih dari %(max)s huruf: %(name)s")
        % {"max": CATEGORY_MAX_LENGTH, "name": name}
        for name in path
        if len(name) > CATEGORY_MAX_LENGTH
    ]


def _stray_closing_brace() -> str:
    return _("Ada %(closing)s tanpa %(opening)s pembukanya.") % {
        "opening": "{",
        "closing": "}",
    }


def _unsupported(what: str) -> str:
    return _("jenis soal ini belum didukung (%(kind)s).") % {"kind": what}


def _weight_from_percent(text: str) -> Decimal | None:
    """A weight (-1 to 1) from a percentage, or None when it is not one."""
    try:
        percent = Decimal(text.strip().rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not percent.is_finite() or not Decimal(-100) <= percent <= Decimal(100):
        return None
    return (percent / 100).quantize(WEIGHT_STEP, rounding=ROUND_HALF_UP)


def _choice_weight_error(options: list[ParsedOption], several: bool) -> str | None:
    """Why these options cannot be a multiple-choice question, if they cannot."""
    if len(options) < 2:
        return _("Pilihan ganda perlu sedikitnya dua pilihan jawaban.")
    if not several:
        if not any(option.weight == 1 for option in options):
            return _("Tidak ada pilihan yang benar penuh (bobot 100).")
        return None
    positive = sum((o.weight for o in options if o.weight > 0), Decimal(0))
    if positive == 0:
        return _(
            "Tidak ada jawaban benar: tandai jawaban benar dengan = atau beri bobot "
            "positif seperti %(example)s."
        ) % {"example": "~%50%"}
    if abs(positive - 1) > WEIGHT_TOLERANCE:
        return _(
            "Bobot jawaban yang benar berjumlah %(total)s, padahal harus 100 "
            "(boleh memilih lebih dari satu jawaban)."
        ) % {"total": _percent(positive)}
    return None


def _too_long(limit: int) -> str:
    return _("Soal ini lebih dari %(max)s huruf.") % {"max": limit}


def _text_length_errors(question: "ParsedQuestion") -> list[str]:
    errors = []
    if len(question.text) > TEXT_MAX_LENGTH:
        errors.append(
            _("Teks pertanyaan lebih dari %(max)s huruf.") % {"max": TEXT_MAX_LENGTH}
        )
    if len(question.explanation) > TEXT_MAX_LENGTH:
        errors.append(
            _("Penjelasan lebih dari %(max)s huruf.") % {"max": TEXT_MAX_LENGTH}
        )
    return errors


def _option_length_errors(option: ParsedOption) -> list[str]:
    errors = []
    if len(option.text) > OPTION_MAX_LENGTH:
        errors.append(
            _("Pilihan jawaban lebih dari %(max)s huruf.") % {"max": OPTION_MAX_LENGTH}
        )
    if len(option.feedback) > FEEDBACK_MAX_LENGTH:
        errors.append(
            _("Umpan balik lebih dari %(max)s huruf.") % {"max": FEEDBACK_MAX_LENGTH}
        )
    return errors


class _Block:
    """The lines of one question, with the file's line number of any position."""

    def __init__(self, lines: list[tuple[int, str]]):
        self.first_line = lines[0][0]
        self.source = "\n".join(text for _, text in lines)
        self._starts, self._numbers, offset = [], [], 0
        for number, text in lines:
            self._starts.append(offset)
            self._numbers.append(number)
            offset += len(text) + 1

    def line_at(self, position: int) -> int:
        line = self._numbers[0]
        for start, number in zip(self._starts, self._numbers, strict=True):
            if start > position:
                break
            line = number
        return line


def parse_gift(text: str) -> ParseResult:
    """Read GIFT text into questions, or the errors by line that prevent it."""
    result = ParseResult()
    category: tuple[str, ...] | None = None
    block: list[tuple[int, str]] = []

    def finish_block():
        if block:
            if sum(len(text) + 1 for _number, text in block) > (
                QUESTION_SOURCE_MAX_LENGTH
            ):
                result.errors.append(
                    (block[0][0], _too_long(QUESTION_SOURCE_MAX_LENGTH))
                )
            else:
                _parse_gift_question(_Block(block), category, result)
            block.clear()

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            finish_block()
        elif stripped.startswith("$CATEGORY:"):
            finish_block()
            path = _category_path(stripped.removeprefix("$CATEGORY:"))
            result.errors.extend((number, error) for error in _category_errors(path))
            category = path or None
        else:
            block.append((number, line))
    finish_block()
    result.errors.sort(key=lambda error: error[0] or 0)
    return result


def _parse_gift_question(
    block: _Block, category: tuple[str, ...] | None, result: ParseResult
) -> None:
    source, line_at = block.source, block.line_at
    errors = result.errors
    start = len(source) - len(source.lstrip())
    if source.startswith("::", start):
        title_end = _find(source, "::", start + 2)
        if title_end < 0:
            errors.append((line_at(start), _("Judul soal (::judul::) tidak ditutup.")))
            return
        start = title_end + 2
    opening = _find(source, "{", start)
    stray = _find(source, "}", start)
    if opening < 0:
        if stray >= 0:
            errors.append((line_at(stray), _stray_closing_brace()))
        else:
            errors.append(
                (block.first_line, _unsupported(_("deskripsi tanpa jawaban")))
            )
        return
    if 0 <= stray < opening:
        errors.append((line_at(stray), _stray_closing_brace()))
        return
    closing = _find(source, "}", opening + 1)
    if closing < 0:
        errors.append(
            (
                line_at(opening),
                _("Kurung kurawal %(opening)s tidak ditutup dengan %(closing)s.")
                % {"opening": "{", "closing": "}"},
            )
        )
        return
    again = _find(source, "{", closing + 1)
    if again >= 0:
        errors.append(
            (
                line_at(again),
                _(
                    "Satu soal hanya boleh punya satu blok jawaban. Pisahkan soal-soal "
                    "dengan satu baris kosong."
                ),
            )
        )
        return
    stray = _find(source, "}", closing + 1)
    if stray >= 0:
        errors.append((line_at(stray), _stray_closing_brace()))
        return

    before, after = source[start:opening], source[closing + 1 :]
    marker = _FORMAT.match(before)
    text_format = marker.group(1).lower() if marker else "plain"
    raw_text = before + BLANK + after if after.strip() else before
    question = ParsedQuestion(
        line=block.first_line,
        kind=QuestionKind.ESSAY,
        text=_clean(raw_text),
        category=category,
    )
    if not question.text:
        errors.append((block.first_line, _("Teks pertanyaan kosong.")))
        return
    for problem in _text_length_errors(question):
        errors.append((block.first_line, problem))

    answers, base = source[opening + 1 : closing], opening + 1
    general = _find(answers, "####")
    if general >= 0:
        question.explanation = _clean(answers[general + 4 :], text_format)
        answers = answers[:general]
        for problem in _text_length_errors(
            ParsedQuestion(0, "", "", question.explanation)
        ):
            errors.append((block.first_line, problem))
    head = answers.strip()
    first_hash = _find(answers, "#")
    true_false = _unescape(answers[:first_hash] if first_hash >= 0 else answers)
    if not head:
        question.kind = QuestionKind.ESSAY
    elif head.startswith("#"):
        errors.append((block.first_line, _unsupported(_("soal angka"))))
        return
    elif _find(answers, "~") >= 0:
        question.kind = QuestionKind.MULTIPLE_CHOICE
        if not _read_choices(question, answers, base, text_format, line_at, errors):
            return
    elif _find(answers, "=") >= 0 and _find(answers, "->") >= 0:
        errors.append((block.first_line, _unsupported(_("soal menjodohkan"))))
        return
    elif true_false.strip().upper() in _TRUE | _FALSE:
        question.kind = QuestionKind.TRUE_FALSE
        if not _read_true_false(question, answers, text_format, line_at(base), errors):
            return
    elif _find(answers, "=") >= 0:
        errors.append((block.first_line, _unsupported(_("jawaban singkat"))))
        return
    else:
        errors.append(
            (
                line_at(opening),
                _(
                    "Jawaban di dalam %(braces)s tidak dikenali. Pakai = dan ~ untuk "
                    "pilihan ganda, T atau F untuk benar/salah, atau %(braces)s kosong "
                    "untuk esai."
                )
                % {"braces": "{ }"},
            )
        )
        return
    result.questions.append(question)


def _read_choices(question, answers, base, text_format, line_at, errors) -> bool:
    starts = []
    index = 0
    while index < len(answers):
        if answers[index] == "\\":
            index += 2
            continue
        if answers[index] in "=~":
            starts.append(index)
        index += 1
    if answers[: starts[0]].strip():
        errors.append(
            (
                line_at(base),
                _("Setiap pilihan jawaban diawali = (benar) atau ~ (salah)."),
            )
        )
        return False
    ok = True
    for position, end in zip(starts, starts[1:] + [len(answers)], strict=True):
        line = line_at(base + position)
        prefix, body = answers[position], answers[position + 1 : end].lstrip()
        weight = Decimal(1) if prefix == "=" else Decimal(0)
        if body.startswith("%"):
            match = _WEIGHT.match(body)
            parsed = _weight_from_percent(match.group(1)) if match else None
            if parsed is None:
                shown = match.group(0) if match else body.split()[0]
                errors.append(
                    (
                        line,
                        _(
                            "Bobot %(weight)s tidak sah: tulis angka dari -100 sampai "
                            "100 di antara dua tanda persen, mis. %(example)s."
                        )
                        % {"weight": shown, "example": "~%50%"},
                    )
                )
                ok = False
                continue
            weight, body = parsed, body[match.end() :]
        hash_at = _find(body, "#")
        text, feedback = (
            (body, "") if hash_at < 0 else (body[:hash_at], body[hash_at + 1 :])
        )
        option = ParsedOption(
            text=_clean(text, text_format),
            weight=weight,
            feedback=_clean(feedback, text_format),
            line=line,
        )
        if not option.text:
            errors.append((line, _("Pilihan jawaban kosong.")))
            ok = False
        for error in _option_length_errors(option):
            errors.append((line, error))
            ok = False
        question.options.append(option)
    if not ok:
        return False
    question.several_correct = not any(answers[start] == "=" for start in starts)
    problem = _choice_weight_error(question.options, question.several_correct)
    if problem:
        errors.append((line_at(base - 1), problem))
        return False
    return True


def _read_true_false(question, answers, text_format, line, errors) -> bool:
    parts, index = [], 0
    while True:
        hash_at = _find(answers, "#", index)
        if hash_at < 0:
            parts.append(answers[index:])
            break
        parts.append(answers[index:hash_at])
        index = hash_at + 1
    if len(parts) > 3:
        errors.append(
            (
                line,
                _(
                    "Soal benar/salah paling banyak punya dua umpan balik: yang "
                    "pertama untuk jawaban salah, yang kedua untuk jawaban benar, "
                    "mis. %(example)s."
                )
                % {"example": "{T#…#…}"},
            )
        )
        return False
    is_true = parts[0].strip().upper() in _TRUE
    if_wrong = _clean(parts[1], text_format) if len(parts) > 1 else ""
    if_right = _clean(parts[2], text_format) if len(parts) > 2 else ""
    question.options = [
        ParsedOption(
            text=TRUE_LABEL,
            weight=Decimal(1 if is_true else 0),
            feedback=if_right if is_true else if_wrong,
            line=line,
        ),
        ParsedOption(
            text=FALSE_LABEL,
            weight=Decimal(0 if is_true else 1),
            feedback=if_wrong if is_true else if_right,
            line=line,
        ),
    ]
    length_errors = [e for o in question.options for e in _option_length_errors(o)]
    errors.extend((line, error) for error in length_errors)
    return not length_errors


# --- reading CSV --------------------------------------------------------------

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


def _csv_category(value: str) -> tuple[str, ...] | None:
    names = [
        name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", value)
    ]
    return tuple(name for name in names if name) or None


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
    category = _csv_category(cell("kategori"))
    errors.extend(_category_errors(category or ()))
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
        parsed_weight = _weight_from_percent(weight) if weight else Decimal(0)
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
        errors.extend(_option_length_errors(option))
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


def question_problem(question: ParsedQuestion) -> str | None:
    """Why a question read from a sheet or a curriculum file cannot be saved."""
    problems = question_problems(question)
    return problems[0] if problems else None


def question_problems(question: ParsedQuestion) -> list[str]:
    """Every reason a question read from a sheet or a file cannot be saved."""
    problems = []
    if not question.text:
        problems.append(_("Pertanyaan wajib diisi."))
    problems += _text_length_errors(question)
    for option in question.options:
        problems += _option_length_errors(option)
    if question.kind == QuestionKind.ESSAY and question.options:
        problems.append(
            _("Soal esai tidak punya pilihan jawaban; kosongkan kolom jawaban.")
        )
    if question.kind == QuestionKind.TRUE_FALSE and sorted(
        o.weight for o in question.options
    ) != [0, 1]:
        problems.append(
            _(
                "Soal benar/salah perlu tepat dua jawaban (%(true)s dan %(false)s), "
                "yang benar berbobot 100 dan yang lain 0."
            )
            % {"true": TRUE_LABEL, "false": FALSE_LABEL}
        )
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        problem = _choice_weight_error(question.options, question.several_correct)
        if problem:
            problems.append(problem)
    return problems


# --- importing ------------------------------------------------------------------


def file_format(filename: str) -> str | None:
    """ "gift" or "csv" by the file's extension; None for anything else."""
    name = filename.lower()
    if name.endswith(GIFT_EXTENSIONS):
        return "gift"
    if name.endswith(CSV_EXTENSIONS):
        return "csv"
    return None


def import_questions(
    *, content: bytes, filename: str, category_name: str | None = None
) -> ImportReport:
    """Add every question in a GIFT or CSV file to the bank, or none of them.

    Questions the file puts in no category go to `category_name` ("A/B" for a
    sub-category; created when missing). A question already in the bank (same
    category, type and text) is skipped, so importing a file twice adds
    nothing the second time.
    """
    kind = file_format(filename)
    if kind is None:
        return ImportReport(
            errors=[(None, _("Unggah berkas .gift, .txt (GIFT Moodle) atau .csv."))]
        )
    try:
        if kind == "gift":
            parsed = parse_gift(read_text(content, limits=LIMITS, what="GIFT"))
        else:
            parsed = parse_csv_rows(
                read_sheet(content, filename="soal.csv", limits=LIMITS, kinds=("csv",))
            )
    except SheetRefused as error:
        return ImportReport(errors=[(None, str(error))])
    errors = list(parsed.errors)
    default = _csv_category(category_name or "")
    errors[:0] = [(None, error) for error in _category_errors(default or ())]
    if not parsed.questions and not errors:
        errors.append((None, _("Berkas ini tidak berisi soal.")))
    if errors:
        return ImportReport(errors=errors)

    report = ImportReport()
    categories: dict[tuple[str, ...], Category] = {}
    with transaction.atomic():
        for item in parsed.questions:
            path = item.category or default
            category = _category_at(path, categories) if path else None
            if Question.objects.filter(
                category=category, kind=item.kind, text=item.text
            ).exists():
                report.skipped += 1
                continue
            report.created.append(save_question(item, category=category))
    return report


def save_question(
    item: ParsedQuestion, *, category: Category | None, **fields
) -> Question:
    """Write one checked question and its options (`question_problem` is None)."""
    question = Question.objects.create(
        kind=item.kind,
        category=category,
        text=item.text,
        explanation=item.explanation,
        several_correct=item.several_correct,
        shuffle_options=item.shuffle_options,
        **fields,
    )
    AnswerOption.objects.bulk_create(
        AnswerOption(
            question=question,
            sort_order=order,
            text=option.text,
            weight=option.weight,
            feedback=option.feedback,
        )
        for order, option in enumerate(item.options)
    )
    return question


def _category_at(
    path: tuple[str, ...], known: dict[tuple[str, ...], Category]
) -> Category:
    parent = None
    for depth in range(1, len(path) + 1):
        if path[:depth] not in known:
            known[path[:depth]], _created = Category.objects.get_or_create(
                name=path[depth - 1], parent=parent
            )
        parent = known[path[:depth]]
    return parent


def category_by_path(path: str) -> Category | None:
    """The category at "A/B", or None when there is no such category."""
    category = None
    for name in _csv_category(path) or ():
        category = Category.objects.filter(name=name, parent=category).first()
        if category is None:
            return None
    return category


# --- exporting ------------------------------------------------------------------


def questions_for_export(*, category: Category | None = None) -> QuerySet[Question]:
    """The bank, or one category with its sub-categories, ready to write out."""
    questions = Question.objects.all()
    if category is not None:
        questions = questions.filter(category_id__in=category.with_descendants())
    return questions.prefetch_related("options").order_by("pk")


def category_paths() -> dict[int, tuple[str, ...]]:
    rows = {
        pk: (name, parent)
        for pk, name, parent in Category.objects.values_list("pk", "name", "parent_id")
    }
    paths: dict[int, tuple[str, ...]] = {}

    def path_of(pk: int) -> tuple[str, ...]:
        if pk not in paths:
            name, parent = rows[pk]
            paths[pk] = (path_of(parent) if parent else ()) + (name,)
        return paths[pk]

    for pk in rows:
        path_of(pk)
    return paths


def _in_bank_order(
    questions: Iterable[Question],
) -> list[tuple[tuple[str, ...] | None, Question]]:
    """Uncategorised questions first (GIFT cannot go back to none), then by path."""
    paths = category_paths()
    items = [
        (paths.get(question.category_id) if question.category_id else None, question)
        for question in questions
    ]
    return sorted(
        items, key=lambda item: (item[0] is not None, item[0] or (), item[1].pk)
    )


def _percent(weight: Decimal) -> str:
    return format((weight * 100).normalize(), "f")


def _path_text(path: tuple[str, ...]) -> str:
    return "/".join(" ".join(name.replace("/", "//").split()) for name in path)


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for special in "~=#{}:":
        text = text.replace(special, "\\" + special)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _gift_text(text: str) -> str:
    escaped = _escape(text.strip())
    # A line starting "[" or "//" would read back as a format marker or a comment.
    return "[plain]" + escaped if escaped.startswith(("[", "//")) else escaped


def _gift_question(question: Question) -> str:
    options = sorted(question.options.all(), key=lambda option: option.sort_order)
    general = (
        f"####{_gift_text(question.explanation)}"
        if question.explanation.strip()
        else ""
    )
    if question.kind == QuestionKind.ESSAY:
        return f"{_gift_text(question.text)} {{{general}}}"
    if question.kind == QuestionKind.TRUE_FALSE:
        true, false = (options + [None, None])[:2]
        is_true = bool(true and true.weight > 0)
        right, wrong = (true, false) if is_true else (false, true)
        if_right = _gift_text(right.feedback) if right else ""
        if_wrong = _gift_text(wrong.feedback) if wrong else ""
        feedback = (
            f"#{if_wrong}#{if_right}"
            if if_right
            else (f"#{if_wrong}" if if_wrong else "")
        )
        answer = "TRUE" if is_true else "FALSE"
        return f"{_gift_text(question.text)} {{{answer}{feedback}{general}}}"
    lines = [f"{_gift_text(question.text)} {{"]
    for option in options:
        text = _gift_text(option.text)
        # A text starting with % would read back as a weight: give it one first.
        explicit = text.startswith("%")
        if not question.several_correct and option.weight == 1:
            prefix = "=%100%" if explicit else "="
        elif option.weight or explicit:
            prefix = f"~%{_percent(option.weight)}%"
        else:
            prefix = "~"
        feedback = f"#{_gift_text(option.feedback)}" if option.feedback.strip() else ""
        lines.append(f"\t{prefix}{text}{feedback}")
    if general:
        lines.append(f"\t{general}")
    lines.append("}")
    return "\n".join(lines)


def export_gift(questions: Iterable[Question]) -> str:
    """GIFT text for `questions`, which Moodle and `import_questions` read back.

    Images and case scenarios are not part of GIFT and are left out.
    """
    parts, current = [], None
    for path, question in _in_bank_order(questions):
        if path is not None and path != current:
            parts.append(f"$CATEGORY: $course$/top/{_path_text(path)}")
            current = path
        parts.append(_gift_question(question))
    return "\n\n".join(parts) + "\n" if parts else ""


def export_csv(questions: Iterable[Question]) -> str:
    """The CSV layout of `csv_header` for `questions`; `import_questions` reads it."""
    items = _in_bank_order(questions)
    slots = max(
        [CSV_OPTION_SLOTS, *(len(question.options.all()) for _, question in items)]
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(slots))
    for path, question in items:
        row = [
            _path_text(path) if path else "",
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
                _percent(option.weight),
                option.feedback.strip(),
            ]
        row += [""] * (3 * (slots - len(options)))
        writer.writerow(csv_row(row))
    return out.getvalue()
