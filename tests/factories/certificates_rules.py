"""A programme whose certification rule a trainee can meet, through the rules
a trainee and her facilitator use (lessons studied, a graded quiz passed,
judgements recorded, attendance recorded); hours and cases are written
straight in their final state by the mentorship factories."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from assessments.choices import CompetenceLevel, QuizMode
from assessments.competence import record_assessment
from assessments.events import record_attendance
from assessments.grading import finish_sitting, start_sitting, submit_answer
from assessments.models import Competency, Quiz, TrainingEvent
from learning.choices import Role
from learning.models import Cohort, Enrolment, Programme, User
from mentorship.choices import CaseStatus, EntryStatus
from mentorship.models import Placement
from modules.models import ModulePage
from modules.progress import mark_lesson_done

from .assessments import choice_question, quiz_with
from .mentorship import HourEntryFactory, PlacementFactory, PracticeCaseFactory
from .modules import module_with_lessons
from .people import user_with_roles
from .programmes import CohortFactory, OrganisationFactory, ProgrammeFactory, region

EVENT_DAYS = 5


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@dataclass
class CertificationWorld:
    """One programme, its coordinator, a facilitator, a cohort that ended ten
    days ago, one core module with a graded quiz, two competencies and a
    five-day workshop held while the cohort ran."""

    programme: Programme
    coordinator: User
    facilitator: User
    cohort: Cohort
    module: ModulePage
    quiz: Quiz
    competencies: list[Competency]
    event: TrainingEvent
    placements: dict[int, Placement] = field(default_factory=dict)

    def trainee(self, username: str, **fields) -> User:
        """A trainee of the cohort who has done nothing yet."""
        fields.setdefault("email", f"{username}@contoh.id")
        person = user_with_roles(Role.PESERTA, username=username, **fields)
        Enrolment.objects.create(cohort=self.cohort, trainee=person)
        return person

    def placement(self, trainee: User) -> Placement:
        if trainee.pk not in self.placements:
            self.placements[trainee.pk] = PlacementFactory(
                trainee=trainee, supervisor=self.facilitator
            )
        return self.placements[trainee.pk]

    def study(self, trainee: User) -> None:
        for lesson in self.module.lessons():
            mark_lesson_done(user=trainee, lesson=lesson)

    def pass_quiz(self, trainee: User, quiz: Quiz | None = None) -> None:
        sitting = start_sitting(user=trainee, quiz=quiz or self.quiz)
        for item in sitting.questions.order_by("position"):
            right = [
                option["id"]
                for option in item.snapshot["options"]
                if Decimal(option["weight"]) > 0
            ]
            submit_answer(
                sitting=sitting, user=trainee, position=item.position, chosen=right
            )
        sitting = finish_sitting(sitting=sitting, user=trainee)
        assert sitting.passed, "the right answers pass"

    def judge(
        self,
        trainee: User,
        level: str = CompetenceLevel.COMPETENT,
        competencies=None,
        on: datetime.date | None = None,
    ) -> None:
        for competency in competencies or self.competencies:
            record_assessment(
                assessor=self.facilitator,
                trainee=trainee,
                competency=competency,
                level=level,
                assessed_on=on or days_ago(20),
                comment="Dinilai dalam uji.",
            )

    def log_hours(self, trainee: User, minutes: int) -> None:
        HourEntryFactory(
            placement=self.placement(trainee),
            minutes=minutes,
            status=EntryStatus.VERIFIED,
            verified_by=self.facilitator,
            verified_at=timezone.now(),
        )

    def add_cases(self, trainee: User, count: int, status=CaseStatus.REVIEWED):
        for _number in range(count):
            PracticeCaseFactory(placement=self.placement(trainee), status=status)

    def attend(self, trainee: User, days: int = EVENT_DAYS) -> None:
        for day in self.event.days[:days]:
            record_attendance(
                recorder=self.facilitator, event=self.event, day=day, trainees=[trainee]
            )

    def ready_trainee(self, username: str, **fields) -> User:
        """A trainee who meets every condition of the default rule."""
        person = self.trainee(username, **fields)
        self.study(person)
        self.pass_quiz(person)
        self.judge(person)
        self.log_hours(person, 40 * 60)
        self.add_cases(person, 2)
        self.attend(person)
        return person


def certification_world(short_name: str = "PSK") -> CertificationWorld:
    organisation = OrganisationFactory(
        name=f"Yayasan {short_name} Pendamping", short_name=short_name
    )
    coordinator = user_with_roles(
        Role.KOORDINATOR, username=f"koordinator-{short_name.lower()}"
    )
    facilitator = user_with_roles(
        Role.FASILITATOR,
        username=f"fasilitator-{short_name.lower()}",
        organisation=organisation,
    )
    programme = ProgrammeFactory(
        name=f"Pelatihan Pendamping {short_name}",
        short_name=short_name,
        organisations=[organisation],
        coordinators=[coordinator],
    )
    cohort = CohortFactory(
        programme=programme,
        name=f"Angkatan {short_name}",
        start_date=days_ago(200),
        end_date=days_ago(10),
        facilitators=[facilitator],
    )
    module = module_with_lessons(
        lessons=2, title=f"Modul Inti {short_name}", is_core=True
    )
    quiz = quiz_with(
        [choice_question(), choice_question("Ke mana korban dirujuk lebih dulu?")],
        module=module,
        mode=QuizMode.GRADED,
        title=f"Kuis {short_name}",
    )
    competencies = [
        Competency.objects.get_or_create(
            name=name, defaults={"description": name, "criteria": "Mandiri"}
        )[0]
        for name in ("Konseling awal", "Rujukan kasus")
    ]
    start = days_ago(100)
    event = TrainingEvent.objects.create(
        title=f"Lokakarya {short_name}",
        programme=programme,
        start_date=start,
        end_date=start + datetime.timedelta(days=EVENT_DAYS - 1),
        place=region("53.02.01"),
    )
    event.organisers.set([organisation])
    event.facilitators.set([facilitator])
    event.save()
    return CertificationWorld(
        programme=programme,
        coordinator=coordinator,
        facilitator=facilitator,
        cohort=cohort,
        module=module,
        quiz=quiz,
        competencies=competencies,
        event=event,
    )
