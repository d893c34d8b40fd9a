from django.urls import path

from .views import (
    attendance,
    cases,
    countersign,
    hours,
    narrative,
    outbox,
    reflection,
    wellbeing,
)

app_name = "mentorship"

urlpatterns = [
    path("magang/", hours.log, name="log"),
    path("magang/jam/baru/", hours.entry_new, name="entry_new"),
    path("magang/kirim/", outbox.outbox, name="outbox"),
    path("magang/jam/ajukan/", hours.entries_submit, name="entries_submit"),
    path("magang/jam/<uuid:entry_uuid>/", hours.entry_detail, name="entry_detail"),
    path(
        "magang/jam/<uuid:entry_uuid>/tarik/",
        hours.entry_withdraw,
        name="entry_withdraw",
    ),
    path("magang/tautan/", countersign.links, name="links"),
    path(
        "magang/tautan/<id:link_id>/batal/",
        countersign.link_revoke,
        name="link_revoke",
    ),
    path(
        "magang/tanda-tangan/<str:token>/", countersign.countersign, name="countersign"
    ),
    path("magang/unduh/catatan-magang.pdf", hours.log_pdf, name="log_pdf"),
    path("magang/unduh/catatan-magang.csv", hours.log_csv, name="log_csv"),
    path("magang/narasi/desa.json", narrative.desa, name="narrative_desa"),
    path("magang/kasus/", cases.cases, name="cases"),
    path("magang/kasus/baru/", cases.case_new, name="case_new"),
    path("magang/kasus/ajukan/", cases.cases_submit, name="cases_submit"),
    path("magang/kasus/<uuid:case_uuid>/", cases.case_detail, name="case_detail"),
    path(
        "magang/kasus/<uuid:case_uuid>/tarik/",
        cases.case_withdraw,
        name="case_withdraw",
    ),
    path("kesejahteraan/", wellbeing.checkins, name="wellbeing"),
    path(
        "kesejahteraan/<uuid:checkin_uuid>/hapus/",
        wellbeing.checkin_delete,
        name="wellbeing_delete",
    ),
    path("kesejahteraan/perhatian/", wellbeing.alerts, name="wellbeing_alerts"),
    path(
        "kesejahteraan/perhatian/<uuid:checkin_uuid>/",
        wellbeing.alert,
        name="wellbeing_alert",
    ),
    path(
        "refleksi/<id:session_id>/",
        reflection.reflection_form,
        name="reflection",
    ),
    path("kehadiran/", attendance.attendance, name="attendance"),
    path(
        "kehadiran/pelatihan/<id:event_id>/<str:day>/",
        attendance.event_day,
        name="attendance_event_day",
    ),
    path(
        "kehadiran/refleksi/<id:session_id>/",
        attendance.session,
        name="attendance_session",
    ),
    path(
        "refleksi/penyegaran/<id:assignment_id>/selesai/",
        reflection.refresher_studied,
        name="refresher_studied",
    ),
]
