"""Printable slips that hand an account over: one per person, cut apart.

A facilitator who has just made thirty accounts prints one A4 sheet or three,
cuts along the dashed lines and gives each trainee their own slip: name,
username, temporary password, where to sign in. The slips are drawn from the
passwords just issued in the same request (`people_import.issue_first_passwords`,
`accounts.issue_one_time_password`) and never stored: the PDF is the one
place the passwords appear.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .pdf import FONT, INK, MUTED, RULE, FramedPDF, PageFrame

# Two slips across and five down on an A4 page: ten per sheet, so a training
# room of thirty fits on three sheets.
COLUMNS = 2
ROWS = 5
SLIP_FRAME = PageFrame(side=10, top=10, bottom=10)
PADDING = 5
# A line's height in mm for each point of type, and the smallest type used.
LINE = 0.45
MIN_SIZE = 6


@dataclass(frozen=True)
class Slip:
    """What one person's slip says."""

    name: str
    username: str
    password: str


def slips_pdf(slips: Sequence[Slip], *, sign_in_address: str) -> bytes:
    """An A4 PDF with one slip per person, ten to a page, dashed cut lines."""
    pdf = FramedPDF(frame=SLIP_FRAME, title=_("Slip kata sandi sementara"))
    pdf.set_auto_page_break(auto=False)
    width = (pdf.w - 2 * SLIP_FRAME.side) / COLUMNS
    height = (pdf.h - SLIP_FRAME.top - SLIP_FRAME.bottom) / ROWS
    printed = timezone.localtime().strftime("%d-%m-%Y")
    per_page = COLUMNS * ROWS
    for index, slip in enumerate(slips):
        place = index % per_page
        if place == 0:
            pdf.add_page()
        x = SLIP_FRAME.side + (place % COLUMNS) * width
        y = SLIP_FRAME.top + (place // COLUMNS) * height
        _cut_lines(pdf, x=x, y=y, width=width, height=height)
        _slip(
            pdf,
            slip,
            x=x,
            y=y,
            width=width,
            sign_in_address=sign_in_address,
            printed=printed,
        )
    return bytes(pdf.output())


def _cut_lines(pdf: FramedPDF, *, x: float, y: float, width: float, height: float):
    """A dashed frame around one slip: the last page has no empty frames."""
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=2.5, gap=2)
    pdf.rect(x, y, width, height)
    pdf.set_dash_pattern()


def _slip(
    pdf: FramedPDF,
    slip: Slip,
    *,
    x: float,
    y: float,
    width: float,
    sign_in_address: str,
    printed: str,
) -> None:
    inner = width - 2 * PADDING
    left = x + PADDING
    # multi_cell keeps a small margin inside its width.
    room = inner - 2 * pdf.c_margin

    def line(text, *, size, style="", color=INK, gap=0.0, keep_whole=False):
        pdf.set_font(FONT, style, size)
        if keep_whole:
            # A username or an address must print whole: smaller, then wrapped.
            while size > MIN_SIZE and pdf.get_string_width(text) > room:
                size -= 0.5
                pdf.set_font(FONT, style, size)
        else:
            text = _fit(pdf, text, room)
        pdf.set_text_color(*color)
        pdf.set_xy(left, pdf.get_y() + gap)
        pdf.multi_cell(
            inner, size * LINE, text, align="L", new_x="LMARGIN", new_y="NEXT"
        )

    pdf.set_y(y + PADDING)
    line(settings.WAGTAIL_SITE_NAME, size=7, style="B", color=MUTED)
    line(slip.name, size=12, style="B", gap=1)
    line(_("Nama pengguna"), size=7.5, color=MUTED, gap=1.5)
    line(slip.username, size=11, style="B", keep_whole=True)
    line(_("Kata sandi sementara"), size=7.5, color=MUTED, gap=1)
    line(slip.password, size=15, style="B", keep_whole=True)
    line(
        _("Masuk di: %(address)s") % {"address": sign_in_address},
        size=8,
        gap=2,
        keep_whole=True,
    )
    line(_("Ganti kata sandi setelah masuk."), size=8.5, style="B", gap=0.5)
    line(_("Dicetak %(date)s") % {"date": printed}, size=7, color=MUTED, gap=0.5)


def _fit(pdf: FramedPDF, text: str, width: float) -> str:
    """`text`, shortened with an ellipsis if it would run past `width`."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
