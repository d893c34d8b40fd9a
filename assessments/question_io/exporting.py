"""What both exports share: the questions to write, in the bank's own order.

Uncategorised questions come first (GIFT cannot go back to no category after
naming one), then category by category, each named by its path "A/B".
`gift.export_gift` and `spreadsheet.export_csv` write them out.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from ..models import Category, Question


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


def in_bank_order(
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


def path_text(path: tuple[str, ...]) -> str:
    return "/".join(" ".join(name.replace("/", "//").split()) for name in path)
