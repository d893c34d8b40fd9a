"""Essay answers refuse identifiers (NIK, phone, e-mail, card numbers), on the
page and through the API, but not names: an essay may discuss the quiz's
invented "Mama Welmi"."""

import pytest

from assessments.models import Answer, Sitting
from tests.factories.assessments import essay_question, quiz_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(module):
    return quiz_with([essay_question()], module=module, slug="kuis-esai")


@pytest.fixture
def sitting_url(client, trainee, quiz):
    client.force_login(trainee)
    client.post("/kuis/kuis-esai/")
    return f"/kuis/percobaan/{Sitting.objects.get(user=trainee).uuid}/"


def test_an_essay_with_a_phone_number_is_refused_at_the_field(client, sitting_url):
    typed = "Saya minta korban menelepon saya di 081339451122 kapan saja."
    response = client.post(sitting_url, {"nomor": 1, "jawaban": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tulisan memuat nomor telepon: &quot;081339451122&quot;" in page
    assert 'aria-describedby="jawaban-salah"' in page
    assert typed in page  # the essay is not lost
    assert not Answer.objects.exists()


def test_a_refused_essay_leaves_the_saved_one_unchanged(client, sitting_url):
    client.post(sitting_url, {"nomor": 1, "jawaban": "Saya dengarkan dulu."})
    response = client.post(
        sitting_url, {"nomor": 1, "jawaban": "NIK korban 5302041234560001."}
    )
    assert response.status_code == 400
    assert "NIK atau nomor KK" in response.content.decode()
    assert Answer.objects.get().text == "Saya dengarkan dulu."


def test_an_essay_may_name_the_quiz_s_invented_people(client, sitting_url):
    response = client.post(
        sitting_url,
        {"nomor": 1, "jawaban": "Mama Welmi perlu didengar tanpa dihakimi."},
    )
    assert response.status_code == 302
    assert Answer.objects.get().text == "Mama Welmi perlu didengar tanpa dihakimi."


def test_the_api_refuses_the_same_essay(client, trainee, quiz):
    client.force_login(trainee)
    started = client.post("/api/quizzes/kuis-esai/sittings").json()
    response = client.post(
        f"/api/quizzes/sittings/{started['uuid']}/answers",
        {"position": 1, "text": "Surel saya pendamping@contoh.id"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "pendamping@contoh.id" in response.json()["detail"]
    assert not Answer.objects.exists()
