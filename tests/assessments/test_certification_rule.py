"""The certification rule: each condition missing in turn, each switched off,
the rule's own numbers and competency list, the defaults without a rule row,
and a cohort's checklists in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from assessments.certification import checklist, checklists, rule_for
from assessments.choices import CompetenceLevel
from assessments.models import CertificationRule, TrainingEvent
from learning.models import Enrolment
from mentorship.choices import CaseStatus, EntryStatus
from modules.models import LessonProgress, ModuleCompletion
from tests.factories import CohortFactory, HourEntryFactory, region
from tests.factories.assessments import choice_question, quiz_with
from tests.factories.certificates_rules import certification_world, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return certification_world()


def lines_of(result):
    return {line.key: line for line in result.lines}


def test_a_trainee_who_did_everything_meets_the_default_rule(world):
    person = world.ready_trainee("siap")
    result = checklist(programme=world.programme, trainee=person)
    assert result.ready and result.missing == []
    lines = lines_of(result)
    assert list(lines) == ["modules", "competencies", "hours", "cases", "attendance"]
    assert lines["modules"].progress == "1 dari 1 modul"
    assert lines["competencies"].progress == "2 dari 2 kompetensi"
    assert lines["hours"].progress == "40 dari 40 jam"
    assert lines["cases"].progress == "2 dari 2 kasus"
    assert lines["attendance"].progress == "5 dari 5 hari (100%)"
    assert lines["modules"].items == (world.module.title,)
    assert lines["hours"].amount == 2400


def test_without_a_rule_row_the_defaults_hold(world):
    assert not CertificationRule.objects.filter(programme=world.programme).exists()
    rule = rule_for(world.programme)
    assert (rule.min_magang_hours, rule.min_practice_cases) == (40, 2)
    assert rule.min_attendance_percent == 80 and rule.validity_months is None
    assert all(
        (
            rule.require_core_modules,
            rule.require_competencies,
            rule.require_magang_hours,
            rule.require_practice_cases,
            rule.require_workshop_attendance,
        )
    )


# --- Each condition missing in turn ------------------------------------------


def _lessons_not_studied(world, person):
    ModuleCompletion.objects.filter(user=person).delete()
    LessonProgress.objects.filter(
        user=person, lesson=world.module.lessons().first()
    ).delete()


def _quiz_added_after_completion(world, person):
    # The module was completed before a second graded quiz was published.
    quiz_with([choice_question("Apa itu visum?")], module=world.module)


def _competency_fell_back(world, person):
    # Kompeten earlier, berkembang later: the latest judgement counts.
    world.judge(
        person,
        CompetenceLevel.DEVELOPING,
        competencies=world.competencies[:1],
        on=days_ago(5),
    )


def _hours_short(world, person):
    # 39 h 54 min: 6 minutes short.
    entry = world.placement(person).entries.get()
    entry.minutes = 40 * 60 - 6
    entry.save(update_fields=["minutes"])


def _one_case_reviewed(world, person):
    case = world.placement(person).practice_cases.first()
    case.status = CaseStatus.SUBMITTED
    case.save(update_fields=["status"])


def _attended_three_of_five(world, person):
    person.attendance.filter(day__in=world.event.days[3:]).delete()


MISSING = [
    ("modules", "require_core_modules", _lessons_not_studied, "0 dari 1 modul"),
    ("modules", "require_core_modules", _quiz_added_after_completion, "0 dari 1 modul"),
    (
        "competencies",
        "require_competencies",
        _competency_fell_back,
        "1 dari 2 kompetensi",
    ),
    ("hours", "require_magang_hours", _hours_short, "39,9 dari 40 jam"),
    ("cases", "require_practice_cases", _one_case_reviewed, "1 dari 2 kasus"),
    (
        "attendance",
        "require_workshop_attendance",
        _attended_three_of_five,
        "3 dari 5 hari (60%)",
    ),
]


@pytest.mark.parametrize(
    ("key", "switch", "spoil", "progress"),
    MISSING,
    ids=[spoil.__name__.strip("_") for _key, _switch, spoil, _p in MISSING],
)
def test_each_condition_missing_in_turn_then_switched_off(
    world, key, switch, spoil, progress
):
    person = world.ready_trainee("hampir")
    spoil(world, person)

    result = checklist(programme=world.programme, trainee=person)
    assert not result.ready
    assert [line.key for line in result.missing] == [key]
    assert lines_of(result)[key].progress == progress
    assert lines_of(result)[key].missing, "a facilitator's table says what is left"

    CertificationRule.objects.create(programme=world.programme, **{switch: False})
    world.programme.refresh_from_db()
    result = checklist(programme=world.programme, trainee=person)
    assert result.ready
    assert key not in lines_of(result)


def test_hours_count_only_verified_minutes_and_the_rules_number(world):
    person = world.trainee("jam")
    world.log_hours(person, 2394)  # 39,9 jam
    for status in (EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.RETURNED):
        HourEntryFactory(placement=world.placement(person), status=status)
    line = lines_of(checklist(programme=world.programme, trainee=person))["hours"]
    assert (line.done, line.progress, line.missing) == (
        False,
        "39,9 dari 40 jam",
        "6 menit",
    )
    world.log_hours(person, 6)
    line = lines_of(checklist(programme=world.programme, trainee=person))["hours"]
    assert (line.done, line.progress) == (True, "40 dari 40 jam")

    CertificationRule.objects.create(programme=world.programme, min_magang_hours=60)
    world.programme.refresh_from_db()
    line = lines_of(checklist(programme=world.programme, trainee=person))["hours"]
    assert (line.done, line.progress, line.missing) == (
        False,
        "40 dari 60 jam",
        "20 jam",
    )


def test_59_minutes_past_39_hours_never_reads_as_40(world):
    person = world.trainee("hampir-empat-puluh")
    world.log_hours(person, 40 * 60 - 1)
    line = lines_of(checklist(programme=world.programme, trainee=person))["hours"]
    assert not line.done
    assert line.progress == "39,9 dari 40 jam"


def test_cases_count_only_reviewed_ones(world):
    person = world.trainee("kasus")
    world.add_cases(person, 1)
    for status in (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RETURNED):
        world.add_cases(person, 1, status=status)
    line = lines_of(checklist(programme=world.programme, trainee=person))["cases"]
    assert (line.done, line.progress, line.missing) == (
        False,
        "1 dari 2 kasus",
        "1 kasus",
    )


def test_attendance_counts_only_days_held_while_the_trainees_cohort_ran(world):
    person = world.trainee("hadir")
    world.attend(person, days=4)
    # A workshop for an earlier cohort, and one that has not ended yet: only
    # its days so far count.
    earlier = TrainingEvent.objects.create(
        title="Lokakarya angkatan lalu",
        programme=world.programme,
        start_date=days_ago(400),
        end_date=days_ago(398),
        place=region("53.02.01"),
    )
    line = lines_of(checklist(programme=world.programme, trainee=person))["attendance"]
    assert (line.done, line.progress) == (True, "4 dari 5 hari (80%)")
    assert earlier.start_date < world.cohort.start_date  # its days are not hers

    # The cohort is running again (a second cohort of the programme she also
    # joined), with a workshop begun yesterday and ending in three days.
    running = CohortFactory(
        programme=world.programme, start_date=days_ago(5), end_date=None
    )
    Enrolment.objects.create(cohort=running, trainee=person)
    TrainingEvent.objects.create(
        title="Lokakarya berjalan",
        programme=world.programme,
        start_date=days_ago(1),
        end_date=days_ago(-3),
        place=region("53.02.01"),
    )
    line = lines_of(checklist(programme=world.programme, trainee=person))["attendance"]
    # 4 of 5 + 0 of 2 held so far (yesterday, today): 4 of 7.
    assert (line.done, line.progress) == (False, "4 dari 7 hari (57%)")


def test_attendance_below_the_share_fails_and_the_rule_can_lower_it(world):
    person = world.trainee("kurang-hadir")
    world.attend(person, days=3)
    line = lines_of(checklist(programme=world.programme, trainee=person))["attendance"]
    assert not line.done and line.missing == "60% hari"
    assert "80%" in line.label
    CertificationRule.objects.create(
        programme=world.programme, min_attendance_percent=60
    )
    world.programme.refresh_from_db()
    line = lines_of(checklist(programme=world.programme, trainee=person))["attendance"]
    assert line.done and "60%" in line.label


def test_the_rules_competency_list_is_all_it_asks_for(world):
    person = world.trainee("sebagian")
    first, second = world.competencies
    world.judge(person, competencies=[first])
    world.judge(person, CompetenceLevel.NOT_YET, competencies=[second])
    line = lines_of(checklist(programme=world.programme, trainee=person))[
        "competencies"
    ]
    assert not line.done and line.missing == second.name

    rule = CertificationRule.objects.create(programme=world.programme)
    rule.competencies.set([first])
    rule.save()
    world.programme.refresh_from_db()
    line = lines_of(checklist(programme=world.programme, trainee=person))[
        "competencies"
    ]
    assert line.done and line.progress == "1 dari 1 kompetensi"
    assert line.items == (first.name,)


def test_every_line_links_to_where_it_is_done_in_words_a_trainee_reads(world):
    person = world.trainee("baru")
    lines = lines_of(checklist(programme=world.programme, trainee=person))
    assert lines["modules"].link == world.module.url
    assert lines["competencies"].link == reverse("assessments:my_competence")
    assert lines["hours"].link == reverse("mentorship:log")
    assert lines["cases"].link == reverse("mentorship:cases")
    assert {key: line.progress for key, line in lines.items()} == {
        "modules": "0 dari 1 modul",
        "competencies": "0 dari 2 kompetensi",
        "hours": "0 dari 40 jam",
        "cases": "0 dari 2 kasus",
        "attendance": "0 dari 5 hari (0%)",
    }
    assert lines["hours"].label == "Jam magang terverifikasi"
    assert lines["modules"].missing == world.module.title


def test_a_workshop_free_cohort_is_not_held_back_by_attendance(world):
    person = world.trainee("tanpa-lokakarya")
    world.event.delete()
    line = lines_of(checklist(programme=world.programme, trainee=person))["attendance"]
    assert line.done and line.progress == "Belum ada lokakarya"


def test_a_person_named_twice_gets_one_checklist(world):
    person = world.ready_trainee("dua-kali")
    result = checklists(programme=world.programme, trainees=[person, person])
    assert list(result) == [person.pk]
    assert len(result[person.pk].lines) == 5
    assert checklists(programme=world.programme, trainees=[]) == {}


def _cohort_of(world, size: int, prefix: str):
    people = []
    for number in range(size):
        person = world.trainee(f"{prefix}-{number}")
        world.log_hours(person, 600)
        world.add_cases(person, 1)
        world.attend(person, days=2)
        ModuleCompletion.objects.create(user=person, module=world.module)
        people.append(person)
    world.judge(people[0])
    return people


def test_a_cohorts_checklists_take_the_same_queries_for_3_and_for_30(world):
    CertificationRule.objects.create(programme=world.programme).competencies.set(
        world.competencies
    )
    small = _cohort_of(world, 3, "kecil")
    large = _cohort_of(world, 30, "besar")
    checklists(programme=world.programme, trainees=small)  # page addresses cached

    counts = []
    for people in (small, large):
        world.programme.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            result = checklists(programme=world.programme, trainees=people)
        assert len(result) == len(people)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15, counts
