"""The trainee's magang pages: the log, recording an hour, fixing and submitting."""

import datetime
import uuid

from django.utils import timezone

import pytest

from learning.choices import Role
from mentorship.choices import ActivityCategory, EntryAction, EntryStatus
from mentorship.models import HourEntry
from tests.factories import (
    HourEntryFactory,
    PlacementFactory,
    outside_placement,
    user_with_roles,
)

pytestmark = pytest.mark.django_db

LOG = "/magang/"
NEW = "/magang/jam/baru/"
SUBMIT = "/magang/jam/ajukan/"


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def detail(entry) -> str:
    return f"/magang/jam/{entry.uuid}/"


@pytest.fixture
def placement():
    return PlacementFactory()


@pytest.fixture
def trainee(placement):
    return placement.trainee


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def form_data(placement, /, **fields) -> dict:
    data = {
        "uuid": str(uuid.uuid4()),
        "placement": placement.pk,
        "date": days_ago(3).isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "minutes": "",
        "category": ActivityCategory.COMPLAINTS,
        "activity": "Mengamati penerimaan pengaduan dan mencatat tanpa identitas.",
        "aksi": "draf",
    }
    data.update(fields)
    return data


def page_text(response) -> str:
    return response.content.decode()


# --- Signing in and having a placement ------------------------------------------


def test_the_pages_ask_a_visitor_to_sign_in(client, placement):
    for url in (LOG, NEW, "/magang/tautan/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")


def test_a_person_without_a_placement_is_told_what_happens_next(client):
    client.force_login(user_with_roles(Role.PESERTA))
    for url in (LOG, NEW):
        response = client.get(url)
        assert response.status_code == 200
        assert "Kamu belum punya penempatan magang" in page_text(response)
        assert "Hubungi fasilitatormu" in page_text(response)


# --- The log -----------------------------------------------------------------


def test_the_log_shows_each_placement_with_its_progress_in_words(as_trainee, placement):
    HourEntryFactory(
        placement=placement,
        status=EntryStatus.VERIFIED,
        minutes=750,
        start_time=None,
        end_time=None,
        date=days_ago(10),
    )
    HourEntryFactory(
        placement=placement,
        status=EntryStatus.SUBMITTED,
        minutes=240,
        start_time=None,
        end_time=None,
        date=days_ago(9),
    )
    text = page_text(as_trainee.get(LOG))
    assert placement.host.name in text
    assert placement.supervisor.display_name in text
    assert "<strong>12,5</strong> dari 40 jam terverifikasi · 4 jam menunggu" in text
    assert 'class="hours-bar"' in text


def test_the_log_lists_entries_newest_first_with_status_in_words(as_trainee, placement):
    HourEntryFactory(placement=placement, date=days_ago(8), status=EntryStatus.VERIFIED)
    HourEntryFactory(
        placement=placement,
        date=days_ago(2),
        start_time=None,
        end_time=None,
        minutes=90,
    )
    HourEntryFactory(
        placement=placement,
        date=days_ago(5),
        status=EntryStatus.RETURNED,
        supervisor_comment="Tulis perannya saja, bukan namanya.",
    )
    text = page_text(as_trainee.get(LOG))
    newest, middle, oldest = (
        text.index(f"/magang/jam/{entry.uuid}/")
        for entry in HourEntry.objects.order_by("-date")
    )
    assert newest < middle < oldest
    assert "1 jam 30 menit" in text
    assert "09:00–11:00" in text
    for label in ("Draf", "Dikembalikan", "Terverifikasi"):
        assert f">{label}</span>" in text
    assert "Tulis perannya saja, bukan namanya." in text
    assert "Penerimaan pengaduan" in text


def test_only_drafts_and_returned_entries_can_be_ticked(as_trainee, placement):
    draft = HourEntryFactory(placement=placement, date=days_ago(2))
    returned = HourEntryFactory(
        placement=placement, date=days_ago(4), status=EntryStatus.RETURNED
    )
    waiting = HourEntryFactory(
        placement=placement, date=days_ago(6), status=EntryStatus.SUBMITTED
    )
    text = page_text(as_trainee.get(LOG))
    assert f'value="{draft.uuid}"' in text
    assert f'value="{returned.uuid}"' in text
    assert f'value="{waiting.uuid}"' not in text
    assert text.count("Ajukan ke pembimbing") == 1


def test_the_log_links_to_countersign_only_for_an_outside_supervisor(client, placement):
    client.force_login(placement.trainee)
    assert "/magang/tautan/" not in page_text(client.get(LOG))
    outside = outside_placement()
    client.force_login(outside.trainee)
    assert "/magang/tautan/" in page_text(client.get(LOG))


def test_the_log_shows_totals_by_category(as_trainee, placement):
    HourEntryFactory(
        placement=placement,
        status=EntryStatus.VERIFIED,
        category=ActivityCategory.SIMFONI,
        date=days_ago(3),
    )
    text = page_text(as_trainee.get(LOG))
    assert "Jam terverifikasi menurut kegiatan" in text
    assert "Input data SIMFONI-PPA" in text


def test_the_log_shows_only_my_own_entries(as_trainee, placement):
    mine = HourEntryFactory(placement=placement)
    theirs = HourEntryFactory(activity="Catatan orang lain yang tidak boleh terlihat.")
    text = page_text(as_trainee.get(LOG))
    assert str(mine.uuid) in text
    assert str(theirs.uuid) not in text
    assert "tidak boleh terlihat" not in text


@pytest.mark.parametrize("count", [3, 30])
def test_the_log_query_count_does_not_grow_with_entries(
    as_trainee, placement, count, django_assert_max_num_queries
):
    second = PlacementFactory(trainee=placement.trainee)
    statuses = list(EntryStatus)
    for number in range(count):
        HourEntryFactory(
            placement=placement if number % 2 else second,
            date=days_ago(1 + number % 25),
            start_time=datetime.time(number % 12 + 6, 0),
            end_time=datetime.time(number % 12 + 7, 0),
            minutes=60,
            status=statuses[number % len(statuses)],
            verified_by=placement.supervisor,
            supervisor_comment="Perbaiki" if number % 3 else "",
        )
    # 12: the menu of places looks up the training home's address (2 queries).
    with django_assert_max_num_queries(12):
        response = as_trainee.get(LOG)
    assert response.status_code == 200
    assert page_text(response).count("/magang/jam/") - 2 >= count


def test_the_home_page_has_a_magang_panel(as_trainee, placement):
    HourEntryFactory(placement=placement, status=EntryStatus.VERIFIED, date=days_ago(4))
    HourEntryFactory(placement=placement, date=days_ago(3))
    HourEntryFactory(placement=placement, date=days_ago(2), status=EntryStatus.RETURNED)
    text = page_text(as_trainee.get("/"))
    assert 'id="panel-magang"' in text
    assert "<strong>2</strong> dari 40 jam terverifikasi" in text
    assert "2 catatan belum diajukan ke pembimbing." in text
    assert 'href="/magang/"' in text


def test_the_magang_panel_is_not_shown_to_a_facilitator(client, placement):
    client.force_login(placement.supervisor)
    assert 'id="panel-magang"' not in page_text(client.get("/"))


# --- Recording an hour ---------------------------------------------------------


def test_the_form_offers_my_placements_only_and_picks_the_one_open_today(
    as_trainee, placement
):
    ended = PlacementFactory(
        trainee=placement.trainee,
        start_date=days_ago(200),
        end_date=days_ago(100),
    )
    someone_elses = PlacementFactory()
    response = as_trainee.get(NEW)
    form = response.context["form"]
    assert set(form.fields["placement"].queryset) == {placement, ended}
    assert someone_elses not in form.fields["placement"].queryset
    assert form["placement"].value() == placement.pk
    assert f'<option value="{placement.pk}" selected>' in page_text(response)
    assert form["uuid"].value()
    text = page_text(response)
    assert "Isi jam mulai dan selesai, atau lamanya saja." in text
    assert "Jangan pernah menulis nama, alamat" in text
    assert "Simpan sebagai draf" in text
    assert "Simpan dan ajukan" in text


def test_each_empty_form_carries_a_new_uuid(as_trainee):
    first = as_trainee.get(NEW).context["form"]["uuid"].value()
    second = as_trainee.get(NEW).context["form"]["uuid"].value()
    assert first != second


def test_a_draft_is_saved_and_listed(as_trainee, placement):
    data = form_data(placement)
    response = as_trainee.post(NEW, data, follow=True)
    entry = HourEntry.objects.get()
    assert str(entry.uuid) == data["uuid"]
    assert entry.status == EntryStatus.DRAFT
    assert entry.minutes == 120
    assert "Catatan disimpan sebagai draf" in page_text(response)
    assert str(entry.uuid) in page_text(response)


def test_save_and_submit_sends_it_to_the_supervisor(as_trainee, placement):
    as_trainee.post(NEW, form_data(placement, aksi="ajukan"))
    entry = HourEntry.objects.get()
    assert entry.status == EntryStatus.SUBMITTED
    assert list(entry.history.values_list("action", flat=True)) == [
        EntryAction.CREATED,
        EntryAction.SUBMITTED,
    ]


def test_a_duration_alone_is_enough(as_trainee, placement):
    as_trainee.post(NEW, form_data(placement, start_time="", end_time="", minutes="45"))
    entry = HourEntry.objects.get()
    assert (entry.minutes, entry.start_time) == (45, None)


def test_sending_the_same_form_twice_makes_one_entry(as_trainee, placement):
    data = form_data(placement)
    first = as_trainee.post(NEW, data)
    second = as_trainee.post(NEW, data, follow=True)
    assert first.status_code == 302
    assert HourEntry.objects.count() == 1
    assert "tidak dicatat dua kali" in page_text(second)


def _existing(placement, **fields):
    values = {"placement": placement, "date": days_ago(3)}
    values.update(fields)
    return HourEntryFactory(**values)


REFUSALS = [
    pytest.param(
        lambda placement: {
            "date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        },
        "date",
        "Tanggal ini belum terjadi",
        id="future-date",
    ),
    pytest.param(
        lambda placement: {
            "date": (placement.start_date - datetime.timedelta(days=1)).isoformat()
        },
        "date",
        "Di luar masa magang",
        id="before-the-placement",
    ),
    pytest.param(
        lambda placement: (
            _existing(placement),
            {"start_time": "10:00", "end_time": "12:00"},
        )[1],
        "start_time",
        "Bertumpang tindih",
        id="overlap",
    ),
    pytest.param(
        lambda placement: (
            _existing(placement, start_time=None, end_time=None, minutes=11 * 60),
            {"start_time": "", "end_time": "", "minutes": "120"},
        )[1],
        "minutes",
        "lebih dari 12 jam sehari",
        id="daily-cap",
    ),
    pytest.param(
        lambda placement: {"start_time": "", "end_time": "", "minutes": "0"},
        "minutes",
        "lebih dari 0",
        id="zero-minutes",
    ),
    pytest.param(
        lambda placement: {"start_time": "09:00", "end_time": "09:00"},
        "end_time",
        "lamanya nol",
        id="zero-length-times",
    ),
    pytest.param(
        lambda placement: {"activity": "   "},
        "activity",
        "",
        id="no-activity",
    ),
]


@pytest.mark.parametrize(("make", "field", "message"), REFUSALS)
def test_a_refused_entry_shows_why_on_its_field_and_saves_nothing(
    as_trainee, placement, make, field, message
):
    fields = make(placement)
    before = HourEntry.objects.count()
    data = form_data(placement, **fields)
    response = as_trainee.post(NEW, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message in page_text(response)
    assert 'class="field field--error"' in page_text(response)
    assert HourEntry.objects.count() == before
    assert not HourEntry.objects.filter(uuid=data["uuid"]).exists()
    # The same uuid stays in the form, so the corrected retry is still one entry.
    assert response.context["form"]["uuid"].value() == data["uuid"]


def test_a_placement_of_someone_else_cannot_be_chosen(as_trainee, placement):
    other = PlacementFactory()
    response = as_trainee.post(NEW, form_data(placement, placement=other.pk))
    assert "placement" in response.context["form"].errors
    assert not HourEntry.objects.exists()


def test_a_form_without_its_uuid_says_to_reload(as_trainee, placement):
    response = as_trainee.post(NEW, form_data(placement, uuid=""))
    assert "Muat ulang halaman" in page_text(response)
    assert not HourEntry.objects.exists()


# --- Submitting, fixing, locking -----------------------------------------------


def test_ticked_drafts_are_submitted_together(as_trainee, placement):
    first = HourEntryFactory(placement=placement, date=days_ago(2))
    second = HourEntryFactory(placement=placement, date=days_ago(4))
    left = HourEntryFactory(placement=placement, date=days_ago(6))
    response = as_trainee.post(
        SUBMIT, {"entri": [str(first.uuid), str(second.uuid)]}, follow=True
    )
    assert "2 catatan diajukan ke pembimbing." in page_text(response)
    statuses = dict(HourEntry.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: EntryStatus.SUBMITTED,
        second.pk: EntryStatus.SUBMITTED,
        left.pk: EntryStatus.DRAFT,
    }
    assert first.history.filter(action=EntryAction.SUBMITTED).count() == 1


def test_submitting_nothing_or_someone_elses_entry_changes_nothing(
    as_trainee, placement
):
    theirs = HourEntryFactory()
    response = as_trainee.post(
        SUBMIT, {"entri": [str(theirs.uuid), "bukan-uuid"]}, follow=True
    )
    assert "Pilih dulu catatan yang akan diajukan." in page_text(response)
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.DRAFT


def test_submit_needs_a_post(as_trainee):
    assert as_trainee.get(SUBMIT).status_code == 405


def test_the_detail_page_shows_the_entry_and_its_history(as_trainee, placement):
    as_trainee.post(NEW, form_data(placement, aksi="ajukan"))
    entry = HourEntry.objects.get()
    text = page_text(as_trainee.get(detail(entry)))
    assert "Menunggu verifikasi" in text
    assert "Dibuat" in text and "Diajukan" in text
    assert placement.trainee.display_name in text
    assert "WITA" in text
    assert "Simpan perubahan" not in text
    assert "Hapus draf" not in text


def test_a_returned_entry_can_be_corrected_and_resubmitted(as_trainee, placement):
    entry = HourEntryFactory(
        placement=placement,
        status=EntryStatus.RETURNED,
        supervisor_comment="Jangan tulis nama desa korban.",
    )
    page = as_trainee.get(detail(entry))
    assert "Perbaiki lalu ajukan lagi" in page_text(page)
    assert "Jangan tulis nama desa korban." in page_text(page)
    form = page.context["form"]
    assert form["start_time"].value() == datetime.time(9, 0)
    data = form_data(
        placement,
        date=entry.date.isoformat(),
        activity="Mendampingi penerimaan pengaduan; mencatat tanpa identitas.",
        aksi="ajukan",
    )
    del data["uuid"]
    response = as_trainee.post(detail(entry), data, follow=True)
    assert "Perubahan disimpan dan diajukan" in page_text(response)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.activity.startswith("Mendampingi")
    assert list(entry.history.values_list("action", flat=True)) == [
        EntryAction.EDITED,
        EntryAction.RESUBMITTED,
    ]


def test_a_correction_that_breaks_a_rule_shows_why_and_changes_nothing(
    as_trainee, placement
):
    entry = HourEntryFactory(placement=placement, status=EntryStatus.RETURNED)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = as_trainee.post(detail(entry), form_data(placement, date=future))
    assert "Tanggal ini belum terjadi" in page_text(response)
    entry.refresh_from_db()
    assert entry.date == days_ago(3)
    assert entry.status == EntryStatus.RETURNED


def test_a_verified_entry_has_no_form_and_refuses_an_edit(as_trainee, placement):
    entry = HourEntryFactory(
        placement=placement,
        status=EntryStatus.VERIFIED,
        verified_by=placement.supervisor,
        verified_at=timezone.now(),
    )
    page = as_trainee.get(detail(entry))
    assert page.context["form"] is None
    assert "Simpan perubahan" not in page_text(page)
    assert "terkunci" in page_text(page)
    assert placement.supervisor.display_name in page_text(page)
    response = as_trainee.post(
        detail(entry), form_data(placement, activity="Diubah diam-diam."), follow=True
    )
    assert "tidak dapat diubah" in page_text(response)
    entry.refresh_from_db()
    assert entry.activity.startswith("Mengamati")
    assert entry.status == EntryStatus.VERIFIED
    assert not entry.history.filter(action=EntryAction.EDITED).exists()


def test_a_draft_can_be_deleted(as_trainee, placement):
    entry = HourEntryFactory(placement=placement)
    assert "Hapus draf" in page_text(as_trainee.get(detail(entry)))
    response = as_trainee.post(detail(entry), {"aksi": "hapus"}, follow=True)
    assert "Draf dihapus." in page_text(response)
    assert not HourEntry.objects.exists()


def test_a_waiting_entry_cannot_be_deleted(as_trainee, placement):
    entry = HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    response = as_trainee.post(detail(entry), {"aksi": "hapus"}, follow=True)
    assert "Hanya draf" in page_text(response)
    assert HourEntry.objects.filter(pk=entry.pk).exists()


def test_another_trainees_entry_does_not_exist_for_me(as_trainee):
    theirs = HourEntryFactory()
    assert as_trainee.get(detail(theirs)).status_code == 404
    assert as_trainee.post(detail(theirs), {"aksi": "hapus"}).status_code == 404
    assert HourEntry.objects.filter(pk=theirs.pk).exists()


def test_the_supervisor_cannot_open_the_trainees_page_for_an_entry(client, placement):
    entry = HourEntryFactory(placement=placement)
    client.force_login(placement.supervisor)
    assert client.get(detail(entry)).status_code == 404
