"""A phone for the offline browser tests: a Chromium profile kept on disk
(closed and opened again like a phone), behind the test's TCP proxy
(`signal`, in conftest), and the waits for what its storage does."""

from tests.browser.conftest import CHROMIUM, sign_in, wait_until
from tests.factories.people import PASSWORD


def open_phone(browser, signal, profile):
    """The same phone each time: a browser profile kept on disk."""
    context = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        viewport={"width": 360, "height": 740},
        locale="id-ID",
        base_url=signal.url,
        service_workers="allow",
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.script_errors = errors
    return context, page


def count_settles(locator, expected: int) -> int:
    """The list is drawn from IndexedDB after the page loads: give it a moment."""
    for _ in range(40):
        if locator.count() == expected:
            break
        locator.page.wait_for_timeout(250)
    return locator.count()


KEPT = "Tersimpan di ponsel ini. Akan dikirim saat ada sinyal."
# The forms (and their scripts) the worker keeps for writing offline.
FORMS = [
    "/magang/jam/baru/",
    "/magang/kasus/baru/",
    "/magang/kirim/",
    "/static/mentorship/js/outbox.js",
    "/static/mentorship/js/outbox-send.js",
]
FORMS_KEPT = """async (wanted) => {
    for (const name of await caches.keys()) {
        if (!name.startsWith("pendamping-formulir-")) continue;
        const kept = (await (await caches.open(name)).keys()).map(
            (request) => new URL(request.url).pathname);
        if (wanted.every((path) => kept.includes(path))) return true;
    }
    return false;
}"""

# The phone's sync key, kept in IndexedDB beside the records ("keys").
KEY_KEPT = """async () => {
    const db = await new Promise((resolve, reject) => {
        const opening = indexedDB.open("pendamping");
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => reject(opening.error);
    });
    try {
        if (!db.objectStoreNames.contains("keys")) return false;
        return await new Promise((resolve) => {
            const counting = db.transaction("keys").objectStore("keys").count();
            counting.onsuccess = () => resolve(counting.result > 0);
        });
    } finally {
        db.close();
    }
}"""


def ready_to_write_offline(
    page, person, *, with_key: bool = False, also: tuple[str, ...] = ()
) -> None:
    """Signed in, with the forms (and `also`, and if asked the sync key) on
    the phone."""
    sign_in(page, person.username, PASSWORD)
    page.goto("/magang/")
    wait_until(
        page,
        "navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.active))",
        "the service worker did not start (an error in /sw.js?)",
    )
    page.goto("/magang/")
    wanted = FORMS + list(also)
    wait_until(page, FORMS_KEPT, f"not all of {wanted} were kept offline", wanted)
    if with_key:
        page.goto("/magang/kirim/")
        wait_until(page, KEY_KEPT, "the phone got no sync key")
