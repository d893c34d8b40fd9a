"""The small curriculum `generate_province` builds its synthetic records on."""

from assessments.choices import QuizMode
from assessments.models import Competency, QuestionPool

from .assessments import (
    CategoryFactory,
    choice_question,
    essay_question,
    quiz_with,
    true_false_question,
)
from .modules import module_with_lessons, training_tree


def province_curriculum() -> None:
    """Two core modules, a graded quiz with an essay, a practice quiz drawing
    from a bank, two competencies."""
    training_tree()
    first = module_with_lessons(lessons=3, title="Modul Satu", is_core=True)
    module_with_lessons(lessons=2, title="Modul Dua", is_core=True)
    bank = CategoryFactory(name="Bank latihan")
    questions = [
        choice_question(category=bank),
        true_false_question(category=bank),
        essay_question(category=bank),
    ]
    quiz_with(questions, module=first, mode=QuizMode.GRADED, attempt_limit=3)
    practice = quiz_with([], title="Latihan", mode=QuizMode.PRACTICE)
    QuestionPool.objects.create(quiz=practice, category=bank, count=2)
    for number in (1, 2):
        Competency.objects.create(
            name=f"Kompetensi {number}", description="-", criteria="-"
        )
