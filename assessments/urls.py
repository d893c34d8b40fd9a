from django.urls import path

from .views import competence, offline, quizzes

app_name = "assessments"

urlpatterns = [
    path("kompetensi/", competence.my_competence, name="my_competence"),
    path("kuis/kemajuan/", quizzes.progress, name="quiz_progress"),
    path("kuis/percobaan/<uuid:uuid>/", quizzes.sitting, name="sitting"),
    path("kuis/percobaan/<uuid:uuid>/selesai/", quizzes.finish, name="sitting_finish"),
    path("kuis/percobaan/<uuid:uuid>/hasil/", quizzes.result, name="sitting_result"),
    path("kuis/<slug:slug>/", quizzes.quiz_detail, name="quiz_detail"),
    path(
        "kuis/<slug:slug>/latihan-offline/",
        offline.practice_page,
        name="practice_offline",
    ),
    path(
        "kuis/<slug:slug>/latihan-offline/soal.json",
        offline.practice_data,
        name="practice_offline_data",
    ),
]
