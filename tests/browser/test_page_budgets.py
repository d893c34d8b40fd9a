"""Page weight budgets, in a real browser: what a trainee's phone downloads.

A first visit (cold: empty cache, no service worker yet) to the trainee home
and to a lesson stays within 8 requests and 50 KB compressed, service worker
and its registration included, and asks nothing of another host. Content
images (under /media/) are the lesson's own weight and are not counted; how
sizes are taken is told in `page_weight.py`. `bin/measure_pages` reports the
same pages, and more, with timings on an emulated rural 3G link.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

import pytest

from learning.choices import Role
from tests.browser.page_weight import Traffic
from tests.factories import user_with_roles
from tests.factories.modules import LessonPageFactory, lesson_body, module_with_lessons

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

MAX_REQUESTS = 8
MAX_COMPRESSED_BYTES = 50 * 1024

# Lessons with several sections of reading, as the demo's have: the budget
# must hold for a real lesson, not only for a nearly empty page.
PARAGRAPHS = [
    "Pendamping mendengarkan lebih dulu, tanpa menyela dan tanpa menyalahkan. "
    "Korban yang merasa didengar lebih mudah menceritakan apa yang dibutuhkannya.",
    "Tanyakan apa yang paling mendesak hari ini: rasa aman, kesehatan, atau "
    "tempat tinggal. Keputusan tetap di tangan korban, pendamping memberi pilihan.",
    "Catat hanya yang perlu untuk rujukan, tanpa nama, alamat atau nomor induk "
    "kependudukan. Catatan kasus praktik di Pendamping tidak mengenali korban.",
    "Layanan rujukan di kabupaten berbeda-beda: puskesmas, unit PPA kepolisian, "
    "UPTD PPA dan lembaga bantuan hukum. Kenali jam buka dan siapa yang dihubungi.",
    "Setelah pendampingan, jaga dirimu juga. Ceritakan bebanmu kepada fasilitator "
    "atau sesama pendamping dalam pertemuan refleksi, bukan kepada orang luar.",
]


def realistic_lesson_body(title):
    body = lesson_body(title)
    for number, paragraph in enumerate(PARAGRAPHS, start=1):
        body.insert(-1, {"type": "heading", "value": f"Langkah {number}"})
        body.insert(-1, {"type": "text", "value": f"<p>{paragraph}</p>" * 3})
    return body


@pytest.fixture
def trainee_phone(browser, live_server):
    """A fresh 360 px phone, signed in as a trainee, that has loaded nothing yet.

    The session cookie is set directly (no sign-in page is loaded), so the page
    measured next is the first this browser sees: empty cache, no service
    worker. No request is intercepted: Playwright's routing would turn the
    HTTP cache off, and the worker's install would fetch again what the page
    has just loaded.
    """
    trainee = user_with_roles(Role.PESERTA, username="budget")
    client = Client()
    client.force_login(trainee)
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="id-ID",
        base_url=live_server.url,
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    yield Traffic(context.new_page())
    context.close()


@pytest.fixture
def modules():
    """Three modules of four lessons, the first with lessons of ordinary length."""
    first = module_with_lessons(lessons=0, title="Konseling Awal")
    for number in range(1, 5):
        title = f"Konseling Awal: pelajaran {number}"
        LessonPageFactory(parent=first, title=title, body=realistic_lesson_body(title))
    module_with_lessons(lessons=4, title="Rujukan dan Layanan")
    module_with_lessons(lessons=4, title="Dokumentasi Kasus")
    return first


def assert_within_budget(fetches, live_server):
    fetched = [fetch for fetch in fetches if fetch.from_network]
    counted = [fetch for fetch in fetched if not fetch.path.startswith("/media/")]
    total = sum(fetch.compressed_bytes for fetch in counted)
    listing = "\n".join(str(fetch) for fetch in counted)
    summary = f"{len(counted)} requests, {total} B compressed:\n{listing}"
    foreign = [
        fetch.url
        for fetch in fetched
        if urlsplit(fetch.url).netloc != urlsplit(live_server.url).netloc
    ]
    assert foreign == [], f"requests to another host: {foreign}\n{summary}"
    requests = len(counted)
    assert requests <= MAX_REQUESTS, summary
    assert total <= MAX_COMPRESSED_BYTES, summary


def test_the_trainee_home_is_light_on_a_first_visit(
    trainee_phone, modules, live_server
):
    fetches = trainee_phone.load("/")

    assert trainee_phone.page.get_by_role(
        "link", name="Konseling Awal"
    ).first.is_visible()
    assert_within_budget(fetches, live_server)


def test_a_lesson_is_light_on_a_first_visit(trainee_phone, modules, live_server):
    lesson = modules.lessons().first()

    fetches = trainee_phone.load(lesson.url)

    assert trainee_phone.page.get_by_role(
        "heading", name=lesson.title, exact=True
    ).is_visible()
    assert_within_budget(fetches, live_server)


def test_the_service_worker_and_what_it_fetches_are_counted(trainee_phone, modules):
    """Its script, counted once on install, and its own requests, watched."""
    fetches = trainee_phone.load("/")

    assert trainee_phone.page.evaluate(
        "navigator.serviceWorker.getRegistration().then(r => Boolean(r))"
    ), "the page registered no service worker"
    by_worker = [str(fetch) for fetch in fetches if fetch.by == "worker"]
    scripts = [fetch for fetch in fetches if fetch.path == "/sw.js"]
    assert [fetch.served for fetch in scripts] == ["inferred: install"], by_worker
    assert len(by_worker) > 1, f"the worker's own requests went unseen: {by_worker}"
