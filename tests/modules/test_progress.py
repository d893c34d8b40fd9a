import re

import pytest

from learning.choices import Role
from modules.models import LessonProgress, ModuleCompletion
from modules.progress import (
    ReflectionError,
    _completion_rules,
    mark_lesson_done,
    register_completion_rule,
    save_reflection,
)
from modules.selectors import learner_overview
from tests.factories import user_with_roles
from tests.factories.modules import LessonPageFactory, module_with_lessons

pytestmark = pytest.mark.django_db


def test_marking_a_lesson_twice_records_it_once(trainee, module):
    lesson = module.lessons().first()
    mark_lesson_done(user=trainee, lesson=lesson)
    mark_lesson_done(user=trainee, lesson=lesson)
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).count() == 1


def test_module_completes_when_every_lesson_is_done(trainee, module):
    lessons = list(module.lessons())
    for lesson in lessons[:-1]:
        mark_lesson_done(user=trainee, lesson=lesson)
    assert not ModuleCompletion.objects.filter(user=trainee, module=module).exists()
    mark_lesson_done(user=trainee, lesson=lessons[-1])
    assert ModuleCompletion.objects.filter(user=trainee, module=module).exists()


def test_a_registered_rule_holds_completion_back(trainee, module):
    """The quiz engine plugs in here: no completion until its rule agrees."""
    passed = {"quiz": False}

    def quiz_passed(user, module_page):
        return passed["quiz"]

    register_completion_rule(quiz_passed)
    try:
        for lesson in module.lessons():
            mark_lesson_done(user=trainee, lesson=lesson)
        assert not ModuleCompletion.objects.filter(user=trainee).exists()
        passed["quiz"] = True
        mark_lesson_done(user=trainee, lesson=module.lessons().first())
        assert ModuleCompletion.objects.filter(user=trainee, module=module).exists()
    finally:
        _completion_rules.remove(quiz_passed)


def test_progress_in_percent_and_resume_point(trainee, module):
    other = module_with_lessons(lessons=2, title="Dokumentasi")
    first, second, _third = module.lessons()
    mark_lesson_done(user=trainee, lesson=first)
    overview = learner_overview(trainee)
    by_title = {p.module.title: p for p in overview["progress"]}
    assert by_title["Konseling Awal"].percent == 33
    assert by_title["Dokumentasi"].percent == 0
    # Resume where the trainee left off: the next lesson of the module in hand.
    assert overview["resume"].module == module
    assert overview["resume"].next_lesson == second
    mark_lesson_done(user=trainee, lesson=other.lessons().first())
    assert learner_overview(trainee)["resume"].module == other


def test_a_new_lesson_keeps_an_earned_completion(trainee, module):
    for lesson in module.lessons():
        mark_lesson_done(user=trainee, lesson=lesson)
    LessonPageFactory(parent=module, title="Pelajaran tambahan")
    [progress] = learner_overview(trainee)["progress"]
    assert progress.completed and progress.percent == 100


def test_reflection_answers_are_saved_privately_and_can_be_emptied(trainee, module):
    lesson = module.lessons().first()
    prompt_id = lesson.reflection_prompts()[0].id
    save_reflection(
        user=trainee, lesson=lesson, prompt_id=prompt_id, text=" Saya dengar. "
    )
    answer = save_reflection(
        user=trainee, lesson=lesson, prompt_id=prompt_id, text="Saya dengarkan dulu."
    )
    assert answer.text == "Saya dengarkan dulu."
    assert lesson.reflection_answers.count() == 1
    save_reflection(user=trainee, lesson=lesson, prompt_id=prompt_id, text="  ")
    assert lesson.reflection_answers.count() == 0


def test_a_reflection_for_an_unknown_prompt_is_refused(trainee, module):
    with pytest.raises(ReflectionError):
        save_reflection(
            user=trainee, lesson=module.lessons().first(), prompt_id="nope", text="x"
        )


def test_the_lesson_page_marks_done_and_goes_to_the_next_lesson(
    client, trainee, module
):
    first, second, _ = module.lessons()
    client.force_login(trainee)
    response = client.post(f"/belajar/pelajaran/{first.pk}/selesai/")
    assert response.status_code == 302
    assert response["Location"] == second.url
    page = client.get(first.url).content.decode()
    assert "Pelajaran ini sudah selesai." in page


def test_the_trainee_home_offers_to_continue(client, trainee, module):
    mark_lesson_done(user=trainee, lesson=module.lessons().first())
    client.force_login(trainee)
    page = client.get("/").content.decode()
    assert "Lanjutkan belajar" in page
    assert "Konseling Awal: pelajaran 2" in page
    assert "33%" in page


def test_another_persons_answer_is_never_shown(client, trainee, module):
    lesson = module.lessons().first()
    prompt_id = lesson.reflection_prompts()[0].id
    save_reflection(
        user=trainee, lesson=lesson, prompt_id=prompt_id, text="Rahasia saya"
    )
    client.force_login(user_with_roles(Role.PESERTA, username="peserta-lain"))
    assert "Rahasia saya" not in client.get(lesson.url).content.decode()
    client.force_login(trainee)
    assert "Rahasia saya" in client.get(lesson.url).content.decode()


def reflection_box(page: str, prompt_id: str) -> str:
    return re.search(
        rf'<section class="reflection" id="refleksi-{prompt_id}">.*?</section>',
        page,
        re.S,
    ).group(0)


def test_saving_a_reflection_through_the_page(client, trainee, module):
    lesson = module.lessons().first()
    prompt_id = lesson.reflection_prompts()[0].id
    client.force_login(trainee)
    response = client.post(
        f"/belajar/pelajaran/{lesson.pk}/refleksi/{prompt_id}/",
        {"answer": "Saya tawarkan tempat duduk."},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"#refleksi-{prompt_id}")
    page = response.content.decode()
    # The word that it is saved stands in the answer's own box, where the page
    # opens, and not at the top of a long lesson.
    box = reflection_box(page, prompt_id)
    assert "Jawaban tersimpan" in box
    assert "Saya tawarkan tempat duduk." in box
    assert page.count("Jawaban tersimpan") == 1


def test_a_refused_reflection_comes_back_as_typed_beside_the_reason(
    client, trainee, module
):
    lesson = module.lessons().first()
    prompt_id = lesson.reflection_prompts()[0].id
    client.force_login(trainee)
    url = f"/belajar/pelajaran/{lesson.pk}/refleksi/{prompt_id}/"
    client.post(url, {"answer": "Saya tawarkan tempat duduk."})
    typed = "Panjang sekali " + "x" * 4000
    response = client.post(url, {"answer": typed})
    assert response.status_code == 400
    box = reflection_box(response.content.decode(), prompt_id)
    assert "Jawaban terlalu panjang" in box
    assert 'role="alert"' in box and "autofocus" in box
    assert typed in box  # nothing typed is lost
    assert lesson.reflection_answers.get().text == "Saya tawarkan tempat duduk."


def test_a_reflection_with_a_nul_is_saved_without_it(client, trainee, module):
    lesson = module.lessons().first()
    prompt_id = lesson.reflection_prompts()[0].id
    client.force_login(trainee)
    client.post(
        f"/belajar/pelajaran/{lesson.pk}/refleksi/{prompt_id}/",
        {"answer": "Dengar\x00kan dulu"},
    )
    assert lesson.reflection_answers.get().text == "Dengarkan dulu"


def test_a_reflection_for_a_prompt_since_removed_says_so_at_the_top(
    client, trainee, module
):
    lesson = module.lessons().first()
    client.force_login(trainee)
    response = client.post(
        f"/belajar/pelajaran/{lesson.pk}/refleksi/tidak-ada/",
        {"answer": "Jawaban"},
        follow=True,
    )
    assert "sudah tidak ada di pelajaran" in response.content.decode()
    assert not lesson.reflection_answers.exists()
