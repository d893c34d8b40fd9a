"""Printable module booklets: one PDF per published state of a module.

For villages where a phone is shared or paper is easier, any module can be
downloaded as a booklet: a cover, every live lesson in order, images, the
reflection prompts with lines to write on, page numbers. A Celery worker
builds it (`build_booklet`) the first time someone asks for the module as it
is now published (`request_booklet`); `content_key` says what "as it is now"
means, so every way of publishing (by hand, workflow approval, the scheduled
`publish_scheduled` command) leads to a fresh booklet on the next request.

The PDF is drawn with fpdf2 and the bundled DejaVu fonts (subset into each
file), always in the site's language: the cache is per content, not per reader.
"""

import hashlib
import io
import logging
import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Page

from fpdf import FPDF
from fpdf.fonts import TextStyle

from .choices import BookletStatus
from .directory import public_contact
from .models import Booklet, LessonPage, ModulePage, ReferralService

logger = logging.getLogger(__name__)

# Bump when the layout changes, so booklets drawn by older code are rebuilt.
LAYOUT_VERSION = "1"
# The build task's limits; a booklet still waiting or building well after them
# was lost (a worker died, a message vanished) and is queued again on request.
BUILD_SOFT_TIME_LIMIT = 4 * 60
BUILD_TIME_LIMIT = 5 * 60
STUCK_AFTER = timedelta(minutes=30)

IMAGE_RENDITION = "max-800x800|format-jpeg"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    # Rich text may nest bold and italic; bold alone reads well enough on paper.
    "BI": "DejaVuSans-Bold.ttf",
}

INK = (31, 35, 40)
MUTED = (87, 96, 106)
BRAND = (122, 46, 92)
RULE = (175, 180, 186)
WASH = (244, 241, 236)

LINE = 5.5  # mm between lines of body text
WRITING_GAP = 9  # mm between the ruled lines a reader writes on
REFLECTION_LINES = 7
QUESTION_LINES = 3


# --- Which booklet -----------------------------------------------------------


def content_key(module: ModulePage) -> str:
    """A fingerprint of what the module's booklet would contain now.

    It covers the module and each of its live lessons, in order: their ids,
    live revisions and publication times (pages made without a revision have
    only the time). Publishing anything in the module, by any route, changes
    it; saving a draft does not.
    """
    columns = ("pk", "live_revision_id", "last_published_at")
    rows = [
        *Page.objects.filter(pk=module.pk).values_list(*columns),
        *module.lessons().values_list(*columns),
    ]
    fingerprint = "|".join(
        f"{pk}:{revision_id or ''}:{published.isoformat() if published else ''}"
        for pk, revision_id, published in rows
    )
    return hashlib.sha256(f"{LAYOUT_VERSION}|{fingerprint}".encode()).hexdigest()


def current_booklet(*, module: ModulePage) -> Booklet | None:
    """The booklet for the module as it is published now, if one was asked for."""
    return Booklet.objects.filter(
        module=module, content_key=content_key(module)
    ).first()


def request_booklet(*, module: ModulePage) -> Booklet:
    """The booklet for the module as published now, queued for building if needed.

    Safe to call on every page view and on double clicks: the build is queued
    when the booklet is new, when it failed, or when it has waited far longer
    than a build may take; only one of two simultaneous requests queues it.
    """
    booklet, created = Booklet.objects.get_or_create(
        module=module,
        content_key=content_key(module),
        defaults={"lessons_total": module.lessons().count()},
    )
    if created:
        _queue_build(booklet)
        return booklet
    in_progress = booklet.status in (BookletStatus.WAITING, BookletStatus.BUILDING)
    stuck = in_progress and booklet.requested_at < timezone.now() - STUCK_AFTER
    if booklet.status == BookletStatus.FAILED or stuck:
        retried = Booklet.objects.filter(
            pk=booklet.pk, status=booklet.status, requested_at=booklet.requested_at
        ).update(
            status=BookletStatus.WAITING,
            requested_at=timezone.now(),
            lessons_done=0,
            error="",
            finished_at=None,
        )
        booklet.refresh_from_db()
        if retried:
            _queue_build(booklet)
    return booklet


def _queue_build(booklet: Booklet) -> None:
    from .tasks import build_booklet_task

    # The worker reads the row through its own connection: send the task only
    # once the transaction that made it has committed.
    transaction.on_commit(partial(build_booklet_task.delay, booklet.pk))


# --- Building ------------------------------------------------------------------


def build_booklet(*, booklet_id: int) -> Booklet:
    """Draw the booklet's PDF and store it; safe to run twice.

    Only a waiting booklet is built: a ready one is left alone, one that
    another worker is building is left to it, a failed one waits for
    `request_booklet` to queue it again. Progress is saved lesson by lesson
    (outside any transaction) so the status page can show it. A failure is
    recorded on the booklet and raised again for the task's log.
    """
    claimed = Booklet.objects.filter(
        pk=booklet_id, status=BookletStatus.WAITING
    ).update(status=BookletStatus.BUILDING, lessons_done=0, error="")
    booklet = Booklet.objects.select_related("module").get(pk=booklet_id)
    if not claimed:
        return booklet

    def record_progress(done: int, total: int) -> None:
        Booklet.objects.filter(pk=booklet_id).update(
            lessons_done=done, lessons_total=total
        )

    try:
        data = render_booklet(booklet.module, on_lesson=record_progress)
        booklet.refresh_from_db(fields=["lessons_done", "lessons_total"])
        booklet.file.save(
            f"buklet-{booklet.module_id}-{booklet.content_key[:16]}.pdf",
            ContentFile(data),
            save=False,
        )
        booklet.status = BookletStatus.READY
        booklet.finished_at = timezone.now()
        booklet.save(update_fields=["file", "status", "finished_at"])
    except Exception as error:
        Booklet.objects.filter(pk=booklet_id).update(
            status=BookletStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    _forget_superseded(booklet)
    return booklet


def _forget_superseded(booklet: Booklet) -> None:
    """Delete the module's other finished booklets, files included.

    Kept: this one and the one for the module as published now (unpublishing
    a lesson brings an earlier key back). Booklets still being built are left
    to their workers.
    """
    keep = {booklet.content_key, content_key(booklet.module)}
    superseded = Booklet.objects.filter(
        module_id=booklet.module_id,
        status__in=[BookletStatus.READY, BookletStatus.FAILED],
    ).exclude(content_key__in=keep)
    for old in superseded:
        if old.file:
            old.file.delete(save=False)
        old.delete()


# --- Drawing -----------------------------------------------------------------


class BookletPDF(FPDF):
    """A4 pages in the bundled font, the module's title and the page number below."""

    def __init__(self, *, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        for style, filename in FONT_FILES.items():
            self.add_font(FONT, style, FONT_DIR / filename)
        self.set_margins(left=20, top=18, right=20)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_lang(settings.LANGUAGE_CODE)
        self.set_creator(settings.WAGTAIL_SITE_NAME)
        self.set_author(settings.WAGTAIL_SITE_NAME)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, _("Halaman %(number)s") % {"number": self.page_no()}, align="R")

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin


def render_booklet(
    module: ModulePage, *, on_lesson: Callable[[int, int], None] | None = None
) -> bytes:
    """The module's booklet as PDF bytes; `on_lesson(done, total)` after each lesson."""
    lessons = list(module.lessons())
    with translation.override(settings.LANGUAGE_CODE):
        title = module.title if len(module.title) <= 70 else module.title[:69] + "…"
        pdf = BookletPDF(footer_text=title)
        pdf.set_title(module.title)
        pdf.set_subject(module.summary)
        _draw_cover(pdf, module, lessons)
        for number, lesson in enumerate(lessons, start=1):
            _draw_lesson(pdf, lesson, number=number, total=len(lessons))
            if on_lesson is not None:
                on_lesson(number, len(lessons))
        return bytes(pdf.output())


def _text(
    pdf: BookletPDF,
    text: str,
    *,
    size: float = 11,
    style: str = "",
    color: tuple[int, int, int] = INK,
    line: float = LINE,
    indent: float = 0,
    align: str = "L",
) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*color)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, line, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _keep_room(pdf: BookletPDF, height: float) -> None:
    """Start a new page unless `height` mm still fit on this one."""
    if pdf.will_page_break(height):
        pdf.add_page()


def _list(pdf: BookletPDF, items: list[str], *, numbered: bool = False) -> None:
    pdf.set_font(FONT, "", 11)
    pdf.set_text_color(*INK)
    for number, item in enumerate(items, start=1):
        _keep_room(pdf, LINE)
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(7, LINE, f"{number}." if numbered else "•")
        pdf.multi_cell(0, LINE, item, align="L", new_x="LMARGIN", new_y="NEXT")


def _writing_lines(pdf: BookletPDF, count: int) -> None:
    """Ruled lines to write an answer on, kept on one page."""
    _keep_room(pdf, count * WRITING_GAP + 2)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    for _line in range(count):
        pdf.ln(WRITING_GAP)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(4)


def _gap(pdf: BookletPDF, height: float = 3) -> None:
    pdf.ln(height)


def _label(pdf: BookletPDF, text: str) -> None:
    _text(pdf, text.upper(), size=8, style="B", color=MUTED, line=4.5)


def _draw_cover(pdf: BookletPDF, module: ModulePage, lessons: list[LessonPage]) -> None:
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
        _keep_room(pdf, 25)
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
        _keep_room(pdf, 20)
        _text(pdf, _("Isi buklet"), size=12, style="B")
        _gap(pdf, 1)
        _list(pdf, [lesson.title for lesson in lessons], numbered=True)


def _draw_lesson(
    pdf: BookletPDF, lesson: LessonPage, *, number: int, total: int
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


def _draw_heading(pdf: BookletPDF, value: str) -> None:
    _keep_room(pdf, 25)  # never a heading alone at the foot of a page
    _gap(pdf, 2)
    _text(pdf, value, size=14, style="B", line=7)
    _gap(pdf, 1)


# Links lead nowhere on paper and embeds are not text: keep only their words.
_LINK_OR_EMBED = re.compile(r"</?a\b[^>]*>|<embed\b[^>]*/?>", re.IGNORECASE)
_HTML_TAG_STYLES = {
    tag: TextStyle(font_style="B", color=INK, font_size_pt=size, t_margin=3, b_margin=1)
    for tag, size in {"h2": 14, "h3": 13, "h4": 12, "h5": 11, "h6": 11}.items()
}


def _draw_rich_text(pdf: BookletPDF, value) -> None:
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


def _draw_picture(pdf: BookletPDF, image, *, alt_text: str, max_height: float) -> None:
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
    _keep_room(pdf, height + 2)
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


def _draw_image(pdf: BookletPDF, value) -> None:
    if value["image"] is None:
        return
    _gap(pdf, 2)
    _draw_picture(pdf, value["image"], alt_text=value["alt_text"], max_height=110)
    if value["caption"]:
        _text(pdf, value["caption"], size=9, style="I", color=MUTED, align="C")
    _gap(pdf, 3)


def _draw_key_points(pdf: BookletPDF, value) -> None:
    _keep_room(pdf, 20)
    _text(pdf, value["title"], size=12, style="B")
    _list(pdf, list(value["points"]))
    _gap(pdf, 3)


def _draw_case_scenario(pdf: BookletPDF, value) -> None:
    _keep_room(pdf, 30)
    _gap(pdf, 2)
    _label(pdf, _("Kisah kasus (rekaan)"))
    _text(pdf, value["title"], size=12, style="B")
    _gap(pdf, 1)
    _draw_rich_text(pdf, value["story"])
    _keep_room(pdf, LINE * 3 + QUESTION_LINES * WRITING_GAP)
    _text(pdf, _("Pertanyaan diskusi"), style="B")
    for number, question in enumerate(value["questions"], start=1):
        _keep_room(pdf, LINE * 2 + QUESTION_LINES * WRITING_GAP)
        _text(pdf, f"{number}. {question}")
        _writing_lines(pdf, QUESTION_LINES)
    _gap(pdf, 2)


def _draw_reflection(pdf: BookletPDF, value) -> None:
    _keep_room(pdf, 25 + REFLECTION_LINES * WRITING_GAP)
    _gap(pdf, 2)
    _label(pdf, _("Refleksi pribadi"))
    _text(pdf, value["prompt"], size=12, style="B", line=6)
    if value["hint"]:
        _text(pdf, value["hint"], size=10, style="I", color=MUTED)
    _writing_lines(pdf, REFLECTION_LINES)


def _draw_document(pdf: BookletPDF, value) -> None:
    document = value["document"]
    title = value["title"] or (document.title if document else "")
    if not title:
        return
    _keep_room(pdf, 20)
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


def _draw_video(pdf: BookletPDF, value) -> None:
    _keep_room(pdf, 25)
    _text(pdf, _("Video: %(title)s") % {"title": value["title"]}, style="B")
    _label(pdf, _("Transkrip"))
    _text(pdf, value["transcript"], size=10)
    _gap(pdf, 3)


def _draw_glossary_term(pdf: BookletPDF, value) -> None:
    _keep_room(pdf, 15)
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
    name = f"{service.name} ({service.get_kind_display()})"
    if service.is_sample:
        name += " · " + _("Contoh")
    lines = [name]
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


def _draw_service(pdf: BookletPDF, value) -> None:
    if value["service"] is None:
        return
    name, *details = service_lines(value["service"], note=value["note"])
    _keep_room(pdf, 20)
    _label(pdf, _("Layanan rujukan"))
    _text(pdf, name, style="B")
    for detail in details:
        _text(pdf, detail, indent=4)
    _gap(pdf, 3)


BLOCK_DRAWERS: dict[str, Callable[[BookletPDF, object], None]] = {
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
