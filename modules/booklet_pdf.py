"""A module's booklet drawn as PDF: a cover, then every live lesson in order.

Images, the reflection prompts with lines to write on, the referral services
(never a shelter's address), page numbers below. Drawn in the site's one PDF
frame (`learning.pdf`: fpdf2 and the bundled DejaVu fonts), always in the
site's language: the booklet is cached per content, not per reader.
"""

import io
import logging
import re
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from fpdf.fonts import TextStyle

from learning.pdf import (
    BRAND,
    FONT,
    INK,
    MUTED,
    RULE,
    WASH,
    FramedPDF,
    PageFrame,
    paragraph,
)

from .directory import public_contact, service_label
from .models import LessonPage, ModulePage, ReferralService

logger = logging.getLogger(__name__)

# Bump when the layout changes, so booklets drawn by older code are rebuilt.
LAYOUT_VERSION = "1"

IMAGE_RENDITION = "max-800x800|format-jpeg"
# Wide margins: a booklet is read at length and written in.
BOOKLET_FRAME = PageFrame(side=20, top=18, bottom=22, footer=15)

LINE = 5.5  # mm between lines of body text
WRITING_GAP = 9  # mm between the ruled lines a reader writes on
REFLECTION_LINES = 7
QUESTION_LINES = 3


def render_booklet(
    module: ModulePage, *, on_lesson: Callable[[int, int], None] | None = None
) -> bytes:
    """The module's booklet as PDF bytes; `on_lesson(done, total)` after each lesson."""
    lessons = list(module.lessons())
    with translation.override(settings.LANGUAGE_CODE):
        title = module.title if len(module.title) <= 70 else module.title[:69] + "…"
        # The module's title and the page number below every page.
        pdf = FramedPDF(
            frame=BOOKLET_FRAME,
            footer_text=title,
            title=module.title,
            author=settings.WAGTAIL_SITE_NAME,
        )
        pdf.set_subject(module.summary)
        _draw_cover(pdf, module, lessons)
        for number, lesson in enumerate(lessons, start=1):
            _draw_lesson(pdf, lesson, number=number, total=len(lessons))
            if on_lesson is not None:
                on_lesson(number, len(lessons))
        return bytes(pdf.output())


# Body text in a booklet is a size larger than in a report: it is read at length.
_text = partial(paragraph, size=11, line=LINE)


def _list(pdf: FramedPDF, items: list[str], *, numbered: bool = False) -> None:
    pdf.set_font(FONT, "", 11)
    pdf.set_text_color(*INK)
    for number, item in enumerate(items, start=1):
        pdf.keep_room(LINE)
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(7, LINE, f"{number}." if numbered else "•")
        pdf.multi_cell(0, LINE, item, align="L", new_x="LMARGIN", new_y="NEXT")


def _writing_lines(pdf: FramedPDF, count: int) -> None:
    """Ruled lines to write an answer on, kept on one page."""
    pdf.keep_room(count * WRITING_GAP + 2)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    for _line in range(count):
        pdf.ln(WRITING_GAP)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(4)


def _gap(pdf: FramedPDF, height: float = 3) -> None:
    pdf.ln(height)


def _label(pdf: FramedPDF, text: str) -> None:
    _text(pdf, text.upper(), size=8, style="B", color=MUTED, line=4.5)


def _draw_cover(pdf: FramedPDF, module: ModulePage, lessons: list[LessonPage]) -> None:
    pdf.add_page()
    _text(pdf, settings.WAGTAIL_SITE_NAME, size=14, style="B", color=BRAND)
    _text(pdf, _("Buklet modul"), size=10, color=MUTED)
    _gap(pdf, 8)
    _text(pdf, module.title, size=24, style="B", line=10)
    _gap(pdf, 4)
    if module.cover_image:
        _draw_picture(pdf, module.cover_image, alt_text="", max_height=70)
    _text(pdf, module.summary, size=12, line=6)
    _gap(pdf, 4)
    if module.objectives:
        _text(pdf, _("Tujuan belajar"), size=12, style="B")
        _gap(pdf, 1)
        _list(pdf, module.objectives)
        _gap(pdf, 3)
    _text(
        pdf,
        _("Perkiraan waktu belajar: %(minutes)s menit")
        % {"minutes": module.study_minutes},
        color=MUTED,
    )
    published = [page.last_published_at for page in [module, *lessons]]
    published = [moment for moment in published if moment]
    if published:
        _text(
            pdf,
            _("Isi per %(date)s")
            % {"date": formats.date_format(timezone.localtime(max(published)))},
            color=MUTED,
        )
    _gap(pdf, 5)
    if module.content_note.strip():
        pdf.keep_room(25)
        _label(pdf, _("Catatan isi"))
        _gap(pdf, 1)
        pdf.set_fill_color(*WASH)
        pdf.set_draw_color(*BRAND)
        pdf.set_font(FONT, "", 11)
        pdf.set_text_color(*INK)
        pdf.multi_cell(
            0,
            LINE,
            module.content_note.strip(),
            border=1,
            fill=True,
            padding=3,
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        _gap(pdf, 5)
    if lessons:
        pdf.keep_room(20)
        _text(pdf, _("Isi buklet"), size=12, style="B")
        _gap(pdf, 1)
        _list(pdf, [lesson.title for lesson in lessons], numbered=True)


def _draw_lesson(
    pdf: FramedPDF, lesson: LessonPage, *, number: int, total: int
) -> None:
    pdf.add_page()
    pdf.start_section(lesson.title)
    _label(
        pdf,
        _("Pelajaran %(number)s dari %(total)s") % {"number": number, "total": total},
    )
    _gap(pdf, 1)
    _text(pdf, lesson.title, size=18, style="B", color=BRAND, line=8)
    if lesson.summary:
        _gap(pdf, 1)
        _text(pdf, lesson.summary, style="I", color=MUTED)
    _text(
        pdf,
        _("Waktu belajar: %(minutes)s menit") % {"minutes": lesson.study_minutes},
        size=9,
        color=MUTED,
    )
    _gap(pdf, 4)
    for block in lesson.body:
        draw = BLOCK_DRAWERS.get(block.block_type)
        if draw is not None:
            draw(pdf, block.value)


def _draw_heading(pdf: FramedPDF, value: str) -> None:
    pdf.keep_room(25)  # never a heading alone at the foot of a page
    _gap(pdf, 2)
    _text(pdf, value, size=14, style="B", line=7)
    _gap(pdf, 1)


# Links lead nowhere on paper and embeds are not text: keep only their words.
_LINK_OR_EMBED = re.compile(r"</?a\b[^>]*>|<embed\b[^>]*/?>", re.IGNORECASE)
_HTML_TAG_STYLES = {
    tag: TextStyle(font_style="B", color=INK, font_size_pt=size, t_margin=3, b_margin=1)
    for tag, size in {"h2": 14, "h3": 13, "h4": 12, "h5": 11, "h6": 11}.items()
}


def _draw_rich_text(pdf: FramedPDF, value) -> None:
    html = _LINK_OR_EMBED.sub("", value.source)
    pdf.set_font(FONT, "", 11)
    pdf.set_text_color(*INK)
    pdf.write_html(
        html,
        font_family=FONT,
        li_prefix_color=INK,
        tag_styles=_HTML_TAG_STYLES,
        warn_on_tags_not_matching=False,
    )
    _gap(pdf, 2)


def _draw_picture(pdf: FramedPDF, image, *, alt_text: str, max_height: float) -> None:
    try:
        rendition = image.get_rendition(IMAGE_RENDITION)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        # A missing file should not cost the whole booklet: say what was there.
        logger.warning("Booklet: image %s could not be read", image.pk, exc_info=True)
        description = alt_text or image.title
        _text(
            pdf,
            _("[Gambar: %(description)s]") % {"description": description},
            color=MUTED,
        )
        return
    width = min(pdf.content_width, 130)
    height = width * rendition.height / rendition.width
    if height > max_height:
        height = max_height
        width = height * rendition.width / rendition.height
    pdf.keep_room(height + 2)
    y = pdf.get_y()
    pdf.image(
        io.BytesIO(data),
        x=(pdf.w - width) / 2,
        y=y,
        w=width,
        h=height,
        alt_text=alt_text or None,
    )
    pdf.set_y(y + height + 2)


def _draw_image(pdf: FramedPDF, value) -> None:
    if value["image"] is None:
        return
    _gap(pdf, 2)
    _draw_picture(pdf, value["image"], alt_text=value["alt_text"], max_height=110)
    if value["caption"]:
        _text(pdf, value["caption"], size=9, style="I", color=MUTED, align="C")
    _gap(pdf, 3)


def _draw_key_points(pdf: FramedPDF, value) -> None:
    pdf.keep_room(20)
    _text(pdf, value["title"], size=12, style="B")
    _list(pdf, list(value["points"]))
    _gap(pdf, 3)


def _draw_case_scenario(pdf: FramedPDF, value) -> None:
    pdf.keep_room(30)
    _gap(pdf, 2)
    _label(pdf, _("Kisah kasus (rekaan)"))
    _text(pdf, value["title"], size=12, style="B")
    _gap(pdf, 1)
    _draw_rich_text(pdf, value["story"])
    pdf.keep_room(LINE * 3 + QUESTION_LINES * WRITING_GAP)
    _text(pdf, _("Pertanyaan diskusi"), style="B")
    for number, question in enumerate(value["questions"], start=1):
        pdf.keep_room(LINE * 2 + QUESTION_LINES * WRITING_GAP)
        _text(pdf, f"{number}. {question}")
        _writing_lines(pdf, QUESTION_LINES)
    _gap(pdf, 2)


def _draw_reflection(pdf: FramedPDF, value) -> None:
    pdf.keep_room(25 + REFLECTION_LINES * WRITING_GAP)
    _gap(pdf, 2)
    _label(pdf, _("Refleksi pribadi"))
    _text(pdf, value["prompt"], size=12, style="B", line=6)
    if value["hint"]:
        _text(pdf, value["hint"], size=10, style="I", color=MUTED)
    _writing_lines(pdf, REFLECTION_LINES)


def _draw_document(pdf: FramedPDF, value) -> None:
    document = value["document"]
    title = value["title"] or (document.title if document else "")
    if not title:
        return
    pdf.keep_room(20)
    _text(pdf, _("Dokumen: %(title)s") % {"title": title}, style="B")
    if value["description"]:
        _text(pdf, value["description"])
    _text(
        pdf,
        _(
            "Dokumen ini tidak dicetak di buklet. Unduh dari pustaka Pendamping "
            "di situs, pada halaman pelajaran ini."
        ),
        size=9,
        color=MUTED,
    )
    _gap(pdf, 3)


def _draw_video(pdf: FramedPDF, value) -> None:
    pdf.keep_room(25)
    _text(pdf, _("Video: %(title)s") % {"title": value["title"]}, style="B")
    _label(pdf, _("Transkrip"))
    _text(pdf, value["transcript"], size=10)
    _gap(pdf, 3)


def _draw_glossary_term(pdf: FramedPDF, value) -> None:
    pdf.keep_room(15)
    _text(pdf, value["term"], style="B")
    _text(pdf, value["definition"], indent=4)
    _gap(pdf, 2)


def service_lines(service: ReferralService, *, note: str = "") -> list[str]:
    """What a booklet prints about a referral service.

    Contact details come only from `public_contact`, the directory's one rule:
    a shelter's address or phone is never printed, only the organisation that
    reaches it.
    """
    contact = public_contact(service)
    lines = [str(service_label(service))]
    if contact.address:
        lines.append(_("Alamat: %(address)s") % {"address": contact.address})
    if contact.phones:
        lines.append(
            _("Telepon: %(phone)s")
            % {"phone": " · ".join(phone.text for phone in contact.phones)}
        )
    if not contact.is_shelter and service.opening_hours.strip():
        lines.append(
            _("Jam layanan: %(hours)s") % {"hours": service.opening_hours.strip()}
        )
    if contact.through:
        lines.append(contact.through)
    if note:
        lines.append(note)
    return lines


def _draw_service(pdf: FramedPDF, value) -> None:
    if value["service"] is None:
        return
    name, *details = service_lines(value["service"], note=value["note"])
    pdf.keep_room(20)
    _label(pdf, _("Layanan rujukan"))
    _text(pdf, name, style="B")
    for detail in details:
        _text(pdf, detail, indent=4)
    _gap(pdf, 3)


BLOCK_DRAWERS: dict[str, Callable[[FramedPDF, object], None]] = {
    "heading": _draw_heading,
    "text": _draw_rich_text,
    "image": _draw_image,
    "key_points": _draw_key_points,
    "case_scenario": _draw_case_scenario,
    "reflection": _draw_reflection,
    "document": _draw_document,
    "video": _draw_video,
    "glossary_term": _draw_glossary_term,
    "service": _draw_service,
}
