"""One short sample module, so every part of the curriculum can be tried.

The full demo curriculum is its own piece of work; this module is marked as
a sample in its title and may be edited or deleted freely.
"""

import io

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document
from wagtail.images.models import Image

from fpdf import FPDF
from PIL import Image as PILImage
from PIL import ImageDraw

from learning.models import Programme, User

from .choices import ResourceKind, Topic
from .models import (
    LessonPage,
    ModuleIndexPage,
    ModulePage,
    ReferralService,
    ResourceIndexPage,
    ResourcePage,
)
from .site_setup import SENIOR_FACILITATORS

SAMPLE_MODULE_SLUG = "contoh-mendengarkan-dan-merujuk"
FORM_TITLE = "Formulir pendokumentasian kasus (contoh, kosong)"


def blank_documentation_form() -> bytes:
    """A one-page blank practice form: categories only, no place for identities."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(
        0,
        10,
        "Formulir Pendokumentasian Kasus (latihan)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        0,
        5,
        "Contoh untuk latihan. Jangan menulis nama, alamat, NIK atau nomor telepon "
        "korban di formulir ini.",
    )
    pdf.ln(4)
    fields = [
        ("Bulan dan tahun pengaduan", 1),
        ("Kecamatan", 1),
        (
            "Jenis kekerasan: Fisik / Psikis / Seksual / Eksploitasi / Trafficking / "
            "Penelantaran / Lainnya",
            1,
        ),
        ("Kelompok umur korban: 0-5 / 6-12 / 13-17 / 18-24 / 25-44 / 45-59 / 60+", 1),
        ("Hubungan pelaku dengan korban", 1),
        ("Tempat kejadian", 1),
        ("Layanan yang dirujuk", 2),
        ("Langkah pendamping", 4),
        ("Catatan untuk supervisi", 3),
    ]
    for label, lines in fields:
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 6, label)
        for _ in range(lines):
            pdf.cell(0, 8, "", border="B", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def _sample_picture() -> bytes:
    """A plain illustration: two figures sitting together, drawn with Pillow."""
    picture = PILImage.new("RGB", (1200, 675), (245, 236, 220))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 500, 1200, 675), fill=(196, 164, 120))
    for x, colour in ((430, (120, 60, 90)), (730, (40, 90, 110))):
        draw.ellipse((x - 60, 180, x + 60, 300), fill=(150, 100, 70))
        draw.rounded_rectangle((x - 110, 300, x + 110, 560), 50, fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _image(title: str) -> Image:
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(
            title=title,
            focal_point_x=580,
            focal_point_y=360,
            focal_point_width=500,
            focal_point_height=400,
        )
        image.file = ImageFile(
            io.BytesIO(_sample_picture()), name="contoh-pendampingan.png"
        )
        image.save()
    return image


def _form_document() -> Document:
    document = Document.objects.filter(title=FORM_TITLE).first()
    if document is None:
        document = Document(title=FORM_TITLE)
        document.file = SimpleUploadedFile(
            "formulir-pendokumentasian-kasus-kosong.pdf", blank_documentation_form()
        )
        document.save()
    return document


def _lessons(picture: Image, form: Document, service: ReferralService | None):
    referral = [
        {"type": "heading", "value": "Layanan di sekitarmu"},
        {
            "type": "text",
            "value": (
                "<p>Rujukan berarti mengantar korban ke layanan yang ia pilih, "
                "bukan menyerahkannya. Tanyakan dulu apa yang korban butuhkan: "
                "berobat, rasa aman, atau melapor.</p>"
            ),
        },
    ]
    if service is not None:
        referral.append(
            {
                "type": "service",
                "value": {
                    "service": service.pk,
                    "note": "Contoh: periksa nomor dan jam layanannya sebelum merujuk.",
                },
            }
        )
    return [
        (
            "Menyambut korban yang datang",
            "Langkah pertama ketika seseorang datang dan bercerita.",
            [
                {"type": "heading", "value": "Dengarkan dulu"},
                {
                    "type": "text",
                    "value": (
                        "<p>Orang yang datang kepada pendamping sering sudah lama "
                        "memendam ceritanya. Beri tempat duduk yang tenang, jauh dari "
                        "telinga orang lain, dan biarkan ia bercerita dengan "
                        "kata-katanya sendiri.</p>"
                    ),
                },
                {
                    "type": "image",
                    "value": {
                        "image": picture.pk,
                        "alt_text": "Dua orang duduk berdampingan dan berbicara.",
                        "caption": "Duduk sejajar, bukan berhadapan seperti pemeriksa.",
                    },
                },
                {
                    "type": "key_points",
                    "value": {
                        "title": "Poin penting",
                        "points": [
                            "Percayai ceritanya; jangan menyalahkan.",
                            "Tanyakan apakah ia aman malam ini.",
                            "Jangan menjanjikan hal yang tidak dapat kamu tepati.",
                        ],
                    },
                },
                {
                    "type": "glossary_term",
                    "value": {
                        "term": "Penguatan korban",
                        "definition": (
                            "Dukungan agar korban kembali merasa mampu memilih "
                            "langkahnya sendiri."
                        ),
                    },
                },
                {
                    "type": "reflection",
                    "value": {
                        "prompt": "Apa yang akan kamu lakukan?",
                        "hint": "Seorang ibu datang menangis saat kamu di kebun. "
                        "Tulis tiga hal pertama yang kamu lakukan.",
                    },
                },
            ],
        ),
        (
            "Kisah rekaan: malam di rumah Mama Ina",
            "Latihan menimbang keselamatan sebelum mengambil langkah.",
            [
                {
                    "type": "case_scenario",
                    "value": {
                        "title": "Malam di rumah Mama Ina",
                        "story": (
                            "<p>Mama Ina (bukan nama sebenarnya, kisah rekaan) "
                            "datang malam hari. Suaminya memukulnya setelah pulang "
                            "dari pesta. Ia tidak mau melapor ke polisi karena takut "
                            "anak-anaknya kehilangan ayah, tetapi lengannya "
                            "bengkak.</p>"
                        ),
                        "questions": [
                            "Apa yang paling mendesak malam ini?",
                            "Layanan mana yang dapat ia datangi besok pagi?",
                            "Bagaimana kamu menghormati pilihannya?",
                        ],
                    },
                },
                {
                    "type": "document",
                    "value": {
                        "document": form.pk,
                        "title": "",
                        "description": (
                            "Formulir latihan untuk mencatat kasus tanpa identitas."
                        ),
                    },
                },
                {
                    "type": "reflection",
                    "value": {"prompt": "Apa yang akan kamu lakukan?", "hint": ""},
                },
            ],
        ),
        (
            "Merujuk dengan aman",
            "Mengantar korban ke layanan yang ia pilih.",
            referral,
        ),
    ]


def load_demo_curriculum() -> ModulePage:
    """The sample module, its library entries and the TTS sample services."""
    from .directory import load_sample_services

    services = load_sample_services()
    # The demo facilitator reviews and publishes too, so the whole review
    # workflow can be tried with the demo accounts.
    senior = Group.objects.get(name=SENIOR_FACILITATORS)
    senior.user_set.add(*User.objects.filter(username="fasilitator"))
    uptd = next((s for s in services if s.kind == "uptd_ppa"), None)
    index = ModuleIndexPage.objects.first()
    module = ModulePage.objects.filter(slug=SAMPLE_MODULE_SLUG).first()
    picture = _image("Contoh: pendamping mendengarkan")
    form = _form_document()
    if module is None:
        module = ModulePage(
            slug=SAMPLE_MODULE_SLUG,
            title="Contoh: Mendengarkan dan Merujuk dengan Aman",
            topic=Topic.COUNSELLING,
            summary=(
                "Modul contoh untuk mencoba Pendamping: menyambut korban, menimbang "
                "keselamatan, dan merujuk ke layanan."
            ),
            learning_objectives=(
                "Menyambut korban tanpa menghakimi\n"
                "Menimbang keselamatan korban sebelum bertindak\n"
                "Memilih layanan rujukan bersama korban"
            ),
            study_minutes=30,
            cover_image=picture,
            is_core=True,
            is_refresher=True,
            content_note=(
                "Modul ini membahas kekerasan dalam rumah tangga, termasuk kisah "
                "seorang ibu yang dipukul suaminya."
            ),
        )
        index.add_child(instance=module)
        module.programmes.set(
            Programme.objects.filter(short_name__in=["I-WILL", "SSP-LBK"])
        )
        module.save_revision().publish()
        for title, summary, body in _lessons(picture, form, uptd):
            lesson = LessonPage(
                title=title, summary=summary, body=body, study_minutes=10
            )
            module.add_child(instance=lesson)
            lesson.save_revision().publish()
    library = ResourceIndexPage.objects.first()
    if not ResourcePage.objects.filter(slug="formulir-pendokumentasian-kasus").exists():
        resource = ResourcePage(
            slug="formulir-pendokumentasian-kasus",
            title=FORM_TITLE,
            kind=ResourceKind.FORM,
            summary=(
                "Formulir kosong untuk latihan mencatat kasus tanpa identitas korban."
            ),
            document=form,
        )
        library.add_child(instance=resource)
        resource.save_revision().publish()
    return module
