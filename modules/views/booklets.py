from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..access import can_view_page
from ..booklets import current_booklet, request_booklet
from ..choices import BookletStatus
from ..models import ModulePage

# Seconds before the status page asks again. A Refresh header rather than a
# script: the site's content security policy allows no inline JavaScript.
REFRESH_SECONDS = 4


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def booklet(request: HttpRequest, module_id: int) -> HttpResponse:
    """A module's printable booklet: the PDF when it is ready, its progress until then.

    Opening the page asks for the booklet; "Coba lagi" (POST) asks again after
    a failed build.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    module = ModulePage.objects.live().filter(pk=module_id).first()
    if module is None or not can_view_page(request.user, module):
        # Say nothing about a module the person may not see.
        raise Http404

    if request.method == "POST":
        request_booklet(module=module)
        return redirect("modules:booklet", module_id=module.pk)

    booklet = current_booklet(module=module)
    if booklet is not None and booklet.status == BookletStatus.READY:
        return FileResponse(
            booklet.file.open("rb"),
            as_attachment=True,
            filename=f"{module.slug}.pdf",
            content_type="application/pdf",
        )
    if booklet is None or booklet.status != BookletStatus.FAILED:
        # A failed build is tried again only when the person asks (the button),
        # not on every visit.
        booklet = request_booklet(module=module)

    failed = booklet.status == BookletStatus.FAILED
    response = render(
        request,
        "modules/booklet_status.html",
        {"module": module, "booklet": booklet, "failed": failed},
    )
    if not failed:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
