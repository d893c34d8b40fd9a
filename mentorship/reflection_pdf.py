"""A reflection session's summary as an A4 PDF, for the village and the files.

The session's agenda, then totals only: how many came, how many cases by
type and path, which partners and obstacles, the obstacle texts without the
name of whoever wrote them; then the meeting's notes, the group's findings,
recommendations and follow-up actions. Never a person's own reflection and
never a wellbeing check-in. The agenda and notes passed the narrative check
when the session was saved (`ReflectionSessionForm.clean`); long texts wrap.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learning.pdf import (
    MUTED,
    REPORT_FRAME,
    FramedPDF,
    masthead,
    paragraph,
    printed_at,
    section_heading,
    table,
)

from .models import ReflectionSession
from .reflection import session_totals


def _date(day) -> str:
    return date_format(day, "j F Y")


def summary_pdf(session: ReflectionSession) -> bytes:
    totals = session_totals(session)
    title = _("Ringkasan refleksi tahunan %(year)s") % {"year": session.year}
    pdf = FramedPDF(
        frame=REPORT_FRAME,
        footer_text=f"{title} · {session.organisation}",
        title=title,
        author=str(session.organisation),
    )
    pdf.add_page()

    masthead(pdf, title, size=18, line=9)
    paragraph(pdf, str(session), size=12, style="B", line=6)
    paragraph(
        pdf,
        _("%(start)s sampai %(end)s · %(place)s %(venue)s")
        % {
            "start": _date(session.start_date),
            "end": _date(session.end_date),
            "place": session.place.name,
            "venue": f"({session.venue})" if session.venue else "",
        },
    )
    paragraph(
        pdf,
        _("Penyelenggara: %(organisation)s") % {"organisation": session.organisation},
    )
    facilitators = [person.display_name for person in session.facilitators.all()]
    if facilitators:
        paragraph(pdf, _("Fasilitator: %(names)s") % {"names": ", ".join(facilitators)})
    printed_at(pdf)

    section_heading(pdf, _("Agenda"))
    paragraph(pdf, session.agenda or "–")

    attendees = [
        person.display_name
        for person in session.attendees.order_by("first_name", "last_name")
    ]
    section_heading(pdf, _("Kehadiran"))
    paragraph(
        pdf,
        _("%(count)s orang hadir; %(reflections)s mengisi refleksi.")
        % {"count": len(attendees), "reflections": totals.reflections},
        style="B",
    )
    if attendees:
        paragraph(pdf, ", ".join(attendees), size=9, color=MUTED)

    section_heading(pdf, _("Kasus yang didampingi (jumlah)"))
    paragraph(
        pdf, _("Jumlah seluruhnya: %(count)s") % {"count": totals.cases}, style="B"
    )
    table(pdf, (110, 40), [(_("Jenis kekerasan"), _("Jumlah")), *totals.by_type])
    pdf.ln(2)
    table(pdf, (110, 40), [(_("Jalur"), _("Jumlah")), *totals.by_path])

    section_heading(pdf, _("Mitra rujukan"))
    table(pdf, (110, 40), [(_("Mitra"), _("Pendamping")), *totals.partners])

    section_heading(pdf, _("Kendala"))
    table(pdf, (110, 40), [(_("Kategori"), _("Pendamping")), *totals.obstacles])
    for label, texts in totals.obstacle_texts:
        pdf.ln(2)
        paragraph(pdf, str(label), style="B")
        for text in texts:
            paragraph(pdf, f"– {text}", size=9)

    for heading, texts in (
        (_("Dukungan yang dibutuhkan"), totals.support_needed),
        (_("Kebutuhan belajar"), totals.learning_needs),
    ):
        if texts:
            section_heading(pdf, heading)
            for text in texts:
                paragraph(pdf, f"– {text}", size=9)

    section_heading(pdf, _("Catatan pertemuan"))
    paragraph(pdf, session.notes or "–")
    section_heading(pdf, _("Temuan bersama"))
    paragraph(pdf, session.findings or "–")
    section_heading(pdf, _("Rekomendasi"))
    paragraph(pdf, session.recommendations or "–")

    section_heading(pdf, _("Tindak lanjut"))
    actions = list(session.follow_ups.select_related("owner"))
    if not actions:
        paragraph(pdf, "–")
    else:
        table(
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
