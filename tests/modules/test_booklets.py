import io
from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
import wagtail_factories
from pypdf import PdfReader

from modules.booklet_pdf import service_lines
from modules.booklets import build_booklet, content_key, request_booklet
from modules.choices import BookletStatus, ServiceKind
from modules.models import Booklet, ReferralService
from tests.factories import ProgrammeFactory
from tests.factories.modules import LessonPageFactory, module_with_lessons


def pdf_text(data: bytes) -> str:
    """The words of every page, wrapped lines joined by single spaces."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def built(module) -> Booklet:
    booklet = build_booklet(booklet_id=request_booklet(module=module).pk)
    assert booklet.status == BookletStatus.READY, booklet.error
    return booklet


def read(booklet: Booklet) -> bytes:
    with booklet.file.open("rb") as handle:
        return handle.read()


# --- Which booklet: the content key -----------------------------------------


def test_content_key_stays_the_same_while_nothing_is_published(module):
    assert content_key(module) == content_key(module)
    assert len(content_key(module)) == 64


def test_publishing_the_module_changes_the_content_key(module):
    before = content_key(module)
    module.save_revision().publish()
    assert content_key(module) != before


def test_publishing_a_lesson_changes_the_content_key(module):
    before = content_key(module)
    lesson = module.lessons().last()
    lesson.title = "Judul baru"
    lesson.save_revision().publish()
    assert content_key(module) != before


def test_adding_a_lesson_changes_the_content_key_and_unpublishing_it_restores_it(
    module,
):
    before = content_key(module)
    lesson = LessonPageFactory(parent=module, title="Pelajaran tambahan")
    added = content_key(module)
    lesson.unpublish()
    assert added != before
    assert content_key(module) == before


def test_a_scheduled_revision_changes_the_content_key_when_it_is_published(module):
    before = content_key(module)
    lesson = module.lessons().first()
    lesson.title = "Judul terjadwal"
    lesson.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    assert content_key(module) == before, "a draft is not what the booklet prints"

    call_command("publish_scheduled", verbosity=0)

    lesson.refresh_from_db()
    assert lesson.title == "Judul terjadwal"
    assert content_key(module) != before


# --- Asking for a booklet ---------------------------------------------------


def test_asking_twice_makes_one_booklet_and_queues_one_build(
    module, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        booklet = request_booklet(module=module)
    with django_capture_on_commit_callbacks() as second:
        again = request_booklet(module=module)

    assert again.pk == booklet.pk
    assert Booklet.objects.count() == 1
    assert (len(first), len(second)) == (1, 0)
    assert booklet.status == BookletStatus.WAITING
    assert booklet.lessons_total == 3


def test_a_failed_booklet_is_queued_again(module, django_capture_on_commit_callbacks):
    booklet = request_booklet(module=module)
    Booklet.objects.filter(pk=booklet.pk).update(
        status=BookletStatus.FAILED, error="OSError: disk penuh"
    )
    with django_capture_on_commit_callbacks() as queued:
        booklet = request_booklet(module=module)

    assert len(queued) == 1
    assert booklet.status == BookletStatus.WAITING
    assert booklet.error == ""


def test_a_booklet_stuck_for_too_long_is_queued_again(
    module, django_capture_on_commit_callbacks
):
    booklet = request_booklet(module=module)
    Booklet.objects.filter(pk=booklet.pk).update(
        status=BookletStatus.BUILDING,
        requested_at=timezone.now() - timedelta(hours=2),
    )
    with django_capture_on_commit_callbacks() as queued:
        booklet = request_booklet(module=module)

    assert len(queued) == 1
    assert booklet.status == BookletStatus.WAITING


def test_a_booklet_being_built_is_not_queued_again(
    module, django_capture_on_commit_callbacks
):
    booklet = request_booklet(module=module)
    Booklet.objects.filter(pk=booklet.pk).update(status=BookletStatus.BUILDING)
    with django_capture_on_commit_callbacks() as queued:
        request_booklet(module=module)
    assert queued == []


# --- Building -----------------------------------------------------------------


def test_the_booklet_holds_every_lesson_title_and_page_numbers(module):
    booklet = built(module)

    data = read(booklet)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert module.title in text
    for lesson in module.lessons():
        assert lesson.title in text
    assert "Apa yang akan kamu lakukan?" in text  # the reflection prompts
    assert "Halaman 1" in text
    assert "Halaman 4" in text  # the cover, then one page per short lesson
    assert "Tujuan belajar" in text
    assert (booklet.lessons_done, booklet.lessons_total) == (3, 3)
    assert booklet.finished_at is not None


def test_building_twice_is_harmless(module):
    booklet = built(module)

    again = build_booklet(booklet_id=booklet.pk)

    assert again.status == BookletStatus.READY
    assert again.file.name == booklet.file.name
    assert Booklet.objects.count() == 1


def test_a_failed_build_is_recorded(module, monkeypatch):
    from modules import booklets

    def broken(module, *, on_lesson=None):
        raise OSError("disk penuh")

    monkeypatch.setattr(booklets, "render_booklet", broken)
    booklet = request_booklet(module=module)

    with pytest.raises(OSError):
        build_booklet(booklet_id=booklet.pk)

    booklet.refresh_from_db()
    assert booklet.status == BookletStatus.FAILED
    assert "disk penuh" in booklet.error


def test_a_new_booklet_replaces_the_older_ones(module):
    old = built(module)
    old_name = old.file.name
    module.save_revision().publish()

    new = built(module)

    assert list(Booklet.objects.values_list("pk", flat=True)) == [new.pk]
    assert not new.file.storage.exists(old_name)


def test_every_kind_of_block_is_printed(module, organisation):
    image = wagtail_factories.ImageFactory(title="Peta rujukan")
    document = wagtail_factories.DocumentFactory(title="Formulir rujukan")
    police = ReferralService.objects.create(
        name="Polsek Kota SoE",
        kind=ServiceKind.POLSEK,
        address="Jl. Soekarno No. 1, SoE",
        phone="0388-21110",
    )
    shelter = ReferralService.objects.create(
        name="Rumah Aman Uji", kind=ServiceKind.SHELTER, reach_through=organisation
    )
    LessonPageFactory(
        parent=module,
        title="Semua blok",
        body=[
            {
                "type": "text",
                "value": (
                    '<p>Baca <a linktype="page" id="1">halaman</a> <b>ini</b>.</p>'
                    "<ul><li>Satu</li><li><b><i>Dua</i></b></li></ul>"
                ),
            },
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "Peta", "caption": "Peta SoE"},
            },
            {
                "type": "case_scenario",
                "value": {
                    "title": "Mama Yuliana di kebun",
                    "story": "<p>Seorang ibu datang dengan lebam.</p>",
                    "questions": ["Apa yang pertama kali kamu katakan?"],
                },
            },
            {
                "type": "document",
                "value": {"document": document.pk, "title": "", "description": ""},
            },
            {
                "type": "video",
                "value": {
                    "video": document.pk,
                    "title": "Mendengar tanpa menghakimi",
                    "transcript": "Selamat datang di video ini.",
                    "poster": None,
                },
            },
            {
                "type": "glossary_term",
                "value": {
                    "term": "Visum et repertum",
                    "definition": "Keterangan dokter.",
                },
            },
            {"type": "service", "value": {"service": police.pk, "note": ""}},
            {"type": "service", "value": {"service": shelter.pk, "note": "Darurat"}},
        ],
    )

    booklet = built(module)

    data = read(booklet)
    text = pdf_text(data)
    for words in [
        "halaman ini",
        "Dua",
        "Peta SoE",
        "Mama Yuliana di kebun",
        "Apa yang pertama kali kamu katakan?",
        "Formulir rujukan",
        "Mendengar tanpa menghakimi",
        "Selamat datang di video ini.",
        "Visum et repertum",
        "0388-21110",
        "Rumah Aman Uji",
        "Hubungi melalui Yayasan Uji Pendamping.",
    ]:
        assert words in text
    assert b"/Subtype /Image" in data
    assert len(data) < 300_000, "fonts are subset and images resized"


def test_a_sample_service_is_printed_with_its_name_kind_and_mark_once_each():
    hotline = ReferralService(
        name="Layanan SAPA 129 (KemenPPPA) (contoh)",
        kind=ServiceKind.HOTLINE,
        phone="129",
        is_sample=True,
    )
    hospital = ReferralService(name="RSUD SoE", kind=ServiceKind.HOSPITAL)

    assert service_lines(hotline)[0] == "Layanan SAPA 129 (KemenPPPA) · Contoh"
    assert service_lines(hospital)[0] == "RSUD SoE · Rumah sakit"


def test_a_shelter_never_has_its_address_or_phone_printed(organisation):
    # The database refuses a shelter with an address; a booklet must not
    # print one even if a record ever held it.
    shelter = ReferralService(
        name="Rumah Aman Uji",
        kind=ServiceKind.SHELTER,
        address="Jl. Rahasia 7",
        phone="081234567890",
        reach_through=organisation,
    )

    printed = "\n".join(service_lines(shelter, note="Hanya lewat pendamping"))

    assert "Jl. Rahasia" not in printed
    assert "081234567890" not in printed
    assert "Hubungi melalui Yayasan Uji Pendamping." in printed
    assert "Hanya lewat pendamping" in printed


# --- The page ---------------------------------------------------------------


def booklet_url(module) -> str:
    return reverse("modules:booklet", kwargs={"module_id": module.pk})


def test_signed_out_visitors_are_sent_to_sign_in(client, module):
    response = client.get(booklet_url(module))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Booklet.objects.exists()


def test_a_trainee_outside_the_modules_programme_gets_404(signed_in, trainee, tree):
    closed = module_with_lessons(lessons=1, programmes=[ProgrammeFactory()])
    client = signed_in(trainee)

    assert client.get(booklet_url(closed)).status_code == 404
    lesson = closed.lessons().first()
    assert client.get(f"/belajar/buklet/{lesson.pk}/").status_code == 404
    assert not Booklet.objects.exists()


def test_the_first_visit_shows_progress_and_asks_for_one_booklet(
    signed_in, trainee, module
):
    client = signed_in(trainee)

    response = client.get(booklet_url(module))

    assert response.status_code == 200
    assert response["Refresh"] == f"3; url={booklet_url(module)}?keadaan=1"
    content = response.content.decode()
    assert "Buklet sedang disiapkan" in content
    assert "Menunggu giliran dibuat · 3 pelajaran" in content
    assert "<progress" in content
    assert "<script" not in content.split('<main id="isi"')[1]
    assert Booklet.objects.count() == 1

    client.get(booklet_url(module))
    assert Booklet.objects.count() == 1


def test_a_ready_booklet_is_downloaded_as_a_pdf(signed_in, trainee, module):
    client = signed_in(trainee)
    client.get(booklet_url(module))
    build_booklet(booklet_id=Booklet.objects.get().pk)

    response = client.get(booklet_url(module))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{module.slug}.pdf"'
    )
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    assert module.lessons().first().title in pdf_text(data)


def test_progress_moves_lesson_by_lesson_while_the_booklet_is_built(
    signed_in, trainee, module
):
    client = signed_in(trainee)
    client.get(booklet_url(module))
    Booklet.objects.update(status=BookletStatus.BUILDING, lessons_done=2)

    response = client.get(booklet_url(module), {"keadaan": "1"})

    content = response.content.decode()
    assert "Pelajaran 2 dari 3" in content
    assert 'max="3" value="2"' in content
    assert response["Refresh"] == f"3; url={booklet_url(module)}?keadaan=1"


def test_when_the_booklet_is_ready_the_status_page_says_so_and_offers_it_again(
    signed_in, trainee, module
):
    client = signed_in(trainee)
    client.get(booklet_url(module))
    build_booklet(booklet_id=Booklet.objects.get().pk)

    response = client.get(booklet_url(module), {"keadaan": "1"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "Buklet siap" in content
    assert "Buklet sedang disiapkan" not in content
    assert f'href="{booklet_url(module)}">Unduh buklet (PDF)' in content
    assert "Berisi 3 pelajaran" in content
    # The download starts by itself, once, from the plain address.
    assert response["Refresh"] == f"0; url={booklet_url(module)}"
    assert client.get(booklet_url(module))["Content-Type"] == "application/pdf"


def test_a_new_publication_means_a_new_booklet(signed_in, trainee, module):
    client = signed_in(trainee)
    client.get(booklet_url(module))
    build_booklet(booklet_id=Booklet.objects.get().pk)
    module.save_revision().publish()

    response = client.get(booklet_url(module))

    assert response.status_code == 200
    assert "Buklet sedang disiapkan" in response.content.decode()
    assert Booklet.objects.count() == 2


def test_a_failed_booklet_offers_to_try_again(
    signed_in, trainee, module, django_capture_on_commit_callbacks
):
    client = signed_in(trainee)
    client.get(booklet_url(module))
    Booklet.objects.update(status=BookletStatus.FAILED, error="OSError: disk penuh")

    response = client.get(booklet_url(module))

    content = response.content.decode()
    assert "Coba lagi" in content
    assert "disk penuh" not in content
    assert "Refresh" not in response
    assert Booklet.objects.get().status == BookletStatus.FAILED

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(booklet_url(module))

    assert response.status_code == 302
    assert response["Location"] == f"{booklet_url(module)}?keadaan=1"
    assert Booklet.objects.get().status == BookletStatus.WAITING
    assert len(queued) == 1


def test_the_status_page_needs_as_many_queries_for_a_long_module_as_a_short_one(
    signed_in, facilitator, tree
):
    client = signed_in(facilitator)
    counts = []
    for lessons in (1, 8):
        url = booklet_url(module_with_lessons(lessons=lessons))
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20


def test_a_module_without_lessons_still_gets_its_cover(tree):
    empty = module_with_lessons(lessons=0, title="Modul Kosong")

    booklet = built(empty)

    assert "Modul Kosong" in pdf_text(read(booklet))
    assert (booklet.lessons_done, booklet.lessons_total) == (0, 0)


def test_a_missing_image_file_is_named_instead_of_failing_the_booklet(module):
    # Wagtail caches renditions by image id, and rolled-back tests reuse ids.
    cache.clear()
    image = wagtail_factories.ImageFactory(title="Peta rujukan")
    image.file.delete(save=False)
    LessonPageFactory(
        parent=module,
        title="Pelajaran bergambar",
        body=[
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "Peta desa", "caption": ""},
            }
        ],
    )

    booklet = built(module)

    assert "[Gambar: Peta desa]" in pdf_text(read(booklet))
