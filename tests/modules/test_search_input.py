"""Whatever a person types into a search box, the page answers, and "quotes"
search a phrase. Runs on SQLite (FTS5) and, in CI, on PostgreSQL."""

from wagtail.models import Page

import pytest
import wagtail_factories

from learning.choices import RegionLevel, Role
from learning.regions import search_regions
from learning.search import MAX_QUERY_LENGTH, query_terms
from modules.choices import ServiceKind
from modules.models import ReferralService
from tests.factories import user_with_roles
from tests.factories.modules import LessonPageFactory, module_with_lessons

pytestmark = pytest.mark.django_db

UGLY_QUERIES = [
    '"visum',
    'visum"',
    '"kekerasan "seksual',
    "\x00",
    "visum\x00",
    "\x01\x1f\u200b",
    "visum " * 2000,
    "x" * 10_000,
    "😀 kekerasan 🙏",
    "*",
    "visum*",
    "-",
    "-visum",
    "OR",
    "visum OR",
    "AND NOT",
    "NEAR(",
    "NEAR(visum puskesmas, 2)",
    "(",
    "visum)",
    "'",
    "Oe'Ekam",
    "\\",
    "%_",
    "pasal:23",
    "{title}: visum",
    "^visum",
    '""',
    "“kekerasan seksual”",
]


def phrase_body(text: str) -> list[dict]:
    return [{"type": "text", "value": f"<p>{text}</p>"}]


@pytest.fixture
def lessons():
    """One lesson that says "kekerasan seksual", one that has both words apart."""
    module = module_with_lessons(lessons=0, title="Pendampingan korban")
    return {
        "phrase": LessonPageFactory(
            parent=module,
            title="Mengenali tanda-tanda",
            body=phrase_body("Korban kekerasan seksual sering diam karena takut."),
        ),
        "apart": LessonPageFactory(
            parent=module,
            title="Mendengarkan",
            body=phrase_body(
                "Kekerasan dalam rumah tangga dan pelecehan seksual di sekolah."
            ),
        ),
    }


@pytest.fixture
def staff(client):
    client.force_login(user_with_roles(Role.FASILITATOR, is_superuser=True))
    return client


@pytest.mark.parametrize("query", UGLY_QUERIES)
def test_any_search_text_gets_a_page(client, lessons, query):
    assert client.get("/cari/", {"q": query}).status_code == 200
    client.force_login(user_with_roles(Role.FASILITATOR))
    page = client.get("/cari/", {"q": query})
    assert page.status_code == 200
    assert "\x00" not in page.content.decode()


def test_a_quoted_phrase_finds_the_lessons_that_say_it(client, lessons):
    client.force_login(user_with_roles(Role.FASILITATOR))
    page = client.get("/cari/", {"q": '"kekerasan seksual"'}).content.decode()
    assert lessons["phrase"].title in page
    assert lessons["apart"].title not in page
    # Phones type curly quotes.
    page = client.get("/cari/", {"q": "“kekerasan seksual”"}).content.decode()
    assert lessons["phrase"].title in page
    assert lessons["apart"].title not in page


def test_a_quote_without_its_partner_is_ignored(client, lessons):
    client.force_login(user_with_roles(Role.FASILITATOR))
    for query in ('"seksual', 'seksual"', 'sek"sual'):
        page = client.get("/cari/", {"q": query}).content.decode()
        assert lessons["phrase"].title in page, query
        assert lessons["apart"].title in page, query


def test_control_characters_are_dropped_and_the_query_is_bounded(client, lessons):
    client.force_login(user_with_roles(Role.FASILITATOR))
    page = client.get("/cari/", {"q": "pelecehan\x00"}).content.decode()
    assert lessons["apart"].title in page
    assert "hasil untuk “pelecehan”" in page
    page = client.get("/cari/", {"q": "y" * 10_000}).content.decode()
    assert f"hasil untuk “{'y' * MAX_QUERY_LENGTH}”" in page


def test_query_terms_keep_phrases_together():
    assert query_terms('visum "kekerasan  seksual" puskesmas') == [
        "visum",
        "kekerasan seksual",
        "puskesmas",
    ]
    assert query_terms('visum "kekerasan seksual') == [
        "visum",
        "kekerasan",
        "seksual",
    ]
    assert query_terms("\x00\t\x1f") == []


@pytest.fixture
def admin_searchables(lessons):
    """Something for each admin search box to find."""
    wagtail_factories.ImageFactory(title="Foto visum puskesmas")
    wagtail_factories.DocumentFactory(title="Formulir visum")
    return lessons


@pytest.mark.parametrize("query", ['"visum', 'visum"', "\x00", "x" * 10_000, "*"])
def test_admin_search_boxes_answer_any_text(staff, admin_searchables, query):
    home = Page.objects.get(depth=2)
    for url in (
        "/admin/pages/search/",
        f"/admin/pages/{home.pk}/",
        "/admin/choose-page/search/",
        "/admin/images/",
        "/admin/images/chooser/results/",
        "/admin/documents/",
        "/admin/documents/chooser/results/",
        "/admin/users/",
        "/admin/snippets/modules/referralservice/",
    ):
        assert staff.get(url, {"q": query}).status_code == 200, url


def test_admin_search_with_a_stray_quote_still_finds(staff, admin_searchables):
    found = staff.get("/admin/images/", {"q": 'visum"'}).content.decode()
    assert "Foto visum puskesmas" in found
    found = staff.get("/admin/choose-page/search/", {"q": '"tanda'}).content.decode()
    assert admin_searchables["phrase"].title in found


@pytest.mark.parametrize("query", UGLY_QUERIES)
def test_the_directory_word_filter_answers_any_text(client, trainee, query):
    client.force_login(trainee)
    assert client.get("/layanan/", {"q": query}).status_code == 200


def test_the_directory_reads_quoted_words_as_one_phrase(client, trainee):
    ReferralService.objects.create(
        name="Rumah Sakit Umum SoE", kind=ServiceKind.HOSPITAL
    )
    ReferralService.objects.create(
        name="Puskesmas Sakit Hati", kind=ServiceKind.PUSKESMAS, notes="rumah dinas"
    )
    client.force_login(trainee)
    page = client.get("/layanan/", {"q": '"rumah sakit"'}).content.decode()
    assert "Rumah Sakit Umum SoE" in page
    assert "Puskesmas Sakit Hati" not in page
    page = client.get("/layanan/", {"q": '"Puskesmas'}).content.decode()
    assert "Puskesmas Sakit Hati" in page


@pytest.mark.parametrize("query", UGLY_QUERIES)
def test_the_region_search_takes_any_text(query):
    assert isinstance(search_regions(query, level=RegionLevel.DESA), list)
