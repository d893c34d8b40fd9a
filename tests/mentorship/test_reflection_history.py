"""A reflection session's history and usage pages open for those who run it."""

import pytest

from learning.choices import Role
from tests.factories import reflection_session, user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(organisation, facilitator, trainee):
    return reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[trainee]
    )


@pytest.mark.parametrize("page", ["history", "usage"])
def test_the_sessions_history_and_usage_open_for_its_facilitator(
    signed_in, facilitator, session, page
):
    response = signed_in(facilitator).get(f"/admin/refleksi/{page}/{session.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["history", "usage"])
def test_a_facilitator_elsewhere_cannot_open_them(signed_in, session, page):
    elsewhere = user_with_roles(Role.FASILITATOR, username="fasilitator-lain")
    response = signed_in(elsewhere).get(f"/admin/refleksi/{page}/{session.pk}/")
    assert response.status_code in (302, 403, 404)
