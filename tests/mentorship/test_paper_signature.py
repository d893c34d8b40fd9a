"""Paper logs for a supervisor without an account are not a dead end: the
import offers a countersign link for the entries it made, and the trainee's
facilitator can record that the supervisor signed the paper log (who, when,
their own attestation), which verifies the entries through the queue's rule."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

import pytest

from learning.choices import Role
from learning.models import Notification
from mentorship.choices import EntryAction, EntryStatus
from mentorship.models import CountersignLink, HourEntry, HourEntryEvent
from mentorship.verification import record_paper_signature
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import (
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    outside_placement,
    user_with_roles,
)
from tests.factories.people import client_for

from .test_paper_import import fill, good_rows, post, urls

TODAY = timezone.localdate


def days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


@pytest.fixture
def placement(trainee):
    """The trainee's placement with a puskesmas midwife who has no account;
    the `facilitator` fixture works in the trainee's organisation."""
    return outside_placement(trainee=trainee)


def sign_url(placement) -> str:
    return f"/admin/magang/impor/{placement.pk}/tanda-tangan/"


def waiting_entries(placement, count=3):
    return [
        HourEntryFactory(
            placement=placement, status=EntryStatus.SUBMITTED, date=days_ago(3 + day)
        )
        for day in range(count)
    ]


def signature(entries, **fields) -> dict:
    data = {
        "entri": [entry.pk for entry in entries],
        "nama": "Maria Bria",
        "jabatan": "Bidan koordinator, Puskesmas Kota SoE",
        "tanggal": TODAY().strftime("%Y-%m-%d"),
        "pernyataan": "on",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def statuses(entries) -> set[str]:
    return set(
        HourEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list(
            "status", flat=True
        )
    )


# --- Right after the import: a countersign link --------------------------------


@pytest.mark.django_db
def test_the_import_offers_a_countersign_link_for_the_entries_it_made(
    client, facilitator, placement
):
    client.force_login(facilitator)
    template = client.get(urls(placement)[1]).content
    page = post(client, placement, fill(template, good_rows())).content.decode()

    assert "tidak punya akun, jadi catatan ini tidak masuk antrean siapa pun" in page
    assert "Cara 1: kirim tautan verifikasi kepada pembimbing" in page
    assert "Cara 2: catat tanda tangan di catatan kertas" in page
    chosen = "&amp;".join(f"entri={entry.pk}" for entry in HourEntry.objects.all())
    assert f"{sign_url(placement)}?{chosen}" in page
    url = re.search(r'value="(http://[^"]+/magang/tanda-tangan/[^"]+/)"', page)
    assert url, page
    link = CountersignLink.objects.get()
    assert link.created_by == facilitator
    assert set(link.entries.all()) == set(HourEntry.objects.all())
    assert link.entries.count() == 3

    # The supervisor opens it without an account and sees the three entries.
    supervisor_page = client_for(None).get(url.group(1))
    assert supervisor_page.status_code == 200
    named = re.findall(r'name="keputusan-([^"]+)"', supervisor_page.content.decode())
    assert len(set(named)) == 3

    # The same sheet again makes nothing, so no second link.
    again = post(client, placement, fill(template, good_rows())).content.decode()
    assert "Cara 1" not in again and CountersignLink.objects.count() == 1


@pytest.mark.django_db
def test_an_importer_who_does_not_manage_the_trainee_gets_no_link(
    client, trainee, placement
):
    # A coordinator of the trainee's programme sees the placement and may
    # import, but does not act for the supervisor.
    coordinator = user_with_roles(Role.KOORDINATOR, username="uji-koor-kertas")
    from tests.factories import CohortFactory, ProgrammeFactory

    CohortFactory(
        programme=ProgrammeFactory(coordinators=[coordinator]), trainees=[trainee]
    )
    client.force_login(coordinator)
    template = client.get(urls(placement)[1]).content
    page = post(client, placement, fill(template, good_rows())).content.decode()
    assert HourEntry.objects.count() == 3
    assert "Cara 1" not in page and sign_url(placement) not in page
    assert "Minta" in page and "Tautan verifikasi" in page
    assert not CountersignLink.objects.exists()


# --- Recording the signature on the paper log ----------------------------------


@pytest.mark.django_db
def test_the_facilitator_records_the_paper_signature_and_the_entries_are_verified(
    client, facilitator, placement
):
    entries = waiting_entries(placement)
    client.force_login(facilitator)
    form = client.get(sign_url(placement))
    assert form.status_code == 200
    text = form.content.decode()
    assert text.count('name="entri"') == 3 and text.count("checked") >= 3
    assert escape("Bidan Maria") in text  # the placement's supervisor, prefilled

    response = client.post(sign_url(placement), signature(entries))
    assert response.status_code == 302
    assert statuses(entries) == {EntryStatus.VERIFIED}
    entry = HourEntry.objects.get(pk=entries[0].pk)
    assert entry.verified_by is None
    assert entry.verified_by_name == (
        "Maria Bria (Bidan koordinator, Puskesmas Kota SoE)"
    )
    event = entry.history.order_by("at", "pk").last()
    assert event.action == EntryAction.PAPER_SIGNED
    assert event.actor == facilitator
    assert event.signed_on == TODAY()
    assert "menyatakan telah melihat sendiri catatan kertas" in event.comment
    assert event.actor_name == entry.verified_by_name
    notes = Notification.objects.filter(recipient=placement.trainee)
    assert notes.count() == 1 and "Maria Bria" in notes.get().message

    # The entry's page shows it in the history.
    page = client.get(f"/admin/magang/jam/inspect/{entry.pk}/").content.decode()
    assert "Diverifikasi dari tanda tangan di catatan kertas" in page
    assert (
        "Ditandatangani Maria Bria (Bidan koordinator, Puskesmas Kota SoE) di "
        f"catatan kertas pada {TODAY():%d-%m-%Y}."
    ) in page
    assert escape(facilitator.display_name) in page


@pytest.mark.django_db
def test_the_entry_page_offers_recording_the_signature(client, facilitator, placement):
    entry, other = waiting_entries(placement, 2)
    client.force_login(facilitator)
    page = client.get(f"/admin/magang/jam/inspect/{entry.pk}/").content.decode()
    assert f"{sign_url(placement)}?entri={entry.pk}" in page

    # That entry alone is chosen; the other waits unticked.
    form = client.get(f"{sign_url(placement)}?entri={entry.pk}").content.decode()
    assert f'value="{entry.pk}" checked' in form
    assert f'value="{other.pk}">' in form


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pernyataan": None}, "Centang pernyataan"),
        ({"nama": ""}, "Tulis nama penanda tangan."),
        ({"tanggal": ""}, "Isi tanggal tanda tangan"),
        ({"tanggal": "kemarin"}, "Tulis tanggal seperti"),
        (
            {"tanggal": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "Tanggal tanda tangan belum terjadi.",
        ),
        (
            {"tanggal": days_ago(10).isoformat()},
            "Tanggal tanda tangan lebih awal dari catatan tanggal",
        ),
        ({"entri": ["999999"]}, "bukan catatan penempatan ini"),
        ({"entri": ["x"]}, "bukan catatan penempatan ini"),
    ],
)
@pytest.mark.django_db
def test_bad_input_changes_nothing_and_says_why(
    client, facilitator, placement, change, message
):
    entries = waiting_entries(placement)
    client.force_login(facilitator)
    response = client.post(sign_url(placement), signature(entries, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert statuses(entries) == {EntryStatus.SUBMITTED}
    assert not HourEntryEvent.objects.filter(action=EntryAction.PAPER_SIGNED).exists()


@pytest.mark.django_db
def test_an_entry_of_another_placement_is_not_signed_here(
    client, facilitator, placement
):
    mine = waiting_entries(placement, 1)
    other = waiting_entries(outside_placement(trainee=placement.trainee), 1)
    client.force_login(facilitator)
    response = client.post(sign_url(placement), signature(mine + other))
    assert response.status_code == 200
    assert statuses(mine + other) == {EntryStatus.SUBMITTED}


@pytest.mark.django_db
def test_sending_it_twice_verifies_once(client, facilitator, placement):
    entries = waiting_entries(placement)
    client.force_login(facilitator)
    assert client.post(sign_url(placement), signature(entries)).status_code == 302
    again = client.post(sign_url(placement), signature(entries), follow=True)
    assert "sudah diputuskan sebelumnya; tidak ada yang diubah" in (
        again.content.decode()
    )
    assert HourEntryEvent.objects.filter(action=EntryAction.PAPER_SIGNED).count() == 3
    assert Notification.objects.filter(recipient=placement.trainee).count() == 1


# --- Who may record it ------------------------------------------------------------


@pytest.fixture
def partner(db):
    """A facilitator of a partner organisation: not the trainee's."""
    return user_with_roles(
        Role.FASILITATOR,
        username="uji-fasilitator-mitra",
        organisation=OrganisationFactory(short_name="MITRA"),
    )


@pytest.mark.django_db
def test_others_are_refused_and_nothing_changes(
    client, placement, partner, trainee, coordinator
):
    entries = waiting_entries(placement)
    # The trainee is sent to the admin's sign-in; the partner does not see
    # the placement at all; the coordinator sees it but does not act for it.
    for person, status in ((partner, 404), (trainee, 302), (coordinator, 403)):
        client.force_login(person)
        assert client.get(sign_url(placement)).status_code == status, person
        assert client.post(sign_url(placement), signature(entries)).status_code == (
            status
        )
        with pytest.raises(ValidationError):
            record_paper_signature(
                entries=entries,
                facilitator=person,
                name="Maria Bria",
                position="Bidan",
                signed_on=TODAY(),
                attested=True,
            )
    assert statuses(entries) == {EntryStatus.SUBMITTED}


@pytest.mark.django_db
def test_a_supervisor_with_an_account_decides_in_the_queue_not_on_paper(
    client, facilitator, trainee
):
    placement = PlacementFactory(trainee=trainee)
    entries = waiting_entries(placement)
    client.force_login(facilitator)
    assert client.get(sign_url(placement)).status_code == 403
    with pytest.raises(ValidationError):
        record_paper_signature(
            entries=entries,
            facilitator=facilitator,
            name="Maria Bria",
            position="Bidan",
            signed_on=TODAY(),
            attested=True,
        )
    assert statuses(entries) == {EntryStatus.SUBMITTED}


# --- Twenty at once ----------------------------------------------------------------


def _twenty_at_once(facilitator, placement):
    entries = waiting_entries(placement)
    clients = signed_in_clients(facilitator, 20)
    answers = all_at_once(
        [
            lambda client=client: (
                client.post(sign_url(placement), signature(entries)).status_code
            )
            for client in clients
        ]
    )
    assert answers == [302] * 20
    assert statuses(entries) == {EntryStatus.VERIFIED}
    for entry in entries:
        assert list(
            HourEntryEvent.objects.filter(entry=entry)
            .order_by("at", "pk")
            .values_list("action", flat=True)
        ) == [EntryAction.PAPER_SIGNED]
    assert Notification.objects.filter(recipient=placement.trainee).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_signatures_at_once_verify_each_entry_once(facilitator, placement):
    _twenty_at_once(facilitator, placement)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_signatures_at_once_verify_each_entry_once_on_postgresql(
    facilitator, placement
):
    assert connection.vendor == "postgresql"
    _twenty_at_once(facilitator, placement)
