"""What the trainee's pages for hour entries and practice cases share: sending
the ticked records to the supervisor (`mentorship.workflow.submit`)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from learning.bounds import parse_uuids


@dataclass(frozen=True)
class SubmitWords:
    nothing_ticked: Callable[[], str]
    sent: Callable[[int], str]
    already_sent: Callable[[], str]


def submit_ticked(
    request: HttpRequest,
    *,
    model: type[Model],
    field: str,
    submit: Callable[[list[Model]], list[Model]],
    back: str,
    words: SubmitWords,
) -> HttpResponse:
    """Send the person's own records ticked in `field`; say what happened."""
    chosen = list(
        model.objects.filter(
            trainee=request.user, uuid__in=parse_uuids(request.POST.getlist(field))
        )
    )
    if not chosen:
        messages.error(request, words.nothing_ticked())
    elif submitted := submit(chosen):
        messages.success(request, words.sent(len(submitted)))
    else:
        messages.info(request, words.already_sent())
    return redirect(back)
