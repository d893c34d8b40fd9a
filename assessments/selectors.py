"""What the trainee's quiz pages read."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth

from wagtail.images.models import Image

from learning.models import Cohort, User

from .choices import FeedbackTiming, QuestionKind, SittingStatus
from .grading import attempts_left, can_take
from .models import Answer, Quiz, Sitting, SittingQuestion


@dataclass
class QuizState:
    """One person's standing in one quiz."""

    quiz: Quiz
    sittings: list[Sitting]
    attempts_left: int | None

    @property
    def open_sitting(self) -> Sitting | None:
        return next(
            (s for s in self.sittings if s.status == SittingStatus.IN_PROGRESS), None
        )

    @property
    def best(self) -> Sitting | None:
        scored = [s for s in self.sittings if s.percent is not None]
        return max(scored, key=lambda s: s.percent) if scored else None

    @property
    def passed(self) -> bool:
        return any(s.passed for s in self.sittings)

    @property
    def can_start(self) -> bool:
        return self.open_sitting is None and self.attempts_left != 0


def quiz_state(user: User, quiz: Quiz) -> QuizState:
    sittings = list(
        Sitting.objects.filter(user=user, quiz=quiz).order_by("-started_at")
    )
    return QuizState(quiz, sittings, attempts_left(user=user, quiz=quiz))


def module_quizzes(request, module) -> dict | None:
    """The module page's quiz section (registered with modules.sections)."""
    user = request.user
    quizzes = [
        quiz
        for quiz in Quiz.objects.filter(module=module, draft=False).select_related(
            "module"
        )
        if can_take(user, quiz)
    ]
    if not quizzes:
        return None
    return {"states": [quiz_state(user, quiz) for quiz in quizzes]}


@dataclass
class ReviewItem:
    item: SittingQuestion
    answer: Answer | None
    show_answers: bool
    image: Image | None = None

    @property
    def options(self) -> list[dict]:
        chosen = set(self.answer.chosen) if self.answer else set()
        return [
            {
                **option,
                "chosen": option["id"] in chosen,
                "correct": Decimal(option["weight"]) > 0,
            }
            for option in self.item.snapshot["options"]
        ]

    @property
    def is_essay(self) -> bool:
        return self.item.kind == QuestionKind.ESSAY

    @property
    def folds(self) -> bool:
        """A right answer in a review whose answers are shown folds to one
        line; wrong, partly right and essay answers stay open."""
        return self.show_answers and not self.is_essay and self.percent == 100

    @property
    def percent(self) -> int | None:
        if self.answer is None:
            return 0
        if self.answer.mark is None:
            return None
        return int(self.answer.mark * 100)


def sitting_review(sitting: Sitting) -> list[ReviewItem]:
    """Every question of a finished sitting with the person's answer; right
    answers and explanations only where the quiz shows them."""
    show = sitting.feedback != FeedbackTiming.NEVER and sitting.quiz.keep_paper
    items = list(
        SittingQuestion.objects.filter(sitting=sitting)
        .select_related("answer")
        .order_by("position")
    )
    images = Image.objects.in_bulk(
        [item.snapshot["image_id"] for item in items if item.snapshot.get("image_id")]
    )
    return [
        ReviewItem(
            item,
            getattr(item, "answer", None),
            show,
            images.get(item.snapshot.get("image_id")),
        )
        for item in items
    ]


def essay_markers(*, sitting: Sitting) -> list[User]:
    """Who marks the essays of `sitting`: the facilitators of the person's
    cohorts (any staff who can see them may; these are the ones to ask)."""
    cohorts = Cohort.objects.filter(enrolments__trainee_id=sitting.user_id)
    return list(
        User.objects.filter(facilitated_cohorts__in=cohorts, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def question_image(item: SittingQuestion) -> Image | None:
    """The picture the question was drawn with, if it still exists."""
    image_id = item.snapshot.get("image_id")
    return Image.objects.filter(pk=image_id).first() if image_id else None


def feedback_for(item: SittingQuestion, answer: Answer) -> ReviewItem:
    return ReviewItem(item, answer, True, question_image(item))


def category_progress(user: User) -> list[dict]:
    """Per category, the person's average mark month by month (scored answers)."""
    rows = (
        Answer.objects.filter(
            sitting_question__sitting__user=user,
            mark__isnull=False,
        )
        .exclude(sitting_question__sitting__status=SittingStatus.IN_PROGRESS)
        .annotate(month=TruncMonth("sitting_question__sitting__finished_at"))
        .values("sitting_question__category__name", "month")
        .annotate(average=Avg("mark"), answered=Count("pk"))
        .order_by("sitting_question__category__name", "month")
    )
    by_category = defaultdict(list)
    for row in rows:
        name = row["sitting_question__category__name"] or ""
        by_category[name].append(
            {
                "month": row["month"],
                "percent": round(float(row["average"]) * 100),
                "answered": row["answered"],
            }
        )
    return [
        {"category": name, "months": months} for name, months in by_category.items()
    ]
