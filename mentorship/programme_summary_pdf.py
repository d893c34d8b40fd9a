"""The one-page annual summary of a programme's figures, for donors and DP3A.

It leaves the organisation, so every count in it has passed through
`learning.suppression.suppress` (1..4 as "<5", and the cells hidden with
them as "x") and the headline hides small counts too: whoever prints it,
a coordinator included, prints the outside figures.

One A4 page: the heading (programme, organisation, year, places chosen),
the headline figures, cases per year (chart and table, years entered by hand
marked), cases by type and path, villages with active companions by
kecamatan, the training funnel, the markers' legend, the definitions in small
print and when it was printed. Long tables are cut to their first rows and
say "dan N lainnya" (the full tables are in the CSV and XLSX files): a
kabupaten of 40 kecamatan still fits on the page.
"""

import io
import logging
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from learning.charts import Series, bar_chart
from learning.pdf import (
    FONT,
    INK,
    MUTED,
    REPORT_FRAME,
    FramedPDF,
    masthead,
    paragraph,
    printed_at,
    table,
)
from learning.suppression import is_small, small_marker, suppress
from learning.tables import Table

CASES_PER_YEAR = "kasus-per-tahun"
CASES_BY_TYPE_PATH = "kasus-jenis-jalur"
ACTIVE_VILLAGES = "desa-aktif-kecamatan"
TRAINING = "pelatihan-angkatan"

# Rows each table may take on the page before "dan N lainnya".
MAX_YEARS = 8
MAX_KECAMATAN = 8
MAX_COHORTS = 4
MAX_TYPES = 8

# The definitions of what the page prints (all of them, if named otherwise).
PRINTED_DEFINITIONS = (
    "pendamping-aktif",
    "desa-aktif",
    "kasus-didampingi",
    "angkatan",
    "tahun-manual",
)


def hide_small(value):
    """A headline count as it may leave the organisation."""
    return small_marker() if is_small(value) else value


def outside_tables(tables: dict[str, Table]) -> dict[str, Table]:
    """Every table as it may leave the organisation."""
    return {key: suppress(one) if one.suppress else one for key, one in tables.items()}


def text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


# A row's label longer than this is cut on the page (whole in the CSV/XLSX).
MAX_LABEL = 48


def short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def more_rows(count: int) -> str:
    return _("dan %(n)s lainnya (lihat berkas CSV/XLSX)") % {"n": count}


def limited_rows(one: Table, limit: int, *, newest: bool = False) -> list[list[str]]:
    """The table's rows as text, cut to `limit` with a line saying how many more."""
    rows = one.value_rows()
    cut = len(rows) - limit
    if cut > 0:
        rows = rows[-limit:] if newest else rows[:limit]
    lines = [[short(text(row[0])), *map(text, row[1:])] for row in rows]
    if cut > 0:
        filler = [more_rows(cut)] + [""] * (len(lines[0]) - 1)
        lines = [filler, *lines] if newest else [*lines, filler]
    if one.totals and one.column_totals is not None:
        lines.append(
            [_("Jumlah"), *map(text, one.column_totals), text(one.grand_total)]
        )
    return lines


def headings(one: Table) -> list[str]:
    return [one.row_header, *one.columns, *([_("Jumlah")] if one.totals else [])]


@contextmanager
def column(pdf: FramedPDF, left: float, width: float):
    """Draw within a column of the page, `left` mm from the frame's left edge."""
    saved = pdf.l_margin, pdf.r_margin
    pdf.set_left_margin(REPORT_FRAME.side + left)
    pdf.set_right_margin(pdf.w - (REPORT_FRAME.side + left + width))
    pdf.set_x(pdf.l_margin)
    try:
        yield
    finally:
        pdf.set_left_margin(saved[0])
        pdf.set_right_margin(saved[1])


def small_heading(pdf: FramedPDF, words: str) -> None:
    pdf.ln(1.5)
    paragraph(pdf, words, size=10, style="B", line=5)


def small_table(pdf: FramedPDF, widths, rows) -> None:
    """learning.pdf.table, a size smaller: a summary page has little room."""
    table(pdf, widths, rows, size=7.5, line_height=3.4, padding=0.8)


def _chart_svg(cases: Table) -> bytes:
    svg = bar_chart(
        title=_("Kasus didampingi per tahun"),
        description=_("Jumlah kasus per tahun"),
        labels=[row.label for row in cases.rows[-MAX_YEARS:]],
        series=[
            Series(
                _("Kasus"),
                [row.total for row in cases.rows[-MAX_YEARS:]],
                marked=frozenset(
                    i for i, row in enumerate(cases.rows[-MAX_YEARS:]) if row.note
                ),
                marked_name=_("Dicatat manual"),
            )
        ],
        chart_id="ringkasan",
    )
    return str(svg).encode()


def annual_summary_pdf(*, figures, heading: str | list[str]) -> bytes:
    """One A4 page of the year's figures, small counts hidden."""
    tables = outside_tables(figures.tables)
    if not isinstance(heading, str):
        heading = " · ".join(heading)
    heading = heading[:300] or _("Semua program dan lembaga dalam cakupan")
    pdf = FramedPDF(
        frame=REPORT_FRAME,
        footer_text=_("Ringkasan tahunan · angka kecil disembunyikan"),
        title=heading,
        author=settings.WAGTAIL_SITE_NAME,
    )
    # One page by design: long tables are cut before they are drawn, so the
    # page never breaks (the frame's automatic break stays on: were anything
    # to run over, a second page would show it rather than lose it).
    pdf.add_page()
    masthead(
        pdf, _("Ringkasan tahunan %(year)s") % {"year": figures.year}, size=15, line=7
    )
    paragraph(pdf, heading, size=9.5, color=MUTED, line=4.5)
    pdf.ln(1)
    _headline(pdf, figures.headline)
    width = pdf.content_width
    half = (width - 6) / 2

    cases = tables.get(CASES_PER_YEAR)
    if cases is not None and cases.rows:
        small_heading(pdf, cases.title)
        top = pdf.get_y()
        with column(pdf, 0, half):
            _chart(pdf, cases, half)
        chart_bottom = pdf.get_y()
        pdf.set_y(top)
        with column(pdf, half + 6, half):
            rows = [
                [short(row.label), text(row.total), short(row.note)]
                for row in cases.rows
            ]
            cut = len(rows) - MAX_YEARS
            if cut > 0:
                rows = [["…", "", more_rows(cut)], *rows[-MAX_YEARS:]]
            small_table(
                pdf,
                (half * 0.2, half * 0.2, half * 0.6),
                [[_("Tahun"), _("Kasus"), _("Sumber")], *rows],
            )
        pdf.set_y(max(chart_bottom, pdf.get_y()))

    by_type = tables.get(CASES_BY_TYPE_PATH)
    villages = tables.get(ACTIVE_VILLAGES)
    top = pdf.get_y()
    bottoms = [top]
    for one, left, label_share, limit in (
        (by_type, 0, 0.34, MAX_TYPES),
        (villages, half + 6, 0.4, MAX_KECAMATAN),
    ):
        if one is None:
            continue
        pdf.set_y(top)
        with column(pdf, left, half):
            small_heading(pdf, one.title)
            columns = len(headings(one))
            first = half * label_share
            rest = (half - first) / max(columns - 1, 1)
            small_table(
                pdf,
                (first, *[rest] * (columns - 1)),
                [headings(one), *limited_rows(one, limit)],
            )
            bottoms.append(pdf.get_y())
    pdf.set_y(max(bottoms))

    training = tables.get(TRAINING)
    if training is not None:
        small_heading(pdf, training.title)
        columns = len(headings(training))
        first = width * 0.4
        rest = (width - first) / max(columns - 1, 1)
        small_table(
            pdf,
            (first, *[rest] * (columns - 1)),
            [headings(training), *limited_rows(training, MAX_COHORTS)],
        )

    pdf.ln(2)
    paragraph(
        pdf,
        _(
            "%(marker)s: angka 1 sampai %(max)s disembunyikan, karena angka sekecil "
            "itu di satu desa dapat menunjuk orangnya. x: disembunyikan juga, agar "
            "angka kecil tidak dapat dihitung dari jumlah baris dan kolom. Tabel "
            "yang panjang dipotong; semua baris ada di berkas CSV/XLSX."
        )
        % {"marker": small_marker(), "max": settings.PENDAMPING_SMALL_COUNT_MAX},
        size=7.5,
        line=3.4,
    )
    paragraph(
        pdf,
        " ".join(
            f"{term}: {words}" if term else words
            for term, words in definition_pairs(PRINTED_DEFINITIONS)
        ),
        size=6.5,
        color=MUTED,
        line=2.9,
    )
    printed_at(pdf)
    return bytes(pdf.output())


def _headline(pdf: FramedPDF, headline) -> None:
    items = [
        (_("Pendamping aktif"), text(hide_small(headline.active_companions))),
        (
            _("Desa aktif"),
            _("%(active)s dari %(total)s")
            % {
                "active": text(hide_small(headline.villages_active)),
                "total": text(headline.villages_total),
            },
        ),
        (_("Kasus didampingi"), text(hide_small(headline.cases_accompanied))),
        (_("Peserta terdaftar"), text(hide_small(headline.trainees_enrolled))),
        (_("Bersertifikat"), text(hide_small(headline.certified))),
        (_("Jam magang terverifikasi"), text(headline.verified_hours)),
    ]
    box = pdf.content_width / len(items)
    top = pdf.get_y()
    for i, (label, value) in enumerate(items):
        x = pdf.l_margin + i * box
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 11)
        pdf.set_text_color(*INK)
        pdf.cell(box - 2, 6, value)
        pdf.set_xy(x, top + 6)
        pdf.set_font(FONT, "", 7.5)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(box - 2, 3.2, label)
    pdf.set_xy(pdf.l_margin, top + 13)


def _chart(pdf: FramedPDF, cases: Table, width: float) -> None:
    """The cases chart as drawn on the page, or nothing if fpdf2 cannot draw it."""
    svg = _chart_svg(cases)
    logger = logging.getLogger("fpdf.svg")
    level = logger.level
    # fpdf2 skips the <title> and <desc> (the PDF has the table beside it).
    logger.setLevel(logging.ERROR)
    try:
        pdf.image(io.BytesIO(svg), x=pdf.l_margin, w=width * 0.8)
    except Exception:  # noqa: BLE001 - the table beside it carries the numbers
        logging.getLogger(__name__).warning("fpdf2 could not draw the cases chart")
    finally:
        logger.setLevel(level)


def definition_pairs(keys=None) -> list[tuple[str, str]]:
    """The definitions as (term, text), however `programme_figures` lists them;
    with `keys`, only those (when they are keyed)."""
    from .programme_figures import DEFINITIONS

    if isinstance(DEFINITIONS, dict):
        # Keyed by slug: the texts name their own terms.
        chosen = [key for key in keys or () if key in DEFINITIONS] or DEFINITIONS
        return [("", str(DEFINITIONS[key])) for key in chosen]
    pairs = []
    for item in DEFINITIONS:
        if isinstance(item, str):
            pairs.append(("", item))
        else:
            term, words = item
            pairs.append((str(term), str(words)))
    return pairs
