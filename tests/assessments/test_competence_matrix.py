"""The cohort competence matrix (admin) and the trainee's own profile (site)."""

import datetime
import io

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from assessments.choices import CompetenceLevel
from assessments.competence import record_assessment
from assessments.competence_selectors import (
    NOT_ASSESSED,
    cohort_matrix,
    competence_profile,
)
from assessments.models import Competency
from learning.choices import Role
from learning.models import Enrolment
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    user_with_roles,
)
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db

NOT_YET = CompetenceLevel.NOT_YET
DEVELOPING = CompetenceLevel.DEVELOPING
COMPETENT = CompetenceLevel.COMPETENT
TODAY = timezone.localdate()
EARLIER = TODAY - datetime.timedelta(days=30)


def matrix_url(cohort):
    return reverse("assessments_competence_matrix", args=[cohort.pk])


@pytest.fixture
def competencies(db):
    return [
        Competency.objects.create(
            name=name,
            description=f"Uraian {name}.",
            criteria="Mendengar tanpa menghakimi\nMenjelaskan pilihan layanan",
            competent=f"{name} dilakukan sendiri dengan benar.",
            sort_order=order,
        )
        for order, name in enumerate(
            ["Konseling awal", "Rujukan layanan", "Dokumentasi kasus"]
        )
    ]


def trainees(organisation, count, *, start=0):
    return [
        user_with_roles(
            Role.PESERTA,
            username=f"peserta-{n:02d}",
            first_name=f"Peserta {n:02d}",
            last_name="",
            organisation=organisation,
        )
        for n in range(start, start + count)
    ]


@pytest.fixture
def cohort(organisation, facilitator):
    return CohortFactory(facilitators=[facilitator])


@pytest.fixture
def known(cohort, facilitator, organisation, competencies):
    """Three trainees × three competencies, with a history behind some cells.

    Ani: konseling berkembang → kompeten; rujukan kompeten → belum kompeten.
    Budi: konseling belum kompeten; rujukan berkembang.
    Citra: rujukan berkembang; dokumentasi kompeten.
    """
    ani, budi, citra = people = [
        user_with_roles(
            Role.PESERTA,
            username=name.lower(),
            first_name=name,
            last_name="",
            organisation=organisation,
        )
        for name in ("Ani", "Budi", "Citra")
    ]
    for person in people:
        Enrolment.objects.create(cohort=cohort, trainee=person)
    counselling, referral, documentation = competencies
    for trainee, competency, level, day in [
        (ani, counselling, DEVELOPING, EARLIER),
        (ani, counselling, COMPETENT, TODAY),
        (ani, referral, COMPETENT, EARLIER),
        (ani, referral, NOT_YET, TODAY),
        (budi, counselling, NOT_YET, TODAY),
        (budi, referral, DEVELOPING, TODAY),
        (citra, referral, DEVELOPING, TODAY),
        (citra, documentation, COMPETENT, EARLIER),
    ]:
        record_assessment(
            assessor=facilitator,
            trainee=trainee,
            competency=competency,
            level=level,
            assessed_on=day,
        )
    return people


def levels(matrix):
    return {
        row.trainee.first_name: [cell.level if cell else None for cell in row.cells]
        for row in matrix.rows
    }


def test_the_matrix_shows_the_latest_level_and_counts_per_level(
    cohort, facilitator, known
):
    matrix = cohort_matrix(cohort=cohort, actor=facilitator)

    assert [c.name for c in matrix.competencies] == [
        "Konseling awal",
        "Rujukan layanan",
        "Dokumentasi kasus",
    ]
    assert levels(matrix) == {
        "Ani": [COMPETENT, NOT_YET, None],
        "Budi": [NOT_YET, DEVELOPING, None],
        "Citra": [None, DEVELOPING, COMPETENT],
    }
    assert [
        (c.not_yet, c.developing, c.competent, c.not_assessed) for c in matrix.counts
    ] == [(1, 0, 1, 1), (1, 2, 0, 0), (0, 0, 1, 2)]
    assert matrix.trainee_count == 3


def test_filters_narrow_to_one_competency_and_one_level(
    cohort, facilitator, known, competencies
):
    counselling, referral, documentation = competencies

    not_yet_in_referral = cohort_matrix(
        cohort=cohort, actor=facilitator, competencies=[referral], level=NOT_YET
    )
    assert levels(not_yet_in_referral) == {"Ani": [NOT_YET]}
    assert not_yet_in_referral.trainee_count == 3

    developing_anywhere = cohort_matrix(
        cohort=cohort, actor=facilitator, level=DEVELOPING
    )
    assert set(levels(developing_anywhere)) == {"Budi", "Citra"}

    unassessed_counselling = cohort_matrix(
        cohort=cohort,
        actor=facilitator,
        competencies=[counselling],
        level=NOT_ASSESSED,
    )
    assert levels(unassessed_counselling) == {"Citra": [None]}


def test_the_matrix_page_writes_levels_as_text_with_a_legend_and_filters(
    signed_in, cohort, facilitator, known, competencies
):
    client = signed_in(facilitator)
    page = client.get(matrix_url(cohort)).content.decode()
    assert 'class="cm-level cm-level--kompeten"><a class="cm-cell-link"' in page
    assert ">Kompeten<small>" in page
    assert "cm-level--belum_kompeten" in page and "Belum kompeten" in page
    assert "Keterangan" in page and "Belum dinilai" in page
    assert reverse("assessments_trainee_competence", args=[known[0].pk]) in page

    referral = competencies[1]
    filtered = client.get(
        matrix_url(cohort), {"competency": referral.pk, "level": NOT_YET}
    ).content.decode()
    # Rows are told apart by their links: the signed-in facilitator's own name
    # is made up at random and may well be "Budi".
    ani, budi, citra = (
        reverse("assessments_trainee_competence", args=[person.pk]) for person in known
    )
    assert ani in filtered
    assert budi not in filtered and citra not in filtered
    assert "1 dari 3 peserta" in filtered


def test_the_export_has_one_row_per_trainee_and_one_column_per_competency(
    signed_in, cohort, facilitator, known
):
    response = signed_in(facilitator).get(matrix_url(cohort), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    today, earlier = f"{TODAY:%d-%m-%Y}", f"{EARLIER:%d-%m-%Y}"
    assert rows == [
        (
            "Nama",
            "Nama pengguna",
            "Konseling awal",
            "Rujukan layanan",
            "Dokumentasi kasus",
        ),
        (
            "Ani",
            "ani",
            f"Kompeten ({today})",
            f"Belum kompeten ({today})",
            "Belum dinilai",
        ),
        (
            "Budi",
            "budi",
            f"Belum kompeten ({today})",
            f"Berkembang ({today})",
            "Belum dinilai",
        ),
        (
            "Citra",
            "citra",
            "Belum dinilai",
            f"Berkembang ({today})",
            f"Kompeten ({earlier})",
        ),
    ]
    counts = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert counts[1] == ("Konseling awal", 1, 0, 1, 1)


def test_the_export_keeps_the_filters(signed_in, cohort, facilitator, known):
    response = signed_in(facilitator).get(
        matrix_url(cohort), {"level": DEVELOPING, "export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Budi",
        "Citra",
    ]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_cohort(
    signed_in, cohort, facilitator, organisation, competencies
):
    def assess(people):
        for n, person in enumerate(people):
            Enrolment.objects.create(cohort=cohort, trainee=person)
            for competency in competencies[: n % 3 + 1]:
                for level in (DEVELOPING, COMPETENT):
                    record_assessment(
                        assessor=facilitator,
                        trainee=person,
                        competency=competency,
                        level=level,
                    )

    client = signed_in(facilitator)
    urls = [
        reverse("assessments_competence_cohorts"),
        matrix_url(cohort),
        matrix_url(cohort) + f"?level={COMPETENT}&competency={competencies[0].pk}",
        matrix_url(cohort) + "?export=xlsx",
    ]
    assess(trainees(organisation, 3))
    _queries(client, "/admin/")  # warm up the session and the site
    with_three = {url: _queries(client, url) for url in urls}

    assess(trainees(organisation, 9, start=3))
    with_twelve = {url: _queries(client, url) for url in urls}

    assert with_twelve == with_three
    assert len(cohort_matrix(cohort=cohort, actor=facilitator).rows) == 12


def test_the_profile_reads_in_the_same_number_of_queries_however_long_the_history(
    facilitator, trainee, competencies, module, django_assert_max_num_queries
):
    for competency in competencies:
        competency.modules.set([module])
        competency.save()
    record_assessment(
        assessor=facilitator,
        trainee=trainee,
        competency=competencies[0],
        level=DEVELOPING,
    )
    with CaptureQueriesContext(connection) as short:
        competence_profile(trainee, viewer=trainee)
    for competency in competencies:
        for level in (NOT_YET, DEVELOPING, COMPETENT):
            record_assessment(
                assessor=facilitator,
                trainee=trainee,
                competency=competency,
                level=level,
            )
    with django_assert_max_num_queries(len(short)):
        rows = competence_profile(trainee, viewer=trainee)
    assert [row.level for row in rows] == [COMPETENT] * 3


# --- scope ---------------------------------------------------------------------


@pytest.fixture
def outsider(db):
    """A facilitator of another organisation."""
    return user_with_roles(
        Role.FASILITATOR,
        username="fasilitator-lain",
        organisation=OrganisationFactory(name="Lembaga Lain", short_name="LL"),
    )


def test_a_facilitator_of_another_organisation_sees_nothing_of_the_cohort(
    signed_in, cohort, known, outsider
):
    assert cohort_matrix(cohort=cohort, actor=outsider).rows == []
    client = signed_in(outsider)
    assert client.get(matrix_url(cohort)).status_code == 404
    assert client.get(matrix_url(cohort) + "?export=xlsx").status_code == 404
    for person in known:
        url = reverse("assessments_trainee_competence", args=[person.pk])
        assert client.get(url).status_code == 404
    listing = client.get(reverse("assessments_competence_cohorts")).content.decode()
    assert matrix_url(cohort) not in listing


def test_teaching_the_cohort_opens_it_to_a_facilitator_of_another_organisation(
    signed_in, cohort, known, outsider
):
    cohort.facilitators.add(outsider)
    cohort.save()  # parental relations are written when the cluster is saved
    matrix = cohort_matrix(cohort=cohort, actor=outsider)
    assert [row.trainee.first_name for row in matrix.rows] == ["Ani", "Budi", "Citra"]
    client = signed_in(outsider)
    assert client.get(matrix_url(cohort)).status_code == 200
    url = reverse("assessments_trainee_competence", args=[known[0].pk])
    assert client.get(url).status_code == 200


def test_the_admin_profile_shows_the_latest_level_and_the_history(
    signed_in, cohort, facilitator, known
):
    url = reverse("assessments_trainee_competence", args=[known[0].pk])
    page = signed_in(facilitator).get(url, {"angkatan": cohort.pk}).content.decode()
    assert "Profil kompetensi: Ani" in page
    assert 'cm-level--belum_kompeten">Belum kompeten' in page  # rujukan, latest
    assert "Kompeten" in page and "Berkembang" in page  # earlier judgements
    assert matrix_url(cohort) in page  # the way back to the matrix
    assert reverse("assessments_record_assessment", args=[known[0].pk]) in page


def test_a_trainee_cannot_open_the_admin_matrix(signed_in, trainee, cohort):
    client = signed_in(trainee)
    for url in (
        reverse("assessments_competence_cohorts"),
        matrix_url(cohort),
        matrix_url(cohort) + "?export=xlsx",
        reverse("assessments_trainee_competence", args=[trainee.pk]),
    ):
        response = client.get(url)
        # Wagtail sends anyone without admin access to its login page.
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_admin_users_without_a_facilitator_role_are_refused(
    signed_in, organisation, cohort
):
    clerk = UserFactory(username="staf-admin", organisation=organisation)
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = signed_in(clerk)
    response = client.get(matrix_url(cohort))
    assert response.status_code == 403
    assert "Matriks kompetensi" not in client.get("/admin/").content.decode()


def test_facilitators_see_the_menu(signed_in, facilitator):
    page = signed_in(facilitator).get("/admin/").content.decode()
    assert "Matriks kompetensi" in page
    assert reverse("assessments_competence_cohorts") in page


# --- the trainee's own profile -------------------------------------------------


def test_the_trainee_sees_their_level_what_is_missing_and_where_to_learn_it(
    signed_in, facilitator, trainee, competencies, module
):
    counselling, referral, documentation = competencies
    closed = module_with_lessons(
        lessons=1,
        title="Modul Program Lain",
        programmes=[ProgrammeFactory()],
    )
    referral.modules.set([module, closed])
    referral.save()
    record_assessment(
        assessor=facilitator,
        trainee=trainee,
        competency=counselling,
        level=DEVELOPING,
        assessed_on=EARLIER,
        comment="Masih sering memotong cerita.",
    )
    record_assessment(
        assessor=facilitator,
        trainee=trainee,
        competency=counselling,
        level=COMPETENT,
        comment="Mendengarkan dengan sabar.",
    )
    record_assessment(
        assessor=facilitator,
        trainee=trainee,
        competency=referral,
        level=NOT_YET,
        comment="Belum tahu alamat rujukan.",
    )
    other = user_with_roles(
        Role.PESERTA, username="peserta-lain", organisation=trainee.organisation
    )
    record_assessment(
        assessor=facilitator,
        trainee=other,
        competency=documentation,
        level=COMPETENT,
        comment="CATATAN UNTUK ORANG LAIN",
    )

    response = signed_in(trainee).get(reverse("assessments:my_competence"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mendengarkan dengan sabar." in page
    assert "Belum tahu alamat rujukan." in page
    assert 'class="level level--kompeten">Kompeten' in page
    assert 'class="level level--belum_kompeten">Belum kompeten' in page
    assert "Yang masih perlu" in page
    assert "Dari 3 kompetensi: 1 kompeten, 1 belum kompeten, 1 belum dinilai." in page
    assert module.url in page and "Konseling Awal" in page
    assert "0% · 0 dari 3 pelajaran" in page
    assert "Modul Program Lain" not in page
    assert "CATATAN UNTUK ORANG LAIN" not in page
    assert other.display_name not in page

    rows = competence_profile(trainee, viewer=trainee)
    assert [row.is_missing for row in rows] == [False, True, True]
    assert [p.module for p in rows[1].modules] == [module]
    assert [a.level for a in rows[0].history] == [COMPETENT, DEVELOPING]


def test_nobody_reads_the_profile_of_someone_out_of_their_scope(trainee, outsider):
    other = user_with_roles(
        Role.PESERTA, username="peserta-lain", organisation=trainee.organisation
    )
    for viewer in (other, outsider):
        with pytest.raises(PermissionDenied):
            competence_profile(trainee, viewer=viewer)


def test_the_profile_page_needs_a_sign_in(client):
    response = client.get(reverse("assessments:my_competence"))
    assert response.status_code == 302
