"""A quiz that people sat is retired, not deleted with their results.

Every sitting is evidence of a person's learning: the database refuses to
delete a quiz that has any, and the admin says so in words (how many
results, and to make it a draft instead), for one quiz or several at once.
A quiz nobody sat is deleted as before.
"""

from django.db.models import ProtectedError

import pytest

from assessments.deletion import quiz_deletion_refusal
from assessments.grading import finish_sitting, start_sitting, submit_answer
from assessments.models import Answer, Quiz, Sitting
from learning.choices import Role
from tests.factories import user_with_roles
from tests.factories.assessments import choice_question, quiz_with

pytestmark = pytest.mark.django_db

ADVICE = "Jadikan konsep saja"


@pytest.fixture
def sat(trainee):
    """A quiz two trainees sat: one finished and scored, one still open."""
    quiz = quiz_with([choice_question()], title="Kuis Pra-tes")
    sitting = start_sitting(user=trainee, quiz=quiz)
    item = sitting.questions.get(position=1)
    submit_answer(
        sitting=sitting,
        user=trainee,
        position=1,
        chosen=[item.snapshot["options"][0]["id"]],
    )
    finish_sitting(sitting=sitting, user=trainee)
    start_sitting(user=user_with_roles(Role.PESERTA), quiz=quiz)
    return quiz


@pytest.fixture
def editor(client, facilitator):
    """Facilitators add, change and delete quizzes."""
    client.force_login(facilitator)
    return client


def delete_url(quiz) -> str:
    return f"/admin/snippets/assessments/quiz/delete/{quiz.pk}/"


def bulk_delete_url(*quizzes) -> str:
    ids = "&".join(f"id={quiz.pk}" for quiz in quizzes)
    return f"/admin/bulk/assessments/quiz/delete/?{ids}"


def evidence_of(quiz) -> tuple[int, int]:
    return (
        Sitting.objects.filter(quiz=quiz).count(),
        Answer.objects.filter(sitting_question__sitting__quiz=quiz).count(),
    )


def test_a_quiz_with_sittings_cannot_be_deleted_in_the_database(sat):
    with pytest.raises(ProtectedError):
        sat.delete()
    assert evidence_of(sat) == (2, 1)


def test_deleting_a_quiz_with_results_in_the_admin_is_refused_with_a_message(
    editor, sat
):
    response = editor.post(delete_url(sat), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kuis “Kuis Pra-tes” tidak dapat dihapus: sudah ada 2 hasil peserta." in page
    assert ADVICE in page
    assert Quiz.objects.filter(pk=sat.pk).exists()
    assert evidence_of(sat) == (2, 1)


def test_deleting_quizzes_with_results_in_bulk_is_refused_for_all(editor, sat):
    unused = quiz_with([choice_question()], title="Kuis Latihan")
    response = editor.post(bulk_delete_url(sat, unused), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada kuis yang dihapus" in page
    assert "“Kuis Pra-tes”: 2 hasil" in page
    assert "Kuis Latihan”:" not in page  # nobody sat it
    assert ADVICE in page
    assert Quiz.objects.filter(pk__in=[sat.pk, unused.pk]).count() == 2
    assert evidence_of(sat) == (2, 1)


def test_a_quiz_nobody_sat_can_be_deleted(editor, sat):
    unused = quiz_with([choice_question()], title="Kuis Latihan")
    response = editor.post(delete_url(unused))
    assert response.status_code == 302
    assert not Quiz.objects.filter(pk=unused.pk).exists()
    assert evidence_of(sat) == (2, 1)


def test_quizzes_nobody_sat_can_be_deleted_in_bulk(editor):
    first = quiz_with([choice_question()], title="Kuis Latihan 1")
    second = quiz_with([choice_question()], title="Kuis Latihan 2")
    response = editor.post(bulk_delete_url(first, second))
    assert response.status_code == 302
    assert not Quiz.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_the_refusal_counts_every_quiz_in_one_query(sat, django_assert_num_queries):
    unused = quiz_with([choice_question()], title="Kuis Latihan")
    with django_assert_num_queries(1):
        assert quiz_deletion_refusal(quizzes=[unused]) is None
    with django_assert_num_queries(1):
        refusal = quiz_deletion_refusal(quizzes=[sat, unused])
    assert refusal.startswith("Tidak ada kuis yang dihapus")
