"""The audit trail's lines for magang acts: hours verified, returned, signed
on paper or through a link, imported; practice cases reviewed, returned and
opened by staff; a trainee's log downloaded by staff.

Each act writes exactly one line naming who, whose data and the programme;
an act that fails, or is rolled back after the line was written, leaves none.
"""

import datetime

from django.utils import timezone

import pytest

from learning import audit
from learning.choices import AuditAction
from learning.models import AuditEvent, Programme
from mentorship.cases import return_case, review_case
from mentorship.choices import CaseStatus, EntryStatus
from mentorship.verification import (
    Decision,
    countersign,
    create_countersign_link,
    record_paper_signature,
    return_entries,
    verify_entries,
)
from tests.factories import (
    HourEntryFactory,
    PlacementFactory,
    PracticeCaseFactory,
    outside_placement,
)
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def fail_after_the_line(monkeypatch):
    """The line is written, then the act fails: the act's own transaction
    must take the line back with it."""
    real, real_many = audit.record, audit.record_many

    def record(*args, **kwargs):
        real(*args, **kwargs)
        raise Boom

    def record_many(*args, **kwargs):
        real_many(*args, **kwargs)
        raise Boom

    monkeypatch.setattr(audit, "record", record)
    monkeypatch.setattr(audit, "record_many", record_many)


@pytest.fixture
def programme(coordinator):
    return Programme.objects.get(coordinators=coordinator)


@pytest.fixture
def placement(trainee, coordinator):
    return PlacementFactory(trainee=trainee)


def waiting(placement, count=2):
    return [
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=timezone.localdate() - datetime.timedelta(days=3 + day),
        )
        for day in range(count)
    ]


def only_line() -> AuditEvent:
    [line] = AuditEvent.objects.all()
    return line


# --- hours ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decide", "action"),
    [
        (
            lambda entries, who: verify_entries(entries=entries, supervisor=who),
            AuditAction.HOURS_VERIFIED,
        ),
        (
            lambda entries, who: return_entries(
                entries=entries, supervisor=who, comment="Tulis jam selesai."
            ),
            AuditAction.HOURS_RETURNED,
        ),
    ],
)
def test_deciding_hours_writes_one_line(placement, programme, decide, action):
    entries = waiting(placement)
    decide(entries, placement.supervisor)
    line = only_line()
    assert line.action == action
    assert line.actor == placement.supervisor
    assert line.subject == placement.trainee
    assert line.programme == programme
    assert line.detail["count"] == 2
    # Deciding again changes nothing and writes nothing.
    verify_entries(entries=entries, supervisor=placement.supervisor)
    assert AuditEvent.objects.count() == 1


def test_hours_decided_by_someone_else_write_no_line(placement, facilitator):
    entries = waiting(placement)
    with pytest.raises(Exception, match="bukan pembimbing"):
        verify_entries(entries=entries, supervisor=facilitator)
    assert not AuditEvent.objects.exists()


def test_a_verification_rolled_back_leaves_no_line(placement, fail_after_the_line):
    entries = waiting(placement)
    with pytest.raises(Boom):
        verify_entries(entries=entries, supervisor=placement.supervisor)
    assert not AuditEvent.objects.exists()
    assert {entry.status for entry in type(entries[0]).objects.all()} == {
        EntryStatus.SUBMITTED
    }


def test_a_paper_signature_writes_one_line(
    trainee, facilitator, coordinator, programme
):
    placement = outside_placement(trainee=trainee)
    entries = waiting(placement, 3)
    record_paper_signature(
        entries=entries,
        facilitator=facilitator,
        name="Maria Bria",
        position="Bidan",
        signed_on=timezone.localdate(),
        attested=True,
    )
    line = only_line()
    assert line.action == AuditAction.PAPER_LOG_SIGNED
    assert (line.actor, line.subject, line.programme) == (
        facilitator,
        trainee,
        programme,
    )
    # The signer's name is on the entries, not in the trail.
    assert "Maria" not in str(line.detail) and "Maria" not in line.target_label


def test_a_countersign_link_writes_a_line_without_an_actor(trainee, coordinator):
    placement = outside_placement(trainee=trainee)
    entries = waiting(placement)
    _link, token = create_countersign_link(
        trainee=trainee, placement=placement, entries=entries
    )
    countersign(
        token=token, name="Maria Bano", position="Bidan", decision=Decision.VERIFY
    )
    line = only_line()
    assert line.action == AuditAction.HOURS_VERIFIED
    assert line.actor is None and line.subject == trainee
    assert line.detail["via"] == "link"


# --- practice cases --------------------------------------------------------------


def waiting_case(placement):
    return PracticeCaseFactory(
        placement=placement, status=CaseStatus.SUBMITTED, month=8, year=2025
    )


def test_reviewing_a_case_writes_one_line_without_its_story(placement, programme):
    case = waiting_case(placement)
    review_case(case=case, supervisor=placement.supervisor, feedback="Bagus sekali.")
    line = only_line()
    assert line.action == AuditAction.CASE_CHANGED
    assert line.target_label == "Kasus praktik Agustus 2025"
    assert (line.actor, line.subject, line.programme) == (
        placement.supervisor,
        placement.trainee,
        programme,
    )
    assert line.detail == {"decision": "reviewed"}
    text = f"{line.target_label} {line.detail}"
    for story in (case.trainee_role, case.actions, case.learned, "Bagus"):
        assert story not in text


def test_returning_a_case_writes_one_line(placement):
    case = waiting_case(placement)
    return_case(case=case, supervisor=placement.supervisor, feedback="Tambahkan.")
    assert only_line().detail == {"decision": "returned"}


def test_a_case_review_rolled_back_leaves_no_line(placement, fail_after_the_line):
    case = waiting_case(placement)
    with pytest.raises(Boom):
        review_case(case=case, supervisor=placement.supervisor, feedback="Bagus.")
    assert not AuditEvent.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_supervisor_opening_a_case_in_the_admin_writes_one_line(placement, programme):
    case = waiting_case(placement)
    response = client_for(placement.supervisor).get(f"/admin/magang/kasus/{case.pk}/")
    assert response.status_code == 200
    line = only_line()
    assert line.action == AuditAction.CASE_VIEWED
    assert (line.actor, line.subject, line.programme) == (
        placement.supervisor,
        placement.trainee,
        programme,
    )
    assert line.detail == {"via": "admin"}
    assert line.address == "127.0.0.1"


def test_a_case_outside_ones_scope_writes_no_line(placement, facilitator):
    other = PlacementFactory()
    case = waiting_case(other)
    response = client_for(placement.supervisor).get(f"/admin/magang/kasus/{case.pk}/")
    assert response.status_code in (302, 404)
    assert not AuditEvent.objects.exists()


def test_the_supervisor_reading_cases_through_the_api_writes_a_line_each(placement):
    cases = [waiting_case(placement) for _ in range(3)]
    client = client_for(placement.supervisor)
    response = client.get("/api/magang/cases")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    lines = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED)
    assert sorted(int(line.target_id) for line in lines) == sorted(c.pk for c in cases)
    assert {line.detail["via"] for line in lines} == {"api"}


def test_a_trainee_reading_their_own_cases_writes_nothing(placement):
    case = waiting_case(placement)
    client = client_for(placement.trainee)
    assert client.get("/api/magang/cases").status_code == 200
    assert client.get(f"/magang/kasus/{case.uuid}/").status_code == 200
    assert not AuditEvent.objects.exists()


def test_the_supervisor_opening_a_case_page_writes_one_line(placement):
    case = waiting_case(placement)
    response = client_for(placement.supervisor).get(f"/magang/kasus/{case.uuid}/")
    assert response.status_code == 200
    assert only_line().detail == {"via": "web"}


# --- downloads ------------------------------------------------------------------


def test_staff_downloading_a_trainees_log_writes_one_line(placement, programme):
    waiting(placement)
    client = client_for(placement.supervisor)
    response = client.get(
        f"/magang/unduh/catatan-magang.csv?peserta={placement.trainee.pk}"
    )
    assert response.status_code == 200
    line = only_line()
    assert line.action == AuditAction.EXPORTED
    assert line.subject == placement.trainee and line.programme == programme
    assert line.detail["format"] == "csv"


def test_a_trainee_downloading_their_own_log_writes_nothing(placement):
    waiting(placement)
    response = client_for(placement.trainee).get("/magang/unduh/catatan-magang.csv")
    assert response.status_code == 200
    assert not AuditEvent.objects.exists()
