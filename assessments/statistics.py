"""What facilitators read about quizzes: results per person, item statistics,
and which essays wait for them.

Every reader here is bounded: a fixed number of queries however many sittings
there are (rows are fetched once and added up in Python). Everything about
people goes through `learning.scope.people_visible_to`.

Item statistics follow classical test theory:

- *Facility* (tingkat kemudahan): the mean mark on the question, 0 to 1,
  over the sittings whose paper had it; a question left unanswered counts 0.
- *Discrimination* (daya beda): rank the finished sittings that had the
  question by their total (score / max score), take the top and bottom 27%
  (rounded half up), and subtract the lower group's facility from the upper
  group's. Equal totals are ranked by sitting (a later sitting ranks
  higher), so both groups always hold exactly that many sittings. With fewer
  than two sittings per group (fewer than six sittings) it is None: too few
  to say anything.
- Sittings count once they are handed in: finished ones, and those still
  waiting for an essay to be marked, except for that essay itself, which has
  no mark yet. Their total is not final either, so discrimination uses only
  finished sittings. Sittings still in progress never count.
- Questions are grouped by the bank question they were drawn from; a question
  deleted from the bank since is grouped by the text it had. Its text and
  option labels are those of its most recent sitting.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from learning.models import Cohort, Enrolment, User
from learning.scope import people_visible_to

from .choices import QuestionKind, SittingStatus
from .grading import essays_awaiting_marking
from .models import Answer, Quiz, Sitting, SittingQuestion

# --- item statistics -------------------------------------------------------------

GROUP_SHARE = Decimal("0.27")  # the classic upper and lower groups
MIN_GROUP = 2  # sittings per group before discrimination means anything
TOO_EASY_ABOVE = 0.9
TOO_HARD_BELOW = 0.3
LOW_DISCRIMINATION_BELOW = 0.2


@dataclass(frozen=True)
class OptionCount:
    """How many people chose one option of a question."""

    id: str
    text: str
    weight: Decimal
    count: int
    share: float | None  # of those who answered the question

    @property
    def is_correct(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True)
class ItemStats:
    """How one question did across the sittings counted."""

    question_id: int | None  # None when the question was deleted from the bank
    text: str
    kind: str
    seen: int  # sittings counted whose paper had the question: its responses
    answered: int
    facility: float | None
    discrimination: float | None
    options: tuple[OptionCount, ...] = ()

    @property
    def unanswered(self) -> int:
        return self.seen - self.answered

    @property
    def is_essay(self) -> bool:
        return self.kind == QuestionKind.ESSAY

    @property
    def kind_label(self) -> str:
        try:
            return QuestionKind(self.kind).label
        except ValueError:
            return self.kind

    @property
    def responses(self) -> int:
        """Sittings counted for the question; a blank answer is one, marked 0."""
        return self.seen

    @property
    def min_responses(self) -> int:
        return min_responses_for_flags()

    @property
    def has_enough_responses(self) -> bool:
        return self.responses >= self.min_responses

    @property
    def flags(self) -> list[str]:
        """Plain-language warnings a facilitator can act on.

        None before `min_responses`: five sittings cannot show a question is
        too hard.
        """
        if not self.has_enough_responses or self.facility is None:
            return []
        flags = []
        if self.facility > TOO_EASY_ABOVE:
            flags.append(_("terlalu mudah"))
        elif self.facility < TOO_HARD_BELOW:
            flags.append(_("terlalu sulit"))
        if (
            self.discrimination is not None
            and self.discrimination < LOW_DISCRIMINATION_BELOW
        ):
            flags.append(_("daya beda rendah"))
        return flags


@dataclass
class _Seen:
    """One counted sitting's encounter with one question."""

    sitting_id: int
    finished: bool
    total: Decimal  # the sitting's share of its full mark, for ranking
    mark: Decimal
    answered: bool
    chosen: list[str]


@dataclass
class _Item:
    question_id: int | None
    kind: str
    text: str = ""
    positions: list[int] = field(default_factory=list)
    seen: list[_Seen] = field(default_factory=list)
    options: dict[str, tuple[str, Decimal]] = field(default_factory=dict)


def min_responses_for_flags() -> int:
    """Sittings a question needs before it is called too easy, too hard or weak.

    `PENDAMPING_ITEM_STATS_MIN_RESPONSES` (20 unless set): with fewer, one
    trainee swings the facility too far to judge the question.
    """
    return settings.PENDAMPING_ITEM_STATS_MIN_RESPONSES


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _discrimination(seen: list[_Seen]) -> float | None:
    ranked = sorted(
        (one for one in seen if one.finished),
        key=lambda one: (one.total, one.sitting_id),
    )
    size = int((GROUP_SHARE * len(ranked)).quantize(Decimal(1), ROUND_HALF_UP))
    if size < MIN_GROUP:
        return None
    lower, upper = ranked[:size], ranked[-size:]
    return float(
        _mean([one.mark for one in upper]) - _mean([one.mark for one in lower])
    )


def _option_order(option_id: str) -> tuple[int, str]:
    return (int(option_id), "") if option_id.isdigit() else (0, option_id)


def _item_stats(item: _Item) -> ItemStats:
    answered = [one for one in item.seen if one.answered]
    chosen = defaultdict(int)
    for one in answered:
        for option_id in set(one.chosen):
            chosen[option_id] += 1
    options = tuple(
        OptionCount(
            id=option_id,
            text=text,
            weight=weight,
            count=chosen[option_id],
            share=chosen[option_id] / len(answered) if answered else None,
        )
        for option_id, (text, weight) in sorted(
            item.options.items(), key=lambda pair: _option_order(pair[0])
        )
    )
    return ItemStats(
        question_id=item.question_id,
        text=item.text,
        kind=item.kind,
        seen=len(item.seen),
        answered=len(answered),
        facility=(float(_mean([one.mark for one in item.seen])) if item.seen else None),
        discrimination=_discrimination(item.seen),
        options=options,
    )


def item_statistics(
    *, quiz: Quiz, sittings: QuerySet[Sitting] | None = None
) -> list[ItemStats]:
    """Facility, discrimination and option counts of every question of `quiz`.

    `sittings` narrows the sittings counted (to a scope, a cohort); by default
    every handed-in sitting of the quiz counts. Questions come in the order
    they were shown on average. One query, whatever the number of sittings.
    """
    counted = (Sitting.objects.all() if sittings is None else sittings).filter(
        quiz=quiz,
        status__in=[SittingStatus.FINISHED, SittingStatus.AWAITING_MARKING],
    )
    rows = (
        SittingQuestion.objects.filter(sitting__in=counted.values("pk"))
        .order_by("sitting_id", "position")
        .values_list(
            "sitting_id",
            "sitting__status",
            "sitting__score",
            "sitting__max_score",
            "question_id",
            "kind",
            "position",
            "snapshot",
            "answer__id",
            "answer__chosen",
            "answer__mark",
        )
    )
    items: dict[object, _Item] = {}
    for (
        sitting_id,
        status,
        score,
        max_score,
        question_id,
        kind,
        position,
        snapshot,
        answer_id,
        chosen,
        mark,
    ) in rows:
        finished = status == SittingStatus.FINISHED
        if kind == QuestionKind.ESSAY and not finished:
            continue  # not marked yet
        text = snapshot.get("text", "")
        key = question_id if question_id is not None else ("deleted", text)
        item = items.setdefault(key, _Item(question_id=question_id, kind=kind))
        # Rows come oldest sitting first: the most recent wording wins.
        item.text = text
        for option in snapshot.get("options", []):
            item.options[option["id"]] = (option["text"], Decimal(option["weight"]))
        item.positions.append(position)
        item.seen.append(
            _Seen(
                sitting_id=sitting_id,
                finished=finished,
                total=score / max_score if max_score else Decimal(0),
                mark=mark if mark is not None else Decimal(0),
                answered=answer_id is not None,
                chosen=[str(option_id) for option_id in (chosen or [])],
            )
        )
    ordered = sorted(
        items.values(),
        key=lambda item: (sum(item.positions) / len(item.positions), item.text),
    )
    return [_item_stats(item) for item in ordered]


def sittings_in_scope(
    *, actor: User, quiz: Quiz | None = None, cohort: Cohort | None = None
) -> QuerySet[Sitting]:
    """Sittings of people `actor` may see; of one quiz, of one cohort's trainees."""
    sittings = Sitting.objects.filter(user__in=people_visible_to(actor))
    if quiz is not None:
        sittings = sittings.filter(quiz=quiz)
    if cohort is not None:
        sittings = sittings.filter(
            user__in=Enrolment.objects.filter(cohort=cohort).values("trainee")
        )
    return sittings


# --- results -------------------------------------------------------------------


@dataclass(frozen=True)
class QuizResult:
    """One person's standing in one quiz, over all their attempts."""

    person: User
    quiz: Quiz
    attempts: int = 0
    latest_status: str | None = None
    latest_percent: int | None = None
    best_percent: int | None = None
    passed: bool | None = None  # True once any attempt passed; None until scored
    finished_at: datetime | None = None  # of the latest attempt handed in

    @property
    def status_label(self) -> str:
        if self.latest_status is None:
            return _("Belum mengerjakan")
        return SittingStatus(self.latest_status).label

    @property
    def passed_label(self) -> str:
        if self.passed is None:
            return ""
        return _("Lulus") if self.passed else _("Belum lulus")


def result_people(
    *, actor: User, quiz: Quiz | None = None, cohort: Cohort | None = None
) -> QuerySet[User]:
    """The people a result table lists, by name, all within `actor`'s scope.

    For a cohort: all its trainees, also those who have not sat a quiz yet.
    Otherwise: everyone who has sat `quiz` (or any quiz).
    """
    people = people_visible_to(actor)
    if cohort is not None:
        people = people.filter(
            pk__in=Enrolment.objects.filter(cohort=cohort).values("trainee")
        )
    else:
        sat = (
            Sitting.objects.all() if quiz is None else Sitting.objects.filter(quiz=quiz)
        )
        people = people.filter(pk__in=sat.values("user"))
    return people.order_by("first_name", "last_name", "username")


def result_quizzes(*, actor: User, cohort: Cohort | None = None) -> QuerySet[Quiz]:
    """Quizzes someone in `actor`'s scope (and in `cohort`) has sat, by title."""
    sittings = sittings_in_scope(actor=actor, cohort=cohort)
    return Quiz.objects.filter(pk__in=sittings.values("quiz")).order_by("title")


def results_for(
    *,
    actor: User,
    quiz: Quiz | None = None,
    cohort: Cohort | None = None,
    people: list[User] | None = None,
) -> list[QuizResult]:
    """Result rows, person by person and quiz by quiz, empty cells included.

    `people` (a page of `result_people`) limits the rows; it is still checked
    against the scope. Three queries at most.
    """
    if people is None:
        people = list(result_people(actor=actor, quiz=quiz, cohort=cohort))
    quizzes = (
        [quiz] if quiz is not None else list(result_quizzes(actor=actor, cohort=cohort))
    )
    if not people or not quizzes:
        return []
    rows = (
        sittings_in_scope(actor=actor)
        .filter(
            user_id__in=[person.pk for person in people],
            quiz_id__in=[one.pk for one in quizzes],
        )
        .order_by("user_id", "quiz_id", "attempt")
        .values_list("user_id", "quiz_id", "status", "percent", "passed", "finished_at")
    )
    found: dict[tuple[int, int], dict] = {}
    for user_id, quiz_id, status, percent, passed, finished_at in rows:
        entry = found.setdefault(
            (user_id, quiz_id), {"attempts": 0, "best_percent": None, "passed": None}
        )
        entry["attempts"] += 1
        # Ordered by attempt: the last row is the latest attempt.
        entry["latest_status"] = status
        entry["latest_percent"] = percent
        if finished_at is not None:
            entry["finished_at"] = finished_at
        if percent is not None:
            entry["best_percent"] = max(entry["best_percent"] or 0, percent)
        if passed is not None:
            entry["passed"] = bool(entry["passed"]) or passed
    return [
        QuizResult(person=person, quiz=one, **found.get((person.pk, one.pk), {}))
        for person in people
        for one in quizzes
    ]


def quizzes_with_counts(*, actor: User) -> QuerySet[Quiz]:
    """Every quiz, with how many people in scope sat it and essays waiting."""
    mine = Q(sittings__user__in=people_visible_to(actor))
    return Quiz.objects.annotate(
        people_count=Count("sittings__user", filter=mine, distinct=True),
        handed_in_count=Count(
            "sittings", filter=mine & ~Q(sittings__status=SittingStatus.IN_PROGRESS)
        ),
        awaiting_count=Count(
            "sittings",
            filter=mine & Q(sittings__status=SittingStatus.AWAITING_MARKING),
        ),
    ).order_by("title")


def cohorts_with_counts(*, cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.annotate(trainee_count=Count("enrolments")).order_by(
        "-start_date", "name"
    )


# --- essays to mark ---------------------------------------------------------------


def markable_essays(*, actor: User) -> QuerySet[Answer]:
    """Essay answers `actor` may mark or re-mark: handed in, by people in scope."""
    return (
        Answer.objects.filter(
            sitting_question__kind=QuestionKind.ESSAY,
            sitting_question__sitting__user__in=people_visible_to(actor),
        )
        .exclude(sitting_question__sitting__status=SittingStatus.IN_PROGRESS)
        .select_related(
            "sitting_question__sitting__user", "sitting_question__sitting__quiz"
        )
    )


def essay_queue(*, actor: User) -> QuerySet[Answer]:
    """Unmarked essays of people in `actor`'s scope, the longest waiting first."""
    return (
        essays_awaiting_marking()
        .filter(sitting_question__sitting__user__in=people_visible_to(actor))
        .select_related(
            "sitting_question__sitting__user", "sitting_question__sitting__quiz"
        )
        .order_by(
            "sitting_question__sitting__finished_at",
            "sitting_question__sitting_id",
            "sitting_question__position",
        )
    )
