"""Importing a GIFT or CSV file into the question bank: all of it, or nothing.

Every question is checked first, each problem is reported with the line it is
on, and only a file without problems is written, in one transaction, so there
is never half an import to clean up.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _

from learning import audit
from learning.choices import AuditAction
from learning.spreadsheets import SheetRefused, read_sheet, read_text

from ..models import AnswerOption, Category, Question
from .gift import GIFT_EXTENSIONS, parse_gift
from .parsed import LIMITS, Line, ParsedQuestion, category_errors, split_category
from .spreadsheet import CSV_EXTENSIONS, parse_csv_rows


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


def file_format(filename: str) -> str | None:
    """ "gift" or "csv" by the file's extension; None for anything else."""
    name = filename.lower()
    if name.endswith(GIFT_EXTENSIONS):
        return "gift"
    if name.endswith(CSV_EXTENSIONS):
        return "csv"
    return None


def import_questions(
    *,
    content: bytes,
    filename: str,
    category_name: str | None = None,
    actor=None,
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
    default = split_category(category_name or "")
    errors[:0] = [(None, error) for error in category_errors(default or ())]
    if not parsed.questions and not errors:
        errors.append((None, _("Berkas ini tidak berisi soal.")))
    if errors:
        return ImportReport(errors=errors)

    report = ImportReport()
    categories: dict[tuple[str, ...], Category] = {}
    with transaction.atomic():
        _one_import_at_a_time()
        for item in parsed.questions:
            path = item.category or default
            category = _category_at(path, categories) if path else None
            if Question.objects.filter(
                category=category, kind=item.kind, text=item.text
            ).exists():
                report.skipped += 1
                continue
            report.created.append(save_question(item, category=category))
        if report.created:
            audit.record(
                AuditAction.QUESTIONS_IMPORTED,
                actor=actor,
                target_label=f"Impor soal ({len(report.created)} soal)",
                detail={
                    "created": len(report.created),
                    "skipped": report.skipped,
                    "format": kind,
                },
            )
    return report


# The number that names the question import's lock on PostgreSQL (any fixed one).
IMPORT_LOCK = 5_301_021


def _one_import_at_a_time() -> None:
    """Wait for any other import to finish before looking for questions already
    in the bank: two copies of one file (a double click, a re-sent form) would
    otherwise both find a question missing and both add it. SQLite's
    IMMEDIATE transactions already take the write lock at their start;
    PostgreSQL takes this lock until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


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
    for name in split_category(path) or ():
        category = Category.objects.filter(name=name, parent=category).first()
        if category is None:
            return None
    return category
