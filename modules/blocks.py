"""The blocks a lesson is written with.

Each block renders with its own small template, and says in its label and
preview what it is for, so a facilitator picking one knows what the trainee
will see on a phone.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

VIDEO_EXTENSIONS = ("mp4", "webm")
LESSON_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Subjudul")
        template = "modules/blocks/heading.html"
        preview_value = "Mengapa korban sering diam"


class LessonTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=LESSON_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Teks")
        template = "modules/blocks/text.html"
        preview_value = (
            "<p>Pendamping mendengarkan tanpa menghakimi dan membantu korban "
            "memilih langkah berikutnya.</p>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Gambar"))
    alt_text = blocks.CharBlock(
        label=_("Teks pengganti"),
        required=False,
        help_text=_(
            "Untuk pembaca layar: apa yang tampak pada gambar. Kosongkan bila "
            "gambar hanya hiasan."
        ),
    )
    caption = blocks.CharBlock(label=_("Keterangan"), required=False)

    class Meta:
        icon = "image"
        label = _("Gambar dengan keterangan")
        template = "modules/blocks/image.html"


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Judul"), default=_("Poin penting"))
    points = blocks.ListBlock(
        blocks.CharBlock(label=_("Poin")), label=_("Poin"), min_num=1
    )

    class Meta:
        icon = "list-ul"
        label = _("Poin penting")
        template = "modules/blocks/key_points.html"
        preview_value = {
            "title": "Poin penting",
            "points": [
                "Percayai cerita korban.",
                "Keselamatan korban didahulukan.",
                "Rahasiakan identitas korban.",
            ],
        }


class CaseScenarioBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Judul kisah"))
    story = blocks.RichTextBlock(
        label=_("Kisah"), features=["bold", "italic", "ol", "ul"]
    )
    questions = blocks.ListBlock(
        blocks.CharBlock(label=_("Pertanyaan")),
        label=_("Pertanyaan diskusi"),
        min_num=1,
    )

    class Meta:
        icon = "group"
        label = _("Kisah kasus (rekaan)")
        help_text = _(
            "Kisah rekaan untuk didiskusikan. Jangan memakai nama, desa atau "
            "ciri korban yang nyata."
        )
        template = "modules/blocks/case_scenario.html"
        preview_value = {
            "title": "Mama Yuliana di kebun",
            "story": (
                "<p>Seorang ibu datang ke rumah pendamping dengan lebam di "
                "lengan. Ia takut suaminya tahu ia bercerita.</p>"
            ),
            "questions": ["Apa yang pertama kali kamu katakan kepadanya?"],
        }


class ReflectionPromptBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(
        label=_("Pertanyaan refleksi"), default=_("Apa yang akan kamu lakukan?")
    )
    hint = blocks.TextBlock(label=_("Petunjuk"), required=False)

    class Meta:
        icon = "help"
        label = _("Refleksi pribadi")
        help_text = _(
            "Peserta menulis jawabannya di halaman pelajaran. Jawaban itu hanya "
            "dapat dibaca oleh peserta sendiri."
        )
        template = "modules/blocks/reflection_prompt.html"
        preview_value = {
            "prompt": "Apa yang akan kamu lakukan?",
            "hint": "Tulis dua atau tiga langkah pertama.",
        }


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokumen"))
    title = blocks.CharBlock(
        label=_("Judul tautan"),
        required=False,
        help_text=_("Kosongkan untuk memakai judul dokumen."),
    )
    description = blocks.CharBlock(label=_("Keterangan singkat"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Unduhan dokumen")
        template = "modules/blocks/document.html"


class VideoBlock(blocks.StructBlock):
    """A video uploaded to the site as a document; never a third-party embed."""

    video = DocumentChooserBlock(
        label=_("Berkas video"),
        help_text=_(
            "Unggah berkas MP4 atau WebM sebagai dokumen. Buat sekecil mungkin."
        ),
    )
    title = blocks.CharBlock(label=_("Judul video"))
    poster = ImageChooserBlock(label=_("Gambar sampul"), required=False)
    transcript = blocks.TextBlock(
        label=_("Transkrip"),
        help_text=_("Wajib: banyak peserta tidak dapat memutar video."),
    )

    def clean(self, value):
        value = super().clean(value)
        document = value.get("video")
        if document and document.file_extension.lower() not in VIDEO_EXTENSIONS:
            raise StructBlockValidationError(
                block_errors={
                    "video": ValidationError(
                        _("Pilih berkas video MP4 atau WebM, bukan .%(ext)s.")
                        % {"ext": document.file_extension}
                    )
                }
            )
        return value

    class Meta:
        icon = "media"
        label = _("Video (diunggah ke situs)")
        template = "modules/blocks/video.html"


class GlossaryTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Istilah"))
    definition = blocks.TextBlock(label=_("Arti"))

    class Meta:
        icon = "openquote"
        label = _("Istilah")
        template = "modules/blocks/glossary_term.html"
        preview_value = {
            "term": "Visum et repertum",
            "definition": (
                "Keterangan tertulis dokter tentang luka atau keadaan korban, "
                "dibuat atas permintaan penyidik."
            ),
        }


class ServiceLinkBlock(blocks.StructBlock):
    service = SnippetChooserBlock("modules.ReferralService", label=_("Layanan"))
    note = blocks.CharBlock(label=_("Catatan"), required=False)

    class Meta:
        icon = "site"
        label = _("Layanan rujukan")
        template = "modules/blocks/service_link.html"


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = LessonTextBlock()
    image = CaptionedImageBlock()
    key_points = KeyPointsBlock()
    case_scenario = CaseScenarioBlock()
    reflection = ReflectionPromptBlock()
    document = DocumentDownloadBlock()
    video = VideoBlock()
    glossary_term = GlossaryTermBlock()
    service = ServiceLinkBlock()

    class Meta:
        block_counts = {"video": {"max_num": 3}}


class InfoBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = LessonTextBlock()
    image = CaptionedImageBlock()
    key_points = KeyPointsBlock()
