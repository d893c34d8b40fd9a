"""Who may open which module, lesson, listing, search hit and document."""

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

import pytest

from learning.choices import Role
from modules.access import can_view_page, modules_visible_to
from modules.site_setup import restrict_documents
from tests.factories import CohortFactory, ProgrammeFactory, user_with_roles
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes(trainee):
    """The trainee's programme, and another programme they are not in."""
    mine = ProgrammeFactory(short_name="MILIK")
    CohortFactory(programme=mine, trainees=[trainee])
    return mine, ProgrammeFactory(short_name="LAIN")


@pytest.fixture
def modules(tree, programmes):
    mine, theirs = programmes
    return {
        "mine": module_with_lessons(
            lessons=1, title="Modul Programku", programmes=[mine]
        ),
        "theirs": module_with_lessons(
            lessons=1, title="Modul Program Lain", programmes=[theirs]
        ),
        "open": module_with_lessons(lessons=1, title="Modul Terbuka"),
    }


def titles(user):
    return set(modules_visible_to(user).values_list("title", flat=True))


def test_trainees_see_their_programmes_modules_and_open_ones(trainee, modules):
    assert titles(trainee) == {"Modul Programku", "Modul Terbuka"}


@pytest.mark.parametrize("role", [Role.FASILITATOR, Role.KOORDINATOR, Role.ALUMNI])
def test_staff_and_alumni_see_every_live_module(role, modules):
    assert titles(user_with_roles(role)) == {
        "Modul Programku",
        "Modul Program Lain",
        "Modul Terbuka",
    }


def test_people_without_a_role_and_visitors_see_no_module(client, modules):
    assert titles(user_with_roles()) == set()
    response = client.get(modules["open"].url)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_another_programmes_lesson_is_not_found_for_a_trainee(client, trainee, modules):
    client.force_login(trainee)
    lesson = modules["theirs"].lessons().first()
    assert client.get(lesson.url).status_code == 404
    assert client.get(modules["theirs"].url).status_code == 404
    assert client.post(f"/belajar/pelajaran/{lesson.pk}/selesai/").status_code == 404
    assert client.get(modules["mine"].lessons().first().url).status_code == 200
    listing = client.get(modules["mine"].get_parent().url).content.decode()
    assert "Modul Programku" in listing and "Modul Program Lain" not in listing


def test_drafts_never_appear(client, trainee, modules):
    modules["open"].unpublish()
    assert "Modul Terbuka" not in titles(trainee)
    client.force_login(trainee)
    assert "Modul Terbuka" not in client.get("/cari/?q=Terbuka").content.decode()
    assert (
        "Modul Terbuka"
        not in client.get(modules["open"].get_parent().url).content.decode()
    )


def test_a_draft_lesson_is_not_listed_or_served(client, trainee, modules):
    module = modules["mine"]
    lesson = module.lessons().first()
    lesson.unpublish()
    client.force_login(trainee)
    assert lesson.title not in client.get(module.url).content.decode()
    assert client.get(f"/belajar/pelajaran/{lesson.pk}/selesai/").status_code == 405
    assert client.post(f"/belajar/pelajaran/{lesson.pk}/selesai/").status_code == 404


def test_a_page_restricted_to_a_group_is_hidden_from_others(client, trainee, modules):
    from django.contrib.auth.models import Group

    restriction = PageViewRestriction.objects.create(
        page=modules["mine"], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name=Role.FASILITATOR.value))
    assert "Modul Programku" not in titles(trainee)
    assert "Modul Programku" in titles(user_with_roles(Role.FASILITATOR))
    client.force_login(trainee)
    assert client.get(modules["mine"].lessons().first().url).status_code != 200


def test_documents_need_a_signed_in_person(client, trainee):
    restrict_documents()
    document = Document.objects.create(
        title="Formulir kosong",
        file=SimpleUploadedFile("formulir.txt", b"formulir latihan"),
    )
    response = client.get(document.url)
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    client.force_login(trainee)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"formulir latihan"


def test_info_pages_are_open_to_visitors(client):
    from modules.site_setup import ensure_page_tree

    ensure_page_tree()
    response = client.get("/tentang/")
    assert response.status_code == 200
    assert "Nusa Tenggara Timur" in response.content.decode()


def test_can_view_page_follows_the_module_for_lessons(trainee, modules):
    assert can_view_page(trainee, modules["mine"].lessons().first())
    assert not can_view_page(trainee, modules["theirs"].lessons().first())


# --- The page rule reads cached facts: it must agree with the query rule ------------


def _everyone(trainee):
    return [
        trainee,
        user_with_roles(Role.PESERTA, username="peserta-tanpa-angkatan"),
        user_with_roles(Role.FASILITATOR, username="fasilitator-lain"),
        user_with_roles(Role.ALUMNI, username="alumni-lain"),
        user_with_roles(username="tanpa-peran"),
    ]


def test_opening_a_page_agrees_with_the_listing_for_every_person_and_module(
    trainee, modules
):
    from django.contrib.auth.models import Group

    unpublished = module_with_lessons(lessons=1, title="Modul Ditarik")
    unpublished.unpublish()
    closed = PageViewRestriction.objects.create(
        page=modules["open"], restriction_type=PageViewRestriction.GROUPS
    )
    closed.groups.add(Group.objects.get(name=Role.ALUMNI.value))
    pages = [*modules.values(), unpublished]
    for person in _everyone(trainee):
        listed = set(modules_visible_to(person).values_list("pk", flat=True))
        for module in pages:
            lesson = module.lessons().first() or module.get_children().first()
            expected = module.pk in listed
            assert can_view_page(person, module) == expected, (person, module)
            assert can_view_page(person, lesson) == expected, (person, lesson)


def test_a_trainee_taken_out_of_her_cohort_loses_its_modules_at_once(
    client, trainee, modules
):
    lesson = modules["mine"].lessons().first()
    client.force_login(trainee)
    assert client.get(lesson.url).status_code == 200
    trainee.enrolments.all().delete()
    assert client.get(lesson.url).status_code == 404


def test_a_password_on_a_module_asks_for_it_before_its_lessons(
    client, trainee, modules
):
    PageViewRestriction.objects.create(
        page=modules["open"],
        restriction_type=PageViewRestriction.PASSWORD,
        password="kata-rahasia",
    )
    client.force_login(trainee)
    response = client.get(modules["open"].lessons().first().url)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert "Modul Terbuka: pelajaran 1" not in response.content.decode()
