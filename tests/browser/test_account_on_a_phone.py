"""The account page on a 360 px phone: the person's details and the app's name."""

import pytest

from learning.choices import Role
from tests.browser.conftest import sign_in
from tests.factories import user_with_roles
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_trainee_names_the_app_belajar_and_the_title_follows(phone, screenshot):
    user_with_roles(Role.PESERTA, username="peserta", first_name="Maria", last_name="")
    sign_in(phone, "peserta", PASSWORD)
    phone.get_by_role("link", name="Data diri, nama aplikasi dan perangkat").click()
    phone.wait_for_url("**/akun/")
    assert phone.title() == "Akun saya · Pendamping"
    assert fits_the_screen(phone)
    screenshot(phone, "akun-peserta")

    phone.get_by_label("Nomor HP").fill("0812 3456 7890")
    phone.get_by_role("button", name="Simpan data diri").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Data akun kamu tersimpan.").is_visible()
    assert phone.get_by_label("Nomor HP").input_value() == "+6281234567890"

    phone.get_by_role("radio", name="Belajar").check()
    phone.get_by_role("button", name="Simpan nama aplikasi").click()
    phone.wait_for_load_state()
    assert phone.title() == "Akun saya · Belajar"
    assert phone.locator(".brand").inner_text() == "Belajar"
    assert phone.get_by_role("radio", name="Belajar").is_checked()
    manifest = phone.locator("link[rel=manifest]").get_attribute("href")
    assert manifest == "/manifest.webmanifest?nama=belajar"
    assert phone.request.get(manifest).json()["name"] == "Belajar"
    assert fits_the_screen(phone)
    screenshot(phone, "akun-peserta-belajar")

    phone.goto("/")
    assert phone.title() == "Beranda · Belajar"
    assert "Pendamping" not in phone.content()
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []
