from django.urls import path

from .views import certificates, competence, offline, quizzes, verification

app_name = "assessments"

urlpatterns = [
    path("kompetensi/", competence.my_competence, name="my_competence"),
    path("sertifikat/", certificates.my_certificates, name="my_certificates"),
    path(
        "sertifikat/<id:pk>/unduh/",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "verifikasi/",
        verification.verification_lookup,
        name="certificate_lookup",
    ),
    path(
        "verifikasi/<str:code>/",
        verification.verification_page,
        name="certificate_verification",
    ),
    path(
        "verifikasi/<str:code>.json",
        verification.verification_json,
        name="certificate_verification_json",
    ),
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
