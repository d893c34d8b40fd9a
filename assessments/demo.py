"""The demo's assessments: the sample quizzes, bank and competency framework,
a workshop and the demo alumna's record.

The sample quizzes and bank are read and checked in `curriculum_files` and
loaded in `sample_curriculum`, the framework in `sample_competencies` (a site
without the demo loads all three with `load_sample_curriculum`); this module
adds what only the demo has.
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
from .sample_competencies import load_sample_competencies
from .sample_curriculum import load_curriculum_assessments


def prepare_assessments(*, demo: bool) -> None:
    if demo:
        load_curriculum_assessments()
        load_sample_competencies()
        load_demo_event()
        load_demo_alumna_record()


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
