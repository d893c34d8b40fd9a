"""The admin's menu is built once per person and reused (learning.admin_sidebar):
never another person's, a new role shows at once, in the person's language."""

from django.conf import settings
from django.contrib.auth.models import Group

import pytest

from learning.choices import Role
from tests.admin_pages import sidebar
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db


def test_each_person_gets_their_own_menu(facilitator, coordinator):
    coordinators = sidebar(client_for(coordinator))
    facilitators = sidebar(client_for(facilitator))
    assert "Jejak audit" in coordinators
    assert "Jejak audit" not in facilitators
    # Once both are kept, each still gets their own.
    assert sidebar(client_for(coordinator)) == coordinators
    assert sidebar(client_for(facilitator)) == facilitators


def test_a_new_role_shows_in_the_menu_at_once(facilitator):
    client = client_for(facilitator)
    assert "Jejak audit" not in sidebar(client)
    facilitator.groups.add(Group.objects.get(name=Role.KOORDINATOR.value))
    assert "Jejak audit" in sidebar(client)


def test_the_menu_follows_the_persons_language(facilitator):
    client = client_for(facilitator)
    indonesian = sidebar(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = sidebar(client)
    assert "Kuis" in indonesian and "Kuis" not in english
    assert "Quiz" in english
