"""The account page: what a person may change about herself, and the app's name."""

import re
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from learning.choices import AppName, Role
from learning.models import Device, User
from tests.factories import user_with_roles
from tests.factories.people import PASSWORD, client_for

pytestmark = pytest.mark.django_db

ACCOUNT = "/akun/"


def details(user: User, **changes) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "email": user.email,
        "current_password": "",
    }
    data.update(changes)
    return data


def title_and_brand(page: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    brand = re.search(r'<a class="brand"[^>]*>(.*?)</a>', page).group(1)
    return title, brand


def test_a_visitor_is_sent_to_sign_in_first(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/akun/"


def test_the_home_page_links_to_the_account_page(signed_in, trainee):
    page = signed_in(trainee).get("/").content.decode()
    assert f'href="{ACCOUNT}"' in page


def test_the_account_page_shows_the_username_as_not_changeable(signed_in, trainee):
    page = signed_in(trainee).get(ACCOUNT).content.decode()
    assert "uji-peserta" in page
    assert "diatur oleh fasilitator" in page
    assert 'name="username"' not in page
    assert 'href="/akun/kata-sandi/"' in page
    assert 'action="/bahasa/"' in page
    assert 'name="next" value="/akun/"' in page


def test_a_phone_written_the_local_way_is_kept_as_plus_62(signed_in, trainee):
    client = signed_in(trainee)
    response = client.post(ACCOUNT, details(trainee, phone="0812-3456 7890"))
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.phone == "+6281234567890"
    page = client.get(ACCOUNT).content.decode()
    assert "Data akun kamu tersimpan." in page
    assert 'value="+6281234567890"' in page


def test_a_name_change_shows_in_whose_account_is_open(signed_in, trainee):
    client = signed_in(trainee)
    client.post(ACCOUNT, details(trainee, first_name="Yuliana", last_name="Taneo"))
    trainee.refresh_from_db()
    assert trainee.display_name == "Yuliana Taneo"
    assert "Yuliana Taneo" in client.get("/").content.decode()


def test_a_bad_email_is_shown_and_nothing_changes(signed_in, trainee):
    trainee.email = "lama@contoh.id"
    trainee.save()
    client = signed_in(trainee)
    response = client.post(
        ACCOUNT,
        details(
            trainee,
            first_name="Nama Baru",
            phone="081234567890",
            email="bukan-email",
            current_password=PASSWORD,
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alamat email tidak sah" in page
    # The account bar still names the person as she is, not as she typed.
    who = re.search(r'class="account-bar__who".*?</p>', page).group(0)
    assert "Nama Baru" not in who
    trainee.refresh_from_db()
    assert (trainee.email, trainee.phone) == ("lama@contoh.id", "")
    assert trainee.first_name != "Nama Baru"


def test_a_new_email_needs_the_password(signed_in, trainee):
    client = signed_in(trainee)
    response = client.post(ACCOUNT, details(trainee, email="orang.lain@contoh.id"))
    assert "tulis kata sandi kamu dengan benar" in response.content.decode()
    response = client.post(
        ACCOUNT,
        details(trainee, email="orang.lain@contoh.id", current_password="salah"),
    )
    assert response.status_code == 200
    trainee.refresh_from_db()
    assert trainee.email == ""
    client.post(
        ACCOUNT,
        details(trainee, email="saya@contoh.id", current_password=PASSWORD),
    )
    trainee.refresh_from_db()
    assert trainee.email == "saya@contoh.id"


def test_a_phone_that_is_not_a_number_is_refused(signed_in, trainee):
    response = signed_in(trainee).post(ACCOUNT, details(trainee, phone="12"))
    assert "Nomor HP tidak dikenali" in response.content.decode()
    trainee.refresh_from_db()
    assert trainee.phone == ""


def test_an_empty_name_is_refused_with_a_message(signed_in, trainee):
    response = signed_in(trainee).post(ACCOUNT, details(trainee, first_name=" "))
    assert "Tulis nama kamu." in response.content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"first_name": "Yuli\x00ana"},
        {"phone": "0812\x003456"},
        {"email": "a\x00b@contoh.id"},
        {"first_name": "Y" * 100_000},
        {"phone": "0" * 5000},
        {"email": "a" * 5000 + "@contoh.id"},
        {"current_password": "x" * 5000, "email": "baru@contoh.id"},
    ],
)
def test_nul_bytes_and_huge_input_are_form_errors_not_crashes(
    signed_in, trainee, changes
):
    client = signed_in(trainee)
    before = User.objects.values().get(pk=trainee.pk)
    response = client.post(ACCOUNT, details(trainee, **changes))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert User.objects.values().get(pk=trainee.pk) == before


def test_the_username_and_roles_cannot_be_changed_here(signed_in, trainee):
    signed_in(trainee).post(
        ACCOUNT,
        details(trainee, username="baru", is_staff="on", is_superuser="on"),
    )
    trainee.refresh_from_db()
    assert trainee.username == "uji-peserta"
    assert not trainee.is_staff and not trainee.is_superuser


def test_choosing_belajar_renames_the_site_on_this_phone(signed_in, trainee, tree):
    client = signed_in(trainee)
    response = client.post("/akun/nama-aplikasi/", {"app_name": "belajar"})
    assert response.status_code == 302
    cookie = response.cookies["app_nama"]
    assert cookie.value == "belajar"
    assert int(cookie["max-age"]) > 300 * 24 * 3600
    trainee.refresh_from_db()
    assert trainee.app_name == AppName.BELAJAR

    home = client.get("/").content.decode()
    assert title_and_brand(home) == ("Beranda · Belajar", "Belajar")
    assert "Pendamping" not in home
    assert "/manifest.webmanifest?nama=belajar" in home


def test_the_neutral_name_stays_on_the_phone_after_sign_out(signed_in, trainee):
    client = signed_in(trainee)
    client.post("/akun/nama-aplikasi/", {"app_name": "belajar"})
    client.post("/keluar/")
    page = client.get("/masuk/").content.decode()
    assert title_and_brand(page) == ("Masuk · Belajar", "Belajar")


def test_choosing_pendamping_again_puts_the_name_back(signed_in, trainee):
    client = signed_in(trainee)
    client.post("/akun/nama-aplikasi/", {"app_name": "belajar"})
    response = client.post("/akun/nama-aplikasi/", {"app_name": "pendamping"})
    assert response.cookies["app_nama"].value == ""  # deleted
    assert title_and_brand(client.get("/").content.decode())[1] == "Pendamping"
    trainee.refresh_from_db()
    assert trainee.app_name == AppName.PENDAMPING


@pytest.mark.parametrize("value", ["", "rahasia", "x" * 5000])
def test_an_unknown_app_name_is_refused_with_a_message(signed_in, trainee, value):
    response = signed_in(trainee).post("/akun/nama-aplikasi/", {"app_name": value})
    assert response.status_code == 200
    assert "Pilih salah satu nama." in response.content.decode()
    assert "app_nama" not in response.cookies


def test_signing_in_on_another_phone_brings_the_neutral_name_along(trainee):
    trainee.app_name = AppName.BELAJAR
    trainee.save()
    other_phone = client_for(None)
    response = other_phone.post(
        "/masuk/", {"username": trainee.username, "password": PASSWORD}
    )
    assert response.cookies["app_nama"].value == "belajar"
    assert title_and_brand(other_phone.get("/").content.decode())[1] == "Belajar"


def test_signing_in_never_turns_a_neutral_phone_back(trainee):
    """Someone else chose Belajar on this shared phone: it stays Belajar."""
    phone = client_for(None)
    phone.cookies["app_nama"] = "belajar"
    response = phone.post(
        "/masuk/", {"username": trainee.username, "password": PASSWORD}
    )
    assert "app_nama" not in response.cookies
    assert title_and_brand(phone.get("/").content.decode())[1] == "Belajar"


def test_the_page_lists_only_ones_own_devices(signed_in, trainee):
    other = user_with_roles(Role.PESERTA)
    Device.objects.create(user=trainee, uuid=uuid.uuid4(), label="Android · Chrome")
    Device.objects.create(user=other, uuid=uuid.uuid4(), label="iPhone · Safari")
    page = signed_in(trainee).get(ACCOUNT).content.decode()
    assert "Android · Chrome" in page
    assert "iPhone · Safari" not in page
    assert "Cabut perangkat ini" in page


def test_the_account_page_is_never_stored_by_the_browser(signed_in, trainee):
    response = signed_in(trainee).get(ACCOUNT)
    assert "no-store" in response["Cache-Control"]


def test_the_account_page_queries_do_not_grow_with_devices(signed_in, trainee):
    client = signed_in(trainee)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ACCOUNT).status_code == 200
        return len(captured)

    Device.objects.create(user=trainee, uuid=uuid.uuid4())
    few = queries()
    for _ in range(15):
        Device.objects.create(user=trainee, uuid=uuid.uuid4())
    assert queries() == few
