import os

import pytest

from learning.choices import Role
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    user_with_roles,
)
from tests.factories.modules import module_with_lessons, training_tree
from tests.factories.people import PASSWORD


def pytest_sessionfinish(session, exitstatus):
    """In CI (PENDAMPING_NO_SKIPS=1) a skipped test is a failed run.

    The services and the browser are there in CI; a test that skipped there
    tested nothing, and must say so loudly.
    """
    if os.environ.get("PENDAMPING_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"FAILED: {len(skipped)} test(s) were skipped; CI runs every test.",
            red=True,
            bold=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty in-process cache: counts a throttle kept
    from earlier tests (the same address, within the minute) do not carry
    over. Only the in-process cache: clearing Redis would empty the broker."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    yield


@pytest.fixture(autouse=True)
def _privacy_notice_read(request):
    """People made by a test have read the current privacy notice, so the
    notice (asked before any other page) does not stand in front of what the
    test opens. A test of the notice itself asks for `privacy_notice_unread`
    and meets it as a new person does (tests/learning/test_privacy_notice.py).
    """
    if "privacy_notice_unread" in request.fixturenames:
        yield
        return
    from django.db.models.signals import pre_save

    from learning.models import User
    from learning.privacy import PRIVACY_NOTICE_VERSION

    def read_notice(sender, instance, **kwargs):
        if instance._state.adding and not instance.privacy_notice_version:
            instance.privacy_notice_version = PRIVACY_NOTICE_VERSION

    pre_save.connect(read_notice, sender=User, dispatch_uid="privacy-notice-read")
    yield
    pre_save.disconnect(sender=User, dispatch_uid="privacy-notice-read")


@pytest.fixture
def privacy_notice_unread():
    """Turns off `_privacy_notice_read`: new people have not read the notice."""


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with NTT's regions, as `make run` loads them."""
    from learning.regions import load_regions

    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Yayasan Uji Pendamping", short_name="YUP")


def _person_with(role: Role, username: str):
    @pytest.fixture
    def person(organisation):
        return user_with_roles(role, username=username, organisation=organisation)

    return person


trainee = _person_with(Role.PESERTA, "uji-peserta")
facilitator = _person_with(Role.FASILITATOR, "uji-fasilitator")
alumnus = _person_with(Role.ALUMNI, "uji-alumni")


@pytest.fixture
def coordinator(trainee, facilitator):
    """Coordinates a programme whose cohort the facilitator teaches to the trainee."""
    person = user_with_roles(Role.KOORDINATOR, username="uji-koordinator")
    CohortFactory(
        programme=ProgrammeFactory(coordinators=[person]),
        facilitators=[facilitator],
        trainees=[trainee],
    )
    return person


@pytest.fixture
def signed_in(client):
    """Sign `user` in through the real login form; returns the client."""

    def sign_in(user, password=PASSWORD):
        response = client.post(
            "/masuk/", {"username": user.username, "password": password}
        )
        assert response.status_code == 302, response.content[:500]
        return client

    return sign_in


# The data migrations that give the role groups their permissions, in order.
GRANT_MIGRATIONS = [
    "learning.migrations.0005_grant_role_permissions",
    "assessments.migrations.0002_grant_quiz_permissions",
    "assessments.migrations.0004_grant_competence_permissions",
    "mentorship.migrations.0002_grant_magang_permissions",
    "mentorship.migrations.0005_grant_practice_case_permissions",
]


@pytest.fixture
def migrated_data(transactional_db):
    """Rows the data migrations made, for tests that commit.

    A transactional test empties every table afterwards, taking the role
    groups and Wagtail's root page and root collection with it; put them
    back the way the migrations made them.
    """
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth.models import Group

    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page, Site

    # Documents and images are made in Wagtail's root collection.
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="Pendamping", slug="home"))
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    if not Group.objects.filter(name=Role.PESERTA.value).exists():
        import_module("learning.migrations.0002_create_role_groups").create_role_groups(
            apps, None
        )
        # And what each app's migrations grant them: without it a facilitator
        # may not edit, import questions or verify hours.
        for grants in GRANT_MIGRATIONS:
            import_module(grants).grant(apps, None)
    # The regions the session loaded went with the flush too; factories need them.
    from learning.models import Region
    from learning.regions import load_regions

    if not Region.objects.exists():
        load_regions()


@pytest.fixture
def tree(db):
    """(training home, module index, resource library)."""
    return training_tree()


@pytest.fixture
def module(tree):
    """A live module with three live lessons, open to every trainee."""
    return module_with_lessons(lessons=3, title="Konseling Awal")
