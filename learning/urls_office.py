"""The office set-up's URLs (`learning.settings.office`): the site, and the
media files that no web server in front of it serves.

Only Wagtail's images are served from the media folder, because they are
public by nature (a lesson's pictures and their renditions). Documents and
booklets are never served from here: they go through their own views
(`/dokumen/…`, the booklet download), which check who may read them, so a
document under a sign-in restriction still asks for it.
"""

import re

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from .urls import urlpatterns as site_urlpatterns

# Wagtail's folders for original images and their renditions.
PUBLIC_MEDIA_FOLDERS = ("original_images", "images")

urlpatterns = [
    re_path(
        r"^{prefix}(?P<path>(?:{folders})/[^/]+)$".format(
            prefix=re.escape(settings.MEDIA_URL.lstrip("/")),
            folders="|".join(PUBLIC_MEDIA_FOLDERS),
        ),
        # safe_join inside `serve` refuses any path that leaves MEDIA_ROOT.
        serve,
        {"document_root": settings.MEDIA_ROOT},
        name="office_media",
    ),
    *site_urlpatterns,
]
