"""Countersign links: the trainee makes and revokes them; an outside supervisor
without an account opens one and verifies, returns or leaves each entry."""

import datetime
import re
from html import unescape
from urllib.parse import unquote

from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.utils import timezone, translation

import pytest

from learning.models import Notification
from mentorship.choices import EntryAction, EntryStatus
from mentorship.models import CountersignLink, HourEntry, HourEntryEvent
from mentorship.verification import create_countersign_link
from tests.factories import HourEntryFactory, PlacementFactory, outside_placement

pytestmark = pytest.mark.django_db

LINKS = "/magang/tautan/"


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def page_text(response) -> str:
    return response.content.decode()


def words(response) -> str:
    """The page as a reader sees it: no tags, single spaces."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(text).split())


@pytest.fixture
def placement():
    return outside_placement()


@pytest.fixture
def entries(placement):
    return [
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=days_ago(day),
            activity=f"Mendampingi rujukan ke puskesmas, hari ke-{day}.",
        )
        for day in (3, 5)
    ]


@pytest.fixture
def token(placement, entries):
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=entries
    )
    return token


def url(token: str) -> str:
    return f"/magang/tanda-tangan/{token}/"


def statuses() -> list[str]:
    return sorted(HourEntry.objects.values_list("status", flat=True))


def verify(client, token, **fields):
    """Verify every entry of the link with the "verify the rest" button."""
    data = {"nama": "Maria Bria", "jabatan": "Bidan koordinator", "semua": "1"}
    data.update(fields)
    return client.post(url(token), data)


def decide(client, token, choices: dict, **fields):
    """One POST of the per-entry form: {entry: "verifikasi" | ("kembalikan", why)}."""
    data = {"nama": "Maria Bria", "jabatan": "Bidan koordinator"}
    for entry, choice in choices.items():
        choice, reason = choice if isinstance(choice, tuple) else (choice, "")
        data[f"keputusan-{entry.uuid}"] = choice
        data[f"alasan-{entry.uuid}"] = reason
    data.update(fields)
    return client.post(url(token), data)


def give_back(client, token, entries, reason: str, **fields):
    return decide(
        client,
        token,
        dict.fromkeys(entries, ("kembalikan", reason)),
        **fields,
    )


def assert_private(response):
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "no-store"


# --- The outside supervisor's page ---------------------------------------------


def test_opening_the_link_shows_the_entries_and_changes_nothing(
    client, placement, entries, token
):
    before = HourEntryEvent.objects.count()
    for _attempt in range(2):  # a link-preview bot, then the person
        response = client.get(url(token))
        assert response.status_code == 200
        assert_private(response)
    text = page_text(response)
    assert placement.trainee.display_name in text
    assert placement.host.name in text
    assert "hari ke-3" in text and "hari ke-5" in text
    assert "09:00–11:00" in text
    assert "Verifikasi semua yang belum dipilih" in text
    assert "Simpan keputusan" in text
    # Each entry has its own choice: verify, return with a reason, or later.
    for entry in entries:
        assert f'name="keputusan-{entry.uuid}"' in text
        assert f'name="alasan-{entry.uuid}"' in text
    assert len(re.findall(r'value="nanti"[^>]*checked', text)) == 2
    assert statuses() == [EntryStatus.SUBMITTED] * 2
    assert HourEntryEvent.objects.count() == before
    link = CountersignLink.objects.get()
    assert link.used_at is None


def test_the_page_shows_only_the_entries_of_its_link(client, placement, entries, token):
    other = HourEntryFactory(
        placement=placement,
        status=EntryStatus.SUBMITTED,
        date=days_ago(7),
        activity="Catatan yang tidak ada di tautan ini.",
    )
    text = page_text(client.get(url(token)))
    assert "tidak ada di tautan ini" not in text
    verify(client, token)
    other.refresh_from_db()
    assert other.status == EntryStatus.SUBMITTED


def test_verifying_records_the_name_and_position_in_each_history(
    client, placement, entries, token
):
    response = verify(client, token)
    assert response.status_code == 200
    assert_private(response)
    assert "Terima kasih, Maria Bria" in page_text(response)
    assert "2 catatan jam magang" in page_text(response)
    assert statuses() == [EntryStatus.VERIFIED] * 2
    for entry in entries:
        entry.refresh_from_db()
        assert entry.verifier_label == "Maria Bria (Bidan koordinator)"
        event = entry.history.get(action=EntryAction.VERIFIED)
        assert event.actor_label == "Maria Bria (Bidan koordinator)"
    link = CountersignLink.objects.get()
    assert (link.signer_name, link.signer_position) == (
        "Maria Bria",
        "Bidan koordinator",
    )
    assert Notification.objects.filter(recipient=placement.trainee).count() == 1
    # The trainee sees who verified, in the entry's history.
    trainee_client = Client()
    trainee_client.force_login(placement.trainee)
    detail = trainee_client.get(f"/magang/jam/{entries[0].uuid}/")
    assert "Diverifikasi · Maria Bria (Bidan koordinator)" in words(detail)


def test_a_used_link_is_refused_and_changes_nothing(client, placement, entries, token):
    verify(client, token)
    events = HourEntryEvent.objects.count()
    again = give_back(client, token, entries, "Salah tanggal.")
    assert again.status_code == 410
    assert_private(again)
    assert "sudah dipakai" in page_text(again)
    assert "Tidak ada catatan yang diubah" in page_text(again)
    assert statuses() == [EntryStatus.VERIFIED] * 2
    assert HourEntryEvent.objects.count() == events
    opened = client.get(url(token))
    assert opened.status_code == 410
    assert "sudah dipakai" in page_text(opened)


def test_an_expired_link_is_refused(client, entries, token):
    CountersignLink.objects.update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    opened = client.get(url(token))
    assert opened.status_code == 410
    assert "kedaluwarsa" in page_text(opened)
    assert_private(opened)
    sent = verify(client, token)
    assert sent.status_code == 410
    assert "Tidak ada catatan yang diubah" in page_text(sent)
    assert statuses() == [EntryStatus.SUBMITTED] * 2


def test_a_revoked_link_is_refused(client, placement, entries, token):
    client.force_login(placement.trainee)
    link = CountersignLink.objects.get()
    response = client.post(f"/magang/tautan/{link.pk}/batal/", follow=True)
    assert "Tautan dibatalkan" in page_text(response)
    assert "dibatalkan" in page_text(response)
    client.logout()
    opened = client.get(url(token))
    assert opened.status_code == 410
    assert "dibatalkan oleh peserta" in page_text(opened)
    assert verify(client, token).status_code == 410
    assert statuses() == [EntryStatus.SUBMITTED] * 2


def test_an_unknown_link_is_not_found(client, entries, token):
    for response in (
        client.get(url("bukan-tautan-yang-benar")),
        verify(client, "bukan-tautan-yang-benar"),
    ):
        assert response.status_code == 404
        assert_private(response)
        assert "tidak dikenal" in page_text(response)
        assert "Tidak ada catatan yang diubah" in page_text(response)
    assert statuses() == [EntryStatus.SUBMITTED] * 2


def test_name_and_position_are_required(client, entries, token):
    response = verify(client, token, nama=" ", jabatan="")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["nama"] == ["Tulis namamu."]
    assert form.errors["jabatan"] == ["Tulis jabatanmu."]
    assert "Tulis namamu." in page_text(response)
    assert statuses() == [EntryStatus.SUBMITTED] * 2
    assert CountersignLink.objects.get().used_at is None


def test_returning_needs_a_comment(client, entries, token):
    response = give_back(client, token, entries, "")
    form = response.context["form"]
    for entry in entries:
        assert form.errors[f"alasan-{entry.uuid}"] == [
            "Tulis apa yang perlu diperbaiki peserta."
        ]
    assert statuses() == [EntryStatus.SUBMITTED] * 2
    assert CountersignLink.objects.get().used_at is None


def test_returning_with_a_comment_sends_the_entries_back(
    client, placement, entries, token
):
    response = give_back(client, token, entries, "Jam selesai tanggal 3 keliru.")
    assert response.status_code == 200
    assert "dikembalikan kepada" in page_text(response)
    assert statuses() == [EntryStatus.RETURNED] * 2
    trainee_client = Client()
    trainee_client.force_login(placement.trainee)
    assert "Jam selesai tanggal 3 keliru." in page_text(trainee_client.get("/magang/"))


def test_the_form_works_with_csrf_checks_on(entries, token):
    strict = Client(enforce_csrf_checks=True)
    opened = strict.get(url(token))
    csrf = opened.cookies["csrftoken"].value
    refused = strict.post(
        url(token),
        {"nama": "Maria", "jabatan": "Bidan", "semua": "1"},
    )
    assert refused.status_code == 403
    assert statuses() == [EntryStatus.SUBMITTED] * 2
    accepted = strict.post(
        url(token),
        {
            "nama": "Maria",
            "jabatan": "Bidan",
            "semua": "1",
            "csrfmiddlewaretoken": csrf,
        },
    )
    assert accepted.status_code == 200
    assert statuses() == [EntryStatus.VERIFIED] * 2


@pytest.fixture
def three(placement):
    return [
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=days_ago(day),
            activity=f"Pendampingan di puskesmas, hari ke-{day}.",
        )
        for day in (2, 4, 6)
    ]


def test_each_entry_gets_its_own_decision(client, placement, three):
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=three
    )
    first, second, third = three
    response = decide(
        client,
        token,
        {
            first: "verifikasi",
            second: ("kembalikan", "Jam selesai di daftar hadir 11.30."),
            third: "nanti",
        },
    )
    assert response.status_code == 200
    assert_private(response)
    text = words(response)
    assert "1 catatan jam magang" in text and "sudah diverifikasi" in text
    assert "1 catatan dikembalikan" in text
    assert "1 catatan masih menunggu keputusanmu" in text
    for entry in three:
        entry.refresh_from_db()
    assert first.status == EntryStatus.VERIFIED
    assert first.verified_by_name == "Maria Bria (Bidan koordinator)"
    assert second.status == EntryStatus.RETURNED
    assert second.supervisor_comment == "Jam selesai di daftar hadir 11.30."
    assert second.history.get(action=EntryAction.RETURNED).actor_label == (
        "Maria Bria (Bidan koordinator)"
    )
    assert third.status == EntryStatus.SUBMITTED
    # The trainee is told once per kind of decision, not once per entry.
    assert Notification.objects.filter(recipient=placement.trainee).count() == 2
    # The link stays open for the entry left for later, and shows only that
    # one to decide; the decided ones are listed apart.
    link = CountersignLink.objects.get()
    assert link.used_at is None and link.signer_name == "Maria Bria"
    opened = client.get(url(token))
    assert opened.status_code == 200
    assert opened.context["form"].waiting == [third]
    assert "Sudah diputuskan" in words(opened)
    finished = decide(client, token, {third: "verifikasi"})
    assert "Semua catatan di tautan ini sudah diputuskan" in words(finished)
    third.refresh_from_db()
    assert third.status == EntryStatus.VERIFIED
    link.refresh_from_db()
    assert link.used_at is not None
    assert client.get(url(token)).status_code == 410


def test_a_repeated_post_changes_nothing_more(client, placement, three):
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=three
    )
    first, second, _third = three
    choices = {first: "verifikasi", second: ("kembalikan", "Tanggalnya keliru.")}
    decide(client, token, choices)
    events = HourEntryEvent.objects.count()
    notes = Notification.objects.count()
    again = decide(client, token, choices)
    assert again.status_code == 200
    assert "2 catatan sudah diputuskan sebelum keputusanmu sampai" in words(again)
    assert "tidak diubah" in words(again)
    assert HourEntryEvent.objects.count() == events
    assert Notification.objects.count() == notes
    assert statuses() == sorted(
        [EntryStatus.VERIFIED, EntryStatus.RETURNED, EntryStatus.SUBMITTED]
    )
    # Returning what was verified a moment ago does not overwrite it either.
    flipped = decide(client, token, {first: ("kembalikan", "Salah.")})
    assert "1 catatan sudah diputuskan" in words(flipped)
    first.refresh_from_db()
    assert first.status == EntryStatus.VERIFIED


def test_verify_the_rest_keeps_the_entries_given_back(client, placement, three):
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=three
    )
    first, second, third = three
    decide(client, token, {second: ("kembalikan", "Jamnya tumpang tindih.")}, semua="1")
    for entry in three:
        entry.refresh_from_db()
    assert [first.status, second.status, third.status] == [
        EntryStatus.VERIFIED,
        EntryStatus.RETURNED,
        EntryStatus.VERIFIED,
    ]
    assert CountersignLink.objects.get().used_at is not None


def test_choosing_nothing_changes_nothing(client, placement, entries, token):
    response = decide(client, token, dict.fromkeys(entries, "nanti"))
    assert response.status_code == 200
    assert "sedikitnya satu catatan" in words(response)
    assert statuses() == [EntryStatus.SUBMITTED] * 2
    assert CountersignLink.objects.get().signer_name == ""


def test_a_reason_that_names_a_phone_number_is_refused_and_nothing_changes(
    client, placement, entries, token
):
    response = decide(
        client,
        token,
        {
            entries[0]: "verifikasi",
            entries[1]: ("kembalikan", "Hubungi ibunya di 0813 3945 1122."),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[f"alasan-{entries[1].uuid}"]
    assert "0813 3945 1122" in " ".join(errors)
    assert statuses() == [EntryStatus.SUBMITTED] * 2
    # What the supervisor chose is still there to send again.
    assert re.search(
        rf'name="keputusan-{entries[0].uuid}" value="verifikasi"[^>]*checked',
        page_text(response),
    )


def test_the_per_entry_page_fits_a_phone_form_with_tap_sized_choices(
    client, entries, token
):
    text = page_text(client.get(url(token)))
    # Django's radio lists sit in a fieldset inside .field: site.css makes
    # those labels 44 px tall.
    assert text.count('<div class="field">') >= 2 * len(entries)
    assert "<fieldset" in text
    assert "novalidate" in text


# --- The trainee's links page ----------------------------------------------------


def test_making_a_link_shows_it_once_with_ways_to_send_it(client, placement, entries):
    client.force_login(placement.trainee)
    page = client.get(LINKS)
    assert "Buat tautan verifikasi" in page_text(page)
    response = client.post(
        LINKS,
        {"penempatan": placement.pk, "entri": [str(entries[0].uuid)]},
        follow=True,
    )
    text = page_text(response)
    link = CountersignLink.objects.get()
    assert list(link.entries.all()) == [entries[0]]
    new = response.context["new_link"]
    assert new["url"].startswith("http://testserver/magang/tanda-tangan/")
    token = new["url"].rstrip("/").rsplit("/", 1)[1]
    assert f'value="{new["url"]}"' in text and "readonly" in text
    for share, start in (
        ("whatsapp", "https://wa.me/?text="),
        ("sms", "sms:?&body="),
        ("mailto", "mailto:?subject="),
    ):
        assert new[share].startswith(start)
        assert " " not in new[share]
        assert new["url"] in unquote(new[share])
        assert f'href="{new[share].replace("&", "&amp;")}"' in text
    assert "berlaku sampai semuanya diputuskan" in text
    until = timezone.localtime(link.expires_at).strftime("%d-%m-%Y")
    assert f"sampai {until}" in text
    assert "menunggu" in text
    # The link works for the supervisor ...
    assert Client().get(url(token)).status_code == 200
    # ... and is never shown again.
    again = page_text(client.get(LINKS))
    assert token not in again
    assert "Tautan baru siap dikirim" not in again


def test_a_link_needs_submitted_entries(client, placement):
    draft = HourEntryFactory(placement=placement)
    client.force_login(placement.trainee)
    response = client.post(
        LINKS, {"penempatan": placement.pk, "entri": [str(draft.uuid)]}, follow=True
    )
    assert "hanya untuk catatan penempatan ini yang sudah diajukan" in words(response)
    assert not CountersignLink.objects.exists()


def test_earlier_links_show_their_state(client, placement, entries):
    trainee = placement.trainee
    used, _token = create_countersign_link(
        trainee=trainee, placement=placement, entries=entries[:1]
    )
    CountersignLink.objects.filter(pk=used.pk).update(
        used_at=timezone.now(), signer_name="Maria Bria"
    )
    expired, _token = create_countersign_link(
        trainee=trainee, placement=placement, entries=entries[1:]
    )
    CountersignLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    waiting, _token = create_countersign_link(
        trainee=trainee, placement=placement, entries=entries
    )
    client.force_login(trainee)
    text = page_text(client.get(LINKS))
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert f"dipakai oleh Maria Bria pada {today}" in text
    assert "kedaluwarsa" in text
    assert "menunggu" in text
    assert f"/magang/tautan/{waiting.pk}/batal/" in text
    assert f"/magang/tautan/{used.pk}/batal/" not in text
    assert f"/magang/tautan/{expired.pk}/batal/" not in text


def test_nobody_else_can_revoke_my_link(client, placement, entries, token):
    link = CountersignLink.objects.get()
    client.force_login(PlacementFactory().trainee)
    assert client.post(f"/magang/tautan/{link.pk}/batal/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_supervisor_with_an_account_needs_no_link(client):
    placement = PlacementFactory()
    client.force_login(placement.trainee)
    text = page_text(client.get(LINKS))
    assert "tautan tidak diperlukan" in text
    assert "Buat tautan verifikasi" not in text


def test_a_link_cannot_be_made_for_someone_elses_placement(client, placement, entries):
    client.force_login(outside_placement().trainee)
    response = client.post(
        LINKS, {"penempatan": placement.pk, "entri": [str(entries[0].uuid)]}
    )
    assert response.status_code == 404
    assert not CountersignLink.objects.exists()


def test_after_making_a_link_nothing_is_ticked_and_the_link_is_listed(
    client, placement, entries
):
    client.force_login(placement.trainee)
    before = page_text(client.get(LINKS))
    assert "checked" not in before, "nothing is ticked before choosing"
    response = client.post(
        LINKS,
        {"penempatan": placement.pk, "entri": [str(e.uuid) for e in entries]},
        follow=True,
    )
    text = page_text(response)
    assert "Tautan baru siap dikirim" in text
    assert 'name="entri"' in text and "checked" not in text
    assert text.count("Sudah ada di tautan yang masih berlaku") == 2
    link = CountersignLink.objects.get()
    assert "Tautan yang masih berlaku" in text
    with translation.override("id"):
        until = date_filter(timezone.localtime(link.expires_at), "j M Y")
    assert f"berlaku sampai {until}" in words(response)
    listed = response.context["open_links"]
    assert [item["link"] for item in listed] == [link]
    assert listed[0]["entries"] == sorted(entries, key=lambda e: e.date)
    assert f"/magang/tautan/{link.pk}/batal/" in text
    assert "Batalkan tautan ini" in text
    # Revoked, it leaves the open list for the earlier ones.
    after = client.post(f"/magang/tautan/{link.pk}/batal/", follow=True)
    assert after.context["open_links"] == []
    assert "Sudah ada di tautan" not in page_text(after)
    assert "dibatalkan" in page_text(after)


def test_a_link_half_decided_is_still_open_and_says_so(client, placement, three):
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=three
    )
    decide(Client(), token, {three[0]: "verifikasi"})
    client.force_login(placement.trainee)
    response = client.get(LINKS)
    assert "sebagian sudah diputuskan oleh Maria Bria" in words(response)
    [item] = response.context["open_links"]
    assert item["revocable"]


@pytest.mark.parametrize("count", [2, 20])
def test_the_link_pages_queries_do_not_grow_with_entries(
    client, placement, count, django_assert_max_num_queries
):
    made = [
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=days_ago(1 + number),
        )
        for number in range(count)
    ]
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=made
    )
    decide(Client(), token, {made[0]: "verifikasi"})
    with django_assert_max_num_queries(6):
        opened = client.get(url(token))
    assert len(opened.context["form"].waiting) == count - 1
    create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=made[1:]
    )
    client.force_login(placement.trainee)
    with django_assert_max_num_queries(12):
        listed = client.get(LINKS)
    assert len(listed.context["open_links"]) == 2


def test_a_link_whose_last_waiting_entry_was_taken_back_says_so(
    client, placement, three
):
    from mentorship.hours import withdraw_entry

    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=three
    )
    first, second, third = three
    choices = {first: "verifikasi", second: ("kembalikan", "Tanggalnya keliru.")}
    decide(client, token, choices)
    withdraw_entry(entry=third, trainee=placement.trainee)
    events = HourEntryEvent.objects.count()
    for response in (client.get(url(token)), decide(client, token, choices)):
        assert response.status_code == 410
        assert "Tidak ada lagi catatan yang menunggu" in words(response)
        assert "Tidak ada catatan yang diubah" in words(response)
    assert HourEntryEvent.objects.count() == events
    # The trainee sees it among the earlier links, with nothing to revoke.
    client.force_login(placement.trainee)
    listed = client.get(LINKS)
    assert listed.context["open_links"] == []
    assert "tidak ada lagi catatan yang menunggu" in words(listed)
