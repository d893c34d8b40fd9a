import datetime

from django.utils import timezone

import pytest

from learning.choices import Role
from modules.models import LessonProgress, ModuleCompletion
from modules.progress import mark_lesson_done
from modules.selectors import changed_since_completion
from tests.factories import CohortFactory, ProgrammeFactory, user_with_roles
from tests.factories.modules import LessonPageFactory, module_with_lessons

pytestmark = pytest.mark.django_db


def back_date(user, days=400):
    past = timezone.now() - datetime.timedelta(days=days)
    LessonProgress.objects.filter(user=user).update(completed_at=past)
    ModuleCompletion.objects.filter(user=user).update(completed_at=past)


@pytest.fixture
def graduate(alumnus, module):
    """An alumnus who finished the module a year ago."""
    module.is_refresher = True
    module.save_revision().publish()
    for lesson in module.lessons():
        mark_lesson_done(user=alumnus, lesson=lesson)
    back_date(alumnus)
    return alumnus


def test_nothing_has_changed_right_after_graduating(graduate):
    assert changed_since_completion(graduate) == []


def test_a_republished_lesson_shows_as_changed(client, graduate, module):
    lesson = module.lessons()[1]
    lesson.save_revision().publish()
    [item] = changed_since_completion(graduate)
    assert item["lesson"] == lesson and item["kind"] == "updated"
    client.force_login(graduate)
    page = client.get("/belajar/penyegaran/").content.decode()
    assert "Yang berubah sejak kamu lulus" in page
    assert lesson.title in page and "diperbarui" in page
    assert module.title in page  # listed as refresher material
    assert "1 pelajaran berubah sejak kamu lulus." in client.get("/").content.decode()


def test_a_lesson_added_after_completion_shows_as_new(graduate, module):
    added = LessonPageFactory(parent=module, title="Pelajaran baru: LPSK")
    added.save_revision().publish()
    kinds = {
        item["lesson"].title: item["kind"]
        for item in changed_since_completion(graduate)
    }
    assert kinds == {"Pelajaran baru: LPSK": "new"}


def test_search_finds_lessons_the_person_may_open_only(client, trainee, tree):
    mine = ProgrammeFactory(short_name="MILIK")
    CohortFactory(programme=mine, trainees=[trainee])
    open_module = module_with_lessons(
        lessons=1, title="Rujukan ke Puskesmas", programmes=[mine]
    )
    closed = module_with_lessons(
        lessons=1,
        title="Rujukan ke Polsek",
        programmes=[ProgrammeFactory(short_name="X")],
    )
    client.force_login(trainee)
    page = client.get("/cari/", {"q": "Rujukan"}).content.decode()
    assert open_module.title in page
    assert closed.title not in page
    assert closed.lessons().first().title not in page
    client.force_login(user_with_roles(Role.FASILITATOR))
    assert closed.title in client.get("/cari/", {"q": "Rujukan"}).content.decode()


def test_visitors_search_public_pages_only(client, module):
    page = client.get("/cari/", {"q": "Konseling"}).content.decode()
    assert module.title not in page
    assert "Masuk untuk mencari" in page


def test_api_lists_modules_with_progress_and_marks_lessons(client, trainee, module):
    first = module.lessons().first()
    client.force_login(trainee)
    [entry] = client.get("/api/modules/").json()
    assert entry["title"] == "Konseling Awal"
    assert (entry["lessons_total"], entry["percent"]) == (3, 0)
    assert entry["next_lesson_id"] == first.pk
    done = client.post(f"/api/modules/lessons/{first.pk}/done")
    assert done.status_code == 200
    assert done.json()["module_percent"] == 33
    again = client.post(f"/api/modules/lessons/{first.pk}/done")
    assert again.json()["completed_at"] == done.json()["completed_at"]
    lessons = client.get(f"/api/modules/{module.pk}/lessons").json()
    assert [lesson["done"] for lesson in lessons] == [True, False, False]


def test_api_follows_the_page_rules(client, trainee, tree):
    closed = module_with_lessons(
        lessons=1, title="Tertutup", programmes=[ProgrammeFactory(short_name="X")]
    )
    assert client.get("/api/modules/").status_code == 401
    client.force_login(trainee)
    assert client.get("/api/modules/").json() == []
    assert client.get(f"/api/modules/{closed.pk}/lessons").status_code == 404
    lesson = closed.lessons().first()
    assert client.post(f"/api/modules/lessons/{lesson.pk}/done").status_code == 404
    assert not LessonProgress.objects.exists()


def _lesson_queries(client, lesson):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # What is kept per change of content (modules.content_cache) is fetched
    # once before counting: adding people changes no content, a programme does.
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    return len(queries)


def test_lesson_page_queries_do_not_grow_with_lessons_and_trainees(
    client, trainee, tree, django_assert_max_num_queries
):
    small = module_with_lessons(lessons=2, title="Kecil")
    big = module_with_lessons(lessons=12, title="Besar")
    client.force_login(trainee)
    # What the site caches once (its root paths) is fetched before counting.
    client.get("/")
    small_count = _lesson_queries(client, small.lessons()[1])
    cohort = CohortFactory(trainees=[trainee])
    for number in range(15):
        other = user_with_roles(Role.PESERTA, username=f"lain-{number}")
        cohort.enrolments.create(trainee=other)
        for lesson in big.lessons():
            mark_lesson_done(user=other, lesson=lesson)
    for lesson in list(big.lessons())[:5]:
        mark_lesson_done(user=trainee, lesson=lesson)
    big_count = _lesson_queries(client, big.lessons()[6])
    assert big_count == small_count
    with django_assert_max_num_queries(25):
        client.get(big.lessons()[6].url)


def test_module_and_home_queries_do_not_grow_with_modules(client, trainee, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    module_with_lessons(lessons=2, title="Satu")
    client.force_login(trainee)
    client.get("/")  # what the site caches once is fetched before counting
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for number in range(6):
        module_with_lessons(lessons=4, title=f"Tambahan {number}")
    client.get("/")  # new content: what is cached once is fetched again first
    with CaptureQueriesContext(connection) as seven:
        client.get("/")
    assert len(seven) == len(one)
