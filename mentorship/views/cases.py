"""The trainee's practice-case pages: the list, a new case, one case.

Views collect input and call the rules in `mentorship.cases`. A case is read
through `cases_visible_to` (so the supervisor, and after review the
facilitators, can open it) and changed only by its trainee; a case outside
someone's view does not exist for them (404).
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from learning.offline import offline_copy_requested

from ..cases import (
    can_withdraw,
    case_narrative,
    case_settlement_notice,
    case_warning,
    cases_visible_to,
    record_case,
    record_case_viewed,
    settlement_rule,
    settlement_warning,
    submit_cases,
    update_case,
    withdraw_case,
)
from ..choices import CaseService, ViolenceType
from ..forms.cases import PracticeCaseForm, case_initial
from ..forms.hours import apply_errors
from ..models import Placement, PracticeCase, PracticeCaseEvent
from .records import SubmitWords, submit_ticked


def _labelled(case: PracticeCase) -> PracticeCase:
    """Attach what the templates show: month name, violence types in words, warning."""
    case.month_label = MONTHS.get(case.month, case.month)
    labels = dict(ViolenceType.choices)
    case.violence_labels = [labels.get(code, code) for code in case.violence_types]
    case.warning = case_settlement_notice(case)
    case.flagged = case_warning(case) is not None
    return case


def _service_labels(case: PracticeCase) -> list[str]:
    labels = dict(CaseService.choices)
    return [labels.get(code, code) for code in case.services]


def _form_warning(form: PracticeCaseForm) -> str | None:
    """The TPKS warning for what was typed, even when the form was refused."""
    data = getattr(form, "cleaned_data", {})
    return settlement_warning(
        violence_types=data.get("violence_types") or [],
        perpetrator_age=data.get("perpetrator_age") or "",
        path=data.get("path") or "",
        narrative=case_narrative(data),
    )


# --- The list ----------------------------------------------------------------


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """My practice cases, newest month first, and the button to submit drafts."""
    user = request.user
    mine = [
        _labelled(case)
        for case in PracticeCase.objects.filter(trainee=user)
        .select_related("placement__host", "kecamatan")
        .order_by("-year", "-month", "-pk")
    ]
    has_placement = bool(mine) or Placement.objects.filter(trainee=user).exists()
    return render(
        request,
        "mentorship/cases/list.html",
        {
            "cases": mine,
            "has_placement": has_placement,
            "submittable": [case for case in mine if case.is_editable],
            "flagged": sum(1 for case in mine if case.flagged),
        },
    )


@login_required
@require_POST
def cases_submit(request: HttpRequest) -> HttpResponse:
    """Send the chosen drafts and corrected cases to the supervisor."""
    return submit_ticked(
        request,
        model=PracticeCase,
        field="kasus",
        submit=lambda chosen: submit_cases(trainee=request.user, cases=chosen),
        back="mentorship:cases",
        words=SubmitWords(
            nothing_ticked=lambda: _("Pilih dulu catatan kasus yang akan diajukan."),
            sent=lambda count: (
                ngettext(
                    "%(count)s catatan kasus diajukan ke pembimbing.",
                    "%(count)s catatan kasus diajukan ke pembimbing.",
                    count,
                )
                % {"count": count}
            ),
            already_sent=lambda: _(
                "Catatan kasus yang dipilih sudah diajukan sebelumnya."
            ),
        ),
    )


# --- A new case ------------------------------------------------------------------


def _saved_message(request: HttpRequest, *, created: bool, submit: bool) -> None:
    if not created:
        messages.info(
            request, _("Catatan kasus ini sudah tersimpan; tidak dicatat dua kali.")
        )
    elif submit:
        messages.success(
            request, _("Catatan kasus disimpan dan diajukan ke pembimbing.")
        )
    else:
        messages.success(
            request,
            _("Catatan kasus disimpan sebagai draf. Ajukan bila sudah siap."),
        )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    placements = Placement.objects.filter(trainee=user)
    if not placements.exists():
        return render(request, "mentorship/no_placement.html")
    warning = None
    if request.method == "POST":
        form = PracticeCaseForm(request.POST, trainee=user)
        if form.is_valid():
            submit = request.POST.get("aksi") == "ajukan"
            try:
                case, created = record_case(
                    trainee=user,
                    uuid=form.cleaned_data["uuid"],
                    data=form.case_input(),
                    submit=submit,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                _saved_message(request, created=created, submit=submit)
                return redirect("mentorship:case_detail", case_uuid=case.uuid)
        if "uuid" in form.errors:
            form.add_error(
                None,
                _("Formulir ini tidak lengkap. Muat ulang halaman lalu coba lagi."),
            )
        warning = _form_warning(form)
    else:
        today = timezone.localdate()
        open_now = (
            placements.filter(
                supervisor__isnull=False,
                start_date__lte=today,
                end_date__gte=today,
            )
            .order_by("-start_date")
            .first()
        )
        form = PracticeCaseForm(
            trainee=user,
            initial={
                "uuid": uuid.uuid4(),
                "placement": open_now or placements.order_by("-start_date").first(),
                "month": today.month,
                "year": today.year,
            },
        )
    return render(
        request,
        "mentorship/cases/form.html",
        {
            "form": form,
            "warning": warning,
            "settlement_rule": settlement_rule(),
            "offline_copy": offline_copy_requested(request),
        },
    )


# --- One case --------------------------------------------------------------------


@login_required
def case_detail(request: HttpRequest, case_uuid) -> HttpResponse:
    """A case I may read with its history and feedback; mine, while open, to fix."""
    user = request.user
    case = get_object_or_404(
        cases_visible_to(user).select_related(
            "trainee", "placement__host", "placement__supervisor", "kecamatan"
        ),
        uuid=case_uuid,
    )
    is_mine = case.trainee_id == user.pk
    if not is_mine and request.method == "GET":
        record_case_viewed(case=case, actor=user, request=request, via="web")
    form = None
    warning = None
    if request.method == "POST":
        if not is_mine:
            raise PermissionDenied
        if not case.is_editable:
            messages.error(
                request,
                _("Catatan yang sudah diajukan atau ditinjau tidak dapat diubah."),
            )
            return redirect("mentorship:case_detail", case_uuid=case.uuid)
        action = request.POST.get("aksi", "simpan")
        form = PracticeCaseForm(request.POST, trainee=user, with_uuid=False, case=case)
        if form.is_valid():
            try:
                case = update_case(case=case, trainee=user, data=form.case_input())
                if action == "ajukan":
                    submit_cases(trainee=user, cases=[case])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Perubahan disimpan dan diajukan ke pembimbing.")
                    if action == "ajukan"
                    else _("Perubahan disimpan."),
                )
                return redirect("mentorship:case_detail", case_uuid=case.uuid)
        warning = _form_warning(form)
    elif is_mine and case.is_editable:
        form = PracticeCaseForm(
            trainee=user, with_uuid=False, case=case, initial=case_initial(case)
        )
    _labelled(case)
    history = list(
        PracticeCaseEvent.objects.filter(case=case)
        .select_related("actor")
        .order_by("at", "pk")
    )
    competencies = list(case.competencies_shown.order_by("sort_order", "name"))
    return render(
        request,
        "mentorship/cases/detail.html",
        {
            "case": case,
            "is_mine": is_mine,
            "history": history,
            "competencies": competencies,
            "form": form,
            "form_warning": warning,
            "settlement_rule": settlement_rule(),
            "services": _service_labels(case),
            "can_withdraw": can_withdraw(user, case),
        },
    )


@login_required
@require_POST
def case_withdraw(request: HttpRequest, case_uuid) -> HttpResponse:
    """Take my waiting case back to a draft, until the supervisor has acted."""
    case = get_object_or_404(cases_visible_to(request.user), uuid=case_uuid)
    if case.trainee_id != request.user.pk:
        raise PermissionDenied
    try:
        withdraw_case(case=case, trainee=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Catatan kasus ditarik kembali dan menjadi draf lagi. Pembimbing "
                "tidak melihatnya sampai kamu mengajukannya lagi."
            ),
        )
    return redirect("mentorship:case_detail", case_uuid=case.uuid)
