"""Paper logs: the XLSX template, an all-or-nothing import, duplicates recognised."""

import datetime
import io

from django.utils import timezone
from django.utils.html import escape

import pytest
from openpyxl import load_workbook

from learning.choices import Role
from mentorship.choices import ActivityCategory, EntryAction, EntryStatus
from mentorship.models import HourEntry
from mentorship.paper_import import import_paper_log
from mentorship.paper_log import COLUMNS
from tests.factories import (
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    user_with_roles,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def placement(trainee):
    host = OrganisationFactory(short_name="LBHU")
    supervisor = user_with_roles(
        Role.FASILITATOR, username="uji-pembimbing", organisation=host
    )
    return PlacementFactory(trainee=trainee, host=host, supervisor=supervisor)


@pytest.fixture
def stranger(db):
    return user_with_roles(
        Role.FASILITATOR,
        username="uji-asing",
        organisation=OrganisationFactory(short_name="ASG"),
    )


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def urls(placement):
    base = f"/admin/magang/impor/{placement.pk}/"
    return base, base + "templat.xlsx"


def fill(template: bytes, rows: list[list]) -> io.BytesIO:
    """The downloaded template with `rows` typed under the column titles."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["jam_magang"]
    for number, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            sheet.cell(number, column, value)
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    output.name = "catatan-magang.xlsx"
    return output


@pytest.fixture
def template(client, facilitator, placement):
    client.force_login(facilitator)
    return client.get(urls(placement)[1]).content


def good_rows():
    return [
        [
            days_ago(5).strftime("%d-%m-%Y"),
            "08:00",
            "10:30",
            None,
            "Penerimaan pengaduan",
            "Mencatat pengaduan tanpa identitas korban.",
        ],
        [
            days_ago(6).strftime("%d/%m/%Y"),
            datetime.time(13, 0),
            datetime.time(15, 0),
            None,
            "pendokumentasian KASUS",
            "Mengisi formulir luring.",
        ],
        [
            datetime.datetime.combine(days_ago(7), datetime.time()),
            None,
            None,
            90,
            "Diskusi kasus dan supervisi",
            "Diskusi dengan pembimbing tentang rujukan.",
        ],
    ]


def post(client, placement, upload):
    return client.post(urls(placement)[0], {"sheet": upload})


def test_the_template_downloads_and_reads_back(client, template, placement):
    response = client.get(urls(placement)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["jam_magang"]
    assert placement.trainee.display_name in sheet["A1"].value
    assert "17-11-2024" in sheet["A2"].value  # the explanatory row
    assert [cell.value for cell in sheet[3]] == COLUMNS
    categories, past_midnight = sheet.data_validations.dataValidation
    assert categories.type == "list"
    assert "daftar_kegiatan" in categories.formula1
    assert "E4" in str(categories.sqref)
    assert past_midnight.formula1 == '"ya"'
    assert "G4" in str(past_midnight.sqref)
    assert "lewat_tengah_malam: isi ya" in sheet["A2"].value
    choices = [row[0].value for row in workbook["daftar_kegiatan"].iter_rows()]
    assert choices == [str(label) for label in ActivityCategory.labels]


def test_a_good_sheet_imports_every_row_as_submitted(
    client, template, placement, facilitator
):
    response = post(client, placement, fill(template, good_rows()))
    page = response.content.decode()
    assert (
        "3 catatan jam magang diimpor dan menunggu verifikasi "
        f"{escape(placement.supervisor_label)} di antrean jam magangnya."
    ) in page
    assert "Cara 1" not in page  # the supervisor has an account: no link
    entries = {entry.date: entry for entry in HourEntry.objects.all()}
    assert len(entries) == 3
    first = entries[days_ago(5)]
    assert (first.start_time, first.end_time, first.minutes) == (
        datetime.time(8),
        datetime.time(10, 30),
        150,
    )
    assert first.category == ActivityCategory.COMPLAINTS
    assert entries[days_ago(6)].category == ActivityCategory.DOCUMENTATION
    assert entries[days_ago(7)].minutes == 90
    assert entries[days_ago(7)].start_time is None
    for entry in entries.values():
        assert entry.status == EntryStatus.SUBMITTED
        assert entry.trainee == placement.trainee
        assert [(e.action, e.actor) for e in entry.history.all()] == [
            (EntryAction.IMPORTED, facilitator),
            (EntryAction.SUBMITTED, facilitator),
        ]
    # The history reads "imported from a paper log" in the admin.
    inspect = client.get(f"/admin/magang/jam/inspect/{first.pk}/").content.decode()
    assert "Diimpor dari catatan kertas" in inspect


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(
    client, template, placement
):
    rows = good_rows() + [
        ["31-02-2025", "08:00", "09:00", None, "Lainnya", "Tanggal salah."],
        [
            days_ago(8).strftime("%d-%m-%Y"),
            "25:00",
            "26:00",
            None,
            "Lainnya",
            "Jam salah.",
        ],
        [
            (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d-%m-%Y"),
            "08:00",
            "09:00",
            None,
            "Lainnya",
            "Belum terjadi.",
        ],
        [days_ago(9).strftime("%d-%m-%Y"), None, None, None, "Lainnya", ""],
    ]
    page = post(client, placement, fill(template, rows)).content.decode()
    assert "Tidak ada catatan yang disimpan" in page
    assert "Baris 7: Tanggal &#x27;31-02-2025&#x27; tidak dikenal" in page
    assert "Baris 8: Jam mulai &#x27;25:00&#x27; tidak dikenal" in page
    assert "Baris 9: Tanggal ini belum terjadi." in page
    assert "Baris 10: Isi jam mulai dan selesai, atau lamanya" in page
    # Said to the facilitator, about the trainee.
    assert (
        f"Baris 10: Tulis singkat apa yang dilakukan dan dipelajari "
        f"{placement.trainee.display_name}" in page
    )
    assert "kamu" not in page
    assert "Baris 4" not in page  # the good rows are not blamed
    assert not HourEntry.objects.exists()


def test_importing_the_same_sheet_again_imports_nothing_and_reports_duplicates(
    client, template, placement
):
    sheet = fill(template, good_rows())
    post(client, placement, sheet)
    assert HourEntry.objects.count() == 3
    sheet.seek(0)
    page = post(client, placement, sheet).content.decode()
    assert "Tidak ada catatan baru yang diimpor." in page
    for row in (4, 5, 6):
        assert f"Baris {row}: sudah diimpor sebelumnya; dilewati." in page
    assert HourEntry.objects.count() == 3

    # The same row twice in one sheet is imported once.
    HourEntry.objects.all().delete()
    rows = good_rows()[:1] * 2
    page = post(client, placement, fill(template, rows)).content.decode()
    assert "1 catatan jam magang diimpor" in page
    assert "Baris 5: sama dengan baris 4; dilewati." in page
    assert HourEntry.objects.count() == 1


def test_a_row_the_trainee_already_logged_or_overlapping_is_reported_by_row(
    client, template, placement
):
    HourEntryFactory(
        placement=placement,
        date=days_ago(5),
        start_time=datetime.time(8),
        end_time=datetime.time(10, 30),
        minutes=150,
        category=ActivityCategory.COMPLAINTS,
        activity="Dicatat peserta di ponselnya.",
    )
    rows = good_rows()[:1] + [
        [
            days_ago(5).strftime("%d-%m-%Y"),
            "10:00",
            "12:00",
            None,
            "Lainnya",
            "Bertumpang dengan catatan di ponsel.",
        ],
    ]
    page = post(client, placement, fill(template, rows)).content.decode()
    assert "Baris 4: sudah ada di catatan peserta" in page
    # Said to the facilitator, about the trainee.
    assert (
        escape(
            f"Baris 5: Bertumpang tindih dengan catatan "
            f"{placement.trainee.display_name} tanggal {days_ago(5):%d-%m-%Y} jam "
            "08:00–10:30."
        )
        in page
    )
    assert "catatanmu" not in page
    assert "Tidak ada catatan yang disimpan" in page
    assert HourEntry.objects.count() == 1


def test_an_unknown_category_is_named(client, template, placement):
    rows = [
        [
            days_ago(5).strftime("%d-%m-%Y"),
            "08:00",
            "09:00",
            None,
            "Rapat desa",
            "Rapat.",
        ]
    ]
    page = post(client, placement, fill(template, rows)).content.decode()
    assert "Baris 4: Kegiatan &#x27;Rapat desa&#x27; tidak ada di daftar." in page
    assert not HourEntry.objects.exists()


def test_wrong_files_get_a_clear_message(client, template, placement):
    csv = io.BytesIO(b"tanggal,jam_mulai\n")
    csv.name = "catatan.csv"
    assert "Unggah berkas .xlsx dari templat" in (
        post(client, placement, csv).content.decode()
    )
    broken = io.BytesIO(b"bukan spreadsheet")
    broken.name = "catatan.xlsx"
    assert "Berkas XLSX tidak bisa dibaca." in (
        post(client, placement, broken).content.decode()
    )
    empty = fill(template, [])
    assert "Tidak ada baris catatan di berkas." in (
        post(client, placement, empty).content.decode()
    )
    assert not HourEntry.objects.exists()


def test_a_placement_out_of_scope_is_refused(client, template, placement, stranger):
    sheet = fill(template, good_rows())
    client.force_login(stranger)
    page, download = urls(placement)
    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404
    assert post(client, placement, sheet).status_code == 404
    chooser = client.get("/admin/magang/impor/").content.decode()
    assert placement.trainee.display_name not in chooser
    response = client.get(f"/admin/magang/impor/?penempatan={placement.pk}")
    assert "di luar cakupan kamu" in response.content.decode()
    sheet.seek(0)
    report = import_paper_log(placement=placement, actor=stranger, content=sheet.read())
    assert report.messages == [
        "Kamu tidak dapat mengimpor catatan untuk penempatan ini."
    ]
    assert not HourEntry.objects.exists()


def test_the_chooser_leads_to_the_placements_import(client, facilitator, placement):
    client.force_login(facilitator)
    page = client.get("/admin/magang/impor/").content.decode()
    assert placement.trainee.display_name in page
    response = client.get(f"/admin/magang/impor/?penempatan={placement.pk}")
    assert response.status_code == 302
    assert response["Location"] == urls(placement)[0]


def test_trainees_cannot_import(client, trainee, placement):
    client.force_login(trainee)
    response = client.get(urls(placement)[0])
    assert response.status_code in (302, 403)


# --- every problem of every row -----------------------------------------------------


def test_every_problem_of_a_row_is_listed(client, template, placement):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    rows = [
        [
            days_ago(5).strftime("%d-%m-%Y"),
            "13:00",
            "12:00",
            None,
            "Lainnya",
            "Menelpon korban di 0812 3456 7890.",
        ],
        [tomorrow.strftime("%d-%m-%Y"), "08:00", "09:00", None, "Rapat desa", "Rapat."],
        ["kemarin", "8 pagi", "09:00", None, "Lainnya", ""],
    ]
    report = import_paper_log(
        placement=placement,
        actor=placement.supervisor,
        content=fill(template, rows).read(),
    )
    by_row = report.errors.by_row()
    # End before start, and a phone number in the description.
    assert any("harus sesudah jam mulai (13:00)" in m for m in by_row[4])
    assert any("0812 3456 7890" in m for m in by_row[4])
    # An unknown activity, and a day that has not come yet.
    assert any("Rapat desa" in m for m in by_row[5])
    assert any("Tanggal ini belum terjadi" in m for m in by_row[5])
    # Unreadable date and time, and an empty description: all three.
    assert [m.split(" ")[0] for m in by_row[6]] == ["Tanggal", "Jam", "Tulis"]
    assert not HourEntry.objects.exists()


# --- work past midnight --------------------------------------------------------------


def test_an_end_before_the_start_is_refused_unless_the_row_says_past_midnight(
    client, template, placement
):
    night = [days_ago(5).strftime("%d-%m-%Y"), "22:00", "02:00", None, "Lainnya"]
    page = post(
        client, placement, fill(template, [night + ["Piket malam di posko.", None]])
    ).content.decode()
    assert (
        "Baris 4: Jam selesai (02:00) harus sesudah jam mulai (22:00). Bila "
        "kegiatannya berlanjut lewat tengah malam, isi ya di kolom "
        "lewat_tengah_malam." in page
    )
    assert "centang" not in page
    assert not HourEntry.objects.exists()

    page = post(
        client, placement, fill(template, [night + ["Piket malam di posko.", "ya"]])
    ).content.decode()
    assert "1 catatan jam magang diimpor" in page
    entry = HourEntry.objects.get()
    assert (entry.start_time, entry.end_time, entry.minutes) == (
        datetime.time(22),
        datetime.time(2),
        240,
    )


def test_one_to_twelve_without_the_column_is_not_twenty_three_hours(
    client, template, placement
):
    row = [days_ago(5).strftime("%d-%m-%Y"), "13:00", "12:00", None, "Lainnya", "X."]
    page = post(client, placement, fill(template, [row])).content.decode()
    assert "Jam selesai (12:00) harus sesudah jam mulai (13:00)" in page
    assert "23 jam" not in page
    assert not HourEntry.objects.exists()


def test_past_midnight_on_a_daytime_row_or_a_wrong_mark_is_explained(
    client, template, placement
):
    day = days_ago(5).strftime("%d-%m-%Y")
    rows = [
        [day, "08:00", "10:00", None, "Lainnya", "Pagi.", "ya"],
        [
            days_ago(6).strftime("%d-%m-%Y"),
            "08:00",
            "10:00",
            None,
            "Lainnya",
            "X.",
            "mungkin",
        ],
        [days_ago(7).strftime("%d-%m-%Y"), None, None, 60, "Lainnya", "Y.", "ya"],
    ]
    page = post(client, placement, fill(template, rows)).content.decode()
    assert "Baris 4: Jam selesai (10:00) sesudah jam mulai (08:00) pada hari" in page
    assert "kosongkan kolom lewat_tengah_malam" in page
    assert "Baris 5: Kolom lewat_tengah_malam berisi &#x27;mungkin&#x27;" in page
    assert "Baris 6: Kolom lewat_tengah_malam hanya untuk catatan dengan jam" in page
    assert not HourEntry.objects.exists()


def test_a_template_from_before_the_column_still_imports(client, template, placement):
    workbook = load_workbook(io.BytesIO(template))
    workbook["jam_magang"].delete_cols(7)
    old = io.BytesIO()
    workbook.save(old)
    page = post(client, placement, fill(old.getvalue(), good_rows())).content.decode()
    assert "3 catatan jam magang diimpor" in page


# --- hostile files --------------------------------------------------------------------


def test_a_zip_bomb_or_an_overlong_cell_is_refused_and_nothing_saved(
    client, template, placement
):
    from tests.learning.test_spreadsheets import zip_bomb

    bomb = io.BytesIO(zip_bomb(100))
    bomb.name = "catatan-magang.xlsx"
    assert "setelah dibuka; paling besar 25 MB" in (
        post(client, placement, bomb).content.decode()
    )
    long_row = good_rows()[0][:5] + ["x" * 6000]
    page = post(client, placement, fill(template, [long_row])).content.decode()
    assert "Baris 4, kolom F berisi 6000 huruf; paling banyak 5000." in page
    assert not HourEntry.objects.exists()


def test_a_row_over_the_days_cap_is_said_about_the_trainee(client, template, placement):
    HourEntryFactory(
        placement=placement,
        date=days_ago(6),
        start_time=datetime.time(6),
        end_time=datetime.time(17, 30),
        minutes=690,
        category=ActivityCategory.COMPLAINTS,
        activity="Dicatat peserta di ponselnya.",
    )
    rows = [
        [
            days_ago(6).strftime("%d-%m-%Y"),
            "18:00",
            "19:00",
            None,
            "Lainnya",
            "Rapat evaluasi di kantor layanan.",
        ]
    ]
    page = post(client, placement, fill(template, rows)).content.decode()
    assert (
        f"Baris 4: Pada {days_ago(6):%d-%m-%Y} {placement.trainee.display_name} "
        "sudah mencatat 11 jam 30 menit." in page
    )
    assert "kamu" not in page
    assert HourEntry.objects.count() == 1
