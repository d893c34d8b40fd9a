"""The programme view page /admin/angka-program/: who gets in and what each
sees, its filters refusing ugly input in words, its charts, its downloads
(CSV, XLSX, the printed summary) and the home panel, in bounded queries."""

import csv
import datetime
import io
import re

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from learning.choices import RegionLevel, Role
from learning.models import Region
from mentorship.admin.programme_view import ProgrammePanel, add_programme_panel
from mentorship.choices import EntryStatus
from mentorship.models import (
    KeptFigures,
    ProgrammeHistoryYear,
    Reflection,
    ReflectionSession,
)
from mentorship.programme_figures import FigureFilters, programme_figures
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    ProgrammeFactory,
    user_with_roles,
)
from tests.factories.people import client_for

URL = "/admin/angka-program/"
TTS = "53.02"
# Names no figure, label or heading of the page may ever contain.
SURNAME = "Sonbaiuji"


def this_year() -> int:
    return timezone.localdate().year


def kecamatan(index: int) -> Region:
    return Region.objects.filter(
        level=RegionLevel.KECAMATAN, code__startswith=TTS + "."
    ).order_by("code")[index]


def desa_of(kec: Region, index: int = 0) -> Region:
    return Region.objects.filter(level=RegionLevel.DESA, parent=kec).order_by("code")[
        index
    ]


class World:
    """SSP and a partner run one programme with a coordinator; SSP's
    companions reflected this year (one small count: 3 physical cases taken
    to court) and SSP entered 2020-2022 by hand. Another organisation runs
    its own programme."""

    def __init__(self):
        tts = Region.objects.get(code=TTS)
        self.ssp = OrganisationFactory(
            name="Sanggar Uji", short_name="SSP-V", kabupaten=tts
        )
        self.partner = OrganisationFactory(name="Mitra Uji", short_name="MITRA-V")
        self.elsewhere = OrganisationFactory(name="Lembaga Lain", short_name="LAIN-V")
        self.coordinator = user_with_roles(Role.KOORDINATOR, username="koor-angka")
        self.programme = ProgrammeFactory(
            name="Pendampingan Desa Uji",
            short_name="PDU-V",
            organisations=[self.ssp, self.partner],
            coordinators=[self.coordinator],
        )
        self.other_programme = ProgrammeFactory(
            name="Program Lembaga Lain",
            short_name="PLL-V",
            organisations=[self.elsewhere],
        )
        self.facilitator = user_with_roles(
            Role.FASILITATOR, username="fasil-angka", organisation=self.ssp
        )
        self.other_facilitator = user_with_roles(
            Role.FASILITATOR, username="fasil-lain", organisation=self.elsewhere
        )
        self.trainee = user_with_roles(
            Role.PESERTA, username="peserta-angka", organisation=self.ssp
        )
        self.alumna = user_with_roles(
            Role.ALUMNI, username="alumni-angka", organisation=self.ssp
        )
        self.cohort = CohortFactory(
            programme=self.programme,
            facilitators=[self.facilitator],
            start_date=datetime.date(this_year(), 1, 10),
        )
        self.kec_a, self.kec_b = kecamatan(0), kecamatan(1)
        start = datetime.date(this_year(), 3, 12)
        self.session = ReflectionSession.objects.create(
            programme=self.programme,
            organisation=self.ssp,
            year=this_year(),
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            place=self.kec_a,
        )
        self.companions = 0
        for source_year, cases in [(2020, 120), (2021, 120), (2022, 166)]:
            ProgrammeHistoryYear.objects.create(
                programme=self.programme,
                organisation=self.ssp,
                year=source_year,
                cases_accompanied=cases,
                villages_assisted=22,
                active_companions=61,
                source="Profil SSP SoE",
            )
        self.add_companions(
            [
                [("fisik", "litigasi", 3), ("fisik", "non_litigasi", 40)],
                [("psikis", "non_litigasi", 22), ("seksual", "litigasi", 17)],
                [("psikis", "litigasi", 10), ("seksual", "non_litigasi", 12)],
            ],
            village=desa_of(self.kec_a),
        )

    def add_companions(self, counts_each, *, village, obstacles=("jarak",)):
        for counts in counts_each:
            self.companions += 1
            person = user_with_roles(
                Role.PESERTA,
                username=f"pendamping-angka-{self.companions}",
                first_name="Wilhelmina",
                last_name=SURNAME,
                organisation=self.ssp,
                village=village,
            )
            self.cohort.enrolments.create(trainee=person)
            self.session.attendees.add(person)
            Reflection.objects.create(
                person=person,
                session=self.session,
                case_counts=[
                    {"type": kind, "path": path, "count": n} for kind, path, n in counts
                ],
                obstacles=[{"category": c, "text": ""} for c in obstacles],
            )
            HourEntryFactory(
                placement=PlacementFactory(trainee=person, supervisor=self.facilitator),
                date=datetime.date(this_year(), 3, 2),
                minutes=150,
                status=EntryStatus.VERIFIED,
            )


@pytest.fixture
def world(db):
    return World()


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def table_cells(page: BeautifulSoup, key: str) -> dict[str, list[str]]:
    """A table of the page as {row label: [cell texts]} (totals included)."""
    found = page.find(id=f"tabel-{key}")
    assert found is not None, key
    rows = {}
    for row in found.find_all("tr"):
        head = row.find("th", scope="row")
        if head is not None:
            label = head.contents[0].strip() if head.contents else ""
            rows[label] = [td.get_text(strip=True) for td in row.find_all("td")]
    return rows


def get(person, url=URL, **params):
    client = client_for(person)
    return client.get(url, params)


# --- Who gets in ---------------------------------------------------------------


def test_the_coordinator_sees_exact_figures_the_history_and_every_table(world):
    page = soup(get(world.coordinator))

    by_type = table_cells(page, "kasus-jenis-jalur")
    assert by_type["Fisik"][:2] == ["3", "40"]
    per_year = table_cells(page, "kasus-per-tahun")
    assert per_year["2022"][-1] == "166"
    assert per_year[str(this_year())][-1] == "104"
    assert "Profil SSP SoE" in page.find(id="tabel-kasus-per-tahun").get_text()
    for key in (
        "kasus-kecamatan-jenis",
        "pendamping-aktif-desa",
        "desa-aktif-kecamatan",
        "pelatihan-angkatan",
        "jam-magang",
        "kasus-praktik",
        "kendala",
        "tindak-lanjut",
    ):
        assert page.find(id=f"tabel-{key}") is not None, key
    text = page.get_text(" ", strip=True)
    assert "dihitung dua kali" in text  # the definitions are on the page
    assert "Angka di layar ini tepat" in text
    assert "untuk=dalam" in str(page)
    assert SURNAME not in str(page)


def test_a_facilitator_sees_their_organisations_figures_with_small_counts_hidden(
    world,
):
    page = soup(get(world.facilitator))

    fisik = table_cells(page, "kasus-jenis-jalur")["Fisik"]
    assert fisik[0] == "<5"
    assert "3" not in fisik
    text = page.get_text(" ", strip=True)
    assert "Angka kecil disembunyikan" in text
    assert "angka 1 sampai 4" in text
    assert "untuk=dalam" not in str(page)
    assert "untuk=luar" in str(page)


def test_a_facilitator_of_another_organisation_sees_none_of_ssps_figures(world):
    page = soup(get(world.other_facilitator))

    assert "Profil SSP SoE" not in str(page)
    assert "166" not in table_cells(page, "kasus-per-tahun").get("2022", [])
    assert "Pendampingan Desa Uji" not in str(page)  # not even in the choices


@pytest.mark.parametrize("who", ["trainee", "alumna", None])
def test_trainees_alumni_and_strangers_are_sent_to_sign_in(world, who):
    person = getattr(world, who) if who else None
    for params in ({}, {"unduh": "csv"}, {"unduh": "pdf"}):
        response = get(person, **params)
        assert response.status_code == 302
        assert "/masuk" in response["Location"] or "login" in response["Location"]


def test_a_coordinator_of_nothing_is_refused(db):
    nobody = user_with_roles(Role.KOORDINATOR, username="koor-kosong")
    response = get(nobody)
    # Allowed or refused as the figures' rule says, never a 500.
    assert response.status_code in (200, 403)


def test_the_menu_and_the_home_panel_lead_there(world):
    home = get(world.coordinator, "/admin/").content.decode()
    assert reverse("mentorship_programme_view") in home
    assert f"Angka program {this_year()}" in home
    for person in (world.facilitator, world.other_facilitator):
        assert f"Angka program {this_year()}" in get(person, "/admin/").content.decode()


# --- The charts ----------------------------------------------------------------


def test_the_charts_are_inline_svg_named_and_self_contained(world):
    page = soup(get(world.coordinator))
    charts = page.find_all("svg")
    ids = {chart.get("id") for chart in charts}
    assert {"grafik-kasus-per-tahun", "grafik-desa-aktif", "grafik-pelatihan"} <= ids
    for chart in charts:
        if chart.get("id", "").startswith("grafik-"):
            assert chart.get("role") == "img"
            title_id, desc_id = chart["aria-labelledby"].split()
            assert chart.find("title", id=title_id).get_text()
            assert chart.find("desc", id=desc_id).get_text()
            assert chart.find("script") is None
            markup = str(chart)
            assert "href" not in markup
            assert "http" not in markup.replace("http://www.w3.org/2000/svg", "")
            # A sentence says what it shows, beside the table with its numbers.
            assert chart.find_parent("figure").find("figcaption").get_text(strip=True)
    cases = page.find(id="grafik-kasus-per-tahun")
    hatched = [
        rect
        for rect in cases.find_all("rect", class_="chart-bar--marked")
        if "chart-bar" in rect["class"]
    ]
    assert len(hatched) == 3  # 2020, 2021, 2022, entered by hand
    assert "Dicatat manual" in cases.get_text()


# --- The filters -----------------------------------------------------------------


UGLY = ["²", "99999999999", "\x00", "-1", "2024\x00", "'; DROP TABLE", "1e3", " "]


@pytest.mark.parametrize("value", UGLY)
def test_an_ugly_year_is_refused_in_words(world, value):
    page = soup(get(world.coordinator, tahun=value))
    if value.strip():
        assert page.find(class_="error-message"), value
        assert "Tahun" in page.get_text()
        assert page.find(id="tabel-kasus-per-tahun") is None


@pytest.mark.parametrize("field", ["program", "organisasi"])
@pytest.mark.parametrize("value", [*UGLY, "0"])
def test_an_ugly_programme_or_organisation_is_refused_in_words(world, field, value):
    response = get(world.coordinator, **{field: value})
    page = soup(response)
    if value.strip():
        assert page.find(class_="error-message"), (field, value)


def test_a_programme_or_organisation_outside_ones_view_is_refused(world):
    page = soup(get(world.coordinator, program=world.other_programme.pk))
    assert "tidak ada dalam cakupan kamu" in page.get_text()
    page = soup(get(world.facilitator, organisasi=world.elsewhere.pk))
    assert "tidak ada dalam cakupan kamu" in page.get_text()


def test_a_year_without_data_is_refused_and_a_year_with_data_is_shown(world):
    page = soup(get(world.coordinator, tahun="1999"))
    assert "Belum ada angka untuk tahun itu" in page.get_text()
    page = soup(get(world.coordinator, tahun="2022"))
    assert "Angka program 2022" in page.get_text()
    assert page.find("option", selected=True, string="2022") is not None


@pytest.mark.parametrize("value", ["Tidak Ada Di Mana-mana", "99.99", "²", "53.99"])
def test_an_unknown_place_is_refused_in_words(world, value):
    for field in ("kabupaten", "kecamatan", "desa"):
        page = soup(get(world.coordinator, **{field: value}))
        assert page.find(class_="error-message"), (field, value)


def test_a_place_of_nothing_but_a_nul_is_no_place(world):
    page = soup(get(world.coordinator, kabupaten="\x00", desa="\x00\x00"))
    assert page.find(class_="error-message") is None
    assert table_cells(page, "kasus-jenis-jalur")["Fisik"][:2] == ["3", "40"]


def test_a_kecamatan_must_lie_in_the_kabupaten_and_a_desa_in_the_kecamatan(world):
    kupang = Region.objects.get(code="53.01")
    page = soup(
        get(world.coordinator, kabupaten=kupang.code, kecamatan=world.kec_a.code)
    )
    assert "tidak berada di" in page.get_text()
    page = soup(
        get(
            world.coordinator,
            kecamatan=world.kec_b.code,
            desa=desa_of(world.kec_a).code,
        )
    )
    assert "tidak berada di" in page.get_text()
    page = soup(
        get(
            world.coordinator,
            kabupaten=TTS,
            kecamatan=world.kec_a.code,
            desa=desa_of(world.kec_a).code,
        )
    )
    assert page.find(class_="error-message") is None
    # Within a desa, the hand-entered years (which have no place) are not shown.
    assert "Profil SSP SoE" not in page.get_text()
    assert table_cells(page, "kasus-jenis-jalur")["Fisik"][:2] == ["3", "40"]


def test_an_unknown_download_is_a_message(world):
    for params in ({"unduh": "exe"}, {"unduh": "csv", "untuk": "semua"}):
        page = soup(get(world.coordinator, **params))
        assert page.find(role="alert") is not None


# --- Downloads -------------------------------------------------------------------


def exact_tables(world, actor):
    return programme_figures(
        actor=actor, filters=FigureFilters(year=this_year())
    ).tables


def assert_attachment(response, content_type, suffix):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].rstrip('"').endswith(suffix)
    assert "no-store" in response["Cache-Control"]


def small_numbers_in(values) -> list:
    return [
        value
        for value in values
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4
    ]


def test_the_internal_xlsx_opens_with_the_pages_exact_numbers(world):
    response = get(world.coordinator, unduh="xlsx", untuk="dalam")
    assert_attachment(response, "application/vnd.openxmlformats", ".xlsx")
    book = load_workbook(io.BytesIO(response.content))
    page = soup(get(world.coordinator))
    tables = exact_tables(world, world.coordinator)
    assert len(book.sheetnames) == len(tables)
    by_type = tables["kasus-jenis-jalur"]
    sheet = book[book.sheetnames[list(tables).index("kasus-jenis-jalur")]]
    rows = {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True) if row}
    assert rows["Fisik"][:2] == [3, 40]
    # The page shows the same numbers.
    on_page = table_cells(page, "kasus-jenis-jalur")
    for row in by_type.rows:
        assert [str(v) for v in rows[row.label][: len(row.values)]] == on_page[
            row.label
        ][: len(row.values)]
    assert any(
        "INTERNAL" in str(cell)
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )


def test_the_external_files_show_no_count_from_one_to_four(world):
    tables = exact_tables(world, world.coordinator)
    counted = {table.title for table in tables.values() if table.suppress}
    for person in (world.coordinator, world.facilitator):
        response = get(person, unduh="xlsx", untuk="luar")
        assert_attachment(response, "application/vnd.openxmlformats", ".xlsx")
        book = load_workbook(io.BytesIO(response.content))
        # One sheet per table, in the page's order.
        assert len(book.sheetnames) == len(tables)
        checked = 0
        for sheet, table in zip(book, tables.values(), strict=True):
            values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
            assert table.title in values, sheet.title
            if table.suppress:
                checked += 1
                assert small_numbers_in(values) == [], sheet.title
        assert checked >= 7
        assert "<5" in str(
            [
                cell
                for sheet in book
                for row in sheet.iter_rows(values_only=True)
                for cell in row
            ]
        )

        response = get(person, unduh="csv", untuk="luar")
        assert_attachment(response, "text/csv", ".csv")
        text = response.content.decode("utf-8-sig")
        assert "<5" in text and "INTERNAL" not in text
        blocks = text.split("\r\n\r\n")
        for block in blocks:
            rows = list(csv.reader(io.StringIO(block)))
            if rows and any(title == rows[0][0] for title in counted):
                numbers = [int(c) for row in rows[1:] for c in row[1:] if c.isdigit()]
                assert small_numbers_in(numbers) == [], rows[0][0]


def test_a_facilitator_may_not_download_exact_figures(world):
    for kind in ("csv", "xlsx"):
        response = get(world.facilitator, unduh=kind, untuk="dalam")
        assert response.status_code == 403
        assert response.get("Content-Disposition") is None


def test_the_printed_summary_is_one_page_suppressed_and_names_no_one(world):
    for person in (world.coordinator, world.facilitator):
        response = get(person, unduh="pdf", program=world.programme.pk)
        assert_attachment(response, "application/pdf", ".pdf")
        reader = PdfReader(io.BytesIO(response.content))
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert f"Ringkasan tahunan {this_year()}" in text
        assert "Pendampingan Desa Uji" in text
        assert re.search(r"Fisik <5 x", text)
        assert "166" in text and "Profil SSP SoE" in text
        assert SURNAME not in text and "Wilhelmina" not in text


def test_downloads_with_ugly_filters_give_the_page_with_a_message(world):
    for kind in ("csv", "xlsx", "pdf"):
        response = get(world.coordinator, unduh=kind, tahun="²")
        page = soup(response)
        assert page.find(class_="error-message")


# --- Bounded queries -------------------------------------------------------------


def count_queries(person, url=URL, **params) -> tuple[int, int]:
    """Queries of a request that computes the figures, and of one that finds
    them kept (mentorship/programme_figures/kept.py)."""
    client = client_for(person)
    client.get(url, params)  # what the site caches once
    KeptFigures.objects.all().delete()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        counts.append(len(queries))
    computing, kept = counts
    assert kept < computing
    return computing, kept


def grow(world):
    """Ten times the companions, in two more kecamatan, and another cohort."""
    world.add_companions(
        [[("fisik", "litigasi", 7), ("psikis", "non_litigasi", 9)]] * 15,
        village=desa_of(world.kec_b),
        obstacles=("jarak", "biaya"),
    )
    world.add_companions(
        [[("seksual", "litigasi", 5)]] * 15, village=desa_of(kecamatan(2), 1)
    )
    CohortFactory(
        programme=world.programme,
        facilitators=[world.facilitator],
        start_date=datetime.date(this_year(), 2, 1),
    )
    ProgrammeHistoryYear.objects.create(
        programme=world.programme,
        organisation=world.partner,
        year=2021,
        cases_accompanied=33,
        source="Laporan mitra",
    )


@pytest.mark.parametrize("who", ["coordinator", "facilitator"])
def test_the_page_reads_in_the_same_number_of_queries_at_two_sizes(world, who):
    person = getattr(world, who)
    small = count_queries(person)
    small_filtered = count_queries(person, tahun="2022", kabupaten=TTS)
    grow(world)
    assert count_queries(person) == small
    assert count_queries(person, tahun="2022", kabupaten=TTS) == small_filtered


def test_the_home_panel_reads_in_the_same_number_of_queries_at_two_sizes(world):
    def panel_queries() -> tuple[int, str]:
        request = RequestFactory().get("/admin/")
        # Fresh from the database, as each request's user is.
        request.user = type(world.coordinator).objects.get(pk=world.coordinator.pk)
        with CaptureQueriesContext(connection) as queries:
            panels = []
            add_programme_panel(request, panels)
            html = panels[0].render_html({"request": request})
        assert isinstance(panels[0], ProgrammePanel)
        return len(queries), html

    small, html = panel_queries()
    assert "Kasus didampingi" in html and "104" in html
    grow(world)
    large, html = panel_queries()
    assert large == small
    assert "Kasus didampingi" in html and "104" not in html


def panel_html(person) -> str | None:
    request = RequestFactory().get("/admin/")
    request.user = person
    panels = []
    add_programme_panel(request, panels)
    return panels[0].render_html({"request": request}) if panels else None


def test_the_home_panel_hides_small_counts_from_a_facilitator(world):
    # Three companions are active: a facilitator reads "<5", a coordinator 3.
    assert "&lt;5" in panel_html(world.facilitator)
    coordinator_html = panel_html(world.coordinator)
    assert "&lt;5" not in coordinator_html
    assert re.search(r"<dd>3</dd>", coordinator_html)


def test_nobody_outside_gets_a_home_panel(world):
    for person in (world.trainee, world.alumna):
        assert panel_html(person) is None
