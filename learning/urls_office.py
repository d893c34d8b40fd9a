"""The office set-up's URLs (`learning.settings.office`): the site, and the
media files that no web server in front of it serves.

Only Wagtail's images are served from the media folder, because they are
public by nature (a lesson's pictures and their renditions). Documents and
booklets are never served from here: they go through their own views
(`/dokumen/…`, the booklet download), which check who may read them, so a
document under a sign-in restriction still asks for it.
"""

from .urls import public_media_urlpatterns
from .urls import urlpatterns as site_urlpatterns

urlpatterns = [*public_media_urlpatterns(), *site_urlpatterns]
