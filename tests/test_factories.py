import pytest

from learning.choices import Role
from tests.factories import (
    HourEntryFactory,
    PlacementFactory,
    UserFactory,
    outside_placement,
    user_with_roles,
)


@pytest.mark.django_db
def test_every_factory_builds():
    user = UserFactory()
    assert user.pk and user.check_password("kata-sandi-uji-123")
    assert user_with_roles(Role.PESERTA, Role.ALUMNI).roles == [
        Role.PESERTA,
        Role.ALUMNI,
    ]
    placement = PlacementFactory()
    assert placement.supervisor and placement.start_date < placement.end_date
    assert outside_placement().has_outside_supervisor
    entry = HourEntryFactory(placement=placement)
    assert entry.trainee == placement.trainee and entry.minutes == 120
