from django.urls import path

from . import competence_views, views

urlpatterns = [
    path("kompetensi/", competence_views.my_competence, name="my_competence"),
    path("kuis/kemajuan/", views.progress, name="quiz_progress"),
    path("kuis/percobaan/<uuid:uuid>/", views.sitting, name="sitting"),
    path("kuis/percobaan/<uuid:uuid>/selesai/", views.finish, name="sitting_finish"),
    path("kuis/percobaan/<uuid:uuid>/hasil/", views.result, name="sitting_result"),
    path("kuis/<slug:slug>/", views.quiz_detail, name="quiz_detail"),
]
