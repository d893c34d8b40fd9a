"""The one attendance sheet: a username column read the same for every importer."""

import datetime
import io
import time

import pytest
from openpyxl import Workbook, load_workbook

from learning.attendance_sheet import (
    attendance_workbook,
    import_attendance_sheet,
    read_attendance,
)
from learning.models import User
from learning.spreadsheets import RowProblems, append_row
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOT_LISTED = "%(username)s tidak terdaftar."
DAY_ONE = datetime.date(2022, 11, 17)
DAY_TWO = datetime.date(2022, 11, 18)


def xlsx(*rows, title: str = "kehadiran") -> bytes:
    """A sheet as a person types it: every text cell is text, "=..." included."""
    workbook = Workbook()
    workbook.active.title = title
    for row in rows:
        append_row(workbook.active, row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def rut(db):
    return UserFactory(username="rut", first_name="Rut")


@pytest.fixture
def yuli(db):
    return UserFactory(username="yuli", first_name="Yuliana")


def read(content: bytes, listed, **declared) -> tuple[list, RowProblems]:
    problems = RowProblems()
    attendees = read_attendance(
        content, listed=listed, not_listed=NOT_LISTED, problems=problems, **declared
    )
    return attendees, problems


def test_every_problem_of_a_username_sheet_is_named_by_row(rut, yuli):
    outsider = UserFactory(username="orang-lain")
    content = xlsx(
        ["Daftar hadir"],
        ["username", "nama"],
        ["rut", "Rut"],
        ["", "tanpa username"],
        ["rut", "Rut lagi"],
        ["tidak-ada", "Siapa"],
        [outsider.username, "Bukan peserta"],
        ['=HYPERLINK("http://contoh.invalid","klik")', "Rumus"],
        ["  yuli ", "Yuliana"],
    )

    attendees, problems = read(content, User.objects.filter(pk__in=[rut.pk, yuli.pk]))

    assert [(each.row, each.person) for each in attendees] == [(3, rut), (9, yuli)]
    assert problems.messages == [
        "Baris 4: Kolom username kosong.",
        "Baris 5: Nama pengguna rut sudah ada di baris 3.",
        "Baris 6: tidak-ada tidak terdaftar.",
        # Someone with an account who may not be listed reads like no account.
        "Baris 7: orang-lain tidak terdaftar.",
        # A cell that looks like a formula is read as the text typed, never run.
        'Baris 8: =HYPERLINK("http://contoh.invalid","klik") tidak terdaftar.',
    ]


def test_a_formula_cell_is_read_as_its_saved_value_not_computed(rut):
    workbook = Workbook()
    workbook.active.append(["username", "nama"])
    workbook.active.append(['=CONCAT("r","ut")', "Rut"])  # stored as a formula
    output = io.BytesIO()
    workbook.save(output)

    attendees, problems = read(output.getvalue(), User.objects.all())

    # No spreadsheet computed it, so it holds no value: nobody is listed by it.
    assert attendees == []
    assert problems.messages == ["Baris 2: Kolom username kosong."]


def test_more_rows_than_the_bound_are_refused_before_anyone_is_looked_up(
    django_assert_num_queries,
):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("kehadiran")
    sheet.append(["username", "nama"])
    for number in range(10_000):
        sheet.append([f"orang-{number}", "Orang"])
    output = io.BytesIO()
    workbook.save(output)

    started = time.perf_counter()
    with django_assert_num_queries(0):
        attendees, problems = read(output.getvalue(), User.objects.all())

    assert attendees == []
    assert problems.messages == [
        "Berkas lebih dari 5000 baris. Bagi menjadi beberapa berkas."
    ]
    assert time.perf_counter() - started < 5


def test_no_header_or_no_rows_or_no_spreadsheet_is_said_once():
    for content, message in [
        (
            xlsx(["nama"], ["Rut"]),
            "Judul kolom tidak ditemukan: kolom pertama harus 'username'.",
        ),
        (xlsx(["username", "nama"]), "Tidak ada baris peserta di berkas."),
        (
            b"bukan xlsx",
            "Berkas XLSX tidak bisa dibaca. Simpan ulang sebagai .xlsx dari Excel "
            "atau LibreOffice.",
        ),
    ]:
        attendees, problems = read(content, User.objects.all())
        assert (attendees, problems.messages) == ([], [message])


def test_a_template_sheet_points_to_the_template_when_it_cannot_be_read():
    _attendees, problems = read(xlsx(["nama"]), User.objects.all(), from_template=True)
    assert problems.messages == [
        "Judul kolom tidak ditemukan: kolom pertama harus 'username'. Pakai "
        "templat yang diunduh dari halaman ini."
    ]
    _attendees, problems = read(b"bukan", User.objects.all(), from_template=True)
    assert problems.messages == [
        "Berkas XLSX tidak bisa dibaca. Pakai templat yang diunduh dari halaman "
        "ini, lalu simpan sebagai .xlsx."
    ]


def outside(day: datetime.date) -> str | None:
    return None if day in (DAY_ONE, DAY_TWO) else f"{day:%d-%m-%Y} di luar."


def test_the_written_template_reads_back_with_its_days(rut, yuli):
    content = attendance_workbook(
        title="=1+1 Pelatihan",
        subtitle="17-18 November",
        instructions="Tulis x bila hadir.",
        people=[rut, yuli],
        days=[DAY_ONE, DAY_TWO],
    )
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["kehadiran"]
    assert sheet["A1"].value == "=1+1 Pelatihan"
    assert sheet["A1"].data_type == "s"  # a title typed as a formula stays text
    assert [cell.value for cell in sheet[4]] == [
        "username",
        "nama",
        "17-11-2022",
        "18-11-2022",
    ]
    sheet["C5"], sheet["D5"], sheet["D6"] = "x", "Hadir", "✓"
    output = io.BytesIO()
    workbook.save(output)

    attendees, problems = read(
        output.getvalue(), User.objects.all(), day_problem=outside
    )

    assert not problems, problems.messages
    assert [(each.person, each.days) for each in attendees] == [
        (rut, {DAY_ONE, DAY_TWO}),
        (yuli, {DAY_TWO}),
    ]


def test_day_columns_and_marks_that_cannot_be_read_are_named(rut):
    content = xlsx(
        ["username", "nama", "17-11-2022", "besok", "19-11-2022"],
        ["rut", "Rut", "mungkin"],
    )
    attendees, problems = read(content, User.objects.all(), day_problem=outside)
    assert problems.by_row() == {
        1: [
            "Judul kolom besok bukan tanggal (tulis 17-11-2022).",
            "19-11-2022 di luar.",
        ],
        2: [
            "Isi 'mungkin' pada 17 November 2022 tidak dikenal: tulis x bila hadir, "
            "kosongkan bila tidak."
        ],
    }
    # Without day columns declared, the columns after the name are not read.
    attendees, problems = read(content, User.objects.all())
    assert not problems
    assert [(each.person, each.days) for each in attendees] == [(rut, set())]


def test_an_import_saves_nothing_unless_every_row_and_the_importer_pass(rut):
    saved = []

    def record(attendees) -> int:
        saved.append([each.person for each in attendees])
        return len(attendees)

    def refuse():
        raise ValueError("Kamu tidak dapat mencatat kehadiran ini.")

    def run(content, check=lambda: None):
        return import_attendance_sheet(
            content,
            check=check,
            listed=User.objects.all(),
            not_listed=NOT_LISTED,
            record=record,
        )

    good = xlsx(["username"], ["rut"])
    refused = run(good, check=refuse)
    assert refused.messages == ["Kamu tidak dapat mencatat kehadiran ini."]
    broken = run(xlsx(["username"], ["rut"], ["tidak-ada"]))
    assert broken.messages == ["Baris 3: tidak-ada tidak terdaftar."]
    assert saved == []

    report = run(good)
    assert (report.ok, report.created, saved) == (True, 1, [[rut]])
