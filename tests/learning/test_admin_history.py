"""Audit history and usage pages open for what one may see, and only that."""

import pytest

from learning.choices import Role
from tests.factories import CohortFactory, OrganisationFactory, user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger():
    """An account in another organisation, outside the facilitator's scope."""
    return user_with_roles(
        Role.PESERTA,
        username="akun-lembaga-lain",
        organisation=OrganisationFactory(short_name="LAIN"),
    )


def test_a_persons_history_opens_for_their_facilitator(signed_in, facilitator, trainee):
    response = signed_in(facilitator).get(f"/admin/users/history/{trainee.pk}/")
    assert response.status_code == 200
    assert trainee.display_name in response.content.decode()


def test_a_cohorts_history_opens_for_its_facilitator(signed_in, facilitator, trainee):
    cohort = CohortFactory(facilitators=[facilitator], trainees=[trainee])
    response = signed_in(facilitator).get(f"/admin/cohort/history/{cohort.pk}/")
    assert response.status_code == 200


def test_the_usage_page_of_an_account_outside_scope_is_refused(
    signed_in, facilitator, trainee, stranger
):
    client = signed_in(facilitator)
    assert client.get(f"/admin/users/usage/{trainee.pk}/").status_code == 200
    refused = client.get(f"/admin/users/usage/{stranger.pk}/")
    assert refused.status_code != 200
    assert stranger.username not in refused.content.decode()


def test_history_of_an_account_outside_scope_is_refused(
    signed_in, facilitator, stranger
):
    response = signed_in(facilitator).get(f"/admin/users/history/{stranger.pk}/")
    assert response.status_code != 200
    assert stranger.username not in response.content.decode()
