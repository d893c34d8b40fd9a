"""The programme's figures kept between readings
(mentorship/programme_figures/kept.py): served as kept while their records
stand, computed again after any write to them, however it was written (a
status changed with update(), rows made with bulk_create, raw SQL), never
shared between people whose reach differs, and refreshed by the task."""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

import pytest

from learning.choices import Role
from learning.models import Enrolment, Notification, WorkerHeartbeat
from mentorship.choices import EntryStatus
from mentorship.models import FiguresStamp, HourEntry, KeptFigures, Reflection
from mentorship.programme_figures import FigureFilters
from mentorship.programme_figures.kept import (
    MAX_AGE,
    figures_token,
    input_tables,
    kept_programme_figures,
    refresh_kept_figures,
    written_table,
)
from mentorship.verification import verify_entries
from tests.factories import HourEntryFactory, PlacementFactory, user_with_roles
from tests.mentorship.test_programme_view_page import (
    URL,
    World,
    get,
    soup,
    this_year,
)


@pytest.fixture
def world(db):
    return World()


def read(person, **filters):
    return kept_programme_figures(
        actor=person, filters=FigureFilters(year=this_year(), **filters)
    )


def verified_hours(person) -> Decimal:
    return read(person).figures.headline.verified_hours


def waiting_entry(world, minutes=90) -> HourEntry:
    trainee = world.trainee
    Enrolment.objects.get_or_create(cohort=world.cohort, trainee=trainee)
    return HourEntryFactory(
        placement=PlacementFactory(trainee=trainee, supervisor=world.facilitator),
        date=datetime.date(this_year(), 3, 3),
        minutes=minutes,
        status=EntryStatus.SUBMITTED,
    )


def test_a_second_reading_is_served_as_kept_without_computing(world):
    first = read(world.coordinator)
    with CaptureQueriesContext(connection) as queries:
        second = read(world.coordinator)
    assert second.current and second.made_at == first.made_at
    assert second.figures == first.figures
    # The reach (programmes coordinated), the token, the kept row: no record
    # the figures count is read.
    tables = " ".join(q["sql"] for q in queries)
    assert "mentorship_reflection" not in tables
    assert "mentorship_hourentry" not in tables
    assert len(queries) <= 4, [q["sql"][:120] for q in queries]


def test_hours_verified_with_update_show_on_the_next_reading(world):
    """Verification changes the status with a queryset update(), which sends
    no signal: the write is seen in the SQL."""
    before = verified_hours(world.coordinator)
    entry = waiting_entry(world, minutes=90)
    assert verified_hours(world.coordinator) == before
    verify_entries(entries=[entry], supervisor=world.facilitator)
    after = read(world.coordinator)
    assert after.current
    assert after.figures.headline.verified_hours == before + Decimal("1.5")


def test_the_page_shows_when_its_figures_were_computed(world):
    page = soup(get(world.coordinator))
    assert "Dihitung pukul" in page.get_text(" ", strip=True)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda w: HourEntry.objects.update(minutes=200), id="update-hours"
        ),
        pytest.param(
            lambda w: Enrolment.objects.bulk_create(
                [Enrolment(cohort=w.cohort, trainee=w.alumna)]
            ),
            id="bulk-create-enrolment",
        ),
        pytest.param(
            lambda w: Reflection.objects.filter(person__isnull=False).delete(),
            id="delete-reflections",
        ),
        pytest.param(
            lambda w: (w.programme.coordinators.add(w.facilitator), w.programme.save()),
            id="m2m-coordinators",
        ),
        pytest.param(
            lambda w: connection.cursor().execute(
                "UPDATE mentorship_reflection SET obstacles = '[]'"
            ),
            id="raw-sql",
        ),
    ],
)
def test_every_way_of_writing_the_records_names_them_anew(world, write):
    before = figures_token()
    write(world)
    assert figures_token() != before


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda w: Notification.objects.create(
                recipient=w.trainee, message="Halo", link="/"
            ),
            id="notification",
        ),
        pytest.param(
            lambda w: WorkerHeartbeat.objects.create(hostname="uji@mesin"),
            id="worker-heartbeat",
        ),
        pytest.param(
            lambda w: KeptFigures.objects.all().delete(), id="kept-figures-themselves"
        ),
    ],
)
def test_writes_the_figures_do_not_count_leave_them_standing(world, write):
    read(world.coordinator)
    before = figures_token()
    write(world)
    assert figures_token() == before


def test_a_write_rolled_back_leaves_no_stamp(world):
    before = figures_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        HourEntry.objects.update(minutes=1)
        assert figures_token() != before
        raise RuntimeError
    assert figures_token() == before


def test_the_written_table_is_read_from_the_statement():
    assert written_table('INSERT INTO "mentorship_hourentry" ("a") VALUES (1)') == (
        "mentorship_hourentry"
    )
    assert written_table(' update "learning_user" SET x = 1') == "learning_user"
    assert written_table('DELETE FROM "learning_enrolment" WHERE 1') == (
        "learning_enrolment"
    )
    assert written_table('SELECT * FROM "mentorship_hourentry"') is None
    assert written_table("") is None
    assert written_table(None) is None
    assert written_table("\x00UPDATE") is None
    assert {"mentorship_hourentry", "learning_programme_coordinators"} <= (
        input_tables()
    )
    assert "learning_auditevent" not in input_tables()


def test_people_whose_reach_differs_never_share_a_reading(world):
    """A facilitator's figures hide small counts and cover her organisation;
    her colleague's reading is computed for her colleague."""
    coordinator = read(world.coordinator).figures
    facilitator = read(world.facilitator).figures
    other = read(world.other_facilitator).figures
    assert KeptFigures.objects.count() == 3
    assert coordinator.headline.cases_accompanied == 104
    assert other.headline.cases_accompanied == 0
    assert facilitator != other


def test_coordinators_of_the_same_programmes_share_one_reading(world):
    colleague = user_with_roles(Role.KOORDINATOR, username="koor-kedua")
    world.programme.coordinators.add(colleague)
    world.programme.save()
    read(world.coordinator)
    read(colleague)
    assert KeptFigures.objects.count() == 1


def test_each_language_is_kept_apart(world):
    with translation.override("id"):
        indonesian = read(world.coordinator).figures
    with translation.override("en"):
        english = read(world.coordinator).figures
    assert KeptFigures.objects.count() == 2
    assert indonesian.tables["kendala"].title != english.tables["kendala"].title


def test_a_reading_older_than_an_hour_is_computed_again(world):
    """A change no stamp saw (a restore, an SQL session outside Django)
    stands in the kept figures for an hour at most."""

    def cases() -> int:
        return read(world.coordinator).figures.headline.cases_accompanied

    assert cases() == 104
    last = FiguresStamp.objects.latest("pk").pk
    Reflection.objects.all().delete()
    FiguresStamp.objects.filter(pk__gt=last).delete()  # as if unseen
    assert cases() == 104
    KeptFigures.objects.update(made_at=timezone.now() - MAX_AGE - timedelta(seconds=1))
    assert cases() == 0


def test_while_another_reader_computes_a_page_shows_the_kept_figures_marked(world):
    from django.core.cache import cache

    from mentorship.programme_figures.kept import reading_key, resolve_scope

    before = read(world.coordinator).figures.headline.verified_hours
    verify_entries(entries=[waiting_entry(world, 60)], supervisor=world.facilitator)
    filters = FigureFilters(year=this_year())
    key = reading_key(
        resolve_scope(world.coordinator, filters), this_year(), world.coordinator
    )
    cache.add(f"angka:menghitung:{key}", 1, 60)  # someone else is computing
    try:
        stale = read(world.coordinator)
        assert not stale.current
        assert stale.figures.headline.verified_hours == before
        text = soup(get(world.coordinator)).get_text(" ", strip=True)
        assert "sedang dihitung ulang" in text
        # A file is always current: it waits for nobody's reading.
        exact = kept_programme_figures(
            actor=world.coordinator, filters=filters, exact=True
        )
        assert exact.current
        assert exact.figures.headline.verified_hours == before + 1
    finally:
        cache.delete(f"angka:menghitung:{key}")


def test_the_task_computes_changed_readings_so_the_next_reader_waits_for_none(world):
    read(world.coordinator)
    read(world.facilitator)
    assert refresh_kept_figures() == 0  # nothing changed
    verify_entries(entries=[waiting_entry(world, 120)], supervisor=world.facilitator)
    assert refresh_kept_figures() == 2
    with CaptureQueriesContext(connection) as queries:
        reading = read(world.coordinator)
    assert reading.current
    assert "mentorship_hourentry" not in " ".join(q["sql"] for q in queries)


def test_the_task_forgets_a_reading_whose_reader_lost_her_reach(world):
    read(world.coordinator)
    world.programme.coordinators.remove(world.coordinator)
    world.programme.save()
    assert refresh_kept_figures() == 0
    assert not KeptFigures.objects.exists()


def test_the_task_forgets_readings_nobody_read_for_a_month(world):
    read(world.coordinator)
    KeptFigures.objects.update(read_at=timezone.now() - timedelta(days=31))
    refresh_kept_figures()
    assert not KeptFigures.objects.exists()


def test_the_home_panel_reads_the_kept_figures(world):
    client_page = get(world.coordinator, url="/admin/")
    assert client_page.status_code == 200
    assert KeptFigures.objects.count() == 1
    get(world.coordinator, url=URL)  # the same reach, year and language
    assert KeptFigures.objects.count() == 1


def _twenty_readers_at_once(world):
    from tests.concurrency import all_at_once

    def reader():
        return read(world.coordinator).figures.headline.cases_accompanied

    assert all_at_once([reader] * 20) == [104] * 20
    assert KeptFigures.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_readers_at_once_keep_one_reading():
    _twenty_readers_at_once(World())


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_readers_at_once_keep_one_reading_on_postgresql():
    assert connection.vendor == "postgresql"
    _twenty_readers_at_once(World())
