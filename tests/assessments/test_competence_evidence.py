"""Evidence for a competence assessment: what the form offers, what it accepts,
how each record is named, and the way in from the matrix."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.competence import CompetenceError, record_assessment
from assessments.grading import finish_sitting, start_sitting
from assessments.models import CompetenceAssessment, Competency, Evidence
from learning.choices import Role
from learning.models import Cohort, Enrolment
from mentorship.choices import ActivityCategory, CaseStatus, EntryStatus, ViolenceType
from tests.factories import OrganisationFactory, user_with_roles
from tests.factories.assessments import choice_question, quiz_with
from tests.factories.mentorship import (
    HourEntryFactory,
    PlacementFactory,
    PracticeCaseFactory,
)

pytestmark = pytest.mark.django_db

HOURS = "bukti_mentorship_hourentry"
CASES = "bukti_mentorship_practicecase"
SITTINGS = "bukti_assessments_sitting"
MARCH_14 = datetime.date(2026, 3, 14)


def form_url(trainee, **query) -> str:
    url = reverse("assessments_record_assessment", args=[trainee.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def offered(page: str, field: str) -> list[int]:
    """The record ids a group of checkboxes offers, in the order shown."""
    return [int(pk) for pk in re.findall(rf'name="{field}" value="(\d+)"', page)]


def checked(page: str, field: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(rf'name="{field}" value="(\d+)"[^>]*\bchecked\b', page)
    ]


@pytest.fixture
def competency(db):
    return Competency.objects.create(
        name="Pendokumentasian kasus", description="Mencatat kasus.", criteria="Rapi"
    )


@pytest.fixture
def other_competency(db):
    return Competency.objects.create(
        name="Rujukan layanan", description="Merujuk.", criteria="Tahu layanan"
    )


@pytest.fixture
def placement(coordinator, facilitator, trainee):
    return PlacementFactory(trainee=trainee, supervisor=facilitator)


@pytest.fixture
def verified_hours(placement):
    return HourEntryFactory(
        placement=placement,
        status=EntryStatus.VERIFIED,
        date=MARCH_14,
        start_time=datetime.time(8, 0),
        end_time=datetime.time(10, 30),
        minutes=150,
        category=ActivityCategory.COMPLAINTS,
    )


@pytest.fixture
def reviewed_case(placement, competency):
    case = PracticeCaseFactory(
        placement=placement,
        status=CaseStatus.REVIEWED,
        month=3,
        year=2026,
        violence_types=[ViolenceType.SEXUAL, ViolenceType.PSYCHOLOGICAL],
    )
    case.competencies_shown.set([competency])
    return case


@pytest.fixture
def classmate(coordinator, organisation):
    """Another trainee of the same cohort, with records of their own."""
    person = user_with_roles(
        Role.PESERTA, username="uji-teman", organisation=organisation
    )
    Enrolment.objects.create(cohort=Cohort.objects.get(), trainee=person)
    return person


@pytest.fixture
def outsider(db):
    """A facilitator of another organisation, teaching none of these people."""
    return user_with_roles(
        Role.FASILITATOR,
        username="uji-lembaga-lain",
        organisation=OrganisationFactory(short_name="LAIN"),
    )


def test_the_form_offers_verified_hours_and_reviewed_cases_of_this_trainee_only(
    client, facilitator, trainee, placement, verified_hours, reviewed_case, classmate
):
    waiting = HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    returned = HourEntryFactory(placement=placement, status=EntryStatus.RETURNED)
    draft_case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    returned_case = PracticeCaseFactory(placement=placement, status=CaseStatus.RETURNED)
    theirs = PlacementFactory(trainee=classmate, supervisor=facilitator)
    their_hours = HourEntryFactory(placement=theirs, status=EntryStatus.VERIFIED)
    their_case = PracticeCaseFactory(placement=theirs, status=CaseStatus.REVIEWED)

    client.force_login(facilitator)
    page = client.get(form_url(trainee)).content.decode()

    assert offered(page, HOURS) == [verified_hours.pk]
    assert offered(page, CASES) == [reviewed_case.pk]
    for record in (waiting, returned, their_hours):
        assert record.pk not in offered(page, HOURS)
    for record in (draft_case, returned_case, their_case):
        assert record.pk not in offered(page, CASES)
    # Grouped by kind, each named for what it is.
    assert "Jam magang terverifikasi" in page
    assert "Kasus praktik yang sudah ditinjau" in page
    assert "2,5 jam magang, 14 Maret 2026 08:00–10:30: Penerimaan pengaduan" in page
    assert "Kasus Maret 2026: Seksual, Psikis" in page


def test_a_case_ticked_for_the_competency_comes_first_already_ticked(
    client,
    facilitator,
    trainee,
    placement,
    reviewed_case,
    competency,
    other_competency,
):
    later = PracticeCaseFactory(
        placement=placement, status=CaseStatus.REVIEWED, month=5, year=2026
    )
    later.competencies_shown.set([other_competency])
    client.force_login(facilitator)

    page = client.get(form_url(trainee, kompetensi=competency.pk)).content.decode()
    assert offered(page, CASES) == [reviewed_case.pk, later.pk]
    assert checked(page, CASES) == [reviewed_case.pk]
    assert "dicentang pada tinjauan untuk kompetensi ini" in page
    assert re.search(rf'<option value="{competency.pk}" selected>', page), (
        "the competency asked for is pre-selected"
    )

    other = client.get(form_url(trainee, kompetensi=other_competency.pk))
    page = other.content.decode()
    assert offered(page, CASES) == [later.pk, reviewed_case.pk]
    assert checked(page, CASES) == [later.pk]

    plain = client.get(form_url(trainee)).content.decode()
    assert checked(plain, CASES) == []
    assert "(dicentang pada tinjauan untuk kompetensi ini)" not in plain


def test_the_form_records_hours_and_a_case_and_names_them_everywhere(
    client, facilitator, trainee, verified_hours, reviewed_case, competency
):
    sitting = finish_sitting(
        sitting=start_sitting(
            user=trainee, quiz=quiz_with([choice_question()], title="Kuis Modul 5")
        ),
        user=trainee,
    )
    client.force_login(facilitator)
    response = client.post(
        form_url(trainee),
        {
            "competency": competency.pk,
            "level": "berkembang",
            "assessed_on": timezone.localdate().isoformat(),
            HOURS: [verified_hours.pk],
            CASES: [reviewed_case.pk],
            SITTINGS: [sitting.pk],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "tersimpan" in page
    assessment = CompetenceAssessment.objects.get(trainee=trainee)
    assert {row.record for row in assessment.evidence.all()} == {
        verified_hours,
        reviewed_case,
        sitting,
    }
    hours = "2,5 jam magang, 14 Maret 2026 08:00–10:30: Penerimaan pengaduan"
    case = "Kasus Maret 2026: Seksual, Psikis"
    quiz = f"Kuis Modul 5: {sitting.percent}%"
    for label in (hours, case, quiz):
        assert label in page  # the history on the form
    assert "percobaan kuis" not in page

    profile = client.get(
        reverse("assessments_trainee_competence", args=[trainee.pk])
    ).content.decode()
    for label in (hours, case, quiz):
        assert label in profile

    client.force_login(trainee)
    own = client.get(reverse("assessments:my_competence")).content.decode()
    assert "Dasar penilaian" in own
    for label in (hours, case, quiz):
        assert label in own


def test_a_forged_evidence_id_is_refused_with_a_message_and_nothing_saved(
    client, facilitator, trainee, placement, competency, classmate
):
    theirs = PlacementFactory(trainee=classmate, supervisor=facilitator)
    their_hours = HourEntryFactory(placement=theirs, status=EntryStatus.VERIFIED)
    their_case = PracticeCaseFactory(placement=theirs, status=CaseStatus.REVIEWED)
    unverified = HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    client.force_login(facilitator)
    for field, record in (
        (HOURS, their_hours),
        (CASES, their_case),
        (HOURS, unverified),
    ):
        response = client.post(
            form_url(trainee),
            {
                "competency": competency.pk,
                "level": "kompeten",
                "assessed_on": timezone.localdate().isoformat(),
                field: [record.pk],
            },
        )
        assert response.status_code == 200
        assert "Bukti ini tidak dapat dipilih" in response.content.decode()
    assert not CompetenceAssessment.objects.exists()
    assert not Evidence.objects.exists()
    # The rule itself, as the API reaches it: the same refusal.
    with pytest.raises(CompetenceError, match="bukan milik"):
        record_assessment(
            assessor=facilitator,
            trainee=trainee,
            competency=competency,
            level="kompeten",
            evidence=[(their_case, "")],
        )
    assert not CompetenceAssessment.objects.exists()


def test_the_same_judgement_sent_twice_is_recorded_once(
    client, facilitator, trainee, verified_hours, competency
):
    client.force_login(facilitator)
    body = {
        "competency": competency.pk,
        "level": "kompeten",
        "assessed_on": timezone.localdate().isoformat(),
        "comment": "Mencatat dengan rapi.",
        HOURS: [verified_hours.pk],
    }
    first = client.post(form_url(trainee), body)
    second = client.post(form_url(trainee), body)
    assert first.status_code == second.status_code == 302
    assert CompetenceAssessment.objects.count() == 1
    assert Evidence.objects.count() == 1


def test_the_form_shows_today_and_the_way_back_to_the_matrix(
    client, coordinator, facilitator, trainee, competency
):
    cohort = Cohort.objects.get()
    client.force_login(facilitator)
    page = client.get(
        form_url(trainee, angkatan=cohort.pk, kompetensi=competency.pk)
    ).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page
    matrix = reverse("assessments_competence_matrix", args=[cohort.pk])
    profile = reverse("assessments_trainee_competence", args=[trainee.pk])
    assert f'href="{matrix}"' in page
    assert f'href="{profile}?angkatan={cohort.pk}"' in page
    assert page.index(f'href="{matrix}"') < page.index(f'href="{profile}?')


def test_a_matrix_cell_opens_the_form_for_that_trainee_and_competency(
    client, coordinator, facilitator, trainee, competency, other_competency, outsider
):
    cohort = Cohort.objects.get()
    # A facilitator who also sits the training: never judges themselves.
    Enrolment.objects.create(cohort=cohort, trainee=facilitator)
    client.force_login(facilitator)
    page = client.get(
        reverse("assessments_competence_matrix", args=[cohort.pk])
    ).content.decode()
    form = reverse("assessments_record_assessment", args=[trainee.pk])
    for column in (competency, other_competency):
        assert f'href="{form}?angkatan={cohort.pk}&amp;kompetensi={column.pk}"' in page
    own = reverse("assessments_record_assessment", args=[facilitator.pk])
    assert own not in page
    assert client.get(own).status_code == 404

    opened = client.get(
        f"{form}?angkatan={cohort.pk}&kompetensi={other_competency.pk}"
    ).content.decode()
    assert f'<option value="{other_competency.pk}" selected>' in opened

    # A facilitator of another organisation: no matrix, no link, no form.
    client.force_login(outsider)
    assert (
        client.get(
            reverse("assessments_competence_matrix", args=[cohort.pk])
        ).status_code
        == 404
    )
    assert client.get(form).status_code == 404
    refused = client.post(
        form,
        {
            "competency": competency.pk,
            "level": "kompeten",
            "assessed_on": timezone.localdate().isoformat(),
        },
    )
    assert refused.status_code == 404
    # The trainee themselves: the admin turns them away, nothing is recorded.
    client.force_login(trainee)
    assert client.get(form).status_code == 302
    client.post(
        form,
        {
            "competency": competency.pk,
            "level": "kompeten",
            "assessed_on": timezone.localdate().isoformat(),
        },
    )
    assert not CompetenceAssessment.objects.exists()


def test_the_form_reads_in_the_same_number_of_queries_however_much_evidence(
    client,
    facilitator,
    trainee,
    placement,
    competency,
    django_assert_max_num_queries,
):
    def add_records(count: int) -> None:
        quiz = quiz_with([choice_question()])
        for n in range(count):
            HourEntryFactory(
                placement=placement,
                status=EntryStatus.VERIFIED,
                date=MARCH_14 + datetime.timedelta(days=n),
            )
            case = PracticeCaseFactory(placement=placement, status=CaseStatus.REVIEWED)
            case.competencies_shown.set([competency])
            sitting = finish_sitting(
                sitting=start_sitting(user=trainee, quiz=quiz), user=trainee
            )
            record_assessment(
                assessor=facilitator,
                trainee=trainee,
                competency=competency,
                level="berkembang",
                assessed_on=MARCH_14 + datetime.timedelta(days=n),
                evidence=[(sitting, ""), (case, "")],
            )

    client.force_login(facilitator)
    url = form_url(trainee, kompetensi=competency.pk)
    add_records(1)
    client.get(url)  # warm the caches (content types, site)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_records(6)
    with django_assert_max_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert len(offered(page, HOURS)) == 7 and len(offered(page, CASES)) == 7


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_copies_of_one_judgement_at_once_record_one(
    facilitator, trainee, verified_hours, competency
):
    """Sent twenty times together (a double tap on a slow link, many tabs),
    the same judgement is saved once, and every copy gets the same answer;
    on SQLite here and on PostgreSQL in CI."""
    from tests.concurrency import all_at_once, signed_in_clients

    body = {
        "competency": competency.pk,
        "level": "kompeten",
        "assessed_on": timezone.localdate().isoformat(),
        "comment": "Mendengarkan tanpa menghakimi.",
        HOURS: [verified_hours.pk],
    }
    clients = signed_in_clients(facilitator, 20)
    answers = all_at_once(
        [
            lambda client=client: client.post(form_url(trainee), body).status_code
            for client in clients
        ]
    )
    assert answers == [302] * 20
    assert CompetenceAssessment.objects.count() == 1
    assert Evidence.objects.count() == 1
