"""The magang admin: placements, the supervisor's queue, bulk decisions, dashboard."""

import datetime

from django.utils import timezone

import pytest

from learning.choices import Role
from mentorship.choices import EntryAction, EntryStatus
from mentorship.models import HourEntry, Placement
from tests.factories import (
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    user_with_roles,
)

pytestmark = pytest.mark.django_db

PLACEMENTS = "/admin/magang/penempatan/"
ENTRIES = "/admin/magang/jam/"
VERIFY = "/admin/bulk/mentorship/hourentry/verifikasi/"
RETURN = "/admin/bulk/mentorship/hourentry/kembalikan/"


@pytest.fixture
def host(db):
    return OrganisationFactory(name="LBH Uji Magang", short_name="LBHU")


@pytest.fixture
def supervisor(host):
    return user_with_roles(
        Role.FASILITATOR,
        username="uji-pembimbing",
        first_name="Yohana",
        last_name="Pembimbing",
        organisation=host,
    )


@pytest.fixture
def placement(trainee, host, supervisor):
    return PlacementFactory(trainee=trainee, host=host, supervisor=supervisor)


@pytest.fixture
def stranger(db):
    """A facilitator of another organisation, with nobody of ours in scope."""
    return user_with_roles(
        Role.FASILITATOR,
        username="uji-asing",
        organisation=OrganisationFactory(short_name="ASG"),
    )


def waiting(placement, count=1, **fields):
    """`count` submitted entries on different days, so none overlap."""
    today = timezone.localdate()
    return [
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=today - datetime.timedelta(days=2 + n),
            **fields,
        )
        for n in range(count)
    ]


def placement_data(trainee, host, **changes):
    today = timezone.localdate()
    data = {
        "trainee": trainee.pk,
        "host": host.pk,
        "supervisor": "",
        "outside_supervisor_name": "",
        "outside_supervisor_position": "",
        "outside_supervisor_institution": "",
        "start_date": (today - datetime.timedelta(days=10)).isoformat(),
        "end_date": (today + datetime.timedelta(days=80)).isoformat(),
        "target_hours": "120",
    }
    return data | changes


# Placements


def test_a_facilitator_creates_a_placement_for_a_trainee_in_scope(
    client, facilitator, trainee, host, supervisor
):
    outsider = user_with_roles(
        Role.PESERTA,
        username="uji-luar",
        first_name="Orang",
        last_name="Luarcakupan",
        organisation=OrganisationFactory(short_name="LAIN"),
    )
    client.force_login(facilitator)
    form = client.get(PLACEMENTS + "new/").content.decode()
    assert "Penempatan magang" in form
    assert trainee.display_name in form
    assert "Luarcakupan" not in form  # the trainee list follows the scope
    assert f"{supervisor.display_name} (LBHU)" in form
    assert "nama, jabatan dan instansi pembimbing tanpa akun" in form

    response = client.post(
        PLACEMENTS + "new/",
        placement_data(trainee, host, supervisor=supervisor.pk),
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.trainee, placement.supervisor) == (trainee, supervisor)
    page = client.get(PLACEMENTS).content.decode()
    assert trainee.display_name in page and supervisor.display_name in page
    assert outsider.display_name not in page


def test_a_trainee_out_of_scope_cannot_be_picked(client, facilitator, host, supervisor):
    outsider = user_with_roles(
        Role.PESERTA,
        username="uji-luar",
        organisation=OrganisationFactory(short_name="LAIN"),
    )
    client.force_login(facilitator)
    response = client.post(
        PLACEMENTS + "new/",
        placement_data(outsider, host, supervisor=supervisor.pk),
    )
    assert response.status_code == 200
    assert "di luar cakupan kamu" in response.content.decode()
    assert not Placement.objects.exists()


def test_a_placement_has_one_supervisor_explained_before_the_database_refuses(
    client, facilitator, trainee, host, supervisor
):
    client.force_login(facilitator)
    outside = {
        "outside_supervisor_name": "Bidan Maria",
        "outside_supervisor_position": "Bidan koordinator",
        "outside_supervisor_institution": "Puskesmas Kota",
    }
    both = client.post(
        PLACEMENTS + "new/",
        placement_data(trainee, host, supervisor=supervisor.pk, **outside),
    ).content.decode()
    assert "Pilih salah satu saja" in both
    neither = client.post(PLACEMENTS + "new/", placement_data(trainee, host))
    assert "Setiap penempatan punya satu pembimbing" in neither.content.decode()
    no_position = client.post(
        PLACEMENTS + "new/",
        placement_data(trainee, host, outside_supervisor_name="Bidan Maria"),
    ).content.decode()
    assert "Isi jabatan pembimbing." in no_position
    assert "Isi instansi pembimbing." in no_position
    elsewhere = user_with_roles(
        Role.FASILITATOR, username="uji-lain", organisation=OrganisationFactory()
    )
    wrong_host = client.post(
        PLACEMENTS + "new/", placement_data(trainee, host, supervisor=elsewhere.pk)
    ).content.decode()
    assert "harus fasilitator LBHU" in wrong_host
    assert not Placement.objects.exists()

    response = client.post(
        PLACEMENTS + "new/", placement_data(trainee, host, **outside)
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.has_outside_supervisor
    assert placement.supervisor_label == "Bidan Maria, Bidan koordinator"


def test_a_placement_out_of_scope_is_not_found(client, placement, stranger):
    client.force_login(stranger)
    assert trainee_name_absent(client.get(PLACEMENTS), placement)
    edit = f"{PLACEMENTS}edit/{placement.pk}/"
    assert client.get(edit).status_code == 404
    response = client.post(edit, {"target_hours": "1"})
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.target_hours == 40
    for view in ("delete", "history", "usage"):
        assert client.get(f"{PLACEMENTS}{view}/{placement.pk}/").status_code == 404
    for suffix in ("", "templat.xlsx"):
        url = f"/admin/magang/impor/{placement.pk}/{suffix}"
        assert client.get(url).status_code == 404


def trainee_name_absent(response, placement) -> bool:
    return placement.trainee.display_name not in response.content.decode()


def test_a_placement_with_entries_keeps_its_trainee_and_is_not_deleted(
    client, facilitator, placement, organisation
):
    waiting(placement)
    other = user_with_roles(
        Role.PESERTA, username="uji-lain", organisation=organisation
    )
    client.force_login(facilitator)
    edit = f"{PLACEMENTS}edit/{placement.pk}/"
    data = placement_data(
        other,
        placement.host,
        supervisor=placement.supervisor.pk,
        start_date=placement.start_date.isoformat(),
        end_date=placement.end_date.isoformat(),
    )
    response = client.post(edit, data)
    assert "pesertanya tidak dapat diganti" in response.content.decode()
    response = client.post(f"{PLACEMENTS}delete/{placement.pk}/", follow=True)
    assert "tidak dapat dihapus" in response.content.decode()
    assert Placement.objects.filter(pk=placement.pk, trainee=placement.trainee).exists()


# The hour entries index and the supervisor's queue


def test_the_index_follows_the_scope(
    client, placement, facilitator, supervisor, stranger
):
    [entry] = waiting(placement, activity="Mencatat pengaduan di meja depan.")
    client.force_login(facilitator)
    page = client.get(ENTRIES).content.decode()
    assert placement.trainee.display_name in page
    assert "Mencatat pengaduan di meja depan." in page
    assert f"{ENTRIES}inspect/{entry.pk}/" in page

    client.force_login(stranger)
    page = client.get(ENTRIES + "?tampilkan=semua").content.decode()
    assert placement.trainee.display_name not in page
    assert "Mencatat pengaduan" not in page
    assert client.get(f"{ENTRIES}inspect/{entry.pk}/").status_code == 404
    # No add, edit or delete screens: trainees write entries on the site.
    assert client.get(ENTRIES + "new/").status_code == 404
    assert client.get(f"{ENTRIES}edit/{entry.pk}/").status_code == 404


def test_a_supervisor_lands_on_their_queue(client, placement, supervisor, facilitator):
    [mine] = waiting(placement, activity="Menunggu verifikasi saya.")
    other_placement = PlacementFactory(
        trainee=placement.trainee,
        host=placement.host,
        supervisor=user_with_roles(
            Role.FASILITATOR, username="uji-rekan", organisation=placement.host
        ),
        start_date=placement.start_date,
    )
    HourEntryFactory(
        placement=other_placement,
        status=EntryStatus.SUBMITTED,
        date=timezone.localdate() - datetime.timedelta(days=20),
        activity="Untuk pembimbing lain.",
    )
    HourEntryFactory(
        placement=placement,
        status=EntryStatus.VERIFIED,
        date=timezone.localdate() - datetime.timedelta(days=21),
        activity="Sudah diverifikasi.",
    )
    client.force_login(supervisor)
    page = client.get(ENTRIES).content.decode()
    assert "Menunggu verifikasi saya." in page
    assert "Untuk pembimbing lain." not in page
    assert "Sudah diverifikasi." not in page

    everything = client.get(ENTRIES + "?tampilkan=semua").content.decode()
    assert "Sudah diverifikasi." in everything
    filtered = client.get(
        ENTRIES + "?tampilkan=semua&status=terverifikasi"
    ).content.decode()
    assert "Sudah diverifikasi." in filtered
    assert "Menunggu verifikasi saya." not in filtered

    HourEntry.objects.filter(pk=mine.pk).update(status=EntryStatus.VERIFIED)
    empty = client.get(ENTRIES).content.decode()
    assert "Tidak ada jam magang yang menunggu verifikasi kamu." in empty


def test_the_inspect_view_shows_the_entry_and_its_history(
    client, placement, supervisor, facilitator
):
    [entry] = waiting(placement)
    entry.history.create(action=EntryAction.SUBMITTED, actor=placement.trainee)
    client.force_login(supervisor)
    client.post(f"{RETURN}?id={entry.pk}", {"comment": "Tulis jam selesai yang benar."})
    page = client.get(f"{ENTRIES}inspect/{entry.pk}/").content.decode()
    assert "Riwayat" in page
    assert "09:00–11:00 (2 jam)" in page and "Uraian kegiatan" in page
    assert "Diajukan" in page and placement.trainee.display_name in page
    assert "Dikembalikan" in page and supervisor.display_name in page
    assert "Tulis jam selesai yang benar." in page

    client.force_login(facilitator)  # in scope, not the supervisor: no buttons
    other = HourEntryFactory(
        placement=placement,
        status=EntryStatus.SUBMITTED,
        date=timezone.localdate() - datetime.timedelta(days=1),
    )
    page = client.get(f"{ENTRIES}inspect/{other.pk}/").content.decode()
    assert "/admin/bulk/mentorship/hourentry/verifikasi/" not in page
    client.force_login(supervisor)
    page = client.get(f"{ENTRIES}inspect/{other.pk}/").content.decode()
    assert "/admin/bulk/mentorship/hourentry/verifikasi/" in page


# Verify and return, one or many at once


def test_bulk_verify_with_a_comment(client, placement, supervisor):
    entries = waiting(placement, 3)
    client.force_login(supervisor)
    query = "&".join(f"id={entry.pk}" for entry in entries[:2])
    confirm = client.get(f"{VERIFY}?{query}&next={ENTRIES}").content.decode()
    assert "2 catatan berikut akan mendapat keputusan ini" in confirm
    response = client.post(
        f"{VERIFY}?{query}&next={ENTRIES}", {"comment": "Rapi."}, follow=True
    )
    assert "2 catatan jam magang diverifikasi." in response.content.decode()
    statuses = {e.pk: e.status for e in HourEntry.objects.all()}
    assert [statuses[e.pk] for e in entries] == [
        EntryStatus.VERIFIED,
        EntryStatus.VERIFIED,
        EntryStatus.SUBMITTED,
    ]
    verified = HourEntry.objects.get(pk=entries[0].pk)
    assert verified.verified_by == supervisor
    assert verified.supervisor_comment == "Rapi."
    event = verified.history.get(action=EntryAction.VERIFIED)
    assert (event.actor, event.comment) == (supervisor, "Rapi.")


def test_bulk_return_needs_a_comment(client, placement, supervisor):
    entries = waiting(placement, 2)
    client.force_login(supervisor)
    query = "&".join(f"id={entry.pk}" for entry in entries)
    refused = client.post(f"{RETURN}?{query}", {"comment": "   "})
    assert refused.status_code == 200
    assert "Tulis apa yang perlu diperbaiki peserta." in refused.content.decode()
    assert set(HourEntry.objects.values_list("status", flat=True)) == {
        EntryStatus.SUBMITTED
    }

    response = client.post(
        f"{RETURN}?{query}&next={ENTRIES}",
        {"comment": "Uraian terlalu singkat."},
        follow=True,
    )
    assert "2 catatan jam magang dikembalikan kepada peserta." in (
        response.content.decode()
    )
    for entry in HourEntry.objects.all():
        assert entry.status == EntryStatus.RETURNED
        assert entry.supervisor_comment == "Uraian terlalu singkat."


def test_entries_one_does_not_supervise_are_refused_and_unchanged(
    client, placement, facilitator, supervisor
):
    entries = waiting(placement, 2)
    client.force_login(facilitator)  # sees them, but is not their supervisor
    query = "&".join(f"id={entry.pk}" for entry in entries)
    confirm = client.get(f"{VERIFY}?{query}").content.decode()
    assert "Kamu bukan pembimbing penempatan catatan berikut" in confirm
    response = client.post(f"{VERIFY}?{query}", {"comment": ""})
    assert response.status_code == 200
    assert "Tidak ada catatan yang dapat kamu putuskan" in response.content.decode()
    assert set(HourEntry.objects.values_list("status", flat=True)) == {
        EntryStatus.SUBMITTED
    }
    assert not HourEntry.objects.filter(history__action=EntryAction.VERIFIED).exists()

    # Mixed with one's own: only one's own are decided.
    own_placement = PlacementFactory(supervisor=facilitator)
    [own] = waiting(own_placement)
    response = client.post(
        f"{VERIFY}?{query}&id={own.pk}&next={ENTRIES}", {"comment": ""}, follow=True
    )
    assert "1 catatan jam magang diverifikasi." in response.content.decode()
    assert HourEntry.objects.get(pk=own.pk).status == EntryStatus.VERIFIED
    assert {e.status for e in HourEntry.objects.filter(placement=placement)} == {
        EntryStatus.SUBMITTED
    }


def test_an_entry_out_of_scope_cannot_be_decided(client, placement, stranger):
    [entry] = waiting(placement)
    client.force_login(stranger)
    response = client.post(f"{VERIFY}?id={entry.pk}", {"comment": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada catatan yang dapat kamu putuskan" in page
    assert placement.trainee.display_name not in page
    assert HourEntry.objects.get().status == EntryStatus.SUBMITTED


# Bounded queries


@pytest.mark.parametrize(
    "url", [ENTRIES, ENTRIES + "?tampilkan=semua", PLACEMENTS, "/admin/"]
)
def test_pages_do_not_grow_in_queries_with_entries(
    client, placement, supervisor, url, django_assert_max_num_queries
):
    waiting(placement, 2)
    client.force_login(supervisor)
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        assert client.get(url).status_code == 200
    budget = len(few.captured_queries)
    for n in range(3):
        more = PlacementFactory(
            trainee=user_with_roles(Role.PESERTA, username=f"uji-banyak-{n}"),
            host=placement.host,
            supervisor=supervisor,
        )
        waiting(more, 6)
    # The home panel's programme figures are counted again once after the
    # writes (tests/mentorship/test_kept_figures.py); then they are kept.
    client.get(url)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_the_bulk_confirmation_does_not_grow_in_queries(
    client, placement, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    few_entries = waiting(placement, 2)
    query = "&".join(f"id={entry.pk}" for entry in few_entries)
    with django_assert_max_num_queries(40) as few:
        assert client.get(f"{VERIFY}?{query}").status_code == 200
    many = few_entries + waiting(
        placement, 10, start_time=datetime.time(13), end_time=datetime.time(14)
    )
    query = "&".join(f"id={entry.pk}" for entry in many)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{VERIFY}?{query}").status_code == 200


# The dashboard


def test_the_dashboard_tells_a_supervisor_what_waits(
    client, placement, supervisor, facilitator
):
    client.force_login(supervisor)
    assert "menunggu verifikasi kamu" not in client.get("/admin/").content.decode()
    waiting(placement, 3)
    page = client.get("/admin/").content.decode()
    assert "3 catatan jam magang menunggu verifikasi kamu (6 jam)" in page
    assert f"{ENTRIES}?tampilkan=antrean" in page
    client.force_login(facilitator)  # not their supervisor
    assert "menunggu verifikasi kamu" not in client.get("/admin/").content.decode()


def test_a_coordinator_sees_their_programmes_placements_and_entries(
    client, coordinator, placement
):
    [entry] = waiting(placement, activity="Dilihat koordinator.")
    client.force_login(coordinator)
    assert placement.trainee.display_name in client.get(PLACEMENTS).content.decode()
    # A coordinator supervises nobody: the default view is every entry in scope.
    page = client.get(ENTRIES).content.decode()
    assert "Dilihat koordinator." in page
    assert client.get(f"{ENTRIES}inspect/{entry.pk}/").status_code == 200


def test_select_all_means_everything_waiting_for_me(client, placement, supervisor):
    mine = waiting(placement, 3)
    HourEntryFactory(
        placement=PlacementFactory(),
        status=EntryStatus.SUBMITTED,
        activity="Bukan bimbingan saya.",
    )
    client.force_login(supervisor)
    response = client.post(f"{VERIFY}?id=all&next={ENTRIES}", {}, follow=True)
    assert "3 catatan jam magang diverifikasi." in response.content.decode()
    assert {e.status for e in HourEntry.objects.filter(placement=placement)} == {
        EntryStatus.VERIFIED
    }
    assert len(mine) == 3
    assert HourEntry.objects.get(activity="Bukan bimbingan saya.").status == (
        EntryStatus.SUBMITTED
    )


def test_the_magang_menu_is_there_for_staff_only(client, facilitator, trainee):
    client.force_login(facilitator)
    page = client.get("/admin/").content.decode()
    for label in ("Magang", "Penempatan magang", "Jam magang", "Impor catatan kertas"):
        assert label in page
    client.force_login(trainee)
    assert client.get(ENTRIES).status_code == 302  # no admin access at all


def test_a_placements_entries_are_one_click_away(client, facilitator, placement):
    waiting(placement, activity="Catatan penempatan ini.")
    other = PlacementFactory(trainee=placement.trainee, supervisor=placement.supervisor)
    HourEntryFactory(
        placement=other,
        date=timezone.localdate() - datetime.timedelta(days=25),
        activity="Catatan penempatan lain.",
    )
    client.force_login(facilitator)
    url = f"{ENTRIES}?tampilkan=semua&amp;penempatan={placement.pk}"
    assert url in client.get(PLACEMENTS).content.decode()
    page = client.get(url.replace("&amp;", "&")).content.decode()
    assert "Catatan penempatan ini." in page
    assert "Catatan penempatan lain." not in page
