"""A page that trainees studied is not deleted with their records.

Deleting a module or lesson (or a page above one) that holds lesson progress,
a module completion or a reflection answer is refused in words, single or in
bulk, and nothing is deleted; the editor is told to unpublish it instead. A
page nobody studied is deleted as before.
"""

from django.db.models import ProtectedError

from wagtail.models import Page

import pytest

from learning.choices import Role
from modules.deletion import learning_records_under
from modules.models import (
    LessonPage,
    LessonProgress,
    ModuleCompletion,
    ModulePage,
    ReflectionAnswer,
)
from modules.progress import mark_lesson_done, save_reflection
from tests.factories import user_with_roles
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db

ADVICE = "Batalkan terbitnya saja"


@pytest.fixture
def editor(client):
    """Deleting pages is a superuser's right here (no group holds delete_page)."""
    person = user_with_roles(Role.KOORDINATOR, is_superuser=True)
    client.force_login(person)
    return client


@pytest.fixture
def completed(trainee, module):
    """`module` finished by the trainee: three lessons done, one completion."""
    for lesson in module.lessons():
        mark_lesson_done(user=trainee, lesson=lesson)
    assert ModuleCompletion.objects.filter(user=trainee, module=module).exists()
    return module


def delete_url(page) -> str:
    return f"/admin/pages/{page.pk}/delete/"


def bulk_delete_url(*pages, next_url="/admin/pages/") -> str:
    ids = "&".join(f"id={page.pk}" for page in pages)
    return f"/admin/bulk/wagtailcore/page/delete/?{ids}&next={next_url}"


def records_of(trainee) -> tuple[int, int, int]:
    return (
        LessonProgress.objects.filter(user=trainee).count(),
        ModuleCompletion.objects.filter(user=trainee).count(),
        ReflectionAnswer.objects.filter(user=trainee).count(),
    )


def test_a_module_with_results_cannot_be_deleted_in_the_database(completed):
    with pytest.raises(ProtectedError):
        completed.delete()
    with pytest.raises(ProtectedError):
        completed.lessons().first().delete()


def test_deleting_a_studied_module_is_refused_with_a_message(
    editor, trainee, completed
):
    before = records_of(trainee)
    for send in (editor.get, editor.post):
        response = send(delete_url(completed), follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert "“Konseling Awal” tidak dapat dihapus" in page
        # three lessons done and the module completed
        assert "memuat 4 catatan belajar peserta" in page
        assert "Modul selesai: 1" in page and "Pelajaran selesai: 3" in page
        assert ADVICE in page
        # a button to do just that, for a live page
        assert f"/admin/pages/{completed.pk}/unpublish/" in page
    assert ModulePage.objects.filter(pk=completed.pk).exists()
    assert LessonPage.objects.child_of(completed).count() == 3
    assert records_of(trainee) == before


def test_deleting_the_page_above_studied_modules_is_refused(editor, trainee, completed):
    index = completed.get_parent()
    response = editor.post(delete_url(index), follow=True)
    assert response.status_code == 200
    assert "memuat 4 catatan belajar peserta" in response.content.decode()
    assert Page.objects.filter(pk=index.pk).exists()
    assert records_of(trainee) == (3, 1, 0)


def test_a_lesson_with_only_a_private_reflection_is_kept(editor, trainee, module):
    """A reflection is the trainee's own writing: the lesson is not deleted."""
    lesson = module.lessons().first()
    prompt = lesson.reflection_prompts()[0]
    save_reflection(user=trainee, lesson=lesson, prompt_id=prompt.id, text="Saya…")
    response = editor.post(delete_url(lesson), follow=True)
    assert response.status_code == 200
    assert "Jawaban refleksi: 1" in response.content.decode()
    assert LessonPage.objects.filter(pk=lesson.pk).exists()
    assert records_of(trainee) == (0, 0, 1)


def test_deleting_in_bulk_is_refused_for_all_and_names_the_studied_page(
    editor, trainee, completed
):
    untouched = module_with_lessons(lessons=1, title="Gender Dasar")
    index = completed.get_parent()
    url = bulk_delete_url(completed, untouched, next_url=f"/admin/pages/{index.pk}/")
    response = editor.post(url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada halaman yang dihapus" in page
    assert "“Konseling Awal”: 4 catatan" in page
    assert "Gender Dasar”:" not in page  # it holds nothing
    assert ADVICE in page
    assert ModulePage.objects.filter(pk__in=[completed.pk, untouched.pk]).count() == 2
    assert records_of(trainee) == (3, 1, 0)


def test_a_module_nobody_studied_can_be_deleted(editor, trainee, completed):
    unused = module_with_lessons(lessons=2, title="Litigasi")
    response = editor.post(delete_url(unused))
    assert response.status_code == 302
    assert not ModulePage.objects.filter(pk=unused.pk).exists()
    assert not LessonPage.objects.filter(title__startswith="Litigasi").exists()
    assert records_of(trainee) == (3, 1, 0)


def test_modules_nobody_studied_can_be_deleted_in_bulk(editor, tree):
    first = module_with_lessons(lessons=1, title="Litigasi")
    second = module_with_lessons(lessons=1, title="Non-litigasi")
    response = editor.post(bulk_delete_url(first, second))
    assert response.status_code == 302
    assert not ModulePage.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_counting_the_records_does_not_grow_with_pages_or_records(
    trainee, tree, django_assert_num_queries
):
    modules = [module_with_lessons(lessons=2, title=f"Modul {n}") for n in range(4)]
    mark_lesson_done(user=trainee, lesson=modules[0].lessons().first())
    # one per kind of record: progress, completion, reflection answer, refresher
    with django_assert_num_queries(4):
        held = learning_records_under(pages=modules[:1])
    assert sum(held[modules[0]].values()) == 1
    for module in modules:
        for lesson in module.lessons():
            mark_lesson_done(user=trainee, lesson=lesson)
    with django_assert_num_queries(4):
        held = learning_records_under(pages=modules)
    # two lessons and a completion under each module
    assert [sum(held[module].values()) for module in modules] == [3, 3, 3, 3]


def test_a_module_assigned_as_a_refresher_is_kept_with_the_assignment(
    editor, module, trainee
):
    """The refresher a reflection session asked someone to study stays."""
    import datetime

    from django.utils import timezone

    from mentorship.models import ReflectionSession, RefresherAssignment
    from tests.factories import OrganisationFactory, ProgrammeFactory, region

    session = ReflectionSession.objects.create(
        programme=ProgrammeFactory(),
        organisation=OrganisationFactory(),
        year=2025,
        start_date=datetime.date(2025, 11, 10),
        end_date=datetime.date(2025, 11, 12),
        place=region("53.02.01"),
    )
    RefresherAssignment.objects.create(
        session=session, person=trainee, module=module, assigned_at=timezone.now()
    )
    response = editor.post(delete_url(module), follow=True)
    assert response.status_code == 200
    assert ADVICE in response.content.decode()
    assert ModulePage.objects.filter(pk=module.pk).exists()
    assert RefresherAssignment.objects.filter(module=module).count() == 1
