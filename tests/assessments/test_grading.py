import threading
from decimal import Decimal

from django.db import connection

import pytest

from assessments.choices import FeedbackTiming, QuizMode, SittingStatus
from assessments.grading import (
    QuizError,
    current_question,
    finish_sitting,
    mark_essay,
    start_sitting,
    submit_answer,
)
from assessments.models import Answer, Sitting
from learning.choices import Role
from modules.models import ModuleCompletion
from modules.progress import mark_lesson_done
from tests.factories import user_with_roles
from tests.factories.assessments import (
    choice_question,
    essay_question,
    quiz_with,
    true_false_question,
)

pytestmark = pytest.mark.django_db


def right_option(item):
    return [o["id"] for o in item.snapshot["options"] if Decimal(o["weight"]) > 0]


def wrong_option(item):
    return [
        next(o["id"] for o in item.snapshot["options"] if Decimal(o["weight"]) <= 0)
    ]


@pytest.fixture
def quiz(db):
    return quiz_with(
        [choice_question(), true_false_question(), choice_question("Soal tiga")],
        pass_mark=60,
    )


def test_a_full_sitting_scores_and_passes(trainee, quiz):
    sitting = start_sitting(user=trainee, quiz=quiz)
    items = list(sitting.questions.order_by("position"))
    submit_answer(
        sitting=sitting, user=trainee, position=1, chosen=right_option(items[0])
    )
    submit_answer(
        sitting=sitting, user=trainee, position=2, chosen=right_option(items[1])
    )
    submit_answer(
        sitting=sitting, user=trainee, position=3, chosen=wrong_option(items[2])
    )
    result = finish_sitting(sitting=sitting, user=trainee)
    assert (result.percent, result.passed, result.status) == (
        67,
        True,
        SittingStatus.FINISHED,
    )


def test_an_interrupted_sitting_resumes_where_it_stopped(trainee, quiz):
    sitting = start_sitting(user=trainee, quiz=quiz)
    first = sitting.questions.get(position=1)
    submit_answer(sitting=sitting, user=trainee, position=1, chosen=right_option(first))
    again = start_sitting(user=trainee, quiz=quiz)
    assert again == sitting
    assert current_question(again).position == 2


def test_the_same_answer_twice_counts_once(trainee, quiz):
    sitting = start_sitting(user=trainee, quiz=quiz)
    item = sitting.questions.get(position=1)
    for _ in range(2):
        submit_answer(
            sitting=sitting, user=trainee, position=1, chosen=right_option(item)
        )
    answer = Answer.objects.get(sitting_question=item)
    assert answer.tries == 1


def test_refusals_change_nothing(trainee, quiz):
    sitting = start_sitting(user=trainee, quiz=quiz)
    other = user_with_roles(Role.PESERTA, username="lain")
    with pytest.raises(QuizError, match="bukan milikmu"):
        submit_answer(sitting=sitting, user=other, position=1, chosen=["1"])
    with pytest.raises(QuizError, match="tidak ada"):
        submit_answer(sitting=sitting, user=trainee, position=9, chosen=["1"])
    with pytest.raises(QuizError, match="Pilih salah satu"):
        submit_answer(sitting=sitting, user=trainee, position=1, chosen=["999999"])
    finish_sitting(sitting=sitting, user=trainee)
    with pytest.raises(QuizError, match="sudah selesai"):
        submit_answer(sitting=sitting, user=trainee, position=1, chosen=["1"])
    assert not Answer.objects.exists()


def test_editing_the_bank_leaves_earlier_sittings_alone(trainee, quiz):
    sitting = start_sitting(user=trainee, quiz=quiz)
    item = sitting.questions.get(position=1)
    question = item.question
    question.text = "Teks baru"
    question.save()
    question.options.all().delete()
    submit_answer(sitting=sitting, user=trainee, position=1, chosen=right_option(item))
    item.refresh_from_db()
    assert item.snapshot["text"] == "Siapa yang boleh mendampingi korban?"
    assert item.answer.mark == 1


def test_weighted_several_correct_answers(trainee):
    question = choice_question(
        "Layanan mana yang wajib dirujuk?",
        options=[("Puskesmas", 0.5), ("UPTD PPA", 0.5), ("Pelaku", -1)],
        several_correct=True,
    )
    sitting = start_sitting(user=trainee, quiz=quiz_with([question]))
    item = sitting.questions.get()
    ids = {o["text"]: o["id"] for o in item.snapshot["options"]}
    result = submit_answer(
        sitting=sitting,
        user=trainee,
        position=1,
        chosen=[ids["Puskesmas"], ids["Pelaku"]],
    )
    assert result.answer.mark == 0
    result = submit_answer(
        sitting=sitting,
        user=trainee,
        position=1,
        chosen=[ids["Puskesmas"], ids["UPTD PPA"]],
    )
    assert result.answer.mark == 1


def test_attempt_limit_and_single_attempt(trainee):
    quiz = quiz_with([choice_question()], single_attempt=True)
    finish_sitting(sitting=start_sitting(user=trainee, quiz=quiz), user=trainee)
    with pytest.raises(QuizError, match="habis"):
        start_sitting(user=trainee, quiz=quiz)


def test_practice_gives_feedback_and_unlimited_tries(trainee):
    quiz = quiz_with([choice_question()], mode=QuizMode.PRACTICE, attempt_limit=1)
    for _ in range(3):
        sitting = start_sitting(user=trainee, quiz=quiz)
        item = sitting.questions.get()
        result = submit_answer(
            sitting=sitting, user=trainee, position=1, chosen=wrong_option(item)
        )
        assert result.show_feedback
        result = submit_answer(
            sitting=sitting, user=trainee, position=1, chosen=right_option(item)
        )
        assert result.answer.tries == 2
        finish_sitting(sitting=sitting, user=trainee)
    assert Sitting.objects.filter(user=trainee).count() == 3


def test_graded_feedback_after_each_locks_the_answer(trainee):
    quiz = quiz_with([choice_question()], feedback=FeedbackTiming.AFTER_EACH)
    sitting = start_sitting(user=trainee, quiz=quiz)
    item = sitting.questions.get()
    submit_answer(sitting=sitting, user=trainee, position=1, chosen=wrong_option(item))
    with pytest.raises(QuizError, match="dikunci"):
        submit_answer(
            sitting=sitting, user=trainee, position=1, chosen=right_option(item)
        )


def test_essay_marking_rescores_the_sitting(trainee, facilitator):
    quiz = quiz_with([choice_question(), essay_question()], pass_mark=70)
    sitting = start_sitting(user=trainee, quiz=quiz)
    items = list(sitting.questions.order_by("position"))
    submit_answer(
        sitting=sitting, user=trainee, position=1, chosen=right_option(items[0])
    )
    submit_answer(
        sitting=sitting, user=trainee, position=2, text="Saya dengarkan dulu."
    )
    sitting = finish_sitting(sitting=sitting, user=trainee)
    assert (sitting.status, sitting.passed) == (SittingStatus.AWAITING_MARKING, None)
    answer = Answer.objects.get(sitting_question=items[1])
    sitting = mark_essay(
        answer=answer, marker=facilitator, mark=Decimal("0.5"), comment="Baik"
    )
    assert (sitting.percent, sitting.passed) == (75, True)
    with pytest.raises(QuizError):
        mark_essay(answer=answer, marker=facilitator, mark=Decimal("1.5"))


def test_only_staff_who_see_the_person_may_mark_their_essay(trainee, facilitator):
    quiz = quiz_with([essay_question()])
    sitting = start_sitting(user=trainee, quiz=quiz)
    submit_answer(sitting=sitting, user=trainee, position=1, text="Saya dengarkan.")
    finish_sitting(sitting=sitting, user=trainee)
    answer = Answer.objects.get(sitting_question__sitting=sitting)
    outsider = user_with_roles(Role.FASILITATOR)  # another organisation's
    for marker in (trainee, outsider):
        with pytest.raises(QuizError):
            mark_essay(answer=answer, marker=marker, mark=Decimal("1"))
    answer.refresh_from_db()
    assert answer.mark is None and answer.marked_by is None
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.AWAITING_MARKING
    mark_essay(answer=answer, marker=facilitator, mark=Decimal("1"))
    sitting.refresh_from_db()
    assert (sitting.status, sitting.percent) == (SittingStatus.FINISHED, 100)


def test_passing_the_graded_quiz_completes_the_module(trainee, module):
    quiz = quiz_with([choice_question()], module=module)
    for lesson in module.lessons():
        mark_lesson_done(user=trainee, lesson=lesson)
    assert not ModuleCompletion.objects.filter(user=trainee).exists()
    sitting = start_sitting(user=trainee, quiz=quiz)
    item = sitting.questions.get()
    submit_answer(sitting=sitting, user=trainee, position=1, chosen=right_option(item))
    finish_sitting(sitting=sitting, user=trainee)
    assert ModuleCompletion.objects.filter(user=trainee, module=module).exists()


def test_a_second_finish_returns_the_first_result(trainee, quiz):
    sitting = start_sitting(user=trainee, quiz=quiz)
    first = finish_sitting(sitting=sitting, user=trainee)
    second = finish_sitting(sitting=Sitting.objects.get(pk=sitting.pk), user=trainee)
    assert first.finished_at == second.finished_at


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_finishes_yield_one_result(migrated_data):
    trainee = user_with_roles(Role.PESERTA, username="serentak")
    quiz = quiz_with([choice_question()])
    sitting = start_sitting(user=trainee, quiz=quiz)
    barrier = threading.Barrier(2)
    results = []

    def finish():
        try:
            barrier.wait()
            results.append(
                finish_sitting(sitting=Sitting.objects.get(pk=sitting.pk), user=trainee)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=finish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert results[0].finished_at == results[1].finished_at
    assert Sitting.objects.filter(quiz=quiz).count() == 1
