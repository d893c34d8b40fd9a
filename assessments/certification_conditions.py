"""The certification conditions this app judges: core modules with their graded
quizzes, competencies at *kompeten*, and attendance at the programme's
workshops. Each judges a list of trainees in a fixed number of queries.
Registered in `apps.py`; the magang conditions live in `mentorship`."""

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import Enrolment, Programme, User
from modules.models import ModuleCompletion, ModulePage

from .certification import ChecklistLine
from .choices import CompetenceLevel, QuizMode
from .competence import latest_assessments
from .models import (
    Attendance,
    CertificationRule,
    Competency,
    Quiz,
    Sitting,
    TrainingEvent,
)


def core_modules(programme: Programme):
    """The live core modules a trainee of `programme` studies (those open to
    every programme included), in the tree's order."""
    return (
        ModulePage.objects.live()
        .filter(is_core=True)
        .filter(Q(programmes=programme) | Q(programmes__isnull=True))
        .distinct()
        .order_by("path")
    )


def check_core_modules(
    rule: CertificationRule, programme: Programme, trainees: Sequence[User]
) -> dict[int, ChecklistLine]:
    modules = list(core_modules(programme))
    module_ids = [module.pk for module in modules]
    completed = defaultdict(set)
    for user_id, module_id in ModuleCompletion.objects.filter(
        user__in=trainees, module_id__in=module_ids
    ).values_list("user_id", "module_id"):
        completed[user_id].add(module_id)
    # A completion already needs the graded quiz; a quiz added since still counts.
    graded = defaultdict(set)
    for quiz_id, module_id in Quiz.objects.filter(
        module_id__in=module_ids, mode=QuizMode.GRADED, draft=False
    ).values_list("pk", "module_id"):
        graded[module_id].add(quiz_id)
    passed = defaultdict(set)
    for user_id, quiz_id in Sitting.objects.filter(
        user__in=trainees,
        quiz_id__in=[quiz for quizzes in graded.values() for quiz in quizzes],
        passed=True,
    ).values_list("user_id", "quiz_id"):
        passed[user_id].add(quiz_id)
    # A page's address is worked out once per module, not once per trainee.
    urls: dict[int, str] = {}

    def url_of(module: ModulePage) -> str:
        if module.pk not in urls:
            urls[module.pk] = module.url or ""
        return urls[module.pk]

    lines = {}
    for trainee in trainees:
        done = [
            module
            for module in modules
            if module.pk in completed[trainee.pk]
            and graded[module.pk] <= passed[trainee.pk]
        ]
        left = [module for module in modules if module not in done]
        lines[trainee.pk] = ChecklistLine(
            key="modules",
            label=_("Modul inti selesai, kuis dinilai lulus"),
            done=not left,
            progress=_("%(done)d dari %(total)d modul")
            % {"done": len(done), "total": len(modules)},
            link=url_of(left[0]) if left else "",
            missing=", ".join(module.title for module in left),
            amount=len(done),
            items=tuple(module.title for module in done),
        )
    return lines


def required_competencies(rule: CertificationRule) -> list[Competency]:
    if rule.pk:
        chosen = list(rule.competencies.all())
        if chosen:
            return chosen
    return list(Competency.objects.all())


def check_competencies(
    rule: CertificationRule, programme: Programme, trainees: Sequence[User]
) -> dict[int, ChecklistLine]:
    competencies = required_competencies(rule)
    latest = latest_assessments(trainees=trainees, competencies=competencies)
    link = reverse("assessments:my_competence")
    lines = {}
    for trainee in trainees:
        left = [
            competency
            for competency in competencies
            if getattr(latest.get((trainee.pk, competency.pk)), "level", None)
            != CompetenceLevel.COMPETENT
        ]
        lines[trainee.pk] = ChecklistLine(
            key="competencies",
            label=_("Kompetensi dinilai kompeten"),
            done=not left,
            progress=_("%(done)d dari %(total)d kompetensi")
            % {"done": len(competencies) - len(left), "total": len(competencies)},
            link=link,
            missing=", ".join(competency.name for competency in left),
            amount=len(competencies) - len(left),
            items=tuple(
                competency.name for competency in competencies if competency not in left
            ),
        )
    return lines


def workshop_days(programme: Programme) -> list[tuple[int, datetime.date]]:
    """(event id, day) of every workshop day of the programme held so far."""
    today = timezone.localdate()
    days = []
    for event in TrainingEvent.objects.filter(
        programme=programme, start_date__lte=today
    ).order_by("start_date", "pk"):
        day = event.start_date
        while day <= min(event.end_date, today):
            days.append((event.pk, day))
            day += datetime.timedelta(days=1)
    return days


def _training_periods(
    programme: Programme, trainees: Sequence[User]
) -> dict[int, list[tuple[datetime.date, datetime.date | None]]]:
    """Each trainee's cohorts in the programme, as (start, end) periods."""
    periods = defaultdict(list)
    for trainee_id, start, end in Enrolment.objects.filter(
        trainee__in=trainees, cohort__programme=programme
    ).values_list("trainee_id", "cohort__start_date", "cohort__end_date"):
        periods[trainee_id].append((start, end))
    return periods


def check_workshop_attendance(
    rule: CertificationRule, programme: Programme, trainees: Sequence[User]
) -> dict[int, ChecklistLine]:
    all_days = workshop_days(programme)
    periods = _training_periods(programme, trainees)
    present = defaultdict(set)
    for trainee_id, event_id, day in Attendance.objects.filter(
        trainee__in=trainees, event__programme=programme
    ).values_list("trainee_id", "event_id", "day"):
        present[trainee_id].add((event_id, day))
    lines = {}
    for trainee in trainees:
        # The workshops held while the trainee's cohort ran, not those of
        # earlier or later cohorts of the programme.
        days = {
            (event_id, day)
            for event_id, day in all_days
            if any(
                start <= day and (end is None or day <= end)
                for start, end in periods[trainee.pk]
            )
        }
        present[trainee.pk] &= days
        attended = len(present[trainee.pk])
        percent = 100 if not days else attended * 100 // len(days)
        done = percent >= rule.min_attendance_percent
        lines[trainee.pk] = ChecklistLine(
            key="attendance",
            label=_("Hadir di lokakarya program (paling sedikit %(percent)d%% hari)")
            % {"percent": rule.min_attendance_percent},
            done=done,
            progress=(
                _("%(attended)d dari %(total)d hari (%(percent)d%%)")
                % {"attended": attended, "total": len(days), "percent": percent}
                if days
                else _("Belum ada lokakarya")
            ),
            missing="" if done else _("%(percent)d%% hari") % {"percent": percent},
            amount=percent,
        )
    return lines
