"""The privacy notice (/privasi/) and "Unduh data saya" (UU PDP).

The rules are in `learning.privacy` and `learning.personal_data`; these views
collect the input and answer.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from .models import PersonalDataExport, PrivacyConsent
from .personal_data import export_filename, is_expired, latest_exports, request_export
from .privacy import (
    PRIVACY_NOTICE_VERSION,
    accept_notice,
    has_accepted,
    notice_sections,
)

logger = logging.getLogger(__name__)

Kind = PersonalDataExport.Kind
Status = PersonalDataExport.Status


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("home")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The notice; "Saya mengerti dan setuju" records the acceptance."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        accept_notice(person=request.user)
        return redirect(_safe_next(request, next_url[:2000]))
    consent = PrivacyConsent.objects.filter(
        person=request.user, version=PRIVACY_NOTICE_VERSION
    ).first()
    return render(
        request,
        "learning/privacy_notice.html",
        {
            "sections": notice_sections(),
            "accepted": has_accepted(request.user) and consent is not None,
            "consent": consent,
            "version": PRIVACY_NOTICE_VERSION,
            "next": _safe_next(request, next_url[:2000]) if next_url else "",
        },
    )


@login_required
@require_POST
def personal_data_request(request: HttpRequest) -> HttpResponse:
    """ "Unduh data saya" (or the check-ins' own file): queue the ZIP."""
    kind = request.POST.get("jenis", "")
    if kind not in Kind.values:
        messages.error(request, _("Pilih data yang ingin diunduh."))
        return redirect(reverse("account") + "#data-saya")
    _export, asked = request_export(person=request.user, kind=kind, request=request)
    if asked:
        messages.success(
            request,
            _(
                "Permintaanmu diterima. Berkasnya sedang dibuat; buka lagi halaman "
                "ini sebentar lagi untuk mengunduhnya."
            ),
        )
    else:
        messages.info(
            request, _("Berkasnya masih dibuat. Buka lagi halaman ini sebentar lagi.")
        )
    return redirect(reverse("account") + "#data-saya")


@login_required
@require_safe
def personal_data_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The ZIP, to its owner only; anyone else (staff too) gets a 404."""
    export = PersonalDataExport.objects.filter(pk=pk, person=request.user).first()
    if export is None or is_expired(export):
        raise Http404
    if export.status != Status.READY or not export.file:
        messages.info(
            request, _("Berkasnya belum siap. Buka lagi halaman ini sebentar lagi.")
        )
        return redirect(reverse("account") + "#data-saya")
    try:
        handle = export.file.open("rb")
    except (OSError, ValueError):
        logger.warning("Personal data export %s: its file cannot be read", pk)
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename(export),
        content_type="application/zip",
    )


def personal_data_context(person) -> dict:
    """What the account page's "Data saya" card shows."""
    latest = latest_exports(person)
    return {
        "export_days": settings.PENDAMPING_PERSONAL_DATA_EXPORT_DAYS,
        "personal_data_rows": [
            {
                "kind": Kind.RECORDS.value,
                "label": _("Semua data belajar dan magangku"),
                "help": _(
                    "Data diri, angkatan, kemajuan belajar, kuis, jam magang, kasus "
                    "praktik, refleksi, penilaian kompetensi dan sertifikat."
                ),
                "button": _("Unduh data saya"),
                "export": latest.get(Kind.RECORDS.value),
                "secondary": False,
            },
            {
                "kind": Kind.WELLBEING.value,
                "label": _("Cek kesejahteraanku"),
                "help": _(
                    "Jawaban cek kesejahteraan adalah data kesehatan, jadi diberikan "
                    "dalam berkas tersendiri, hanya bila kamu memintanya."
                ),
                "button": _("Unduh cek kesejahteraan saya"),
                "export": latest.get(Kind.WELLBEING.value),
                "secondary": True,
            },
        ],
    }
