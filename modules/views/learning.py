from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning.choices import Role
from learning.search import clean_search_text

from ..access import can_view_page
from ..models import LessonPage
from ..progress import ReflectionError, mark_lesson_done, save_reflection
from ..selectors import refresher_overview, search_curriculum


def _open_lesson(request: HttpRequest, lesson_id: int) -> LessonPage:
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None or not can_view_page(request.user, lesson):
        raise Http404
    return lesson


@login_required
@require_POST
def mark_done(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """ "Tandai selesai": record the lesson and move on to the next one."""
    lesson = _open_lesson(request, lesson_id)
    mark_lesson_done(user=request.user, lesson=lesson)
    following = lesson.next_lesson()
    if following is not None:
        messages.success(
            request, _("Pelajaran ditandai selesai. Lanjut ke berikutnya.")
        )
        return redirect(following.get_url(request))
    module = lesson.module()
    messages.success(request, _("Pelajaran terakhir modul ini selesai."))
    return redirect(module.get_url(request))


@login_required
@require_POST
def reflection(request: HttpRequest, lesson_id: int, prompt_id: str) -> HttpResponse:
    """Save (or, when emptied, delete) the person's private answer to a prompt.

    The word of what happened is shown inside the prompt's own box, where the
    page opens, not at the top of a long lesson. A refused answer comes back
    in its box, as typed, beside the reason.
    """
    lesson = _open_lesson(request, lesson_id)
    if prompt_id not in {block.id for block in lesson.reflection_prompts()}:
        messages.error(
            request, _("Pertanyaan refleksi ini sudah tidak ada di pelajaran.")
        )
        return redirect(lesson.get_url(request))
    # A NUL is never typed; PostgreSQL cannot store one.
    text = request.POST.get("answer", "").replace("\x00", "")
    try:
        answer = save_reflection(
            user=request.user, lesson=lesson, prompt_id=prompt_id, text=text
        )
    except ReflectionError as error:
        request.refused_reflection = {
            "prompt_id": prompt_id,
            "text": text,
            "error": str(error),
        }
        response = lesson.serve(request)
        response.status_code = 400
        return response
    in_place = f"in-place refleksi-{prompt_id}"
    if answer is None:
        messages.success(request, _("Jawaban dihapus."), extra_tags=in_place)
    else:
        messages.success(
            request,
            _("Jawaban tersimpan. Hanya kamu yang dapat membacanya."),
            extra_tags=in_place,
        )
    return redirect(f"{lesson.get_url(request)}#refleksi-{prompt_id}")


@login_required
def refresher_library(request: HttpRequest) -> HttpResponse:
    """Refresher modules and what changed since the person studied them."""
    if not (request.user.is_superuser or request.user.roles):
        raise Http404
    context = refresher_overview(request.user)
    context["is_alumnus"] = Role.ALUMNI in request.user.roles
    return render(request, "modules/refresher_library.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = clean_search_text(request.GET.get("q", ""))
    results = search_curriculum(request.user, query)
    return render(
        request,
        "modules/search.html",
        {
            "query": query,
            "results": results,
            "result_count": sum(len(items) for items in results.values()),
        },
    )
