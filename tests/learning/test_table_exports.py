"""The programme view's tables as CSV and XLSX files: what a coordinator
opening them in a spreadsheet sees."""

import csv
import io
import time
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from learning.spreadsheets import from_csv_cell
from learning.suppression import suppress
from learning.table_exports import audience_line, tables_csv, tables_xlsx
from learning.tables import Row, Table

HEADING = ["Program: Pendampingan Korban TTS", "Lembaga: SSP SoE", "Tahun: 2024"]
INTERNAL = "INTERNAL — angka persis, jangan dibagikan ke luar lembaga"
SHARED = (
    "Untuk dibagikan: angka 1–4 ditulis <5; x = disembunyikan agar angka kecil "
    "tidak dapat dihitung dari jumlahnya"
)


def cases() -> Table:
    return Table.with_totals(
        key="kasus-per-tahun",
        title="Kasus per tahun",
        row_header="Tahun",
        columns=["Fisik", "Seksual", "Penelantaran"],
        rows=[
            Row("2019", [12, 3, 20], note="dicatat manual · Profil SSP 2019"),
            Row("2023", [7, 8, 9]),
            Row("2024", [30, 12, 6]),
        ],
        note="Satu kasus dapat terhitung di dua jenis.",
    )


def hours() -> Table:
    return Table.with_totals(
        key="jam-magang",
        title="Jam magang terverifikasi",
        row_header="Kecamatan",
        columns=["Jam"],
        rows=[Row("Kota SoE", [Decimal("12.5")]), Row("Amanuban", [Decimal("3")])],
        suppress=False,
    )


def cohorts() -> Table:
    return Table(
        key="pelatihan-angkatan",
        title="Pelatihan per angkatan",
        row_header="Angkatan",
        columns=["Terdaftar", "Selesai", "Bersertifikat"],
        rows=[Row("Angkatan 1", [25, 20, 18]), Row("Angkatan 2", [30, 0, 0])],
        totals=False,
    )


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return [
        [from_csv_cell(cell) for cell in row]
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))
    ]


def as_text(value) -> str:
    if value is None:
        return ""
    return str(value)


def expected_block(table: Table) -> list[list[str]]:
    """What a table's block should read as, cell by cell, in the CSV."""
    notes = any(row.note for row in table.rows)
    header = [table.row_header, *table.columns]
    header += ["Jumlah"] if table.totals else []
    header += ["Keterangan"] if notes else []
    block = [[table.title], header]
    for row in table.rows:
        line = [row.label, *row.values, *([row.total] if table.totals else [])]
        block.append([as_text(v) for v in line] + ([row.note] if notes else []))
    if table.totals:
        line = ["Jumlah", *table.column_totals, table.grand_total]
        block.append([as_text(v) for v in line])
    if table.note:
        block.append([table.note])
    return [*block, []]


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- CSV -----------------------------------------------------------------------


def test_csv_holds_the_heading_the_audience_line_and_every_table_block():
    tables = [suppress(cases()), hours(), suppress(cohorts())]
    rows = read_csv(tables_csv(tables, heading=HEADING, internal=False))
    assert rows[:5] == [[line] for line in HEADING] + [[SHARED], []]
    expected = []
    for table in tables:
        expected += expected_block(table)
    assert rows[5:] == expected


def test_csv_for_sharing_shows_the_markers_not_the_small_counts():
    rows = read_csv(tables_csv([suppress(cases())], heading=[], internal=False))
    first = rows[4]
    assert first[0] == "2019"
    assert first[2] == "<5"
    assert first[-1] == "dicatat manual · Profil SSP 2019"
    assert "3" not in first[1:4]
    assert "x" in {cell for row in rows for cell in row}


def test_internal_csv_says_so_and_holds_the_exact_numbers():
    rows = read_csv(tables_csv({"k": cases()}, heading=HEADING, internal=True))
    assert rows[3] == [INTERNAL]
    assert rows[5 + 2] == [
        "2019",
        "12",
        "3",
        "20",
        "35",
        "dicatat manual · Profil SSP 2019",
    ]
    assert rows[5 + 5] == ["Jumlah", "49", "23", "35", "107"]


def test_csv_writes_decimals_plainly():
    rows = read_csv(tables_csv([hours()], heading=[], internal=False))
    assert rows[4] == ["Kota SoE", "12.5", "12.5"]
    assert rows[6] == ["Jumlah", "15.5", "15.5"]


def test_the_audience_line_names_the_real_threshold(settings):
    settings.PENDAMPING_SMALL_COUNT_MAX = 9
    line = audience_line(internal=False)
    assert "1–9" in line
    assert "<10" in line
    assert audience_line(internal=True) == INTERNAL


# --- XLSX ----------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_table_with_the_numbers_as_numbers():
    tables = [suppress(cases()), hours(), cohorts()]
    book = load_workbook(
        io.BytesIO(tables_xlsx(tables, heading=HEADING, internal=False))
    )
    assert book.sheetnames == [
        "Kasus per tahun",
        "Jam magang terverifikasi",
        "Pelatihan per angkatan",
    ]
    for sheet, table in zip(book.worksheets, tables, strict=True):
        rows = sheet_rows(sheet)
        assert [row[0] for row in rows[:4]] == [*HEADING, SHARED]
        header_at = rows.index(
            [table.row_header, *table.columns, *(["Jumlah"] if table.totals else [])]
            + (["Keterangan"] if any(r.note for r in table.rows) else [])
        )
        assert rows[header_at - 1][0] == table.title
        for offset, row in enumerate(table.rows, start=1):
            read = rows[header_at + offset]
            assert read[0] == row.label
            expected = [*row.values, *([row.total] if table.totals else [])]
            assert read[1 : 1 + len(expected)] == expected
            for value, cell in zip(expected, read[1:], strict=False):
                # A number stays a number, a marker is text.
                number = isinstance(value, int | Decimal)
                assert isinstance(cell, int | float if number else str)
        if table.totals:
            totals = rows[header_at + len(table.rows) + 1]
            assert totals[: 2 + len(table.columns)] == [
                "Jumlah",
                *table.column_totals,
                table.grand_total,
            ]
        # The header stays in view, and it is bold.
        assert sheet.freeze_panes == f"B{header_at + 2}"
        assert sheet.cell(row=header_at + 1, column=1).font.bold


def test_xlsx_widths_are_reasonable():
    long = Table.with_totals(
        key="desa",
        title="Pendamping aktif per desa",
        row_header="Desa",
        columns=["Pendamping aktif"],
        rows=[Row("Desa " + "Panjang" * 30 + ", Amanuban", [12]), Row("Oe", [9])],
    )
    sheet = load_workbook(
        io.BytesIO(tables_xlsx([long], heading=[], internal=True))
    ).active
    assert 8 <= sheet.column_dimensions["A"].width <= 50
    assert sheet.column_dimensions["A"].width == 50
    assert 8 <= sheet.column_dimensions["B"].width <= 24


def test_xlsx_sheet_names_are_valid_and_unique():
    def named(title):
        return Table(key="k", title=title, row_header="r", columns=["a"], rows=[])

    titles = [
        "Kasus [2024]: jenis/jalur * ? \\ x",
        "Kasus [2024]: jenis/jalur * ? \\ x",
        "Pendamping aktif per desa dan kecamatan, tahun 2024",
        "Pendamping aktif per desa dan kecamatan, tahun 2024",
        "",
        "'kutip'",
        "\x00\x01",
    ]
    book = load_workbook(
        io.BytesIO(tables_xlsx([named(t) for t in titles], heading=[], internal=True))
    )
    names = book.sheetnames
    assert len(names) == len(titles)
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
    assert names[0] == "Kasus 2024 jenis jalur x"
    assert names[1] == "Kasus 2024 jenis jalur x (2)"


def test_xlsx_without_tables_still_opens_with_the_heading():
    book = load_workbook(io.BytesIO(tables_xlsx([], heading=HEADING, internal=True)))
    assert [row[0] for row in sheet_rows(book.active)] == [*HEADING, INTERNAL]


# --- hostile input ---------------------------------------------------------------


def hostile() -> Table:
    return Table.with_totals(
        key="kasus-kecamatan-jenis",
        title='=HYPERLINK("http://x")',
        row_header="@Kecamatan",
        columns=["+Fisik", "-Seksual", "Ps\x00ikis"],
        rows=[
            Row('=HYPERLINK("http://contoh.invalid","klik")', [40, 50, 60]),
            Row('Nu\x00l "kutip", koma', [70, 80, 90], note="=1+1"),
            Row("²", [10**18, 0, Decimal("NaN")]),
        ],
        note="\tcatatan",
    )


def test_hostile_labels_are_text_in_the_csv_never_formulas():
    data = tables_csv([hostile()], heading=["=cmd|' /C calc'!A0"], internal=True)
    raw = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert b"\x00" not in data
    assert raw[0] == ["'=cmd|' /C calc'!A0"]
    cells = [cell for row in raw for cell in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t")), cell
    assert '\'=HYPERLINK("http://contoh.invalid","klik")' in cells
    assert 'Nul "kutip", koma' in cells
    assert "Psikis" in cells
    assert str(10**18) in cells
    assert "²" in cells


def test_hostile_labels_are_text_in_the_xlsx_never_formulas():
    data = tables_xlsx([hostile()], heading=["=cmd|' /C calc'!A0"], internal=True)
    sheet = load_workbook(io.BytesIO(data)).active
    values = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            values.append(cell.value)
    assert "=cmd|' /C calc'!A0" in values
    assert '=HYPERLINK("http://contoh.invalid","klik")' in values
    assert 'Nul "kutip", koma' in values
    assert 10**18 in values
    assert "²" in values
    assert "NaN" in values


def test_ten_thousand_rows(capsys):
    many = Table.with_totals(
        key="banyak",
        title="Banyak baris",
        row_header="Desa",
        columns=["a", "b"],
        rows=[Row(f"Desa {i}", [i % 300 + 5, 7]) for i in range(10_000)],
    )
    started = time.perf_counter()
    csv_rows = read_csv(tables_csv([many], heading=[], internal=False))
    xlsx = tables_xlsx([many], heading=[], internal=False)
    took = time.perf_counter() - started
    assert csv_rows[4 + 9_999] == ["Desa 9999", "104", "7", "111"]
    assert csv_rows[4 + 10_000][0] == "Jumlah"
    rows = sheet_rows(load_workbook(io.BytesIO(xlsx), read_only=True).active)
    assert rows[4 + 9_999] == ["Desa 9999", 104, 7, 111]
    with capsys.disabled():
        print(f"\n10,000 rows, CSV and XLSX: {took:.2f}s")


# --- the guard against raw small counts ---------------------------------------------


@pytest.mark.parametrize("writer", [tables_csv, tables_xlsx])
def test_raw_small_counts_are_refused_for_a_file_to_share(writer):
    with pytest.raises(ValueError, match="kasus-per-tahun"):
        writer([hours(), cases()], heading=HEADING, internal=False)


@pytest.mark.parametrize("writer", [tables_csv, tables_xlsx])
def test_a_small_total_alone_is_refused_too(writer):
    small_total = Table.with_totals(
        key="total-kecil",
        title="t",
        row_header="r",
        columns=["a", "b"],
        rows=[Row("r", [0, 0]), Row("s", [2, 0])],
        totals=True,
    )
    # The cell was hidden by hand, but the row total still reads 2.
    bare = replace(
        small_total,
        rows=[Row("r", [0, 0], total=0), Row("s", ["<5", 0], total=2)],
        column_totals=["<5", 0],
    )
    with pytest.raises(ValueError):
        writer([bare], heading=[], internal=False)


@pytest.mark.parametrize("writer", [tables_csv, tables_xlsx])
def test_what_may_leave_is_written(writer):
    # Exact numbers inside; suppressed tables, sums of hours and counts with
    # nothing small outside.
    big = Table.with_totals(
        key="besar", title="Besar", row_header="r", columns=["a"], rows=[Row("r", [9])]
    )
    assert writer([cases()], heading=HEADING, internal=True)
    assert writer([suppress(cases()), hours(), big], heading=HEADING, internal=False)
