from django.urls import path

from .views import booklets, directory, learning

app_name = "modules"

urlpatterns = [
    path(
        "belajar/pelajaran/<int:lesson_id>/selesai/",
        learning.mark_done,
        name="lesson_done",
    ),
    path(
        "belajar/pelajaran/<int:lesson_id>/refleksi/<str:prompt_id>/",
        learning.reflection,
        name="reflection_save",
    ),
    path("belajar/penyegaran/", learning.refresher_library, name="refresher_library"),
    path("cari/", learning.search, name="search"),
    path("belajar/buklet/<int:module_id>/", booklets.booklet, name="booklet"),
    path("layanan/", directory.service_list, name="service_list"),
    path("layanan/<int:service_id>/", directory.service_detail, name="service_detail"),
]
