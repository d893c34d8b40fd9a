"""The trainee's own competence profile on the site."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..competence_selectors import competence_profile, profile_summary


@login_required
def my_competence(request: HttpRequest) -> HttpResponse:
    """Where I stand in each competency, what is still missing, and where to learn it.

    Only ever the signed-in person's own records: there is no id to change.
    """
    rows = competence_profile(request.user, viewer=request.user)
    return render(
        request,
        "assessments/competence_profile.html",
        {"rows": rows, "summary": profile_summary(rows)},
    )
