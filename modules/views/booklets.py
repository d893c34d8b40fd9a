from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..access import can_view_page
from ..booklets import current_booklet, request_booklet
from ..choices import BookletStatus
from ..models import ModulePage

# Seconds before the status page asks again. A Refresh header rather than a
# script: the site's content security policy allows no inline JavaScript.
REFRESH_SECONDS = 3

# The query that asks for the status page rather than the file. The page
# refreshes itself to it, so that when the booklet is ready the person sees
# so (a refresh that answered with the file would start the download and
# leave the last "sedang disiapkan" on screen).
STATUS_QUERY = "keadaan"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def booklet(request: HttpRequest, module_id: int) -> HttpResponse:
    """A module's printable booklet: the PDF when it is ready, its progress until then.

    Opening the page asks for the booklet; "Coba lagi" (POST) asks again after
    a failed build. The plain address answers with the PDF once it is ready
    (the module page's link, the offline package); `?keadaan=1` always
    answers with the page, which says when the booklet is ready, starts its
    download and offers it again.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    module = ModulePage.objects.live().filter(pk=module_id).first()
    if module is None or not can_view_page(request.user, module):
        # Say nothing about a module the person may not see.
        raise Http404

    file_url = reverse("modules:booklet", args=[module.pk])
    status_url = f"{file_url}?{STATUS_QUERY}=1"
    if request.method == "POST":
        request_booklet(module=module)
        return redirect(status_url)

    booklet = current_booklet(module=module)
    ready = booklet is not None and booklet.status == BookletStatus.READY
    if ready and STATUS_QUERY not in request.GET:
        return FileResponse(
            booklet.file.open("rb"),
            as_attachment=True,
            filename=f"{module.slug}.pdf",
            content_type="application/pdf",
        )
    if not ready and (booklet is None or booklet.status != BookletStatus.FAILED):
        # A failed build is tried again only when the person asks (the button),
        # not on every visit.
        booklet = request_booklet(module=module)

    failed = booklet.status == BookletStatus.FAILED
    response = render(
        request,
        "modules/booklet_status.html",
        {
            "module": module,
            "booklet": booklet,
            "failed": failed,
            "ready": ready,
            "file_url": file_url,
            "size": _size(booklet) if ready else None,
        },
    )
    if ready:
        # Start the download once: the file answers as an attachment, so the
        # browser stays on this page, which says the booklet is ready.
        response["Refresh"] = f"0; url={file_url}"
    elif not failed:
        response["Refresh"] = f"{REFRESH_SECONDS}; url={status_url}"
    return response


def _size(booklet) -> int | None:
    try:
        return booklet.file.size
    except (OSError, ValueError):
        return None
