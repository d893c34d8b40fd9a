"""/bantuan/: the help lines (SAPA 129, UPTD PPA, the police), on a page of
their own, one tap from the landing and sign-in pages.

The public home reads as a plain training site: after a quick exit, Back
lands there, and someone looking over a shared phone sees a course. Whoever
needs help finds this page by its plain link "Layanan bantuan".
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def help_lines(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/help.html")
