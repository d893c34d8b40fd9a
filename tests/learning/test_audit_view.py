"""The audit trail's admin listing: who may read which lines, the filters
with ugly input, the query count, the retention task."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from learning import audit
from learning.choices import AuditAction, Role
from learning.models import AuditEvent
from learning.tasks import purge_audit_trail
from tests.factories import OrganisationFactory, ProgrammeFactory, user_with_roles
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db

URL = "/admin/jejak-audit/"
RESULTS = "/admin/jejak-audit/hasil/"


@pytest.fixture
def world():
    organisation = OrganisationFactory()
    coordinator = user_with_roles(
        Role.KOORDINATOR, organisation=organisation, username="koord-ini"
    )
    other_coordinator = user_with_roles(
        Role.KOORDINATOR, organisation=organisation, username="koord-lain"
    )
    facilitator = user_with_roles(
        Role.FASILITATOR, organisation=organisation, username="fasil"
    )
    trainee = user_with_roles(Role.PESERTA, organisation=organisation, username="murid")
    ours = ProgrammeFactory(
        name="Program Kita", organisations=[organisation], coordinators=[coordinator]
    )
    theirs = ProgrammeFactory(
        name="Program Sana",
        organisations=[organisation],
        coordinators=[other_coordinator],
    )
    superuser = user_with_roles(username="akar", is_superuser=True, is_staff=True)
    return {
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "facilitator": facilitator,
        "trainee": trainee,
        "superuser": superuser,
        "ours": ours,
        "theirs": theirs,
    }


def _line(world, programme, label, **fields):
    return audit.record(
        fields.pop("action", AuditAction.EXPORTED),
        actor=fields.pop("actor", world["facilitator"]),
        target_label=label,
        subject=fields.pop("subject", world["trainee"]),
        programme=programme,
        **fields,
    )


@pytest.fixture
def lines(world):
    _line(world, world["ours"], "Baris program kita")
    _line(world, world["theirs"], "Baris program sana")
    _line(world, None, "Baris tanpa program")


def test_the_coordinator_sees_only_their_programmes_lines(world, lines):
    response = client_for(world["coordinator"]).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Baris program kita" in text
    assert "Baris program sana" not in text
    assert "Baris tanpa program" not in text
    assert "Program Kita" in text


def test_the_other_coordinator_sees_only_theirs(world, lines):
    text = client_for(world["other_coordinator"]).get(URL).content.decode()
    assert "Baris program sana" in text
    assert "Baris program kita" not in text and "Baris tanpa program" not in text


def test_a_superuser_sees_every_line(world, lines):
    text = client_for(world["superuser"]).get(URL).content.decode()
    for label in ("Baris program kita", "Baris program sana", "Baris tanpa program"):
        assert label in text


def test_a_coordinator_of_no_programme_sees_nothing(world, lines):
    nobody = user_with_roles(Role.KOORDINATOR, username="koord-kosong")
    response = client_for(nobody).get(URL)
    assert response.status_code == 200
    assert "Baris program" not in response.content.decode()


@pytest.mark.parametrize("url", [URL, RESULTS])
def test_facilitators_are_refused_and_trainees_and_strangers_sent_to_sign_in(
    world, lines, url
):
    response = client_for(world["facilitator"]).get(url)
    assert response.status_code == 403
    assert "Baris program" not in response.content.decode()
    for person in (world["trainee"], None):
        response = client_for(person).get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_the_menu_item_is_shown_only_to_those_who_may_read(world):
    assert URL in client_for(world["coordinator"]).get("/admin/").content.decode()
    assert URL not in client_for(world["facilitator"]).get("/admin/").content.decode()


def test_nobody_can_write_a_line_through_the_listing(world, lines):
    client = client_for(world["superuser"])
    before = AuditEvent.objects.count()
    for method in ("post", "put", "delete"):
        response = getattr(client, method)(URL)
        assert response.status_code == 405
    assert AuditEvent.objects.count() == before


def test_lines_are_newest_first_in_wita(world):
    _line(world, world["ours"], "Baris lama")
    AuditEvent.objects.create(
        action=AuditAction.EXPORTED,
        at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC),
        target_label="Baris Maret",
        programme=world["ours"],
    )
    text = client_for(world["coordinator"]).get(URL).content.decode()
    assert text.index("Baris lama") < text.index("Baris Maret")
    # 23:30 UTC is 07:30 the next morning in WITA.
    assert "2 Mar 2026 07:30" in text or "2 Mar. 2026 07:30" in text


def test_filter_by_action_person_and_dates(world):
    client = client_for(world["coordinator"])
    _line(world, world["ours"], "Unduhan murid")
    _line(
        world,
        world["ours"],
        "Sandi orang lain",
        action=AuditAction.TEMPORARY_PASSWORD,
        subject=world["coordinator"],
    )
    text = client.get(
        URL, {"tindakan": AuditAction.TEMPORARY_PASSWORD}
    ).content.decode()
    assert "Sandi orang lain" in text and "Unduhan murid" not in text
    text = client.get(URL, {"orang": "MURID"}).content.decode()
    assert "Unduhan murid" in text and "Sandi orang lain" not in text
    # The actor counts too: the facilitator did both.
    text = client.get(URL, {"orang": "fasil"}).content.decode()
    assert "Unduhan murid" in text and "Sandi orang lain" in text
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    text = client.get(URL, {"dari": tomorrow.isoformat()}).content.decode()
    assert "Unduhan murid" not in text
    text = client.get(
        URL, {"dari": today.isoformat(), "sampai": today.isoformat()}
    ).content.decode()
    assert "Unduhan murid" in text


@pytest.mark.parametrize("url", [URL, RESULTS])
@pytest.mark.parametrize(
    "query",
    [
        {"dari": "2026-13-45"},
        {"sampai": "'; DROP TABLE learning_auditevent;--"},
        {"orang": "mur\x00id"},
        {"orang": "x" * 5000},
        {"tindakan": "bukan.tindakan"},
    ],
)
def test_ugly_filters_show_a_message_and_no_lines(world, lines, url, query):
    response = client_for(world["superuser"]).get(url, query)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Saringan tidak bisa dibaca" in text
    assert "Baris program" not in text


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "abc", "\x00", "0"])
def test_odd_page_numbers_answer_a_page(world, lines, page):
    response = client_for(world["superuser"]).get(URL, {"p": page})
    assert response.status_code == 200


def test_a_quote_in_the_person_filter_finds_nothing_quietly(world, lines):
    response = client_for(world["superuser"]).get(URL, {"orang": "o'brien\""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Baris program" not in text and "Saringan tidak bisa dibaca" not in text


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_lines(world):
    client = client_for(world["coordinator"])
    people = [user_with_roles(Role.PESERTA) for _ in range(3)]
    for index in range(3):
        _line(world, world["ours"], f"a{index}", subject=people[index])
    client.get(URL)  # warm caches (site, menu)
    few = _queries(client)
    for index in range(40):
        _line(
            world,
            world["ours"] if index % 2 else world["theirs"],
            f"b{index}",
            subject=user_with_roles(Role.PESERTA),
            actor=user_with_roles(Role.FASILITATOR),
        )
    assert _queries(client) == few


def test_the_page_fits_a_small_phone(world, lines):
    """No wide fixed layout of its own: Wagtail's listing table scrolls in its
    own box, and the filters sit in the drawer."""
    text = client_for(world["coordinator"]).get(URL).content.decode()
    assert 'name="viewport"' in text
    assert "width=device-width" in text


# --- retention ---------------------------------------------------------------------


def test_the_daily_task_purges_only_old_lines(world, settings):
    settings.PENDAMPING_AUDIT_KEEP_DAYS = 10
    now = timezone.now()
    old = AuditEvent.objects.create(
        action=AuditAction.EXPORTED, at=now - datetime.timedelta(days=11)
    )
    kept = AuditEvent.objects.create(
        action=AuditAction.EXPORTED, at=now - datetime.timedelta(days=9)
    )
    assert purge_audit_trail.apply().get() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert purge_audit_trail.apply().get() == 0


def test_the_purge_runs_daily_on_beat():
    from learning.settings import celery as celery_settings

    entry = celery_settings.CELERY_BEAT_SCHEDULE["purge-audit-trail"]
    assert entry["task"] == "learning.tasks.purge_audit_trail"
    assert entry["schedule"].hour == {2}
    from learning.celery import app

    app.loader.import_default_modules()
    assert "learning.tasks.purge_audit_trail" in app.tasks


def test_reverse_names():
    assert reverse("learning_audit_trail") == URL
