"""A reflection session's history and usage pages open for those who run it."""

import datetime

from django.utils import timezone

import pytest

from learning.choices import Role
from mentorship.models import ReflectionSession
from tests.factories import CohortFactory, ProgrammeFactory, region, user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(organisation, facilitator, trainee):
    cohort = CohortFactory(
        programme=ProgrammeFactory(organisations=[organisation]),
        facilitators=[facilitator],
        trainees=[trainee],
    )
    start = timezone.localdate() + datetime.timedelta(days=7)
    session = ReflectionSession.objects.create(
        programme=cohort.programme,
        organisation=organisation,
        year=start.year,
        start_date=start,
        end_date=start,
        place=region("53.02.01"),
        venue="Aula Kecamatan",
    )
    session.facilitators.add(facilitator)
    return session


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
