import re

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import (
    offline,
    views,
    views_account,
    views_help,
    views_privacy,
    views_second_factor,
)
from .api import api
from .app_identity import web_manifest
from .forms import QueuedPasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", views.SignOutView.as_view(), name="logout"),
    path("keluar-cepat/", views.quick_exit, name="quick_exit"),
    path("masuk/kode/", views_second_factor.verify, name="second_factor_verify"),
    path("akun/faktor-kedua/", views_second_factor.enrol, name="second_factor_enrol"),
    # The help lines, one tap from the landing and sign-in pages, so that the
    # public home reads as a plain training site (after a quick exit, Back).
    path("bantuan/", views_help.help_lines, name="help"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("akun/", views_account.account, name="account"),
    path("akun/nama-aplikasi/", views_account.choose_app_name, name="choose_app_name"),
    path(
        "akun/data-saya/",
        views_privacy.personal_data_request,
        name="personal_data_request",
    ),
    path(
        "akun/data-saya/<id:pk>/",
        views_privacy.personal_data_download,
        name="personal_data_download",
    ),
    path("privasi/", views_privacy.privacy_notice, name="privacy_notice"),
    path("akun/perangkat/lapor/", views_account.device_report, name="device_report"),
    path(
        "akun/perangkat/<uuid:device_uuid>/cabut/",
        views_account.device_revoke,
        name="device_revoke",
    ),
    path(
        "akun/kata-sandi/",
        views.OwnPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "akun/lupa-kata-sandi/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "akun/lupa-kata-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "akun/atur-ulang/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "akun/atur-ulang/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "pemberitahuan/dibaca/",
        views.mark_notifications_read,
        name="notifications_mark_read",
    ),
    path("bahasa/", set_language, name="set_language"),
    path("sehat/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline_page, name="offline"),
    path("api/", api.urls),
    path("", include("modules.urls")),
    path("", include("assessments.urls")),
    path("", include("mentorship.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumen/", include(wagtaildocs_urls)),
]

# Wagtail's folders for original images and their renditions: public by
# nature (a lesson's pictures). Documents and booklets are never served from
# the media folder: their own views check who may read them.
PUBLIC_MEDIA_FOLDERS = ("original_images", "images")


def public_media_urlpatterns() -> list:
    """Serve the public media folders, for set-ups with no web server in front."""
    return [
        re_path(
            r"^{prefix}(?P<path>(?:{folders})/[^/]+)$".format(
                prefix=re.escape(settings.MEDIA_URL.lstrip("/")),
                folders="|".join(PUBLIC_MEDIA_FOLDERS),
            ),
            # safe_join inside `serve` refuses any path that leaves MEDIA_ROOT.
            serve,
            {"document_root": settings.MEDIA_ROOT},
            name="public_media",
        )
    ]


if settings.DEBUG:
    urlpatterns += public_media_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]
