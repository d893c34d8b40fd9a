"""The weekly magang digest sent by the real Celery worker that CI starts."""

import datetime

from django.utils import timezone

import pytest

from learning.models import Notification, WorkerHeartbeat
from learning.tasks import record_worker_heartbeat
from mentorship.choices import EntryStatus
from mentorship.tasks import send_weekly_digests
from tests.factories import HourEntryFactory, PlacementFactory
from tests.services.waiting import wait_for

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_weekly_digest_once(migrated_data):
    placement = PlacementFactory()
    HourEntryFactory(
        placement=placement,
        status=EntryStatus.SUBMITTED,
        date=timezone.localdate() - datetime.timedelta(days=2),
    )
    HourEntryFactory(
        placement=placement,
        date=timezone.localdate() - datetime.timedelta(days=5),
        created_at=timezone.now() - datetime.timedelta(days=5),
    )
    supervisor, trainee = placement.supervisor, placement.trainee

    # Outside a transaction the task leaves at once, as after a commit.
    send_weekly_digests.delay()

    def both_told():
        return set(Notification.objects.values_list("recipient_id", flat=True)) == {
            supervisor.pk,
            trainee.pk,
        }

    assert wait_for(both_told), "the worker never sent the digest"
    assert "menunggu verifikasi" in (
        Notification.objects.get(recipient=supervisor).message
    )
    assert "1 draf" in Notification.objects.get(recipient=trainee).message

    # A second run in the same week (a retry, a second beat) tells nobody again.
    # The worker takes one task at a time, in order: once the heartbeat queued
    # behind it is recorded, the second digest has run.
    send_weekly_digests.delay()
    record_worker_heartbeat.delay()
    assert wait_for(WorkerHeartbeat.objects.exists), "the worker stopped"
    assert Notification.objects.count() == 2
