"""/magang/narasi/desa.json: the desa names for the narrative check on a phone.

The same for everyone and holding nothing of a person, so it may be kept by
the browser and revalidated with its ETag (a 304 of a few hundred bytes)
instead of 14 KB again; `mentorship.narrative_device` builds it.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from ..narrative_device import desa_names

# Region names change with a new Kepmendagri edition, a few times a decade;
# a day's copy is fresh enough, and a changed list shows after a revalidation.
MAX_AGE = 24 * 60 * 60


@require_safe
def desa(request: HttpRequest) -> HttpResponse:
    names = desa_names()
    response = get_conditional_response(request, etag=names.etag)
    if response is None:
        response = HttpResponse(names.body, content_type="application/json")
    response["ETag"] = names.etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    response.same_for_everyone = True
    return response
