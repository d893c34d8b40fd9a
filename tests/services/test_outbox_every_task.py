"""A broker outage loses no kind of task: each waits in the outbox, then runs.

Every kind of task the project queues from a person's action is asked for
while the app points at a port where nothing listens (CI's own Redis is
untouched): a certificate's PDF, a people import, a module booklet, a
notification's e-mail, a password-reset e-mail and an "Unduh data saya"
export. Each waits as a row;
once the app points back at CI's broker the relay hands each over once and
CI's worker does what it was asked.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

import pytest

from assessments.certification import issue_certificate
from assessments.models import CertificationRule
from learning import outbox
from learning.celery import app
from learning.choices import ImportStatus, Role
from learning.forms import QueuedPasswordResetForm
from learning.models import (
    Notification,
    OutboxMessage,
    PeopleImport,
    User,
    WorkerHeartbeat,
)
from learning.notifications import notify
from learning.people_import import BACKGROUND_AFTER
from learning.people_sheet import COLUMNS
from learning.personal_data import Kind, Status, request_export
from modules.booklets import request_booklet
from modules.choices import BookletStatus
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.modules import module_with_lessons
from tests.factories.people import user_with_roles
from tests.factories.programmes import CohortFactory, ProgrammeFactory
from tests.services.waiting import wait_for

pytestmark = pytest.mark.services

NOBODY_LISTENS = "redis://127.0.0.1:1/0"
ROWS = BACKGROUND_AFTER + 1  # big enough for the worker
EVERY_KIND = [
    "assessments.tasks.build_certificate_pdf",
    "learning.tasks.build_personal_data_export",
    "learning.tasks.run_people_import",
    "learning.tasks.send_notification_email",
    "learning.tasks.send_password_reset",
    "modules.tasks.build_booklet_task",
]


def tasks_the_worker_received() -> dict[str, int]:
    replies = app.control.inspect(timeout=5).stats() or {}
    assert replies, "the worker did not answer"
    [stats] = replies.values()
    return stats.get("total", {})


def a_ready_certificate():
    organisation = OrganisationFactory(name="Yayasan Saat Putus")
    coordinator = user_with_roles(Role.KOORDINATOR, organisation=organisation)
    programme = ProgrammeFactory(
        organisations=[organisation], coordinators=[coordinator]
    )
    trainee = user_with_roles(Role.PESERTA)
    CohortFactory(programme=programme, trainees=[trainee])
    CertificationRule.objects.create(
        programme=programme,
        require_core_modules=False,
        require_competencies=False,
        require_magang_hours=False,
        require_practice_cases=False,
        require_workshop_attendance=False,
        signatories="Maria Nenobais, Direktur",
    )
    return issue_certificate(
        trainee=trainee, programme=programme, issuer=coordinator
    ).certificate


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_task_waits_out_a_broker_outage_and_runs_once(
    migrated_data, monkeypatch
):
    monkeypatch.setattr(outbox, "_paused_until", 0.0)
    received_before = tasks_the_worker_received()
    OrganisationFactory(short_name="YSP")
    importer = UserFactory(username="uji-putus", is_superuser=True)
    reader = UserFactory(username="pembaca-putus", email="pembaca@example.org")
    module = module_with_lessons(lessons=2, title="Buklet Saat Putus")
    client = Client()
    client.force_login(importer)
    sheet = "\n".join(
        [",".join(COLUMNS)]
        + [f"putus-{n},Nama {n},,Peserta,YSP,,,,P,,,," for n in range(ROWS)]
    )

    with monkeypatch.context() as outage:
        outage.setenv("CELERY_BROKER_URL", NOBODY_LISTENS)
        certificate = a_ready_certificate()
        response = client.post(
            "/admin/orang/impor/",
            {"sheet": SimpleUploadedFile("orang.csv", sheet.encode())},
        )
        assert response.status_code == 302, response.content[:300]
        booklet = request_booklet(module=module)
        notification = notify(recipient=reader, message="Ada kabar saat putus.")
        form = QueuedPasswordResetForm({"email": "pembaca@example.org"})
        assert form.is_valid()
        form.save(request=RequestFactory().get("/masuk/"))
        export, asked = request_export(person=reader, kind=Kind.RECORDS)
        assert asked

        waiting = OutboxMessage.objects.order_by("task_name")
        assert [m.task_name for m in waiting] == EVERY_KIND
        assert all(m.sent_at is None for m in waiting)
        assert outbox.relay_pending().sent == 0  # still away
        # The relay tried the oldest and stopped there; the rest wait behind it.
        assert "Connection refused" in waiting.order_by("pk")[0].last_error

    # Back (CI's broker, from the environment): everything waiting goes.
    report = outbox.relay_pending()
    assert (report.sent, report.waiting) == (len(EVERY_KIND), 0)
    job = PeopleImport.objects.get()

    def all_done():
        certificate.refresh_from_db()
        booklet.refresh_from_db()
        notification.refresh_from_db()
        job.refresh_from_db()
        export.refresh_from_db()
        return (
            certificate.pdf_built_at is not None
            and booklet.status in (BookletStatus.READY, BookletStatus.FAILED)
            and notification.emailed_at is not None
            and job.is_finished
            and export.status != Status.PENDING
        )

    assert wait_for(all_done), "the worker did not finish what waited"
    assert booklet.status == BookletStatus.READY, booklet.error
    assert job.status == ImportStatus.DONE, (job.problems, job.error)
    assert export.status == Status.READY
    assert User.objects.filter(username__startswith="putus-").count() == ROWS
    try:
        # A heartbeat queued behind them: once recorded, the worker (one task
        # at a time, in order) has received every task it was going to.
        assert outbox.relay_pending().sent == 0
        WorkerHeartbeat.objects.all().delete()
        outbox.enqueue(app.tasks["learning.tasks.record_worker_heartbeat"])
        assert wait_for(WorkerHeartbeat.objects.exists), "the worker stopped"
        received = tasks_the_worker_received()
        for name in EVERY_KIND:
            assert received.get(name, 0) == received_before.get(name, 0) + 1, name
        assert Notification.objects.filter(recipient=reader).count() == 1
    finally:
        certificate.pdf.delete(save=False)
        booklet.file.delete(save=False)
        export.file.delete(save=False)
