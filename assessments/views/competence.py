"""The trainee's own competence profile on the site."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..competence_selectors import competence_profile


@login_required
def my_competence(request: HttpRequest) -> HttpResponse:
    """Where I stand in each competency, what is still missing, and where to learn it.

    Only ever the signed-in person's own records: there is no id to change.
    """
    rows = competence_profile(request.user, viewer=request.user)
    missing = [row for row in rows if row.is_missing]
    return render(
        request,
        "assessments/competence_profile.html",
        {
            "rows": rows,
            "missing": missing,
            "competent_count": len(rows) - len(missing),
        },
    )
