"""A broker outage loses nothing: the task waits in the outbox, then runs once.

The app is pointed at a port where nothing listens (CI's own Redis is not
touched), a supervisor verifies hours (the trainee is to be e-mailed), and
once the app is pointed back at CI's broker the relay hands the task to CI's
worker, which e-mails the trainee once.
"""

from django.test import Client

import pytest

from learning import outbox
from learning.celery import app
from learning.models import Notification, OutboxMessage, WorkerHeartbeat
from mentorship.choices import EntryStatus
from tests.factories import HourEntryFactory, PlacementFactory
from tests.services.waiting import wait_for

pytestmark = pytest.mark.services

NOBODY_LISTENS = "redis://127.0.0.1:1/0"
MAIL_TASK = "learning.tasks.send_notification_email"


def tasks_the_worker_received() -> dict[str, int]:
    """Per task name, how many the worker took since it started."""
    replies = app.control.inspect(timeout=5).stats() or {}
    assert replies, "the worker did not answer"
    [stats] = replies.values()
    return stats.get("total", {})


@pytest.mark.django_db(transaction=True)
def test_a_task_asked_for_while_the_broker_is_down_runs_once_when_it_is_back(
    migrated_data, monkeypatch
):
    monkeypatch.setattr(outbox, "_paused_until", 0.0)
    received_before = tasks_the_worker_received().get(MAIL_TASK, 0)
    placement = PlacementFactory()
    placement.trainee.email = "peserta@example.org"
    placement.trainee.save()
    entries = HourEntryFactory.create_batch(
        2,
        placement=placement,
        status=EntryStatus.SUBMITTED,
        start_time=None,
        end_time=None,
        minutes=60,
    )
    client = Client()
    client.force_login(placement.supervisor)

    with monkeypatch.context() as outage:
        outage.setenv("CELERY_BROKER_URL", NOBODY_LISTENS)
        response = client.post(
            "/api/magang/queue/verify",
            {"uuids": [str(entry.uuid) for entry in entries]},
            content_type="application/json",
        )

        assert response.status_code == 200
        assert {e["status"] for e in response.json()} == {"terverifikasi"}
        message = OutboxMessage.objects.get()
        assert message.task_name == MAIL_TASK
        assert (message.sent_at, message.attempts) == (None, 1)
        assert "Connection refused" in message.last_error
        assert outbox.relay_pending().sent == 0  # still away

    # The broker is back (CI's, from the environment): relay what waited.
    report = outbox.relay_pending()

    assert (report.sent, report.waiting) == (1, 0)
    notification = Notification.objects.get(recipient=placement.trainee)

    def emailed():
        notification.refresh_from_db()
        return notification.emailed_at is not None

    assert wait_for(emailed), "the worker never sent the e-mail"
    # Relaying again hands nothing over; once a heartbeat queued behind has
    # been recorded (the worker takes one task at a time, in order), the
    # worker has received every task it was going to.
    assert outbox.relay_pending().sent == 0
    WorkerHeartbeat.objects.all().delete()
    outbox.enqueue(app.tasks["learning.tasks.record_worker_heartbeat"])
    assert wait_for(WorkerHeartbeat.objects.exists), "the worker stopped"
    assert tasks_the_worker_received().get(MAIL_TASK, 0) == received_before + 1
