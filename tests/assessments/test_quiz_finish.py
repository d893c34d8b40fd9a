"""Finishing a quiz with questions unanswered asks first, on the page (without
JavaScript) and in the API; nothing is scored and no attempt used until yes."""

import datetime

from django.utils import timezone

import pytest

from assessments.grading import start_sitting, submit_answer
from assessments.models import Sitting
from tests.factories.assessments import choice_question, quiz_with

pytestmark = pytest.mark.django_db


def right_option(item) -> str:
    return next(
        o["id"] for o in item.snapshot["options"] if o["text"] == "Pendamping terlatih"
    )


@pytest.fixture
def ten_questions():
    return quiz_with(
        [choice_question(f"Soal uji {number}") for number in range(1, 11)],
        slug="sepuluh-soal",
        title="Kuis sepuluh soal",
        attempt_limit=2,
    )


@pytest.fixture
def sitting(trainee, ten_questions):
    sitting = start_sitting(user=trainee, quiz=ten_questions)
    first = sitting.questions.get(position=1)
    submit_answer(
        sitting=sitting, user=trainee, position=1, chosen=[right_option(first)]
    )
    return sitting


def finish_url(sitting) -> str:
    return f"/kuis/percobaan/{sitting.uuid}/selesai/"


def test_finishing_with_questions_unanswered_asks_first(client, trainee, sitting):
    client.force_login(trainee)
    response = client.post(finish_url(sitting))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Masih ada 9 soal yang belum dijawab. Kirim sekarang?" in page
    assert "sesudahnya sisa kesempatanmu 1 kali" in page
    assert f'href="/kuis/percobaan/{sitting.uuid}/?nomor=2"' in page
    assert "Kembali menjawab" in page
    assert 'name="confirm" value="1"' in page and "Ya, kirim" in page
    sitting.refresh_from_db()
    assert sitting.is_open and sitting.percent is None and sitting.finished_at is None


def test_yes_sends_and_scores_the_unanswered_as_zero(client, trainee, sitting):
    client.force_login(trainee)
    response = client.post(finish_url(sitting), {"confirm": "1"})
    assert response["Location"] == f"/kuis/percobaan/{sitting.uuid}/hasil/"
    sitting.refresh_from_db()
    assert not sitting.is_open and sitting.percent == 10


def test_with_every_question_answered_it_sends_at_once(client, trainee, sitting):
    for item in sitting.questions.filter(position__gt=1):
        submit_answer(
            sitting=sitting,
            user=trainee,
            position=item.position,
            chosen=[right_option(item)],
        )
    client.force_login(trainee)
    response = client.post(finish_url(sitting))
    assert response["Location"] == f"/kuis/percobaan/{sitting.uuid}/hasil/"
    assert Sitting.objects.get(pk=sitting.pk).percent == 100


def test_when_time_is_up_it_sends_without_asking(client, trainee, sitting):
    Sitting.objects.filter(pk=sitting.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(trainee)
    response = client.post(finish_url(sitting))
    assert response["Location"] == f"/kuis/percobaan/{sitting.uuid}/hasil/"
    assert Sitting.objects.get(pk=sitting.pk).percent == 10


def test_the_api_answers_409_with_the_count_until_confirmed(client, trainee, sitting):
    client.force_login(trainee)
    url = f"/api/quizzes/sittings/{sitting.uuid}/finish"
    asked = client.post(url)
    assert asked.status_code == 409
    assert asked.json() == {
        "detail": "Masih ada 9 soal yang belum dijawab. Kirim sekarang?",
        "unanswered": 9,
        "first_unanswered": 2,
    }
    assert Sitting.objects.get(pk=sitting.pk).is_open
    finished = client.post(f"{url}?confirm=true")
    assert finished.status_code == 200 and finished.json()["percent"] == 10
    # Finishing again (an offline retry) returns the first result, no question.
    again = client.post(url)
    assert again.status_code == 200 and again.json()["percent"] == 10


def test_a_finished_sitting_is_not_asked_about_again(client, trainee, sitting):
    client.force_login(trainee)
    client.post(finish_url(sitting), {"confirm": "1"})
    response = client.post(finish_url(sitting))
    assert response["Location"] == f"/kuis/percobaan/{sitting.uuid}/hasil/"


@pytest.mark.parametrize("number", ["99999999999999999999", "dua", "-1", ""])
def test_an_answer_for_a_question_number_that_is_not_one_is_refused_calmly(
    client, trainee, sitting, number
):
    client.force_login(trainee)
    response = client.post(
        f"/kuis/percobaan/{sitting.uuid}/", {"nomor": number, "pilihan": ["x"]}
    )
    assert response.status_code == 302
    assert sitting.questions.filter(answer__isnull=False).count() == 1
