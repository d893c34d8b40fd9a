"""Images and documents uploaded in the admin are checked by their content:
what is refused says why in Indonesian on the form, and nothing is saved
(no row, no file left in storage)."""

import hashlib
import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

import pytest
from PIL import Image as PILImage

from learning.models import User
from learning.uploads import check_document, document_content_matches

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()

IMAGES = "/admin/images/add/"
IMAGES_MULTIPLE = "/admin/images/multiple/add/"
DOCUMENTS = "/admin/documents/add/"
DOCUMENTS_MULTIPLE = "/admin/documents/multiple/add/"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML_AS_PDF = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64


def picture(fmt: str = "PNG", size=(64, 48)) -> bytes:
    """An image of noise (which does not compress: its size is its pixels)."""
    out = io.BytesIO()
    noise = hashlib.shake_256(fmt.encode()).digest(size[0] * size[1] * 3)
    PILImage.frombytes("RGB", size, noise).save(out, fmt)
    return out.getvalue()


def office(kind: str = "docx") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<x/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w/>")
    return out.getvalue()


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {
        path
        for folder in ("original_images", "images", "documents")
        for path in (root / folder).rglob("*")
        if path.is_file()
    }


@pytest.fixture
def admin_client(client):
    person = User.objects.create_superuser(username="unggah-uji", password="x" * 12)
    client.force_login(person)
    return client


@pytest.fixture
def root():
    # A transactional test earlier in the run empties the tables the
    # migrations filled, Wagtail's root collection among them.
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def upload(client, url, name, content, root, **extra):
    data = {
        "title": "Uji",
        "collection": root.pk,
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(url, data)


def refused(response, model, before_files, *words):
    """The form came back with the message, and nothing was written."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    for word in words:
        assert word in page, word
    assert model.objects.count() == 0
    assert stored_files() == before_files


# --- images ------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "a.png"), ("JPEG", "foto.jpg")])
def test_a_whole_image_is_saved(admin_client, root, fmt, name):
    response = upload(admin_client, IMAGES, name, picture(fmt), root)
    assert response.status_code == 302
    assert Image.objects.get().width == 64


def test_a_truncated_png_is_refused_and_nothing_saved(admin_client, root):
    before = stored_files()
    whole = picture("PNG", size=(400, 300))
    response = upload(
        admin_client, IMAGES, "potong.png", whole[: len(whole) // 2], root
    )
    refused(response, Image, before, "rusak atau tidak lengkap")


def test_a_truncated_jpeg_is_refused_in_the_multiple_uploader(admin_client, root):
    before = stored_files()
    whole = picture("JPEG", size=(400, 300))
    response = admin_client.post(
        IMAGES_MULTIPLE,
        {"files[]": SimpleUploadedFile("potong.jpg", whole[: len(whole) // 2])},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is False
    assert "rusak atau tidak lengkap" in body["error_message"]
    assert Image.objects.count() == 0 and stored_files() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("gambar.svg", "Format gambar tidak didukung"),
        ("gambar.png", "Berkas ini bukan gambar JPEG, PNG, WebP atau GIF"),
    ],
)
def test_an_svg_with_a_script_is_refused(admin_client, root, name, message):
    before = stored_files()
    response = upload(admin_client, IMAGES, name, SVG_WITH_SCRIPT, root)
    refused(response, Image, before, message)


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000)
def test_an_image_over_the_size_limit_is_refused(admin_client, root):
    before = stored_files()
    content = picture("PNG", size=(300, 300))
    assert len(content) > 1000
    response = upload(admin_client, IMAGES, "besar.png", content, root)
    refused(response, Image, before, "terlalu besar")


def test_an_empty_image_is_refused(admin_client, root):
    before = stored_files()
    response = upload(admin_client, IMAGES, "kosong.png", b"", root)
    refused(response, Image, before, "kosong")


# --- documents -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("materi.pdf", PDF),
        ("catatan.docx", office("docx")),
        ("catatan.odt", office("odt")),
        ("video.mp4", MP4),
        ("video.webm", WEBM),
        ("daftar.csv", b"nama,jumlah\nA,1\n"),
        ("catatan.txt", b"Catatan pelatihan: hari 1.\n"),
    ],
)
def test_a_document_that_is_what_its_name_says_is_saved(
    admin_client, root, name, content
):
    response = upload(admin_client, DOCUMENTS, name, content, root)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Document.objects.get().file.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("materi.pdf", HTML_AS_PDF, "PDF"),
        ("materi.pdf", b"MZ\x90\x00" + b"\x00" * 100, "PDF"),
        ("catatan.docx", PDF, "Word (.docx)"),
        ("catatan.docx", b"PK\x03\x04 broken zip", "Word (.docx)"),
        ("catatan.odt", office("docx"), "OpenDocument (.odt)"),
        ("video.mp4", HTML_AS_PDF, "video MP4"),
        ("video.webm", MP4, "video WebM"),
        ("catatan.txt", HTML_AS_PDF, "teks"),
        ("daftar.csv", b"a,b\x00c", "CSV"),
    ],
)
def test_a_document_whose_content_is_not_what_its_name_says_is_refused(
    admin_client, root, name, content, kind
):
    before = stored_files()
    response = upload(admin_client, DOCUMENTS, name, content, root)
    refused(response, Document, before, "Isi berkas ini bukan", kind)


def test_a_fake_pdf_is_refused_in_the_multiple_uploader(admin_client, root):
    before = stored_files()
    response = admin_client.post(
        DOCUMENTS_MULTIPLE,
        {"files[]": SimpleUploadedFile("materi.pdf", HTML_AS_PDF)},
    )
    body = response.json()
    assert body["success"] is False
    assert "bukan PDF" in body["error_message"]
    assert Document.objects.count() == 0 and stored_files() == before


def test_an_svg_document_is_refused_by_its_extension(admin_client, root):
    before = stored_files()
    response = upload(admin_client, DOCUMENTS, "gambar.svg", SVG_WITH_SCRIPT, root)
    refused(response, Document, before, "“svg” tidak diizinkan")


def test_an_empty_document_is_refused_with_that_reason_alone(admin_client, root):
    before = stored_files()
    response = upload(admin_client, DOCUMENTS, "kosong.pdf", b"", root)
    refused(response, Document, before, "kosong")
    assert "tidak diizinkan" not in response.content.decode()


def test_a_fake_pdf_is_refused_with_that_reason_alone(admin_client, root):
    before = stored_files()
    response = upload(admin_client, DOCUMENTS, "materi.pdf", HTML_AS_PDF, root)
    refused(response, Document, before, "Isi berkas ini bukan PDF")
    assert "tidak diizinkan" not in response.content.decode()


@override_settings(PENDAMPING_DOCUMENT_MAX_UPLOAD_SIZE=100)
def test_a_document_over_the_size_limit_is_refused_naming_the_limit(admin_client, root):
    before = stored_files()
    response = upload(admin_client, DOCUMENTS, "materi.pdf", PDF + b" " * 200, root)
    refused(response, Document, before, "terlalu besar", "Paling besar 100")


@override_settings(
    PENDAMPING_DOCUMENT_MAX_UPLOAD_SIZE=100, PENDAMPING_MEDIA_MAX_UPLOAD_SIZE=10_000
)
def test_a_video_has_its_own_larger_limit(admin_client, root):
    response = upload(admin_client, DOCUMENTS, "video.mp4", MP4 + b"\x00" * 500, root)
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name", ['materi "akhir".pdf', "materi'\x00.pdf", "..\\..\\materi.pdf", "💥.pdf"]
)
def test_a_file_named_with_quotes_or_nul_is_saved_under_a_safe_name_or_refused(
    admin_client, root, name
):
    response = upload(admin_client, DOCUMENTS, name, PDF, root)
    assert response.status_code in (200, 302)
    for document in Document.objects.all():
        stored = Path(document.file.name).name
        assert "\x00" not in stored and '"' not in stored and "\\" not in stored
        assert document.file.size == len(PDF)


def test_a_replacement_file_is_checked_too(admin_client, root):
    upload(admin_client, DOCUMENTS, "materi.pdf", PDF, root)
    document = Document.objects.get()
    response = admin_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "Uji",
            "collection": root.pk,
            "file": SimpleUploadedFile("materi.pdf", HTML_AS_PDF),
        },
    )
    assert response.status_code == 200
    assert "Isi berkas ini bukan PDF" in response.content.decode()
    document.refresh_from_db()
    assert document.file.read() == PDF


def test_the_content_rules_read_only_the_head_of_a_file():
    assert document_content_matches(io.BytesIO(PDF), "pdf")
    assert not document_content_matches(io.BytesIO(b""), "pdf")
    # An extension with no rule is never taken on trust.
    assert not document_content_matches(io.BytesIO(PDF), "exe")


def test_check_document_names_the_limit_in_words():
    class Big(io.BytesIO):
        name = "materi.pdf"
        size = 50 * 1024 * 1024

    with pytest.raises(ValidationError) as refusal:
        check_document(Big(PDF))
    [message] = refusal.value.messages
    assert message == "Berkas ini terlalu besar (50,0\xa0MB). Paling besar 20,0\xa0MB."
