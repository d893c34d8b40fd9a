"""A module's offline package: what a phone stores, and that nothing private
or secret goes with it."""

import json

from django.urls import reverse

import pytest

from learning.choices import Role
from learning.offline import OWNER_HEADER, owner_mark
from modules.booklets import build_booklet, request_booklet
from modules.models import OfflinePackage
from modules.offline import module_version, prepare_offline_packages
from modules.progress import mark_lesson_done, save_reflection
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import ProgrammeFactory
from tests.factories.modules import module_with_lessons
from tests.factories.people import user_with_roles

pytestmark = pytest.mark.django_db


def package(client, module) -> dict:
    response = client.get(reverse("modules:offline_package", args=[module.pk]))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_package_lists_the_module_its_lessons_and_their_sizes(
    signed_in, trainee, module
):
    client = signed_in(trainee)
    found = package(client, module)
    keys = [entry["key"] for entry in found["entries"]]
    lessons = list(module.lessons())
    assert module.url in keys
    assert all(lesson.url in keys for lesson in lessons)
    assert found["size"] == sum(entry["size"] for entry in found["entries"])
    for entry in found["entries"]:
        if entry["kind"] == "halaman":
            copy = client.get(entry["source"])
            assert copy.status_code == 200
            assert len(copy.content) == entry["size"]


def test_the_module_page_shows_the_package_size_once_it_is_built(
    signed_in, trainee, module
):
    client = signed_in(trainee)
    before = client.get(module.url).content.decode()
    assert "Ukurannya ditampilkan sebelum disimpan" in before
    size = package(client, module)["size"]
    after = client.get(module.url).content.decode()
    assert "sekitar" in after and "di ponsel" in after
    assert OfflinePackage.objects.get(module=module).size == size


def test_an_offline_copy_holds_no_name_no_answer_and_no_progress(
    signed_in, trainee, module
):
    lesson = module.lessons().first()
    prompt = next(b for b in lesson.specific.body if b.block_type == "reflection")
    save_reflection(
        user=trainee, lesson=lesson, prompt_id=prompt.id, text="Rahasia Ibu Yanti"
    )
    mark_lesson_done(user=trainee, lesson=lesson)
    client = signed_in(trainee)

    live = client.get(lesson.url).content.decode()
    assert "Rahasia Ibu Yanti" in live and trainee.username in live

    copy = client.get(reverse("modules:offline_copy", args=[lesson.pk]))
    html = copy.content.decode()
    assert lesson.title in html
    assert "Rahasia Ibu Yanti" not in html
    assert trainee.username not in html
    assert trainee.display_name not in html
    assert "csrfmiddlewaretoken" not in html
    assert "sudah selesai" not in html
    assert "data-offline-owner" not in html
    assert "data-offline-note hidden" in html


def test_the_live_page_carries_the_owner_mark_and_copies_for_the_worker(
    signed_in, trainee, module
):
    client = signed_in(trainee)
    response = client.get(module.url)
    assert response[OWNER_HEADER] == owner_mark(trainee)
    assert owner_mark(trainee) not in (trainee.username, str(trainee.pk))
    client.logout()
    assert client.get(reverse("login"))[OWNER_HEADER] == ""


def test_someone_outside_the_programme_gets_no_package(signed_in, trainee, tree):
    module = module_with_lessons(
        lessons=1, title="Modul Program Lain", programmes=[ProgrammeFactory()]
    )
    client = signed_in(trainee)
    for name, args in (
        ("modules:offline_package", [module.pk]),
        ("modules:offline_copy", [module.pk]),
        ("modules:offline_copy", [module.lessons().first().pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
    versions = client.get(
        reverse("modules:offline_versions"), {"modul": [module.pk]}
    ).json()
    assert versions == {str(module.pk): None}


def test_nobody_signed_in_gets_a_refusal_not_a_sign_in_page(client, module):
    for name, args in (
        ("modules:offline_package", [module.pk]),
        ("modules:offline_copy", [module.pk]),
        ("modules:offline_versions", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403


def test_publishing_a_lesson_changes_the_version_and_the_package(
    signed_in, trainee, module
):
    client = signed_in(trainee)
    first = package(client, module)
    lesson = module.lessons().last()
    lesson.title = "Judul yang lebih panjang dari sebelumnya"
    lesson.save_revision().publish()
    versions = client.get(
        reverse("modules:offline_versions"), {"modul": [module.pk]}
    ).json()
    assert versions[str(module.pk)] != first["version"]
    second = package(client, module)
    assert second["version"] == versions[str(module.pk)]
    assert second["size"] > first["size"]
    assert OfflinePackage.objects.filter(module=module).count() == 1


def test_a_ready_booklet_goes_into_the_package(signed_in, trainee, module):
    client = signed_in(trainee)
    first = package(client, module)
    assert first["booklet_pending"] is True
    assert not [e for e in first["entries"] if e["kind"] == "pdf"]
    build_booklet(booklet_id=request_booklet(module=module).pk)
    second = package(client, module)
    [pdf] = [e for e in second["entries"] if e["kind"] == "pdf"]
    assert pdf["key"] == reverse("modules:booklet", args=[module.pk])
    assert pdf["size"] > 1000
    assert second["version"] != first["version"]


@pytest.mark.parametrize(
    "asked",
    [["x"], ["0"], ["-1"], ["9" * 40], ['"'], ["\x00"], [str(2**63)], []],
)
def test_versions_ignore_what_is_not_a_module_id(signed_in, trainee, module, asked):
    client = signed_in(trainee)
    response = client.get(reverse("modules:offline_versions"), {"modul": asked})
    assert response.status_code == 200
    assert response.json() == {}


def test_versions_answer_at_most_fifty_modules(signed_in, trainee, module):
    client = signed_in(trainee)
    asked = [str(module.pk)] + [str(n) for n in range(10_000, 10_200)]
    found = client.get(reverse("modules:offline_versions"), {"modul": asked}).json()
    assert len(found) == 50
    assert found[str(module.pk)] == module_version(module)


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert json.dumps(reverse("offline"))[1:-1] in body
    assert "{%" not in body and "{{" not in body


def test_the_offline_page_is_stored_without_the_person_s_name(signed_in, trainee):
    client = signed_in(trainee)
    html = client.get(reverse("offline")).content.decode()
    assert "Hapus semua dari ponsel ini" in html
    assert trainee.username not in html and trainee.display_name not in html


def test_a_facilitator_can_store_any_live_module(signed_in, module):
    facilitator = user_with_roles(Role.FASILITATOR, username="uji-fas-offline")
    assert package(signed_in(facilitator), module)["module"] == module.pk


def test_prepare_site_builds_every_module_s_package_so_its_page_shows_the_size(
    signed_in, trainee, module
):
    other = module_with_lessons(lessons=1, title="Modul Kedua")
    prepare_offline_packages(demo=True)
    assert set(OfflinePackage.objects.values_list("module_id", flat=True)) == {
        module.pk,
        other.pk,
    }
    built = OfflinePackage.objects.get(module=module)
    assert built.version == module_version(module)
    html = signed_in(trainee).get(module.url).content.decode()
    assert "di ponsel" in html
    # The copies built without a request from a browser are the ones served.
    assert package(signed_in(trainee), module)["size"] == built.size


def test_a_signed_in_browser_revalidates_the_service_worker_in_a_few_bytes(
    signed_in, trainee
):
    client = signed_in(trainee)
    first = client.get("/sw.js")
    assert first["Cache-Control"] == "no-cache"
    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    # Pages shown to the person are still never stored.
    assert "no-store" in client.get(reverse("offline"))["Cache-Control"]


def test_the_admin_report_shows_each_module_s_package_size_to_staff(
    client, trainee, facilitator, module
):
    url = reverse("modules_offline_packages")
    client.force_login(trainee)
    assert client.get(url).status_code == 302
    assert not OfflinePackage.objects.exists()
    client.force_login(facilitator)
    response = client.get(url)
    assert response.status_code == 200, response
    html = response.content.decode()
    built = OfflinePackage.objects.get(module=module)
    assert module.title in html
    assert "Paket offline" in html
    assert f"{len(built.entries)} berkas" in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_phones_asking_for_a_new_package_at_once_get_one_package(tree):
    """Each in its own thread and connection (PostgreSQL in CI)."""
    module = module_with_lessons(lessons=2, title="Modul Serentak")
    trainee = user_with_roles(Role.PESERTA)
    url = reverse("modules:offline_package", args=[module.pk])

    def ask(client):
        response = client.get(url)
        return (response.status_code, response.json()["version"])

    answers = all_at_once(
        [lambda client=client: ask(client) for client in signed_in_clients(trainee, 20)]
    )
    assert {answer[0] for answer in answers} == {200}, answers
    assert len({answer[1] for answer in answers}) == 1
    assert OfflinePackage.objects.filter(module=module).count() == 1
