"""Small counts hidden in tables that leave the organisation, and not
recoverable from the totals published beside them."""

import itertools
import random
import time
from decimal import Decimal

import pytest

from learning.suppression import determined_hidden_cells, suppress
from learning.tables import Row, Table


def table(values, *, columns=None, labels=None, totals=True, **kwargs) -> Table:
    columns = columns or [f"K{c}" for c in range(len(values[0]) if values else 0)]
    labels = labels or [f"B{r}" for r in range(len(values))]
    rows = [Row(label, list(row)) for label, row in zip(labels, values, strict=True)]
    return Table.with_totals(
        key="uji",
        title="Uji",
        row_header="Baris",
        columns=columns,
        rows=rows,
        totals=totals,
        **kwargs,
    )


def grid(t: Table) -> list[list]:
    """The table with its totals as one grid: last column row totals, last row
    column totals and the grand total."""
    rows = [[*row.values, *([row.total] if t.totals else [])] for row in t.rows]
    if t.totals:
        rows.append([*t.column_totals, t.grand_total])
    return rows


def primary_only(t: Table) -> Table:
    """What hiding only the small counts would publish (the naive way)."""

    def shown(value):
        return "<5" if isinstance(value, int) and 1 <= value <= 4 else value

    return Table(
        key=t.key,
        title=t.title,
        row_header=t.row_header,
        columns=t.columns,
        rows=[
            Row(row.label, [shown(v) for v in row.values], row.note, shown(row.total))
            for row in t.rows
        ],
        column_totals=[shown(v) for v in t.column_totals],
        grand_total=shown(t.grand_total),
        totals=t.totals,
        hidden={"primary": 1, "secondary": 0},
    )


def assert_safe(original: Table, published: Table, small_max: int = 4):
    """What every suppressed table must satisfy."""
    assert determined_hidden_cells(published, original) == set()
    marker = f"<{small_max + 1}"
    primary = secondary = 0
    for before_row, after_row in zip(grid(original), grid(published), strict=True):
        for before, after in zip(before_row, after_row, strict=True):
            if isinstance(before, int) and 1 <= before <= small_max:
                assert after == marker
                primary += 1
            elif isinstance(after, str):
                assert after == "x"
                secondary += 1
            else:
                assert after == before
    assert published.hidden == {"primary": primary, "secondary": secondary}
    assert [row.label for row in published.rows] == [row.label for row in original.rows]
    assert published.note == original.note
    assert published.columns == original.columns


# --- the oracle itself can fail -----------------------------------------------


def test_oracle_finds_a_small_count_recoverable_from_its_row_total():
    original = table([[10, 3, 20], [7, 8, 9], [30, 12, 6]])
    naive = primary_only(original)
    assert naive.rows[0].values[1] == "<5"
    # 33 - 10 - 20 = 3: the row total gives it away, and so does the column.
    assert determined_hidden_cells(naive, original) == {(0, 1)}


def test_oracle_sees_through_a_chain_of_hidden_cells():
    # Two hidden cells in one row, but the second is alone in its column.
    published = Table(
        key="uji",
        title="Uji",
        row_header="Baris",
        columns=["a", "b"],
        rows=[Row("r0", ["<5", "x"], total=30), Row("r1", [10, 20], total=30)],
        column_totals=[13, 47],
        grand_total=60,
        hidden={"primary": 1, "secondary": 1},
    )
    assert determined_hidden_cells(published) == {(0, 0), (0, 1)}


def test_oracle_accepts_a_rectangle_of_hidden_cells():
    published = Table(
        key="uji",
        title="Uji",
        row_header="Baris",
        columns=["a", "b"],
        rows=[Row("r0", ["<5", "x"], total=30), Row("r1", ["x", "x"], total=30)],
        column_totals=[13, 47],
        grand_total=60,
        hidden={"primary": 1, "secondary": 3},
    )
    assert determined_hidden_cells(published) == set()


def test_oracle_refuses_tables_of_different_shapes():
    with pytest.raises(ValueError):
        determined_hidden_cells(table([[1, 2]]), table([[1], [2]]))


# --- hand-made cases ------------------------------------------------------------


def test_one_small_cell_in_a_three_by_three_is_hidden_with_three_cells_not_totals():
    original = table([[10, 3, 20], [7, 8, 9], [30, 12, 6]])
    published = suppress(original)
    assert published.rows[0].values[1] == "<5"
    assert_safe(original, published)
    assert published.hidden == {"primary": 1, "secondary": 3}
    # The totals stay readable: cells were enough.
    assert [row.total for row in published.rows] == [33, 24, 48]
    assert published.column_totals == [47, 23, 35]
    assert published.grand_total == 105
    # The cheapest rectangle: 3 beside 10, above 8, and 7 (row 1 is smallest).
    assert grid(published)[0][:3] == ["x", "<5", 20]
    assert grid(published)[1][:3] == ["x", "x", 9]


def test_a_row_whose_total_is_small_hides_the_total_and_its_cells():
    original = table([[1, 2, 0], [40, 50, 60], [70, 80, 90]])
    published = suppress(original)
    assert published.rows[0].values == ["<5", "<5", 0]
    assert published.rows[0].total == "<5"
    assert_safe(original, published)


def test_a_series_of_years_hides_another_year_rather_than_the_totals():
    years = [[25], [3], [40], [18], [60]]
    original = table(
        years, columns=["Kasus"], labels=["2019", "2020", "2021", "2022", "2023"]
    )
    published = suppress(original)
    assert published.rows[1].values == ["<5"]
    assert published.rows[1].total == "<5"
    assert_safe(original, published)
    # The smallest other year (18) hides with it; the sum of all years shows.
    assert published.rows[3].values == ["x"]
    assert published.column_totals == [146]
    assert published.grand_total == 146
    assert [row.values[0] for row in published.rows] == [25, "<5", 40, "x", 60]


def test_a_one_row_series_by_type():
    original = table([[10, 3, 20, 9]])
    published = suppress(original)
    assert_safe(original, published)
    assert published.rows[0].values[1] == "<5"
    assert published.column_totals[1] == "<5"
    # Hiding 9 in the row and in the column totals closes the cycle.
    assert published.rows[0].values == [10, "<5", 20, "x"]
    assert published.rows[0].total == 42


@pytest.mark.parametrize(
    ("value", "shown", "hidden"),
    [
        (3, "<5", {"primary": 4, "secondary": 0}),
        (4, "<5", {"primary": 4, "secondary": 0}),
        (5, 5, {"primary": 0, "secondary": 0}),
        (0, 0, {"primary": 0, "secondary": 0}),
    ],
)
def test_one_by_one(value, shown, hidden):
    original = table([[value]])
    published = suppress(original)
    assert grid(published) == [[shown, shown], [shown, shown]]
    assert published.hidden == hidden
    assert_safe(original, published)


def test_all_cells_small():
    original = table([[1, 2], [3, 4]])
    published = suppress(original)
    # Row 0's total (3) would be 10 - 7 and column 0's (4) would be 10 - 6:
    # the other row and column totals are hidden too; the grand total shows.
    assert grid(published) == [
        ["<5", "<5", "<5"],
        ["<5", "<5", "x"],
        ["<5", "x", 10],
    ]
    assert_safe(original, published)


def test_zeros_stay_zeros_and_other_cells_are_hidden_instead():
    original = table([[3, 0, 40], [20, 0, 50], [0, 0, 0]])
    published = suppress(original)
    assert_safe(original, published)
    assert published.rows[0].values == ["<5", 0, "x"]
    assert published.rows[1].values == ["x", 0, "x"]
    assert published.rows[2].values == [0, 0, 0]
    assert published.column_totals == [23, 0, 90]


def test_none_cells_are_known_zeros_and_stay_empty():
    original = table([[3, None, 40], [20, None, 50]])
    published = suppress(original)
    assert_safe(original, published)
    assert [row.values[1] for row in published.rows] == [None, None]


def test_a_table_without_totals_hides_only_the_small_counts():
    original = table([[3, 10], [20, 30]], totals=False)
    published = suppress(original)
    assert [row.values for row in published.rows] == [["<5", 10], [20, 30]]
    assert published.column_totals is None
    assert published.hidden == {"primary": 1, "secondary": 0}


def test_a_table_that_does_not_count_people_is_returned_as_it_is():
    hours = table([[Decimal("1.5"), 3]], suppress=False)
    assert suppress(hours) is hours
    assert hours.hidden == {}


def test_suppressing_twice_changes_nothing_more():
    once = suppress(table([[10, 3, 20], [7, 8, 9]]))
    assert suppress(once) is once


def test_the_threshold_comes_from_the_setting_or_the_argument(settings):
    original = table([[10, 3, 20], [7, 8, 9], [30, 12, 6]])
    assert suppress(original, small_max=9).rows[1].values[:3].count("<10") == 3
    settings.PENDAMPING_SMALL_COUNT_MAX = 2
    published = suppress(original)
    assert published.rows[0].values[1] == 3
    assert published.hidden == {"primary": 0, "secondary": 0}


def test_labels_notes_and_titles_are_kept():
    original = Table.with_totals(
        key="kasus-per-tahun",
        title="Kasus per tahun",
        row_header="Tahun",
        columns=["Fisik", "Seksual"],
        rows=[
            Row("2019", [3, 40], note="dicatat manual · Profil SSP 2019"),
            Row("2024", [20, 50]),
        ],
        note="Satu kasus dapat terhitung dua kali.",
    )
    published = suppress(original)
    assert published.key == "kasus-per-tahun"
    assert published.title == "Kasus per tahun"
    assert published.rows[0].note == "dicatat manual · Profil SSP 2019"
    assert published.note == "Satu kasus dapat terhitung dua kali."
    assert_safe(original, published)


def test_ugly_values_do_not_break_it():
    huge = 10**30
    original = table([[huge, 2, -3], [7, 0, 5], [6, 8, 11]])
    published = suppress(original)
    assert published.rows[0].values[:2] == [huge, "<5"]
    assert published.rows[0].total == huge - 1
    assert_safe(original, published)


@pytest.mark.parametrize(
    "values",
    [
        [[Decimal("2"), 10], [5, 7]],
        [[Decimal("2.5"), Decimal("10.25")], [5, 7]],
        [[Decimal("NaN"), 3], [5, 7]],
        [[True, 3], [5, 7]],
    ],
)
def test_decimals_and_odd_values_do_not_break_it(values):
    original = table(values)
    published = suppress(original)
    assert determined_hidden_cells(published, original) == set()
    assert "<5" in [v for row in grid(published) for v in row]


def test_an_empty_table():
    original = Table.with_totals(
        key="kosong", title="Kosong", row_header="Baris", columns=["a"], rows=[]
    )
    published = suppress(original)
    assert published.rows == []
    assert published.hidden == {"primary": 0, "secondary": 0}


# --- what a reader can narrow a hidden count to ---------------------------------


def pinned_by_bounds(published: Table, original: Table, small_max: int = 4) -> set:
    """Brute force, for tiny tables only: the small counts that take one value
    in every table a reader could reconstruct, knowing the sums, that "<5" is
    1..4, that "x" is 0 or 5 and more, and that counts are not negative.
    (Guesses stop at the true grand total: a reader with fewer guesses can
    only pin more, so this errs on the strict side.)"""
    marker = f"<{small_max + 1}"
    ceiling = original.grand_total

    def domain(shown):
        if shown == marker:
            return range(1, small_max + 1)
        return [0, *range(small_max + 1, ceiling + 1)]

    def fits(total, shown):
        if shown == marker:
            return 1 <= total <= small_max
        if shown == "x":
            return not 1 <= total <= small_max
        return total == shown

    options = []
    for row in published.rows:
        hidden = [c for c, v in enumerate(row.values) if isinstance(v, str)]
        row_options = []
        for guess in itertools.product(*(domain(row.values[c]) for c in hidden)):
            values = list(row.values)
            for c, v in zip(hidden, guess, strict=True):
                values[c] = v
            if fits(sum(v or 0 for v in values), row.total):
                row_options.append(values)
        options.append(row_options)
    seen: dict = {}
    fitting = 0
    for candidate in itertools.product(*options):
        sums = [sum(row[c] or 0 for row in candidate) for c in range(len(candidate[0]))]
        margins = [*published.column_totals, published.grand_total]
        if all(map(fits, [*sums, sum(sums)], margins)):
            fitting += 1
            for r, row in enumerate(published.rows):
                for c, shown in enumerate(row.values):
                    if shown == marker:
                        seen.setdefault((r, c), set()).add(candidate[r][c])
    assert fitting, "the true table itself must fit"
    return {cell for cell, values in seen.items() if len(values) == 1}


@pytest.mark.parametrize(
    "values",
    [
        [[5, 4, 4]],  # 13 - 5 = 8 = 4 + 4
        [[1, 5], [5, 1]],  # an x beside a 1 summing to 6: x = 5, the 1 is 1
        [[9, 4, 4], [4, 3, 4]],
        [[4, 4, 20], [4, 4, 30], [9, 10, 11]],  # a rectangle of 4s
        [[1, 1, 20], [1, 1, 30], [9, 10, 11]],  # a rectangle of 1s
    ],
)
def test_small_counts_are_not_pinned_by_their_bounds(values):
    original = table(values)
    published = suppress(original)
    assert_safe(original, published)
    assert pinned_by_bounds(published, original) == set()


@pytest.mark.parametrize("block", range(3))
def test_generated_tiny_tables_pin_no_small_count(block):
    checked = 0
    for seed in range(block * 50, block * 50 + 50):
        rng = random.Random(seed)  # noqa: S311 - the same tables every run
        n_rows, n_columns = rng.randint(1, 3), rng.randint(1, 3)
        values = [
            [rng.choice([0, 1, 2, 3, 4, rng.randint(5, 12)]) for _ in range(n_columns)]
            for _ in range(n_rows)
        ]
        original = table(values)
        if original.grand_total > 30:
            continue
        published = suppress(original)
        assert_safe(original, published)
        assert pinned_by_bounds(published, original) == set(), values
        checked += 1
    assert checked > 30


def test_bounds_oracle_sees_what_the_linear_one_cannot():
    # Each 4 alone can't be solved from the sums, but 8 = 4 + 4.
    published = Table(
        key="uji",
        title="Uji",
        row_header="Baris",
        columns=["a", "b", "c"],
        rows=[Row("r0", [5, "<5", "<5"], total=13)],
        column_totals=[5, "<5", "<5"],
        grand_total=13,
        hidden={"primary": 4, "secondary": 0},
    )
    assert determined_hidden_cells(published) == set()
    assert pinned_by_bounds(published, table([[5, 4, 4]])) == {(0, 1), (0, 2)}


# --- generated tables ------------------------------------------------------------


def random_table(seed: int) -> Table:
    rng = random.Random(seed)  # noqa: S311 - the same tables every run
    n_rows, n_columns = rng.randint(1, 8), rng.randint(1, 8)
    mix = rng.choice([(0.3, 0.3), (0.1, 0.6), (0.5, 0.1), (0.2, 0.2)])

    def value():
        draw = rng.random()
        if draw < mix[0]:
            return 0
        if draw < mix[0] + mix[1]:
            return rng.randint(1, 4)
        if draw < 0.97:
            return rng.randint(5, 200)
        return None

    return table(
        [[value() for _ in range(n_columns)] for _ in range(n_rows)],
        totals=seed % 10 != 0,
    )


@pytest.mark.parametrize("block", range(8))
def test_generated_tables_hide_every_small_count_and_reveal_none(block):
    for seed in range(block * 60, block * 60 + 60):
        original = random_table(seed)
        published = suppress(original)
        try:
            if original.totals:
                assert_safe(original, published)
            else:
                assert determined_hidden_cells(published, original) == set()
                assert published.hidden["secondary"] == 0
            assert suppress(original) == published
        except AssertionError:
            print(f"seed {seed}: {grid(original)} -> {grid(published)}")
            raise


def test_generated_tables_would_leak_with_small_counts_hidden_alone():
    """The generated tables are a real test: hiding only the small counts
    would let a reader work some of them out in many of them."""
    leaking = 0
    for seed in range(480):
        original = random_table(seed)
        cells = [v for row in original.rows for v in row.values]
        if original.totals and None not in cells:
            leaking += bool(determined_hidden_cells(primary_only(original)))
    assert leaking > 100


def test_generated_tables_hide_totals_only_when_cells_cannot_do():
    """Across many tables with two or more rows and columns, no zeros, small
    counts of 2 or 3 and margins all large, secondary suppression never
    reaches for a total. (With zeros it may: a hidden zero beside a hidden
    small count gives the count away once a reader knows "x" is never 1..4,
    so a total is preferred to a zero. With 1s and 4s it may too: four 4s in
    a rectangle can only be 4s, and more than a rectangle is needed.)"""
    checked = 0
    for seed in range(300):
        rng = random.Random(seed)  # noqa: S311 - the same tables every run
        n_rows, n_columns = rng.randint(2, 6), rng.randint(2, 6)
        values = [
            [rng.choice([2, 3, rng.randint(50, 200)]) for _ in range(n_columns)]
            for _ in range(n_rows)
        ]
        for row in values:
            row[rng.randrange(n_columns)] = rng.randint(50, 200)
        for c in range(n_columns):
            values[rng.randrange(n_rows)][c] = rng.randint(50, 200)
        original = table(values)
        published = suppress(original)
        assert_safe(original, published)
        assert all(not isinstance(row.total, str) for row in published.rows)
        assert not any(isinstance(v, str) for v in published.column_totals)
        checked += 1
    assert checked == 300


def test_a_sixty_by_ten_table_finishes(capsys):
    rng = random.Random(60)  # noqa: S311 - the same table every run
    values = [
        [rng.choice([0, 0, 0, 1, 2, 3, *[rng.randint(5, 90)] * 14]) for _ in range(10)]
        for _ in range(60)
    ]
    original = table(values)
    started = time.perf_counter()
    published = suppress(original)
    took = time.perf_counter() - started
    assert published.hidden["secondary"] > 0
    assert_safe(original, published)
    with capsys.disabled():
        print(f"\n60x10 suppress: {took:.3f}s, hidden {published.hidden}")
