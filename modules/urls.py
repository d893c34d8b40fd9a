from django.urls import path

from .views import booklets, directory, learning, offline

app_name = "modules"

urlpatterns = [
    path(
        "belajar/pelajaran/<id:lesson_id>/selesai/",
        learning.mark_done,
        name="lesson_done",
    ),
    path(
        "belajar/pelajaran/<id:lesson_id>/refleksi/<str:prompt_id>/",
        learning.reflection,
        name="reflection_save",
    ),
    path("belajar/penyegaran/", learning.refresher_library, name="refresher_library"),
    path("cari/", learning.search, name="search"),
    path("belajar/buklet/<id:module_id>/", booklets.booklet, name="booklet"),
    path(
        "belajar/offline/halaman/<id:page_id>/",
        offline.offline_copy,
        name="offline_copy",
    ),
    path(
        "belajar/offline/paket/<id:module_id>/",
        offline.offline_package,
        name="offline_package",
    ),
    path("belajar/offline/versi/", offline.offline_versions, name="offline_versions"),
    path("layanan/", directory.service_list, name="service_list"),
    path("layanan/<id:service_id>/", directory.service_detail, name="service_detail"),
]
