"""Practice quizzes on a phone: keys travel only for questions no graded quiz
can pick or draw; graded quizzes never go to a phone."""

from django.urls import reverse

import pytest

from assessments.choices import QuizMode
from assessments.models import QuestionPool, Quiz
from assessments.offline import practice_payload
from modules.offline import module_version
from tests.factories.assessments import (
    CategoryFactory,
    choice_question,
    essay_question,
    quiz_with,
    true_false_question,
)

pytestmark = pytest.mark.django_db


def sent_ids(payload: dict) -> set[int]:
    ids = {question["id"] for question in payload["questions"]}
    for pool in payload["pools"]:
        ids |= {question["id"] for question in pool["questions"]}
    return ids


@pytest.fixture
def practice(module):
    own = choice_question("Apa arti pendampingan?")
    shared = true_false_question("Pendamping boleh memaksa korban melapor.")
    essay = essay_question("Ceritakan kasus latihanmu.")
    quiz = quiz_with(
        [own, shared, essay], mode=QuizMode.PRACTICE, module=module, title="Latihan"
    )
    quiz_with([shared], mode=QuizMode.GRADED, module=module, title="Ujian Modul")
    return quiz, own, shared, essay


def test_a_question_a_graded_quiz_picks_never_goes_to_the_phone(practice):
    quiz, own, shared, essay = practice
    payload = practice_payload(quiz)
    assert sent_ids(payload) == {own.pk}
    assert payload["left_out"] == 2
    [question] = payload["questions"]
    assert [option["weight"] for option in question["options"]] == [1.0, 0.0, 0.0]
    assert shared.text not in str(payload)


def test_a_question_a_graded_quiz_can_draw_from_its_category_stays_too(module):
    bank = CategoryFactory(name="Bank ujian")
    below = CategoryFactory(name="Sub-bab", parent=bank)
    drawable = choice_question("Soal dalam bank ujian", category=below)
    free = choice_question("Soal bebas", category=CategoryFactory(name="Latihan saja"))
    graded = quiz_with([], mode=QuizMode.GRADED, title="Ujian Acak")
    QuestionPool.objects.create(quiz=graded, category=bank, count=1)
    practice = quiz_with(
        [drawable, free], mode=QuizMode.PRACTICE, module=module, title="Latihan"
    )
    QuestionPool.objects.create(quiz=practice, category=below, count=2)
    payload = practice_payload(practice)
    assert sent_ids(payload) == {free.pk}
    assert payload["pools"] == []
    assert payload["left_out"] == 1 + 2


def test_the_phone_gets_the_practice_data_and_a_graded_quiz_is_refused(
    signed_in, trainee, practice
):
    quiz, own, *_ = practice
    client = signed_in(trainee)
    data = client.get(reverse("assessments:practice_offline_data", args=[quiz.slug]))
    assert data.status_code == 200
    assert sent_ids(data.json()) == {own.pk}
    page = client.get(reverse("assessments:practice_offline", args=[quiz.slug]))
    assert "tidak dicatat" in page.content.decode()
    assert trainee.username not in page.content.decode()
    graded = Quiz.objects.get(mode=QuizMode.GRADED, title="Ujian Modul")
    for name in ("assessments:practice_offline_data", "assessments:practice_offline"):
        assert client.get(reverse(name, args=[graded.slug])).status_code == 404


def test_the_module_package_carries_the_practice_quiz_and_lists_the_graded_one(
    signed_in, trainee, practice
):
    quiz, *_ = practice
    client = signed_in(trainee)
    found = client.get(reverse("modules:offline_package", args=[quiz.module.pk]))
    keys = {entry["key"] for entry in found.json()["entries"]}
    assert reverse("assessments:practice_offline_data", args=[quiz.slug]) in keys
    assert reverse("assessments:practice_offline", args=[quiz.slug]) in keys
    assert not any("ujian" in key for key in keys)
    copy = client.get(reverse("modules:offline_copy", args=[quiz.module.pk]))
    html = copy.content.decode()
    assert "Ujian Modul" in html and "perlu sinyal" in html
    assert reverse("assessments:practice_offline", args=[quiz.slug]) in html


def test_changing_a_practice_question_changes_the_module_version(practice):
    quiz, own, *_ = practice
    before = module_version(quiz.module)
    own.explanation = "Penjelasan baru."
    own.save()
    assert module_version(quiz.module) != before


def test_the_graded_quiz_page_says_it_needs_a_connection(signed_in, trainee, practice):
    graded = Quiz.objects.get(mode=QuizMode.GRADED, title="Ujian Modul")
    client = signed_in(trainee)
    html = client.get(
        reverse("assessments:quiz_detail", args=[graded.slug])
    ).content.decode()
    assert "memerlukan sinyal" in html
