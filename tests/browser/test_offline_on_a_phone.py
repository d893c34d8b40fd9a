"""Reading with no signal, in Debian's Chromium at a phone's width, behind a
proxy the test cuts (the service worker's own fetches fail as on a phone)."""

import time
from urllib.parse import urlsplit

from django.conf import settings

import pytest

from assessments.choices import QuizMode
from learning.choices import Role
from learning.models import Device
from tests.browser.conftest import NEUTRAL_PAGE, sign_in, wait_until
from tests.browser.signal import Signal
from tests.factories import user_with_roles
from tests.factories.assessments import choice_question, quiz_with
from tests.factories.modules import module_with_lessons
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


@pytest.fixture
def signal(live_server):
    with Signal(urlsplit(live_server.url).port) as proxy:
        yield proxy


@pytest.fixture
def offline_phone(browser, signal):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="id-ID",
        base_url=signal.url,
        service_workers="allow",
    )
    exit_host = urlsplit(settings.QUICK_EXIT_URL).netloc
    context.route(
        f"**://{exit_host}/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body=NEUTRAL_PAGE
        ),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def studied(tree):
    module = module_with_lessons(lessons=2, title="Rujukan Kasus")
    quiz_with(
        [choice_question("Ke mana korban dirujuk lebih dulu?")],
        mode=QuizMode.PRACTICE,
        module=module,
        title="Latihan Rujukan",
    )
    return module


def controlled(page) -> None:
    """Wait until the service worker controls this page."""
    page.evaluate("navigator.serviceWorker.ready")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)")


def store(page, module) -> None:
    page.goto(module.url)
    controlled(page)
    page.get_by_role("button", name="Simpan untuk dibaca offline").click()
    page.get_by_text("Simpan sekarang?").wait_for()
    page.get_by_role("button", name="Ya, simpan").click()
    page.get_by_text("Tersimpan di ponsel ini:").wait_for()


def test_a_stored_module_is_read_and_practised_with_no_signal(
    offline_phone, signal, studied, screenshot
):
    page = offline_phone
    trainee = user_with_roles(Role.PESERTA, username="yuliana", first_name="Yuliana")
    sign_in(page, trainee.username, PASSWORD)
    store(page, studied)
    first, second = studied.lessons()

    signal.cut()
    page.goto(first.url)
    assert page.get_by_role("heading", name=first.title, exact=True).is_visible()
    assert page.get_by_text("Kamu sedang offline").is_visible()
    assert "Yuliana" not in page.content()
    screenshot(page, "offline-pelajaran")
    page.get_by_role("link", name=f"{second.title} →").click()
    page.get_by_role("heading", name=second.title, exact=True).wait_for()

    page.goto(studied.url)
    page.get_by_role("link", name="Latihan Rujukan").click()
    page.get_by_text("Ke mana korban dirujuk lebih dulu?").wait_for()
    page.get_by_label("Pendamping terlatih").check()
    page.get_by_role("button", name="Periksa").click()
    assert page.get_by_text("Benar.", exact=True).is_visible()
    assert page.get_by_text("tidak dicatat").is_visible()
    screenshot(page, "offline-latihan")

    page.goto("/kompetensi/")
    page.get_by_role("link", name="Rujukan Kasus").wait_for()
    assert page.get_by_text("halaman ini belum disimpan").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "offline-tersimpan")

    signal.restore()
    page.goto(first.url)
    assert page.get_by_text("Yuliana").first.is_visible()
    assert not page.get_by_text("Kamu sedang offline").is_visible()


def test_after_sign_out_stored_pages_wait_for_the_same_person(
    offline_phone, signal, studied
):
    page = offline_phone
    owner = user_with_roles(Role.PESERTA, username="owner-offline")
    other = user_with_roles(Role.PESERTA, username="other-offline")
    lesson = studied.lessons().first()
    sign_in(page, owner.username, PASSWORD)
    store(page, studied)

    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_url("**/masuk/**")
    signal.cut()
    page.goto(lesson.url)
    assert not page.get_by_role("heading", name=lesson.title).is_visible()
    page.get_by_text("Masuk lagi dengan akun kamu").wait_for()

    signal.restore()
    sign_in(page, other.username, PASSWORD)
    page.goto("/")
    signal.cut()
    page.goto(lesson.url)
    assert not page.get_by_role("heading", name=lesson.title).is_visible()

    signal.restore()
    page.goto("/keluar-cepat/")
    sign_in(page, owner.username, PASSWORD)
    page.goto("/")
    signal.cut()
    page.goto(lesson.url)
    assert page.get_by_role("heading", name=lesson.title, exact=True).is_visible()


def test_quick_exit_with_no_signal_locks_the_stored_pages(
    offline_phone, signal, studied
):
    page = offline_phone
    owner = user_with_roles(Role.PESERTA, username="exit-offline")
    lesson = studied.lessons().first()
    sign_in(page, owner.username, PASSWORD)
    store(page, studied)
    page.goto(lesson.url)

    signal.cut()
    page.get_by_role("link", name="Keluar cepat").click()
    page.wait_for_url(settings.QUICK_EXIT_URL + "**")
    page.goto(signal.url + lesson.url)
    assert not page.get_by_role("heading", name=lesson.title).is_visible()

    # With signal again, the server hears of the sign-out before anything else.
    signal.restore()
    page.goto(signal.url + "/")
    assert page.get_by_role("link", name="Masuk").first.is_visible()


def test_a_stored_module_is_refreshed_when_a_lesson_is_published_again(
    offline_phone, signal, studied
):
    page = offline_phone
    trainee = user_with_roles(Role.PESERTA, username="refresh-offline")
    lesson = studied.lessons().first()
    sign_in(page, trainee.username, PASSWORD)
    store(page, studied)

    lesson.title = "Rujukan Kasus: pelajaran pertama yang diperbarui"
    lesson.save_revision().publish()
    # The phone checks at most every 30 minutes; pretend that time has passed.
    page.evaluate("localStorage.removeItem('pendamping-offline-checked')")
    page.goto("/")
    refreshed = """async (url) => {
        for (const name of await caches.keys()) {
            if (!name.startsWith("pendamping-modul-")) continue;
            const found = await (await caches.open(name)).match(url);
            if (found && (await found.text()).includes("yang diperbarui")) return true;
        }
        return false;
    }"""
    wait_until(page, refreshed, "the stored lesson was not refreshed", lesson.url)
    signal.cut()
    page.goto(lesson.url)
    assert page.get_by_role("heading", name=lesson.title, exact=True).is_visible()


def test_a_phone_revoked_on_the_account_page_drops_what_it_stored(
    offline_phone, signal, studied
):
    page = offline_phone
    trainee = user_with_roles(Role.PESERTA, username="revoke-offline")
    sign_in(page, trainee.username, PASSWORD)
    store(page, studied)
    stored = (
        "async () => (await caches.keys()).some(n => n.startsWith('pendamping-modul-'))"
    )
    assert page.evaluate(stored)
    # The phone reports itself in the background; on a busy machine the
    # account page can be asked for before that report is written.
    deadline = time.monotonic() + 15
    while not Device.objects.filter(user=trainee).exists():
        assert time.monotonic() < deadline, "the phone never reported itself"
        time.sleep(0.2)

    page.goto("/akun/")
    page.get_by_role("button", name="Cabut perangkat ini").click()
    page.wait_for_load_state()
    # The phone hears of it at its next check with signal.
    page.evaluate("localStorage.removeItem('pendamping-offline-checked')")
    page.goto("/")
    wait_until(
        page,
        f"async () => !(await ({stored})())",
        "the revoked phone kept the stored module",
    )
    signal.cut()
    page.goto(studied.lessons().first().url)
    assert page.get_by_text("halaman ini belum disimpan").is_visible()


SHELL_SCRIPT_LENGTH = """async () => {
  for (const name of await caches.keys()) {
    if (!name.startsWith("pendamping-shell-")) continue;
    const shell = await caches.open(name);
    const kept = await shell.match("/static/learning/js/offline.js");
    return kept ? (await kept.text()).length : -1;
  }
  return -1;
}"""


def test_a_refresh_cut_short_does_not_replace_the_stored_shell(
    offline_phone, signal, studied
):
    """The worker refreshes its stored scripts from the network; an answer
    that ends early (lost signal mid-answer: here an empty 200) is not kept,
    or the offline page would run no script at all."""
    page = offline_phone
    owner = user_with_roles(Role.PESERTA, username="shell-offline")
    sign_in(page, owner.username, PASSWORD)
    page.goto(studied.url)
    controlled(page)
    wait_until(page, f"({SHELL_SCRIPT_LENGTH})().then((n) => n > 0)", "no shell")

    cut_short = []

    def empty_answer(route):
        cut_short.append(route.request.url)
        route.fulfill(status=200, body="", content_type="application/javascript")

    page.context.route("**/static/learning/js/offline.js", empty_answer)
    page.goto(studied.url)
    for _ in range(40):
        if cut_short:
            break
        page.wait_for_timeout(250)
    assert cut_short, "the worker did not refresh its stored script"
    page.wait_for_timeout(1000)
    assert page.evaluate(SHELL_SCRIPT_LENGTH) > 0

    page.context.unroute("**/static/learning/js/offline.js")
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_url("**/masuk/**")
    signal.cut()
    page.goto(studied.lessons().first().url)
    page.get_by_text("Masuk lagi dengan akun kamu").wait_for()
