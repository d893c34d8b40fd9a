"""The weekly digest: supervisors hear of waiting hours, trainees of old drafts."""

import datetime

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

import pytest

from learning.celery import app as celery_app
from learning.models import Notification
from mentorship.choices import EntryStatus
from mentorship.digests import DigestCounts, send_weekly_digests
from mentorship.links import hours_queue_url as queue_url
from mentorship.tasks import send_weekly_digests as digest_task
from tests.factories import HourEntryFactory, PlacementFactory, outside_placement

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def placement():
    placement = PlacementFactory()
    placement.supervisor.email = "pembimbing@example.org"
    placement.supervisor.save()
    placement.trainee.email = "peserta@example.org"
    placement.trainee.save()
    return placement


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Send the digests as the worker does: e-mails go out after commit."""

    def run_digests(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send_weekly_digests(**kwargs)

    return run_digests


def waiting(placement, count=1, minutes=120):
    return [
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=timezone.localdate() - datetime.timedelta(days=2 + number),
            start_time=None,
            end_time=None,
            minutes=minutes,
        )
        for number in range(count)
    ]


def old_drafts(placement, count=1):
    return [
        HourEntryFactory(
            placement=placement,
            date=timezone.localdate() - datetime.timedelta(days=10 + number),
            created_at=days_ago(12),
        )
        for number in range(count)
    ]


def test_a_supervisor_hears_how_many_hours_wait_for_them(run, placement):
    waiting(placement, count=2, minutes=75)
    assert run() == DigestCounts(supervisors=1, trainees=0)
    notification = Notification.objects.get(recipient=placement.supervisor)
    assert notification.message == "2,5 jam magang menunggu verifikasi kamu"
    assert notification.link.startswith(queue_url())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pembimbing@example.org"]
    assert "2 catatan" in mail.outbox[0].body
    assert notification.link in mail.outbox[0].body


def test_a_trainee_hears_of_drafts_older_than_a_day(run, placement):
    old_drafts(placement, count=3)
    HourEntryFactory(placement=placement, date=timezone.localdate())  # made today
    assert run() == DigestCounts(supervisors=0, trainees=1)
    notification = Notification.objects.get(recipient=placement.trainee)
    assert notification.message == ("Kamu punya 3 draf jam magang yang belum diajukan")
    assert notification.link.startswith(reverse("mentorship:log"))
    assert mail.outbox[0].to == ["peserta@example.org"]


def test_fresh_drafts_and_finished_entries_wait_for_nobody(run, placement):
    HourEntryFactory(placement=placement)  # a draft made just now
    HourEntryFactory(
        placement=placement,
        status=EntryStatus.VERIFIED,
        date=timezone.localdate() - datetime.timedelta(days=6),
        created_at=days_ago(6),
    )
    HourEntryFactory(
        placement=placement,
        status=EntryStatus.RETURNED,
        date=timezone.localdate() - datetime.timedelta(days=7),
        created_at=days_ago(7),
    )
    assert run() == DigestCounts()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_nothing_is_sent_when_nothing_waits(run):
    PlacementFactory()
    assert run() == DigestCounts()
    assert not Notification.objects.exists()


def test_outside_supervisors_and_inactive_people_get_nothing(run, placement):
    outside = outside_placement()
    waiting(outside)
    waiting(placement)
    placement.supervisor.is_active = False
    placement.supervisor.save()
    assert run() == DigestCounts()
    assert not Notification.objects.exists()


def test_each_person_is_told_once_with_everything_together(run, placement):
    second = PlacementFactory(
        supervisor=placement.supervisor, trainee=placement.trainee
    )
    waiting(placement)
    waiting(second)
    old_drafts(placement)
    old_drafts(second)
    assert run() == DigestCounts(supervisors=1, trainees=1)
    assert Notification.objects.get(recipient=placement.supervisor).message == (
        "4 jam magang menunggu verifikasi kamu"
    )
    assert "2 draf" in Notification.objects.get(recipient=placement.trainee).message


def test_running_twice_in_a_week_sends_once(run, placement):
    waiting(placement)
    old_drafts(placement)
    monday = timezone.localdate() - datetime.timedelta(
        days=timezone.localdate().weekday()
    )
    assert run(today=monday) == DigestCounts(supervisors=1, trainees=1)
    waiting(placement, count=2)  # more arrives during the week

    assert run(today=monday + datetime.timedelta(days=3)) == DigestCounts()
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2

    next_monday = monday + datetime.timedelta(days=7)
    assert run(today=next_monday) == DigestCounts(supervisors=1, trainees=1)
    assert Notification.objects.count() == 4


def test_other_notifications_do_not_stop_the_digest(run, placement):
    from learning.notifications import notify

    notify(
        recipient=placement.trainee,
        message="1 catatan jam magangmu diverifikasi.",
        link=reverse("mentorship:log"),
    )
    old_drafts(placement)
    assert run().trainees == 1


def test_the_digest_takes_the_same_queries_for_few_or_many_entries(
    run, django_assert_max_num_queries
):
    placements = [PlacementFactory() for _ in range(2)]
    for placement in placements:
        waiting(placement)
        old_drafts(placement)
    with django_assert_max_num_queries(30) as few:
        assert run() == DigestCounts(supervisors=2, trainees=2)

    Notification.objects.all().delete()
    for placement in placements:
        waiting(placement, count=15)
        old_drafts(placement, count=15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert run() == DigestCounts(supervisors=2, trainees=2)


def test_the_task_sends_the_digests(placement, django_capture_on_commit_callbacks):
    waiting(placement)
    with django_capture_on_commit_callbacks(execute=True):
        result = digest_task.apply().get()
    assert result == {"supervisors": 1, "trainees": 0}
    assert Notification.objects.filter(recipient=placement.supervisor).exists()


def test_every_beat_entry_names_a_registered_task():
    celery_app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = import_string(entry["task"])
        assert task.name == entry["task"], name
        assert entry["task"] in celery_app.tasks, name
    digest = settings.CELERY_BEAT_SCHEDULE["magang-weekly-digest"]
    assert digest["task"] == digest_task.name


def test_the_supervisors_link_opens_their_queue(run, placement, client):
    entry = waiting(placement)[0]
    run()
    link = Notification.objects.get(recipient=placement.supervisor).link
    client.force_login(placement.supervisor)
    page = client.get(link)
    assert page.status_code == 200
    assert reverse("mentorship_hourentry:inspect", args=[entry.pk]) in (
        page.content.decode()
    )
