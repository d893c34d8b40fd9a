# ruff: noqa: E501 - one row per route reads best on one line
"""The expected answer of every route to every person: one table.

Columns, in order (`tests.site_personas.PERSONAS`):

    anonymous, trainee (peserta), another trainee (paralegal-oelomin),
    facilitator in scope (fasilitator, SSP), partner-organisation facilitator
    (fasilitator-yabiku, YABIKU in the I-WILL consortium, teaching no cohort),
    coordinator of another programme (koordinator-lain), superuser

Letters:

    2  served (2xx)
    L  sent to sign in
    H  turned away to the home page or the admin home (Wagtail's refusal)
    R  redirected elsewhere (a form done, a page moved)
    N  refused or not found (401, 403, 404, 405)
    V  the input is refused with a message (400, 409, 422)

Writes are sent with an empty body, so a person allowed to write mostly gets
V (or the form again, 2). The objects in the URLs are the demo's: the I-WILL
cohort and programme, SSP, the peserta's placement, hour entry, practice case,
quiz sitting and wellbeing check-in, the reflection session that
`fasilitator` leads, the first of each snippet.
"""

import re

from django.apps import apps

MISSING = 999999999


def _first(model_label: str, **filters):
    model = apps.get_model(model_label)
    row = model.objects.filter(**filters).order_by("pk").first()
    return row.pk if row else MISSING


def _values(site) -> dict:
    """URL parameter values, by route prefix and parameter name."""
    from mentorship.models import (
        CountersignLink,
        HourEntry,
        Placement,
        PracticeCase,
        ReflectionSession,
        RefresherAssignment,
    )
    from modules.models import LessonPage, ModulePage

    people = site["people"]
    trainee = people["trainee"]
    placement = Placement.objects.filter(trainee=trainee).order_by("pk").first()
    entry = HourEntry.objects.filter(placement__trainee=trainee).order_by("pk").first()
    case = PracticeCase.objects.filter(trainee=trainee).order_by("pk").first()
    session = (
        ReflectionSession.objects.filter(facilitators=people["facilitator"])
        .order_by("pk")
        .first()
    )
    event = apps.get_model("assessments.TrainingEvent").objects.order_by("pk").first()
    lesson = LessonPage.objects.live().order_by("path").first()
    module = ModulePage.objects.live().order_by("path").first()
    link = CountersignLink.objects.filter(placement=placement).first()
    assignment = RefresherAssignment.objects.filter(person=trainee).first()
    certificate = (
        apps.get_model("assessments.Certificate")
        .objects.filter(holder__username="alumni", revoked_at__isnull=True)
        .order_by("pk")
        .first()
    )
    return {
        "cohort": _first("learning.Cohort", name="Paralegal Desa 2022"),
        "programme": _first("learning.Programme", short_name="I-WILL"),
        "organisation": _first("learning.Organisation", short_name="SSP"),
        "users": trainee.pk,
        "pelatihan": _first("assessments.TrainingEvent"),
        "event_day": event.start_date.isoformat() if event else "2022-11-17",
        "placement": placement.pk,
        "entry": entry.pk,
        "entry_uuid": entry.uuid,
        "case": case.pk,
        "case_uuid": case.uuid,
        "session": session.pk,
        "sitting": site["sitting"].uuid,
        "quiz": site["sitting"].quiz_id,
        "slug": site["sitting"].quiz.slug,
        "checkin": site["checkin"].uuid,
        "lesson": lesson.pk,
        "module": module.pk,
        "link": link.pk if link else MISSING,
        "assignment": assignment.pk if assignment else MISSING,
        # The demo alumna's certificate (public verification by its code).
        "certificate_code": certificate.code if certificate else "TIDAK-ADA",
        # The admin's certificate page and the I-WILL rule (admin/sertifikasi/).
        "certificate": certificate.pk if certificate else MISSING,
        "certification_rule": _first(
            "assessments.CertificationRule", programme__short_name="I-WILL"
        ),
        # SSP's 2020 figures from before the platform, entered by hand.
        "history_year": _first(
            "mentorship.ProgrammeHistoryYear",
            programme__short_name="SSP-LBK",
            organisation__short_name="SSP",
            year=2020,
        ),
        "snippet": {
            "category": _first("assessments.Category"),
            "competency": _first("assessments.Competency"),
            "question": _first("assessments.Question"),
            "quiz": _first("assessments.Quiz"),
            "scenario": _first("assessments.Scenario"),
            "referralservice": _first("modules.ReferralService"),
        },
        "service": _first("modules.ReferralService"),
        "image": _first("wagtailimages.Image"),
        "document": _first("wagtaildocs.Document"),
        "trainee": trainee.pk,
        "answer": MISSING,
        "missing": MISSING,
        "reflection_uuid": "00000000-0000-4000-8000-000000000000",
        "device_uuid": "00000000-0000-4000-8000-000000000001",
    }


PK_BY_PREFIX = (
    ("admin/cohort/", "cohort"),
    ("admin/programme/", "programme"),
    ("admin/organisation/", "organisation"),
    ("admin/users/", "users"),
    ("admin/pelatihan/", "pelatihan"),
    ("admin/magang/penempatan/", "placement"),
    ("admin/magang/impor/", "placement"),
    ("admin/magang/jam/", "entry"),
    ("admin/magang/kasus/", "case"),
    ("admin/refleksi/", "session"),
    ("admin/sertifikasi/sertifikat/", "certificate"),
    ("admin/sertifikasi/aturan/", "certification_rule"),
    ("sertifikat/", "certificate"),
    ("admin/angka-program/sebelum-pendamping/", "history_year"),
    ("admin/orang/impor/", "missing"),
    ("admin/orang/", "users"),
    ("admin/akun/", "users"),
    ("admin/materi-contoh/", "missing"),
    # "Unduh data saya": the demo holds no file; its owner-only download is
    # proven in tests/learning/test_personal_data_export.py.
    ("akun/data-saya/", "missing"),
)

BY_NAME = {
    "cohort_id": "cohort",
    "trainee_id": "trainee",
    "quiz_id": "quiz",
    "answer_id": "answer",
    "image_id": "image",
    "document_id": "document",
    "module_id": "module",
    "lesson_id": "lesson",
    "page_id": "lesson",
    "service_id": "service",
    "session_id": "session",
    "assignment_id": "assignment",
    "link_id": "link",
    "entry_uuid": "entry_uuid",
    "case_uuid": "case_uuid",
    "checkin_uuid": "checkin",
    "sitting_uuid": "sitting",
    "uuid": "sitting",
    "slug": "slug",
    "event_id": "pelatihan",
    "day": "event_day",
    "person_id": "trainee",
    "reflection_uuid": "reflection_uuid",
    "device_uuid": "device_uuid",
    "code": "certificate_code",
}


def describe(pattern: str, site) -> str:
    """The concrete URL this table means for `pattern`."""
    values = site.setdefault("_values", _values(site))

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "pk":
            snippet = re.match(r"admin/snippets/\w+/(\w+)/", pattern)
            if snippet:
                return str(values["snippet"][snippet.group(1)])
            for prefix, key in PK_BY_PREFIX:
                if pattern.startswith(prefix):
                    return str(values[key])
            raise KeyError(pattern)
        if name in ("page_id", "parent_page_id"):
            return str(values["lesson"] if name == "page_id" else values["module"])
        if name == "prompt_id":
            return "tidak-ada"
        if name == "token":
            return "tautan-tidak-dikenal"
        return str(values[BY_NAME[name]])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, pattern)


def body(pattern: str, site) -> dict:
    """A well-formed JSON body for the API writes where who sends it matters.

    An empty body is refused by the schema before anyone is asked who they
    are; these reach the rule, so the table shows who may act.
    """
    values = site.setdefault("_values", _values(site))
    people = site["people"]
    entry, trainee = str(values["entry_uuid"]), people["trainee"].pk
    bodies = {
        "api/magang/entries/submit": {"uuids": [entry]},
        "api/magang/queue/verify": {"uuids": [entry], "comment": "Sesuai."},
        "api/magang/queue/return": {"uuids": [entry], "comment": "Lengkapi."},
        "api/magang/cases/submit": {"uuids": [str(values["case_uuid"])]},
        "api/magang/cases/<case_uuid>/review": {
            "feedback": "Baik.",
            "competency_ids": [],
        },
        "api/magang/cases/<case_uuid>/return": {"feedback": "Lengkapi."},
        "api/competence/assessments": {
            "trainee_id": trainee,
            "competency_id": values["snippet"]["competency"],
            "level": "berkembang",
        },
        "api/competence/events/<event_id>/attendance": {
            "day": "2022-11-17",
            "trainee_ids": [trainee],
        },
        "api/magang/reflection/sessions/<session_id>/attendance": {
            "person_ids": [trainee]
        },
        "api/certificates/issue": {
            "programme_id": values["programme"],
            "trainee_ids": [trainee],
        },
    }
    return bodies.get(pattern, {})


EXPECTED: dict[str, dict[str, str]] = {
    "": {"GET": "2222222", "POST": "2222222"},
    "admin/": {"GET": "LLL2222"},
    "admin/akun/<id:pk>/faktor-kedua/reset/": {"GET": "LLLHHH2", "POST": "LLLHHHR"},
    "admin/akun/kata-sandi-sementara/": {"GET": "LLL2222", "POST": "LLL2222"},
    # The programme view: staff see figures in their scope; nobody writes here.
    "admin/angka-program/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    # Figures from before Pendamping: facilitators may look, coordinators of the
    # programme write; a row outside one's programmes is not found.
    "admin/angka-program/sebelum-pendamping/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/angka-program/sebelum-pendamping/delete/<int:pk>/": {
        "GET": "LLLHNN2",
        "POST": "LLLHNNR",
    },
    "admin/angka-program/sebelum-pendamping/edit/<int:pk>/": {
        "GET": "LLLHHN2",
        "POST": "LLLHHN2",
    },
    "admin/angka-program/sebelum-pendamping/history-results/<int:pk>/": {
        "GET": "LLLHNN2",
        "POST": "LLLHNNN",
    },
    "admin/angka-program/sebelum-pendamping/history/<int:pk>/": {
        "GET": "LLLHNN2",
        "POST": "LLLHNNN",
    },
    "admin/angka-program/sebelum-pendamping/inspect/<int:pk>/": {
        "GET": "LLL2NN2",
        "POST": "LLLNNNN",
    },
    "admin/angka-program/sebelum-pendamping/new/": {
        "GET": "LLLHH22",
        "POST": "LLLHH22",
    },
    "admin/angka-program/sebelum-pendamping/results/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/angka-program/sebelum-pendamping/usage/<int:pk>/": {
        "GET": "LLLHNN2",
        "POST": "LLLHNNN",
    },
    "admin/cohort/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/cohort/copy/<int:pk>/": {"GET": "LLL22H2", "POST": "LLL22H2"},
    "admin/cohort/delete/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHR"},
    "admin/cohort/edit/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLL2HH2"},
    "admin/cohort/history-results/<int:pk>/": {"GET": "LLL22H2", "POST": "LLLNNHN"},
    "admin/cohort/history/<int:pk>/": {"GET": "LLL22H2", "POST": "LLLNNHN"},
    "admin/cohort/inspect/<int:pk>/": {"GET": "LLL22H2", "POST": "LLLNNHN"},
    "admin/cohort/new/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/cohort/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/cohort/usage/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLLNHHN"},
    "admin/documents/": {"GET": "LLL2222"},
    "admin/documents/edit/<int:document_id>/": {"GET": "LLL2222"},
    "admin/hasil-kuis/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/angkatan/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/angkatan/<id:cohort_id>/": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/hasil-kuis/angkatan/<id:cohort_id>/hasil/": {
        "GET": "LLL2NN2",
        "POST": "LLLNNNN",
    },
    "admin/hasil-kuis/angkatan/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/esai/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/esai/<id:answer_id>/": {"GET": "LLLNNNN", "POST": "LLLNNNN"},
    "admin/hasil-kuis/esai/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/kuis/<id:quiz_id>/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/kuis/<id:quiz_id>/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/kuis/<id:quiz_id>/statistik/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/hasil-kuis/statistik/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/hasil-kuis/statistik/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/images/": {"GET": "LLL2222"},
    "admin/images/<int:image_id>/": {"GET": "LLL2222"},
    "admin/jejak-audit/": {"GET": "LLLNN22", "POST": "LLLNNNN"},
    "admin/jejak-audit/hasil/": {"GET": "LLLNN22", "POST": "LLLNNNN"},
    "admin/kompetensi/matriks/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/kompetensi/matriks/<id:cohort_id>/": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/kompetensi/matriks/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/kompetensi/nilai/<id:trainee_id>/": {"GET": "LLL2NN2", "POST": "LLL2NN2"},
    "admin/kompetensi/peserta/<id:trainee_id>/": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/magang/impor/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/magang/impor/<id:pk>/": {"GET": "LLL2NN2", "POST": "LLL2NN2"},
    "admin/magang/impor/<id:pk>/tanda-tangan/": {"GET": "LLLNNNN", "POST": "LLLNNNN"},
    "admin/magang/impor/<id:pk>/templat.xlsx": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/magang/jam/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/magang/jam/inspect/<id:pk>/": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/magang/jam/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/magang/kasus-angka/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/magang/kasus/": {"GET": "LLL22H2", "POST": "LLLNNHN"},
    "admin/magang/kasus/<id:pk>/": {"GET": "LLL2NNN", "POST": "LLLRNNN"},
    "admin/magang/kasus/results/": {"GET": "LLL22H2", "POST": "LLLNNHN"},
    "admin/magang/kesejahteraan-angka/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/magang/penempatan/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/magang/penempatan/delete/<int:pk>/": {"GET": "LLLRNNR", "POST": "LLLRNNR"},
    "admin/magang/penempatan/edit/<int:pk>/": {"GET": "LLL2NN2", "POST": "LLL2NN2"},
    "admin/magang/penempatan/history-results/<int:pk>/": {
        "GET": "LLL2NN2",
        "POST": "LLLNNNN",
    },
    "admin/magang/penempatan/history/<int:pk>/": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/magang/penempatan/new/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/magang/penempatan/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/magang/penempatan/usage/<int:pk>/": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    # Anonymising the demo trainee: the facilitator sees her but may not erase
    # her (Wagtail's refusal); the superuser's empty form changes nothing.
    "admin/orang/<id:pk>/anonimkan/": {"GET": "LLLHNN2", "POST": "LLLHNN2"},
    "admin/orang/impor/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/orang/impor/<id:pk>/": {"GET": "LLLNNNN", "POST": "LLLNNNN"},
    "admin/orang/impor/templat.xlsx": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/organisation/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/organisation/copy/<int:pk>/": {"GET": "LLLHH22", "POST": "LLLHH22"},
    # SSP holds figures from before Pendamping (PROTECT): Wagtail's delete page
    # says it is in use, and a POST anyway is refused, as for a programme.
    "admin/organisation/delete/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHH"},
    "admin/organisation/edit/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHH2"},
    "admin/organisation/history-results/<int:pk>/": {
        "GET": "LLLHH22",
        "POST": "LLLHHNN",
    },
    "admin/organisation/history/<int:pk>/": {"GET": "LLLHH22", "POST": "LLLHHNN"},
    "admin/organisation/inspect/<int:pk>/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/organisation/new/": {"GET": "LLLHH22", "POST": "LLLHH22"},
    "admin/organisation/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/organisation/usage/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHN"},
    "admin/pages/": {"GET": "LLLRRR2"},
    "admin/pages/<int:page_id>/edit/": {"GET": "LLL2222"},
    "admin/pages/<int:parent_page_id>/": {"GET": "LLL2222"},
    "admin/pelatihan/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/pelatihan/<id:pk>/kehadiran/": {"GET": "LLL22N2", "POST": "LLLRRNR"},
    "admin/pelatihan/<id:pk>/kehadiran/impor/": {"GET": "LLL22N2", "POST": "LLL22N2"},
    "admin/pelatihan/<id:pk>/kehadiran/templat.xlsx": {
        "GET": "LLL22N2",
        "POST": "LLLNNNN",
    },
    "admin/pelatihan/<id:pk>/tandai-dipelajari/": {
        "GET": "LLLNNNN",
        "POST": "LLLRRNR",
    },
    "admin/pelatihan/delete/<int:pk>/": {"GET": "LLLHHN2", "POST": "LLLHHNR"},
    "admin/pelatihan/edit/<int:pk>/": {"GET": "LLL22N2", "POST": "LLL22N2"},
    "admin/pelatihan/history-results/<int:pk>/": {"GET": "LLL22N2", "POST": "LLLNNNN"},
    "admin/pelatihan/history/<int:pk>/": {"GET": "LLL22N2", "POST": "LLLNNNN"},
    "admin/pelatihan/inspect/<int:pk>/": {"GET": "LLL22N2", "POST": "LLLNNNN"},
    "admin/pelatihan/new/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/pelatihan/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/pelatihan/usage/<int:pk>/": {"GET": "LLL22N2", "POST": "LLLNNNN"},
    "admin/programme/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/programme/copy/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHH2"},
    "admin/programme/delete/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHH"},
    "admin/programme/edit/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHH2"},
    "admin/programme/history-results/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHN"},
    "admin/programme/history/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHN"},
    "admin/programme/inspect/<int:pk>/": {"GET": "LLL22H2", "POST": "LLLNNHN"},
    "admin/programme/new/": {"GET": "LLLHH22", "POST": "LLLHH22"},
    "admin/programme/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/programme/usage/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHN"},
    "admin/refleksi/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/refleksi/<id:pk>/isi/": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/refleksi/<id:pk>/kehadiran/impor/": {"GET": "LLL2NN2", "POST": "LLL2NN2"},
    "admin/refleksi/<id:pk>/ringkasan.pdf": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/refleksi/<id:pk>/sesi/": {"GET": "LLL2NN2", "POST": "LLLRNNR"},
    "admin/refleksi/delete/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLLRHHR"},
    "admin/refleksi/edit/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLL2HH2"},
    "admin/refleksi/history-results/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLLNHHN"},
    "admin/refleksi/history/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLLNHHN"},
    "admin/refleksi/new/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/refleksi/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/refleksi/usage/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLLNHHN"},
    "admin/reports/site-history/": {"GET": "LLL2222"},
    # Certification: read by staff in scope; issuing, revoking, a new PDF and
    # the rule's edit are for the programme's coordinators (here the superuser).
    "admin/sertifikasi/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/sertifikasi/angkatan/<id:cohort_id>/": {"GET": "LLL22N2", "POST": "LLLNNNR"},
    "admin/sertifikasi/aturan/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/sertifikasi/aturan/delete/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHR"},
    "admin/sertifikasi/aturan/edit/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHH2"},
    "admin/sertifikasi/aturan/history-results/<int:pk>/": {
        "GET": "LLLHHH2",
        "POST": "LLLHHHN",
    },
    "admin/sertifikasi/aturan/history/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHN"},
    "admin/sertifikasi/aturan/inspect/<int:pk>/": {"GET": "LLL22H2", "POST": "LLLNNHN"},
    "admin/sertifikasi/aturan/new/": {"GET": "LLLHH22", "POST": "LLLHH22"},
    "admin/sertifikasi/aturan/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/sertifikasi/aturan/usage/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHN"},
    "admin/sertifikasi/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/sertifikasi/peserta/<id:trainee_id>/": {"GET": "LLL2NN2", "POST": "LLLRNNR"},
    "admin/sertifikasi/sertifikat/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/sertifikasi/sertifikat/<id:pk>/": {"GET": "LLL2NN2", "POST": "LLLNNNN"},
    "admin/sertifikasi/sertifikat/<id:pk>/buat-ulang-pdf/": {
        "GET": "LLLNNNN",
        "POST": "LLLNNNR",
    },
    "admin/sertifikasi/sertifikat/<id:pk>/cabut/": {
        "GET": "LLLNNNN",
        "POST": "LLLNNN2",
    },
    "admin/sertifikasi/sertifikat/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/snippets/assessments/category/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/snippets/assessments/category/add/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/snippets/assessments/category/copy/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/assessments/category/delete/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLHHHH",
    },
    "admin/snippets/assessments/category/edit/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/assessments/category/history-results/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/category/history/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/category/results/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/category/usage/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/competency/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/snippets/assessments/competency/add/": {"GET": "LLLHH22", "POST": "LLLHH22"},
    "admin/snippets/assessments/competency/copy/<int:pk>/": {
        "GET": "LLLHH22",
        "POST": "LLLHH22",
    },
    "admin/snippets/assessments/competency/delete/<int:pk>/": {
        "GET": "LLLHH22",
        "POST": "LLLHHRR",
    },
    "admin/snippets/assessments/competency/edit/<int:pk>/": {
        "GET": "LLLHH22",
        "POST": "LLLHH22",
    },
    "admin/snippets/assessments/competency/history-results/<int:pk>/": {
        "GET": "LLLHH22",
        "POST": "LLLHHNN",
    },
    "admin/snippets/assessments/competency/history/<int:pk>/": {
        "GET": "LLLHH22",
        "POST": "LLLHHNN",
    },
    "admin/snippets/assessments/competency/results/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/competency/usage/<int:pk>/": {
        "GET": "LLLHH22",
        "POST": "LLLHHNN",
    },
    "admin/snippets/assessments/question/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/snippets/assessments/question/add/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/snippets/assessments/question/copy/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/assessments/question/delete/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLRRRR",
    },
    "admin/snippets/assessments/question/edit/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/assessments/question/history-results/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/question/history/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/question/results/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/question/usage/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/quiz/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/snippets/assessments/quiz/add/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/snippets/assessments/quiz/copy/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/assessments/quiz/delete/<int:pk>/": {
        "GET": "LLLRRRR",
        "POST": "LLLRRRR",
    },
    "admin/snippets/assessments/quiz/edit/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/assessments/quiz/history-results/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/quiz/history/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/quiz/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/snippets/assessments/quiz/usage/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/scenario/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/snippets/assessments/scenario/add/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/snippets/assessments/scenario/copy/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/assessments/scenario/delete/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLRRRR",
    },
    "admin/snippets/assessments/scenario/edit/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/assessments/scenario/history-results/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/scenario/history/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/scenario/results/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/assessments/scenario/usage/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/modules/referralservice/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/snippets/modules/referralservice/add/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/modules/referralservice/copy/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/modules/referralservice/delete/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLRRRR",
    },
    "admin/snippets/modules/referralservice/edit/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLL2222",
    },
    "admin/snippets/modules/referralservice/history-results/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/modules/referralservice/history/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/modules/referralservice/results/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/snippets/modules/referralservice/usage/<int:pk>/": {
        "GET": "LLL2222",
        "POST": "LLLNNNN",
    },
    "admin/soal/ekspor/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/soal/impor/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/soal/impor/hasil/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/users/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/users/delete/<int:pk>/": {"GET": "LLLHHH2", "POST": "LLLHHHR"},
    "admin/users/edit/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLL2HH2"},
    "admin/users/history-results/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLLNHHN"},
    "admin/users/history/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLLNHHN"},
    "admin/users/new/": {"GET": "LLL2222", "POST": "LLL2222"},
    "admin/users/results/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/users/usage/<int:pk>/": {"GET": "LLL2HH2", "POST": "LLLNHHN"},
    "admin/wilayah/cari/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "akun/": {"GET": "L222222", "POST": "L222222"},
    "akun/data-saya/": {"GET": "LNNNNNN", "POST": "LRRRRRR"},
    "akun/data-saya/<id:pk>/": {"GET": "LNNNNNN", "POST": "LNNNNNN"},
    "akun/faktor-kedua/": {"GET": "LNN2222", "POST": "LNN2222"},
    "akun/kata-sandi/": {"GET": "L222222", "POST": "L222222"},
    "akun/nama-aplikasi/": {"GET": "LNNNNNN", "POST": "L222222"},
    "akun/perangkat/<uuid:device_uuid>/cabut/": {"GET": "LNNNNNN", "POST": "LNNNNNN"},
    "akun/perangkat/lapor/": {"GET": "NNNNNNN", "POST": "NVVVVVV"},
    "api/": {"GET": "2222222"},
    "api/competence/assessments": {"POST": "NVN2NN2"},
    "api/competence/events/<event_id>/attendance": {"POST": "NNN2VN2"},
    "api/competence/me": {"GET": "N222222"},
    # Certificates: one's own; a cohort's ready list for those who read its
    # results (as the competence matrix); issuing for the programme's
    # coordinators (the superuser's issue to the peserta is refused in the
    # answer's "refused": she is not ready).
    "api/certificates/mine": {"GET": "N222222"},
    "api/certificates/checklist": {"GET": "N222222"},
    "api/certificates/cohorts/<cohort_id>/ready": {"GET": "NNN2NN2"},
    "api/certificates/issue": {"POST": "NNNNNN2"},
    "api/competence/people/<person_id>": {"GET": "N2N2NN2"},
    "api/docs": {"GET": "2222222"},
    "api/magang/cases": {"GET": "N222222", "POST": "NVVVVVV"},
    "api/magang/cases/<case_uuid>": {"PUT": "NVVVVVV"},
    "api/magang/cases/<case_uuid>/return": {"POST": "NNNVNNN"},
    "api/magang/cases/<case_uuid>/review": {"POST": "NNNVNNN"},
    "api/magang/cases/<case_uuid>/withdraw": {"POST": "NVNNNNN"},
    "api/magang/cases/queue": {"GET": "N222222"},
    "api/magang/cases/submit": {"POST": "N2NNNNN"},
    "api/magang/entries": {"GET": "N222222", "POST": "NVVVVVV"},
    "api/magang/entries/<entry_uuid>": {"PUT": "NVVVVVV"},
    "api/magang/entries/<entry_uuid>/withdraw": {"POST": "NVNNNNN"},
    "api/magang/entries/submit": {"POST": "N2NNNNN"},
    "api/magang/placements": {"GET": "N222222"},
    "api/magang/queue": {"GET": "N222222"},
    "api/magang/queue/return": {"POST": "NNN2NNN"},
    "api/magang/queue/verify": {"POST": "NNN2NNN"},
    "api/magang/reflection/mine": {"GET": "N222222", "POST": "NVVVVVV"},
    "api/magang/reflection/mine/<reflection_uuid>": {"PUT": "NNNNNNN"},
    "api/magang/reflection/mine/sessions": {"GET": "N222222"},
    "api/magang/reflection/sessions": {"GET": "N222222"},
    "api/magang/reflection/sessions/<session_id>/attendance": {"POST": "NNN2NN2"},
    "api/magang/refreshers/mine": {"GET": "N222222"},
    "api/magang/wellbeing": {"POST": "NVVVVVV"},
    "api/magang/wellbeing/<checkin_uuid>": {"DELETE": "N2NNNNN"},
    "api/magang/wellbeing/mine": {"GET": "N2222NN"},
    "api/me": {"GET": "N222222"},
    "api/me/cohorts": {"GET": "N222222"},
    "api/modules/": {"GET": "N222222"},
    "api/modules/<module_id>/lessons": {"GET": "N222222"},
    "api/modules/lessons/<lesson_id>/done": {"POST": "N222222"},
    "api/openapi.json": {"GET": "2222222"},
    "api/people": {"GET": "NNN2222"},
    "api/perangkat/token": {"POST": "NVVVVVV"},
    "api/quizzes/<slug>/sittings": {"POST": "N222222"},
    "api/quizzes/sittings/<sitting_uuid>": {"GET": "N2NNNNN"},
    "api/quizzes/sittings/<sitting_uuid>/answers": {"POST": "NVVVVVV"},
    "api/quizzes/sittings/<sitting_uuid>/finish": {"POST": "NVNNNNN"},
    "api/quizzes/sittings/<sitting_uuid>/result": {"GET": "NVNNNNN"},
    "belajar/buklet/<id:module_id>/": {"GET": "L222222", "POST": "LRRRRRR"},
    "belajar/pelajaran/<id:lesson_id>/refleksi/<str:prompt_id>/": {
        "GET": "LNNNNNN",
        "POST": "LRRRRRR",
    },
    "belajar/pelajaran/<id:lesson_id>/selesai/": {"GET": "LNNNNNN", "POST": "LRRRRRR"},
    "belajar/penyegaran/": {"GET": "L222222", "POST": "L222222"},
    "cari/": {"GET": "2222222", "POST": "2222222"},
    "keluar/": {"GET": "NNNNNNN", "POST": "LLLLLLL"},
    "keluar-cepat/": {"GET": "HHHHHHH", "POST": "HHHHHHH"},
    # A facilitator's attendance pages on the phone: the demo's 2022 workshop
    # (YABIKU is among its organisers, so the partner records it, as in the
    # admin) and the session `fasilitator` leads (SSP's; the partner's
    # organisation does not run it). An empty POST saves nothing and goes
    # back to the page.
    "kehadiran/": {"GET": "LNN2222", "POST": "LNNNNNN"},
    "kehadiran/pelatihan/<id:event_id>/<str:day>/": {
        "GET": "LNN22N2",
        "POST": "LNNRRNR",
    },
    "kehadiran/refleksi/<id:session_id>/": {"GET": "LNN2NN2", "POST": "LNNRNNR"},
    "kesejahteraan/": {"GET": "L2222NN", "POST": "L2222NN"},
    "kesejahteraan/<uuid:checkin_uuid>/hapus/": {"GET": "L2NNNNN", "POST": "LRNNNNN"},
    "kesejahteraan/perhatian/": {"GET": "L222222", "POST": "L222222"},
    "kesejahteraan/perhatian/<uuid:checkin_uuid>/": {
        "GET": "LNNNNNN",
        "POST": "LNNNNNN",
    },
    "kompetensi/": {"GET": "L222222", "POST": "L222222"},
    # One's own certificates and checklist; the PDF of the demo alumna's
    # certificate for her and the staff who may see it (SSP's facilitator; a
    # page "sedang dibuat" while the PDF is not built).
    "sertifikat/": {"GET": "L222222", "POST": "LNNNNNN"},
    "sertifikat/<id:pk>/unduh/": {"GET": "LNN2NN2", "POST": "LNNNNNN"},
    "kuis/<slug:slug>/": {"GET": "L222222", "POST": "LRRRRRR"},
    "kuis/kemajuan/": {"GET": "L222222", "POST": "L222222"},
    "kuis/percobaan/<uuid:uuid>/": {"GET": "L2NNNNN", "POST": "LRNNNNN"},
    "kuis/percobaan/<uuid:uuid>/hasil/": {"GET": "LRNNNNN", "POST": "LRNNNNN"},
    "kuis/percobaan/<uuid:uuid>/selesai/": {"GET": "LNNNNNN", "POST": "L2NNNNN"},
    "layanan/": {"GET": "L222222", "POST": "L222222"},
    "layanan/<id:service_id>/": {"GET": "L222222", "POST": "L222222"},
    "magang/": {"GET": "L222222", "POST": "L222222"},
    "magang/jam/<uuid:entry_uuid>/": {"GET": "L2NNNNN", "POST": "LRNNNNN"},
    "magang/jam/<uuid:entry_uuid>/tarik/": {"GET": "LNNNNNN", "POST": "LRNNNNN"},
    "magang/jam/ajukan/": {"GET": "LNNNNNN", "POST": "LRRRRRR"},
    "magang/jam/baru/": {"GET": "L222222", "POST": "L222222"},
    "magang/kirim/": {"GET": "L222222", "POST": "L222222"},
    "magang/kasus/": {"GET": "L222222", "POST": "L222222"},
    "magang/kasus/<uuid:case_uuid>/": {"GET": "L2N2NNN", "POST": "LRNNNNN"},
    "magang/kasus/<uuid:case_uuid>/tarik/": {"GET": "LNNNNNN", "POST": "LRNNNNN"},
    "magang/kasus/ajukan/": {"GET": "LNNNNNN", "POST": "LRRRRRR"},
    "magang/kasus/baru/": {"GET": "L222222", "POST": "L222222"},
    "magang/tanda-tangan/<str:token>/": {"GET": "NNNNNNN", "POST": "NNNNNNN"},
    "magang/tautan/": {"GET": "L222222", "POST": "LNNNNNN"},
    "magang/tautan/<id:link_id>/batal/": {"GET": "LNNNNNN", "POST": "LNNNNNN"},
    "magang/unduh/catatan-magang.csv": {"GET": "L222222", "POST": "L222222"},
    "magang/unduh/catatan-magang.pdf": {"GET": "L222222", "POST": "L222222"},
    # The desa names for the narrative check on a phone: public region data.
    "magang/narasi/desa.json": {"GET": "2222222", "POST": "NNNNNNN"},
    "manifest.webmanifest": {"GET": "2222222", "POST": "NNNNNNN"},
    "masuk/": {"GET": "2HHHHHH", "POST": "2HHHHHH"},
    # Staff with no code app (none of the demo's has one, and it is not
    # required here) have no code to give: sent on to where they were going.
    "masuk/kode/": {"GET": "LNNHHHH", "POST": "LNNHHHH"},
    "pemberitahuan/dibaca/": {"GET": "LNNNNNN", "POST": "LHHHHHH"},
    "privasi/": {"GET": "L222222", "POST": "LHHHHHH"},
    "refleksi/<id:session_id>/": {"GET": "L22NNNN", "POST": "L22NNNN"},
    "refleksi/penyegaran/<id:assignment_id>/selesai/": {
        "GET": "LNNNNNN",
        "POST": "LHNNNNN",
    },
    "sehat/": {"GET": "2222222", "POST": "2222222"},
    "favicon.ico": {"GET": "RRRRRRR", "POST": "NNNNNNN"},
    # The help lines (SAPA 129), one tap from the neutral landing page.
    "bantuan/": {"GET": "2222222", "POST": "NNNNNNN"},
    "belajar/offline/halaman/<id:page_id>/": {"GET": "N222222", "POST": "NNNNNNN"},
    "belajar/offline/paket/<id:module_id>/": {"GET": "N222222", "POST": "NNNNNNN"},
    "belajar/offline/versi/": {"GET": "N222222", "POST": "NNNNNNN"},
    # The demo sitting's quiz is graded: it never goes to a phone.
    "kuis/<slug:slug>/latihan-offline/": {"GET": "NNNNNNN", "POST": "NNNNNNN"},
    "kuis/<slug:slug>/latihan-offline/soal.json": {"GET": "NNNNNNN", "POST": "NNNNNNN"},
    "offline/": {"GET": "2222222", "POST": "NNNNNNN"},
    "sw.js": {"GET": "2222222", "POST": "NNNNNNN"},
    # Public certificate verification: the same for everyone, read only. The
    # code is the demo alumna's standing certificate (see _values).
    "verifikasi/": {"GET": "2222222", "POST": "NNNNNNN"},
    "verifikasi/<str:code>/": {"GET": "2222222", "POST": "NNNNNNN"},
    "verifikasi/<str:code>.json": {"GET": "2222222", "POST": "NNNNNNN"},
    "admin/paket-offline/": {"GET": "LLL2222", "POST": "LLLNNNN"},
    "admin/materi-contoh/<id:pk>/selesai/": {"GET": "LLLNNNN", "POST": "LLLNNNN"},
    # The first-run checklist's action and its "hide" (both back to the admin
    # home: done for coordinators and superusers, refused for facilitators).
    "admin/materi-contoh/muat/": {"GET": "LLLNNNN", "POST": "LLLHHHH"},
    "admin/langkah-pertama/sembunyikan/": {"GET": "LLLNNNN", "POST": "LLLHHHH"},
}
