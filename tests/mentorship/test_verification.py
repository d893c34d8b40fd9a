"""Verifying hours: supervisors with an account, countersign links, scope, evidence."""

import datetime

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from assessments.competence import evidence_kind
from learning.choices import Role
from learning.models import Notification
from learning.scope import people_visible_to
from mentorship.choices import EntryAction, EntryStatus
from mentorship.models import HourEntry
from mentorship.selectors import (
    entries_visible_to,
    placements_visible_to,
    supervision_queue,
)
from mentorship.verification import (
    Decision,
    countersign,
    create_countersign_link,
    link_state,
    return_entries,
    revoke_link,
    verify_entries,
)
from tests.factories import (
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    outside_placement,
    user_with_roles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement():
    return PlacementFactory()


def waiting(placement, count=1):
    return HourEntryFactory.create_batch(
        count, placement=placement, status=EntryStatus.SUBMITTED
    )


def test_the_supervisor_verifies_waiting_entries_and_the_trainee_is_told(
    placement, django_capture_on_commit_callbacks
):
    placement.trainee.email = "peserta@example.org"
    placement.trainee.save()
    entries = waiting(placement, 2)
    with django_capture_on_commit_callbacks(execute=True):
        done = verify_entries(
            entries=entries, supervisor=placement.supervisor, comment="Bagus."
        )
    assert len(done) == 2
    for entry in HourEntry.objects.all():
        assert entry.status == EntryStatus.VERIFIED
        assert entry.verified_by == placement.supervisor and entry.verified_at
        last = entry.history.last()
        assert (last.action, last.actor, last.comment) == (
            EntryAction.VERIFIED,
            placement.supervisor,
            "Bagus.",
        )
    [note] = Notification.objects.filter(recipient=placement.trainee)
    assert "2 catatan jam magangmu diverifikasi" in note.message
    assert note.link == "/magang/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["peserta@example.org"]


def test_returning_needs_a_comment_and_keeps_it(placement):
    [entry] = waiting(placement)
    with pytest.raises(ValidationError):
        return_entries(entries=[entry], supervisor=placement.supervisor, comment=" ")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    return_entries(
        entries=[entry],
        supervisor=placement.supervisor,
        comment="Jam selesai tidak sesuai daftar hadir.",
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    assert entry.supervisor_comment == "Jam selesai tidak sesuai daftar hadir."


def test_only_the_placements_supervisor_may_decide(placement):
    [entry] = waiting(placement)
    for stranger in (
        user_with_roles(Role.FASILITATOR),
        placement.trainee,
        PlacementFactory().supervisor,
    ):
        with pytest.raises(ValidationError):
            verify_entries(entries=[entry], supervisor=stranger)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED and not entry.history.exists()


def test_a_mixed_selection_changes_nothing(placement):
    [mine] = waiting(placement)
    [theirs] = waiting(PlacementFactory())
    with pytest.raises(ValidationError):
        verify_entries(entries=[mine, theirs], supervisor=placement.supervisor)
    assert not HourEntry.objects.filter(status=EntryStatus.VERIFIED).exists()


def test_drafts_and_decided_entries_are_skipped(placement):
    draft = HourEntryFactory(placement=placement)
    verified = HourEntryFactory(placement=placement, status=EntryStatus.VERIFIED)
    [entry] = waiting(placement)
    done = verify_entries(
        entries=[draft, verified, entry], supervisor=placement.supervisor
    )
    assert done == [entry]
    draft.refresh_from_db()
    assert draft.status == EntryStatus.DRAFT


def test_the_queue_holds_only_my_placements_waiting_entries(
    placement, django_assert_max_num_queries
):
    mine = waiting(placement, 3)
    HourEntryFactory(placement=placement)  # a draft: not for the supervisor yet
    waiting(PlacementFactory(), 2)
    assert set(supervision_queue(placement.supervisor)) == set(mine)
    waiting(placement, 20)
    with django_assert_max_num_queries(1):
        rows = [
            (e.trainee.display_name, e.placement.host.short_name)
            for e in supervision_queue(placement.supervisor)
        ]
    assert len(rows) == 23


def test_scope_of_placements_and_entries(placement, coordinator):
    entry = HourEntryFactory(placement=placement)
    other = HourEntryFactory()
    trainee = placement.trainee
    assert list(entries_visible_to(trainee)) == [entry]
    assert list(entries_visible_to(placement.supervisor)) == [entry]
    # A facilitator elsewhere sees none of it; nobody signed out sees anything.
    outsider = user_with_roles(Role.FASILITATOR, organisation=OrganisationFactory())
    assert not entries_visible_to(outsider).exists()
    assert other not in entries_visible_to(trainee)
    # Supervising makes the trainee visible to the supervisor everywhere.
    assert people_visible_to(placement.supervisor).filter(pk=trainee.pk).exists()
    assert list(placements_visible_to(trainee)) == [placement]


def test_verified_hours_are_evidence_for_a_competence_assessment(placement):
    kind = evidence_kind(HourEntry())
    assert kind is not None
    verified = HourEntryFactory(placement=placement, status=EntryStatus.VERIFIED)
    draft = HourEntryFactory(placement=placement)
    assert kind.belongs_to(placement.trainee, verified)
    assert not kind.belongs_to(placement.trainee, draft)
    assert not kind.belongs_to(PlacementFactory().trainee, verified)


# --- Countersign links -------------------------------------------------------


@pytest.fixture
def outside():
    return outside_placement()


def test_a_link_verifies_its_entries_once_with_the_signers_name(outside):
    entries = waiting(outside, 2)
    link, token = create_countersign_link(
        trainee=outside.trainee, placement=outside, entries=entries
    )
    assert token not in link.token_hash and len(link.token_hash) == 64
    done = countersign(
        token=token,
        name="Maria Bano",
        position="Bidan koordinator",
        decision=Decision.VERIFY,
    )
    assert len(done) == 2
    for entry in HourEntry.objects.all():
        assert entry.status == EntryStatus.VERIFIED
        assert entry.verified_by is None
        assert entry.verified_by_name == "Maria Bano (Bidan koordinator)"
        assert entry.history.last().actor_label == "Maria Bano (Bidan koordinator)"
    with pytest.raises(ValidationError, match="sudah dipakai"):
        countersign(
            token=token, name="X", position="Y", decision=Decision.RETURN, comment="z"
        )
    link.refresh_from_db()
    assert (link.signer_name, link.signer_position) == (
        "Maria Bano",
        "Bidan koordinator",
    )


def test_a_link_can_return_entries_with_a_comment(outside):
    [entry] = waiting(outside)
    _link, token = create_countersign_link(
        trainee=outside.trainee, placement=outside, entries=[entry]
    )
    with pytest.raises(ValidationError) as caught:
        countersign(
            token=token, name="Maria", position="Bidan", decision=Decision.RETURN
        )
    assert "comment" in caught.value.message_dict
    assert link_state(token).usable, "a refused attempt does not use the link"
    countersign(
        token=token,
        name="Maria",
        position="Bidan",
        decision=Decision.RETURN,
        comment="Tanggalnya keliru.",
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED


def test_an_expired_or_revoked_link_changes_nothing(outside):
    [first, second] = waiting(outside, 2)
    expired, expired_token = create_countersign_link(
        trainee=outside.trainee, placement=outside, entries=[first]
    )
    expired.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save()
    revoked, revoked_token = create_countersign_link(
        trainee=outside.trainee, placement=outside, entries=[second]
    )
    revoke_link(link=revoked, trainee=outside.trainee)
    for token, reason in (
        (expired_token, "kedaluwarsa"),
        (revoked_token, "dibatalkan"),
    ):
        assert reason in link_state(token).problem
        with pytest.raises(ValidationError, match=reason):
            countersign(token=token, name="M", position="B", decision=Decision.VERIFY)
    assert not HourEntry.objects.exclude(status=EntryStatus.SUBMITTED).exists()
    assert "tidak dikenal" in link_state("bukan-token").problem


def test_a_link_skips_entries_changed_since_it_was_made(outside):
    [entry, other] = waiting(outside, 2)
    _link, token = create_countersign_link(
        trainee=outside.trainee, placement=outside, entries=[entry, other]
    )
    HourEntry.objects.filter(pk=other.pk).update(status=EntryStatus.RETURNED)
    done = countersign(token=token, name="M", position="B", decision=Decision.VERIFY)
    assert done == [entry]


def test_links_are_only_for_ones_own_submitted_entries_of_an_outside_placement(
    outside, placement
):
    [mine] = waiting(outside)
    draft = HourEntryFactory(placement=outside)
    with pytest.raises(ValidationError):
        create_countersign_link(
            trainee=outside.trainee, placement=outside, entries=[draft]
        )
    with pytest.raises(ValidationError):
        create_countersign_link(
            trainee=placement.trainee, placement=outside, entries=[mine]
        )
    with pytest.raises(ValidationError, match="punya akun"):
        create_countersign_link(
            trainee=placement.trainee, placement=placement, entries=waiting(placement)
        )
    with pytest.raises(ValidationError):
        create_countersign_link(trainee=outside.trainee, placement=outside, entries=[])


def test_only_the_trainee_who_made_a_link_revokes_it(outside):
    link, token = create_countersign_link(
        trainee=outside.trainee, placement=outside, entries=waiting(outside)
    )
    with pytest.raises(ValidationError):
        revoke_link(link=link, trainee=PlacementFactory().trainee)
    assert link_state(token).usable


def test_a_supervisors_comment_that_names_a_phone_number_is_refused(placement):
    [entry] = waiting(placement)
    with pytest.raises(ValidationError) as caught:
        return_entries(
            entries=[entry],
            supervisor=placement.supervisor,
            comment="Telepon ibunya di 0813 3945 1122 untuk memastikan.",
        )
    assert "0813 3945 1122" in " ".join(caught.value.message_dict["comment"])
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
