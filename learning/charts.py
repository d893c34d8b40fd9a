"""Bar charts drawn on the server as plain SVG, inline in the page.

No JavaScript and nothing from another host: a chart is a few rectangles and
words, every word escaped, every reference (a hatch pattern) inside the SVG
itself. pygal was weighed and left: its SVG links a script from its own host
unless told otherwise, and the few charts here need a hundred lines.

A chart reads at 360 px: its viewBox is as wide as a phone's content column
and its lettering 12.5 units tall, so at width 100% the letters stay about
12 px; a wider screen caps it (the page's CSS). It prints black on white: the
bars' colours come from classes the print stylesheet turns to black, white
and hatching, and a hand-entered bar is hatched on screen too, never told by
colour alone.

Each chart has a <title> and <desc> named by aria-labelledby; the page puts
its data table beside it and a sentence saying what it shows.

A value that suppression hid ("<5", "x") is drawn as no bar with its marker
written where the bar would be: the chart never shows more than the table.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
FONT_SIZE = 12.5
LABEL_WIDTH = 118  # horizontal charts: room for a kecamatan's name
LABEL_FONT_SIZE = 11.5  # 15 letters of a kecamatan's name fit LABEL_WIDTH
BAR_HEIGHT = 16
PLOT_HEIGHT = 150
# Inks for the screen; the print stylesheet replaces them by class.
INKS = ("#7a2e5c", "#d9c7d2", "#1f2328")
TEXT = "#1f2328"
MUTED = "#57606a"

_ids = count(1)


@dataclass(frozen=True)
class Series:
    """One set of bars: its name in the legend and a value per label."""

    name: str
    values: Sequence[int | Decimal | str | None]
    # Indexes of bars drawn hatched (a year entered by hand), and what the
    # legend calls them.
    marked: frozenset[int] = field(default_factory=frozenset)
    marked_name: str = ""


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return None
    return float(value)


def _format(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        value = value.normalize()
        text = f"{value:f}"
    else:
        text = str(value)
    # Indonesian grouping: 1.234 (and a decimal comma).
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return text.replace(".", ",")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _attrs(**attrs) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in attrs.items()
    )


def _scale_max(series: Sequence[Series]) -> float:
    numbers = [
        number
        for one in series
        for number in (_number(value) for value in one.values)
        if number is not None
    ]
    return max([*numbers, 0.0]) or 1.0


def bar_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    horizontal: bool = False,
    chart_id: str = "",
) -> SafeString:
    """An SVG bar chart: one group of bars per label, one bar per series.

    Vertical (labels along the bottom, a few years) or horizontal (labels
    down the left, as many kecamatan as there are: the chart grows taller).
    """
    chart_id = chart_id or f"chart-{next(_ids)}"
    if horizontal:
        body, height = _horizontal(chart_id, labels, series)
    else:
        body, height = _vertical(chart_id, labels, series)
    legend, legend_height = _legend(chart_id, series, top=height)
    height += legend_height
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{}" '
        'viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" font-family="DejaVu Sans, sans-serif" '
        'font-size="{}"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        chart_id,
        WIDTH,
        height,
        chart_id,
        chart_id,
        FONT_SIZE,
        chart_id,
        title,
        chart_id,
        description,
    )
    pattern = (
        f'<defs><pattern id="{escape(chart_id)}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="2.5" height="6" fill="{INKS[0]}" class="chart-hatch"/>'
        "</pattern></defs>"
    )
    # Every word in body and legend went through escape(); numbers are ours.
    return mark_safe(head + pattern + body + legend + "</svg>")  # noqa: S308


def _bar_class(index: int) -> str:
    return f"chart-bar chart-bar--{index % len(INKS)}"


def _vertical(chart_id, labels, series) -> tuple[str, int]:
    axis = 22 + PLOT_HEIGHT
    biggest = _scale_max(series)
    slot = (WIDTH - 8) / max(len(labels), 1)
    bar = min(36.0, (slot - 6) / max(len(series), 1))
    parts = [
        f'<line x1="4" x2="{WIDTH - 4}" y1="{axis}" y2="{axis}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    ]
    for i, label in enumerate(labels):
        left = 4 + i * slot + (slot - bar * len(series)) / 2
        for j, one in enumerate(series):
            value = one.values[i] if i < len(one.values) else None
            x = left + j * bar
            parts.append(
                _bar(chart_id, one, i, j, value, biggest, x, axis, bar, vertical=True)
            )
        parts.append(
            f'<text x="{4 + i * slot + slot / 2:.1f}" y="{axis + 16}" '
            f'text-anchor="middle" fill="{TEXT}">'
            f"{escape(_shorten(str(label), max(int(slot / 7.5), 3)))}</text>"
        )
    return "".join(parts), axis + 24


def _horizontal(chart_id, labels, series) -> tuple[str, int]:
    biggest = _scale_max(series)
    row = BAR_HEIGHT * len(series) + 8
    plot = WIDTH - LABEL_WIDTH - 40  # room for the value after the bar
    parts = []
    for i, label in enumerate(labels):
        y = 6 + i * row
        text = str(label)
        parts.append(
            f'<text x="{LABEL_WIDTH - 4}" y="{y + row / 2 + 1:.1f}" '
            f'text-anchor="end" dominant-baseline="middle" fill="{TEXT}" '
            f'font-size="{LABEL_FONT_SIZE}">'
            f"{escape(_shorten(text, 15))}<title>{escape(text)}</title></text>"
        )
        for j, one in enumerate(series):
            value = one.values[i] if i < len(one.values) else None
            parts.append(
                _bar(
                    chart_id,
                    one,
                    i,
                    j,
                    value,
                    biggest,
                    LABEL_WIDTH,
                    y + j * BAR_HEIGHT,
                    BAR_HEIGHT - 2,
                    vertical=False,
                    plot=plot,
                )
            )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH}" y1="2" '
        f'y2="{6 + len(labels) * row}" stroke="{TEXT}" stroke-width="1"/>'
    )
    return "".join(parts), 10 + len(labels) * row


def _bar(chart_id, one, i, j, value, biggest, x, y, thickness, *, vertical, plot=0):
    """One bar and its value; a hidden value is its marker and no bar."""
    number = _number(value)
    if number is not None:
        number = max(number, 0.0)  # counts: a negative one is a slip, drawn as none
    marked = i in one.marked
    fill = f"url(#{chart_id}-hatch)" if marked else INKS[j % len(INKS)]
    css = _bar_class(j) + (" chart-bar--marked" if marked else "")
    words = escape(value if isinstance(value, str) else _format(value))
    tip = escape(f"{one.name}: {words}")
    if vertical:
        length = 0 if number is None else PLOT_HEIGHT * number / biggest
        rect = _attrs(
            x=f"{x:.1f}",
            y=f"{y - length:.1f}",
            width=f"{max(thickness - 2, 1):.1f}",
            height=f"{length:.1f}",
            fill=fill,
            stroke=TEXT if marked else "none",
            class_=css,
        )
        text = (
            f'<text x="{x + thickness / 2 - 1:.1f}" y="{y - length - 4:.1f}" '
            f'text-anchor="middle" fill="{TEXT}">{words}</text>'
        )
    else:
        length = 0 if number is None else plot * number / biggest
        rect = _attrs(
            x=f"{x:.1f}",
            y=f"{y:.1f}",
            width=f"{length:.1f}",
            height=f"{thickness:.1f}",
            fill=fill,
            stroke=TEXT if (marked or j % len(INKS) == 1) else "none",
            stroke_width="0.8",
            class_=css,
        )
        text = (
            f'<text x="{x + length + 4:.1f}" y="{y + thickness / 2 + 1:.1f}" '
            f'dominant-baseline="middle" fill="{TEXT}">{words}</text>'
        )
    return f"<g><title>{tip}</title><rect {rect}/>{text}</g>"


def _legend(chart_id, series, *, top) -> tuple[str, int]:
    entries = []
    for j, one in enumerate(series):
        entries.append((one.name, INKS[j % len(INKS)], _bar_class(j)))
        if one.marked and one.marked_name:
            entries.append(
                (
                    one.marked_name,
                    f"url(#{chart_id}-hatch)",
                    _bar_class(j) + " chart-bar--marked",
                )
            )
    parts = []
    for k, (name, fill, css) in enumerate(entries):
        y = top + 4 + k * 20
        parts.append(
            f"<g>{_swatch(fill, css, y)}"
            f'<text x="26" y="{y + 7}" dominant-baseline="middle" fill="{TEXT}">'
            f"{escape(name)}</text></g>"
        )
    return "".join(parts), 8 + 20 * len(entries)


def _swatch(fill, css, y) -> str:
    css = css.replace("chart-bar ", "chart-swatch ", 1)
    return (
        f"<rect {_attrs(x=4, y=y, width=16, height=14, fill=fill, class_=css)} "
        f'stroke="{TEXT}" stroke-width="0.8"/>'
    )
