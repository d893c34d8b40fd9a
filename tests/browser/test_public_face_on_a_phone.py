"""After a quick exit, Back shows a plain training site; the help lines are
one tap further, on their own page."""

import re

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

WORDS_OF_VIOLENCE = re.compile(r"kekerasan|SAPA|129|polisi", re.IGNORECASE)


def test_back_after_a_quick_exit_shows_a_training_site(phone, screenshot):
    sign_in(phone, user_with_roles(Role.PESERTA).username, PASSWORD)
    # Home, then her account page; the quick exit takes the account page's
    # place in the history, so Back goes to the home address, now signed out.
    phone.goto("/akun/")
    phone.get_by_role("link", name="Keluar cepat").click()
    phone.wait_for_url("https://www.bmkg.go.id/**")
    phone.go_back()
    phone.wait_for_load_state()
    assert phone.url.endswith("/")
    main = phone.locator("main").inner_text()
    assert "Pelatihan pendamping dan paralegal desa" in main
    assert not WORDS_OF_VIOLENCE.search(main)
    screenshot(phone, "halaman-awal-publik")

    phone.get_by_role("link", name="Layanan bantuan").click()
    phone.wait_for_url("**/bantuan/")
    help_text = phone.locator("main").inner_text()
    assert "SAPA 129" in help_text and "08111-129-129" in help_text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []
    screenshot(phone, "bantuan")
