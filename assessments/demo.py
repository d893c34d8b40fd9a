"""The demo's assessments: the sample quizzes and bank, the competency
framework, a workshop and the demo alumna's record.

The sample quizzes and bank are read and checked in `curriculum_files` and
loaded in `sample_curriculum`; this module adds what only the demo has.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from learning.demo import ALUMNA, demo_moment
from learning.models import Programme, Region, User
from modules.models import LessonProgress, ModuleCompletion, ModulePage

from .choices import CompetenceLevel, QuestionKind, QuizMode
from .competence import record_assessment
from .events import record_attendance
from .grading import finish_sitting, mark_essay, start_sitting, submit_answer
from .models import (
    Answer,
    Attendance,
    Competency,
    Quiz,
    Sitting,
    TrainingEvent,
)
from .sample_curriculum import load_curriculum_assessments


def prepare_assessments(*, demo: bool) -> None:
    if demo:
        load_curriculum_assessments()
        load_demo_competencies()
        load_demo_event()
        load_demo_alumna_record()


# The demo framework: the competencies the seeds' training builds, each with
# the law it answers to. Level descriptors are short on purpose: sample content.
DEMO_COMPETENCIES = [
    (
        "Analisis gender",
        "Melihat bagaimana peran dan relasi kuasa laki-laki dan perempuan "
        "membentuk kerentanan terhadap kekerasan.",
        "Membedakan jenis kelamin dan gender\nMengenali ketimpangan relasi kuasa "
        "dalam kasus",
        "UU 12/2022 (TPKS) pasal 26: perspektif hak asasi manusia dan sensitif gender",
    ),
    (
        "Mengenali bentuk dan dampak KTP/KTA",
        "Mengenali kekerasan fisik, psikis, seksual, penelantaran dan eksploitasi, "
        "serta dampaknya bagi perempuan dan anak.",
        "Menyebut empat bentuk KDRT\nMengenali tanda kekerasan pada anak",
        "UU 23/2004 (PKDRT) pasal 5 sampai 9; UU 12/2022 (TPKS) pasal 4",
    ),
    (
        "Konseling awal dan penguatan korban",
        "Mendengarkan, menenangkan dan menguatkan korban tanpa menghakimi.",
        "Mendengarkan tanpa menyalahkan\nMenanyakan keselamatan korban\n"
        "Menghormati pilihan korban",
        "UU 23/2004 (PKDRT) pasal 23 dan pasal 41: relawan pendamping mendengarkan "
        "dengan empati, menguatkan dan memberi rasa aman kepada korban",
    ),
    (
        "Mekanisme penanganan dan rujukan kasus",
        "Merujuk korban ke layanan kesehatan, hukum dan sosial yang ia butuhkan.",
        "Mengenal layanan rujukan di wilayahnya\nMendampingi korban ke layanan",
        "UU 23/2004 (PKDRT) pasal 23; UU 12/2022 (TPKS) pasal 26",
    ),
    (
        "Pendokumentasian kasus (offline dan SIMFONI-PPA)",
        "Mencatat kasus dengan kategori yang benar tanpa membuka identitas korban.",
        "Mengisi formulir dokumentasi\nMemakai kategori SIMFONI-PPA",
        "UU 23/2004 (PKDRT) pasal 10 huruf c: kerahasiaan korban; UU 23/2002 "
        "(Perlindungan Anak) pasal 17 ayat (2); UU 27/2022 (PDP)",
    ),
    (
        "Proses litigasi dan non-litigasi",
        "Menjelaskan jalur hukum dan penyelesaian di luar pengadilan beserta "
        "batasannya.",
        "Menjelaskan tahapan laporan polisi\nMengetahui larangan penyelesaian di "
        "luar pengadilan untuk kekerasan seksual",
        "UU 12/2022 (TPKS) pasal 23 dan pasal 25; UU 16/2011 (Bantuan Hukum)",
    ),
    (
        "Kerja sama dengan pemerintah desa, tokoh masyarakat dan Polsek",
        "Membangun dukungan desa dan aparat untuk pencegahan dan penanganan.",
        "Menghadiri musyawarah desa\nMenjalin kontak dengan Polsek",
        "UU 23/2004 (PKDRT) pasal 15",
    ),
    (
        "Etika, kerahasiaan dan keselamatan pendamping",
        "Menjaga kerahasiaan korban dan keselamatan diri sendiri.",
        "Tidak menyebarkan identitas korban\nMengenali ancaman bagi pendamping",
        "UU 23/2002 (Perlindungan Anak) pasal 17 ayat (2); UU 23/2004 (PKDRT) "
        "pasal 10 huruf c; UU 12/2022 (TPKS) pasal 28 dan 29: pelindungan hukum "
        "bagi pendamping; UU 27/2022 (PDP)",
    ),
]


# Which sample modules teach each competency (by slug). Every module teaches
# at least one competency and every competency is taught by at least one module.
DEMO_TEACHING = {
    "Analisis gender": [
        "gender-dan-kesetaraan-gender",
        "kekerasan-terhadap-perempuan-dan-anak",
        "perdagangan-orang-dan-migrasi-aman",
    ],
    "Mengenali bentuk dan dampak KTP/KTA": [
        "kekerasan-terhadap-perempuan-dan-anak",
        "perdagangan-orang-dan-migrasi-aman",
        "ims-dan-hiv-aids",
    ],
    "Konseling awal dan penguatan korban": [
        "konseling-awal-dan-penguatan-korban",
    ],
    "Mekanisme penanganan dan rujukan kasus": [
        "mekanisme-penanganan-dan-rujukan-kasus",
        "perdagangan-orang-dan-migrasi-aman",
        "ims-dan-hiv-aids",
    ],
    "Pendokumentasian kasus (offline dan SIMFONI-PPA)": ["pendokumentasian-kasus"],
    "Proses litigasi dan non-litigasi": [
        "penyelesaian-kasus-litigasi-dan-non-litigasi",
    ],
    "Kerja sama dengan pemerintah desa, tokoh masyarakat dan Polsek": [
        "advokasi-anggaran-desa",
        "mekanisme-penanganan-dan-rujukan-kasus",
        "penyelesaian-kasus-litigasi-dan-non-litigasi",
    ],
    "Etika, kerahasiaan dan keselamatan pendamping": [
        "konseling-awal-dan-penguatan-korban",
        "pendokumentasian-kasus",
        "ims-dan-hiv-aids",
    ],
}


# The first edition's legal bases that cited the wrong article, by competency:
# a competency still holding one word for word gets the corrected basis.
FIRST_EDITION_BASIS = {
    "Mengenali bentuk dan dampak KTP/KTA": "UU 23/2004 (PKDRT) pasal 5",
    "Konseling awal dan penguatan korban": (
        "UU 23/2004 (PKDRT) pasal 23; Permenkumham 3/2021"
    ),
    "Pendokumentasian kasus (offline dan SIMFONI-PPA)": (
        "UU 27/2022 (PDP); UU 11/2012 (SPPA) pasal 19"
    ),
    "Proses litigasi dan non-litigasi": (
        "UU 12/2022 (TPKS) pasal 23; Permenkumham 3/2021"
    ),
    "Etika, kerahasiaan dan keselamatan pendamping": (
        "UU 12/2022 (TPKS): kerahasiaan identitas korban; UU 27/2022 (PDP)"
    ),
}


def load_demo_competencies() -> list:
    """The framework, each competency linked to the sample modules that teach it.

    A competency an editor has already linked to modules keeps their choice;
    one still citing the first edition's wrong article gets the right one.
    """
    modules = {page.slug: page for page in ModulePage.objects.all()}
    competencies = []
    for order, (name, description, criteria, basis) in enumerate(DEMO_COMPETENCIES):
        competency, _created = Competency.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "criteria": criteria,
                "legal_basis": basis,
                "sort_order": order,
                "not_yet": "Belum menunjukkan kriteria di atas.",
                "developing": "Menunjukkan sebagian kriteria dengan bantuan.",
                "competent": "Menunjukkan semua kriteria secara mandiri.",
            },
        )
        if competency.legal_basis == FIRST_EDITION_BASIS.get(name):
            competency.legal_basis = basis
            competency.save(update_fields=["legal_basis"])
        if not competency.modules.exists():
            teaching = [modules[s] for s in DEMO_TEACHING[name] if s in modules]
            if teaching:
                competency.modules.set(teaching)
                competency.save()
        competencies.append(competency)
    return competencies


DEMO_EVENT_TITLE = "Pelatihan Pendokumentasian Kasus"
DOCUMENTATION_MODULE = "pendokumentasian-kasus"


def load_demo_event():
    """The seeds' two-day workshop in Soe, with the I-WILL cohort present."""
    programme = Programme.objects.filter(short_name="I-WILL").first()
    if (
        programme is None
        or TrainingEvent.objects.filter(title=DEMO_EVENT_TITLE).exists()
    ):
        return None
    event = TrainingEvent.objects.create(
        title=DEMO_EVENT_TITLE,
        programme=programme,
        start_date=datetime.date(2022, 11, 17),
        end_date=datetime.date(2022, 11, 18),
        place=Region.objects.get(code="53.02.01"),
        venue="Soe",
    )
    event.organisers.set(programme.organisations.all())
    event.facilitators.set(User.objects.filter(username="fasilitator"))
    event.modules.set(ModulePage.objects.filter(slug=DOCUMENTATION_MODULE))
    event.save()
    trainees = User.objects.filter(enrolments__cohort__programme=programme).distinct()
    Attendance.objects.bulk_create(
        Attendance(event=event, trainee=trainee, day=day)
        for trainee in trainees
        for day in event.days
    )
    return event


# --- The alumna's record: graded quizzes, her cohort's workshop, competence -----

ALUMNA_EVENT_TITLE = "Pelatihan Dasar Pendamping Korban 2025"
ALUMNA_EVENT_DAYS = (datetime.date(2025, 3, 17), datetime.date(2025, 3, 20))
ALUMNA_EVENT_MODULES = [
    "gender-dan-kesetaraan-gender",
    "kekerasan-terhadap-perempuan-dan-anak",
]
# A graded quiz is taken a week after the module's last lesson was studied.
QUIZ_AFTER_LESSONS = datetime.timedelta(days=7)
MARKED_AFTER = datetime.timedelta(days=3)
ALUMNA_ESSAY = (
    "Saya mendengarkan dulu tanpa menyalahkan, menanyakan apakah ia aman malam "
    "ini, lalu menjelaskan pilihan layanan dan membiarkan ia yang memutuskan."
)
ALUMNA_ESSAY_COMMENT = "Runtut dan menghormati pilihan korban."
# Her facilitator judged her "berkembang" midway, then "kompeten" at the end.
ALUMNA_MIDWAY = datetime.date(2025, 6, 30)
ALUMNA_FINAL = datetime.date(2025, 11, 24)
ALUMNA_MIDWAY_COMPETENCY = "Proses litigasi dan non-litigasi"


def _right_answers(sitting: Sitting, user: User) -> None:
    for item in sitting.questions.order_by("position"):
        if item.kind == QuestionKind.ESSAY:
            submit_answer(
                sitting=sitting, user=user, position=item.position, text=ALUMNA_ESSAY
            )
            continue
        chosen = [
            option["id"]
            for option in item.snapshot["options"]
            if Decimal(option["weight"]) > 0
        ]
        submit_answer(sitting=sitting, user=user, position=item.position, chosen=chosen)


def _take_graded_quiz(quiz: Quiz, alumna: User, marker: User, taken_on) -> Sitting:
    """One sitting through the grading rules, then dated to when she sat it."""
    sitting = start_sitting(user=alumna, quiz=quiz, seed=quiz.pk)
    _right_answers(sitting, alumna)
    sitting = finish_sitting(sitting=sitting, user=alumna)
    for answer in Answer.objects.filter(
        sitting_question__sitting=sitting,
        sitting_question__kind=QuestionKind.ESSAY,
    ):
        sitting = mark_essay(
            answer=answer, marker=marker, mark=Decimal(1), comment=ALUMNA_ESSAY_COMMENT
        )
    started = demo_moment(taken_on, 10)
    Sitting.objects.filter(pk=sitting.pk).update(
        started_at=started, finished_at=started + datetime.timedelta(minutes=25)
    )
    Answer.objects.filter(sitting_question__sitting=sitting).update(
        answered_at=started + datetime.timedelta(minutes=20)
    )
    Answer.objects.filter(
        sitting_question__sitting=sitting, marked_at__isnull=False
    ).update(marked_at=demo_moment(taken_on + MARKED_AFTER, 9))
    # Passing completed the module (its lessons were done): on the marking day.
    ModuleCompletion.objects.filter(user=alumna, module=quiz.module).update(
        completed_at=demo_moment(taken_on + MARKED_AFTER, 9)
    )
    sitting.refresh_from_db()
    return sitting


def _alumna_workshop(alumna: User, facilitator: User) -> TrainingEvent | None:
    """Her cohort's four-day basic training in Soe, every day attended."""
    programme = Programme.objects.filter(short_name="SSP-LBK").first()
    if programme is None:
        return None
    event = TrainingEvent.objects.filter(title=ALUMNA_EVENT_TITLE).first()
    if event is not None:
        return event
    start, end = ALUMNA_EVENT_DAYS
    event = TrainingEvent.objects.create(
        title=ALUMNA_EVENT_TITLE,
        programme=programme,
        start_date=start,
        end_date=end,
        place=Region.objects.get(code="53.02.01"),
        venue="Soe",
    )
    event.organisers.set(programme.organisations.all())
    event.facilitators.set([facilitator])
    event.modules.set(ModulePage.objects.filter(slug__in=ALUMNA_EVENT_MODULES))
    event.save()
    for day in event.days:
        record_attendance(recorder=facilitator, event=event, day=day, trainees=[alumna])
        Attendance.objects.filter(event=event, day=day).update(
            recorded_at=demo_moment(day, 16)
        )
    return event


def load_demo_alumna_record() -> None:
    """The alumna's graded quizzes, workshop days and competence assessments.

    Recorded through the rules a trainee and her facilitator use (a sitting
    answered and marked, attendance recorded, assessments with evidence), then
    dated in 2025, WITA. Done once: an alumna with a sitting is left alone.
    """
    alumna = User.objects.filter(username=ALUMNA).first()
    facilitator = User.objects.filter(username="fasilitator").first()
    if alumna is None or facilitator is None:
        return
    if Sitting.objects.filter(user=alumna).exists():
        return
    with transaction.atomic():
        sittings = {}
        graded = Quiz.objects.filter(
            mode=QuizMode.GRADED, module__is_core=True
        ).select_related("module")
        for quiz in sorted(graded, key=lambda quiz: quiz.module.path):
            studied = LessonProgress.objects.filter(
                user=alumna, lesson__path__startswith=quiz.module.path
            ).aggregate(last=Max("completed_at"))["last"]
            if studied is None:
                continue
            taken_on = timezone.localdate(studied) + QUIZ_AFTER_LESSONS
            sittings[quiz.module.slug] = _take_graded_quiz(
                quiz, alumna, facilitator, taken_on
            )
        event = _alumna_workshop(alumna, facilitator)
        _alumna_competence(alumna, facilitator, sittings, event)


def _alumna_competence(alumna, facilitator, sittings: dict, event) -> None:
    attended = (
        Attendance.objects.filter(event=event, trainee=alumna).order_by("day").first()
        if event
        else None
    )
    for competency in Competency.objects.prefetch_related("modules").order_by(
        "sort_order", "pk"
    ):
        evidence = [
            (sittings[module.slug], "Kuis dinilai modul ini lulus.")
            for module in competency.modules.all()
            if module.slug in sittings
        ][:2]
        if attended is not None:
            evidence.append(
                (attended, "Diamati saat latihan peran di pelatihan dasar.")
            )
        if competency.name == ALUMNA_MIDWAY_COMPETENCY:
            record_assessment(
                assessor=facilitator,
                trainee=alumna,
                competency=competency,
                level=CompetenceLevel.DEVELOPING,
                assessed_on=ALUMNA_MIDWAY,
                comment="Memahami jalur litigasi; perlu latihan menjelaskannya.",
                evidence=evidence,
            )
        record_assessment(
            assessor=facilitator,
            trainee=alumna,
            competency=competency,
            level=CompetenceLevel.COMPETENT,
            assessed_on=ALUMNA_FINAL,
            comment="Menunjukkan semua kriteria secara mandiri.",
            evidence=evidence,
        )
