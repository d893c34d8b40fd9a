from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.choices import QuizMode
from assessments.grading import finish_sitting, start_sitting, submit_answer
from assessments.models import Answer, Sitting
from learning.choices import Role
from tests.factories import ProgrammeFactory, user_with_roles
from tests.factories.assessments import (
    choice_question,
    essay_question,
    quiz_with,
    true_false_question,
)
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db


def option_id(item, text):
    return next(o["id"] for o in item.snapshot["options"] if o["text"] == text)


@pytest.fixture
def quiz(module):
    return quiz_with(
        [choice_question(), true_false_question(), essay_question()],
        module=module,
        title="Kuis Konseling",
        slug="kuis-konseling",
        success_text="Selamat!",
    )


def test_the_module_page_lists_its_quiz(client, trainee, quiz, module):
    client.force_login(trainee)
    assert "Kuis Konseling" in client.get(module.url).content.decode()


def test_a_trainee_takes_a_quiz_through_the_pages(client, trainee, quiz):
    client.force_login(trainee)
    response = client.post("/kuis/kuis-konseling/")
    sitting = Sitting.objects.get(user=trainee)
    assert response["Location"] == f"/kuis/percobaan/{sitting.uuid}/"
    page = client.get(response["Location"]).content.decode()
    assert "Soal 1 dari 3" in page and "Siapa yang boleh mendampingi korban?" in page
    first = sitting.questions.get(position=1)
    response = client.post(
        response["Location"],
        {"nomor": 1, "pilihan": option_id(first, "Pendamping terlatih")},
    )
    assert response["Location"].endswith("?nomor=2")
    second = sitting.questions.get(position=2)
    client.post(
        f"/kuis/percobaan/{sitting.uuid}/",
        {"nomor": 2, "pilihan": option_id(second, "Salah")},
    )
    client.post(
        f"/kuis/percobaan/{sitting.uuid}/", {"nomor": 3, "jawaban": "Saya dengarkan."}
    )
    response = client.post(f"/kuis/percobaan/{sitting.uuid}/selesai/", follow=True)
    page = response.content.decode()
    assert "sedang dinilai fasilitator" in page
    assert "Saya dengarkan." in page


def test_a_bad_answer_shows_a_message_and_saves_nothing(client, trainee, quiz):
    client.force_login(trainee)
    client.post("/kuis/kuis-konseling/")
    sitting = Sitting.objects.get(user=trainee)
    response = client.post(
        f"/kuis/percobaan/{sitting.uuid}/", {"nomor": 1}, follow=True
    )
    assert "Pilih salah satu jawaban" in response.content.decode()
    assert not Answer.objects.exists()


def test_someone_elses_sitting_does_not_exist_for_you(client, trainee, quiz):
    sitting = start_sitting(user=trainee, quiz=quiz)
    client.force_login(user_with_roles(Role.PESERTA, username="lain"))
    assert client.get(f"/kuis/percobaan/{sitting.uuid}/").status_code == 404
    assert client.post(f"/kuis/percobaan/{sitting.uuid}/selesai/").status_code == 404
    assert Sitting.objects.get(pk=sitting.pk).is_open


def test_a_quiz_of_a_module_out_of_reach_is_not_found(client, trainee, tree):
    closed = module_with_lessons(
        lessons=1, programmes=[ProgrammeFactory(short_name="X")]
    )
    quiz_with([choice_question()], module=closed, slug="tertutup")
    client.force_login(trainee)
    assert client.get("/kuis/tertutup/").status_code == 404
    assert client.post("/api/quizzes/tertutup/sittings").status_code == 404


def test_practice_shows_feedback_after_each_answer(client, trainee):
    quiz = quiz_with([choice_question()], mode=QuizMode.PRACTICE, slug="latihan")
    client.force_login(trainee)
    client.post("/kuis/latihan/")
    sitting = Sitting.objects.get(user=trainee)
    item = sitting.questions.get()
    page = client.post(
        f"/kuis/percobaan/{sitting.uuid}/",
        {"nomor": 1, "pilihan": option_id(item, "Siapa saja")},
    ).content.decode()
    assert "Belum tepat" in page
    assert "Pendamping perlu pelatihan." in page  # the explanation
    assert "Coba lagi soal ini" in page
    assert quiz.title


def test_the_result_page_reviews_with_right_answers(client, trainee):
    quiz_with([choice_question()], slug="ulas")
    client.force_login(trainee)
    client.post("/kuis/ulas/")
    sitting = Sitting.objects.get(user=trainee)
    item = sitting.questions.get()
    submit_answer(
        sitting=sitting,
        user=trainee,
        position=1,
        chosen=[option_id(item, "Siapa saja")],
    )
    finish_sitting(sitting=sitting, user=trainee)
    page = client.get(f"/kuis/percobaan/{sitting.uuid}/hasil/").content.decode()
    assert "Nilaimu 0%" in page and "belum lulus" in page
    assert "Pendamping perlu pelatihan." in page


def test_category_progress_page(client, trainee):
    from tests.factories.assessments import CategoryFactory

    category = CategoryFactory(name="Rujukan")
    quiz_with([choice_question(category=category)], slug="kat")
    client.force_login(trainee)
    client.post("/kuis/kat/")
    sitting = Sitting.objects.get(user=trainee)
    item = sitting.questions.get()
    submit_answer(
        sitting=sitting,
        user=trainee,
        position=1,
        chosen=[option_id(item, "Pendamping terlatih")],
    )
    finish_sitting(sitting=sitting, user=trainee)
    page = client.get("/kuis/kemajuan/").content.decode()
    assert "Rujukan" in page and "100%" in page


def test_the_api_runs_a_sitting_with_the_same_rules(client, trainee, quiz):
    client.force_login(trainee)
    started = client.post("/api/quizzes/kuis-konseling/sittings").json()
    assert started["current"]["position"] == 1
    assert "weight" not in started["current"]["options"][0]
    again = client.post("/api/quizzes/kuis-konseling/sittings").json()
    assert again["uuid"] == started["uuid"]
    base = f"/api/quizzes/sittings/{started['uuid']}"
    right = next(
        o["id"]
        for o in started["current"]["options"]
        if o["text"] == "Pendamping terlatih"
    )
    for _ in range(2):
        saved = client.post(
            f"{base}/answers",
            {"position": 1, "chosen": [right]},
            content_type="application/json",
        )
        assert saved.status_code == 200
    refused = client.post(
        f"{base}/answers",
        {"position": 7, "chosen": [right]},
        content_type="application/json",
    )
    assert refused.status_code == 409 and "tidak ada" in refused.json()["detail"]
    assert client.get(base).json()["current"]["position"] == 2
    asked = client.post(f"{base}/finish")
    assert asked.status_code == 409 and asked.json()["unanswered"] == 2
    finished = client.post(f"{base}/finish?confirm=true").json()
    assert finished["status"] == "selesai"  # the essay was left blank
    assert client.post(f"{base}/finish").json()["percent"] == finished["percent"]
    other = user_with_roles(Role.PESERTA, username="lain")
    client.force_login(other)
    assert client.get(base).status_code == 404


def test_the_question_page_queries_do_not_grow_with_sittings(client, trainee):
    quiz = quiz_with(
        [choice_question(), choice_question("Dua"), choice_question("Tiga")], slug="q"
    )
    sitting = start_sitting(user=trainee, quiz=quiz)
    client.force_login(trainee)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/kuis/percobaan/{sitting.uuid}/?nomor=2")
    for number in range(10):
        other = user_with_roles(Role.PESERTA, username=f"p{number}")
        finish_sitting(sitting=start_sitting(user=other, quiz=quiz), user=other)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/kuis/percobaan/{sitting.uuid}/?nomor=2")
    assert len(many) == len(few)


def test_a_question_shows_its_picture_as_a_resized_webp(client, trainee):
    import wagtail_factories

    question = choice_question()
    question.image = wagtail_factories.ImageFactory(title="Gambar soal")
    question.save()
    quiz_with([question], slug="bergambar")
    client.force_login(trainee)
    client.post("/kuis/bergambar/")
    sitting = Sitting.objects.get(user=trainee)
    page = client.get(f"/kuis/percobaan/{sitting.uuid}/?nomor=1").content.decode()
    assert "<img" in page and ".webp" in page
