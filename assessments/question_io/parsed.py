"""A question read from a file, not yet saved, and what makes it savable.

The GIFT and CSV readers both produce `ParsedQuestion`s with their problems by
line; `question_problems` is the one check of a whole question, which the
demo's curriculum files use too.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from learning.spreadsheets import Limits

from ..choices import QuestionKind
from ..models import AnswerOption, Category

OPTION_MAX_LENGTH = AnswerOption._meta.get_field("text").max_length
FEEDBACK_MAX_LENGTH = AnswerOption._meta.get_field("feedback").max_length
CATEGORY_MAX_LENGTH = Category._meta.get_field("name").max_length
# The true/false options as stored: content, in the bank's language.
TRUE_LABEL = "Benar"
FALSE_LABEL = "Salah"
WEIGHT_STEP = Decimal("0.00001")
# Weights of several right answers may add up to 99.999 (3 × 33.333).
WEIGHT_TOLERANCE = Decimal("0.01")

# A question's text and its explanation; longer is not a quiz question.
TEXT_MAX_LENGTH = 10_000
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


def split_category(value: str) -> tuple[str, ...] | None:
    """The names in "A/B", top first ("//" in a name is "/"); None for none."""
    names = [
        name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", value)
    ]
    return tuple(name for name in names if name) or None


def category_errors(path: tuple[str, ...]) -> list[str]:
    return [
        _("Nama kategori lebih dari %(max)s huruf: %(name)s")
        % {"max": CATEGORY_MAX_LENGTH, "name": name}
        for name in path
        if len(name) > CATEGORY_MAX_LENGTH
    ]


def weight_from_percent(text: str) -> Decimal | None:
    """A weight (-1 to 1) from a percentage, or None when it is not one."""
    try:
        percent = Decimal(text.strip().rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not percent.is_finite() or not Decimal(-100) <= percent <= Decimal(100):
        return None
    return (percent / 100).quantize(WEIGHT_STEP, rounding=ROUND_HALF_UP)


def choice_weight_error(options: list[ParsedOption], several: bool) -> str | None:
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
        ) % {"total": percent_text(positive)}
    if select_all_mark(options) >= 1 - WEIGHT_TOLERANCE:
        return _(
            "Memilih semua jawaban mendapat nilai penuh. Beri jawaban yang salah "
            "bobot negatif, misalnya %(example)s, supaya menebak semua tidak lulus."
        ) % {"example": "~%-50%"}
    return None


def select_all_mark(options: list[ParsedOption]) -> Decimal:
    """The share of the mark (0 to 1) earned by ticking every option."""
    total = sum((option.weight for option in options), Decimal(0))
    return min(max(total, Decimal(0)), Decimal(1))


def percent_text(weight: Decimal) -> str:
    return format((weight * 100).normalize(), "f")


def text_length_errors(question: "ParsedQuestion") -> list[str]:
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


def option_length_errors(option: ParsedOption) -> list[str]:
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


def question_problem(question: ParsedQuestion) -> str | None:
    """Why a question read from a sheet or a curriculum file cannot be saved."""
    problems = question_problems(question)
    return problems[0] if problems else None


def question_problems(question: ParsedQuestion) -> list[str]:
    """Every reason a question read from a sheet or a file cannot be saved."""
    problems = []
    if not question.text:
        problems.append(_("Pertanyaan wajib diisi."))
    problems += text_length_errors(question)
    for option in question.options:
        problems += option_length_errors(option)
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
        problem = choice_weight_error(question.options, question.several_correct)
        if problem:
            problems.append(problem)
    return problems
