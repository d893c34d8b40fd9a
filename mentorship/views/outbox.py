"""Menunggu sinyal: what a person wrote with no signal, kept on the phone.

The service worker keeps a copy of the page for nobody (no name,
`?salinan=offline`); its script lists the records kept in this browser for the person
signed in and sends them, oldest first, through the JSON API, which runs the
same rules as the forms.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from learning.offline import offline_copy_requested

# Where each kind of record kept on the phone is sent (the API's create routes).
API_PATHS = {"jam": "/api/magang/entries", "kasus": "/api/magang/cases"}


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mentorship/outbox.html",
        {"offline_copy": offline_copy_requested(request), "api_paths": API_PATHS},
    )
