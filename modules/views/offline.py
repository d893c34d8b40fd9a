"""What the browser fetches to store a module for reading offline.

These answer the page script (learning/static/learning/js/offline.js), not a
person: a refusal is a status code, never a sign-in page to store by mistake.
"""

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
)
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wagtail.models import Page

from learning.bounds import parse_id

from ..access import can_view_page, modules_visible_to
from ..models import LessonPage, ModulePage
from ..offline import module_version, package_for, render_copy


def _not_signed_in() -> JsonResponse:
    return JsonResponse(
        {"detail": _("Masuk dulu untuk menyimpan modul di ponsel.")}, status=403
    )


# A phone stores a handful of modules; a longer list is not one of ours.
MAX_MODULES_ASKED = 50


@never_cache
@require_GET
def offline_copy(request: HttpRequest, page_id: int) -> HttpResponse:
    """The copy of a module or lesson page that a phone stores: no name, no
    answers, no progress."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    page = Page.objects.live().filter(pk=page_id).specific().first()
    if not isinstance(page, ModulePage | LessonPage) or not can_view_page(
        request.user, page
    ):
        raise Http404
    return HttpResponse(render_copy(request, page))


@never_cache
@require_GET
def offline_package(request: HttpRequest, module_id: int) -> JsonResponse:
    """What "Simpan untuk dibaca offline" stores for a module, with sizes."""
    if not request.user.is_authenticated:
        return _not_signed_in()
    module = ModulePage.objects.live().filter(pk=module_id).first()
    if module is None or not can_view_page(request.user, module):
        raise Http404
    package = package_for(request=request, module=module)
    return JsonResponse(
        {
            "module": module.pk,
            "title": module.title,
            "url": module.get_url(request=request),
            "package": request.path,
            "version": package.version,
            "size": package.size,
            "booklet_pending": package.booklet_pending,
            "entries": package.entries,
        }
    )


@never_cache
@require_GET
def offline_versions(request: HttpRequest) -> JsonResponse:
    """The current version of each stored module (`?modul=1&modul=2`), or null
    for one the person may no longer open: the phone then deletes it."""
    if not request.user.is_authenticated:
        return _not_signed_in()
    asked = []
    for value in request.GET.getlist("modul")[:MAX_MODULES_ASKED]:
        if (number := parse_id(value)) is not None and number not in asked:
            asked.append(number)
    visible = {
        module.pk: module
        for module in modules_visible_to(request.user).filter(pk__in=asked)
    }
    return JsonResponse(
        {
            str(pk): module_version(visible[pk]) if pk in visible else None
            for pk in asked
        }
    )
