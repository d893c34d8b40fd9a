"""Questions and quizzes for tests."""

import itertools
from decimal import Decimal

import factory

from assessments.choices import QuestionKind, QuizMode
from assessments.models import AnswerOption, Category, Question, Quiz, QuizQuestion

_slugs = itertools.count(1)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name", "parent")

    name = factory.Sequence(lambda n: f"Kategori {n}")
    parent = None


def choice_question(
    text="Siapa yang boleh mendampingi korban?",
    *,
    options=None,
    category=None,
    several_correct=False,
    explanation="",
    scenario=None,
):
    """A multiple-choice question; `options` is [(text, weight)], first right."""
    options = options or [("Pendamping terlatih", 1), ("Siapa saja", 0), ("Pelaku", 0)]
    question = Question.objects.create(
        kind=QuestionKind.MULTIPLE_CHOICE,
        text=text,
        category=category,
        several_correct=several_correct,
        explanation=explanation or "Pendamping perlu pelatihan.",
        scenario=scenario,
    )
    for order, (option_text, weight) in enumerate(options):
        AnswerOption.objects.create(
            question=question,
            text=option_text,
            weight=Decimal(str(weight)),
            sort_order=order,
            feedback=f"Umpan balik {option_text}",
        )
    return question


def true_false_question(
    text="Kasus kekerasan seksual boleh didamaikan.", *, true=False, category=None
):
    question = Question.objects.create(
        kind=QuestionKind.TRUE_FALSE,
        text=text,
        category=category,
        explanation="UU TPKS pasal 23.",
    )
    AnswerOption.objects.create(
        question=question, text="Benar", weight=1 if true else 0, sort_order=0
    )
    AnswerOption.objects.create(
        question=question, text="Salah", weight=0 if true else 1, sort_order=1
    )
    return question


def essay_question(text="Ceritakan langkah pertamamu.", *, category=None):
    return Question.objects.create(
        kind=QuestionKind.ESSAY, text=text, category=category
    )


def quiz_with(questions, **fields) -> Quiz:
    fields.setdefault("title", "Kuis Uji")
    fields.setdefault("slug", f"kuis-uji-{next(_slugs)}")
    fields.setdefault("mode", QuizMode.GRADED)
    quiz = Quiz.objects.create(**fields)
    for order, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz
