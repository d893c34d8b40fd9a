"""The audit trail's core: one line per act, never changed, purged by age."""

import datetime

from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

import pytest

from learning import audit
from learning.choices import AuditAction, Role
from learning.models import AuditEvent
from tests.factories import OrganisationFactory, ProgrammeFactory, user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    organisation = OrganisationFactory()
    return (
        user_with_roles(Role.FASILITATOR, organisation=organisation),
        user_with_roles(Role.PESERTA, organisation=organisation),
        ProgrammeFactory(organisations=[organisation]),
    )


def test_a_line_names_who_did_what_to_which_record(people):
    facilitator, trainee, programme = people
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    line = audit.record(
        AuditAction.TEMPORARY_PASSWORD,
        actor=facilitator,
        target=trainee,
        target_label=trainee.username,
        subject=trainee,
        programme=programme,
        detail={"count": 1},
        request=request,
    )
    line.refresh_from_db()
    assert line.actor == facilitator and line.subject == trainee
    assert facilitator.username in line.actor_label
    assert line.target_type == "learning.user" and line.target_id == str(trainee.pk)
    assert line.address == "203.0.113.9"
    assert line.get_action_display() == "Kata sandi sementara dibuat"


def test_a_forged_forwarded_address_is_not_kept(people, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    facilitator, _, _ = people
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="'; DROP TABLE x;--\x00")
    line = audit.record(AuditAction.EXPORTED, actor=facilitator, request=request)
    assert line.address is None


def test_lines_cannot_be_changed_or_deleted(people):
    facilitator, _, _ = people
    line = audit.record(AuditAction.EXPORTED, actor=facilitator)
    line.actor_label = "orang lain"
    with pytest.raises(PermissionDenied):
        line.save()
    with pytest.raises(PermissionDenied):
        line.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=line.pk).update(actor_label="x")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=line.pk).actor_label != "orang lain"


def test_purge_removes_only_lines_older_than_the_retention(people, settings):
    settings.PENDAMPING_AUDIT_KEEP_DAYS = 30
    facilitator, _, _ = people
    now = timezone.now()
    old = AuditEvent.objects.create(
        action=AuditAction.EXPORTED, at=now - datetime.timedelta(days=31)
    )
    kept = AuditEvent.objects.create(
        action=AuditAction.EXPORTED, at=now - datetime.timedelta(days=29)
    )
    assert audit.purge(now=now) == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
