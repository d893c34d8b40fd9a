from django.contrib.auth.models import Group
from django.test import Client

import factory

from learning.choices import Role
from learning.models import User

PASSWORD = "kata-sandi-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"orang{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    password = factory.django.Password(PASSWORD)


def user_with_roles(*roles: Role, **fields) -> User:
    """A saved user holding `roles` (groups created by the role migration)."""
    user = UserFactory(**fields)
    user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles]))
    return user


def client_for(person: User | None, password: str = PASSWORD) -> Client:
    """A browser of its own, signed in through the login form (or anonymous).

    For tests that need several people at once: the `signed_in` fixture
    shares one client, and a signed-in client does not sign in again.
    """
    client = Client()
    if person is not None:
        response = client.post(
            "/masuk/", {"username": person.username, "password": password}
        )
        assert response.status_code == 302, person.username
    return client
