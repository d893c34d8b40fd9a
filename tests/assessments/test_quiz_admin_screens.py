"""Finding the quiz screens: download buttons, links from a quiz, the menus."""

import csv
import io

from django.contrib.auth.models import Permission

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from assessments.grading import finish_sitting, start_sitting, submit_answer
from learning.choices import Role
from tests.admin_pages import sidebar
from tests.factories import OrganisationFactory, UserFactory, user_with_roles
from tests.factories.assessments import choice_question, quiz_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(db):
    return quiz_with([choice_question()], title="Kuis Rujukan")


def sit(person, quiz, option_text):
    sitting = start_sitting(user=person, quiz=quiz)
    [item] = sitting.questions.all()
    chosen = [
        option["id"]
        for option in item.snapshot["options"]
        if option["text"] == option_text
    ]
    submit_answer(sitting=sitting, user=person, position=1, chosen=chosen)
    return finish_sitting(sitting=sitting, user=person)


@pytest.fixture
def outsider(db):
    """A trainee of another organisation, outside every facilitator's scope here."""
    elsewhere = OrganisationFactory(short_name="LAIN")
    return user_with_roles(Role.PESERTA, username="orang-lain", organisation=elsewhere)


@pytest.fixture
def partner_facilitator(db):
    """A facilitator of a partner organisation, teaching no cohort of ours."""
    partner = OrganisationFactory(short_name="MITRA")
    return user_with_roles(
        Role.FASILITATOR, username="fasilitator-mitra", organisation=partner
    )


@pytest.fixture
def clerk(organisation):
    """Admin access and the quiz snippets, but no facilitator or coordinator role."""
    person = UserFactory(username="staf-admin", organisation=organisation)
    person.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_quiz", "change_quiz", "add_question"]
        )
    )
    return person


def links_in(response, selector: str) -> dict[str, str]:
    """The links `selector` finds on the page, as a person reads them."""
    assert response.status_code == 200
    links = BeautifulSoup(response.content, "html.parser").select(selector)
    return {" ".join(link.get_text().split()): link["href"] for link in links}


def download_links(response) -> dict[str, str]:
    """The download buttons above a result table (not in the header's "…")."""
    return links_in(response, "[data-result-downloads] a[href]")


def header_links(response) -> dict[str, str]:
    """The header's buttons in sight (not those in its "…" menu)."""
    return links_in(response, "#w-slim-header-buttons > a[href]")


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


# --- download buttons ------------------------------------------------------------


def test_a_quiz_result_page_shows_both_downloads_and_they_download_the_table(
    signed_in, coordinator, facilitator, trainee, outsider, quiz
):
    sit(trainee, quiz, "Pendamping terlatih")
    sit(outsider, quiz, "Pelaku")
    client = signed_in(facilitator)

    page = client.get(f"/admin/hasil-kuis/kuis/{quiz.pk}/")
    links = download_links(page)

    assert set(links) == {"Unduh XLSX", "Unduh CSV"}
    assert "Statistik soal" in header_links(page)
    rows = list(csv.reader(io.StringIO(download(client, links["Unduh CSV"]).decode())))
    assert [row[1] for row in rows] == ["Nama pengguna", trainee.username]
    sheet = load_workbook(io.BytesIO(download(client, links["Unduh XLSX"]))).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert names == ["Nama pengguna", trainee.username]


def test_the_downloads_follow_the_cohort_filter(
    signed_in, coordinator, facilitator, trainee, organisation, quiz
):
    other = user_with_roles(
        Role.PESERTA, username="peserta-lain", organisation=organisation
    )
    sit(trainee, quiz, "Pendamping terlatih")
    sit(other, quiz, "Pelaku")
    cohort = trainee.enrolments.get().cohort
    client = signed_in(facilitator)

    for url in (
        f"/admin/hasil-kuis/kuis/{quiz.pk}/?cohort={cohort.pk}",
        # What the page fetches when the filter changes: the header comes again.
        f"/admin/hasil-kuis/kuis/{quiz.pk}/hasil/?cohort={cohort.pk}",
    ):
        csv_url = download_links(client.get(url))["Unduh CSV"]
        assert csv_url.startswith(f"/admin/hasil-kuis/kuis/{quiz.pk}/?")
        text = download(client, csv_url).decode()
        assert trainee.username in text
        assert other.username not in text


def test_a_cohort_result_page_shows_both_downloads(
    signed_in, coordinator, trainee, quiz
):
    sit(trainee, quiz, "Pendamping terlatih")
    cohort = trainee.enrolments.get().cohort
    client = signed_in(coordinator)

    links = download_links(client.get(f"/admin/hasil-kuis/angkatan/{cohort.pk}/"))

    assert links["Unduh CSV"] == (f"/admin/hasil-kuis/angkatan/{cohort.pk}/?export=csv")
    assert trainee.username in download(client, links["Unduh CSV"]).decode()
    sheet = load_workbook(io.BytesIO(download(client, links["Unduh XLSX"]))).active
    assert trainee.username in [row[1] for row in sheet.iter_rows(values_only=True)]


def test_a_partner_facilitator_downloads_nobody_out_of_scope(
    signed_in, coordinator, trainee, partner_facilitator, quiz
):
    sit(trainee, quiz, "Pendamping terlatih")
    client = signed_in(partner_facilitator)

    page = client.get(f"/admin/hasil-kuis/kuis/{quiz.pk}/")

    assert download_links(page) == {}  # an empty table: nothing to download
    export = f"/admin/hasil-kuis/kuis/{quiz.pk}/?export=csv"
    rows = list(csv.reader(io.StringIO(download(client, export).decode())))
    assert rows == [rows[0]]  # the headings only
    cohort = trainee.enrolments.get().cohort
    assert client.get(f"/admin/hasil-kuis/angkatan/{cohort.pk}/").status_code == 404


def test_people_without_a_facilitator_role_get_neither_page_nor_download(
    signed_in, clerk, trainee, quiz
):
    client = signed_in(clerk)
    for url in (
        f"/admin/hasil-kuis/kuis/{quiz.pk}/",
        f"/admin/hasil-kuis/kuis/{quiz.pk}/?export=csv",
        f"/admin/hasil-kuis/kuis/{quiz.pk}/?export=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Unduh" not in response.content.decode()


def test_a_trainee_is_sent_to_sign_in(signed_in, trainee, quiz):
    client = signed_in(trainee)
    for url in (
        f"/admin/hasil-kuis/kuis/{quiz.pk}/?export=xlsx",
        "/admin/hasil-kuis/statistik/",
        f"/admin/snippets/assessments/quiz/edit/{quiz.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# --- from the quiz's own screens ---------------------------------------------------


def test_the_quiz_listing_and_edit_screen_lead_to_the_results(
    signed_in, coordinator, trainee, quiz
):
    sit(trainee, quiz, "Pendamping terlatih")
    client = signed_in(coordinator)
    results = f"/admin/hasil-kuis/kuis/{quiz.pk}/"

    listing = client.get("/admin/snippets/assessments/quiz/").content.decode()
    assert f'href="{results}"' in listing
    assert f'href="{results}?export=xlsx"' in listing
    assert f'href="{results}?export=csv"' in listing
    assert f'href="/admin/hasil-kuis/kuis/{quiz.pk}/statistik/"' in listing

    edit = client.get(f"/admin/snippets/assessments/quiz/edit/{quiz.pk}/")
    assert header_links(edit)["Hasil kuis"] == results
    assert f'href="{results}?export=xlsx"' in edit.content.decode()
    sheet = load_workbook(io.BytesIO(download(client, f"{results}?export=xlsx")))
    assert trainee.username in [
        row[1] for row in sheet.active.iter_rows(values_only=True)
    ]


def test_the_quiz_screens_offer_no_results_to_whom_results_are_refused(
    signed_in, clerk, quiz
):
    client = signed_in(clerk)

    listing = client.get("/admin/snippets/assessments/quiz/")
    assert listing.status_code == 200
    assert "/admin/hasil-kuis/" not in listing.content.decode()
    edit = client.get(f"/admin/snippets/assessments/quiz/edit/{quiz.pk}/")
    assert edit.status_code == 200
    assert "/admin/hasil-kuis/" not in edit.content.decode()


# --- the menus -------------------------------------------------------------------


QUIZ_SCREENS = [
    "Impor soal",
    "Hasil per kuis",
    "Hasil per angkatan",
    "Statistik soal",
    "Penilaian esai",
]


@pytest.mark.parametrize("who", ["facilitator", "coordinator"])
def test_related_screens_sit_together_in_the_menu(request, signed_in, who):
    menu = sidebar(signed_in(request.getfixturevalue(who)))

    assert set(QUIZ_SCREENS) <= set(menu["Kuis"])
    assert menu["Kompetensi"] == ["Daftar kompetensi", "Matriks kompetensi"]
    assert "Tatap muka" in menu
    for label in ["Hasil kuis", "Impor soal", "Matriks kompetensi", "Kuis & soal"]:
        assert label not in menu
    # Short enough not to be cut in the sidebar (Wagtail cuts near 20).
    ours = ["Kuis", "Kompetensi", "Tatap muka", *menu["Kuis"], *menu["Kompetensi"]]
    assert max(len(label) for label in ours) <= 18


def test_screens_someone_may_not_open_stay_out_of_their_menu(signed_in, clerk):
    menu = sidebar(signed_in(clerk))

    # Its quiz and question permissions, none of the facilitators' screens.
    assert menu["Kuis"] == ["Daftar kuis", "Bank soal", "Impor soal"]
    assert "Kompetensi" not in menu


def test_the_statistics_menu_lists_quizzes_opening_their_statistics(
    signed_in, facilitator, quiz
):
    page = signed_in(facilitator).get("/admin/hasil-kuis/statistik/")

    assert page.status_code == 200
    assert f'href="/admin/hasil-kuis/kuis/{quiz.pk}/statistik/"' in (
        page.content.decode()
    )


def test_the_quiz_listing_shows_drafts_as_a_mark_not_a_python_word(
    signed_in, facilitator, quiz
):
    quiz_with([choice_question()], title="Kuis Konsep", draft=True)
    page = signed_in(facilitator).get("/admin/snippets/assessments/quiz/")
    cells = BeautifulSoup(page.content, "html.parser").select("tbody td")
    words = {cell.get_text(strip=True) for cell in cells}
    assert "False" not in page.content.decode()
    assert {"Konsep", "Tampil"} <= words
