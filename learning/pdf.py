"""The one frame every PDF of the site is drawn in, and the fonts it carries.

Booklets, blank forms, magang logs, reflection summaries (and the
certificates to come) are drawn with fpdf2 on A4 pages in the DejaVu fonts
bundled in `learning/fonts/`: nothing comes from the machine, and the fonts
are subset into each file. DejaVu prints Indonesian and any Latin, Greek or
Cyrillic name; text goes onto the page as it is, never read as markup, so a
"<" or "&" a person typed prints as typed.

Each producer picks a `PageFrame` (its margins) and draws with the helpers
below; the footer (a line of its own and the page number) is the frame's.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fpdf import FPDF
from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    # Rich text may nest bold and italic; bold alone reads well enough on paper.
    "BI": "DejaVuSans-Bold.ttf",
}

Colour = tuple[int, int, int]

INK: Colour = (31, 35, 40)
MUTED: Colour = (87, 96, 106)
BRAND: Colour = (122, 46, 92)
RULE: Colour = (175, 180, 186)
WASH: Colour = (244, 241, 236)


@dataclass(frozen=True)
class PageFrame:
    """Where text may go on an A4 page, in millimetres from its edges."""

    side: float
    top: float
    # Where the page breaks; the footer sits in this strip.
    bottom: float
    # The footer line's top, measured up from the bottom edge.
    footer: float = 15


# Logs and summaries: narrower margins leave room for their tables.
REPORT_FRAME = PageFrame(side=15, top=15, bottom=20, footer=14)


class FramedPDF(FPDF):
    """A4 portrait pages in the bundled fonts, within the frame's margins.

    With `footer_text`, every page ends with that line on the left and its
    number on the right; without, pages have no footer.
    """

    def __init__(
        self,
        *,
        frame: PageFrame,
        footer_text: str | None = None,
        title: str = "",
        author: str = "",
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.frame = frame
        self.footer_text = footer_text
        for style, filename in FONT_FILES.items():
            self.add_font(FONT, style, FONT_DIR / filename)
        self.set_margins(left=frame.side, top=frame.top, right=frame.side)
        self.set_auto_page_break(auto=True, margin=frame.bottom)
        self.set_lang(settings.LANGUAGE_CODE)
        self.set_creator(settings.WAGTAIL_SITE_NAME)
        if title:
            self.set_title(title)
        if author:
            self.set_author(author)

    def footer(self) -> None:
        if self.footer_text is None:
            return
        self.set_y(-self.frame.footer)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, _("Halaman %(number)s") % {"number": self.page_no()}, align="R")

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def keep_room(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.will_page_break(height):
            self.add_page()


def paragraph(
    pdf: FramedPDF,
    text: str,
    *,
    size: float = 10,
    style: str = "",
    color: Colour = INK,
    line: float = 5,
    indent: float = 0,
    align: str = "L",
) -> None:
    """A paragraph of plain text from the left margin, wrapped to the frame."""
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*color)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, line, text, align=align, new_x="LMARGIN", new_y="NEXT")


def section_heading(pdf: FramedPDF, text: str) -> None:
    """A report's section heading, never left alone at the foot of a page."""
    pdf.keep_room(20)
    pdf.ln(4)
    paragraph(pdf, text, size=13, style="B", color=BRAND, line=7)
    pdf.ln(1)


def masthead(pdf: FramedPDF, title: str, *, size: float, line: float) -> None:
    """The site's name over a report's title, at the top of its first page."""
    paragraph(pdf, settings.WAGTAIL_SITE_NAME, size=10, style="B", color=BRAND)
    paragraph(pdf, title, size=size, style="B", line=line)


def printed_at(pdf: FramedPDF) -> None:
    """When the report was printed: its numbers are only true as of then."""
    paragraph(
        pdf,
        _("Dicetak %(when)s WITA")
        % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
        size=9,
        color=MUTED,
    )


def table(
    pdf: FramedPDF,
    widths: Sequence[float],
    rows: Iterable[Sequence[object]],
    *,
    size: float = 9,
    line_height: float = 4.6,
    padding: float = 1.2,
) -> None:
    """A table whose first row is its headings, ruled between rows."""
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*INK)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align="LEFT",
        line_height=line_height,
        padding=padding,
        headings_style=FontFace(emphasis="BOLD", fill_color=WASH),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
    ) as drawn:
        for values in rows:
            row = drawn.row()
            for value in values:
                row.cell(str(value))
