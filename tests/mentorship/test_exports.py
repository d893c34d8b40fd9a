"""The trainee's magang log as PDF and CSV, and who may download whose."""

import csv
import datetime
import io

from django.utils import timezone

import pytest
from pypdf import PdfReader

from learning.choices import Role
from mentorship.choices import ActivityCategory, EntryStatus
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    PlacementFactory,
    ProgrammeFactory,
    outside_placement,
    user_with_roles,
)

pytestmark = pytest.mark.django_db

PDF = "/magang/unduh/catatan-magang.pdf"
CSV = "/magang/unduh/catatan-magang.csv"


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def placement():
    return PlacementFactory()


@pytest.fixture
def trainee(placement):
    return placement.trainee


@pytest.fixture
def log(placement):
    """Verified, waiting and draft hours: 5 + 2 + 1.5 of a 40-hour target."""
    verified = HourEntryFactory(
        placement=placement,
        date=days_ago(10),
        start_time=None,
        end_time=None,
        minutes=300,
        status=EntryStatus.VERIFIED,
        verified_by=placement.supervisor,
        verified_at=timezone.now(),
        category=ActivityCategory.SIMFONI,
        activity="Belajar mengisi SIMFONI-PPA tanpa identitas.",
    )
    waiting = HourEntryFactory(
        placement=placement, date=days_ago(5), status=EntryStatus.SUBMITTED
    )
    draft = HourEntryFactory(
        placement=placement,
        date=days_ago(2),
        start_time=datetime.time(13, 0),
        end_time=datetime.time(14, 30),
        minutes=90,
    )
    return [verified, waiting, draft]


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- PDF -----------------------------------------------------------------------


def test_the_pdf_has_the_trainee_placements_totals_and_entries(
    client, trainee, placement, log
):
    client.force_login(trainee)
    response = client.get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response)
    assert "Catatan Magang" in text
    assert trainee.display_name in text
    assert placement.host.name in text
    assert placement.supervisor.display_name in text
    assert "5 dari 40 jam terverifikasi (12%)" in text
    assert "2 jam menunggu verifikasi" in text
    assert "Input data SIMFONI-PPA" in text
    assert "13:00–14:30" in text
    assert "1,5" in text
    for status in ("Terverifikasi", "Menunggu verifikasi", "Draf"):
        assert status in text
    assert "Halaman 1" in text


def test_a_long_log_runs_over_pages_with_numbers(client, trainee, placement):
    for number in range(60):
        HourEntryFactory(
            placement=placement,
            date=days_ago(1 + number % 28),
            start_time=datetime.time(6 + number % 14, 0),
            end_time=datetime.time(7 + number % 14, 0),
            minutes=60,
            activity="Mendampingi korban ke UPTD PPA; belajar alur rujukan. " * 5,
        )
    client.force_login(trainee)
    response = client.get(PDF)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 2
    assert f"Halaman {len(reader.pages)}" in reader.pages[-1].extract_text()


def test_an_outside_supervisor_is_named_with_the_institution(client):
    placement = outside_placement()
    HourEntryFactory(
        placement=placement,
        status=EntryStatus.VERIFIED,
        verified_by_name="Maria Bria (Bidan koordinator)",
        verified_at=timezone.now(),
    )
    client.force_login(placement.trainee)
    text = pdf_text(client.get(PDF))
    assert "Bidan Maria, Bidan koordinator (Puskesmas (contoh))" in text
    assert "Maria Bria (Bidan koordinator)" in text


def test_a_trainee_without_a_placement_gets_an_empty_log(client):
    person = user_with_roles(Role.PESERTA)
    client.force_login(person)
    text = pdf_text(client.get(PDF))
    assert "Belum ada penempatan magang." in text
    assert "Belum ada catatan jam." in text


# --- CSV -----------------------------------------------------------------------


def test_the_csv_has_one_row_per_entry_for_excel(client, trainee, placement, log):
    client.force_login(trainee)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == (
        "tanggal,jam_mulai,jam_selesai,menit,kegiatan,uraian,status,penempatan,"
        "pembimbing,diverifikasi_oleh,diverifikasi_pada"
    )
    rows = csv_rows(response)
    assert len(rows) == 3
    first = rows[0]
    assert first["tanggal"] == days_ago(10).isoformat()
    assert (first["jam_mulai"], first["jam_selesai"], first["menit"]) == ("", "", "300")
    assert first["kegiatan"] == "Input data SIMFONI-PPA"
    assert first["status"] == "Terverifikasi"
    assert first["penempatan"] == placement.host.name
    assert first["pembimbing"] == placement.supervisor.display_name
    assert first["diverifikasi_oleh"] == placement.supervisor.display_name
    assert first["diverifikasi_pada"].startswith(timezone.localdate().isoformat())
    last = rows[-1]
    assert (last["jam_mulai"], last["jam_selesai"], last["menit"]) == (
        "13:00",
        "14:30",
        "90",
    )
    assert last["status"] == "Draf"
    assert last["diverifikasi_oleh"] == ""


@pytest.mark.parametrize(
    ("activity", "cell"),
    [
        (
            '=HYPERLINK("http://contoh.invalid","klik")',
            '\'=HYPERLINK("http://contoh.invalid","klik")',
        ),
        ("+62 812", "'+62 812"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-5", "-5"),
        ("Belajar mencatat pengaduan.", "Belajar mencatat pengaduan."),
    ],
)
def test_csv_cells_never_run_as_formulas(client, placement, activity, cell):
    HourEntryFactory(placement=placement, activity=activity)
    client.force_login(placement.trainee)
    assert csv_rows(client.get(CSV))[0]["uraian"] == cell


# --- Who may download whose ------------------------------------------------------


def test_a_trainee_gets_only_their_own_log(client, placement, log):
    other = PlacementFactory()
    HourEntryFactory(placement=other, activity="Catatan peserta lain.")
    client.force_login(placement.trainee)
    assert len(csv_rows(client.get(CSV))) == 3
    for url in (PDF, CSV):
        assert client.get(f"{url}?peserta={other.trainee.pk}").status_code == 404


def test_the_supervisor_gets_their_trainees_log(client, placement, log):
    client.force_login(placement.supervisor)
    response = client.get(f"{CSV}?peserta={placement.trainee.pk}")
    assert response.status_code == 200
    assert len(csv_rows(response)) == 3
    assert placement.trainee.username in response["Content-Disposition"]
    pdf = client.get(f"{PDF}?peserta={placement.trainee.pk}")
    assert placement.trainee.display_name in pdf_text(pdf)


def test_a_coordinator_gets_the_log_of_a_trainee_in_their_programme(
    client, placement, log
):
    coordinator = user_with_roles(Role.KOORDINATOR)
    CohortFactory(
        programme=ProgrammeFactory(coordinators=[coordinator]),
        trainees=[placement.trainee],
    )
    client.force_login(coordinator)
    response = client.get(f"{CSV}?peserta={placement.trainee.pk}")
    assert response.status_code == 200
    assert len(csv_rows(response)) == 3


def test_staff_outside_the_scope_get_nothing(client, placement, log):
    stranger = user_with_roles(Role.FASILITATOR)
    client.force_login(stranger)
    for url in (PDF, CSV):
        assert client.get(f"{url}?peserta={placement.trainee.pk}").status_code == 404
        assert client.get(f"{url}?peserta=abc").status_code == 404


def test_downloads_need_a_sign_in(client, placement):
    for url in (PDF, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize("count", [3, 30])
def test_export_queries_do_not_grow_with_entries(
    client, placement, count, django_assert_max_num_queries
):
    for number in range(count):
        HourEntryFactory(
            placement=placement,
            date=days_ago(1 + number % 25),
            start_time=datetime.time(6 + number % 12, 0),
            end_time=datetime.time(7 + number % 12, 0),
            minutes=60,
            status=EntryStatus.VERIFIED,
            verified_by=placement.supervisor,
        )
    client.force_login(placement.trainee)
    with django_assert_max_num_queries(9):
        assert len(csv_rows(client.get(CSV))) == count
