import pytest

from learning.choices import Role
from tests.factories import user_with_roles

pytestmark = pytest.mark.django_db


def test_visitors_see_the_landing_page_in_indonesian(client):
    response = client.get("/")
    page = response.content.decode()
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in page
    assert "Pelatihan pendamping dan paralegal desa" in page
    assert 'href="/masuk/"' in page


def test_a_phone_set_to_english_still_gets_indonesian(client):
    page = client.get("/masuk/", headers={"accept-language": "en-US,en;q=0.9"})
    assert page["Content-Language"] == "id"
    assert "Keluar cepat" in page.content.decode()


def test_the_language_switcher_turns_the_site_to_english(client):
    response = client.post("/bahasa/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    page = client.get("/masuk/").content.decode()
    assert '<html lang="en">' in page
    assert "Quick exit" in page
    assert "Sign in" in page


def test_the_wagtail_admin_speaks_indonesian(signed_in, coordinator):
    coordinator.is_superuser = True
    coordinator.save()
    client = signed_in(coordinator)
    headers = {"accept-language": "en-US,en;q=0.9"}
    dashboard = client.get("/admin/", headers=headers).content.decode()
    users = client.get("/admin/users/", headers=headers).content.decode()
    # Wagtail's own Indonesian, and ours where Wagtail's leaves English.
    assert "Halaman" in dashboard
    assert "Cari di semua halaman" in dashboard
    assert "Search all pages" not in dashboard
    assert "Add a user" not in users
    assert "Atur kata sandi" in dashboard


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.PESERTA, "Belajar", "Buka ruang kerja"),
        (Role.ALUMNI, "Untuk alumni", "Buka ruang kerja"),
        (Role.FASILITATOR, "Buka ruang kerja", "Untuk alumni"),
        (Role.KOORDINATOR, "Buka ruang kerja", "Untuk alumni"),
    ],
)
def test_each_role_has_its_own_home(signed_in, role, expected, absent):
    client = signed_in(user_with_roles(role))
    page = client.get("/").content.decode()
    assert expected in page
    assert absent not in page
    assert str(role.label) in page


def test_a_person_with_two_roles_sees_both_homes(signed_in):
    client = signed_in(user_with_roles(Role.FASILITATOR, Role.ALUMNI))
    page = client.get("/").content.decode()
    assert "Buka ruang kerja" in page
    assert "Untuk alumni" in page


def test_an_account_without_a_role_is_told_whom_to_ask(signed_in):
    client = signed_in(user_with_roles())
    assert "belum memiliki peran" in client.get("/").content.decode()
