"""Charts drawn on the server: self-contained SVG, named for screen readers,
every word escaped, hidden counts never drawn as bars."""

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from learning.charts import FONT_SIZE, WIDTH, Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(svg))  # noqa: S314 - our own output


def bars(root) -> list[ElementTree.Element]:
    return [
        rect
        for rect in root.iter(f"{SVG}rect")
        if "chart-bar" in rect.get("class", "").split()
    ]


def cases_chart(**kwargs):
    return bar_chart(
        title="Kasus didampingi per tahun",
        description="Kasus per tahun, 2020 sampai 2024.",
        labels=["2020", "2021", "2022", "2023", "2024"],
        series=[
            Series(
                "Kasus",
                [120, 120, 166, 40, "<5"],
                marked=frozenset({0, 1, 2}),
                marked_name="Dicatat manual",
            )
        ],
        chart_id="kasus",
        **kwargs,
    )


def test_a_chart_is_named_for_screen_readers():
    root = parse(cases_chart())
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "kasus-title kasus-desc"
    assert root.find(f"{SVG}title").get("id") == "kasus-title"
    assert root.find(f"{SVG}title").text == "Kasus didampingi per tahun"
    assert root.find(f"{SVG}desc").text == "Kasus per tahun, 2020 sampai 2024."


def test_a_chart_refers_to_nothing_outside_itself():
    svg = str(cases_chart())
    assert "<script" not in svg
    assert "xlink:href" not in svg and " href=" not in svg
    # The only url() is the hatch pattern defined inside the same SVG.
    for target in re.findall(r"url\(#([^)]+)\)", svg):
        assert f'id="{target}"' in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_chart_scales_to_a_phone_and_keeps_its_letters_readable():
    root = parse(cases_chart())
    assert root.get("width") == "100%"
    left, top, width, height = map(float, root.get("viewBox").split())
    assert (left, top, width) == (0, 0, WIDTH)
    # At 100% of a 360 px screen's content column (about 320 px) the letters
    # are drawn at about their own size: at least 12 px.
    assert FONT_SIZE * 320 / width >= 12


def test_bars_are_as_tall_as_their_values_and_hidden_counts_are_not_drawn():
    root = parse(cases_chart())
    heights = [float(rect.get("height")) for rect in bars(root)]
    assert heights[2] == max(heights)
    assert heights[0] == heights[1] == pytest.approx(heights[2] * 120 / 166, 0.01)
    assert heights[4] == 0
    words = [text.text for text in root.iter(f"{SVG}text")]
    assert "<5" in words  # the marker where the bar would be
    assert "166" in words


def test_hand_entered_years_are_hatched_and_said_so_in_the_legend():
    root = parse(cases_chart())
    drawn = bars(root)
    assert [("marked" in rect.get("class")) for rect in drawn] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert drawn[0].get("fill") == "url(#kasus-hatch)"
    assert not drawn[3].get("fill").startswith("url(")
    words = [text.text for text in root.iter(f"{SVG}text")]
    assert "Dicatat manual" in words and "Kasus" in words


def test_every_word_is_escaped():
    hostile = "<script>alert('x')</script> & \"kutip\""
    svg = bar_chart(
        title=hostile,
        description=hostile,
        labels=[hostile, "Kota Soe"],
        series=[Series(hostile, [3, "<5"])],
        horizontal=True,
    )
    assert "<script>" not in svg
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == hostile


def test_horizontal_chart_grows_with_its_rows_and_shortens_long_names():
    labels = [f"Kecamatan Dengan Nama Panjang {i}" for i in range(40)]
    svg = bar_chart(
        title="Desa aktif",
        description="d",
        labels=labels,
        series=[Series("Aktif", list(range(40))), Series("Semua", [50] * 40)],
        horizontal=True,
    )
    root = parse(svg)
    height = float(root.get("viewBox").split()[3])
    assert height > 40 * 30
    label_texts = [
        text for text in root.iter(f"{SVG}text") if text.get("text-anchor") == "end"
    ]
    assert len(label_texts) == 40
    # Shortened on the chart, whole in its tooltip title.
    assert label_texts[0].text.endswith("…")
    assert label_texts[0].find(f"{SVG}title").text == labels[0]


@pytest.mark.parametrize(
    "values",
    [
        [0, 0, 0],
        [None, None, None],
        ["x", "<5", "x"],
        [10**15, -3, Decimal("2.5")],
        [],
    ],
)
def test_ugly_values_draw_without_error_and_no_negative_bar(values):
    svg = bar_chart(
        title="t",
        description="d",
        labels=["a", "b", "c"],
        series=[Series("s", values)],
    )
    root = parse(svg)
    for rect in bars(root):
        assert float(rect.get("height")) >= 0
        assert float(rect.get("width")) >= 0


def test_charts_on_one_page_have_distinct_ids():
    first = parse(bar_chart(title="a", description="d", labels=["x"], series=[]))
    second = parse(bar_chart(title="b", description="d", labels=["x"], series=[]))
    assert first.get("id") != second.get("id")
