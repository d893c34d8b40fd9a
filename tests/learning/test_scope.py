"""The scope rule as a matrix of personas, in a consortium like KTAS NTT's."""

import pytest

from learning.choices import Role
from learning.scope import (
    accounts_manageable_by,
    cohorts_visible_to,
    people_visible_to,
    programmes_visible_to,
)
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    region,
    user_with_roles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ssp = OrganisationFactory(short_name="SSP", kabupaten=region("53.02"))
    lbh = OrganisationFactory(short_name="LBH APIK", kabupaten=region("53.71"))
    yabiku = OrganisationFactory(short_name="YABIKU", kabupaten=region("53.03"))
    people = {
        "t_yabiku": user_with_roles(Role.PESERTA, organisation=yabiku),
        "t_ssp": user_with_roles(Role.PESERTA, organisation=ssp),
        "t_other": user_with_roles(Role.ALUMNI, organisation=lbh),
        "f_ssp": user_with_roles(Role.FASILITATOR, organisation=ssp),
        "f_ssp2": user_with_roles(Role.FASILITATOR, organisation=ssp),
        "f_lbh": user_with_roles(Role.FASILITATOR, organisation=lbh),
        "k_iwill": user_with_roles(Role.KOORDINATOR, organisation=lbh),
        "k_ssp": user_with_roles(Role.KOORDINATOR, organisation=ssp),
        "nobody": user_with_roles(organisation=ssp),
    }
    iwill = ProgrammeFactory(
        short_name="I-WILL",
        organisations=[ssp, lbh, yabiku],
        coordinators=[people["k_iwill"]],
    )
    community = ProgrammeFactory(
        short_name="SSP-LBK", organisations=[ssp], coordinators=[people["k_ssp"]]
    )
    cohorts = {
        "A": CohortFactory(
            programme=iwill,
            facilitators=[people["f_ssp"]],
            trainees=[people["t_yabiku"]],
        ),
        "B": CohortFactory(
            programme=community,
            facilitators=[people["f_ssp2"]],
            trainees=[people["t_ssp"]],
        ),
    }
    return people, cohorts


SEES_PEOPLE = {
    "t_yabiku": {"t_yabiku"},
    "t_ssp": {"t_ssp"},
    "t_other": {"t_other"},
    # Own organisation, plus the YABIKU trainee of the cohort she teaches.
    "f_ssp": {"f_ssp", "f_ssp2", "t_ssp", "nobody", "k_ssp", "t_yabiku"},
    "f_ssp2": {"f_ssp", "f_ssp2", "t_ssp", "nobody", "k_ssp"},
    "f_lbh": {"f_lbh", "t_other", "k_iwill"},
    # Across the consortium, but only the programme she coordinates.
    "k_iwill": {"k_iwill", "t_yabiku", "f_ssp"},
    "k_ssp": {"k_ssp", "t_ssp", "f_ssp2"},
    "nobody": {"nobody"},
}

SEES_COHORTS = {
    "t_yabiku": {"A"},
    "t_ssp": {"B"},
    "t_other": set(),
    "f_ssp": {"A", "B"},
    "f_ssp2": {"A", "B"},
    "f_lbh": {"A"},
    "k_iwill": {"A"},
    "k_ssp": {"B"},
    "nobody": set(),
}


def names(people, queryset):
    by_pk = {person.pk: name for name, person in people.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


@pytest.mark.parametrize("persona", sorted(SEES_PEOPLE))
def test_each_persona_sees_exactly_their_people(world, persona):
    people, _ = world
    assert names(people, people_visible_to(people[persona])) == SEES_PEOPLE[persona]


@pytest.mark.parametrize("persona", sorted(SEES_COHORTS))
def test_each_persona_sees_exactly_their_cohorts(world, persona):
    people, cohorts = world
    by_pk = {cohort.pk: name for name, cohort in cohorts.items()}
    visible = {by_pk[c.pk] for c in cohorts_visible_to(people[persona])}
    assert visible == SEES_COHORTS[persona]


def test_a_signed_out_visitor_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not people_visible_to(AnonymousUser()).exists()
    assert not cohorts_visible_to(AnonymousUser()).exists()
    assert not programmes_visible_to(AnonymousUser()).exists()


def test_a_deactivated_account_sees_nothing(world):
    people, _ = world
    people["f_ssp"].is_active = False
    assert not people_visible_to(people["f_ssp"]).exists()


def test_coordinators_see_only_the_programmes_they_coordinate(world):
    people, _ = world
    assert [p.short_name for p in programmes_visible_to(people["k_iwill"])] == [
        "I-WILL"
    ]


def test_facilitators_manage_trainees_not_colleagues(world):
    people, _ = world
    manageable = names(people, accounts_manageable_by(people["f_ssp"]))
    assert manageable == {"t_ssp", "t_yabiku", "nobody"}


def test_coordinators_manage_facilitators_and_trainees_of_their_programme(world):
    people, _ = world
    manageable = names(people, accounts_manageable_by(people["k_iwill"]))
    assert manageable == {"t_yabiku", "f_ssp"}


def test_trainees_manage_nobody(world):
    people, _ = world
    assert not accounts_manageable_by(people["t_ssp"]).exists()


def test_visibility_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    people, _ = world
    with django_assert_num_queries(2):  # the roles, then the people
        list(people_visible_to(people["k_iwill"]))
