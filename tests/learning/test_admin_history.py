"""Audit history and usage pages open for what one may see, and only that."""

import datetime

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


def test_deleting_an_organisation_still_in_use_is_refused_in_words(
    client, organisation, trainee
):
    from learning.models import Organisation, User
    from mentorship.models import Placement

    Placement.objects.create(
        trainee=trainee,
        host=organisation,
        start_date=datetime.date(2022, 3, 1),
        end_date=datetime.date(2022, 6, 30),
        outside_supervisor_name="Ibu Pembimbing",
    )
    admin = User.objects.create_superuser(username="super-uji", password="x" * 12)
    client.force_login(admin)
    response = client.post(
        f"/admin/organisation/delete/{organisation.pk}/", follow=True
    )
    assert response.status_code == 200
    assert "tidak dapat dihapus karena masih dipakai" in response.content.decode()
    assert Organisation.objects.filter(pk=organisation.pk).exists()
