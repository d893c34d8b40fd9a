"""Pages under the training home are found by their whole path at once
(`TrainingHomePage.route`), and answer exactly as Wagtail's level-by-level
route did: the live page at that path, or 404."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(tree):
    return module_with_lessons(lessons=3, title="Konseling Awal")


@pytest.fixture
def reader(client, trainee):
    client.force_login(trainee)
    return client


def test_every_page_of_the_tree_opens_at_its_path(reader, module, tree):
    home, index, library = tree
    lesson = module.lessons()[1]
    for page in (home, index, library, module, lesson):
        response = reader.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        lambda url, module: url.replace(f"/{module.slug}/", "/modul-lain/"),
        lambda url, module: url + "lanjutan/",
        lambda url, module: url.upper(),
        lambda url, module: url.replace(f"/{module.slug}/", "/"),
        lambda url, module: url.replace(f"/{module.slug}/", f"/{module.slug}/x/"),
    ],
    ids=["another module", "deeper", "upper case", "level skipped", "level added"],
)
def test_a_path_no_page_has_is_404(reader, module, change):
    lesson = module.lessons()[0]
    assert reader.get(change(lesson.url, module)).status_code == 404


def test_an_unpublished_lesson_is_404_and_its_module_still_opens(reader, module):
    lesson = module.lessons()[0].specific
    url = lesson.url
    lesson.unpublish()
    assert reader.get(url).status_code == 404
    assert reader.get(module.url).status_code == 200


def test_a_renamed_module_moves_its_lessons_to_the_new_path(reader, module):
    lesson = module.lessons()[0]
    old = lesson.url
    module.slug = "konseling-dasar"
    module.save_revision().publish()
    lesson.refresh_from_db()

    assert reader.get(old).status_code == 404
    assert lesson.url != old
    assert reader.get(lesson.url).status_code == 200


def test_the_same_slug_in_another_module_opens_its_own_lesson(reader, tree):
    first = module_with_lessons(lessons=1, title="Modul Satu")
    second = module_with_lessons(lessons=1, title="Modul Dua")
    theirs = [module.lessons()[0] for module in (first, second)]
    for lesson in theirs:
        lesson.slug = "pelajaran-sama"
        lesson.save_revision().publish()
    for lesson in theirs:
        lesson.refresh_from_db()
        response = reader.get(lesson.url)
        assert response.status_code == 200
        assert lesson.title in response.content.decode()


def test_a_lesson_costs_no_query_per_level_of_the_tree(reader, module):
    """Wagtail's own route spent two queries on each level of the tree below
    the training home (23 for a lesson in all); finding the lesson by its
    path takes 2, and the module it names 1 more (19)."""
    reader.get("/")  # what the site caches once
    with CaptureQueriesContext(connection) as captured:
        assert reader.get(module.lessons()[0].url).status_code == 200
    assert len(captured) <= 19, "\n".join(q["sql"][:150] for q in captured)
