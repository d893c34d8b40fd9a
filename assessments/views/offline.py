"""A practice quiz a phone keeps for working with no signal (see ../offline.py)."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..choices import QuizMode
from ..grading import can_take
from ..models import Quiz
from ..offline import practice_json, render_practice_page


def _practice_quiz(request: HttpRequest, slug: str) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.select_related("module"), slug=slug)
    # A graded quiz never goes to a phone: its keys stay on the server.
    if quiz.mode != QuizMode.PRACTICE or not can_take(request.user, quiz):
        raise Http404
    return quiz


@never_cache
@require_GET
def practice_page(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    return HttpResponse(render_practice_page(request, _practice_quiz(request, slug)))


@never_cache
@require_GET
def practice_data(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    quiz = _practice_quiz(request, slug)
    return HttpResponse(practice_json(quiz), content_type="application/json")
