from django.urls import path

from . import views, views_cases, views_reflection

app_name = "mentorship"

urlpatterns = [
    path("magang/", views.log, name="log"),
    path("magang/jam/baru/", views.entry_new, name="entry_new"),
    path("magang/jam/ajukan/", views.entries_submit, name="entries_submit"),
    path("magang/jam/<uuid:entry_uuid>/", views.entry_detail, name="entry_detail"),
    path("magang/tautan/", views.links, name="links"),
    path("magang/tautan/<int:link_id>/batal/", views.link_revoke, name="link_revoke"),
    path("magang/tanda-tangan/<str:token>/", views.countersign, name="countersign"),
    path("magang/unduh/catatan-magang.pdf", views.log_pdf, name="log_pdf"),
    path("magang/unduh/catatan-magang.csv", views.log_csv, name="log_csv"),
    path("magang/kasus/", views_cases.cases, name="cases"),
    path("magang/kasus/baru/", views_cases.case_new, name="case_new"),
    path("magang/kasus/ajukan/", views_cases.cases_submit, name="cases_submit"),
    path("magang/kasus/<uuid:case_uuid>/", views_cases.case_detail, name="case_detail"),
]

# Wellbeing check-ins (issue 10).
from . import views_wellbeing  # noqa: E402

urlpatterns += [
    path("kesejahteraan/", views_wellbeing.checkins, name="wellbeing"),
    path(
        "kesejahteraan/<uuid:checkin_uuid>/hapus/",
        views_wellbeing.checkin_delete,
        name="wellbeing_delete",
    ),
    path("kesejahteraan/perhatian/", views_wellbeing.alerts, name="wellbeing_alerts"),
    path(
        "kesejahteraan/perhatian/<uuid:checkin_uuid>/",
        views_wellbeing.alert,
        name="wellbeing_alert",
    ),
    path(
        "refleksi/<int:session_id>/",
        views_reflection.reflection_form,
        name="reflection",
    ),
    path(
        "refleksi/penyegaran/<int:assignment_id>/selesai/",
        views_reflection.refresher_studied,
        name="refresher_studied",
    ),
]
