"""A lesson's private reflection answer refuses identifiers (NIK, phone,
e-mail, card numbers) but not names: the answer is the trainee's own."""

import pytest

from modules.models import ReflectionAnswer

pytestmark = pytest.mark.django_db


def _post(client, lesson, prompt_id, text):
    return client.post(
        f"/belajar/pelajaran/{lesson.pk}/refleksi/{prompt_id}/", {"answer": text}
    )


@pytest.fixture
def lesson(module):
    return module.lessons().first()


def test_a_phone_number_is_refused_at_the_field_and_kept_as_typed(
    client, trainee, lesson
):
    prompt_id = lesson.reflection_prompts()[0].id
    client.force_login(trainee)
    typed = "Saya akan menelepon kakak saya di 0813 3945 1122 kalau sedih."
    response = _post(client, lesson, prompt_id, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tulisan memuat nomor telepon: &quot;0813 3945 1122&quot;" in page
    assert f'id="jawaban-{prompt_id}-salah"' in page
    assert typed in page  # back in its box, as typed
    assert not ReflectionAnswer.objects.exists()


def test_a_refused_answer_leaves_the_saved_one_unchanged(client, trainee, lesson):
    prompt_id = lesson.reflection_prompts()[0].id
    client.force_login(trainee)
    assert (
        _post(client, lesson, prompt_id, "Saya belajar mendengar.").status_code == 302
    )
    response = _post(client, lesson, prompt_id, "Surel saya rina@contoh.id")
    assert response.status_code == 400
    assert "alamat e-mail" in response.content.decode()
    [answer] = ReflectionAnswer.objects.all()
    assert answer.text == "Saya belajar mendengar."


def test_a_name_is_the_trainees_own_business(client, trainee, lesson):
    prompt_id = lesson.reflection_prompts()[0].id
    client.force_login(trainee)
    response = _post(client, lesson, prompt_id, "Mama Yuliana menguatkan saya.")
    assert response.status_code == 302
    assert ReflectionAnswer.objects.get().text == "Mama Yuliana menguatkan saya."
