"""Hiding small counts in tables that leave the organisation.

A count of 1 to `PENDAMPING_SMALL_COUNT_MAX` (4) people or cases can point
at a person in a village, so in anything shared outside the organisation it
shows as "<5" (primary suppression). Hiding it is not enough when the table
also publishes its totals: a row total minus the cells beside it gives the
hidden cell back. So further cells are hidden as "x" (secondary suppression)
until no hidden number can be worked out from what is shown.

How it is decided. Think of the table with its totals as an (R+1) x (C+1)
grid whose last row holds the column totals and whose last column the row
totals. With the totals negated, every row and every column of that grid sums
to zero, so each hidden number appears in exactly two equations: its row's and
its column's. Draw a graph whose nodes are the grid's rows and columns and
whose edges are its hidden cells: a hidden cell can be worked out exactly when
its edge is a bridge (no cycle of hidden cells passes through it), because
then the cut that separates its two ends sums its equations to that cell
alone. `suppress` adds the cheapest cells that close a cycle through each
bridge until there is none. Cheapest means: a cell before a total, a
non-zero cell before a zero (a hidden zero beside a hidden small count tells
the reader that the zero is the zero), smaller numbers before larger ones.

Bounds give counts away too. A reader knows that "<5" is 1..4, that "x" is 0
or 5 and more (1..4 would show as "<5") and that counts are not negative: a
row "5, <5, <5" with total 13 holds two 4s, and "<5, x" summing to 6 is 1
and 5, though neither is a bridge. So once no bridge is left, the bounds of
every hidden number are narrowed equation by equation, each "x" tried as 0
and as 5 or more and each small count as each of 1..4 (`_pinned`); while a
small count can take only one value, the cheapest cell beside it is hidden
too and its cycle closed. Narrowing bounds is sound but not complete: a
reader who solves the whole system as integers may still pin a count in rare
small tables (none among the generated tables of the tests).

What counts as known. A cell holding `None` (nothing applies there) is a
known 0 and is never hidden unless nothing else could protect a small count.
A total that is `None` in a table with totals was not published: it is an
unknown to the reader, like a hidden one, and stays `None`. A table with
`totals=False` publishes no equations, so only the small counts are hidden.

`determined_hidden_cells` checks the first promise independently, by linear
algebra over the published equations; the tests check the second by brute
force on tiny tables.
"""

import heapq
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from django.conf import settings

from .tables import Row, Table, Value

SECONDARY_MARKER = "x"

# Preference tiers for secondary cells, lowest first.
_TIER_CELL, _TIER_TOTAL, _TIER_ZERO, _TIER_NONE = range(4)


def small_marker(small_max: int | None = None) -> str:
    """What a small count shows as: "<5" for counts 1 to 4."""
    return f"<{_small_max(small_max) + 1}"


def is_small(value: Value, small_max: int | None = None) -> bool:
    """Whether a count is small enough to be hidden: 1..small_max (not 0)."""
    if not _is_number(value):
        return False
    return 0 < value < _small_max(small_max) + 1


def suppress(table: Table, *, small_max: int | None = None) -> Table:
    """The table as it may leave the organisation: small counts hidden.

    Cells, row totals, column totals and the grand total of 1..small_max show
    as "<5"; cells that would let a reader work one of them out from the
    totals show as "x". `hidden` says how many of each. A table that does not
    count people or cases (`suppress=False`), or that was already suppressed,
    is returned as it is.
    """
    if not table.suppress or table.hidden:
        return table
    small_max = _small_max(small_max)
    grid = _Grid.of(table)
    primary = {
        cell for cell, value in grid.values.items() if is_small(value, small_max)
    }
    secondary = _secondary(grid, primary, small_max) if table.totals else set()
    return grid.published(
        table,
        {cell: small_marker(small_max) for cell in primary}
        | dict.fromkeys(secondary, SECONDARY_MARKER),
        hidden={"primary": len(primary), "secondary": len(secondary)},
    )


def determined_hidden_cells(published: Table, original: Table | None = None) -> set:
    """The hidden cells of `published` a reader could work out exactly.

    Cells are (row, column) of the grid with totals: row `len(rows)` is the
    column totals, column `len(columns)` the row totals. A hidden cell is one
    shown as text (a marker); a total shown as None is an unknown too.

    Written apart from `suppress` to check it: Gaussian elimination in exact
    fractions over the equations the published totals give (each row of cells
    sums to its total, each column to its total, the totals to the grand
    total), with the hidden numbers as unknowns. An unknown is determined
    when its unit vector lies in the row space of the system, that is when the
    reduced echelon form has a row with that unknown alone. The answer
    depends only on what is published; `original`, when given, must have the
    same shape (the table `published` was made from).
    """
    if original is not None and (
        len(original.rows) != len(published.rows)
        or len(original.columns) != len(published.columns)
    ):
        raise ValueError("published and original tables differ in shape")
    if not published.totals:
        return set()
    n_rows, n_columns = len(published.rows), len(published.columns)

    def value(r, c):
        if r < n_rows and c < n_columns:
            return published.rows[r].values[c]
        if r < n_rows:
            return published.rows[r].total
        if c < n_columns:
            return (published.column_totals or [None] * n_columns)[c]
        return published.grand_total

    def unknown(r, c):
        found = value(r, c)
        is_total = r == n_rows or c == n_columns
        return isinstance(found, str) or (is_total and found is None)

    cells = [
        (r, c) for r in range(n_rows + 1) for c in range(n_columns + 1) if unknown(r, c)
    ]
    index = {cell: i for i, cell in enumerate(cells)}
    equations = []
    for r in range(n_rows + 1):
        equation = [Fraction(0)] * len(cells)
        for c in range(n_columns + 1):
            if (r, c) in index:
                equation[index[(r, c)]] += -1 if c == n_columns else 1
        equations.append(equation)
    for c in range(n_columns + 1):
        equation = [Fraction(0)] * len(cells)
        for r in range(n_rows + 1):
            if (r, c) in index:
                equation[index[(r, c)]] += -1 if r == n_rows else 1
        equations.append(equation)
    reduced = _reduced_row_echelon(equations, len(cells))
    determined = set()
    for equation in reduced:
        nonzero = [i for i, coefficient in enumerate(equation) if coefficient]
        if len(nonzero) == 1:
            determined.add(cells[nonzero[0]])
    # An unpublished total is an unknown of the system, but not a hidden cell.
    return {cell for cell in determined if isinstance(value(*cell), str)}


# --- the grid with totals ------------------------------------------------------


class _Grid:
    """A table's cells and totals by (row, column), totals in the last ones."""

    def __init__(self, n_rows: int, n_columns: int, values: dict, totals: bool):
        self.n_rows = n_rows
        self.n_columns = n_columns
        self.values = values
        self.totals = totals

    @classmethod
    def of(cls, table: Table) -> "_Grid":
        n_rows, n_columns = len(table.rows), len(table.columns)
        values = {}
        for r, row in enumerate(table.rows):
            for c in range(n_columns):
                values[(r, c)] = row.values[c] if c < len(row.values) else None
            if table.totals:
                values[(r, n_columns)] = row.total
        if table.totals:
            column_totals = list(table.column_totals or [])
            for c in range(n_columns):
                values[(n_rows, c)] = (
                    column_totals[c] if c < len(column_totals) else None
                )
            values[(n_rows, n_columns)] = table.grand_total
        return cls(n_rows, n_columns, values, table.totals)

    def is_total(self, cell) -> bool:
        r, c = cell
        return r == self.n_rows or c == self.n_columns

    def published(self, table: Table, shown: dict, *, hidden: dict) -> Table:
        def value(cell):
            return shown.get(cell, self.values.get(cell))

        n_rows, n_columns = self.n_rows, self.n_columns
        rows = [
            Row(
                label=row.label,
                values=[value((r, c)) for c in range(n_columns)],
                note=row.note,
                total=value((r, n_columns)) if table.totals else row.total,
            )
            for r, row in enumerate(table.rows)
        ]
        if table.totals and table.column_totals is not None:
            column_totals = [value((n_rows, c)) for c in range(n_columns)]
        else:
            column_totals = table.column_totals
        grand_total = value((n_rows, n_columns)) if table.totals else table.grand_total
        return replace(
            table,
            rows=rows,
            column_totals=column_totals,
            grand_total=grand_total,
            hidden=hidden,
        )


# --- secondary suppression -----------------------------------------------------


def _secondary(grid: _Grid, primary: set, small_max: int) -> set:
    """Cells to hide besides `primary` so that no hidden cell is a bridge and
    no small count is pinned by its bounds (`_pinned`).

    Nodes: rows are 0..R (R = the column totals row), columns are
    R+1..R+1+C (the last one the row totals). A total that is None was never
    published and is an unknown from the start.
    """
    unknown = set(primary) | {
        cell
        for cell, value in grid.values.items()
        if value is None and grid.is_total(cell)
    }
    secondary: set = set()
    while True:
        # An unpublished total a reader can work out hides nothing: only the
        # cells shown as hidden must not be bridges.
        bridges = _bridges(grid, unknown) & (primary | secondary)
        if bridges:
            path = _cheapest_cycle_through(grid, unknown, min(bridges))
            if path is None:
                # Cannot happen on a grid of 2x2 or more; fail closed.
                return secondary | {cell for cell in grid.values if cell not in unknown}
            added = [cell for cell in path if cell not in unknown]
        else:
            pinned = _pinned(grid, unknown, primary, small_max)
            if not pinned:
                return secondary
            # Give the pinned count's row and column more room: the cheapest
            # cell beside it (or anywhere, once its lines are all hidden);
            # the next round closes a cycle through that cell.
            r, c = pinned[0]
            shown = [cell for cell in grid.values if cell not in unknown]
            if not shown:
                return secondary
            added = [
                min(
                    shown,
                    key=lambda cell: (
                        cell[0] != r and cell[1] != c,
                        _cost(grid, cell),
                        cell,
                    ),
                )
            ]
        unknown.update(added)
        secondary.update(added)


def _pinned(grid: _Grid, unknown: set, primary: set, small_max: int) -> list:
    """The small counts a reader could pin to one value from the bounds.

    Besides the sums, a reader knows that a count is not negative, that "<5"
    is 1..4 and that "x" is 0 or at least 5. Bounds are narrowed equation by
    equation (each row and column of the grid with totals) until nothing
    changes or for a bounded number of rounds, and each "x" is tried as 0
    and as 5 or more: a side that cannot fit is dropped. Every bound kept
    holds for the true table, so a count whose bounds meet is given away (a
    reader reasoning further may pin more). A table with negative numbers or
    fractions is not counts and is left to the linear rule.
    """
    if any(
        not _is_number(v) or v < 0 or v != int(v)
        for v in grid.values.values()
        if v is not None
    ):
        return []
    bounds = _Bounds(grid, unknown, primary, small_max)
    low, high = bounds.start()
    if not bounds.narrow(low, high):
        return []
    tried = True
    while tried:
        tried = False
        for cell in sorted(bounds.holed):
            if low[cell] != 0 or high[cell] <= small_max:
                continue
            for fixed in ((0, 0), (small_max + 1, high[cell])):
                trial_low, trial_high = dict(low), dict(high)
                trial_low[cell], trial_high[cell] = fixed
                if not bounds.narrow(trial_low, trial_high, [cell]):
                    low[cell], high[cell] = (
                        (small_max + 1, high[cell]) if fixed == (0, 0) else (0, 0)
                    )
                    if not bounds.narrow(low, high, [cell]):
                        return []
                    tried = True
                    break
    pinned = []
    for cell in sorted(primary):
        # Each value a small count could take, tried alone: one that fits.
        fitting = 0
        for value in range(low[cell], high[cell] + 1):
            trial_low, trial_high = dict(low), dict(high)
            trial_low[cell] = trial_high[cell] = value
            fitting += bounds.narrow(trial_low, trial_high, [cell])
            if fitting > 1:
                break
        if fitting <= 1:
            pinned.append(cell)
    return pinned


class _Bounds:
    """The equations of the grid with totals, over the unknown cells."""

    ROUNDS = 50

    def __init__(self, grid: _Grid, unknown: set, primary: set, small_max: int):
        self.unknown, self.primary, self.small_max = unknown, primary, small_max
        self.holed = {c for c in unknown if grid.values.get(c) is not None} - primary
        # No hidden number exceeds the sum of all numbers: a finite "infinity".
        self.infinity = 1 + sum(int(v) for v in grid.values.values() if _is_number(v))
        last_row, last_column = grid.n_rows, grid.n_columns
        lines = [[(r, c) for c in range(last_column + 1)] for r in range(last_row + 1)]
        lines += [[(r, c) for r in range(last_row + 1)] for c in range(last_column + 1)]
        self.equations = []
        for line in lines:
            # A total is minus its cells; the grand total, a total of totals,
            # is plus (each line then sums to zero).
            signs = [
                -1 if (r == last_row) != (c == last_column) else 1 for r, c in line
            ]
            known = -sum(
                sign * int(grid.values.get(cell) or 0)
                for cell, sign in zip(line, signs, strict=True)
                if cell not in unknown
            )
            terms = [
                (cell, sign)
                for cell, sign in zip(line, signs, strict=True)
                if cell in unknown
            ]
            self.equations.append((known, terms))
        self.touching: dict = {cell: [] for cell in unknown}
        for index, (_known, terms) in enumerate(self.equations):
            for cell, _sign in terms:
                self.touching[cell].append(index)

    def start(self) -> tuple[dict, dict]:
        low = {cell: 1 if cell in self.primary else 0 for cell in self.unknown}
        high = {
            cell: self.small_max if cell in self.primary else self.infinity
            for cell in self.unknown
        }
        return low, high

    def narrow(self, low: dict, high: dict, changed=None) -> bool:
        """Narrow the bounds in place; False when no table of counts fits.

        Equations are looked at again only when one of their cells changed
        (all of them at first, or those of the `changed` cells), within a
        bounded amount of work; stopping early keeps bounds wider, never
        wrong.
        """
        small_max = self.small_max
        queue = (
            list(range(len(self.equations)))
            if changed is None
            else sorted({i for cell in changed for i in self.touching[cell]})
        )
        waiting = set(queue)
        budget = self.ROUNDS * len(self.equations)
        while queue and budget:
            budget -= 1
            index = queue.pop(0)
            waiting.discard(index)
            known, terms = self.equations[index]
            lows = [low[cell] if sign > 0 else -high[cell] for cell, sign in terms]
            highs = [high[cell] if sign > 0 else -low[cell] for cell, sign in terms]
            all_low, all_high = sum(lows), sum(highs)
            for i, (cell, sign) in enumerate(terms):
                # sign * cell = known - (the other terms)
                bound_low = known - (all_high - highs[i])
                bound_high = known - (all_low - lows[i])
                if sign < 0:
                    bound_low, bound_high = -bound_high, -bound_low
                new_low = max(low[cell], bound_low)
                new_high = min(high[cell], bound_high)
                if cell in self.holed:
                    if 1 <= new_low <= small_max:
                        new_low = small_max + 1
                    if 1 <= new_high <= small_max:
                        new_high = 0
                if new_low > new_high:
                    return False
                if (new_low, new_high) != (low[cell], high[cell]):
                    low[cell], high[cell] = new_low, new_high
                    for other in self.touching[cell]:
                        if other not in waiting:
                            waiting.add(other)
                            queue.append(other)
        return True


def _node_ends(grid: _Grid, cell) -> tuple[int, int]:
    r, c = cell
    return r, grid.n_rows + 1 + c


def _bridges(grid: _Grid, edges: set) -> set:
    """The edges of the graph (rows and columns, `edges` the cells) that no
    cycle passes through: Tarjan's low-link, written without recursion."""
    adjacency: dict[int, list] = {}
    for cell in sorted(edges):
        a, b = _node_ends(grid, cell)
        adjacency.setdefault(a, []).append((b, cell))
        adjacency.setdefault(b, []).append((a, cell))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    bridges = set()
    for start in sorted(adjacency):
        if start in order:
            continue
        order[start] = low[start] = len(order)
        stack = [(start, None, iter(adjacency[start]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for neighbour, cell in neighbours:
                if cell == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, cell, iter(adjacency[neighbour])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.add(via)
    return bridges


def _cost(grid: _Grid, cell) -> tuple:
    value = grid.values.get(cell)
    if value is None:
        tier = _TIER_NONE
    elif _is_number(value) and value == 0:
        tier = _TIER_ZERO
    elif grid.is_total(cell):
        tier = _TIER_TOTAL
    else:
        tier = _TIER_CELL
    size = abs(value) if _is_number(value) else 0
    # Counts per tier (worst tier first), then the sum hidden, then how many.
    counts = [0, 0, 0, 0]
    counts[tier] = 1
    return (counts[_TIER_NONE], counts[_TIER_ZERO], counts[_TIER_TOTAL], size, 1)


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _cheapest_cycle_through(grid: _Grid, unknown: set, bridge) -> list | None:
    """The cells of the cheapest path joining the bridge's two ends without it.

    Hidden cells cost nothing; any other cell costs what `_cost` says
    (Dijkstra, with ties broken by node and cell order so the answer is the
    same every time). With the bridge, the path closes a cycle.
    """
    start, goal = _node_ends(grid, bridge)
    n_rows = grid.n_rows
    zero = (0, 0, 0, 0, 0)
    best = {start: zero}
    came_from: dict[int, tuple] = {}
    queue = [(zero, start)]
    done = set()
    while queue:
        cost, node = heapq.heappop(queue)
        if node in done:
            continue
        done.add(node)
        if node == goal:
            break
        if node <= n_rows:
            cells = [(node, c) for c in range(grid.n_columns + grid.totals)]
        else:
            c = node - n_rows - 1
            cells = [(r, c) for r in range(n_rows + grid.totals)]
        for cell in cells:
            if cell == bridge or cell not in grid.values:
                continue
            a, b = _node_ends(grid, cell)
            neighbour = b if a == node else a
            step = zero if cell in unknown else _cost(grid, cell)
            candidate = _add(cost, step)
            if neighbour not in best or candidate < best[neighbour]:
                best[neighbour] = candidate
                came_from[neighbour] = (node, cell)
                heapq.heappush(queue, (candidate, neighbour))
    if goal not in done:
        return None
    path = []
    node = goal
    while node != start:
        node, cell = came_from[node]
        path.append(cell)
    return path


# --- small helpers -------------------------------------------------------------


def _small_max(small_max: int | None) -> int:
    return settings.PENDAMPING_SMALL_COUNT_MAX if small_max is None else small_max


def _is_number(value) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) and not isinstance(value, bool)


def _reduced_row_echelon(rows: list[list[Fraction]], width: int) -> list:
    rows = [list(row) for row in rows]
    pivot_row = 0
    for column in range(width):
        found = next((i for i in range(pivot_row, len(rows)) if rows[i][column]), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        pivot = rows[pivot_row][column]
        rows[pivot_row] = [value / pivot for value in rows[pivot_row]]
        for i in range(len(rows)):
            if i != pivot_row and rows[i][column]:
                factor = rows[i][column]
                pivot_values = rows[pivot_row]
                rows[i] = [
                    a - factor * b for a, b in zip(rows[i], pivot_values, strict=True)
                ]
        pivot_row += 1
        if pivot_row == len(rows):
            break
    return rows[:pivot_row]
