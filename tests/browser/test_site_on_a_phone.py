import pytest

from learning.choices import Role
from tests.browser.conftest import sign_in
from tests.factories import UserFactory, user_with_roles
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def session_ends(page, seconds=5.0):
    """The sign-out travels as a beacon, beside the jump to the neutral page:
    give it a moment to land, as it does for a person on a slow line."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.request.get("/api/me").status == 401:
            return True
        time.sleep(0.2)
    return False


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_quick_exit_leaves_at_once_and_back_shows_nothing_private(phone, screenshot):
    trainee = user_with_roles(Role.PESERTA, username="yuliana", first_name="Yuliana")
    sign_in(phone, trainee.username, PASSWORD)
    who = phone.locator(".account-bar__who")
    assert who.is_visible() and "Akun: Yuliana" in who.inner_text()
    screenshot(phone, "home-peserta")

    phone.get_by_role("link", name="Keluar cepat").click()
    phone.wait_for_url("https://www.bmkg.go.id/**")
    assert phone.get_by_text("Prakiraan cuaca").is_visible()

    phone.go_back()
    phone.wait_for_load_state()
    assert "Yuliana" not in phone.content()
    assert session_ends(phone)


def test_pressing_escape_twice_is_a_quick_exit(phone):
    sign_in(phone, user_with_roles(Role.PESERTA).username, PASSWORD)
    phone.keyboard.press("Escape")
    phone.keyboard.press("Escape")
    phone.wait_for_url("https://www.bmkg.go.id/**")
    assert session_ends(phone)


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        (None, ["/", "/masuk/", "/akun/lupa-kata-sandi/"]),
        (Role.PESERTA, ["/", "/akun/kata-sandi/", "/layanan/", "/cari/?q=korban"]),
        (Role.FASILITATOR, ["/"]),
    ],
)
def test_pages_fit_a_360px_phone_and_load_nothing_from_elsewhere(
    phone, screenshot, role, pages
):
    if role:
        sign_in(phone, user_with_roles(role).username, PASSWORD)
    for path in pages:
        phone.goto(path)
        name = f"{role or 'tamu'}{path.replace('/', '-')}".rstrip("-")
        screenshot(phone, name)
        assert fits_the_screen(phone), path
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []


def test_sign_in_form_says_what_went_wrong(phone, screenshot):
    UserFactory(username="marta")
    phone.goto("/masuk/")
    phone.get_by_label("Nama pengguna").fill("marta")
    phone.get_by_label("Kata sandi").fill("keliru")
    phone.get_by_role("button", name="Masuk").click()
    assert phone.get_by_role("alert").is_visible()
    assert "Nama pengguna atau kata sandi salah" in phone.content()
    screenshot(phone, "masuk-salah")


def test_the_admin_speaks_indonesian_and_calls_no_one_else(phone, screenshot):
    UserFactory(username="admin", is_superuser=True)
    sign_in(phone, "admin", PASSWORD)
    for path in [
        "/admin/",
        "/admin/pages/",
        "/admin/images/",
        "/admin/users/",
        "/admin/akun/kata-sandi-sementara/",
    ]:
        response = phone.goto(path)
        assert response.status == 200, path
        phone.wait_for_load_state("networkidle")
        if path == "/admin/pages/":
            menu = phone.inner_text("body")
            assert "Halaman" in menu
            assert "Kata kunci pencarian" in menu  # "Search term"
    screenshot(phone, "admin-kata-sandi-sementara")
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []


def test_api_docs_render_from_local_assets(phone):
    phone.goto("/api/docs")
    phone.wait_for_selector(".swagger-ui .info")
    assert "Pendamping API" in phone.content()
    assert phone.watch.foreign_requests == []
