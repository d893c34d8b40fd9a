import pytest

from learning.choices import Role
from tests.factories import UserFactory, user_with_roles


@pytest.mark.django_db
def test_every_factory_builds():
    user = UserFactory()
    assert user.pk and user.check_password("kata-sandi-uji-123")
    assert user_with_roles(Role.PESERTA, Role.ALUMNI).roles == [
        Role.PESERTA,
        Role.ALUMNI,
    ]
