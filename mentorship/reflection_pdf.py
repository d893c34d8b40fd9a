"""A reflection session's summary as an A4 PDF, for the village and the files.

Totals only: how many came, how many cases by type and path, which partners
and obstacles, the obstacle texts without the name of whoever wrote them, the
group's findings, recommendations and follow-up actions. Never a person's own
reflection and never a wellbeing check-in.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fpdf.enums import TableBordersLayout
from fpdf.fonts import FontFace

from modules.booklets import FONT

from .exports import BRAND, INK, MUTED, WASH, LogPDF
from .models import ReflectionSession
from .reflection import session_totals


def _text(pdf, text: str, *, size=10, style="", color=INK, line=5) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*color)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(0, line, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _heading(pdf, text: str) -> None:
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.ln(4)
    _text(pdf, text, size=13, style="B", color=BRAND, line=7)
    pdf.ln(1)


def _table(pdf, widths, rows) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*INK)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align="LEFT",
        line_height=4.6,
        padding=1.2,
        headings_style=FontFace(emphasis="BOLD", fill_color=WASH),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
    ) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(str(value))


def _date(day) -> str:
    return date_format(day, "j F Y")


def summary_pdf(session: ReflectionSession) -> bytes:
    totals = session_totals(session)
    title = _("Ringkasan refleksi tahunan %(year)s") % {"year": session.year}
    pdf = LogPDF(footer_text=f"{title} · {session.organisation}")
    pdf.set_title(title)
    pdf.set_author(str(session.organisation))
    pdf.add_page()

    _text(pdf, settings.WAGTAIL_SITE_NAME, size=10, style="B", color=BRAND)
    _text(pdf, title, size=18, style="B", line=9)
    _text(pdf, str(session.programme), size=12, style="B", line=6)
    _text(
        pdf,
        _("%(start)s sampai %(end)s · %(place)s %(venue)s")
        % {
            "start": _date(session.start_date),
            "end": _date(session.end_date),
            "place": session.place.name,
            "venue": f"({session.venue})" if session.venue else "",
        },
    )
    _text(
        pdf,
        _("Penyelenggara: %(organisation)s") % {"organisation": session.organisation},
    )
    facilitators = [person.display_name for person in session.facilitators.all()]
    if facilitators:
        _text(pdf, _("Fasilitator: %(names)s") % {"names": ", ".join(facilitators)})
    _text(
        pdf,
        _("Dicetak %(when)s WITA")
        % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
        size=9,
        color=MUTED,
    )

    attendees = [
        person.display_name
        for person in session.attendees.order_by("first_name", "last_name")
    ]
    _heading(pdf, _("Kehadiran"))
    _text(
        pdf,
        _("%(count)s orang hadir; %(reflections)s mengisi refleksi.")
        % {"count": len(attendees), "reflections": totals.reflections},
        style="B",
    )
    if attendees:
        _text(pdf, ", ".join(attendees), size=9, color=MUTED)

    _heading(pdf, _("Kasus yang didampingi (jumlah)"))
    _text(pdf, _("Jumlah seluruhnya: %(count)s") % {"count": totals.cases}, style="B")
    _table(pdf, (110, 40), [(_("Jenis kekerasan"), _("Jumlah")), *totals.by_type])
    pdf.ln(2)
    _table(pdf, (110, 40), [(_("Jalur"), _("Jumlah")), *totals.by_path])

    _heading(pdf, _("Mitra rujukan"))
    _table(pdf, (110, 40), [(_("Mitra"), _("Pendamping")), *totals.partners])

    _heading(pdf, _("Kendala"))
    _table(pdf, (110, 40), [(_("Kategori"), _("Pendamping")), *totals.obstacles])
    for label, texts in totals.obstacle_texts:
        pdf.ln(2)
        _text(pdf, str(label), style="B")
        for text in texts:
            _text(pdf, f"– {text}", size=9)

    for heading, texts in (
        (_("Dukungan yang dibutuhkan"), totals.support_needed),
        (_("Kebutuhan belajar"), totals.learning_needs),
    ):
        if texts:
            _heading(pdf, heading)
            for text in texts:
                _text(pdf, f"– {text}", size=9)

    _heading(pdf, _("Temuan bersama"))
    _text(pdf, session.findings or "–")
    _heading(pdf, _("Rekomendasi"))
    _text(pdf, session.recommendations or "–")

    _heading(pdf, _("Tindak lanjut"))
    actions = list(session.follow_ups.select_related("owner"))
    if not actions:
        _text(pdf, "–")
    else:
        _table(
            pdf,
            (85, 45, 25, 25),
            [
                (_("Tindak lanjut"), _("Penanggung jawab"), _("Tenggat"), _("Status")),
                *(
                    (
                        action.description,
                        action.owner.display_name,
                        action.due_date.strftime("%d-%m-%Y"),
                        _("Selesai") if action.done_at else _("Belum"),
                    )
                    for action in actions
                ),
            ],
        )
    return bytes(pdf.output())
