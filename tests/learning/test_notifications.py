"""Notifications: a row in the app, an e-mail by the worker after commit, a panel
on the home page. (The mail task's retries and the outbox: test_outbox.py.)"""

from django.core import mail
from django.db import transaction

import pytest

from learning.choices import Role
from learning.models import Notification
from learning.notifications import mark_read, notify, unread_for
from tests.factories import user_with_roles

pytestmark = pytest.mark.django_db


def test_notify_records_the_message_and_mails_it_after_commit(
    trainee, django_capture_on_commit_callbacks
):
    trainee.email = "peserta@example.org"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipient=trainee, message="Jam magangmu diverifikasi.", link="/magang/")
        assert len(mail.outbox) == 0  # not before the commit
    notification = Notification.objects.get()
    assert notification.recipient == trainee
    assert notification.read_at is None
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["peserta@example.org"]
    assert "Jam magangmu diverifikasi." in mail.outbox[0].subject
    assert mail.outbox[0].body.rstrip().endswith("/magang/")


def test_a_person_without_an_address_is_told_in_the_app_only(
    trainee, django_capture_on_commit_callbacks
):
    assert not trainee.email
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=trainee, message="Ada draf yang belum diajukan.")
    assert Notification.objects.filter(recipient=trainee).count() == 1
    assert mail.outbox == []


def test_the_home_page_shows_unread_notifications_with_their_links(signed_in, trainee):
    notify(recipient=trainee, message="Dua catatan diverifikasi.", link="/magang/")
    page = signed_in(trainee).get("/").content.decode()
    assert "Pemberitahuan" in page
    assert "Dua catatan diverifikasi." in page
    assert 'href="/magang/"' in page
    assert "Tandai sudah dibaca" in page


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_its_notifications(client, role):
    person = user_with_roles(role)
    notify(recipient=person, message="Pesan untuk semua peran.")
    client.force_login(person)
    assert "Pesan untuk semua peran." in client.get("/").content.decode()


def test_nothing_is_shown_when_there_is_nothing_to_tell(signed_in, trainee):
    page = signed_in(trainee).get("/").content.decode()
    assert "Pemberitahuan" not in page
    assert "Tandai sudah dibaca" not in page


def test_marking_read_hides_them_from_the_home_page(signed_in, trainee):
    notify(recipient=trainee, message="Catatanmu dikembalikan.")
    client = signed_in(trainee)
    ids = list(Notification.objects.values_list("pk", flat=True))
    response = client.post("/pemberitahuan/dibaca/", {"notification": ids})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Catatanmu dikembalikan." not in client.get("/").content.decode()
    assert not unread_for(trainee).exists()


def test_only_the_notifications_shown_are_marked_read(signed_in, trainee):
    shown = notify(recipient=trainee, message="Yang sudah dilihat.")
    later = notify(recipient=trainee, message="Yang datang kemudian.")
    signed_in(trainee).post("/pemberitahuan/dibaca/", {"notification": [shown.pk]})
    assert list(unread_for(trainee)) == [later]


def test_another_persons_notifications_cannot_be_marked_read(
    signed_in, trainee, facilitator
):
    theirs = notify(recipient=facilitator, message="Untuk fasilitator.")
    signed_in(trainee).post("/pemberitahuan/dibaca/", {"notification": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert mark_read(user=trainee, notification_ids=[theirs.pk]) == 0


def test_marking_read_needs_a_post_and_a_signed_in_person(client, trainee):
    notification = notify(recipient=trainee, message="Tetap belum dibaca.")
    anonymous = client.post(
        "/pemberitahuan/dibaca/", {"notification": [notification.pk]}
    )
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/masuk/")
    client.force_login(trainee)
    assert client.get("/pemberitahuan/dibaca/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_panel_lists_the_newest_ten_and_says_how_many_there_are(signed_in, trainee):
    for number in range(12):
        notify(recipient=trainee, message=f"Pemberitahuan nomor {number:02d}")
    page = signed_in(trainee).get("/").content.decode()
    assert "Pemberitahuan nomor 11" in page
    assert "Pemberitahuan nomor 02" in page
    assert "Pemberitahuan nomor 01" not in page
    assert "10 terbaru dari 12 pemberitahuan" in page


def test_the_home_page_takes_the_same_queries_for_few_or_many_notifications(
    signed_in, trainee, django_assert_max_num_queries
):
    client = signed_in(trainee)
    notify(recipient=trainee, message="Satu saja.")
    with django_assert_max_num_queries(40) as few:
        client.get("/")
    for number in range(30):
        notify(recipient=trainee, message=f"Lagi {number}")
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        client.get("/")
