"""The quiz engine's rules: drawing a paper, answering, finishing, marking.

Grading happens only here, on the server. Every writer is safe to call twice
(a double tap, two tabs, an offline retry) and refuses, with a message a
trainee understands, anything outside the rules: a question not in the
sitting, a finished sitting, someone else's sitting.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning.identifiers import identifier_problems
from learning.models import User
from learning.scope import is_active_staff, is_signed_in, people_visible_to

from .choices import FeedbackTiming, QuestionKind, QuizMode, SittingStatus
from .models import Answer, Question, Quiz, Sitting, SittingQuestion


class QuizError(Exception):
    """A request the rules refuse; the message is for the person who made it."""


class IdentifyingAnswer(QuizError):
    """An essay answer holding a NIK, phone number, e-mail or card number."""


class UnansweredQuestions(QuizError):
    """Finishing now would score questions the person has not answered yet.

    Not a refusal: the person is asked, and finishes with `allow_unanswered`.
    """

    def __init__(self, *, positions: list[int]):
        self.count = len(positions)
        self.first_position = positions[0]
        super().__init__(
            ngettext(
                "Masih ada %(count)d soal yang belum dijawab. Kirim sekarang?",
                "Masih ada %(count)d soal yang belum dijawab. Kirim sekarang?",
                self.count,
            )
            % {"count": self.count}
        )


# --- access -----------------------------------------------------------------


def can_take(user: User, quiz: Quiz) -> bool:
    """May `user` take `quiz`? Its module's access rule decides, if it has one."""
    from modules.access import can_view_page

    if not is_signed_in(user) or quiz.draft:
        return False
    if quiz.module_id is not None:
        return quiz.module.live and can_view_page(user, quiz.module)
    return bool(user.is_superuser or user.roles)


def attempts_used(*, user: User, quiz: Quiz) -> int:
    return Sitting.objects.filter(user=user, quiz=quiz).count()


def attempts_left(*, user: User, quiz: Quiz) -> int | None:
    """How many more sittings `user` may start; None when unlimited."""
    if quiz.max_attempts is None:
        return None
    return max(quiz.max_attempts - attempts_used(user=user, quiz=quiz), 0)


# --- drawing the paper --------------------------------------------------------


def _draw_questions(quiz: Quiz, rng: random.Random) -> list[Question]:
    picked = [
        item.question
        for item in quiz.picked_questions.select_related("question").order_by(
            "sort_order"
        )
    ]
    chosen_ids = {question.pk for question in picked}
    drawn = []
    for pool in quiz.pools.select_related("category").order_by("sort_order"):
        candidates = list(
            Question.objects.filter(category_id__in=pool.category.with_descendants())
            .exclude(pk__in=chosen_ids)
            .order_by("pk")
        )
        sample = rng.sample(candidates, min(pool.count, len(candidates)))
        chosen_ids.update(question.pk for question in sample)
        drawn.extend(sample)
    questions = picked + drawn
    if quiz.random_order:
        questions = _shuffle_keeping_scenarios(questions, rng)
    if quiz.max_questions:
        questions = questions[: quiz.max_questions]
    return questions


def _shuffle_keeping_scenarios(questions: list[Question], rng) -> list[Question]:
    """Random order, but the questions about one case stay together."""
    groups: dict[object, list[Question]] = {}
    for question in questions:
        key = (
            ("scenario", question.scenario_id) if question.scenario_id else question.pk
        )
        groups.setdefault(key, []).append(question)
    blocks = list(groups.values())
    rng.shuffle(blocks)
    return [question for block in blocks for question in block]


def snapshot(question: Question, rng: random.Random) -> dict:
    """The question as this sitting will show and score it, whatever edits come."""
    options = [
        {
            "id": str(option.pk),
            "text": option.text,
            "weight": str(option.weight),
            "feedback": option.feedback,
        }
        for option in question.options.all()
    ]
    if question.shuffle_options:
        rng.shuffle(options)
    return {
        "text": question.text,
        "kind": question.kind,
        "explanation": question.explanation,
        "image_id": question.image_id,
        "several_correct": question.several_correct,
        "scenario": (
            {"title": question.scenario.title, "vignette": question.scenario.vignette}
            if question.scenario_id
            else None
        ),
        "options": options,
    }


def start_sitting(*, user: User, quiz: Quiz, seed: int | None = None) -> Sitting:
    """Resume the person's open sitting, or draw a new paper for them."""
    if not can_take(user, quiz):
        raise QuizError(_("Kuis ini tidak tersedia untukmu."))
    open_sitting = Sitting.objects.filter(
        user=user, quiz=quiz, status=SittingStatus.IN_PROGRESS
    ).first()
    if open_sitting is not None:
        return open_sitting
    left = attempts_left(user=user, quiz=quiz)
    if left == 0:
        raise QuizError(_("Kesempatan mengerjakan kuis ini sudah habis."))
    # Drawing questions is not a secret: a plain generator is right here.
    rng = random.Random(seed)  # noqa: S311
    questions = _draw_questions(quiz, rng)
    if not questions:
        raise QuizError(_("Kuis ini belum berisi soal."))
    now = timezone.now()
    try:
        with transaction.atomic():
            sitting = Sitting.objects.create(
                user=user,
                quiz=quiz,
                attempt=attempts_used(user=user, quiz=quiz) + 1,
                mode=quiz.mode,
                feedback=quiz.feedback,
                pass_mark=quiz.pass_mark,
                started_at=now,
                deadline=(
                    now + timedelta(minutes=quiz.time_limit_minutes)
                    if quiz.time_limit_minutes and quiz.is_graded
                    else None
                ),
                max_score=len(questions),
            )
            SittingQuestion.objects.bulk_create(
                SittingQuestion(
                    sitting=sitting,
                    position=position,
                    question=question,
                    category_id=question.category_id,
                    kind=question.kind,
                    snapshot=snapshot(question, rng),
                )
                for position, question in enumerate(_with_options(questions), start=1)
            )
    except IntegrityError:
        # Another tab started it a moment ago: use that one.
        return Sitting.objects.get(
            user=user, quiz=quiz, status=SittingStatus.IN_PROGRESS
        )
    return sitting


def _with_options(questions: list[Question]) -> list[Question]:
    by_id = {
        question.pk: question
        for question in Question.objects.filter(
            pk__in=[question.pk for question in questions]
        )
        .select_related("scenario")
        .prefetch_related("options")
    }
    return [by_id[question.pk] for question in questions]


# --- answering ------------------------------------------------------------------


def current_question(sitting: Sitting) -> SittingQuestion | None:
    """Where the person stopped: the first question without an answer."""
    return sitting.questions.filter(answer__isnull=True).order_by("position").first()


def _check_open(sitting: Sitting, user: User) -> None:
    if sitting.user_id != user.pk:
        raise QuizError(_("Percobaan kuis ini bukan milikmu."))
    if sitting.status != SittingStatus.IN_PROGRESS:
        raise QuizError(_("Percobaan ini sudah selesai; jawaban tidak dapat diubah."))
    if sitting.deadline and timezone.now() > sitting.deadline:
        finish_sitting(sitting=sitting, user=user)
        raise QuizError(
            _("Waktu kuis sudah habis. Jawaban yang tersimpan sudah dinilai.")
        )


def mark_for(snapshot_data: dict, chosen: list[str]) -> Decimal:
    """The share of the full mark that `chosen` options earn (0 to 1)."""
    weights = {
        option["id"]: Decimal(option["weight"]) for option in snapshot_data["options"]
    }
    total = sum((weights[option_id] for option_id in chosen), Decimal(0))
    return min(max(total, Decimal(0)), Decimal(1))


@dataclass
class AnswerResult:
    answer: Answer
    show_feedback: bool


def submit_answer(
    *,
    sitting: Sitting,
    user: User,
    position: int,
    chosen: list[str] | None = None,
    text: str = "",
) -> AnswerResult:
    """Save (or, where the quiz allows, change) the answer to one question."""
    _check_open(sitting, user)
    item = sitting.questions.filter(position=position).first()
    if item is None:
        raise QuizError(
            _("Soal nomor %(number)s tidak ada di kuis ini.") % {"number": position}
        )
    chosen = [str(option_id) for option_id in (chosen or [])]
    values = {"chosen": [], "text": "", "mark": None}
    if item.kind == QuestionKind.ESSAY:
        text = text.strip()
        if not text:
            raise QuizError(_("Tulis jawabanmu dulu."))
        # An essay may discuss the quiz's invented "Mama Welmi", but no one's
        # NIK, phone number, e-mail address or card number.
        if problems := identifier_problems(text):
            raise IdentifyingAnswer(" ".join(problems))
        values["text"] = text
    else:
        known = {option["id"] for option in item.snapshot["options"]}
        if not chosen or not set(chosen) <= known:
            raise QuizError(_("Pilih salah satu jawaban yang tersedia."))
        if len(chosen) > 1 and not item.snapshot["several_correct"]:
            raise QuizError(_("Soal ini hanya memiliki satu jawaban."))
        values["chosen"] = sorted(set(chosen))
        values["mark"] = mark_for(item.snapshot, values["chosen"])
    immediate = sitting.mode == QuizMode.PRACTICE or (
        sitting.feedback == FeedbackTiming.AFTER_EACH
    )
    with transaction.atomic():
        existing = (
            Answer.objects.select_for_update().filter(sitting_question=item).first()
        )
        if existing is not None:
            if existing.chosen == values["chosen"] and existing.text == values["text"]:
                return AnswerResult(existing, immediate)  # the same answer again
            if sitting.mode == QuizMode.GRADED and immediate:
                raise QuizError(
                    _(
                        "Jawaban soal ini sudah dikunci karena pembahasannya "
                        "sudah tampil."
                    )
                )
            for field, value in values.items():
                setattr(existing, field, value)
            existing.tries += 1
            existing.answered_at = timezone.now()
            existing.save()
            return AnswerResult(existing, immediate)
        try:
            with transaction.atomic():
                answer = Answer.objects.create(sitting_question=item, **values)
        except IntegrityError:  # the same tap, arriving twice at once
            answer = Answer.objects.get(sitting_question=item)
    return AnswerResult(answer, immediate)


# --- finishing and marking ------------------------------------------------------


def finish_sitting(
    *, sitting: Sitting, user: User, allow_unanswered: bool = True
) -> Sitting:
    """End the sitting and score it; a second finish returns the first result.

    A person finishing by hand passes `allow_unanswered=False` until they have
    confirmed: with questions still unanswered, an open sitting whose time is
    not up raises `UnansweredQuestions` (a tap on "Selesai" at question 1
    must not score 0 % and use an attempt without a word).
    """
    if sitting.user_id != user.pk:
        raise QuizError(_("Percobaan kuis ini bukan milikmu."))
    time_is_up = sitting.deadline is not None and timezone.now() > sitting.deadline
    if not allow_unanswered and sitting.is_open and not time_is_up:
        positions = list(
            sitting.questions.filter(answer__isnull=True)
            .order_by("position")
            .values_list("position", flat=True)
        )
        if positions:
            raise UnansweredQuestions(positions=positions)
    with transaction.atomic():
        # A conditional update, not select_for_update: SQLite ignores row
        # locks, and of two finishes at once exactly one sees its update
        # count as 1. The score is written in the same transaction, so a
        # finished sitting never stands without its score.
        won = Sitting.objects.filter(
            pk=sitting.pk, status=SittingStatus.IN_PROGRESS
        ).update(status=SittingStatus.AWAITING_MARKING, finished_at=timezone.now())
        if won:
            rescore(sitting_id=sitting.pk)
    sitting.refresh_from_db()
    return sitting


@dataclass(frozen=True)
class Tally:
    """A finished sitting's marks as they stand: all of them, or the part
    marked so far while essays wait for a facilitator.

    An unanswered question counts as marked, with nothing earned.
    """

    questions: int
    marked: int
    marked_score: Decimal
    essays_waiting: int
    essays_marked: int

    @property
    def is_final(self) -> bool:
        return self.essays_waiting == 0

    @property
    def marked_score_text(self) -> str:
        """The points earned, as a person writes them: "7", "6,5"."""
        text = f"{self.marked_score.quantize(Decimal('0.01')):f}".rstrip("0")
        return text.rstrip(".").replace(".", ",")


def _tally(items) -> Tally:
    score = Decimal(0)
    marked = waiting = essays_marked = 0
    for item in items:
        answer = getattr(item, "answer", None)
        if answer is not None and answer.mark is None:
            waiting += item.kind == QuestionKind.ESSAY
            continue
        marked += 1
        if answer is not None:
            score += answer.mark
            essays_marked += item.kind == QuestionKind.ESSAY
    return Tally(
        questions=len(items),
        marked=marked,
        marked_score=score,
        essays_waiting=waiting,
        essays_marked=essays_marked,
    )


def sitting_tally(*, sitting: Sitting) -> Tally:
    """The marks of `sitting` as they stand; the result page and the API
    report this, and `rescore` records it."""
    return _tally(
        SittingQuestion.objects.filter(sitting=sitting).select_related("answer")
    )


def rescore(*, sitting_id: int) -> Sitting:
    """Add up the marks; wait for essays still unmarked; record completion."""
    sitting = Sitting.objects.select_related("quiz").get(pk=sitting_id)
    tally = sitting_tally(sitting=sitting)
    score = tally.marked_score
    sitting.score = score
    sitting.max_score = tally.questions
    if not tally.is_final:
        sitting.status, sitting.percent, sitting.passed = (
            SittingStatus.AWAITING_MARKING,
            None,
            None,
        )
    else:
        percent = (Decimal(100) * score / max(tally.questions, 1)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        sitting.status = SittingStatus.FINISHED
        sitting.percent = int(percent)
        sitting.passed = sitting.percent >= sitting.pass_mark
    Sitting.objects.filter(pk=sitting.pk).exclude(
        status=SittingStatus.IN_PROGRESS
    ).update(
        score=sitting.score,
        max_score=sitting.max_score,
        status=sitting.status,
        percent=sitting.percent,
        passed=sitting.passed,
    )
    if sitting.passed and sitting.mode == QuizMode.GRADED and sitting.quiz.module_id:
        from modules.progress import update_module_completion

        update_module_completion(user=sitting.user, module=sitting.quiz.module)
    if sitting.passed and sitting.quiz.module_id:
        # A refresher quiz passed again may renew an alumna's certificate.
        from .certificate_renewal import renew_after_quiz

        renew_after_quiz(sitting)
    return sitting


def may_mark(marker: User, sitting: Sitting) -> bool:
    """Staff who can see the person who sat the quiz mark their essays."""
    return is_active_staff(marker) and (
        people_visible_to(marker).filter(pk=sitting.user_id).exists()
    )


def mark_essay(
    *, answer: Answer, marker: User, mark: Decimal, comment: str = ""
) -> Sitting:
    """A facilitator's mark (a share of the full mark, 0 to 1) re-scores the sitting.

    Checked and written in one transaction that locks the sitting, so two
    markers of one sitting's essays re-score it one after the other.
    """
    mark = Decimal(mark)
    if not Decimal(0) <= mark <= Decimal(1):
        raise QuizError(_("Nilai esai harus antara 0 dan 100%."))
    with transaction.atomic():
        item = SittingQuestion.objects.select_related("sitting").get(
            pk=answer.sitting_question_id
        )
        sitting = Sitting.objects.select_for_update().get(pk=item.sitting_id)
        if not may_mark(marker, sitting):
            raise QuizError(_("Kamu tidak dapat menilai jawaban orang ini."))
        if item.kind != QuestionKind.ESSAY:
            raise QuizError(_("Hanya jawaban esai yang dinilai oleh fasilitator."))
        if sitting.status == SittingStatus.IN_PROGRESS:
            raise QuizError(_("Percobaan ini belum selesai dikerjakan."))
        Answer.objects.filter(pk=answer.pk).update(
            mark=mark,
            comment=comment.strip(),
            marked_by=marker,
            marked_at=timezone.now(),
        )
        answer.refresh_from_db()
        return rescore(sitting_id=sitting.pk)


def graded_quiz_passed(user: User, module) -> bool:
    """The completion rule `modules` asks: every graded quiz of the module passed."""
    quizzes = Quiz.objects.filter(module=module, mode=QuizMode.GRADED, draft=False)
    needed = set(quizzes.values_list("pk", flat=True))
    if not needed:
        return True
    passed = set(
        Sitting.objects.filter(user=user, quiz_id__in=needed, passed=True).values_list(
            "quiz_id", flat=True
        )
    )
    return needed <= passed


def essays_awaiting_marking():
    """Essay answers of finished sittings that no facilitator has marked yet."""
    return Answer.objects.filter(
        Q(sitting_question__kind=QuestionKind.ESSAY),
        mark__isnull=True,
        sitting_question__sitting__status=SittingStatus.AWAITING_MARKING,
    )
