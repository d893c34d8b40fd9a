"""Practice cases in the admin: the supervisor's queue and review, the counts."""

import itertools

from django.utils import timezone

import pytest

from assessments.models import Competency
from learning.choices import Role
from learning.models import Notification, Programme
from mentorship.admin.cases import flagged
from mentorship.cases import case_warning
from mentorship.choices import (
    CaseAction,
    CasePath,
    CaseStatus,
    PerpetratorAge,
    ViolenceType,
)
from mentorship.models import PracticeCase
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    PlacementFactory,
    PracticeCaseFactory,
    ProgrammeFactory,
    user_with_roles,
)

pytestmark = pytest.mark.django_db

CASES = "/admin/magang/kasus/"
COUNTS = "/admin/magang/kasus-angka/"
NARRATIVE = "Mendampingi korban ke puskesmas dan ke Polsek bersama staf SSP."
WARNING = "UU 12/2022 pasal 23"


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def host(db):
    return OrganisationFactory(name="LBH Uji Kasus", short_name="LBHK")


@pytest.fixture
def supervisor(host):
    return user_with_roles(
        Role.FASILITATOR,
        username="uji-pembimbing-kasus",
        first_name="Yohana",
        last_name="Pembimbing",
        organisation=host,
    )


@pytest.fixture
def placement(trainee, host, supervisor):
    return PlacementFactory(trainee=trainee, host=host, supervisor=supervisor)


@pytest.fixture
def stranger(db):
    """A facilitator of another organisation, with nobody of ours in scope."""
    return user_with_roles(
        Role.FASILITATOR,
        username="uji-asing-kasus",
        organisation=OrganisationFactory(short_name="ASGK"),
    )


@pytest.fixture
def competencies(db):
    return [
        Competency.objects.create(
            name=name, description=f"{name}.", criteria="Terlihat dalam praktik."
        )
        for name in ("Mendengarkan aktif", "Merujuk ke layanan", "Menjaga kerahasiaan")
    ]


def submitted(placement, **fields):
    case = PracticeCaseFactory(
        placement=placement, status=CaseStatus.SUBMITTED, **fields
    )
    case.history.create(action=CaseAction.SUBMITTED, actor=placement.trainee)
    return case


def reviewed(placement, **fields):
    return PracticeCaseFactory(
        placement=placement,
        status=CaseStatus.REVIEWED,
        supervisor_feedback="Langkahnya runtut.",
        reviewed_by=placement.supervisor,
        reviewed_at=timezone.now(),
        **fields,
    )


def sexual_non_litigation(placement, **fields):
    """The case UU 12/2022 pasal 23 concerns: no settling out of court."""
    return submitted(
        placement,
        violence_types=[ViolenceType.SEXUAL],
        perpetrator_age=PerpetratorAge.ADULT,
        path=CasePath.NON_LITIGATION,
        **fields,
    )


def other_trainees_case(supervisor, name, status=CaseStatus.SUBMITTED):
    trainee = user_with_roles(
        Role.PESERTA, username=f"uji-{name.lower()}", first_name=name, last_name="Lain"
    )
    placement = PlacementFactory(trainee=trainee, supervisor=supervisor)
    return PracticeCaseFactory(placement=placement, status=status)


# The queue and the index


def test_a_supervisor_lands_on_the_cases_waiting_for_them(
    client, placement, supervisor, trainee
):
    waiting = submitted(placement, trainee_role="Kasus yang menunggu tinjauan.")
    done = reviewed(placement, trainee_role="Kasus yang sudah ditinjau.")
    draft = PracticeCaseFactory(placement=placement)
    not_mine = other_trainees_case(
        user_with_roles(Role.FASILITATOR, username="uji-pembimbing-lain"), "Bukanku"
    )
    client.force_login(supervisor)

    queue = page_of(client, CASES)
    assert "Menunggu tinjauan saya" in queue
    assert f"{CASES}{waiting.pk}/" in queue
    assert f"{CASES}{done.pk}/" not in queue
    assert f"{CASES}{draft.pk}/" not in queue  # a draft is still the trainee's
    assert "Bukanku" not in queue
    assert trainee.display_name in queue and "LBHK" in queue
    assert waiting.kecamatan.name in queue
    assert "Fisik" in queue and "Litigasi" in queue and "Menunggu tinjauan" in queue

    everything = page_of(client, CASES + "?tampilkan=semua")
    assert f"{CASES}{waiting.pk}/" in everything
    assert f"{CASES}{done.pk}/" in everything
    assert f"{CASES}{draft.pk}/" not in everything
    assert f"{CASES}{not_mine.pk}/" not in everything
    assert "Bukanku" not in everything


def test_the_queue_can_be_empty(client, placement, supervisor):
    reviewed(placement)
    client.force_login(supervisor)
    assert "Tidak ada kasus praktik yang menunggu tinjauan kamu." in page_of(
        client, CASES
    )


def test_filters_by_status_violence_type_path_and_flag(client, placement, supervisor):
    physical = submitted(placement)
    sexual = sexual_non_litigation(placement)
    done = reviewed(
        placement, violence_types=[ViolenceType.PSYCHOLOGICAL], path=CasePath.BOTH
    )
    client.force_login(supervisor)

    def listed(query):
        page = page_of(client, f"{CASES}?tampilkan=semua&{query}")
        return {
            case.pk for case in (physical, sexual, done) if f"{CASES}{case.pk}/" in page
        }

    assert listed("status=ditinjau") == {done.pk}
    assert listed("status=diajukan") == {physical.pk, sexual.pk}
    assert listed("jenis=seksual") == {sexual.pk}
    assert listed("jenis=psikis") == {done.pk}
    assert listed("jalur=litigasi") == {physical.pk}
    assert listed("tanda=ya") == {sexual.pk}
    assert listed("tanda=") == {physical.pk, sexual.pk, done.pk}


def test_a_stranger_finds_no_case(client, placement, stranger):
    case = submitted(placement)
    client.force_login(stranger)
    page = page_of(client, CASES + "?tampilkan=semua")
    assert f"{CASES}{case.pk}/" not in page
    assert "Tidak ada kasus praktik yang cocok." in page
    assert client.get(f"{CASES}{case.pk}/").status_code == 404


# The flag


def test_a_sexual_violence_case_settled_out_of_court_is_flagged(
    client, placement, supervisor
):
    flagged_case = sexual_non_litigation(placement)
    plain = submitted(placement)
    client.force_login(supervisor)

    rows = page_of(client, CASES).split("<tr")
    [flagged_row] = [row for row in rows if f"{CASES}{flagged_case.pk}/" in row]
    [plain_row] = [row for row in rows if f"{CASES}{plain.pk}/" in row]
    assert "UU TPKS ps. 23" in flagged_row
    assert "UU TPKS ps. 23" not in plain_row

    review = page_of(client, f"{CASES}{flagged_case.pk}/")
    assert "Ditandai: UU 12/2022 (TPKS) pasal 23" in review and WARNING in review
    assert WARNING not in page_of(client, f"{CASES}{plain.pk}/")


def test_the_flag_filter_agrees_with_the_warning(placement):
    combinations = itertools.product(
        [[ViolenceType.SEXUAL], [ViolenceType.PHYSICAL, ViolenceType.SEXUAL], []],
        PerpetratorAge.values,
        CasePath.values,
    )
    for types, age, path in combinations:
        PracticeCaseFactory(
            placement=placement,
            violence_types=types or [ViolenceType.NEGLECT],
            perpetrator_age=age,
            path=path,
        )
    by_rule = {case.pk for case in PracticeCase.objects.all() if case_warning(case)}
    assert by_rule  # the grid holds flagged cases and others
    assert set(flagged(PracticeCase.objects.all()).values_list("pk", flat=True)) == (
        by_rule
    )


# The review


def test_reviewing_records_feedback_and_competencies_and_tells_the_trainee(
    client, placement, supervisor, trainee, competencies
):
    case = submitted(placement)
    client.force_login(supervisor)
    page = page_of(client, f"{CASES}{case.pk}/")
    assert "Tinjau kasus praktik" in page
    assert NARRATIVE in page and "Yang dipelajari" in page
    assert "Perempuan" in page and "25-44" in page and "Suami/Istri" in page
    assert "Kesehatan, UPTD PPA / P2TP2A" in page
    assert "Riwayat" in page and "Diajukan" in page
    assert "Tandai sudah ditinjau" in page and "Kembalikan untuk diperbaiki" in page
    assert "Mendengarkan aktif" in page  # the competencies, to tick

    response = client.post(
        f"{CASES}{case.pk}/",
        {
            "feedback": "Rujukan ke puskesmas tepat waktu.",
            "competencies": [competencies[0].pk, competencies[1].pk],
            "keputusan": "tinjau",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{CASES}?tampilkan=antrean"
    assert "ditandai sudah ditinjau" in response.content.decode()

    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWED
    assert case.supervisor_feedback == "Rujukan ke puskesmas tepat waktu."
    assert (case.reviewed_by, bool(case.reviewed_at)) == (supervisor, True)
    assert set(case.competencies_shown.all()) == set(competencies[:2])
    event = case.history.get(action=CaseAction.REVIEWED)
    assert (event.actor, event.comment) == (supervisor, case.supervisor_feedback)
    [notice] = Notification.objects.filter(recipient=trainee)
    assert "sudah ditinjau" in notice.message

    page = page_of(client, f"{CASES}{case.pk}/")  # now read-only, with the review
    assert "Tandai sudah ditinjau" not in page
    assert "Rujukan ke puskesmas tepat waktu." in page
    assert "Mendengarkan aktif, Merujuk ke layanan" in page
    assert "Ditinjau" in page and supervisor.display_name in page


def test_returning_needs_feedback(client, placement, supervisor, trainee):
    case = submitted(placement)
    client.force_login(supervisor)
    response = client.post(
        f"{CASES}{case.pk}/", {"feedback": "  ", "keputusan": "kembalikan"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tulis umpan balik untuk peserta." in page
    assert "Tinjauan belum disimpan." in page
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert not Notification.objects.exists()

    client.post(
        f"{CASES}{case.pk}/",
        {"feedback": "Tulis langkah rujukan lebih rinci.", "keputusan": "kembalikan"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    assert case.supervisor_feedback == "Tulis langkah rujukan lebih rinci."
    assert case.reviewed_by is None
    assert case.history.filter(action=CaseAction.RETURNED).exists()
    [notice] = Notification.objects.filter(recipient=trainee)
    assert "dikembalikan" in notice.message


def test_feedback_that_identifies_someone_is_refused(
    client, placement, supervisor, competencies
):
    case = submitted(placement)
    client.force_login(supervisor)
    response = client.post(
        f"{CASES}{case.pk}/",
        {
            "feedback": "Hubungi ibunya di 0812-3456-7890 minggu depan.",
            "competencies": [competencies[0].pk],
            "keputusan": "tinjau",
        },
    )
    assert response.status_code == 200
    assert "0812-3456-7890" in response.content.decode()  # quoted back
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert not case.competencies_shown.exists()


def test_a_decision_needs_one_of_the_two_buttons(client, placement, supervisor):
    case = submitted(placement)
    client.force_login(supervisor)
    response = client.post(f"{CASES}{case.pk}/", {"feedback": "Baik."})
    assert "Tandai sudah ditinjau” atau “Kembalikan" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_case_no_longer_waiting_is_not_decided_again(client, placement, supervisor):
    case = reviewed(placement)
    client.force_login(supervisor)
    response = client.post(
        f"{CASES}{case.pk}/",
        {"feedback": "Lagi.", "keputusan": "kembalikan"},
        follow=True,
    )
    assert "tidak sedang menunggu tinjauan" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.supervisor_feedback) == (
        CaseStatus.REVIEWED,
        "Langkahnya runtut.",
    )


def test_only_the_supervisor_reviews(
    client, placement, supervisor, facilitator, coordinator, stranger
):
    """The cohort's facilitator cannot see a waiting case, nor decide a reviewed one."""
    waiting = submitted(placement)
    done = reviewed(placement)
    decision = {"feedback": "Bukan tugas saya.", "keputusan": "kembalikan"}

    client.force_login(facilitator)
    assert client.get(f"{CASES}{waiting.pk}/").status_code == 404
    assert client.post(f"{CASES}{waiting.pk}/", decision).status_code == 404
    page = page_of(client, f"{CASES}{done.pk}/")  # reads it, cannot decide
    assert NARRATIVE in page and "Tandai sudah ditinjau" not in page
    assert client.post(f"{CASES}{done.pk}/", decision).status_code == 403

    client.force_login(stranger)
    assert client.post(f"{CASES}{waiting.pk}/", decision).status_code == 404

    client.force_login(placement.trainee)  # the trainee has no admin at all
    assert client.post(f"{CASES}{waiting.pk}/", decision).status_code == 302

    waiting.refresh_from_db()
    done.refresh_from_db()
    assert waiting.status == CaseStatus.SUBMITTED
    assert done.status == CaseStatus.REVIEWED
    assert done.supervisor_feedback == "Langkahnya runtut."
    assert not Notification.objects.exists()


def test_a_cohort_facilitator_reads_a_case_only_after_review(
    client, placement, supervisor, facilitator, coordinator
):
    case = submitted(placement)
    client.force_login(facilitator)
    assert f"{CASES}{case.pk}/" not in page_of(client, CASES + "?tampilkan=semua")
    assert client.get(f"{CASES}{case.pk}/").status_code == 404

    client.force_login(supervisor)
    client.post(
        f"{CASES}{case.pk}/", {"feedback": "Sudah baik.", "keputusan": "tinjau"}
    )

    client.force_login(facilitator)
    assert f"{CASES}{case.pk}/" in page_of(client, CASES + "?tampilkan=semua")
    page = page_of(client, f"{CASES}{case.pk}/")
    assert NARRATIVE in page and "Sudah baik." in page


# Coordinators: counts only


def test_a_coordinator_gets_numbers_and_no_case(
    client, placement, supervisor, coordinator, trainee
):
    sexual_non_litigation(placement)
    submitted(placement)
    reviewed(placement, violence_types=[ViolenceType.PHYSICAL, ViolenceType.SEXUAL])
    PracticeCaseFactory(placement=placement)  # a draft counts, unread
    elsewhere = other_trainees_case(supervisor, "Luarprogram")
    client.force_login(coordinator)

    page = page_of(client, COUNTS)
    assert "4 kasus praktik" in page
    assert "1 ditandai UU 12/2022 (TPKS) pasal 23" in page
    assert "<td>Menunggu tinjauan</td><td>2</td>" in page
    assert "<td>Sudah ditinjau</td><td>1</td>" in page
    assert "<td>Draf</td><td>1</td>" in page
    assert "<td>Seksual</td><td>2</td>" in page
    assert "<td>Fisik</td><td>3</td>" in page
    assert "<td>Non-litigasi</td><td>1</td>" in page
    assert "<td>Litigasi</td><td>3</td>" in page
    assert NARRATIVE not in page
    assert trainee.display_name not in page and "Luarprogram" not in page

    # No case to open, none listed, no menu item for them.
    for case in PracticeCase.objects.all():
        assert client.get(f"{CASES}{case.pk}/").status_code == 404
    response = client.get(CASES + "?tampilkan=semua", follow=True)
    listing = response.content.decode()
    assert NARRATIVE not in listing and trainee.display_name not in listing
    assert f"{CASES}{elsewhere.pk}/" not in listing
    menu = page_of(client, "/admin/")
    assert "Kasus praktik: angka" in menu and f'"{CASES}"' not in menu


def test_counts_for_one_programme_and_for_staff_only(
    client, placement, supervisor, coordinator, facilitator, trainee
):
    submitted(placement)
    [programme] = Programme.objects.filter(coordinators=coordinator)
    other = other_trainees_case(supervisor, "Lainprogram")
    second = ProgrammeFactory(coordinators=[coordinator])
    CohortFactory(programme=second, trainees=[other.trainee])
    client.force_login(coordinator)
    assert "2 kasus praktik" in page_of(client, COUNTS)
    page = page_of(client, f"{COUNTS}?program={programme.pk}")
    assert "1 kasus praktik" in page and programme.name in page
    client.force_login(facilitator)  # teaches the first cohort only
    assert "1 kasus praktik" in page_of(client, COUNTS)
    client.force_login(trainee)
    assert client.get(COUNTS).status_code == 302  # no admin for trainees


def test_a_facilitator_with_no_programme_sees_zero(client, placement, stranger):
    submitted(placement)
    client.force_login(stranger)
    assert "0 kasus praktik" in page_of(client, COUNTS)


# The dashboard and the menu


def test_the_dashboard_counts_the_cases_waiting_for_a_supervisor(
    client, placement, supervisor, facilitator
):
    client.force_login(supervisor)
    assert "kasus praktik menunggu" not in page_of(client, "/admin/")
    submitted(placement)
    sexual_non_litigation(placement)
    page = page_of(client, "/admin/")
    assert "2 kasus praktik menunggu tinjauan kamu" in page
    assert f"{CASES}?tampilkan=antrean" in page
    client.force_login(facilitator)  # not their supervisor
    assert "kasus praktik menunggu" not in page_of(client, "/admin/")


def test_the_magang_menu_offers_the_cases_to_facilitators(client, facilitator):
    client.force_login(facilitator)
    page = page_of(client, "/admin/")
    assert "Kasus praktik" in page and CASES in page and COUNTS in page


# Bounded queries


@pytest.mark.parametrize("query", ["", "?tampilkan=semua", "?tampilkan=semua&tanda=ya"])
def test_the_index_does_not_grow_in_queries_with_cases(
    client, placement, supervisor, query, django_assert_max_num_queries
):
    submitted(placement)
    sexual_non_litigation(placement)
    client.force_login(supervisor)
    client.get(CASES + query)
    with django_assert_max_num_queries(60) as few:
        assert client.get(CASES + query).status_code == 200
    for n in range(4):
        more = PlacementFactory(
            trainee=user_with_roles(Role.PESERTA, username=f"uji-kasus-banyak-{n}"),
            host=placement.host,
            supervisor=supervisor,
        )
        for _ in range(3):
            submitted(more)
            sexual_non_litigation(more)
            reviewed(more)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(CASES + query).status_code == 200


def test_the_counts_page_does_not_grow_in_queries_with_cases(
    client, placement, coordinator, django_assert_max_num_queries
):
    submitted(placement)
    client.force_login(coordinator)
    client.get(COUNTS)
    with django_assert_max_num_queries(40) as few:
        assert client.get(COUNTS).status_code == 200
    for _ in range(10):
        submitted(placement)
        reviewed(placement)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(COUNTS).status_code == 200


def test_the_review_page_does_not_grow_in_queries_with_history(
    client, placement, supervisor, competencies, django_assert_max_num_queries
):
    case = reviewed(placement)
    case.competencies_shown.set(competencies[:1])
    case.history.create(action=CaseAction.SUBMITTED, actor=placement.trainee)
    client.force_login(supervisor)
    client.get(f"{CASES}{case.pk}/")
    with django_assert_max_num_queries(40) as few:
        assert client.get(f"{CASES}{case.pk}/").status_code == 200
    case.competencies_shown.set(competencies)
    for action in [CaseAction.RETURNED, CaseAction.RESUBMITTED] * 4:
        case.history.create(action=action, actor=supervisor, comment="Perbaiki.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{CASES}{case.pk}/").status_code == 200
