"""Wellbeing check-in pages: the companion's own, and the facilitator's alert.

- /kesejahteraan/: the short form and the companion's earlier check-ins, each
  with a way to delete it. Nobody else's check-ins exist here. The phone's
  copy (`?salinan=offline`) has the form, SAPA 129 and the facilitators'
  phone numbers, and none of the earlier answers.
- /kesejahteraan/<uuid>/hapus/: confirm, then delete (POST).
- /kesejahteraan/perhatian/: a facilitator's open alerts (the last 30 days,
  not yet marked contacted): names, times, signals; only their own.
- /kesejahteraan/perhatian/<uuid>/: for the facilitators who were told of a
  risk: the name, the time, which signal, and "Sudah saya hubungi". Everyone
  else gets a 404, the companion included (they have their own page).

Views collect input and call `mentorship.wellbeing`.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learning.offline import offline_copy_requested

from ..forms.hours import apply_errors
from ..forms.wellbeing import RISKY_ANSWERS, CheckInForm
from ..models import WellbeingCheckIn
from ..wellbeing import (
    alerts_for,
    as_alert,
    checkins_asking_contact,
    delete_checkin,
    facilitators_for,
    mark_contacted,
    may_check_in,
    own_checkins,
    record_checkin,
)


def _companion(request: HttpRequest) -> None:
    if not may_check_in(request.user):
        raise PermissionDenied(_("Cek kesejahteraan hanya untuk pendamping."))


def _saved_message(request: HttpRequest, checkin: WellbeingCheckIn, created: bool):
    if not created:
        messages.info(request, _("Cek ini sudah tersimpan; tidak dicatat dua kali."))
    elif checkin.signals_risk and checkin.alerted.exists():
        messages.success(
            request,
            _(
                "Terima kasih sudah bercerita. Fasilitatormu sudah diberi tahu "
                "dan akan menghubungimu. Isi jawabanmu tidak dibagikan."
            ),
        )
    elif checkin.signals_risk:
        messages.warning(
            request,
            _(
                "Tersimpan. Belum ada fasilitator yang terhubung dengan akunmu, "
                "jadi belum ada yang diberi tahu: hubungi lembagamu, atau SAPA 129 "
                "(WhatsApp 08111-129-129)."
            ),
        )
    else:
        messages.success(request, _("Terima kasih. Cek kesejahteraanmu tersimpan."))


@login_required
@require_http_methods(["GET", "POST"])
def checkins(request: HttpRequest) -> HttpResponse:
    """The form, then my earlier check-ins (newest first) with a delete link."""
    _companion(request)
    user = request.user
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                checkin, created = record_checkin(
                    person=user, uuid=form.cleaned_data["uuid"], **form.answers()
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                _saved_message(request, checkin, created)
                return redirect("mentorship:wellbeing")
        if "uuid" in form.errors:
            form.add_error(
                None,
                _("Formulir ini tidak lengkap. Muat ulang halaman lalu coba lagi."),
            )
    else:
        form = CheckInForm(initial={"uuid": uuid.uuid4()})
    if offline_copy_requested(request):
        # The phone's copy: the form and who to call, never earlier answers.
        return render(
            request,
            "mentorship/wellbeing/checkins.html",
            {
                "form": form,
                "offline_copy": True,
                "facilitators": [f for f in facilitators_for(user) if f.phone],
                "risky_answers": RISKY_ANSWERS,
            },
        )
    return render(
        request,
        "mentorship/wellbeing/checkins.html",
        {"form": form, "checkins": list(own_checkins(user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin_delete(request: HttpRequest, checkin_uuid) -> HttpResponse:
    """Ask once, then delete for good. Someone else's check-in is a 404."""
    checkin = get_object_or_404(
        WellbeingCheckIn, uuid=checkin_uuid, person=request.user
    )
    if request.method == "POST":
        delete_checkin(checkin=checkin, person=request.user)
        messages.success(request, _("Cek kesejahteraan itu sudah dihapus."))
        return redirect("mentorship:wellbeing")
    return render(request, "mentorship/wellbeing/delete.html", {"checkin": checkin})


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """The risk check-ins I was told of and have not yet followed up."""
    return render(
        request,
        "mentorship/wellbeing/alerts.html",
        {"alerts": checkins_asking_contact(facilitator=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert(request: HttpRequest, checkin_uuid) -> HttpResponse:
    """For a told facilitator: who, when, which signal. Never the note."""
    checkin = (
        alerts_for(request.user)
        .select_related("person", "contacted_by")
        .filter(uuid=checkin_uuid)
        .first()
    )
    if checkin is None:
        raise Http404
    if request.method == "POST":
        if mark_contacted(checkin=checkin, facilitator=request.user):
            messages.success(request, _("Dicatat: sudah kamu hubungi."))
        else:
            messages.info(request, _("Cek ini sudah ditandai sudah dihubungi."))
        return redirect("mentorship:wellbeing_alert", checkin_uuid=checkin.uuid)
    return render(
        request, "mentorship/wellbeing/alert.html", {"alert": as_alert(checkin)}
    )
