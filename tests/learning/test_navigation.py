"""The menu of places (learning.navigation): what each role finds in it, where
it marks one to be, and that it stays out of pages that are not a person's."""

import re

import pytest

from learning.choices import Role
from learning.models import Notification
from tests.factories import user_with_roles

pytestmark = pytest.mark.django_db


def menu(page: str) -> list[tuple[str, str, bool]]:
    nav = re.search(r'<nav class="places".*?</nav>', page, re.S)
    if nav is None:
        return []
    return [
        (label, href, "aria-current" in attrs)
        for href, attrs, label in re.findall(
            r'<a href="([^"]+)" data-place="[^"]+"([^>]*)>([^<]+)</a>', nav.group(0)
        )
    ]


def labels(page: str) -> list[str]:
    return [label for label, _href, _here in menu(page)]


def test_a_trainee_finds_the_five_places_she_goes(client, trainee, tree):
    client.force_login(trainee)
    assert menu(client.get("/").content.decode()) == [
        ("Beranda", "/", True),
        ("Belajar", tree[0].url, False),
        ("Magang", "/magang/", False),
        ("Cari", "/cari/", False),
        ("Akun", "/akun/", False),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ALUMNI, ["Beranda", "Belajar", "Sertifikat", "Cari", "Akun"]),
        (Role.FASILITATOR, ["Beranda", "Belajar", "Kehadiran", "Kelola", "Akun"]),
        (Role.KOORDINATOR, ["Beranda", "Belajar", "Cari", "Kelola", "Akun"]),
    ],
)
def test_each_role_finds_its_own_places(client, tree, role, expected):
    client.force_login(user_with_roles(role, username="orang"))
    assert labels(client.get("/").content.decode()) == expected


def test_holding_many_roles_still_gives_five_places_with_home_and_account(client, tree):
    person = user_with_roles(
        Role.PESERTA, Role.FASILITATOR, Role.KOORDINATOR, username="banyak"
    )
    client.force_login(person)
    places = labels(client.get("/").content.decode())
    assert len(places) == 5
    assert places[0] == "Beranda" and places[-1] == "Akun"


def test_the_menu_marks_the_place_of_a_page_deeper_in(client, trainee, tree):
    client.force_login(trainee)
    here = [
        label
        for label, _href, current in menu(
            client.get("/magang/jam/baru/").content.decode()
        )
        if current
    ]
    assert here == ["Magang"]
    here = [
        label
        for label, _href, current in menu(client.get("/akun/").content.decode())
        if current
    ]
    assert here == ["Akun"]


def test_no_menu_for_a_visitor_or_in_a_copy_kept_offline(client, trainee, tree):
    assert labels(client.get("/").content.decode()) == []
    assert labels(client.get("/masuk/").content.decode()) == []
    client.force_login(trainee)
    kept = client.get("/magang/kirim/?salinan=offline").content.decode()
    assert "data-offline-note" in kept
    assert labels(kept) == []


def test_without_a_training_home_belajar_is_left_out(client, trainee):
    client.force_login(trainee)
    assert "Belajar" not in labels(client.get("/").content.decode())


def test_whose_account_and_sign_out_share_one_line(client, trainee):
    client.force_login(trainee)
    page = client.get("/").content.decode()
    bar = re.search(r'<div class="account-bar">.*?</div>', page, re.S).group(0)
    assert f"({trainee.username})" in bar
    assert 'action="/keluar/"' in bar
    assert bar.count("<p") == 1


def test_the_account_page_lists_every_notification_read_or_not(client, trainee):
    older = Notification.objects.create(
        recipient=trainee, message="Jam kamu diverifikasi."
    )
    Notification.objects.create(recipient=trainee, message="Kasusmu dikembalikan.")
    Notification.objects.create(
        recipient=user_with_roles(Role.PESERTA, username="lain"),
        message="Bukan untukmu.",
    )
    client.force_login(trainee)
    client.post("/pemberitahuan/dibaca/", {"notification": [older.pk]})
    page = client.get("/akun/").content.decode()
    history = re.search(r'id="pemberitahuan".*?</section>', page, re.S).group(0)
    assert history.index("Kasusmu dikembalikan.") < history.index(
        "Jam kamu diverifikasi."
    )
    assert "Bukan untukmu." not in history
    assert history.count("belum dibaca") == 1
    assert "dibaca " in history


def test_marking_all_read_from_the_account_page_touches_only_ones_own(client, trainee):
    for number in range(3):
        Notification.objects.create(recipient=trainee, message=f"Pesan {number}")
    other = Notification.objects.create(
        recipient=user_with_roles(Role.PESERTA, username="lain"), message="Lain"
    )
    client.force_login(trainee)
    response = client.post("/pemberitahuan/dibaca/", {"semua": "1", "kembali": "akun"})
    assert response["Location"] == "/akun/#pemberitahuan"
    assert not Notification.objects.filter(recipient=trainee, read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_a_long_history_is_shown_a_page_at_a_time(client, trainee):
    Notification.objects.bulk_create(
        Notification(recipient=trainee, message=f"Pesan nomor {number}")
        for number in range(45)
    )
    client.force_login(trainee)
    page = client.get("/akun/").content.decode()
    assert "Pesan nomor 44" in page and "Pesan nomor 24" not in page
    assert "Halaman 1 dari 3" in page
    last = client.get("/akun/?pemberitahuan=3").content.decode()
    assert "Pesan nomor 0" in last
    # A page number that is not one shows the first or last page, not an error.
    assert client.get("/akun/?pemberitahuan=x%00%22").status_code == 200
    assert client.get("/akun/?pemberitahuan=99999999999999999999").status_code == 200
