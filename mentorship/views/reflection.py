"""The companion's reflection page and their home panel.

A companion invited to a session (enrolled in the programme's cohorts, or
recorded as attending) fills or edits their own reflection here, on the
phone, until the session ends. The page carries a UUID made when it is
first shown, so a double tap saves once. Rules: `mentorship.reflection`.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning.offline import offline_copy_requested

from ..choices import CasePath
from ..forms.reflection import (
    ReflectionForm,
    apply_reflection_errors,
    reflection_initial,
)
from ..models import Reflection, ReflectionSession, RefresherAssignment
from ..reflection import (
    ReflectionExists,
    is_invited,
    save_reflection,
    sessions_to_fill,
)
from ..reflection_outcomes import mark_refresher_studied, open_refreshers_for


@login_required
def reflection_form(request: HttpRequest, session_id: int) -> HttpResponse:
    """Fill or change my reflection for one session I am invited to."""
    user = request.user
    session = get_object_or_404(
        ReflectionSession.objects.select_related("programme", "organisation", "place"),
        pk=session_id,
    )
    if not is_invited(user, session):
        raise Http404
    mine = Reflection.objects.filter(person=user, session=session).first()
    is_open = session.end_date >= timezone.localdate()
    if request.method == "POST" and is_open:
        form = ReflectionForm(request.POST)
        if form.is_valid():
            try:
                _reflection, created = save_reflection(
                    person=user,
                    session=session,
                    uuid=form.cleaned_data["uuid"],
                    data=form.reflection_input(),
                    entered_by=user,
                )
            except ReflectionExists:
                messages.info(
                    request,
                    _("Refleksimu untuk sesi ini sudah ada; ini yang tersimpan."),
                )
                return redirect("mentorship:reflection", session_id=session.pk)
            except ValidationError as error:
                apply_reflection_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Refleksimu tersimpan. Terima kasih!")
                    if created
                    else _("Perubahan refleksimu tersimpan."),
                )
                return redirect("mentorship:reflection", session_id=session.pk)
        if "uuid" in form.errors:
            form.add_error(
                None,
                _("Formulir ini tidak lengkap. Muat ulang halaman lalu coba lagi."),
            )
    elif mine is not None and not offline_copy_requested(request):
        form = ReflectionForm(initial=reflection_initial(mine))
    else:
        form = ReflectionForm(initial={"uuid": uuid.uuid4()})
    return render(
        request,
        "mentorship/reflection/form.html",
        {
            "session": session,
            "form": form,
            "mine": mine,
            "is_open": is_open,
            "paths": CasePath.choices,
            # The phone's copy, for writing with no signal: a new reflection
            # only, never the one already kept (it holds nothing private).
            "offline_copy": offline_copy_requested(request),
        },
    )


def home_panel(request: HttpRequest) -> dict:
    """Refreshers to study, and sessions whose reflection I can still fill."""
    user = request.user
    sessions = list(sessions_to_fill(user).select_related("programme", "place")[:3])
    filled = set(
        Reflection.objects.filter(person=user, session__in=sessions).values_list(
            "session_id", flat=True
        )
    )
    for session in sessions:
        session.filled = session.pk in filled
    return {"refreshers": open_refreshers_for(user), "sessions": sessions}


@login_required
@require_POST
def refresher_studied(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The person has studied an assigned refresher again: take it off their home."""
    assignment = get_object_or_404(
        RefresherAssignment, pk=assignment_id, person=request.user
    )
    mark_refresher_studied(assignment=assignment, person=request.user)
    messages.success(
        request,
        _("Terima kasih. %(module)s tidak lagi tampil sebagai tugas penyegaran.")
        % {"module": assignment.module.title},
    )
    return redirect("home")
