"""A lesson's shared parts are rendered once per change of content
(`modules.content_cache`): every change a reader could see shows on the next
request, nobody's own answer is ever kept for another, and a warm lesson costs
a handful of queries."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from learning.choices import Role
from modules.choices import ServiceKind
from modules.content_cache import content_token, stamp_content_change
from modules.models import ContentStamp, LessonPage, ReferralService, ReflectionAnswer
from tests.factories.modules import LessonPageFactory, module_with_lessons
from tests.factories.people import user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(tree):
    return module_with_lessons(lessons=3, title="Konseling Awal")


@pytest.fixture
def lesson(module):
    return module.lessons()[1].specific


@pytest.fixture
def reader(client, trainee):
    client.force_login(trainee)
    return client


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def republished(lesson: LessonPage, **changes) -> LessonPage:
    for field, value in changes.items():
        setattr(lesson, field, value)
    lesson.save_revision().publish()
    return lesson


def test_an_edited_lesson_shows_its_new_text_on_the_next_request(reader, lesson):
    assert "Isi pelajaran" in page_text(reader, lesson.url)
    body = list(lesson.body.raw_data)
    body[1] = {**body[1], "value": "<p>Kalimat yang baru ditulis.</p>"}
    republished(lesson, body=body)

    text = page_text(reader, lesson.url)
    assert "Kalimat yang baru ditulis." in text
    assert "Isi pelajaran" not in text


def test_a_renamed_service_shows_in_every_lesson_that_names_it(reader, module):
    service = ReferralService.objects.create(
        name="Polsek Kota Lama", kind=ServiceKind.POLSEK, phone="0388-21110"
    )
    lesson = LessonPageFactory(
        parent=module,
        title="Ke polisi",
        body=[{"type": "service", "value": {"service": service.pk, "note": ""}}],
    )
    assert "Polsek Kota Lama" in page_text(reader, lesson.url)

    service.name = "Polsek Kota Baru"
    service.phone = "0388-99999"
    service.save()

    text = page_text(reader, lesson.url)
    assert "Polsek Kota Baru" in text and "0388-99999" in text
    assert "Polsek Kota Lama" not in text


def test_a_renamed_neighbour_changes_the_pager_and_a_new_lesson_its_count(
    reader, module, lesson
):
    first = module.lessons()[0].specific
    assert "Pelajaran 2 dari 3" in page_text(reader, lesson.url)
    republished(first, title="Judul pelajaran pertama yang baru")
    LessonPageFactory(parent=module, title="Pelajaran keempat")

    text = page_text(reader, lesson.url)
    assert "Judul pelajaran pertama yang baru" in text
    assert "Pelajaran 2 dari 4" in text


def test_nobodys_answer_is_kept_for_the_next_reader(
    client, lesson, trainee, organisation
):
    prompt_id = next(b.id for b in lesson.body if b.block_type == "reflection")
    ReflectionAnswer.objects.create(
        user=trainee, lesson=lesson, prompt_id=prompt_id, text="Jawaban rahasia Ani"
    )
    client.force_login(trainee)
    assert "Jawaban rahasia Ani" in page_text(client, lesson.url)

    client.force_login(
        user_with_roles(
            Role.PESERTA, username="uji-peserta-2", organisation=organisation
        )
    )
    text = page_text(client, lesson.url)
    assert "Jawaban rahasia Ani" not in text
    assert f'id="jawaban-{prompt_id}"' in text  # the prompt is there, empty


def test_the_reader_chooses_the_language_of_the_shared_parts(client, trainee, module):
    lesson = LessonPageFactory(
        parent=module,
        title="Kisah",
        body=[
            {
                "type": "case_scenario",
                "value": {
                    "title": "Mama di kebun",
                    "story": "<p>Cerita rekaan.</p>",
                    "questions": ["Apa yang kamu katakan?"],
                },
            }
        ],
    )
    client.force_login(trainee)
    assert "Kisah kasus (rekaan)" in page_text(client, lesson.url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = page_text(client, lesson.url)
    assert "Case story (fictional)" in text
    assert "Kisah kasus (rekaan)" not in text


def test_an_unpublished_lesson_is_gone_at_once_though_it_was_found_before(
    reader, lesson
):
    url = lesson.url
    assert reader.get(url).status_code == 200
    lesson.unpublish()
    assert reader.get(url).status_code == 404


def test_a_lesson_moved_to_another_module_is_found_there(reader, module, lesson):
    old = lesson.url
    assert "Pelajaran 2 dari 3" in page_text(reader, old)
    other = module_with_lessons(lessons=1, title="Modul Tujuan")
    lesson.move(other, pos="last-child")
    lesson.refresh_from_db()

    # Wagtail leaves a redirect at the old address; it leads to the new one.
    response = reader.get(old)
    assert response.status_code in (301, 302)
    assert response.url.rstrip("/").endswith(lesson.url.rstrip("/"))
    text = page_text(reader, lesson.url)
    assert "Modul Tujuan" in text and "Pelajaran 2 dari 2" in text
    assert "Pelajaran 1 dari 2" in page_text(reader, module.lessons()[0].url)


def test_two_pages_found_under_one_token_stay_apart(reader, module):
    first, second = module.lessons()[0], module.lessons()[2]
    for _ in range(2):
        assert first.title in page_text(reader, first.url)
        assert second.title in page_text(reader, second.url)
        assert "Konseling Awal" in page_text(reader, module.url)


def test_a_privacy_setting_closes_a_module_on_the_next_request(reader, module, lesson):
    assert reader.get(lesson.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.GROUPS
    )
    staff = Group.objects.create(name="Hanya staf")
    restriction.groups.add(staff)
    assert reader.get(lesson.url).status_code in (302, 404)
    assert reader.get(module.url).status_code in (302, 404)


def test_a_change_rolled_back_leaves_no_token_behind(lesson):
    before = content_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        republished(lesson, title="Tidak jadi")
        assert content_token() != before
        raise RuntimeError
    assert content_token() == before


def test_with_no_token_in_the_database_nothing_is_kept(reader, lesson):
    """A freshly emptied table: pages are still served, rendered each time."""
    ContentStamp.objects.all().delete()
    cache.clear()
    assert lesson.title in page_text(reader, lesson.url)
    LessonPage.objects.filter(pk=lesson.pk).update(title="Judul diubah diam-diam")
    assert "Judul diubah diam-diam" in page_text(reader, lesson.url)


def test_a_warm_lesson_costs_six_queries(reader, lesson):
    """The session, the person and their groups (as every signed-in page);
    the content token; the person's progress and answers. The lesson itself
    comes from the cache as it stood under the token. A trainee whose module
    is limited to programmes adds one for her enrolment. Wagtail's own route
    and rendering took 23."""
    reader.get(lesson.url)
    with CaptureQueriesContext(connection) as captured:
        assert reader.get(lesson.url).status_code == 200
    assert len(captured) <= 6, "\n".join(q["sql"][:150] for q in captured)
    tokens = [q for q in captured if "modules_contentstamp" in q["sql"]]
    assert len(tokens) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_editors_saving_at_once_each_name_the_content_anew(client, organisation):
    """Stamps are only ever added: twenty changes at once neither wait on one
    row nor share a token, and the lesson shows every one of them after."""
    from tests.concurrency import all_at_once
    from tests.factories.modules import training_tree

    training_tree()
    module = module_with_lessons(lessons=1, title="Modul Rujukan")
    services = [
        ReferralService.objects.create(name=f"Layanan {n:02}", kind=ServiceKind.POLSEK)
        for n in range(20)
    ]
    lesson = LessonPageFactory(
        parent=module,
        title="Daftar layanan",
        body=[
            {"type": "service", "value": {"service": service.pk, "note": ""}}
            for service in services
        ],
    )
    client.force_login(
        user_with_roles(Role.PESERTA, username="uji-peserta", organisation=organisation)
    )
    assert "Layanan 07" in page_text(client, lesson.url)
    before = ContentStamp.objects.count()

    def rename(service):
        def run():
            with transaction.atomic():
                service.name = f"Layanan baru {service.name[-2:]}"
                service.save()
            return "ok"

        return run

    assert all_at_once([rename(service) for service in services]) == ["ok"] * 20
    made = ContentStamp.objects.order_by("pk")[before:]
    assert len({stamp.token for stamp in made}) == 20
    text = page_text(client, lesson.url)
    assert all(f"Layanan baru {n:02}" in text for n in range(20))


def test_a_change_numbered_below_the_newest_still_names_the_content_anew(lesson):
    """PostgreSQL numbers a row on insert: a change begun first can commit
    after a newer one and land below it. Such a row changes the token too."""
    newest = ContentStamp.objects.order_by("-pk").first()
    ContentStamp.objects.create(pk=newest.pk + 10, token=1)
    before = content_token()
    ContentStamp.objects.create(pk=newest.pk + 5, token=2)
    assert content_token() != before


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_a_change_committed_after_a_newer_one_is_seen_on_postgresql():
    """The race itself, on PostgreSQL: an editor's transaction takes its
    stamp first and commits last; a reader between the two commits and a
    reader after them see different tokens."""
    import threading

    from django.db import connections

    assert connection.vendor == "postgresql"
    stamp_content_change()
    stamped, release = threading.Event(), threading.Event()

    def slow_editor():
        try:
            with transaction.atomic():
                stamp_content_change()
                stamped.set()
                release.wait(10)
        finally:
            connections.close_all()

    editor = threading.Thread(target=slow_editor)
    editor.start()
    assert stamped.wait(10)
    with transaction.atomic():
        stamp_content_change()
    between = content_token()
    release.set()
    editor.join(10)
    assert content_token() != between
