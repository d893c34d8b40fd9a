"""The one bounded reader, problem report and formula-safe writer for spreadsheets."""

import csv
import datetime
import io
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from learning.spreadsheets import (
    ImportReport,
    Limits,
    RowProblems,
    SheetRefused,
    append_row,
    cell_text,
    column_positions,
    csv_cell,
    csv_row,
    from_csv_cell,
    read_sheet,
    read_text,
)


def xlsx(rows, *, title=None) -> bytes:
    workbook = Workbook()
    if title:
        workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A real XLSX whose sheet XML unpacks to `unpacked_mb` MB from a few hundred KB.

    Rows of one long text cell, repeated: zlib packs them about 400 to 1.
    """
    base = xlsx([["username", "nama", "peran"]])
    out = io.BytesIO()
    row = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        + b"a" * 1000
        + b"</t></is></c></row>"
    )
    chunk = row * 1000  # about 1 MB
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, source.read(item))
                continue
            head, tail = source.read(item).split(b"</sheetData>")
            with bomb.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head)
                for _ in range(unpacked_mb):
                    sheet.write(chunk)
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


# --- reading --------------------------------------------------------------------


def test_an_xlsx_zip_bomb_is_refused_from_the_zip_directory_at_once():
    bomb = zip_bomb(200)
    assert len(bomb) < 1024 * 1024  # small on disk

    started = time.perf_counter()
    with pytest.raises(SheetRefused) as refused:
        read_sheet(bomb, filename="orang.xlsx")
    elapsed = time.perf_counter() - started

    assert "setelah dibuka" in str(refused.value)
    assert "paling besar 25 MB" in str(refused.value)
    assert elapsed < 0.5, "the sheet XML was unpacked before refusing"


def test_an_xlsx_within_the_bounds_is_read_with_row_numbers_and_types():
    day = datetime.datetime(2024, 11, 17)
    data = xlsx([["tanggal", "lama"], [], [day, 90], ["", None]], title="jam")

    rows = read_sheet(data, filename="catatan.xlsx", sheet_name="jam")

    assert rows == [(1, ("tanggal", "lama")), (3, (day, 90))]


def test_a_file_larger_than_the_bound_is_refused_before_it_is_read():
    with pytest.raises(SheetRefused, match="paling besar 1 MB"):
        read_sheet(
            b"a" * (1024 * 1024 + 1),
            filename="orang.csv",
            limits=Limits(max_bytes=1024 * 1024),
        )


def test_more_rows_than_the_bound_are_refused():
    text = "\n".join(["nama"] + [f"orang {n}" for n in range(10)])
    assert (
        len(read_sheet(text.encode(), filename="a.csv", limits=Limits(max_rows=11)))
        == 11
    )
    with pytest.raises(SheetRefused, match="lebih dari 10 baris"):
        read_sheet(text.encode(), filename="a.csv", limits=Limits(max_rows=10))


def test_an_overlong_cell_is_refused_naming_its_row_and_column():
    data = xlsx([["username", "nama"], ["rut", "R" * 6000]])
    with pytest.raises(SheetRefused) as refused:
        read_sheet(data, filename="orang.xlsx")
    assert str(refused.value) == (
        "Baris 2, kolom B berisi 6000 huruf; paling banyak 5000."
    )


def test_a_nul_byte_is_refused():
    with pytest.raises(SheetRefused, match="Baris 2 berisi karakter NUL"):
        read_sheet(b"nama\nRut\x00\n", filename="orang.csv")


def test_csv_with_semicolons_a_single_column_or_broken_text_is_read_or_explained():
    assert read_sheet(b"nama;peran\nRut;Peserta\n", filename="a.csv") == [
        (1, ("nama", "peran")),
        (2, ("Rut", "Peserta")),
    ]
    assert read_sheet(b"nama\nRut\n", filename="a.csv") == [
        (1, ("nama",)),
        (2, ("Rut",)),
    ]
    with pytest.raises(SheetRefused, match="bukan teks UTF-8"):
        read_sheet("nama\nJosé\n".encode("latin-1"), filename="a.csv")
    with pytest.raises(SheetRefused, match="Unggah berkas .csv atau .xlsx"):
        read_sheet(b"x", filename="foto.jpg")
    with pytest.raises(SheetRefused, match="Berkas XLSX tidak bisa dibaca"):
        read_sheet(b"bukan zip", filename="orang.xlsx")


def test_a_text_file_with_a_line_longer_than_the_bound_is_refused():
    assert read_text(b"satu\ndua\n") == "satu\ndua\n"
    with pytest.raises(SheetRefused, match="Baris 2 berisi 30 huruf"):
        read_text(b"ok\n" + b"x" * 30, limits=Limits(max_line_chars=20))
    with pytest.raises(SheetRefused, match="karakter NUL"):
        read_text(b"Soal {\x00}")


# --- problems by row ------------------------------------------------------------


def test_every_problem_of_every_row_is_kept_in_row_order():
    problems = RowProblems()
    problems.add(7, "Tanggal belum terjadi.")
    problems.add(4, "Kegiatan tidak ada di daftar.")
    problems.add(7, "Ada nomor HP.")
    problems.add(None, "Berkas tanpa judul kolom.")

    assert problems.by_row() == {
        0: ["Berkas tanpa judul kolom."],
        4: ["Kegiatan tidak ada di daftar."],
        7: ["Tanggal belum terjadi.", "Ada nomor HP."],
    }
    assert problems.messages == [
        "Berkas tanpa judul kolom.",
        "Baris 4: Kegiatan tidak ada di daftar.",
        "Baris 7: Tanggal belum terjadi.",
        "Baris 7: Ada nomor HP.",
    ]
    assert RowProblems.from_data(problems.as_data()).messages == problems.messages


def test_a_report_is_ok_until_a_problem_and_keeps_skipped_rows_apart():
    report = ImportReport()
    report.skipped.add(5, "sudah diimpor sebelumnya; dilewati.")
    assert report.ok
    report.errors.add(4, "Kolom username kosong.")
    assert not report.ok
    assert report.messages == ["Baris 4: Kolom username kosong."]
    assert report.skipped_messages == ["Baris 5: sudah diimpor sebelumnya; dilewati."]


# --- understanding rows ------------------------------------------------------------


def test_a_cell_reads_as_the_text_a_person_sees():
    assert [cell_text(value) for value in (None, 90.0, 1.5, " rut ", "a  b", 0)] == [
        "",
        "90",
        "1.5",
        "rut",
        "a  b",
        "0",
    ]


def test_columns_are_found_by_their_title_however_it_is_written():
    header = ("Username", "Nama Depan", "jam mulai", "", "username")
    assert column_positions(
        header,
        columns=["username", "nama", "jam_mulai", "email"],
        required=["username"],
        aliases={"nama depan": "nama"},
    ) == {"username": 0, "nama": 1, "jam_mulai": 2}
    with pytest.raises(SheetRefused) as refused:
        column_positions(header, columns=["peran", "lembaga"], required=["peran"])
    assert str(refused.value) == "Kolom wajib tidak ada: peran."


# --- writing --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "=1+1",
        '=HYPERLINK("http://x","a")',
        "+62 812",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
    ],
)
def test_a_csv_cell_that_would_run_gets_a_quote_and_reads_back(typed):
    assert csv_cell(typed) == "'" + typed
    assert from_csv_cell(csv_cell(typed)) == typed


def test_plain_text_numbers_and_non_text_are_left_alone():
    assert csv_row(["Rut", "-5", "+62", "1,5", 12, None, "'kutip"]) == [
        "Rut",
        "-5",
        "+62",
        "1,5",
        12,
        None,
        "'kutip",
    ]
    assert from_csv_cell("'kutip") == "'kutip"


def test_a_csv_written_with_csv_row_opens_as_text():
    out = io.StringIO()
    csv.writer(out).writerow(csv_row(['=HYPERLINK("http://x","a")']))
    assert out.getvalue().startswith("\"'=HYPERLINK(")


def test_xlsx_text_cells_are_strings_without_an_apostrophe():
    workbook = Workbook()
    append_row(
        workbook.active, ['=HYPERLINK("http://x","a")', "#N/A", "-1", 5, "a\x01b"]
    )
    data = io.BytesIO()
    workbook.save(data)

    with zipfile.ZipFile(data) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere
    cells = load_workbook(data).active[1]
    assert [cell.value for cell in cells] == [
        '=HYPERLINK("http://x","a")',
        "#N/A",
        "-1",
        5,
        "ab",
    ]
    assert [cell.data_type for cell in cells] == ["s", "s", "s", "n", "s"]


def test_write_only_workbooks_keep_text_as_text_too():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    append_row(sheet, ["=1+1"])
    data = io.BytesIO()
    workbook.save(data)
    assert load_workbook(data).active["A1"].value == "=1+1"
    assert load_workbook(data).active["A1"].data_type == "s"
