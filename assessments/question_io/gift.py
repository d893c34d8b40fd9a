"""Moodle's GIFT text format: reading it into questions, and writing it.

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

A file written by `export_gift` reads back here unchanged.
"""

import html
import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from ..choices import QuestionKind
from ..models import Question
from .exporting import in_bank_order, path_text
from .parsed import (
    FALSE_LABEL,
    TRUE_LABEL,
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    category_errors,
    choice_weight_error,
    option_length_errors,
    percent_text,
    text_length_errors,
    weight_from_percent,
)

BLANK = "_____"
GIFT_EXTENSIONS = (".gift", ".txt")
# One GIFT question with its answers, as written in the file.
QUESTION_SOURCE_MAX_LENGTH = 50_000

GiftResult = ParseResult

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


def _stray_closing_brace() -> str:
    return _("Ada %(closing)s tanpa %(opening)s pembukanya.") % {
        "opening": "{",
        "closing": "}",
    }


def _unsupported(what: str) -> str:
    return _("jenis soal ini belum didukung (%(kind)s).") % {"kind": what}


def _too_long(limit: int) -> str:
    return _("Soal ini lebih dari %(max)s huruf.") % {"max": limit}


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
            result.errors.extend((number, error) for error in category_errors(path))
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
    for problem in text_length_errors(question):
        errors.append((block.first_line, problem))

    answers, base = source[opening + 1 : closing], opening + 1
    general = _find(answers, "####")
    if general >= 0:
        question.explanation = _clean(answers[general + 4 :], text_format)
        answers = answers[:general]
        for problem in text_length_errors(
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
            parsed = weight_from_percent(match.group(1)) if match else None
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
        for error in option_length_errors(option):
            errors.append((line, error))
            ok = False
        question.options.append(option)
    if not ok:
        return False
    question.several_correct = not any(answers[start] == "=" for start in starts)
    problem = choice_weight_error(question.options, question.several_correct)
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
    length_errors = [e for o in question.options for e in option_length_errors(o)]
    errors.extend((line, error) for error in length_errors)
    return not length_errors


# --- writing GIFT -------------------------------------------------------------


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
            prefix = f"~%{percent_text(option.weight)}%"
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
    for path, question in in_bank_order(questions):
        if path is not None and path != current:
            parts.append(f"$CATEGORY: $course$/top/{path_text(path)}")
            current = path
        parts.append(_gift_question(question))
    return "\n\n".join(parts) + "\n" if parts else ""
