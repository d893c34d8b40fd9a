from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ..directory import directory_services, services_matching
from ..forms import ServiceFilterForm

SERVICES_PER_PAGE = 20


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    """The directory, filtered by place, kind and words from the query string."""
    form = ServiceFilterForm(request.GET)
    # A field with a bad value shows its message; the valid ones still filter.
    form.is_valid()
    chosen = form.cleaned_data
    services = services_matching(
        query=chosen.get("q", ""),
        kabupaten=chosen.get("kabupaten"),
        kecamatan=chosen.get("kecamatan"),
        kind=chosen.get("kind", ""),
    )
    page = Paginator(services, SERVICES_PER_PAGE).get_page(request.GET.get("halaman"))
    others = request.GET.copy()
    others.pop("halaman", None)
    return render(
        request,
        "modules/directory/service_list.html",
        {
            "form": form,
            "page": page,
            "filter_query": others.urlencode(),
            "is_filtered": any(chosen.values()) or bool(form.errors),
        },
    )


@login_required
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(directory_services(), pk=service_id)
    return render(
        request, "modules/directory/service_detail.html", {"service": service}
    )
