"""The one-page annual summary: one A4 page whatever the number of kecamatan,
the year's numbers with small counts hidden, never a person's name."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from learning.tables import Row, Table
from mentorship.programme_figures import Headline, ProgrammeFigures
from mentorship.programme_summary_pdf import annual_summary_pdf

TYPES = ["Fisik", "Psikis", "Seksual", "Eksploitasi", "Trafficking", "Lainnya"]


def figures(*, kecamatan: int = 6, cohorts: int = 2, years: int = 6):
    """Figures shaped as `programme_figures` gives them, exact."""
    history = [
        Row(
            str(2020 + i),
            [value, 0, 0, 0, 0, 0],
            note="dicatat manual · Profil SSP SoE",
        )
        for i, value in enumerate([120, 120, 166][:years])
    ]
    computed = [
        Row(str(2023 + i), [30 + i, 12, 7, 0, 0, 2]) for i in range(max(years - 3, 0))
    ]
    tables = {
        "kasus-per-tahun": Table.with_totals(
            key="kasus-per-tahun",
            title="Kasus didampingi per tahun",
            row_header="Tahun",
            columns=TYPES,
            rows=history + computed,
        ),
        "kasus-jenis-jalur": Table.with_totals(
            key="kasus-jenis-jalur",
            title="Kasus menurut jenis dan jalur",
            row_header="Jenis kekerasan",
            columns=["Litigasi", "Non-litigasi"],
            rows=[
                Row("Fisik", [3, 40]),
                Row("Psikis", [10, 22]),
                Row("Seksual", [17, 2]),
                Row("Lainnya", [0, 9]),
            ],
        ),
        "desa-aktif-kecamatan": Table(
            key="desa-aktif-kecamatan",
            title="Desa dengan pendamping aktif per kecamatan",
            row_header="Kecamatan",
            columns=["Desa dengan pendamping aktif", "Semua desa"],
            rows=[
                Row(f"Kecamatan Uji Nomor {i:02d}", [i % 4, 8 + i])
                for i in range(kecamatan)
            ],
            totals=False,
            suppress=False,
        ),
        "pelatihan-angkatan": Table(
            key="pelatihan-angkatan",
            title="Pelatihan per angkatan",
            row_header="Angkatan",
            columns=["Terdaftar", "Selesai", "Bersertifikat"],
            rows=[Row(f"Angkatan {i + 1} · 2024", [25, 21, 3]) for i in range(cohorts)],
            totals=False,
        ),
    }
    return ProgrammeFigures(
        year=2025,
        headline=Headline(
            active_companions=61,
            villages_active=22,
            villages_total=278,
            cases_accompanied=3,
            trainees_enrolled=25 * cohorts,
            certified=2,
            verified_hours=Decimal("812.5"),
        ),
        tables=tables,
    )


def read(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


HEADING = ["Program: Pendampingan Berbasis Desa", "Organisasi: SSP SoE"]


def test_the_summary_is_one_page_with_the_years_figures_and_its_heading():
    pages, text = read(annual_summary_pdf(figures=figures(), heading=HEADING))

    assert pages == 1
    assert "Ringkasan tahunan 2025" in text
    assert "Pendampingan Berbasis Desa" in text and "SSP SoE" in text
    # The years entered by hand beside the computed ones, marked as such.
    for year, total in [("2020", "120"), ("2022", "166"), ("2024", "52")]:
        assert re.search(rf"{year}\s+{total}", text), (year, total)
    assert "dicatat manual" in text
    assert "61" in text and "22 dari 278" in text and "812,5" in text
    assert "Dicetak" in text
    assert "Satu kasus yang didampingi dua pendamping dihitung dua kali" in text


def test_small_counts_are_hidden_in_print_even_in_the_headline():
    _, text = read(annual_summary_pdf(figures=figures(), heading=HEADING))

    # Headline: 3 cases and 2 certified are small; 61 companions are not.
    assert re.search(r"<5\s*Kasus didampingi", text)
    assert re.search(r"<5\s*Bersertifikat", text)
    # "Fisik, litigasi: 3" is hidden; and so is a partner, or 3 = total - rest.
    row = re.search(r"Fisik\s+(\S+)\s+(\S+)\s+(\S+)", text.split("jenis dan jalur")[1])
    assert row.group(1) == "<5"
    assert "x" in text.split("jenis dan jalur")[1]
    # "Seksual, non-litigasi: 2" too; the legend says what the markers mean.
    assert re.search(r"Seksual\s+\S+\s+<5", text)
    assert "angka 1 sampai 4 disembunyikan" in text


def test_forty_kecamatan_and_many_cohorts_still_fit_on_one_page():
    content = annual_summary_pdf(
        figures=figures(kecamatan=40, cohorts=9, years=14), heading=HEADING
    )
    pages, text = read(content)

    assert pages == 1
    assert "Kecamatan Uji Nomor 00" in text
    assert "Kecamatan Uji Nomor 39" not in text
    assert re.search(r"dan 32 lainnya", text)  # 40 kecamatan, 8 shown
    assert re.search(r"dan 5 lainnya", text)  # 9 cohorts, 4 shown
    assert re.search(r"dan 6 lainnya", text)  # 14 years, the newest 8 shown
    assert "2033" in text


def test_no_filters_chosen_says_so_and_an_empty_year_still_prints():
    empty = ProgrammeFigures(
        year=2019,
        headline=Headline(),
        tables={
            key: Table.with_totals(
                key=key, title=key, row_header="x", columns=["a"], rows=[]
            )
            for key in ("kasus-per-tahun", "kasus-jenis-jalur", "desa-aktif-kecamatan")
        },
    )
    pages, text = read(annual_summary_pdf(figures=empty, heading=[]))
    assert pages == 1
    assert "Semua program dan lembaga dalam cakupan" in text


@pytest.mark.parametrize(
    "label", ['=HYPERLINK("x")', "<b>Soe</b> & 'Kupang'", "Oe\u00b2Ekam", "A" * 300]
)
def test_ugly_labels_print_as_they_are_on_one_page(label):
    base = figures()
    tables = dict(base.tables)
    villages = tables["desa-aktif-kecamatan"]
    tables["desa-aktif-kecamatan"] = Table(
        key=villages.key,
        title=villages.title,
        row_header=villages.row_header,
        columns=villages.columns,
        rows=[Row(label, [5, 9]), *villages.rows],
        totals=False,
        suppress=False,
    )
    content = annual_summary_pdf(
        figures=ProgrammeFigures(year=2025, headline=base.headline, tables=tables),
        heading=[label],
    )
    pages, text = read(content)
    assert pages == 1
    assert label[:40].replace(" ", "") in text.replace(" ", "")
