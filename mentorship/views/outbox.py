"""Menunggu sinyal: what a person wrote with no signal, kept on the phone.

The service worker keeps a copy of the page for nobody (no name,
`?salinan=offline`); its script lists the records kept in this browser for
the person signed in and sends them, oldest first, through the JSON API,
which runs the same rules as the forms (outbox-send.js).

The copy also names the forms kept with it for use offline: the reflection of
each session the person may still fill and has not, and a facilitator's
attendance list.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie

from learning.offline import offline_copy_requested

from ..models import Reflection
from ..reflection import sessions_to_fill
from ..wellbeing import may_check_in


@login_required
@ensure_csrf_cookie  # its script sends with the session when there is no key
def outbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    sessions = sessions_to_fill(user).exclude(
        pk__in=Reflection.objects.filter(person=user).values("session_id")
    )
    return render(
        request,
        "mentorship/outbox.html",
        {
            "offline_copy": offline_copy_requested(request),
            "reflection_forms": [
                reverse("mentorship:reflection", args=[pk])
                for pk in sessions.values_list("pk", flat=True)[:5]
            ],
            "may_check_in": may_check_in(user),
        },
    )
