"""The trainee's and alumna's certificates and checklist on the site.

`/sertifikat/` shows, for each programme the person trained in, either the
certificate that stands or the checklist of what is done and what is left;
then every certificate they hold, with its status, renewals, PDF and the
public verification address. Only ever the signed-in person's own: staff see
their own here too (others' certificates are in the admin).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from learning import audit

from ..certificate_selectors import (
    certificate_view,
    certificates_held_by,
    holder_may_download,
    pdf_filename,
    pdf_is_built,
    standings,
)
from ..certification import (
    certificate_status,
    certificates_visible_to,
    standing_certificates,
)

logger = logging.getLogger(__name__)


@login_required
@require_safe
def my_certificates(request: HttpRequest) -> HttpResponse:
    """My checklists and my certificates.

    No id to change, and nothing stored in the browser (private pages are
    `no-store`: learning.middleware.PrivateCacheMiddleware).
    """
    person = request.user
    today = timezone.localdate()
    held = list(certificates_held_by(person))
    where = standings(person, held=held)
    return render(
        request,
        "assessments/certificates/mine.html",
        {
            "standings": where,
            # A heading between the checklists and the certificates, if both.
            "shows_checklists": any(s.checklist is not None for s in where),
            "certificates": [
                certificate_view(certificate, person=person, today=today)
                for certificate in held
            ],
        },
    )


@login_required
@require_safe
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate's PDF, for its holder and the staff who may see it.

    Anyone else gets the same 404 as for a certificate that does not exist.
    A revoked certificate's PDF is no longer handed to its holder (see
    `pdf_offered_to`); while the PDF is being made, a page says so.
    """
    person = request.user
    certificate = get_object_or_404(
        certificates_visible_to(person).select_related("programme"), pk=pk
    )
    is_holder = certificate.holder_id == person.pk
    if is_holder and not holder_may_download(certificate):
        if certificate.revoked_at is not None:
            message = _(
                "Sertifikat ini sudah dicabut, jadi PDF-nya tidak tersedia lagi. "
                "Untuk keterangan, hubungi koordinator programmu."
            )
        else:
            message = _(
                "Sertifikat ini tidak dapat diverifikasi lagi, jadi PDF-nya tidak "
                "tersedia lagi. Untuk keterangan, hubungi koordinator programmu."
            )
        messages.info(request, message)
        return redirect("assessments:my_certificates")
    if pdf_is_built(certificate):
        pdf_name = certificate.pdf.name
        try:
            handle = certificate.pdf.open("rb")
        except (OSError, ValueError):
            # The file went missing from storage: the page below says it is
            # being made; the admin's "buat ulang PDF" makes it again.
            logger.warning("Certificate %s: its PDF %s cannot be read", pk, pdf_name)
            handle = None
        if handle is not None:
            response = FileResponse(
                handle,
                as_attachment=True,
                filename=pdf_filename(certificate),
                content_type="application/pdf",
            )
            response["Cache-Control"] = "no-store"
            if not is_holder:
                audit.record_export(
                    request,
                    what="sertifikat",
                    file_format="pdf",
                    target=certificate,
                    subject=certificate.holder,
                    programme=certificate.programme,
                )
            return response
    return render(
        request,
        "assessments/certificates/pdf_pending.html",
        {"certificate": certificate, "is_holder": is_holder},
    )


def home_panel(request: HttpRequest) -> dict:
    """The home's one line per programme: the certificate that stands and
    until when, or how many of the rule's conditions are met."""
    person = request.user
    held = list(standing_certificates().filter(holder=person))
    today = timezone.localdate()
    rows = []
    for standing in standings(person, held=held):
        status = ""
        if standing.certificate is not None:
            status = certificate_status(standing.certificate, today=today)
        rows.append({"standing": standing, "status": status})
    return {"rows": rows}
