"""A trainee's magang log to take away: a PDF to print and a CSV for a spreadsheet.

Both hold every entry with its status and who verified it, the placements
with their supervisor and period, and the totals against the target. The PDF
is drawn in the site's one PDF frame (`learning.pdf`).
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from learning.models import User
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
from learning.spreadsheets import csv_row

from .hours import Totals, totals_for
from .models import HourEntry, Placement

CSV_COLUMNS = [
    "tanggal",
    "jam_mulai",
    "jam_selesai",
    "menit",
    "kegiatan",
    "uraian",
    "status",
    "penempatan",
    "pembimbing",
    "diverifikasi_oleh",
    "diverifikasi_pada",
]


@dataclass
class MagangLog:
    """Everything the exports show, read in a fixed number of queries."""

    trainee: User
    placements: list[tuple[Placement, Totals]]
    totals: Totals
    entries: list[HourEntry]


def magang_log(trainee: User) -> MagangLog:
    placements = list(
        Placement.objects.filter(trainee=trainee)
        .select_related("host", "supervisor")
        .order_by("start_date", "pk")
    )
    entries = list(
        HourEntry.objects.filter(trainee=trainee)
        .select_related("placement__host", "placement__supervisor", "verified_by")
        .order_by("date", "start_time", "pk")
    )
    return MagangLog(
        trainee=trainee,
        placements=[
            (placement, totals_for(trainee=trainee, placement=placement))
            for placement in placements
        ],
        totals=totals_for(trainee=trainee),
        entries=entries,
    )


def hours_text(minutes: int) -> str:
    """Minutes as hours in the reader's number format: 90 -> "1,5", 120 -> "2"."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    return formats.number_format(hours.normalize() if hours else 0)


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _verified_at(entry: HourEntry) -> str:
    if not entry.verified_at:
        return ""
    return timezone.localtime(entry.verified_at).strftime("%Y-%m-%d %H:%M")


# --- CSV -----------------------------------------------------------------------


def log_csv(trainee: User) -> bytes:
    """One row per entry, UTF-8 with a byte-order mark so Excel reads it right."""
    log = magang_log(trainee)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in log.entries:
        row = [
            entry.date.isoformat(),
            _time(entry.start_time),
            _time(entry.end_time),
            entry.minutes,
            entry.get_category_display(),
            entry.activity,
            entry.get_status_display(),
            entry.placement.host.name,
            entry.placement.supervisor_label,
            entry.verifier_label,
            _verified_at(entry),
        ]
        writer.writerow(csv_row(str(cell) for cell in row))
    return out.getvalue().encode("utf-8-sig")


# --- PDF -----------------------------------------------------------------------


def _totals_line(totals: Totals) -> str:
    return _(
        "%(verified)s dari %(target)s jam terverifikasi (%(percent)s%%) · "
        "%(waiting)s jam menunggu verifikasi"
    ) % {
        "verified": hours_text(totals.verified),
        "target": hours_text(totals.target_minutes),
        "percent": totals.percent_verified,
        "waiting": hours_text(totals.waiting),
    }


def log_pdf(trainee: User) -> bytes:
    """The magang log as an A4 PDF: placements, totals, every entry."""
    log = magang_log(trainee)
    name = trainee.display_name
    pdf = FramedPDF(
        frame=REPORT_FRAME,
        footer_text=_("Catatan magang · %(name)s") % {"name": name},
        title=_("Catatan magang %(name)s") % {"name": name},
        author=name,
    )
    pdf.add_page()

    masthead(pdf, _("Catatan Magang"), size=20, line=10)
    paragraph(pdf, name, size=14, style="B", line=7)
    printed_at(pdf)

    section_heading(pdf, _("Penempatan"))
    if not log.placements:
        paragraph(pdf, _("Belum ada penempatan magang."))
    for placement, totals in log.placements:
        paragraph(pdf, placement.host.name, size=11, style="B", line=6)
        supervisor = placement.supervisor_label
        if (
            placement.has_outside_supervisor
            and placement.outside_supervisor_institution
        ):
            supervisor = f"{supervisor} ({placement.outside_supervisor_institution})"
        paragraph(pdf, _("Pembimbing: %(name)s") % {"name": supervisor})
        paragraph(
            pdf,
            _("Masa magang: %(start)s sampai %(end)s · target %(target)s jam")
            % {
                "start": _date(placement.start_date),
                "end": _date(placement.end_date),
                "target": placement.target_hours,
            },
        )
        paragraph(pdf, _totals_line(totals), color=MUTED)
        pdf.ln(2)

    section_heading(pdf, _("Jumlah jam"))
    totals = log.totals
    paragraph(pdf, _totals_line(totals), style="B")
    pdf.ln(1)
    table(
        pdf,
        (110, 40),
        [
            (_("Status"), _("Jam")),
            (_("Terverifikasi"), hours_text(totals.verified)),
            (_("Menunggu verifikasi"), hours_text(totals.waiting)),
            (_("Dikembalikan untuk diperbaiki"), hours_text(totals.returned)),
            (_("Draf (belum diajukan)"), hours_text(totals.draft)),
            (_("Target"), hours_text(totals.target_minutes)),
        ],
    )
    if totals.by_category:
        pdf.ln(3)
        paragraph(pdf, _("Jam terverifikasi menurut jenis kegiatan"), style="B")
        pdf.ln(1)
        table(
            pdf,
            (110, 40),
            [(_("Jenis kegiatan"), _("Jam"))]
            + [(label, hours_text(minutes)) for label, minutes in totals.by_category],
        )

    section_heading(pdf, _("Semua catatan"))
    if not log.entries:
        paragraph(pdf, _("Belum ada catatan jam."))
    else:
        rows = [
            (
                _("Tanggal"),
                _("Waktu"),
                _("Jam"),
                _("Kegiatan"),
                _("Status"),
                _("Diverifikasi oleh"),
            )
        ]
        for entry in log.entries:
            times = (
                f"{_time(entry.start_time)}–{_time(entry.end_time)}"
                if entry.start_time
                else "–"
            )
            rows.append(
                (
                    _date(entry.date),
                    times,
                    hours_text(entry.minutes),
                    f"{entry.get_category_display()}\n{entry.activity}",
                    entry.get_status_display(),
                    entry.verifier_label,
                )
            )
        table(pdf, (23, 24, 12, 64, 24, 33), rows)
    return bytes(pdf.output())
