"""A certificate drawn as an A4 PDF, and stored privately for its holder.

Page 1 says that the holder *telah menyelesaikan pelatihan* of the programme
given by the issuing organisation(s), with the training dates, what the
certificate rests on (competencies, magang hours, practice cases, attendance,
core modules), the signatories with lines to sign, the dates of issue and
validity, the verification code in groups of four and a QR code that opens
the public verification page. Page 2 shows how the training answers to the
law (`legal_mapping`) and says plainly what the certificate does not mean.

Everything printed comes from the certificate's own snapshot (names, basis,
signatories), never from live records: the PDF reads the same however the
records change. Nothing about victims, and no e-mail, phone or village of
the holder, is on a certificate. Portrait pages, like every PDF of the site
(`learning.pdf`): the basis and signatories need the height.

`build_certificate_pdf` (the Celery task's body) draws the file and stores it
under a random name in the default storage, which is never served from the
media folder: the download view checks who asks.
"""

import datetime
import io
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

import segno

from learning.pdf import (
    BRAND,
    FONT,
    INK,
    MUTED,
    RULE,
    FramedPDF,
    PageFrame,
    paragraph,
)

from .certification import grouped_code, verification_url
from .legal_mapping import LegalMapping, answering, legal_mapping
from .models import Certificate

CERTIFICATE_FRAME = PageFrame(side=20, top=16, bottom=20, footer=14)
REVOKED_RED = (164, 28, 36)
QR_SIZE = 38  # mm: read by a phone camera from an arm's length
SIGNATURE_SPACE = 14  # mm above the line for the signature and stamp
SIGNATORIES_PER_ROW = 3
# The order the basis is printed in; conditions added later follow.
BASIS_ORDER = ("competencies", "hours", "cases", "attendance", "modules")


class CertificateChanged(RuntimeError):
    """The certificate kept changing while its PDF was drawn; the task retries."""


# --- What is printed ----------------------------------------------------------


def _printable(value: object) -> str:
    """Text as typed, without control characters a PDF string cannot carry."""
    text = "" if value is None else str(value)
    return "".join(
        char if char.isprintable() or char == "\n" else " " for char in text
    ).strip()


def _date(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else ""


def _training_dates(certificate: Certificate) -> str:
    start, end = certificate.training_started_on, certificate.training_ended_on
    if start and end:
        return _("%(start)s sampai %(end)s") % {
            "start": _date(start),
            "end": _date(end),
        }
    if start:
        return _("sejak %(start)s") % {"start": _date(start)}
    return ""


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return number_format(hours, decimal_pos=0 if minutes % 60 == 0 else 1)


def _amount(entry: dict) -> int | None:
    amount = entry.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        return None
    return amount


def _items(entry: dict) -> list[str]:
    items = entry.get("items")
    if not isinstance(items, list):
        return []
    return [_printable(item) for item in items if _printable(item)]


def basis_entries(certificate: Certificate) -> dict[str, dict]:
    """The basis snapshot, with anything not shaped like one left out."""
    basis = certificate.basis if isinstance(certificate.basis, dict) else {}
    return {key: entry for key, entry in basis.items() if isinstance(entry, dict)}


def certificate_competencies(certificate: Certificate) -> list[str]:
    """The competency names the certificate rests on."""
    return _items(basis_entries(certificate).get("competencies", {}))


def basis_lines(certificate: Certificate) -> list[tuple[str, list[str]]]:
    """(line, items listed under it) for each condition the certificate rests on."""
    entries = basis_entries(certificate)
    keys = [key for key in BASIS_ORDER if key in entries]
    keys += [key for key in entries if key not in BASIS_ORDER]
    lines = []
    for key in keys:
        entry = entries[key]
        amount, items = _amount(entry), _items(entry)
        if key in ("competencies", "modules") and not items:
            continue  # a heading over nothing reads as a mistake
        if key == "competencies":
            lines.append((_("Kompetensi yang dinilai kompeten:"), items))
        elif key == "hours" and amount is not None:
            lines.append(
                (
                    _("%(hours)s jam magang terverifikasi di lembaga layanan")
                    % {"hours": _hours(amount)},
                    [],
                )
            )
        elif key == "cases" and amount is not None:
            lines.append(
                (
                    _("%(count)d kasus praktik yang sudah ditinjau pembimbing")
                    % {"count": amount},
                    [],
                )
            )
        elif key == "attendance" and amount is not None:
            lines.append(
                (
                    _("Hadir pada %(percent)d%% hari lokakarya program")
                    % {"percent": amount},
                    [],
                )
            )
        elif key == "modules":
            lines.append(
                (
                    _("Modul inti yang diselesaikan, kuis dinilai lulus:"),
                    ["; ".join(items)],
                )
            )
        else:
            label = _printable(entry.get("label")) or key
            progress = _printable(entry.get("progress"))
            lines.append((f"{label}: {progress}" if progress else label, items))
    return lines


def signatory_pairs(certificate: Certificate) -> list[tuple[str, str]]:
    signatories = certificate.signatories
    if not isinstance(signatories, list):
        return []
    pairs = []
    for signatory in signatories:
        if isinstance(signatory, dict) and _printable(signatory.get("name")):
            pairs.append(
                (
                    _printable(signatory.get("name")),
                    _printable(signatory.get("position")),
                )
            )
    return pairs


# --- Drawing ------------------------------------------------------------------


def _centred(pdf: FramedPDF, text: str, *, size: float, style: str = "", **kw):
    paragraph(pdf, text, size=size, style=style, align="C", **kw)


def _revoked_banner(pdf: FramedPDF, certificate: Certificate) -> None:
    revoked_on = timezone.localtime(certificate.revoked_at).date()
    pdf.set_fill_color(*REVOKED_RED)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(
        0,
        7,
        _(
            "DICABUT pada %(date)s. Sertifikat ini tidak berlaku lagi; "
            "statusnya dapat diperiksa di alamat verifikasi."
        )
        % {"date": _date(revoked_on)},
        align="C",
        fill=True,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)


def _basis(pdf: FramedPDF, certificate: Certificate) -> None:
    lines = basis_lines(certificate)
    if not lines:
        return
    pdf.ln(3)
    paragraph(pdf, _("Dasar sertifikat ini"), size=12, style="B", color=BRAND, line=6)
    pdf.ln(0.5)
    for line, items in lines:
        paragraph(pdf, line, size=10, style="B", line=5)
        for item in items:
            paragraph(pdf, f"• {item}", size=9.5, line=4.4, indent=4)
        pdf.ln(0.6)


def _signatories(pdf: FramedPDF, certificate: Certificate) -> None:
    pairs = signatory_pairs(certificate)
    if not pairs:
        return
    pdf.ln(4)
    for start in range(0, len(pairs), SIGNATORIES_PER_ROW):
        row = pairs[start : start + SIGNATORIES_PER_ROW]
        pdf.keep_room(SIGNATURE_SPACE + 22)
        width = pdf.content_width / len(row)
        top = pdf.get_y() + SIGNATURE_SPACE
        bottom = top
        for column, (name, position) in enumerate(row):
            left = pdf.l_margin + column * width
            pdf.set_draw_color(*RULE)
            pdf.line(left + 6, top, left + width - 6, top)
            pdf.set_xy(left + 4, top + 1)
            pdf.set_font(FONT, "B", 9.5)
            pdf.set_text_color(*INK)
            pdf.multi_cell(width - 8, 4.6, name, align="C", new_x="LEFT", new_y="NEXT")
            if position:
                pdf.set_font(FONT, "", 8.5)
                pdf.set_text_color(*MUTED)
                pdf.multi_cell(
                    width - 8, 4.2, position, align="C", new_x="LEFT", new_y="NEXT"
                )
            bottom = max(bottom, pdf.get_y())
        pdf.set_xy(pdf.l_margin, bottom + 3)


def _qr_png(url: str) -> io.BytesIO:
    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=8, border=4)
    image.seek(0)
    return image


def _verification(pdf: FramedPDF, certificate: Certificate, url: str) -> None:
    pdf.keep_room(QR_SIZE + 8)
    pdf.ln(2)
    top = pdf.get_y()
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, top, pdf.w - pdf.r_margin, top)
    pdf.image(_qr_png(url), x=pdf.w - pdf.r_margin - QR_SIZE, y=top + 3, w=QR_SIZE)
    text_width = pdf.content_width - QR_SIZE - 6
    pdf.set_xy(pdf.l_margin, top + 4)
    rows = [
        (_("Diterbitkan"), _date(certificate.issued_on)),
        (
            _("Berlaku sampai"),
            _date(certificate.valid_until)
            if certificate.valid_until
            else _("tanpa batas waktu"),
        ),
        (_("Kode verifikasi"), grouped_code(certificate.code)),
    ]
    for label, value in rows:
        pdf.set_x(pdf.l_margin)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(32, 5.4, label)
        pdf.set_font(FONT, "B", 11 if label == _("Kode verifikasi") else 10)
        pdf.set_text_color(*INK)
        pdf.multi_cell(text_width - 32, 5.4, value, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        text_width,
        4.4,
        _(
            "Pindai kode QR atau buka alamat ini untuk memeriksa keaslian dan "
            "status sertifikat:"
        ),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*BRAND)
    pdf.multi_cell(text_width, 4.2, url, link=url, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE + 6))


def _first_page(pdf: FramedPDF, certificate: Certificate, url: str) -> None:
    pdf.add_page()
    if certificate.revoked_at is not None:
        _revoked_banner(pdf, certificate)
    organisations = _printable(certificate.organisation_names)
    _centred(pdf, organisations, size=11, style="B", color=BRAND, line=5.5)
    pdf.ln(4)
    _centred(pdf, _("SERTIFIKAT"), size=26, style="B", line=12)
    _centred(pdf, _("Sertifikat pelatihan"), size=11, color=MUTED, line=6)
    pdf.ln(4)
    _centred(pdf, _("diberikan kepada"), size=10, color=MUTED)
    pdf.ln(1)
    name = _printable(certificate.holder_name)
    # A long name (up to 300 characters) takes smaller letters, not the page.
    size, line = (
        (20, 9) if len(name) <= 45 else (15, 7) if len(name) <= 100 else (12, 5.6)
    )
    _centred(pdf, name, size=size, style="B", line=line)
    pdf.ln(3)
    _centred(pdf, _("telah menyelesaikan pelatihan"), size=11)
    pdf.ln(1)
    _centred(
        pdf,
        _printable(certificate.programme_name),
        size=15,
        style="B",
        color=BRAND,
        line=7,
    )
    pdf.ln(1)
    _centred(
        pdf,
        _("yang diberikan oleh %(organisations)s") % {"organisations": organisations},
        size=11,
    )
    dates = _training_dates(certificate)
    if dates:
        _centred(pdf, dates, size=10, color=MUTED)
    _basis(pdf, certificate)
    _signatories(pdf, certificate)
    _verification(pdf, certificate, url)


def _law_heading(pdf: FramedPDF, text: str) -> None:
    pdf.keep_room(22)
    pdf.ln(2.5)
    paragraph(pdf, text, size=11.5, style="B", color=BRAND, line=5.6)
    pdf.ln(0.5)


def _law_page(pdf: FramedPDF, certificate: Certificate, mapping: LegalMapping) -> None:
    pdf.add_page()
    paragraph(pdf, _("Pelatihan ini dan hukum"), size=16, style="B", line=8)
    paragraph(
        pdf,
        _(
            "Sertifikat ini menyatakan satu hal saja: pemegangnya telah "
            "menyelesaikan pelatihan %(programme)s yang diberikan oleh "
            "%(organisations)s. Halaman ini menunjukkan kompetensi pelatihan itu "
            "yang berhubungan dengan syarat hukum bagi pendamping korban."
        )
        % {
            "programme": _printable(certificate.programme_name),
            "organisations": _printable(certificate.organisation_names),
        },
        size=9.5,
        line=4.6,
    )
    held = certificate_competencies(certificate)
    if not held:
        paragraph(
            pdf,
            _("Sertifikat ini tidak bersandar pada penilaian kompetensi."),
            size=9,
            color=MUTED,
            line=4.4,
        )
    for law in mapping.laws:
        _law_heading(pdf, law.heading)
        if law.intro:
            paragraph(pdf, law.intro, size=9, line=4.3)
        for requirement in mapping.requirements_of(law):
            pdf.keep_room(16)
            pdf.ln(1.5)
            paragraph(pdf, requirement.reference, size=9.5, style="B", line=4.6)
            paragraph(pdf, requirement.text, size=9, line=4.3)
            answers = answering(requirement, held)
            paragraph(
                pdf,
                _("Kompetensi pada sertifikat ini: %(names)s.")
                % {"names": "; ".join(answers)}
                if answers
                else _("Tidak ada kompetensi pada sertifikat ini untuk syarat ini."),
                size=9,
                style="I",
                color=BRAND if answers else MUTED,
                line=4.3,
            )
    limits = list(mapping.limits)
    if limits:
        _law_heading(pdf, _("Yang tidak dinyatakan sertifikat ini"))
        for limit in limits:
            pdf.keep_room(12)
            paragraph(pdf, limit.reference, size=9.5, style="B", line=4.6)
            paragraph(pdf, limit.text, size=9, line=4.3)
            pdf.ln(1)
    pdf.ln(2)
    paragraph(
        pdf,
        _(
            "Kutipan pasal diringkas; yang berlaku adalah teks resmi peraturan. "
            "Status sertifikat hari ini hanya dapat dipastikan di alamat "
            "verifikasi pada halaman pertama."
        ),
        size=8,
        color=MUTED,
        line=4,
    )


def render_certificate(
    certificate: Certificate, *, mapping: LegalMapping | None = None
) -> bytes:
    """The certificate's two pages as PDF bytes, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        url = verification_url(certificate)
        footer = _("Sertifikat %(code)s") % {"code": grouped_code(certificate.code)}
        if certificate.revoked_at is not None:
            footer = f"{footer} · {_('DICABUT')}"
        pdf = FramedPDF(
            frame=CERTIFICATE_FRAME,
            footer_text=footer,
            title=_("Sertifikat pelatihan %(programme)s")
            % {"programme": _printable(certificate.programme_name)},
            author=_printable(certificate.organisation_names),
        )
        _first_page(pdf, certificate, url)
        _law_page(pdf, certificate, mapping or legal_mapping())
        return bytes(pdf.output())


# --- Building and storing -----------------------------------------------------


def _printed_fields(certificate: Certificate) -> tuple:
    """What the PDF shows: a build drawn from other values is out of date."""
    return (
        certificate.code,
        certificate.holder_name,
        certificate.programme_name,
        certificate.organisation_names,
        certificate.training_started_on,
        certificate.training_ended_on,
        certificate.basis,
        certificate.signatories,
        certificate.issued_on,
        certificate.valid_until,
        certificate.revoked_at,
        certificate.unverifiable_since,
    )


def _delete_file(name: str) -> None:
    if name:
        Certificate._meta.get_field("pdf").storage.delete(name)


def _forget_pdf(certificate_id: int) -> None:
    """A certificate that can no longer be verified keeps no PDF of its holder."""
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        )
        if locked is None or not locked.pdf:
            return
        old = locked.pdf.name
        Certificate.objects.filter(pk=certificate_id).update(pdf="", pdf_built_at=None)
        transaction.on_commit(lambda: _delete_file(old))


def build_certificate_pdf(*, certificate_id: int, attempts: int = 3) -> bool:
    """Draw the certificate's PDF and store it; True if a file was written now.

    Safe to run twice and at once: each build writes a file under a new random
    name, then, with the certificate's row locked, records it and deletes the
    file it replaces, so one file remains. A build drawn from values that
    changed meanwhile (a revocation, a renewal) is thrown away and drawn
    again. A revoked certificate still builds, marked DICABUT; one that can
    no longer be verified (its holder's data erased) keeps no PDF at all.
    """
    for _attempt in range(attempts):
        certificate = Certificate.objects.filter(pk=certificate_id).first()
        if certificate is None:
            return False
        if certificate.unverifiable_since is not None:
            _forget_pdf(certificate_id)
            return False
        drawn = _printed_fields(certificate)
        data = render_certificate(certificate)
        field_file = certificate.pdf
        field_file.save(f"{secrets.token_hex(16)}.pdf", ContentFile(data), save=False)
        new_name = field_file.name
        try:
            with transaction.atomic():
                locked = (
                    Certificate.objects.select_for_update()
                    .filter(pk=certificate_id)
                    .first()
                )
                if locked is None or _printed_fields(locked) != drawn:
                    changed = True
                else:
                    changed = False
                    old = locked.pdf.name
                    Certificate.objects.filter(pk=certificate_id).update(
                        pdf=new_name, pdf_built_at=timezone.now()
                    )
                    if old and old != new_name:
                        transaction.on_commit(lambda old=old: _delete_file(old))
        except BaseException:
            _delete_file(new_name)
            raise
        if not changed:
            return True
        _delete_file(new_name)
        if locked is None:
            return False
    raise CertificateChanged(
        f"certificate {certificate_id} changed during {attempts} builds"
    )
