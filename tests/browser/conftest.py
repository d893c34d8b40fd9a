"""Browser tests: Debian's Chromium driven by Playwright, at a phone's width."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

import pytest

# Playwright's sync API keeps an event loop in this thread; the ORM calls the
# tests make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
NEUTRAL_PAGE = "<html><body><h1>Prakiraan cuaca</h1></body></html>"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageWatch:
    """What a page asked of other hosts, and what the browser complained of."""

    def __init__(self):
        self.foreign_requests: list[str] = []
        self.console_errors: list[str] = []


@pytest.fixture
def phone(browser, live_server):
    """A fresh 360 px wide page; requests to any other host are refused and noted.

    The quick-exit destination is answered locally with a neutral page, so the
    test sees the hand-over without leaving this machine.
    """
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=1,
        locale="id-ID",
        base_url=live_server.url,
    )
    watch = PageWatch()
    own_host = urlsplit(live_server.url).netloc
    exit_host = urlsplit(settings.QUICK_EXIT_URL).netloc

    def route(route_, request):
        host = urlsplit(request.url).netloc
        if host == own_host or request.url.startswith(("data:", "blob:")):
            route_.continue_()
        elif host == exit_host:
            route_.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)
        else:
            watch.foreign_requests.append(request.url)
            route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(message.text)
            if message.type == "error"
            else None
        ),
    )
    page.watch = watch
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


def sign_in(page, username, password):
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def wait_until(page, script: str, message: str, arg=None) -> None:
    """Poll `script` (run in the page, given `arg`) until it is true, for up
    to 20 s: what a service worker or IndexedDB does happens after the page."""
    for _ in range(80):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(250)
    pytest.fail(message)


@pytest.fixture
def signal(live_server):
    """The phone's connection: a TCP proxy to the live server the test cuts,
    restores, or makes lose the server's answers (tests/browser/signal.py)."""
    from tests.browser.signal import Signal

    with Signal(urlsplit(live_server.url).port) as proxy:
        yield proxy


@pytest.fixture
def ntt_regions(migrated_data):
    """NTT's regions, which placements and sessions are in (a transactional
    test starts without them)."""
    from learning.models import Region
    from learning.regions import load_regions

    if not Region.objects.exists():
        load_regions()
