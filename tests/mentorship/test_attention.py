"""The facilitator's attention list: what waits for them, in their scope only."""

import datetime
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from assessments.grading import finish_sitting, start_sitting, submit_answer
from learning.choices import Role
from learning.models import Enrolment
from mentorship.attention import attention_items, inactive_trainees
from mentorship.choices import CaseStatus, EntryStatus, Feeling
from mentorship.models import FollowUpAction, ReflectionSession
from mentorship.wellbeing import record_checkin
from modules.models import LessonProgress
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    PracticeCaseFactory,
    ProgrammeFactory,
    region,
    user_with_roles,
)
from tests.factories.assessments import choice_question, essay_question, quiz_with
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def by_label(items) -> dict[str, int]:
    return {item.label: item.count for item in items}


def labelled(items, words: str):
    """The one item whose label contains `words`, or None."""
    found = [item for item in items if words in item.label]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.fixture
def other_facilitator(db):
    """A facilitator of another organisation, teaching another cohort."""
    return user_with_roles(
        Role.FASILITATOR,
        username="fasilitator-lain",
        organisation=OrganisationFactory(name="Lembaga Lain", short_name="LL"),
    )


@pytest.fixture
def cohort(facilitator, organisation):
    return CohortFactory(
        programme=ProgrammeFactory(organisations=[organisation]),
        facilitators=[facilitator],
    )


def new_trainee(cohort, *, joined_days_ago=0, **fields):
    person = user_with_roles(
        Role.PESERTA, date_joined=days_ago(joined_days_ago), **fields
    )
    Enrolment.objects.create(cohort=cohort, trainee=person)
    return person


# --- what goes into the list ------------------------------------------------------


@pytest.fixture
def essay_quiz(db):
    return quiz_with([choice_question(), essay_question()], title="Kuis Esai")


def sit_essay(person, quiz):
    sitting = start_sitting(user=person, quiz=quiz)
    submit_answer(sitting=sitting, user=person, position=2, text="Saya mendengarkan.")
    return finish_sitting(sitting=sitting, user=person)


def test_essays_to_mark_count_only_people_in_scope(
    facilitator, other_facilitator, trainee, essay_quiz
):
    outsider = user_with_roles(
        Role.PESERTA, organisation=other_facilitator.organisation
    )
    sit_essay(trainee, essay_quiz)
    sit_essay(outsider, essay_quiz)
    sit_essay(
        user_with_roles(Role.PESERTA, organisation=trainee.organisation), essay_quiz
    )

    mine = labelled(attention_items(facilitator), "esai")
    assert mine.count == 2
    assert mine.label == "2 esai menunggu dinilai"
    assert mine.link == "/admin/hasil-kuis/esai/"
    assert labelled(attention_items(other_facilitator), "esai").count == 1


def test_hours_and_cases_to_verify_are_those_one_supervises(
    facilitator, other_facilitator
):
    mine = PlacementFactory(supervisor=facilitator)
    theirs = PlacementFactory(supervisor=other_facilitator)
    HourEntryFactory.create_batch(2, placement=mine, status=EntryStatus.SUBMITTED)
    HourEntryFactory(placement=mine, status=EntryStatus.DRAFT)
    HourEntryFactory(placement=theirs, status=EntryStatus.SUBMITTED)
    PracticeCaseFactory.create_batch(3, placement=mine, status=CaseStatus.SUBMITTED)
    PracticeCaseFactory(placement=mine, status=CaseStatus.REVIEWED)
    PracticeCaseFactory(placement=theirs, status=CaseStatus.SUBMITTED)

    items = attention_items(facilitator)
    hours = labelled(items, "jam magang")
    assert (hours.count, hours.detail) == (2, "Jumlah 4 jam")
    assert hours.link == "/admin/magang/jam/?tampilkan=antrean"
    cases = labelled(items, "kasus praktik")
    assert cases.count == 3
    assert cases.link == "/admin/magang/kasus/?tampilkan=antrean"

    others = attention_items(other_facilitator)
    assert labelled(others, "jam magang").count == 1
    assert labelled(others, "kasus praktik").count == 1


def test_wellbeing_check_ins_asking_for_contact_reach_only_their_facilitator(
    facilitator, other_facilitator, cohort
):
    asking = new_trainee(cohort)
    fine = new_trainee(cohort)
    record_checkin(
        person=asking, uuid=uuid.uuid4(), feeling=Feeling.TIRED, wants_contact=True
    )
    record_checkin(person=fine, uuid=uuid.uuid4(), feeling=Feeling.WELL)

    item = labelled(attention_items(facilitator), "cek kesejahteraan")
    assert item.count == 1
    assert item.detail == asking.display_name
    # The alert page, where the facilitator records that they made contact.
    assert (
        item.link == f"/kesejahteraan/perhatian/{asking.wellbeing_checkins.get().uuid}/"
    )
    assert labelled(attention_items(other_facilitator), "cek kesejahteraan") is None


def test_trainees_inactive_for_30_days(facilitator, other_facilitator, cohort):
    active = new_trainee(cohort, joined_days_ago=200, last_login=days_ago(2))
    never_signed_in = new_trainee(cohort, joined_days_ago=90, first_name="Yohana")
    long_ago = new_trainee(cohort, joined_days_ago=200, last_login=days_ago(45))
    new_trainee(cohort, joined_days_ago=3)  # just added: not inactive yet
    studied = new_trainee(cohort, joined_days_ago=200, last_login=days_ago(60))
    lesson = module_with_lessons().get_children().first().specific
    LessonProgress.objects.create(user=studied, lesson=lesson, completed_at=days_ago(1))
    logged_hours = new_trainee(cohort, joined_days_ago=200)
    HourEntryFactory(
        placement=PlacementFactory(trainee=logged_hours), created_at=days_ago(4)
    )
    # Someone else's cohort, and an ended cohort of this facilitator's.
    new_trainee(CohortFactory(facilitators=[other_facilitator]), joined_days_ago=200)
    new_trainee(
        CohortFactory(
            facilitators=[facilitator],
            start_date=TODAY() - datetime.timedelta(days=400),
            end_date=TODAY() - datetime.timedelta(days=100),
        ),
        joined_days_ago=200,
    )

    assert inactive_trainees(facilitator) == [never_signed_in, long_ago]
    item = labelled(attention_items(facilitator), "tidak aktif")
    assert item.label == "2 peserta tidak aktif selama 30 hari"
    assert never_signed_in.display_name in item.detail
    assert active.display_name not in item.detail
    assert item.link == f"/admin/users/?cohort={cohort.pk}"
    assert labelled(attention_items(other_facilitator), "tidak aktif").count == 1


@pytest.fixture
def session_for(organisation):
    def make(facilitators, *, starts_in_days, **fields):
        start = TODAY() + datetime.timedelta(days=starts_in_days)
        session = ReflectionSession.objects.create(
            programme=ProgrammeFactory(organisations=[organisation]),
            organisation=organisation,
            year=start.year,
            start_date=start,
            end_date=start + datetime.timedelta(days=2),
            place=region("53.02.01"),
            **fields,
        )
        session.facilitators.set(facilitators)
        return session

    return make


def test_follow_up_actions_due_within_14_days_or_overdue(
    facilitator, other_facilitator, session_for
):
    session = session_for([facilitator], starts_in_days=-60)

    def action(owner, due_in_days, **fields):
        return FollowUpAction.objects.create(
            session=session,
            description="Menghubungi Polsek tentang rujukan",
            owner=owner,
            due_date=TODAY() + datetime.timedelta(days=due_in_days),
            **fields,
        )

    action(facilitator, 5)
    action(facilitator, -3)
    action(facilitator, 14)
    action(facilitator, 30)  # not due yet
    action(facilitator, -10, done_at=timezone.now())  # done
    action(other_facilitator, 2)

    item = labelled(attention_items(facilitator), "tindak lanjut")
    assert item.label == "3 tindak lanjut refleksi jatuh tempo"
    assert item.detail == "1 sudah lewat tenggat"
    assert item.link == f"/admin/refleksi/{session.pk}/sesi/"
    assert labelled(attention_items(other_facilitator), "tindak lanjut").count == 1


def test_the_next_reflection_session_with_its_date_and_place(
    facilitator, other_facilitator, session_for
):
    session_for([facilitator], starts_in_days=-5, venue="Aula lama")
    session_for([facilitator], starts_in_days=40, venue="Balai desa kedua")
    soonest = session_for([facilitator], starts_in_days=10, venue="Aula Gereja")
    session_for([other_facilitator], starts_in_days=3, venue="Tempat lain")

    item = labelled(attention_items(facilitator), "Sesi refleksi")
    date = soonest.start_date
    assert str(date.year) in item.label and str(date.day) in item.label
    assert item.detail.startswith("Aula Gereja, ")
    assert soonest.place.label in item.detail
    assert item.link == f"/admin/refleksi/{soonest.pk}/sesi/"
    assert labelled(
        attention_items(other_facilitator), "Sesi refleksi"
    ).detail.startswith("Tempat lain")


def test_nothing_waiting_means_an_empty_list(facilitator):
    assert attention_items(facilitator) == []


# --- queries do not grow with the data --------------------------------------------


def fill(facilitator, cohort, quiz, session, size: int) -> None:
    """`size` of every kind of thing the list counts."""
    placement = PlacementFactory(supervisor=facilitator)
    HourEntryFactory.create_batch(
        size, placement=placement, status=EntryStatus.SUBMITTED
    )
    PracticeCaseFactory.create_batch(
        size, placement=placement, status=CaseStatus.SUBMITTED
    )
    for _ in range(size):
        person = new_trainee(cohort, joined_days_ago=90)
        sit_essay(person, quiz)  # also counts as activity: started today
        quiet = new_trainee(cohort, joined_days_ago=90)
        record_checkin(
            person=quiet, uuid=uuid.uuid4(), feeling=Feeling.HEAVY, wants_contact=True
        )
        FollowUpAction.objects.create(
            session=session,
            description="Rapat dengan UPTD PPA",
            owner=facilitator,
            due_date=TODAY(),
        )


def count_queries(facilitator) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        items = attention_items(facilitator)
    return len(queries), items


def test_the_number_of_queries_does_not_grow_with_the_data(
    facilitator, cohort, essay_quiz, session_for, django_assert_max_num_queries
):
    session = session_for([facilitator], starts_in_days=7)
    fill(facilitator, cohort, essay_quiz, session, 2)
    small, items = count_queries(facilitator)
    assert len(items) == 7
    assert set(by_label(items).values()) == {1, 2}

    fill(facilitator, cohort, essay_quiz, session, 18)
    with django_assert_max_num_queries(small):
        items = attention_items(facilitator)
    assert set(by_label(items).values()) == {1, 20}
    check_ins = labelled(items, "cek kesejahteraan")
    assert check_ins.link == "/kesejahteraan/perhatian/"
    assert check_ins.detail.endswith("dan 17 lainnya")
    assert small <= 12


# --- where it is shown ------------------------------------------------------------


def test_the_panel_shows_on_a_facilitators_home_page(
    signed_in, facilitator, session_for
):
    PracticeCaseFactory(
        placement=PlacementFactory(supervisor=facilitator), status=CaseStatus.SUBMITTED
    )
    session_for([facilitator], starts_in_days=7, venue="Aula Paroki")

    page = signed_in(facilitator).get("/").content.decode()
    assert "Perlu perhatian kamu" in page
    assert "1 kasus praktik menunggu tinjauan" in page
    assert 'href="/admin/magang/kasus/?tampilkan=antrean"' in page
    assert "Sesi refleksi berikutnya" in page
    assert "Aula Paroki" in page
    assert "esai menunggu" not in page  # nothing to mark: the item is hidden


def test_a_calm_panel_when_nothing_waits(signed_in, facilitator):
    page = signed_in(facilitator).get("/").content.decode()
    assert "Perlu perhatian kamu" in page
    assert "Tidak ada yang menunggu kamu saat ini." in page


def test_trainees_do_not_get_the_panel(signed_in, trainee):
    page = signed_in(trainee).get("/").content.decode()
    assert "Perlu perhatian kamu" not in page


def test_the_list_is_on_the_admin_dashboard_too(signed_in, facilitator):
    PracticeCaseFactory(
        placement=PlacementFactory(supervisor=facilitator), status=CaseStatus.SUBMITTED
    )
    page = signed_in(facilitator).get("/admin/").content.decode()
    assert "Perlu perhatian kamu" in page
    assert "1 kasus praktik menunggu tinjauan" in page
