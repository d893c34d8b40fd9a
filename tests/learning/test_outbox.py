"""The outbox: a task is written with its record, and leaves once that commits.

Tests run the tasks the outbox hands over in their own process (test
settings); the broker outage on the real services is in
tests/services/test_outbox_relay.py.
"""

import logging
import socket
import threading
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

import pytest

from learning import outbox
from learning.celery import app
from learning.models import Notification, OutboxMessage, PeopleImport
from learning.notifications import notify
from learning.people_import import _queue
from learning.tasks import MAIL_MAX_RETRIES, send_notification_email
from mentorship.choices import EntryStatus
from modules.booklets import request_booklet
from tests.factories import HourEntryFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(trainee):
    trainee.email = "peserta@example.org"
    trainee.save()
    return trainee


class RefusingMailServer:
    """A real mail server on a real port that answers every connection
    "421 try again later" (as a busy or broken one does), and counts them."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                self.connections += 1
                connection.sendall(b"421 4.3.2 Layanan sibuk, coba lagi nanti\r\n")

    def close(self):
        self.listener.close()


@pytest.fixture
def refusing_mail_server(settings):
    server = RefusingMailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.close()


# --- Written with the record -------------------------------------------------


def test_the_task_is_written_with_its_record_and_leaves_after_the_commit(
    reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipient=reader, message="Jam magangmu diverifikasi.")
        message = OutboxMessage.objects.get()
        assert message.task_name == "learning.tasks.send_notification_email"
        assert message.args == [Notification.objects.get().pk]
        assert message.sent_at is None
        assert mail.outbox == []  # nothing leaves before the commit

    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert [m.to for m in mail.outbox] == [["peserta@example.org"]]


def test_a_rolled_back_transaction_leaves_no_task(
    reader, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipient=reader, message="Tidak jadi.")
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the rule refused after notifying")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_every_call_site_queues_through_the_outbox(
    module, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        request_booklet(module=module)
        _queue(PeopleImport.objects.create(requested_by=reader))
        notify(recipient=reader, message="Ada kabar.")

    assert sorted(OutboxMessage.objects.values_list("task_name", flat=True)) == [
        "learning.tasks.run_people_import",
        "learning.tasks.send_notification_email",
        "modules.tasks.build_booklet_task",
    ]


# --- The mail task -------------------------------------------------------------


@pytest.fixture
def verify_hours(client):
    """A supervisor verifies three entries through the API: the trainee (who
    has an e-mail address) is notified. Returns the response."""

    def verify():
        placement = PlacementFactory()
        placement.trainee.email = "peserta@example.org"
        placement.trainee.save()
        entries = HourEntryFactory.create_batch(
            3,
            placement=placement,
            status=EntryStatus.SUBMITTED,
            start_time=None,
            end_time=None,
            minutes=60,
        )
        client.force_login(placement.supervisor)
        return client.post(
            "/api/magang/queue/verify",
            {"uuids": [str(entry.uuid) for entry in entries]},
            content_type="application/json",
        )

    return verify


def test_a_refusing_mail_server_is_retried_and_the_request_is_unaffected(
    verify_hours, refusing_mail_server, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        response = verify_hours()

    # The request answered without touching the mail server.
    assert response.status_code == 200
    assert refusing_mail_server.connections == 0
    notification = Notification.objects.get()

    caplog.set_level(logging.WARNING, logger="learning.tasks")
    for callback in after_commit:  # what runs once the request's work committed
        callback()

    # Tried once and retried MAIL_MAX_RETRIES times, each failure logged, then
    # given up: the notification stays in the app, not marked e-mailed.
    assert refusing_mail_server.connections == MAIL_MAX_RETRIES + 1
    retries = [r for r in caplog.records if "retrying" in r.getMessage()]
    given_up = [r for r in caplog.records if "given up" in r.getMessage()]
    assert len(retries) == MAIL_MAX_RETRIES
    assert all(r.levelno == logging.WARNING for r in retries)
    assert len(given_up) == 1 and given_up[0].levelno == logging.ERROR
    assert "421" in given_up[0].getMessage()
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert OutboxMessage.objects.get().sent_at is not None  # the broker had it


def test_the_mail_goes_out_once_the_server_is_back_and_only_once(
    reader, settings, refusing_mail_server
):
    with transaction.atomic():
        notification = notify(recipient=reader, message="Refleksi tahunan.")
    send_notification_email.apply(args=[notification.pk])
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notification_email.apply(args=[notification.pk]).get() is True
    assert send_notification_email.apply(args=[notification.pk]).get() is False

    assert [m.to for m in mail.outbox] == [["peserta@example.org"]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_mail_carries_the_longer_body_and_the_full_link(reader, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://pendamping.example.org/"
    notification = notify(
        recipient=reader,
        message="Pengingat mingguan.",
        link="/magang/",
        email_body="Ada 2 draf yang belum diajukan.",
    )
    send_notification_email.apply(args=[notification.pk])
    [sent] = mail.outbox
    assert sent.subject == "Pendamping: Pengingat mingguan."
    assert sent.body == (
        "Ada 2 draf yang belum diajukan.\n\nhttps://pendamping.example.org/magang/"
    )


def test_a_notification_deleted_before_its_mail_is_skipped(reader):
    notification = notify(recipient=reader, message="Akun dihapus.")
    Notification.objects.filter(pk=notification.pk).delete()
    assert send_notification_email.apply(args=[notification.pk]).get() is False
    assert mail.outbox == []


# --- Relaying what waits ----------------------------------------------------------


@pytest.fixture
def broker_down(tmp_path, monkeypatch):
    """The broker is away: the file-system broker's folders were never made
    (a real refusal from the transport, no server needed)."""
    missing = tmp_path / "belum-dibuat"
    monkeypatch.setattr(outbox, "_paused_until", 0.0)
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")
    monkeypatch.setitem(
        app.conf,
        "broker_transport_options",
        {
            "data_folder_in": str(missing / "queue"),
            "data_folder_out": str(missing / "queue"),
            "control_folder": str(missing / "control"),
        },
    )
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    return missing


def test_a_broker_outage_leaves_the_task_waiting_and_the_request_answers(
    verify_hours, reader, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = verify_hours()

    assert response.status_code == 200
    assert Notification.objects.get().emailed_at is None
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "No such file or directory" in message.last_error
    # Hand-overs right after a commit pause a while; the relay keeps trying.
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=reader, message="Sesudahnya.")
    assert OutboxMessage.objects.filter(attempts=0).count() == 1


def test_the_relay_hands_over_the_oldest_first_and_each_once(reader, facilitator):
    facilitator.email = "fasilitator@example.org"
    facilitator.save()
    notify(recipient=reader, message="Kedua.")
    notify(recipient=facilitator, message="Pertama.")
    OutboxMessage.objects.filter(
        args=[Notification.objects.get(message="Pertama.").pk]
    ).update(created_at=timezone.now() - timedelta(hours=1))

    report = outbox.relay_pending()
    again = outbox.relay_pending()

    assert (report.sent, report.waiting) == (2, 0)
    assert (again.sent, again.waiting) == (0, 0)
    # Handed over is run here (test settings), in the order handed over.
    assert [m.subject for m in mail.outbox] == [
        "Pendamping: Pertama.",
        "Pendamping: Kedua.",
    ]


def test_the_relay_stops_at_an_outage_and_the_command_says_what_waits(
    reader, broker_down, capsys
):
    for number in range(3):
        # Inside the test's transaction: nothing was handed over after commit.
        notify(recipient=reader, message=f"Menunggu {number}")

    call_command("relay_outbox")

    assert "0 tugas diserahkan, 3 masih menunggu." in capsys.readouterr().out
    # One attempt at the oldest, none at the others: the broker is away.
    assert list(
        OutboxMessage.objects.order_by("pk").values_list("attempts", flat=True)
    ) == [1, 0, 0]
    assert not broker_down.exists()  # relaying makes no folders


def test_rows_sent_long_ago_are_forgotten(reader):
    notify(recipient=reader, message="Lama.")
    OutboxMessage.objects.update(
        sent_at=timezone.now() - outbox.KEEP_SENT_FOR - timedelta(hours=1)
    )
    assert outbox.relay_pending().deleted == 1
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_relays_running_at_once_hand_each_task_over_once(monkeypatch):
    # Twenty tasks committed while hand-overs after commit were paused.
    monkeypatch.setattr(outbox, "_paused_until", float("inf"))
    for number in range(20):
        person = UserFactory(email=f"orang{number}@example.org")
        notify(recipient=person, message=f"Kabar {number}")
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 20
    monkeypatch.setattr(outbox, "_paused_until", 0.0)

    barrier = threading.Barrier(4)
    reports = []

    def relay():
        try:
            barrier.wait()
            reports.append(outbox.relay_pending(limit=20))
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(report.sent for report in reports) == 20
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    assert len(mail.outbox) == 20
    assert len({m.to[0] for m in mail.outbox}) == 20
