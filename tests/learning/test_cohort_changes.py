"""Seeing a cohort is not the right to change it.

In a consortium programme every member organisation's facilitators see the
consortium's cohorts; only a cohort's own facilitators, the facilitators of
an organisation running a programme alone, and the programme's coordinators
change it or read its trainees' results.
"""

import pytest

from learning.choices import Role
from learning.models import Cohort, Enrolment
from learning.scope import cohorts_managed_by, cohorts_visible_to
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    user_with_roles,
)
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def consortium():
    """I-WILL in miniature: SSP teaches the cohort, YABIKU is a partner."""
    ssp = OrganisationFactory(short_name="SSP-UJI")
    yabiku = OrganisationFactory(short_name="YABIKU-UJI")
    coordinator = user_with_roles(Role.KOORDINATOR, username="koord-konsorsium")
    teacher = user_with_roles(Role.FASILITATOR, username="fas-ssp", organisation=ssp)
    partner = user_with_roles(
        Role.FASILITATOR, username="fas-yabiku", organisation=yabiku
    )
    trainees = [
        user_with_roles(Role.PESERTA, username=f"paralegal-{n}", organisation=ssp)
        for n in range(3)
    ]
    cohort = CohortFactory(
        name="Paralegal Uji",
        programme=ProgrammeFactory(
            organisations=[ssp, yabiku], coordinators=[coordinator]
        ),
        facilitators=[teacher],
        trainees=trainees,
    )
    return {
        "cohort": cohort,
        "teacher": teacher,
        "partner": partner,
        "coordinator": coordinator,
        "ssp": ssp,
        "trainees": trainees,
    }


def cohort_form(cohort, *, facilitators, enrolments=()):
    """The admin edit form as a browser posts it."""
    data = {
        "programme": cohort.programme_id,
        "name": cohort.name,
        "start_date": cohort.start_date.isoformat(),
        "end_date": "",
        "facilitators": [person.pk for person in facilitators],
        "villages": [],
        "enrolments-TOTAL_FORMS": str(len(enrolments)),
        "enrolments-INITIAL_FORMS": str(len(enrolments)),
        "enrolments-MIN_NUM_FORMS": "0",
        "enrolments-MAX_NUM_FORMS": "1000",
    }
    for index, enrolment in enumerate(enrolments):
        data.update(
            {
                f"enrolments-{index}-id": enrolment.pk,
                f"enrolments-{index}-trainee": enrolment.trainee_id,
                f"enrolments-{index}-ORDER": str(index + 1),
                f"enrolments-{index}-DELETE": "1",
            }
        )
    return data


def test_a_partner_facilitator_sees_the_consortium_cohort_but_manages_none(
    consortium,
):
    cohort, partner = consortium["cohort"], consortium["partner"]
    assert cohorts_visible_to(partner).filter(pk=cohort.pk).exists()
    assert not cohorts_managed_by(partner).filter(pk=cohort.pk).exists()
    for person in ("teacher", "coordinator"):
        assert cohorts_managed_by(consortium[person]).filter(pk=cohort.pk).exists()


def test_a_partner_facilitator_cannot_rewrite_a_cohort_they_do_not_teach(
    signed_in, consortium
):
    cohort, partner = consortium["cohort"], consortium["partner"]
    client = signed_in(partner)
    assert client.get(f"/admin/cohort/edit/{cohort.pk}/").status_code != 200
    client.post(
        f"/admin/cohort/edit/{cohort.pk}/",
        cohort_form(
            cohort,
            facilitators=[partner],
            enrolments=list(cohort.enrolments.all()),
        ),
    )
    client.post(f"/admin/cohort/delete/{cohort.pk}/")
    assert list(cohort.facilitators.all()) == [consortium["teacher"]]
    assert Enrolment.objects.filter(cohort=cohort).count() == 3
    assert Cohort.objects.filter(pk=cohort.pk).exists()


def test_a_partner_facilitator_reads_the_cohort_without_edit_buttons(
    signed_in, consortium
):
    cohort, partner = consortium["cohort"], consortium["partner"]
    client = signed_in(partner)
    listing = client.get("/admin/cohort/").content.decode()
    assert "Paralegal Uji" in listing
    assert f"/admin/cohort/edit/{cohort.pk}/" not in listing
    assert f"/admin/cohort/inspect/{cohort.pk}/" in listing
    assert client.get(f"/admin/cohort/inspect/{cohort.pk}/").status_code == 200
    assert client.get(f"/admin/cohort/history/{cohort.pk}/").status_code == 200
    assert client.get(f"/admin/cohort/usage/{cohort.pk}/").status_code != 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/kompetensi/matriks/{pk}/",
        "/admin/hasil-kuis/angkatan/{pk}/",
    ],
)
def test_a_partner_facilitator_cannot_open_the_cohorts_results(
    signed_in, consortium, url
):
    cohort = consortium["cohort"]
    path = url.format(pk=cohort.pk)
    assert client_for(consortium["partner"]).get(path).status_code == 404
    assert client_for(consortium["teacher"]).get(path).status_code == 200


def test_partner_cohorts_are_not_offered_in_result_filters_or_the_people_import(
    signed_in, consortium
):
    client = signed_in(consortium["partner"])
    for path in ("/admin/hasil-kuis/angkatan/", "/admin/orang/impor/"):
        assert "Paralegal Uji" not in client.get(path).content.decode()


def test_the_cohorts_own_facilitator_changes_it_and_its_enrolments(
    signed_in, consortium
):
    cohort, teacher = consortium["cohort"], consortium["teacher"]
    client = signed_in(teacher)
    assert client.get(f"/admin/cohort/edit/{cohort.pk}/").status_code == 200
    first = cohort.enrolments.order_by("pk")[:1]
    response = client.post(
        f"/admin/cohort/edit/{cohort.pk}/",
        cohort_form(cohort, facilitators=[teacher], enrolments=list(first)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enrolment.objects.filter(cohort=cohort).count() == 2


def test_a_facilitator_cannot_save_a_consortium_cohort_out_of_their_own_reach(
    signed_in, consortium
):
    cohort, teacher = consortium["cohort"], consortium["teacher"]
    response = signed_in(teacher).post(
        f"/admin/cohort/edit/{cohort.pk}/",
        cohort_form(cohort, facilitators=[]),
    )
    assert response.status_code == 200
    assert "tambahkan diri kamu sebagai fasilitator" in response.content.decode()
    assert list(cohort.facilitators.all()) == [teacher]


def test_facilitators_of_an_organisation_running_a_programme_alone_manage_its_cohorts(
    consortium,
):
    ssp = consortium["ssp"]
    colleague = user_with_roles(
        Role.FASILITATOR, username="fas-ssp-lain", organisation=ssp
    )
    own = CohortFactory(programme=ProgrammeFactory(organisations=[ssp]))
    assert cohorts_managed_by(colleague).filter(pk=own.pk).exists()
    assert not cohorts_managed_by(colleague).filter(pk=consortium["cohort"].pk).exists()


def test_a_coordinator_of_another_programme_neither_sees_nor_changes_the_cohort(
    signed_in, consortium
):
    cohort = consortium["cohort"]
    other = user_with_roles(Role.KOORDINATOR, username="koord-lain")
    ProgrammeFactory(coordinators=[other])
    client = signed_in(other)
    assert client.get(f"/admin/cohort/inspect/{cohort.pk}/").status_code != 200
    assert client.get(f"/admin/cohort/edit/{cohort.pk}/").status_code != 200
    assert "Paralegal Uji" not in client.get("/admin/cohort/").content.decode()


def test_a_coordinator_changes_only_the_programmes_they_coordinate(
    signed_in, consortium
):
    coordinator = consortium["coordinator"]
    own = consortium["cohort"].programme
    other = ProgrammeFactory(organisations=[consortium["ssp"]])
    client = signed_in(coordinator)
    assert client.get(f"/admin/programme/edit/{own.pk}/").status_code == 200
    assert client.get(f"/admin/programme/edit/{other.pk}/").status_code != 200


def test_the_demos_partner_facilitator_sees_iwill_and_changes_no_cohort():
    from django.core.management import call_command

    from learning.models import User

    call_command("prepare_site", demo=True)
    partner = User.objects.get(username="fasilitator-yabiku")
    assert partner.organisation.short_name == "YABIKU NTT"
    assert cohorts_visible_to(partner).filter(name="Paralegal Desa 2022").exists()
    assert not cohorts_managed_by(partner).exists()
