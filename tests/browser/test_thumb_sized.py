"""Every page a person reaches by links, on the demo site, at 360 px: each
control a thumb must hit is at least 44 px high, nothing scrolls sideways, and
the menu of places says where one is."""

from pathlib import Path
from pprint import pformat
from urllib.parse import urlsplit

from django.core.management import call_command

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import sign_in
from tests.factories.modules import module_with_lessons

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

DEMO_PASSWORD = "pendamping-demo"
MOST_PAGES = 45
# Not pages to look at: signing out, files, the staff admin, a device's report.
SKIP = ("/keluar", "/admin/", "/dokumen/", "/api/", "/akun/perangkat/", ".pdf", ".csv")

TOO_SMALL = (Path(__file__).parent / "too_small.js").read_text()


def crawl(page, start="/"):
    """The site's own pages reachable by links from `start`, breadth first."""
    host = urlsplit(page.url).netloc
    queue, seen, found = [start], {start}, {}
    while queue and len(found) < MOST_PAGES:
        path = queue.pop(0)
        try:
            response = page.goto(path)
        except PlaywrightError:  # a file, not a page ("Download is starting")
            continue
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        found[path] = {
            "small": page.evaluate(TOO_SMALL),
            "wide": page.evaluate("document.documentElement.scrollWidth") > 360,
            "current": page.locator(".places a[aria-current]").all_inner_texts(),
        }
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc != host or target in seen or target.startswith(SKIP):
                continue
            if any(skip in target for skip in SKIP) or parts.path.startswith("/keluar"):
                continue
            seen.add(target)
            queue.append(target)
    return found


def problems(found):
    return {
        path: seen["small"] + (["scrolls sideways"] if seen["wide"] else [])
        for path, seen in found.items()
        if seen["small"] or seen["wide"]
    }


@pytest.fixture
def demo_site(live_server):
    from wagtail.models import Collection

    # An earlier transactional test's flush took Wagtail's root collection,
    # which the demo's group permissions point at.
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    call_command("prepare_site", demo=True, verbosity=0)
    return live_server


def test_every_page_each_person_reaches_is_thumb_sized(phone, demo_site):
    """One crawl per demo account (and one signed out): the demo loads once."""
    for username in ["peserta", "alumni", "fasilitator", None]:
        phone.context.clear_cookies()
        if username:
            sign_in(phone, username, DEMO_PASSWORD)
        found = crawl(phone)
        assert len(found) >= (10 if username else 2), (username, sorted(found))
        too_small = problems(found)
        assert not too_small, f"{username}: {pformat(too_small)}"
        if username:
            # The menu marks the place one is in on its own pages.
            assert found["/"]["current"] == ["Beranda"]
            assert found["/akun/"]["current"] == ["Akun"]


def test_the_menu_takes_a_trainee_everywhere_she_goes(phone, trainee, password):
    module_with_lessons(lessons=1)
    sign_in(phone, trainee.username, password)
    menu = phone.locator("nav.places a")
    assert menu.all_inner_texts() == ["Beranda", "Belajar", "Magang", "Cari", "Akun"]
    # At the foot of a phone's screen, always in view.
    box = phone.locator("nav.places").bounding_box()
    assert box["y"] + box["height"] == pytest.approx(740, abs=1)
    phone.get_by_role("link", name="Cari", exact=True).click()
    phone.wait_for_url("**/cari/")
    assert phone.locator(".places a[aria-current]").inner_text() == "Cari"
    # On a wide screen the same places are a menu under the header.
    phone.set_viewport_size({"width": 1024, "height": 700})
    box = phone.locator("nav.places").bounding_box()
    assert box["y"] < 200
